#!/usr/bin/env node
// In-process packet-in benchmark of the controller runtime (run after
// `npx tsc -b packages/controller`).
//
// N emulated switches connect to a real `Controller` over in-memory sockets
// (`MemorySocket`) and keep W unbuffered 64-byte packet-ins outstanding each, as
// ofbench's throughput mode does. A learning-switch app subscribes to PacketIn,
// consumes batches with `Stream.runForEachArray`, learns source MACs and answers each
// batch with one `sendAll` of FLOW_MOD + PACKET_OUT (PACKET_OUT flood for unknown
// destinations). A packet-in counts as answered when its PACKET_OUT reaches the switch.
//
// `--mode raw` runs the same switches against a baseline with no runtime at all: one
// fiber per connection that pulls, frames, decodes, runs the same app logic and writes
// the replies with one `writeAll`, the "one fiber per connection" probe of
// /work/shared/notes/hot-path-measurements.md. The ratio of the two is what the
// runtime (typed events, subscriptions, the fiber hop to the app, the write path) costs.
//
// Both sides run in this one process, so absolute numbers include the emulated switches'
// work; compare modes, not these numbers with ofbench's.
//
// Usage: node packages/controller/bench/packetin.mjs [--mode datapath|raw] [--switches 16]
//          [--window 64] [--hosts 32] [--seconds 5] [--rounds 1]
import fs from "node:fs"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"

const here = path.dirname(fileURLToPath(import.meta.url))
const dist = path.join(here, "..", "dist", "index.js")
if (!fs.existsSync(dist)) {
  console.error("packetin: dist not found; build first: npx tsc -b packages/controller")
  process.exit(2)
}
const { Controller, MemorySocket } = await import(dist)
const { Framing, Hello, Message, PacketIn, Version } = await import("@switchyard/openflow")
const { Effect, Exit, Fiber, Layer, Scope } = await import("effect")
const { makeL2Switch } = await import("./l2app.mjs")
const { rawServe } = await import("./raw.mjs")

const { values: opts } = parseArgs({
  options: {
    mode: { type: "string", default: "datapath" },
    switches: { type: "string", default: "16" },
    window: { type: "string", default: "64" },
    hosts: { type: "string", default: "32" },
    seconds: { type: "string", default: "5" },
    rounds: { type: "string", default: "1" }
  }
})
const SWITCHES = Number(opts.switches)
const WINDOW = Number(opts.window)
const HOSTS = Number(opts.hosts)
const SECONDS = Number(opts.seconds)
const OF13 = Version.OF13

// ---------------------------------------------------------------------------------------
// The emulated switches.
// ---------------------------------------------------------------------------------------

const encode = (message, xid) => {
  const r = Message.encode(message, { version: OF13, xid })
  if (r._tag !== "Success") throw new Error(`cannot encode ${message._tag}`)
  return r.success
}

/** 64-byte Ethernet frames from host `src` to host `dst` (or broadcast). */
const frame = (sw, src, dst) => {
  const b = new Uint8Array(64)
  const put = (at, host) => {
    b[at] = 0x02
    b[at + 1] = 0
    b[at + 2] = sw
    b[at + 3] = 0
    b[at + 4] = host >> 8
    b[at + 5] = host & 0xff
  }
  if (dst < 0) b.fill(0xff, 0, 6)
  else put(0, dst)
  put(6, src)
  b[12] = 0x08
  b[13] = 0x00
  return b
}

const stats = { answered: 0, sent: 0 }

const runSwitch = (socket, index) =>
  Effect.scoped(Effect.gen(function*() {
    const { pull } = yield* socket.reader
    const writer = yield* socket.writer
    const framer = Framing.make()
    const frames = []
    const dpid = BigInt(index + 1)
    const hostPort = (h) => 1 + (h % 4)
    // Pre-encoded packet-ins: first one broadcast per host (learning), then unicast
    // traffic between random known hosts.
    const learning = []
    for (let h = 0; h < HOSTS; h++) {
      learning.push(encode(PacketIn.make({ inPort: hostPort(h), data: frame(index, h, -1) }), 0))
    }
    const traffic = []
    for (let i = 0; i < 4096; i++) {
      const s = (i * 7) % HOSTS
      const d = (i * 13 + 1) % HOSTS
      traffic.push(encode(PacketIn.make({ inPort: hostPort(s), data: frame(index, s, d === s ? (d + 1) % HOSTS : d) }), 0))
    }
    let next = 0
    yield* writer.write(encode(Hello.make([OF13]), 1))
    let ready = false
    let outstanding = 0
    let learned = 0
    const topUp = () => {
      const chunks = []
      if (learned < HOSTS) {
        while (learned < HOSTS && outstanding < WINDOW) {
          chunks.push(learning[learned++])
          outstanding++
        }
      } else {
        while (outstanding < WINDOW) {
          chunks.push(traffic[next])
          next = (next + 1) & 4095
          outstanding++
        }
      }
      stats.sent += chunks.length
      return chunks.length > 0 ? writer.writeAll(chunks) : Effect.void
    }
    while (true) {
      const chunks = yield* pull
      frames.length = 0
      for (const c of chunks) framer.push(c, frames)
      const replies = []
      for (const f of frames) {
        const type = f[1]
        if (type === 13) {
          outstanding--
          stats.answered++
        } else if (type === 5) {
          replies.push(encode({
            _tag: "FeaturesReply",
            datapathId: dpid,
            nBuffers: 256,
            nTables: 254,
            auxiliaryId: 0,
            capabilities: 0,
            reserved: 0
          }, (f[4] << 24 | f[5] << 16 | f[6] << 8 | f[7]) >>> 0))
        } else if (type === 18) {
          const ports = [1, 2, 3, 4].map((p) => ({
            portNo: p, hwAddr: p, name: `s${index}-eth${p}`, config: 0, state: 4, curr: 0, advertised: 0,
            supported: 0, peer: 0, currSpeed: 1_000_000, maxSpeed: 1_000_000
          }))
          replies.push(encode({ _tag: "PortDescReply", flags: 0, ports }, (f[4] << 24 | f[5] << 16 | f[6] << 8 | f[7]) >>> 0))
          ready = true
        } else if (type === 2) {
          const r = f.slice()
          r[1] = 3
          replies.push(r)
        }
      }
      if (replies.length > 0) yield* writer.writeAll(replies)
      if (ready) yield* topUp()
    }
  })).pipe(Effect.ignore)

// ---------------------------------------------------------------------------------------
// Run
// ---------------------------------------------------------------------------------------

const round = Effect.gen(function*() {
  stats.answered = 0
  stats.sent = 0
  const scope = yield* Scope.make()
  let serve
  if (opts.mode === "raw") {
    serve = (connection) => rawServe(connection.socket)
  } else {
    const context = yield* Layer.buildWithScope(
      Layer.provideMerge(makeL2Switch(Controller), Controller.layer({ echoRequestInterval: "15 seconds" })),
      scope
    )
    serve = (connection) => Effect.flatMap(Controller.Controller, (c) => c.serve(connection)).pipe(Effect.provide(context))
  }
  const fibers = []
  for (let i = 0; i < SWITCHES; i++) {
    const [controllerEnd, switchEnd] = MemorySocket.pair()
    fibers.push(yield* Effect.forkDetach(serve({ socket: controllerEnd, remoteAddress: `memory:${i}`, transport: "tcp" })))
    fibers.push(yield* Effect.forkDetach(runSwitch(switchEnd, i)))
  }
  // Warm up (handshakes, learning, JIT), then measure.
  yield* Effect.sleep("1 second")
  const start = performance.now()
  const before = stats.answered
  yield* Effect.sleep(`${SECONDS} seconds`)
  const elapsed = (performance.now() - start) / 1000
  const rate = (stats.answered - before) / elapsed
  yield* Fiber.interruptAll(fibers)
  yield* Scope.close(scope, Exit.void)
  return rate
})

const rates = []
for (let r = 0; r < Number(opts.rounds); r++) {
  const rate = await Effect.runPromise(round)
  rates.push(rate)
  console.log(
    `mode=${opts.mode} switches=${SWITCHES} window=${WINDOW} round=${r + 1}: ${Math.round(rate).toLocaleString("en-US")} packet-ins/s answered`
  )
}
if (rates.length > 1) {
  const mean = rates.reduce((a, b) => a + b, 0) / rates.length
  console.log(`mode=${opts.mode} mean: ${Math.round(mean).toLocaleString("en-US")} packet-ins/s`)
}
