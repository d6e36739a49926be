#!/usr/bin/env node
// Heap per idle datapath, in process (run with --expose-gc, after
// `npx tsc -b packages/controller`).
//
// Connects N switches over in-memory sockets, takes each through the handshake (HELLO,
// FEATURES, a 4-port PORT_DESC) to MAIN, lets the handshake timers run out, and reports
// the heap growth per connection after a full GC. The figure includes both ends of the
// `MemorySocket` pair and the emulated switch's reader and writer, so it is an upper
// bound of the runtime's own cost; over TCP, Node's socket and the Effect socket adapter
// replace the memory pair (use l2tcp.mjs with ofidle and SIGUSR2 for that).
// `--breakdown` adds a heap-snapshot diff by constructor.
//
// Usage: node --expose-gc packages/controller/bench/memory.mjs [--switches 5000]
//          [--no-metrics] [--breakdown]
import fs from "node:fs"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"

if (typeof globalThis.gc !== "function") {
  console.error("memory: run with node --expose-gc")
  process.exit(2)
}
const here = path.dirname(fileURLToPath(import.meta.url))
const dist = path.join(here, "..", "dist", "index.js")
if (!fs.existsSync(dist)) {
  console.error("memory: dist not found; build first: npx tsc -b packages/controller")
  process.exit(2)
}
const { Controller, MemorySocket } = await import(dist)
const { Framing, Hello, Message } = await import("@switchyard/openflow")
const { Effect, Logger, Scope } = await import("effect")
const { values: opts } = parseArgs({
  options: {
    switches: { type: "string", default: "5000" },
    "no-metrics": { type: "boolean", default: false },
    breakdown: { type: "boolean", default: false }
  }
})
const N = Number(opts.switches)

const encode = (m, xid) => Message.encode(m, { version: 4, xid }).success
const gc = () => {
  globalThis.gc()
  globalThis.gc()
}

// A heap snapshot summarised by constructor: { "object:Connection": { count, size } }.
const summarize = async () => {
  const v8 = await import("node:v8")
  const file = v8.writeHeapSnapshot(path.join(fs.mkdtempSync("/tmp/switchyard-mem-"), "heap.heapsnapshot"))
  const snap = JSON.parse(fs.readFileSync(file, "utf8"))
  fs.rmSync(path.dirname(file), { recursive: true })
  const f = snap.snapshot.meta.node_fields
  const types = snap.snapshot.meta.node_types[0]
  const [iType, iName, iSize] = [f.indexOf("type"), f.indexOf("name"), f.indexOf("self_size")]
  const out = new Map()
  for (let i = 0; i < snap.nodes.length; i += f.length) {
    const type = types[snap.nodes[i + iType]]
    const key = type === "object" || type === "closure" ? `${type}:${snap.strings[snap.nodes[i + iName]]}` : type
    const e = out.get(key) ?? { count: 0, size: 0 }
    e.count++
    e.size += snap.nodes[i + iSize]
    out.set(key, e)
  }
  return out
}

const program = Effect.gen(function*() {
  const controller = yield* Controller.Controller
  gc()
  const before = process.memoryUsage().heapUsed
  const snapBefore = opts.breakdown ? yield* Effect.promise(summarize) : undefined
  const switches = []
  for (let i = 0; i < N; i++) {
    const [controllerEnd, switchEnd] = MemorySocket.pair()
    yield* Effect.forkDetach(controller.serve({ socket: controllerEnd, remoteAddress: "memory", transport: "tcp" }))
    const scope = yield* Scope.make()
    const reader = yield* Scope.provide(switchEnd.reader, scope)
    const writer = yield* Scope.provide(switchEnd.writer, scope)
    yield* writer.write(encode(Hello.make([4]), 1))
    switches.push({ reader, writer, scope, i })
  }
  for (const sw of switches) {
    const framer = Framing.make()
    let done = false
    while (!done) {
      const frames = []
      for (const chunk of yield* sw.reader.pull) framer.push(chunk, frames)
      for (const f of frames) {
        const xid = ((f[4] << 24) | (f[5] << 16) | (f[6] << 8) | f[7]) >>> 0
        if (f[1] === 5) {
          yield* sw.writer.write(encode({
            _tag: "FeaturesReply", datapathId: BigInt(sw.i + 1), nBuffers: 0, nTables: 1, auxiliaryId: 0, capabilities: 0, reserved: 0
          }, xid))
        } else if (f[1] === 18) {
          const ports = [1, 2, 3, 4].map((p) => ({
            portNo: p, hwAddr: p, name: `s${sw.i}-eth${p}`, config: 0, state: 4, curr: 0, advertised: 0, supported: 0,
            peer: 0, currSpeed: 0, maxSpeed: 0
          }))
          yield* sw.writer.write(encode({ _tag: "PortDescReply", flags: 0, ports }, xid))
          done = true
        }
      }
    }
  }
  // Past the handshake timeout, so its timers are gone too.
  yield* Effect.sleep("11 seconds")
  gc()
  const after = process.memoryUsage().heapUsed
  const datapaths = (yield* controller.datapaths).length
  console.log(
    `switches=${N} datapaths=${datapaths} metrics=${!opts["no-metrics"]}: ${((after - before) / N / 1024).toFixed(2)} KiB heap per idle datapath (both socket ends included)`
  )
  if (snapBefore !== undefined) {
    const snapAfter = yield* Effect.promise(summarize)
    const rows = []
    for (const [k, v] of snapAfter) {
      const o = snapBefore.get(k) ?? { count: 0, size: 0 }
      rows.push([k, (v.count - o.count) / N, (v.size - o.size) / N])
    }
    rows.sort((a, b) => b[2] - a[2])
    for (const [k, count, size] of rows.slice(0, 40)) {
      console.log(`${k.padEnd(50)} ${count.toFixed(2).padStart(8)} ${size.toFixed(0).padStart(8)} B`)
    }
  }
}).pipe(
  Effect.provide(Controller.layer({ datapathMetrics: !opts["no-metrics"] })),
  Effect.provide(Logger.layer([]))
)

await Effect.runPromise(program)
process.exit(0)
