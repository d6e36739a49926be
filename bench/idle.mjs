#!/usr/bin/env node
// The idle-connection benchmark: what thousands of connected, quiet switches cost a controller.
//
// A production controller spends most of its life with every switch connected and nothing to
// do but keepalives, so resident memory per switch and CPU at idle matter as much as packet-in
// rate. Measuring them is awkward: RSS moves with garbage collection and allocator caching, so
// one sample says little; the handshake of 10,000 switches is itself a load spike that must be
// over before "idle" begins; and idle is not silent (both the controller and the switches send
// ECHO_REQUESTs). So the generator (bench/idle.c, built into bench/out/ofidle) first brings every
// switch through the handshake and prints READY; the driver then waits --settle seconds, samples
// the controller's VmRSS every 5 s and its CPU time at both ends of the window, and stops just
// before the generator ends the hold. Memory per switch is (median RSS held - RSS before any
// switch connected) / switches.
//
// Usage: node bench/idle.mjs [--controllers plain-node,switchyard,osken] [--switches 10000]
//          [--hold 300] [--settle 10] [--probe 5] [--rate 2000] [--rounds 1]
// `node bench/run.mjs --suite idle` runs the same thing as part of the benchmark report.
import fs from "node:fs"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import {
  buildC,
  clockTicks,
  controllers,
  cpuTicks,
  fmt,
  machine,
  median,
  outDir,
  parseControllers,
  parseResult,
  processTree,
  repoRoot,
  rssKiB,
  runCaptured,
  startController
} from "./lib.mjs"

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// Reads /proc for a controller that may have died meanwhile: undefined instead of a throw from
// a timer callback, which would take the whole driver down with the controller. A controller of
// several processes (a primary and its workers) is measured as the sum over its process tree.
const probe = (read, pid) => {
  try {
    return processTree(pid).reduce((sum, p) => sum + read(p), 0)
  } catch {
    return undefined
  }
}

// One measurement of one controller. Resolves with the figures, or with { error } when the
// controller could not be started or the generator failed before READY.
const measureOnce = async ({ name, ofidle, switches, holdS, settleS, probeS, rate, logFile, setRunning }) => {
  let controller
  try {
    controller = await startController(name, logFile)
  } catch (error) {
    return { error: `could not start: ${error.message}` }
  }
  setRunning(controller)
  const pid = controller.pid
  try {
    // Let the runtime finish starting (JIT, lazy imports) before the "before" sample.
    await sleep(2000)
    const rssBefore = probe(rssKiB, pid)
    const samples = []
    let window
    let readyMs
    const timers = []
    const onLine = (line) => {
      const ready = /^READY switches=\d+ handshake_ms=(\d+)/.exec(line)
      if (!ready) return
      readyMs = Number(ready[1])
      // The window runs from settle to one second before the hold ends, so neither the tail of
      // the handshake nor the generator's final close is inside it.
      const endMs = Math.max(settleS + 1, holdS - 1) * 1000
      timers.push(
        setTimeout(() => {
          window = { t0: Date.now(), cpu0: probe(cpuTicks, pid) }
          samples.push(probe(rssKiB, pid))
          const every = setInterval(() => samples.push(probe(rssKiB, pid)), 5000)
          timers.push(every)
        }, settleS * 1000),
        setTimeout(() => {
          if (window === undefined) return
          window.t1 = Date.now()
          window.cpu1 = probe(cpuTicks, pid)
          samples.push(probe(rssKiB, pid))
          for (const t of timers) clearTimeout(t)
        }, endMs)
      )
    }
    // The handshake timeout leaves twice the pacing time plus a margin, so a slow controller
    // is reported as slow rather than cut off by the generator's own pacing.
    const args = ["-p", String(controller.port), "-s", String(switches), "-d", String(holdS), "-e", String(probeS), "-i", "30",
      "-r", String(rate), "-T", String(Math.max(60, Math.ceil((2 * switches) / rate) + 30))]
    const { code, stdout } = await runCaptured(ofidle, args, { logFile: logFile.replace(/\.log$/, ".ofidle.log"), onLine })
    for (const t of timers) clearTimeout(t)
    const result = parseResult(stdout)
    const exited = controller.exited()
    if (readyMs === undefined || window?.t1 === undefined) {
      return {
        error: `generator ended before the measurement window (exit ${code}, ${result?.status ?? "no RESULT line"}` +
          `${exited ? `, controller exited ${exited.code ?? exited.signal}` : ""}); see ${path.relative(repoRoot, logFile)}`
      }
    }
    const heldKiB = median(samples)
    const seconds = (window.t1 - window.t0) / 1000
    return {
      status: exited ? `controller exited (${exited.code ?? exited.signal})` : (result?.status ?? `exit ${code}`),
      readyMs,
      rssBeforeMiB: rssBefore / 1024,
      rssHeldMiB: heldKiB / 1024,
      rssPeakMiB: Math.max(...samples.filter((v) => v !== undefined)) / 1024,
      perSwitchKiB: (heldKiB - rssBefore) / switches,
      cpuPct: (100 * (window.cpu1 - window.cpu0)) / clockTicks / seconds,
      windowS: seconds,
      echoPerSwitchMin: result ? result.echo_req_rx / switches / (holdS / 60) : undefined,
      probes: result ? `${result.probes_answered}/${result.probes_tx}` : "—",
      lost: result ? result.closed_by_controller + result.closed_probe : undefined
    }
  } finally {
    await controller.stop()
    setRunning(undefined)
  }
}

/**
 * Runs the idle suite for "controllerNames" and reports a markdown table through "say".
 * Returns false when any run failed.
 */
export const runIdleSuite = async ({ controllerNames, rounds = 1, switches, holdS, settleS, probeS, rate = 2000, say, stamp, setRunning = () => {} }) => {
  say(`## Idle switches (${fmt(switches)} switches held ${holdS} s, keepalive by echo)`)
  say()
  if (holdS < settleS + 10) {
    say(`bench: --hold (${holdS} s) must be at least --settle (${settleS} s) + 10 s to leave a measurement window.`)
    return false
  }
  let ofidle
  try {
    ofidle = buildC(path.join(repoRoot, "bench", "idle.c"), "ofidle")
  } catch (error) {
    say(`bench: ${error.message}`)
    return false
  }
  fs.mkdirSync(path.join(outDir, "logs"), { recursive: true })
  say(`Machine: ${machine()}. Generator: bench/out/ofidle, ${rate} new connections/s, switch-side echo probe every ${probeS} s (0 = off). ` +
    `Window: from ${settleS} s after the last handshake to 1 s before the hold ends; RSS sampled every 5 s.`)
  say()
  const names = []
  for (const name of controllerNames) {
    const why = controllers[name].unavailable()
    if (why !== undefined) say(`- skipping ${name}: ${why}`)
    else if (switches > controllers[name].maxSwitches) say(`- skipping ${name}: it accepts at most ${controllers[name].maxSwitches} switches`)
    else names.push(name)
  }
  const results = Object.fromEntries(names.map((n) => [n, []]))
  let ok = true
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length]
      const logFile = path.join(outDir, "logs", `${stamp}-idle${switches}-${name}-r${round + 1}.log`)
      console.error(`  idle ${name} round ${round + 1}/${rounds}: ${switches} switches for ${holdS} s ...`)
      const r = await measureOnce({ name, ofidle, switches, holdS, settleS, probeS, rate, logFile, setRunning })
      results[name].push(r)
      if (r.error !== undefined || r.status !== "ok") ok = false
      console.error(
        r.error !== undefined
          ? `  idle ${name}: ${r.error}`
          : `  idle ${name}: ${r.status} RSS ${fmt(r.rssBeforeMiB, 1)} -> ${fmt(r.rssHeldMiB, 1)} MiB, ` +
              `${fmt(r.perSwitchKiB, 1)} KiB/switch, CPU ${fmt(r.cpuPct, 2)}%, lost ${fmt(r.lost)}`
      )
    }
  }
  say("| controller | handshake of all (s) | RSS before (MiB) | RSS held (MiB) | peak (MiB) | per switch (KiB) | CPU at idle (% of a core) | controller echoes /switch/min | switch probes answered | switches lost | runs ok |")
  say("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
  for (const name of names) {
    const good = results[name].filter((r) => r.error === undefined)
    const pick = (key) => median(good.map((r) => r[key]))
    const errors = results[name].filter((r) => r.error !== undefined).map((r) => r.error)
    const statuses = [...new Set(good.map((r) => r.status).filter((s) => s !== "ok"))]
    say(
      `| ${name} | ${fmt(pick("readyMs") / 1000, 1)} | ${fmt(pick("rssBeforeMiB"), 1)} | ${fmt(pick("rssHeldMiB"), 1)} | ` +
        `${fmt(pick("rssPeakMiB"), 1)} | ${fmt(pick("perSwitchKiB"), 1)} | ${fmt(pick("cpuPct"), 2)} | ${fmt(pick("echoPerSwitchMin"), 1)} | ` +
        `${good.map((r) => r.probes).join(", ") || "—"} | ${fmt(Math.max(0, ...good.map((r) => r.lost ?? 0)))} | ` +
        `${good.filter((r) => r.status === "ok").length}/${results[name].length}${[...statuses, ...errors].length ? ` (${[...statuses, ...errors].join("; ")})` : ""} |`
    )
  }
  say()
  fs.writeFileSync(path.join(outDir, `results-${stamp}-idle.json`), JSON.stringify({ machine: machine(), switches, holdS, settleS, probeS, results }, null, 2))
  return ok
}

// Run directly: the idle suite alone.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values: o } = parseArgs({
    options: {
      controllers: { type: "string", default: "plain-node,switchyard,osken" },
      switches: { type: "string", default: "10000" },
      hold: { type: "string", default: "300" },
      settle: { type: "string", default: "10" },
      probe: { type: "string", default: "5" },
      rate: { type: "string", default: "2000" },
      rounds: { type: "string", default: "1" },
      help: { type: "boolean", short: "h", default: false }
    }
  })
  if (o.help) {
    console.log("usage: node bench/idle.mjs [--controllers plain-node,switchyard,osken] [--switches 10000] [--hold 300] [--settle 10] [--probe 5] [--rate 2000] [--rounds 1]")
    process.exit(0)
  }
  const num = (name) => {
    const n = Number(o[name])
    if (!Number.isInteger(n) || n < 0) {
      console.error(`idle: --${name} must be a non-negative integer`)
      process.exit(1)
    }
    return n
  }
  let names
  try {
    names = parseControllers(o.controllers)
  } catch (error) {
    console.error(`idle: ${error.message}`)
    process.exit(1)
  }
  let running
  process.on("SIGINT", async () => {
    runCaptured.current?.kill("SIGTERM")
    await running?.stop()
    process.exit(130)
  })
  const ok = await runIdleSuite({
    controllerNames: names,
    rounds: Math.max(1, num("rounds")),
    switches: Math.max(1, num("switches")),
    holdS: num("hold"),
    settleS: num("settle"),
    probeS: num("probe"),
    rate: Math.max(1, num("rate")),
    say: (t = "") => console.log(t),
    stamp: new Date().toISOString().replace(/[:.]/g, "-"),
    setRunning: (c) => {
      running = c
    }
  })
  process.exit(ok ? 0 : 1)
}
