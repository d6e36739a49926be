#!/usr/bin/env node
// The hub of the README's "write your own app": floods every packet.
//
//   node examples/hub.js [--ofp-tcp-listen-port 6653] [--ofp-listen-host 127.0.0.1] [--verbose] ...
//
// It listens on 6653 and 6633 unless told otherwise; `--help` lists every flag (Ryu's names,
// each also settable as SWITCHYARD_<FLAG>). Ctrl-C closes every switch connection and exits.
// The app itself is examples/src/Hub.ts, compiled to dist/ by `npm install` (or `npm run build`).
import { existsSync } from "node:fs"

const app = new URL("./dist/Hub.js", import.meta.url)
if (!existsSync(app)) {
  process.stderr.write("hub: examples/dist/Hub.js is missing; run `npm install` (or `npm run build`) in the repository first\n")
  process.exit(1)
}
const { Runner } = await import("@switchyard/controller")
const { Hub } = await import(app.href)

Runner.runMain(Hub, {
  name: "hub",
  description: "A hub: every packet a switch sends up is flooded out of every other port."
})
