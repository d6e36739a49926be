#!/usr/bin/env node
// `npm run bench`: measures Switchyard side by side with other OpenFlow controllers.
//
// Controller benchmarks are only comparable within one session on one machine: absolute figures
// move by tens of percent between runs on a shared 2-core VM, so every figure here is a median
// over rounds in which the controllers take turns (the order rotates each round, so none always
// runs first on a cold cache), each run against a freshly started controller, and the tables
// report ratios next to the absolute numbers. The load comes from ofbench (a cbench-style
// generator, built from ../shared/tools/ofbench or $OFBENCH_SRC into bench/out); idle-connection
// memory and CPU come from bench/idle.mjs with its own generator (bench/idle.c).
//
// Nothing here is part of `npm test`: speed goals live in benchmarks, never in timed unit tests.
//
// Usage: node bench/run.mjs [--suite openflow|idle|codec|all[,...]]
//          [--scenario throughput16,latency16,latency1] [--rounds 3]
//          [--controllers switchyard,ovs-testcontroller,osken,plain-node]
//          [--loops 5] [--loop-ms 1000] [--warmup 1] [--ofbench-args "-L 128"]
//          idle suite: [--switches 10000] [--hold 300] [--settle 10] [--probe 5] [--rate 2000]
// Scenarios are <mode><switches>: throughput16, latency1, throughput1000, latency64, ...
import fs from "node:fs"
import path from "node:path"
import { parseArgs } from "node:util"
import {
  buildC,
  controllers,
  fmt,
  machine,
  median,
  outDir,
  parseControllers,
  parseResult,
  repoRoot,
  runCaptured,
  startController
} from "./lib.mjs"
import { runIdleSuite } from "./idle.mjs"

const usage = `usage: node bench/run.mjs [options]
  --suite LIST        openflow (default), idle, codec, all; comma-separated
  --controllers LIST  ${Object.keys(controllers).join(",")} (default: all of them; missing ones are reported and skipped)
  --rounds N          alternating rounds per scenario (default 3)
 openflow suite (ofbench):
  --scenario LIST     <throughput|latency><switches>, comma-separated
                      (default throughput16,latency16,latency1; e.g. throughput64,throughput1000)
  --loops N           measured loops of one ofbench run (default 5)
  --loop-ms MS        length of one loop (default 1000)
  --warmup N          warm-up loops (default 1)
  --ofbench-args STR  extra ofbench flags, e.g. "-L 128 -B"
 idle suite (bench/idle.mjs):
  --switches N        idle switches (default 10000)
  --hold SECS         how long they stay connected (default 300)
  --settle SECS       wait after the handshake before measuring (default 10)
  --probe SECS        switch-side echo probe interval, as Open vSwitch (default 5; 0 = off)
  --rate N            new switch connections per second (default 2000)
 codec suite: node packages/openflow/bench/run.mjs and node packages/packet/dist/bench/decode.js
                      (the fuzzers are not benchmarks: npm run fuzz)
Environment: OFBENCH_SRC=dir-or-file with ofbench.c (default ../shared/tools/ofbench from the repo root).`

const { values: opts } = parseArgs({
  options: {
    suite: { type: "string", default: "openflow" },
    scenario: { type: "string", default: "throughput16,latency16,latency1" },
    rounds: { type: "string", default: "3" },
    controllers: { type: "string", default: Object.keys(controllers).join(",") },
    loops: { type: "string", default: "5" },
    "loop-ms": { type: "string", default: "1000" },
    warmup: { type: "string", default: "1" },
    "ofbench-args": { type: "string", default: "" },
    switches: { type: "string", default: "10000" },
    hold: { type: "string", default: "300" },
    settle: { type: "string", default: "10" },
    probe: { type: "string", default: "5" },
    rate: { type: "string", default: "2000" },
    help: { type: "boolean", short: "h", default: false }
  }
})
if (opts.help) {
  console.log(usage)
  process.exit(0)
}

const positiveInt = (name, value) => {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) {
    console.error(`bench: --${name} must be a non-negative integer, got "${value}"\n\n${usage}`)
    process.exit(1)
  }
  return n
}

const suites = new Set(opts.suite.split(",").map((s) => s.trim()))
if (suites.has("all")) for (const s of ["openflow", "idle", "codec"]) suites.add(s)
suites.delete("all")
for (const s of suites) {
  if (!["openflow", "idle", "codec"].includes(s)) {
    console.error(`bench: unknown suite "${s}"\n\n${usage}`)
    process.exit(1)
  }
}
let controllerNames
try {
  controllerNames = parseControllers(opts.controllers)
} catch (error) {
  console.error(`bench: ${error.message}`)
  process.exit(1)
}
const rounds = Math.max(1, positiveInt("rounds", opts.rounds))

fs.mkdirSync(path.join(outDir, "logs"), { recursive: true })
const stamp = new Date().toISOString().replace(/[:.]/g, "-")
const report = []
const say = (text = "") => {
  console.log(text)
  report.push(text)
}

// Stops whatever is running when the user interrupts, so no controller outlives the driver.
let running
process.on("SIGINT", async () => {
  console.error("\nbench: interrupted, stopping the controller under test")
  runCaptured.current?.kill("SIGTERM")
  await running?.stop()
  process.exit(130)
})

const available = () => {
  const usable = []
  for (const name of controllerNames) {
    const why = controllers[name].unavailable()
    if (why === undefined) usable.push(name)
    else say(`- skipping ${name}: ${why}`)
  }
  return usable
}

// Locates ofbench's source: $OFBENCH_SRC (a directory or the .c file) or ../shared/tools/ofbench.
const ofbenchSource = () => {
  const fromEnv = process.env.OFBENCH_SRC
  const candidates = fromEnv
    ? [fromEnv, path.join(fromEnv, "ofbench.c")]
    : [path.resolve(repoRoot, "..", "shared", "tools", "ofbench", "ofbench.c")]
  return candidates.find((c) => c.endsWith(".c") && fs.existsSync(c))
}

// The 1-minute load average, recorded with each run so a reader can tell a quiet machine from
// a shared one.
const loadAverage = () => {
  try {
    return Number(fs.readFileSync("/proc/loadavg", "utf8").split(" ")[0])
  } catch {
    return undefined
  }
}

const parseScenario = (name) => {
  const match = /^(throughput|latency)(\d+)$/.exec(name)
  if (!match || Number(match[2]) < 1) {
    throw new Error(`bad scenario "${name}": expected throughput<N> or latency<N>, e.g. throughput16`)
  }
  return { name, mode: match[1], switches: Number(match[2]) }
}

// Per-switch spread from ofbench -v: sums the "answered per switch" lines of measured loops.
const perSwitchSpread = (stdout) => {
  let totals
  let warm = false
  for (const line of stdout.split("\n")) {
    const loop = /^loop\s+\d+\/\d+(w?)/.exec(line)
    if (loop) {
      warm = loop[1] === "w"
      continue
    }
    if (line.startsWith("   answered per switch:") && !warm) {
      const counts = line.slice(line.indexOf(":") + 1).trim().split(/\s+/).map(Number)
      totals = totals ? totals.map((v, i) => v + (counts[i] ?? 0)) : counts
    }
  }
  if (!totals || totals.length === 0) return undefined
  const mean = totals.reduce((a, b) => a + b, 0) / totals.length
  const min = Math.min(...totals)
  const max = Math.max(...totals)
  const sd = Math.sqrt(totals.reduce((a, v) => a + (v - mean) ** 2, 0) / totals.length)
  return {
    minOverMean: mean > 0 ? min / mean : 0,
    maxOverMean: mean > 0 ? max / mean : 0,
    cv: mean > 0 ? sd / mean : 0,
    starved: totals.filter((v) => v === 0).length
  }
}

const runOpenflowSuite = async () => {
  say("## OpenFlow load (ofbench)")
  say()
  let scenarios
  try {
    scenarios = opts.scenario.split(",").map((s) => parseScenario(s.trim()))
  } catch (error) {
    say(`bench: ${error.message}`)
    return false
  }
  const source = ofbenchSource()
  if (source === undefined) {
    say(
      [
        "ofbench was not found, so the OpenFlow load runs are skipped.",
        process.env.OFBENCH_SRC
          ? `  $OFBENCH_SRC=${process.env.OFBENCH_SRC} holds no ofbench.c.`
          : `  Looked for ${path.resolve(repoRoot, "..", "shared", "tools", "ofbench", "ofbench.c")}.`,
        "  Point $OFBENCH_SRC at a directory containing ofbench.c (a single-file C program, libc only),",
        "  or drive a cbench-style generator by hand: cbench from the OFlops suite emulates switches the",
        "  same way (`cbench -c 127.0.0.1 -p PORT -s 16 -l 10 -t` for throughput, without -t for latency)",
        "  against a controller started as docs/performance.md shows."
      ].join("\n")
    )
    return false
  }
  let ofbench
  try {
    ofbench = buildC(source, "ofbench")
  } catch (error) {
    say(`bench: ${error.message}`)
    return false
  }
  const names = available()
  if (names.length === 0) {
    say("bench: no controller can run here; nothing measured.")
    return false
  }
  const loops = positiveInt("loops", opts.loops)
  const loopMs = positiveInt("loop-ms", opts["loop-ms"])
  const warmup = positiveInt("warmup", opts.warmup)
  const extra = opts["ofbench-args"].split(/\s+/).filter((s) => s !== "")
  say(`Machine: ${machine()}. ofbench: ${source}. ${rounds} alternating round(s), ${loops} × ${loopMs} ms loops after ${warmup} warm-up.`)
  say()

  const runs = []
  let ok = true
  for (const scenario of scenarios) {
    for (let round = 0; round < rounds; round++) {
      // Rotate the order each round so no controller always runs first or last.
      const order = names.map((_, i) => names[(i + round) % names.length])
      for (const name of order) {
        const spec = controllers[name]
        if (scenario.switches > spec.maxSwitches) continue
        const label = `${scenario.name} ${name} round ${round + 1}/${rounds}`
        const logFile = path.join(outDir, "logs", `${stamp}-${scenario.name}-${name}-r${round + 1}.log`)
        const record = { scenario: scenario.name, controller: name, round: round + 1, load: loadAverage() }
        runs.push(record)
        try {
          running = await startController(name, logFile)
        } catch (error) {
          record.status = "start_failed"
          say(`- ${label}: could not start: ${error.message}`)
          ok = false
          continue
        }
        const args = [
          "-p", String(running.port), "-s", String(scenario.switches), "-l", String(loops), "-m", String(loopMs),
          "-w", String(warmup), ...running.pids.flatMap((pid) => ["-C", String(pid)]),
          // Large switch counts need longer for the handshake and the learning phase.
          "-T", String(Math.max(10000, scenario.switches * 30)), "-E", String(Math.max(30000, scenario.switches * 60))
        ]
        if (scenario.mode === "throughput") args.push("-t")
        if (scenario.switches > 16) args.push("-v")
        args.push(...extra)
        const benchLog = logFile.replace(/\.log$/, ".ofbench.log")
        const { code, stdout } = await runCaptured(ofbench, args, { logFile: benchLog })
        const exited = running.exited()
        await running.stop()
        running = undefined
        const result = parseResult(stdout)
        record.code = code
        record.result = result
        record.status = result?.status ?? `exit ${code}`
        if (scenario.switches > 16) record.spread = perSwitchSpread(stdout)
        // ofbench's RESULT covers the measured loops only; packet-ins lost in the learning burst
        // before them (every switch sending a full window at once) are reported here.
        const learning = /^learning: (\d+) packet-ins sent, (\d+) answered in \d+ ms( \(timed out)?/m.exec(stdout)
        if (learning) {
          record.learning = { sent: Number(learning[1]), answered: Number(learning[2]), timedOut: learning[3] !== undefined }
          if (record.learning.timedOut && record.status === "ok") {
            record.status = "learning phase timed out"
          }
        }
        if (exited !== null) record.status = `controller exited (${exited.code ?? exited.signal})`
        if (record.status !== "ok") ok = false
        const r = result ?? {}
        console.error(
          `  ${label}: ${record.status} answered/s ${fmt(r.answered_per_s_median)} p50 ${fmt(r.lat_p50_us)} us ` +
            `p99 ${fmt(r.lat_p99_us)} us ctrl_cpu ${fmt(r.ctrl_cpu_pct)}% unanswered ${fmt(r.unanswered)}` +
            (record.learning ? ` learning ${fmt(record.learning.answered)}/${fmt(record.learning.sent)} answered` : "")
        )
      }
    }
  }

  for (const scenario of scenarios) {
    const rows = names.map((name) => {
      const mine = runs.filter((r) => r.scenario === scenario.name && r.controller === name)
      // Runs whose learning phase timed out still have valid load figures; they count as not ok.
      const good = mine.filter((r) => r.result !== undefined && r.result.status === "ok")
      const learningLost = mine.reduce((a, r) => a + (r.learning ? r.learning.sent - r.learning.answered : 0), 0)
      const pick = (key) => median(good.map((r) => r.result[key]))
      return {
        name,
        skipped: scenario.switches > controllers[name].maxSwitches,
        runs: mine.length,
        ok: mine.filter((r) => r.status === "ok").length,
        answered: pick("answered_per_s_median"),
        responses: pick("responses_per_s_median"),
        p50: pick("lat_p50_us"),
        p99: pick("lat_p99_us"),
        cpu: pick("ctrl_cpu_pct"),
        unanswered: mine.reduce((a, r) => a + (r.result?.unanswered ?? 0), 0),
        learningLost,
        statuses: [...new Set(mine.map((r) => r.status).filter((s) => s !== "ok"))],
        minOverMean: median(good.map((r) => r.spread?.minOverMean)),
        maxOverMean: median(good.map((r) => r.spread?.maxOverMean)),
        starved: Math.max(0, ...good.map((r) => r.spread?.starved ?? 0))
      }
    })
    // Ratios are paired: each run is divided by the reference's run of the same round, and the
    // median of those is reported. Neighbouring runs share the machine's state (other load,
    // thermal and cache effects), so this is steadier than dividing the two medians.
    const pairedRatio = (name, refName) => {
      const ratios = []
      for (let round = 1; round <= rounds; round++) {
        const find = (n) => runs.find((r) => r.scenario === scenario.name && r.controller === n && r.round === round && r.result?.status === "ok")
        const mine = find(name)?.result?.answered_per_s_median
        const base = find(refName)?.result?.answered_per_s_median
        if (mine !== undefined && base) ratios.push(mine / base)
      }
      const m = median(ratios)
      return m === undefined ? "—" : `${m.toFixed(2)}×`
    }
    say(`### ${scenario.name}: ${scenario.mode} mode, ${scenario.switches} switch${scenario.switches === 1 ? "" : "es"}`)
    say()
    const spread = scenario.switches > 16
    say(
      "| controller | answered packet-ins/s | vs ovs-testcontroller | vs plain-node | responses/s | latency p50 µs | p99 µs | controller CPU % | unanswered (load / learning) |" +
        (spread ? " per-switch min/mean | max/mean | switches with 0 answers |" : "") +
        " runs ok |"
    )
    say("|---|---:|---:|---:|---:|---:|---:|---:|---:|" + (spread ? "---:|---:|---:|" : "") + "---|")
    for (const row of rows) {
      if (row.skipped) {
        say(`| ${row.name} | n/a: accepts at most ${controllers[row.name].maxSwitches} switches |${" — |".repeat(spread ? 11 : 8)}`)
        continue
      }
      const notes = row.statuses.length > 0 ? ` (${row.statuses.join(", ")})` : ""
      say(
        `| ${row.name} | ${fmt(row.answered)} | ${pairedRatio(row.name, "ovs-testcontroller")} | ${pairedRatio(row.name, "plain-node")} | ${fmt(row.responses)} | ` +
          `${fmt(row.p50)} | ${fmt(row.p99)} | ${fmt(row.cpu)} | ${fmt(row.unanswered)} / ${fmt(row.learningLost)} |` +
          (spread ? ` ${fmt(row.minOverMean, 2)} | ${fmt(row.maxOverMean, 2)} | ${fmt(row.starved)} |` : "") +
          ` ${row.ok}/${row.runs}${notes} |`
      )
    }
    say()
  }
  say("Medians over rounds of each run's median loop (answered/s, responses/s) and of each run's latency percentiles;")
  say("ratios are medians of per-round ratios (each run against the reference's run in the same round).")
  say(`Load average (1 min) at the start of the runs: median ${fmt(median(runs.map((r) => r.load)), 2)}, max ${fmt(Math.max(...runs.map((r) => r.load ?? 0)), 2)} (the benchmark itself keeps about 2 processes busy; well above that, other work shared the 2 cores).`)
  say("A learning switch answers an unbuffered packet-in with a FLOW_MOD and a PACKET_OUT, so responses/s ≈ 2 × answered/s.")
  say("Unanswered: packet-ins given up during the measured loops / never answered in the learning phase before them")
  say("(every switch sends its first window of broadcast packet-ins at once; summed over all runs).")
  say()
  fs.writeFileSync(path.join(outDir, `results-${stamp}-openflow.json`), JSON.stringify({ machine: machine(), opts, runs }, null, 2))
  return ok
}

// The codec micro-benchmarks, each a plain Node program printing its own table. They are
// separate from the ofbench runs because they measure one function, not a controller:
// - @switchyard/openflow: `packages/openflow/bench/run.mjs`, the package's entry point, which
//   builds the package and runs every `bench/*.bench.mjs` in its own process;
// - @switchyard/packet: `packages/packet/dist/bench/decode.js`, compiled from
//   `packages/packet/bench/` (built here first with `tsc -b packages/packet/bench`).
// The fuzzers that live beside them (`packages/openflow/bench/fuzz.mjs`,
// `packages/packet/dist/bench/fuzz.js`) are correctness tools, not benchmarks: they run with
// `npm run fuzz`, never here.
const codecBenchmarks = [
  { name: "@switchyard/openflow codec", script: path.join("packages", "openflow", "bench", "run.mjs") },
  { name: "@switchyard/packet decode", build: path.join("packages", "packet", "bench"), script: path.join("packages", "packet", "dist", "bench", "decode.js") }
]

const runCodecSuite = async () => {
  say("## Codec micro-benchmarks")
  say()
  let ok = true
  for (const bench of codecBenchmarks) {
    say(`### ${bench.name}: \`node ${bench.script}\``)
    say()
    const log = path.join(outDir, "logs", `${stamp}-codec-${path.basename(path.dirname(path.dirname(bench.script)))}-${path.basename(bench.script, path.extname(bench.script))}.log`)
    if (bench.build !== undefined) {
      const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc")
      const built = await runCaptured(process.execPath, [tsc, "-b", path.join(repoRoot, bench.build)], { logFile: log })
      if (built.code !== 0) {
        say(`(not run: \`tsc -b ${bench.build}\` failed, see ${path.relative(repoRoot, log)})`)
        say()
        ok = false
        continue
      }
    }
    if (!fs.existsSync(path.join(repoRoot, bench.script))) {
      say(`(not run: ${bench.script} does not exist in this checkout)`)
      say()
      ok = false
      continue
    }
    const { code, stdout } = await runCaptured(process.execPath, [path.join(repoRoot, bench.script)], { logFile: log, cwd: repoRoot })
    say(stdout.trimEnd())
    say()
    if (code !== 0) {
      say(`(exited with status ${code})`)
      ok = false
    }
  }
  return ok
}

say(`# Switchyard benchmark, ${new Date().toISOString()}`)
say()
let allOk = true
if (suites.has("openflow")) allOk = (await runOpenflowSuite()) && allOk
if (suites.has("idle")) {
  const idleOk = await runIdleSuite({
    controllerNames,
    rounds,
    switches: positiveInt("switches", opts.switches),
    holdS: positiveInt("hold", opts.hold),
    settleS: positiveInt("settle", opts.settle),
    probeS: positiveInt("probe", opts.probe),
    rate: Math.max(1, positiveInt("rate", opts.rate)),
    say,
    stamp,
    setRunning: (c) => {
      running = c
    }
  })
  allOk = idleOk && allOk
}
if (suites.has("codec")) allOk = (await runCodecSuite()) && allOk
const reportFile = path.join(outDir, `results-${stamp}.md`)
fs.writeFileSync(reportFile, report.join("\n") + "\n")
console.error(`bench: report written to ${path.relative(process.cwd(), reportFile)}; logs in ${path.relative(process.cwd(), path.join(outDir, "logs"))}`)
process.exit(allOk ? 0 : 1)
