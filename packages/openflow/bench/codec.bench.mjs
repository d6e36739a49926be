#!/usr/bin/env node
// Codec micro-benchmark: messages per second, one core, for the messages that dominate a
// controller's traffic (run after `npx tsc -b packages/openflow`).
//
// - PACKET_IN decode: what an Open vSwitch sends for a table miss (unbuffered, match with
//   in_port only), with a 64-byte and a 1500-byte frame. `Message.decodeMessage` is what
//   the controller's read loop calls; `Message.decode` adds the Result and envelope.
// - FLOW_MOD encode: a learning switch's unicast flow (in_port + eth_dst, apply-actions
//   output, idle timeout), through a reused `Encoder` (the controller's write path) and
//   through `Message.encode` (a fresh buffer per message).
// - FLOW_MOD decode, PACKET_OUT encode (the reply to a packet-in).
// - Multipart FLOW stats reply with 10 entries, decode and encode.
//
// Each case runs for `--seconds` (default 1) after a warm-up, `--rounds` times (default
// 3); the best round is reported, as the least disturbed by the machine's other load.
//
// `--of 1.0` runs the same cases in OpenFlow 1.0 (its fixed match and flat action list),
// which are the same message values encoded per version.
//
// Usage: node packages/openflow/bench/codec.bench.mjs [--seconds S] [--rounds N] [--filter text] [--of 1.3|1.0]
import fs from "node:fs"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"

const here = path.dirname(fileURLToPath(import.meta.url))
const dist = path.join(here, "..", "dist", "index.js")
if (!fs.existsSync(dist)) {
  console.error(`codec.bench: ${path.relative(process.cwd(), dist)} not found; build first: npx tsc -b packages/openflow`)
  process.exit(2)
}
const { Action, Encoder, FlowMod, Match, Message, PacketIn, PacketOut, Port } = await import(dist)

const { values: opts } = parseArgs({
  options: {
    seconds: { type: "string", default: "1" },
    rounds: { type: "string", default: "3" },
    filter: { type: "string" },
    of: { type: "string", default: "1.3" }
  }
})
if (opts.of !== "1.3" && opts.of !== "1.0") {
  console.error(`codec.bench: --of ${opts.of}: only 1.3 and 1.0 are benchmarked`)
  process.exit(2)
}
// The wire version every case encodes and decodes.
const version = opts.of === "1.0" ? 1 : 4
const seconds = Number(opts.seconds)
const rounds = Number(opts.rounds)

const encodeOrThrow = (message) => {
  const encoder = Encoder.make(version)
  const error = encoder.add(message, 1)
  if (error !== undefined) throw new Error(`${message._tag}: ${error.message}`)
  return encoder.flush()
}

// Inputs.
const frame = (n) => Uint8Array.from({ length: n }, (_, i) => i & 0xff)
// Open vSwitch sends cookie 0 for a miss in 1.3; a 1.0 PACKET_IN has no cookie (all ones in the model).
const cookie = version === 1 ? undefined : 0n
const packetIn64 = encodeOrThrow(PacketIn.make({ inPort: 3, data: frame(64), cookie }))
const packetIn1500 = encodeOrThrow(PacketIn.make({ inPort: 3, data: frame(1500), cookie }))
const unicast = (i) =>
  FlowMod.add({
    match: { inPort: 1 + (i & 7), ethDst: 0x02_00_00_00_00_00 + i },
    actions: [Action.output(1 + ((i + 1) & 7))],
    priority: 1,
    idleTimeout: 60
  })
const flowMods = Array.from({ length: 256 }, (_, i) => unicast(i))
const flowModBytes = encodeOrThrow(flowMods[0])
const packetInMsg = Message.decodeMessage(packetIn64)
const stats = Array.from({ length: 10 }, (_, i) => ({
  tableId: 0,
  durationSec: 100 + i,
  durationNsec: 5000,
  priority: 1,
  idleTimeout: 60,
  hardTimeout: 0,
  flags: 0,
  cookie: 0n,
  packetCount: BigInt(1000 + i),
  byteCount: BigInt(64000 + i),
  match: flowMods[i].match,
  instructions: flowMods[i].instructions
}))
const flowStatsReply = { _tag: "FlowStatsReply", flags: 0, stats }
let flowStatsBytes
try {
  flowStatsBytes = encodeOrThrow(flowStatsReply)
} catch (e) {
  flowStatsBytes = undefined
  console.error(`flow stats reply not benchmarked: ${e.message}`)
}

let sink = 0

/**
 * Runs `op(i)` in batches until `seconds` of wall time pass; returns operations per
 * second of wall time and per second of this process's CPU time. On a busy machine the
 * CPU figure is the per-core throughput (the process got only part of a core); it also
 * counts the garbage collector's helper threads, so it never flatters.
 */
const measure = (op) => {
  const batch = 10_000
  const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9))
  const cpu0 = process.cpuUsage()
  const start = process.hrtime.bigint()
  let n = 0
  let now = start
  while (now < deadline) {
    for (let i = 0; i < batch; i++) op(n + i)
    n += batch
    now = process.hrtime.bigint()
  }
  const cpu = process.cpuUsage(cpu0)
  return { wall: n / (Number(now - start) / 1e9), cpu: n / ((cpu.user + cpu.system) / 1e6) }
}

const cases = [
  ["PACKET_IN decode, 64-byte frame (Message.decodeMessage)", () => (i) => {
    const m = Message.decodeMessage(packetIn64)
    sink += m.match.length
  }],
  ["PACKET_IN decode, 1500-byte frame (Message.decodeMessage)", () => (i) => {
    const m = Message.decodeMessage(packetIn1500)
    sink += m.data.length
  }],
  ["PACKET_IN decode + inPort, 64-byte frame (Message.decode, Result + envelope)", () => (i) => {
    const r = Message.decode(packetIn64)
    sink += PacketIn.inPort(r.success.message)
  }],
  ["FLOW_MOD encode (Encoder, flushed every 64)", () => {
    const encoder = Encoder.make(version, 64 * 1024)
    return (i) => {
      encoder.add(flowMods[i & 255], i)
      if ((i & 63) === 63) sink += encoder.flush().length
    }
  }],
  ["FLOW_MOD encode (Message.encode, fresh buffer each)", () => (i) => {
    sink += Message.encode(flowMods[i & 255], { version, xid: i }).success.length
  }],
  ["FLOW_MOD decode", () => (i) => {
    sink += Message.decodeMessage(flowModBytes).priority
  }],
  ["PACKET_OUT encode (reply to a 64-byte packet-in; Encoder, flushed every 64)", () => {
    const encoder = Encoder.make(version, 64 * 1024)
    const actions = [Action.output(Port.FLOOD)]
    return (i) => {
      encoder.add(PacketOut.reply(packetInMsg, actions), i)
      if ((i & 63) === 63) sink += encoder.flush().length
    }
  }],
  ...(flowStatsBytes === undefined
    ? []
    : [
      ["FLOW stats reply decode (10 entries)", () => (i) => {
        sink += Message.decodeMessage(flowStatsBytes).stats.length
      }],
      ["FLOW stats reply encode (10 entries; Encoder, flushed every 64)", () => {
        const encoder = Encoder.make(version, 256 * 1024)
        return (i) => {
          encoder.add(flowStatsReply, i)
          if ((i & 63) === 63) sink += encoder.flush().length
        }
      }]
    ])
]

console.log(`OpenFlow ${opts.of}, node ${process.version}, ${seconds}s x ${rounds} rounds per case, best round; M msgs/s per CPU-second (wall-clock)`)
for (const [name, make] of cases) {
  if (opts.filter !== undefined && !name.includes(opts.filter)) continue
  const op = make()
  for (let i = 0; i < 200_000; i++) op(i)
  let best = { wall: 0, cpu: 0 }
  for (let r = 0; r < rounds; r++) {
    const m = measure(op)
    if (m.cpu > best.cpu) best = m
  }
  console.log(`${(best.cpu / 1e6).toFixed(2).padStart(7)} (${(best.wall / 1e6).toFixed(2).padStart(5)})  ${name}`)
}
if (sink === 42) console.log("")
