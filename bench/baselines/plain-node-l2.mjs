#!/usr/bin/env node
// A minimal OpenFlow 1.3 learning switch on plain `node:net`: the ceiling reference for `npm run bench`.
//
// It does what Ryu's simple_switch_13 does and nothing more, on raw Buffers: no codec, no typed
// messages, no Effect. Whatever Switchyard adds on top (typed events, fibers, supervision) is
// measured against this. OpenFlow is awkward to serve fast because TCP delivers a byte stream,
// not messages: one `data` event may hold many messages or half of one, so framing has to work
// on the 16-bit length in each header and carry a partial message over to the next read without
// copying the common case. Replies produced while handling one `data` event are encoded straight
// into one output buffer (constant fields copied from templates) and written with a single
// `socket.write`, since a write or an allocation per message costs more than the protocol work
// itself (see shared/notes/hot-path-measurements.md).
//
// Behaviour, per connection (one switch):
// - HELLO: answered with a 1.3 HELLO carrying a version bitmap, then FEATURES_REQUEST.
// - FEATURES_REPLY: install the table-miss flow (priority 0, output CONTROLLER, max_len NO_BUFFER).
// - ECHO_REQUEST: ECHO_REPLY with the same xid and payload.
// - ECHO_REPLY: clears the keepalive counter (see --echo-interval).
// - PACKET_IN: learn eth_src -> in_port; when eth_dst is known install a priority-1 flow on
//   (in_port, eth_src, eth_dst) and send a PACKET_OUT to that port (with a buffered packet-in the
//   FLOW_MOD carries the buffer_id and releases the frame, so no PACKET_OUT), otherwise flood.
//   LLDP frames are ignored, as in Ryu's app.
// - Anything else is ignored.
//
// Keepalive: every --echo-interval seconds (default 15, Ryu's default; 0 disables) each switch
// gets an ECHO_REQUEST; a switch that leaves --max-unreplied-echo (default 3) of them unanswered
// is disconnected. Due times are per connection, so the requests to many idle switches are spread
// over the interval instead of sent in one burst.
//
// Usage: node bench/baselines/plain-node-l2.mjs [--ofp-tcp-listen-port 6653] [--ofp-listen-host 127.0.0.1]
//        [--echo-interval 15] [--max-unreplied-echo 3]
// On SIGUSR2 it prints one line of counters to stderr; SIGTERM/SIGINT close it.
import net from "node:net"

const OFP_VERSION = 4
const OFPT_HELLO = 0
const OFPT_ECHO_REQUEST = 2
const OFPT_ECHO_REPLY = 3
const OFPT_FEATURES_REQUEST = 5
const OFPT_FEATURES_REPLY = 6
const OFPT_PACKET_IN = 10
const OFPT_PACKET_OUT = 13
const OFPT_FLOW_MOD = 14
const OFP_NO_BUFFER = 0xffffffff
const OFPP_FLOOD = 0xfffffffb
const OFPP_CONTROLLER = 0xfffffffd
const OFPCML_NO_BUFFER = 0xffff
const ETH_TYPE_LLDP = 0x88cc

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const i = args.indexOf(name)
  if (i < 0) return fallback
  const value = args[i + 1]
  if (value === undefined) {
    console.error(`plain-node-l2: ${name} needs a value`)
    process.exit(1)
  }
  return value
}
const port = Number(option("--ofp-tcp-listen-port", "6653"))
const host = option("--ofp-listen-host", "127.0.0.1")
const echoIntervalMs = Number(option("--echo-interval", "15")) * 1000
const maxUnrepliedEcho = Number(option("--max-unreplied-echo", "3"))
if (!Number.isInteger(port) || port <= 0 || port > 65535 || !(echoIntervalMs >= 0) || !(maxUnrepliedEcho >= 1)) {
  console.error("plain-node-l2: invalid option value")
  process.exit(1)
}

const HELLO = Buffer.from([OFP_VERSION, OFPT_HELLO, 0, 16, 0, 0, 0, 0, 0, 1, 0, 8, 0, 0, 0, 1 << OFP_VERSION])
const FEATURES_REQUEST = Buffer.from([OFP_VERSION, OFPT_FEATURES_REQUEST, 0, 8, 0, 0, 0, 1])

// The table-miss FLOW_MOD is the same bytes for every switch: built once.
const TABLE_MISS = (() => {
  const b = Buffer.alloc(80)
  b[0] = OFP_VERSION
  b[1] = OFPT_FLOW_MOD
  b.writeUInt16BE(80, 2)
  // cookie, cookie_mask, table 0, command ADD, timeouts 0, priority 0: all zero.
  // Layout as in writeFlowMod below.
  b.writeUInt32BE(OFP_NO_BUFFER, 32)
  b.writeUInt32BE(0xffffffff, 36) // out_port ANY
  b.writeUInt32BE(0xffffffff, 40) // out_group ANY
  b.writeUInt16BE(1, 48) // match type OXM
  b.writeUInt16BE(4, 50) // match length without padding: empty
  b.writeUInt16BE(4, 56) // instruction APPLY_ACTIONS
  b.writeUInt16BE(24, 58)
  b.writeUInt16BE(0, 64) // action OUTPUT
  b.writeUInt16BE(16, 66)
  b.writeUInt32BE(OFPP_CONTROLLER, 68)
  b.writeUInt16BE(OFPCML_NO_BUFFER, 72)
  return b
})()

// The priority-1 FLOW_MOD of Ryu's app: match in_port + eth_dst + eth_src, output to one port.
// Layout (OpenFlow 1.3.5 §7.3.4.1): header 8, cookie 8, cookie_mask 8, table_id 1, command 1,
// idle_timeout 2, hard_timeout 2, priority 2, buffer_id 4, out_port 4, out_group 4, flags 2,
// pad 2 = 48 bytes, then the match at offset 48: 4 + 8 + 10 + 10 = 32 bytes, already a multiple
// of 8, then one APPLY_ACTIONS instruction with one OUTPUT action: 104 bytes. Everything but
// xid, buffer_id, in_port, the two MACs and the output port is constant, so each FLOW_MOD is a
// copy of this template with those fields patched in.
const FLOW_MOD = (() => {
  const b = Buffer.alloc(104)
  b[0] = OFP_VERSION
  b[1] = OFPT_FLOW_MOD
  b.writeUInt16BE(104, 2)
  b.writeUInt16BE(1, 30) // priority
  b.writeUInt32BE(0xffffffff, 36) // out_port ANY
  b.writeUInt32BE(0xffffffff, 40) // out_group ANY
  b.writeUInt16BE(1, 48) // match type OXM
  b.writeUInt16BE(32, 50) // match length
  b.writeUInt32BE(0x80000004, 52) // OXM in_port
  b.writeUInt32BE(0x80000606, 60) // OXM eth_dst
  b.writeUInt32BE(0x80000806, 70) // OXM eth_src
  b.writeUInt16BE(4, 80) // instruction APPLY_ACTIONS
  b.writeUInt16BE(24, 82)
  b.writeUInt16BE(0, 88) // action OUTPUT
  b.writeUInt16BE(16, 90)
  return b
})()

// Writes a FLOW_MOD into "out" at "o" and returns the offset after it. "frame" is the packet-in's
// Ethernet frame starting at "frameOffset".
const writeFlowMod = (out, o, xid, bufferId, inPort, frame, frameOffset, outPort) => {
  FLOW_MOD.copy(out, o)
  out.writeUInt32BE(xid, o + 4)
  out.writeUInt32BE(bufferId, o + 32)
  out.writeUInt32BE(inPort, o + 56)
  frame.copy(out, o + 64, frameOffset, frameOffset + 6)
  frame.copy(out, o + 74, frameOffset + 6, frameOffset + 12)
  out.writeUInt32BE(outPort, o + 92)
  return o + 104
}

// PACKET_OUT (§7.3.7): header 8, buffer_id 4, in_port 4, actions_len 2, pad 6, one OUTPUT action
// of 16 bytes (40 bytes so far, constant but for the patched fields), then the frame when the
// packet-in was not buffered.
const PACKET_OUT = (() => {
  const b = Buffer.alloc(40)
  b[0] = OFP_VERSION
  b[1] = OFPT_PACKET_OUT
  b.writeUInt16BE(16, 16) // actions_len
  b.writeUInt16BE(0, 24) // action OUTPUT
  b.writeUInt16BE(16, 26)
  return b
})()

// Writes a PACKET_OUT into "out" at "o" and returns the offset after it.
const writePacketOut = (out, o, xid, bufferId, inPort, outPort, frame, frameOffset, frameEnd) => {
  const dataLen = bufferId === OFP_NO_BUFFER ? frameEnd - frameOffset : 0
  PACKET_OUT.copy(out, o)
  out.writeUInt16BE(40 + dataLen, o + 2)
  out.writeUInt32BE(xid, o + 4)
  out.writeUInt32BE(bufferId, o + 8)
  out.writeUInt32BE(inPort, o + 12)
  out.writeUInt32BE(outPort, o + 28)
  if (dataLen > 0) frame.copy(out, o + 40, frameOffset, frameEnd)
  return o + 40 + dataLen
}

const connections = new Set()
const counters = { connected: 0, closed: 0, packetIns: 0, echoRequestsSent: 0, echoTimeouts: 0 }

// Handles one complete message at "buf[off..off+len)" for connection "c", writes any replies into
// "out" from offset "o", and returns the offset after them. No reply is longer than three times
// the message that caused it (a 98-byte packet-in of a 64-byte frame becomes a 104-byte FLOW_MOD
// and a 104-byte PACKET_OUT; an 8-byte HELLO becomes 24 bytes), which sizes "out". "buf" may be a
// view into the socket's chunk: nothing here keeps it.
const handle = (c, buf, off, len, out, o) => {
  const type = buf[off + 1]
  const xid = buf.readUInt32BE(off + 4)
  switch (type) {
    case OFPT_HELLO:
      HELLO.copy(out, o)
      FEATURES_REQUEST.copy(out, o + HELLO.length)
      return o + HELLO.length + FEATURES_REQUEST.length
    case OFPT_ECHO_REQUEST:
      buf.copy(out, o, off, off + len)
      out[o + 1] = OFPT_ECHO_REPLY
      return o + len
    case OFPT_ECHO_REPLY:
      c.unrepliedEcho = 0
      return o
    case OFPT_FEATURES_REPLY:
      TABLE_MISS.copy(out, o)
      return o + TABLE_MISS.length
    case OFPT_PACKET_IN: {
      counters.packetIns++
      const bufferId = buf.readUInt32BE(off + 8)
      const matchLen = buf.readUInt16BE(off + 26)
      let inPort = 0
      // Walk the OXM fields for in_port (class 0x8000, field 0).
      let p = off + 28
      const matchEnd = off + 24 + matchLen
      while (p + 4 <= matchEnd) {
        const oxm = buf.readUInt32BE(p)
        if (oxm >>> 16 === 0x8000 && ((oxm >>> 9) & 0x7f) === 0 && (oxm & 0xff) === 4) {
          inPort = buf.readUInt32BE(p + 4)
          break
        }
        p += 4 + (oxm & 0xff)
      }
      const frame = off + 24 + ((matchLen + 7) & ~7) + 2
      const end = off + len
      if (end - frame < 14) return o
      if (buf.readUInt16BE(frame + 12) === ETH_TYPE_LLDP) return o
      // A MAC fits a double exactly; reading it as two integers avoids a string per packet.
      const dst = buf.readUInt16BE(frame) * 0x100000000 + buf.readUInt32BE(frame + 2)
      const src = buf.readUInt16BE(frame + 6) * 0x100000000 + buf.readUInt32BE(frame + 8)
      c.macs.set(src, inPort)
      const outPort = c.macs.get(dst)
      if (outPort === undefined) return writePacketOut(out, o, xid, bufferId, inPort, OFPP_FLOOD, buf, frame, end)
      o = writeFlowMod(out, o, xid, bufferId, inPort, buf, frame, outPort)
      if (bufferId === OFP_NO_BUFFER) o = writePacketOut(out, o, xid, bufferId, inPort, outPort, buf, frame, end)
      return o
    }
    default:
      return o
  }
}

const server = net.createServer({ noDelay: true }, (socket) => {
  const c = { socket, macs: new Map(), pending: null, unrepliedEcho: 0, echoDue: Date.now() + echoIntervalMs }
  connections.add(c)
  counters.connected++
  socket.on("data", (chunk) => {
    let buf = chunk
    // A message split across reads: only then is anything copied.
    if (c.pending !== null) {
      buf = Buffer.concat([c.pending, chunk])
      c.pending = null
    }
    // One output buffer for every reply to this chunk, written with one socket.write.
    const out = Buffer.allocUnsafe(3 * buf.length + 64)
    let o = 0
    let off = 0
    while (buf.length - off >= 8) {
      const len = buf.readUInt16BE(off + 2)
      if (len < 8) {
        // A length below the header size can never be framed: the stream is lost.
        console.error("plain-node-l2: message length below 8, closing the connection")
        socket.destroy()
        return
      }
      if (buf.length - off < len) break
      o = handle(c, buf, off, len, out, o)
      off += len
    }
    if (off < buf.length) c.pending = Buffer.from(buf.subarray(off))
    if (o > 0) socket.write(out.subarray(0, o))
  })
  socket.on("error", () => {})
  socket.on("close", () => {
    connections.delete(c)
    counters.closed++
  })
})

let echoXid = 0x10000000
if (echoIntervalMs > 0) {
  setInterval(() => {
    const now = Date.now()
    for (const c of connections) {
      if (now < c.echoDue) continue
      if (c.unrepliedEcho >= maxUnrepliedEcho) {
        counters.echoTimeouts++
        c.socket.destroy()
        continue
      }
      const echo = Buffer.from([OFP_VERSION, OFPT_ECHO_REQUEST, 0, 8, 0, 0, 0, 0])
      echo.writeUInt32BE(echoXid++ >>> 0, 4)
      c.socket.write(echo)
      c.unrepliedEcho++
      counters.echoRequestsSent++
      c.echoDue = now + echoIntervalMs
    }
  }, Math.min(1000, echoIntervalMs)).unref()
}

process.on("SIGUSR2", () => {
  console.error(`plain-node-l2: open=${connections.size} ${Object.entries(counters).map(([k, v]) => `${k}=${v}`).join(" ")}`)
})
const stop = () => {
  server.close()
  for (const c of connections) c.socket.destroy()
  process.exit(0)
}
process.on("SIGTERM", stop)
process.on("SIGINT", stop)

server.on("error", (error) => {
  console.error(`plain-node-l2: ${error.message}`)
  process.exit(1)
})
server.listen({ port, host, backlog: 4096 }, () => {
  console.error(`plain-node-l2: listening on ${host}:${port}`)
})
