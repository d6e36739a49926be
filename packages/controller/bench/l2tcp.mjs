#!/usr/bin/env node
// The benchmark learning switch (bench/l2app.mjs) served over real TCP, for ofbench
// (run after `npx tsc -b packages/controller`). It uses `NodeSocketServer` directly
// rather than the runner, so it measures the datapath runtime and nothing else.
//
// Usage: node packages/controller/bench/l2tcp.mjs [--port 6653] [--host 127.0.0.1]
//   then, e.g.: bench/out/ofbench -p 6653 -s 16 -t -l 5 -C <pid>
import * as NodeSocketServer from "@effect/platform-node/NodeSocketServer"
import { Effect, Layer, Logger } from "effect"
import fs from "node:fs"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"

const here = path.dirname(fileURLToPath(import.meta.url))
const dist = path.join(here, "..", "dist", "index.js")
if (!fs.existsSync(dist)) {
  console.error("l2tcp: dist not found; build first: npx tsc -b packages/controller")
  process.exit(2)
}
const { Controller } = await import(dist)
const { makeL2Switch } = await import("./l2app.mjs")
const { values: opts } = parseArgs({
  options: {
    port: { type: "string", default: "6653" },
    host: { type: "string", default: "127.0.0.1" },
    // raw: no runtime, the bench's one-fiber-per-connection baseline (see packetin.mjs)
    mode: { type: "string", default: "datapath" }
  }
})
const { rawServe } = await import("./raw.mjs")

const main = Effect.gen(function*() {
  const controller = yield* Controller.Controller
  const server = yield* NodeSocketServer.make({ port: Number(opts.port), host: opts.host })
  console.error(`l2tcp: listening on ${opts.host}:${opts.port} (pid ${process.pid})`)
  let n = 0
  return yield* server.run((socket) =>
    opts.mode === "raw" ? rawServe(socket) : controller.serve({ socket, remoteAddress: `tcp:${++n}`, transport: "tcp" })
  )
}).pipe(
  Effect.scoped,
  Effect.provide(Layer.provideMerge(makeL2Switch(Controller), Controller.layer())),
  Effect.provide(Logger.layer([]))
)

// SIGUSR2 prints memory figures (after a full GC when run with --expose-gc).
process.on("SIGUSR2", () => {
  globalThis.gc?.()
  const m = process.memoryUsage()
  const mib = (n) => (n / 1048576).toFixed(1)
  console.error(`l2tcp: rss ${mib(m.rss)} MiB heapUsed ${mib(m.heapUsed)} MiB heapTotal ${mib(m.heapTotal)} MiB external ${mib(m.external)} MiB arrayBuffers ${mib(m.arrayBuffers)} MiB`)
})

const fiber = Effect.runFork(main)
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => fiber.interruptUnsafe())
