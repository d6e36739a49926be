#!/usr/bin/env node
// The learning switch of the quick start: Ryu's simple_switch_13 behaviour on Switchyard.
//
//   node examples/l2switch.js [--ofp-tcp-listen-port 6653] [--ofp-listen-host 127.0.0.1] [--verbose] ...
//
// It listens on 6653 and 6633 unless told otherwise; `--help` lists every flag (Ryu's names,
// each also settable as SWITCHYARD_<FLAG>). Ctrl-C closes every switch connection and exits.
// The app itself is examples/src/L2Switch.ts, compiled to dist/ by `npm install` (or `npm run build`).
import { existsSync } from "node:fs"

const app = new URL("./dist/L2Switch.js", import.meta.url)
if (!existsSync(app)) {
  process.stderr.write("l2switch: examples/dist/L2Switch.js is missing; run `npm install` (or `npm run build`) in the repository first\n")
  process.exit(1)
}
const { Runner } = await import("@switchyard/controller")
const { L2Switch } = await import(app.href)

Runner.runMain(L2Switch, {
  name: "l2switch",
  description: "A learning switch (Ryu's simple_switch_13): learns MAC addresses per switch, installs flows, floods unknown destinations."
})
