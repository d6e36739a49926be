#!/usr/bin/env node
// Where an idle switch's memory goes: resident memory, heap and, optionally, a heap-snapshot
// diff by constructor, per connected switch, for a controller held by thousands of idle
// switches over real TCP (run after `npx tsc -b packages/controller examples`).
//
// `bench/idle.mjs` reports RSS per switch and CPU for the benchmark table; this is the tool to
// find out what that RSS is made of. RSS alone cannot say: it moves with garbage that has not
// been collected yet and with heap pages V8 keeps, so the controller is started with a preload
// (idlemem-probe.mjs) that, on SIGUSR2, samples the heap before and after a full GC. The
// generator is bench/out/ofidle (built from bench/idle.c): every switch completes the
// handshake, then only keeps the connection alive (a switch-side echo every --probe seconds, as
// Open vSwitch does; the controller's own keepalive otherwise).
//
// Figures, per switch: RSS (median over the window, as bench/idle.mjs), then after a full GC at
// the end of the window RSS, heap used and heap committed, and heap used just before that GC.
// `--breakdown` adds the heap-snapshot diff by constructor (count and bytes per switch). Writing
// a snapshot grows RSS by far more than a switch costs, and a snapshot of thousands of
// connections blocks the process for seconds (switches may then drop on their probe): read
// RSS from a run without it; the heap figures are unaffected.
//
// Usage: node packages/controller/bench/idlemem.mjs [--controller switchyard|plain-node|l2tcp|raw]
//          [--switches 10000] [--hold 45] [--settle 10] [--probe 5] [--rate 2000]
//          [--breakdown] [--top 40]
import { spawn } from "node:child_process"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { buildC, clockTicks, cpuTicks, freePort, median, repoRoot, rssKiB } from "../../../bench/lib.mjs"

const here = path.dirname(fileURLToPath(import.meta.url))
const { values: o } = parseArgs({
  options: {
    controller: { type: "string", default: "switchyard" },
    switches: { type: "string", default: "10000" },
    hold: { type: "string", default: "45" },
    settle: { type: "string", default: "10" },
    probe: { type: "string", default: "5" },
    rate: { type: "string", default: "2000" },
    breakdown: { type: "boolean", default: false },
    top: { type: "string", default: "40" },
    help: { type: "boolean", short: "h", default: false }
  }
})
if (o.help) {
  console.log(fs.readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n").filter((l) => l.startsWith("//")).map((l) => l.slice(3)).join("\n"))
  process.exit(0)
}
const N = Number(o.switches)
const holdS = Number(o.hold)
const settleS = Number(o.settle)
if (!(N >= 1) || !(holdS >= settleS + 10)) {
  console.error("idlemem: --switches must be >= 1 and --hold at least --settle + 10")
  process.exit(1)
}

const port = await freePort()
const scripts = {
  switchyard: [path.join(repoRoot, "examples", "l2switch.js"), "--ofp-tcp-listen-port", String(port), "--ofp-listen-host", "127.0.0.1"],
  "plain-node": [path.join(repoRoot, "bench", "baselines", "plain-node-l2.mjs"), "--ofp-tcp-listen-port", String(port), "--ofp-listen-host", "127.0.0.1"],
  l2tcp: [path.join(here, "l2tcp.mjs"), "--port", String(port)],
  raw: [path.join(here, "l2tcp.mjs"), "--port", String(port), "--mode", "raw"]
}
if (!(o.controller in scripts)) {
  console.error(`idlemem: unknown --controller ${o.controller}; known: ${Object.keys(scripts).join(", ")}`)
  process.exit(1)
}
const ofidle = buildC(path.join(repoRoot, "bench", "idle.c"), "ofidle")
const work = fs.mkdtempSync(path.join(os.tmpdir(), "idlemem-"))
const out = path.join(work, "probe.jsonl")
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

const controller = spawn(process.execPath, ["--expose-gc", "--import", path.join(here, "idlemem-probe.mjs"), ...scripts[o.controller]], {
  stdio: ["ignore", "ignore", "pipe"],
  env: { ...process.env, IDLEMEM_OUT: out, ...(o.breakdown ? { IDLEMEM_SNAPSHOTS: work } : {}) }
})
let log = ""
controller.stderr.on("data", (d) => {
  log = (log + d).slice(-8000)
})
const lines = () => (fs.existsSync(out) ? fs.readFileSync(out, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l)) : [])
const probe = async () => {
  const before = lines().length
  process.kill(controller.pid, "SIGUSR2")
  for (let i = 0; i < 1200; i++) {
    await sleep(100)
    const all = lines()
    if (all.length > before) return all[before]
  }
  throw new Error("the controller did not answer SIGUSR2 (is the preload loaded?)")
}

try {
  // Let the runtime finish starting (JIT, lazy imports) before the "before" sample.
  await sleep(3000)
  if (controller.exitCode !== null) throw new Error(`the controller exited at start:\n${log}`)
  const rss0 = rssKiB(controller.pid)
  const p0 = await probe()
  const generator = spawn(ofidle, ["-p", String(port), "-s", String(N), "-d", String(holdS), "-e", o.probe, "-i", "30", "-r", o.rate, "-T",
    String(Math.max(60, Math.ceil((2 * N) / Number(o.rate)) + 30))], { stdio: ["ignore", "pipe", "inherit"] })
  let genOut = ""
  const ready = new Promise((resolve) => generator.stdout.on("data", (d) => (genOut += d, /READY/.test(genOut) && resolve())))
  const done = new Promise((resolve) => generator.on("exit", resolve))
  await Promise.race([ready, done])
  if (!/READY/.test(genOut)) throw new Error(`the generator ended before every switch was ready:\n${genOut}`)
  await sleep(settleS * 1000)
  const cpu0 = cpuTicks(controller.pid)
  const t0 = Date.now()
  const samples = [rssKiB(controller.pid)]
  const end = t0 + (holdS - settleS - 3) * 1000
  while (Date.now() < end - 5000) {
    await sleep(5000)
    samples.push(rssKiB(controller.pid))
  }
  const cpu1 = cpuTicks(controller.pid)
  const seconds = (Date.now() - t0) / 1000
  const p1 = await probe()
  await done
  const result = /RESULT.*/.exec(genOut)?.[0] ?? "(no RESULT line)"
  const kib = (bytes) => (bytes / 1024 / N).toFixed(2)
  console.log(`controller=${o.controller} switches=${N} ${/READY.*/.exec(genOut)[0]}`)
  console.log(
    `RSS per switch, median over the window: ${((median(samples) - rss0) / N).toFixed(2)} KiB` +
      (o.breakdown ? " (inflated by the heap snapshots of --breakdown)" : "")
  )
  console.log(
    `after a full GC, per switch: RSS ${kib(p1.rss - p0.rss)} KiB, heap used ${kib(p1.heapUsed - p0.heapUsed)} KiB, ` +
      `heap committed ${kib(p1.heapTotal - p0.heapTotal)} KiB (heap used before that GC: ${kib(p1.beforeGc.heapUsed - p0.heapUsed)} KiB)`
  )
  const spaces = Object.keys(p1.spaces).map((k) => [k, p1.spaces[k].used - p0.spaces[k].used]).filter(([, d]) => d !== 0)
  console.log(`heap spaces used, per switch: ${spaces.map(([k, d]) => `${k} ${(d / N).toFixed(0)} B`).join(", ")}`)
  console.log(`CPU at idle: ${((100 * (cpu1 - cpu0)) / clockTicks / seconds).toFixed(2)}% of a core over ${seconds.toFixed(0)} s`)
  console.log(result)
  if (o.breakdown) printBreakdown(p0.snapshot, p1.snapshot, N, Number(o.top))
} finally {
  controller.kill("SIGTERM")
  await new Promise((resolve) => controller.exitCode !== null ? resolve() : controller.on("exit", resolve))
  fs.rmSync(work, { recursive: true, force: true })
}

// Objects (and closures, arrays, strings, …) that exist at the end and did not at the start,
// grouped by constructor: what each connected switch added to the heap.
function printBreakdown(before, after, n, top) {
  const ids = new Set()
  walk(before, (node) => ids.add(node.id))
  const groups = new Map()
  let total = 0
  walk(after, (node) => {
    if (ids.has(node.id)) return
    const key = node.type === "object" || node.type === "closure" ? `${node.type} ${node.name || "(anonymous)"}` : node.type
    const g = groups.get(key) ?? { count: 0, size: 0 }
    g.count++
    g.size += node.size
    total += node.size
    groups.set(key, g)
  })
  console.log(`\nnew heap objects per switch: ${(total / n).toFixed(0)} B`)
  console.log(`${"bytes".padStart(7)} ${"count".padStart(7)}  kind`)
  for (const [key, g] of [...groups].sort((a, b) => b[1].size - a[1].size).slice(0, top)) {
    console.log(`${(g.size / n).toFixed(0).padStart(7)} ${(g.count / n).toFixed(2).padStart(7)}  ${key}`)
  }
}

function walk(file, visit) {
  const snapshot = JSON.parse(fs.readFileSync(file, "utf8"))
  const meta = snapshot.snapshot.meta
  const fields = meta.node_fields
  const types = meta.node_types[0]
  const [iType, iName, iId, iSize] = ["type", "name", "id", "self_size"].map((f) => fields.indexOf(f))
  const nodes = snapshot.nodes
  for (let i = 0; i < nodes.length; i += fields.length) {
    visit({ type: types[nodes[i + iType]], name: snapshot.strings[nodes[i + iName]], id: nodes[i + iId], size: nodes[i + iSize] })
  }
}
