// Shared plumbing of the benchmark drivers: the controllers under test, how to start one on a
// free port and stop it by PID, how to build the C load generators, and small statistics.
//
// Benchmarks of network daemons are awkward to script because every step can fail in a way that
// looks like a slow controller: a controller that has not bound its port yet refuses the first
// connections, one that crashed at start-up leaves a free port behind, and a stray process from
// an earlier run keeps a core busy and halves the next figures. So each run starts a fresh
// controller, waits until the kernel lists its port as LISTEN (reading /proc/net/tcp, so no probe
// connection reaches the controller), watches that it is still alive, and stops it by PID with
// SIGTERM and, after a grace period, SIGKILL. Nothing is ever killed by name.
import { spawn, spawnSync } from "node:child_process"
import fs from "node:fs"
import net from "node:net"
import path from "node:path"
import { fileURLToPath } from "node:url"

/** The repository root (the parent of bench/). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
/** Where binaries, logs and result files go; gitignored. */
export const outDir = path.join(repoRoot, "bench", "out")

/** Finds an executable on $PATH, or undefined. */
export const which = (name) => {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir === "") continue
    const candidate = path.join(dir, name)
    try {
      fs.accessSync(candidate, fs.constants.X_OK)
      if (fs.statSync(candidate).isFile()) return candidate
    } catch {
      // Not in this directory: keep looking.
    }
  }
  return undefined
}

/**
 * The controllers a benchmark can run. Each entry says whether it can run here (and if not,
 * why, in words a user can act on), the most switches it accepts, and the command line that
 * starts it listening on 127.0.0.1:"port". "tmp" is a private scratch directory for the run.
 */
export const controllers = {
  switchyard: {
    describe: "Switchyard examples/l2switch.js (Ryu simple_switch_13 behaviour)",
    maxSwitches: Infinity,
    unavailable: () =>
      fs.existsSync(path.join(repoRoot, "examples", "l2switch.js"))
        ? undefined
        : "examples/l2switch.js does not exist yet: the Switchyard learning switch has not landed in this checkout",
    command: (port) => ({
      cmd: process.execPath,
      args: [path.join(repoRoot, "examples", "l2switch.js"), "--ofp-tcp-listen-port", String(port), "--ofp-listen-host", "127.0.0.1"]
    })
  },
  "switchyard-w2": {
    describe: "Switchyard examples/l2switch.js with --workers 2 (a primary and two worker processes)",
    maxSwitches: Infinity,
    // The primary and its workers: CPU is the sum over all of them.
    processes: 3,
    unavailable: () =>
      fs.existsSync(path.join(repoRoot, "examples", "l2switch.js")) ? undefined : "examples/l2switch.js does not exist",
    command: (port) => ({
      cmd: process.execPath,
      args: [
        path.join(repoRoot, "examples", "l2switch.js"), "--workers", "2",
        "--ofp-tcp-listen-port", String(port), "--ofp-listen-host", "127.0.0.1"
      ]
    })
  },
  "ovs-testcontroller": {
    describe: "Open vSwitch's C learning switch (ovs-testcontroller)",
    // lib/learning-switch.c keeps a fixed table of 16 switches; the 17th connection is
    // accepted but never gets a FEATURES_REQUEST.
    maxSwitches: 16,
    unavailable: () =>
      which("ovs-testcontroller") ? undefined : "ovs-testcontroller is not installed (apt-get install openvswitch-testcontroller)",
    command: (port, tmp) => ({
      cmd: "ovs-testcontroller",
      // A learning switch (its default) speaking only OpenFlow 1.3. The control socket goes to
      // the run's scratch directory, never /var/run/openvswitch; console logging is cut to
      // warnings so rate-limited poll_loop chatter does not go through a pipe during the run.
      args: ["-O", "OpenFlow13", "-vconsole:warn", `--unixctl=${path.join(tmp, "ovs-testcontroller.ctl")}`, `ptcp:${port}:127.0.0.1`]
    })
  },
  osken: {
    describe: "os-ken (Ryu fork) with bench/osken_simple_switch_13.py",
    maxSwitches: Infinity,
    unavailable: () =>
      which("osken-manager") ? undefined : "osken-manager is not installed (apt-get install python3-os-ken)",
    command: (port) => ({
      cmd: "osken-manager",
      args: ["--ofp-tcp-listen-port", String(port), "--ofp-listen-host", "127.0.0.1", path.join(repoRoot, "bench", "osken_simple_switch_13.py")]
    })
  },
  "plain-node": {
    describe: "plain node:net learning switch, bench/baselines/plain-node-l2.mjs (ceiling reference)",
    maxSwitches: Infinity,
    unavailable: () => undefined,
    command: (port) => ({
      cmd: process.execPath,
      args: [path.join(repoRoot, "bench", "baselines", "plain-node-l2.mjs"), "--ofp-tcp-listen-port", String(port), "--ofp-listen-host", "127.0.0.1"]
    })
  }
}

/** Parses a comma-separated list of controller names, rejecting unknown ones. */
export const parseControllers = (list) => {
  const names = list.split(",").map((s) => s.trim()).filter((s) => s !== "")
  for (const name of names) {
    if (!(name in controllers)) throw new Error(`unknown controller "${name}"; known: ${Object.keys(controllers).join(", ")}`)
  }
  return names
}

/** A process and its descendants, parent first (from /proc/PID/task/TID/children). */
export const processTree = (pid) => {
  const out = [pid]
  for (let i = 0; i < out.length; i++) {
    let tasks = []
    try {
      tasks = fs.readdirSync(`/proc/${out[i]}/task`)
    } catch {
      continue
    }
    for (const tid of tasks) {
      try {
        const children = fs.readFileSync(`/proc/${out[i]}/task/${tid}/children`, "utf8").trim()
        if (children !== "") out.push(...children.split(/\s+/).map(Number))
      } catch {
        // The task ended meanwhile.
      }
    }
  }
  return out
}

/** Asks the kernel for a free TCP port on 127.0.0.1. */
export const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })

// True when some socket is in LISTEN state on "port" (IPv4 or IPv6), per /proc/net/tcp{,6}.
const isListening = (port) => {
  const hex = port.toString(16).toUpperCase().padStart(4, "0")
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text
    try {
      text = fs.readFileSync(file, "utf8")
    } catch {
      continue
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/)
      if (cols.length > 3 && cols[3] === "0A" && cols[1].endsWith(`:${hex}`)) return true
    }
  }
  return false
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** The last "n" lines of a file, for error messages. */
export const tail = (file, n = 15) => {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-n).join("\n")
  } catch {
    return "(no output)"
  }
}

/**
 * Starts controller "name" on a free port with stdout+stderr going to "logFile", and resolves
 * once its port is listening. Rejects (after stopping it) when it exits first or does not listen
 * within "timeoutMs". The result's stop() sends SIGTERM, then SIGKILL after 5 s, and resolves
 * when the process is gone.
 */
export const startController = async (name, logFile, { timeoutMs = 30000 } = {}) => {
  const spec = controllers[name]
  const port = await freePort()
  const tmp = fs.mkdtempSync(path.join(outDir, `tmp-${name}-`))
  const { cmd, args } = spec.command(port, tmp)
  const log = fs.openSync(logFile, "w")
  const child = spawn(cmd, args, { cwd: tmp, stdio: ["ignore", log, log] })
  fs.closeSync(log)
  let exited = null
  const exitPromise = new Promise((resolve) => {
    child.once("exit", (code, signal) => {
      exited = { code, signal }
      resolve(exited)
    })
    child.once("error", (error) => {
      exited = { code: null, signal: null, error }
      resolve(exited)
    })
  })
  const stop = async () => {
    if (exited === null && child.pid !== undefined) {
      process.kill(child.pid, "SIGTERM")
      const timer = setTimeout(() => {
        if (exited === null) process.kill(child.pid, "SIGKILL")
      }, 5000)
      await exitPromise
      clearTimeout(timer)
    }
    fs.rmSync(tmp, { recursive: true, force: true })
    return exited
  }
  const started = Date.now()
  while (!isListening(port)) {
    if (exited !== null) {
      await stop()
      const why = exited.error ? exited.error.message : `exit code ${exited.code}, signal ${exited.signal}`
      throw new Error(`${name} exited before listening on port ${port} (${why}); its output:\n${tail(logFile)}`)
    }
    if (Date.now() - started > timeoutMs) {
      await stop()
      throw new Error(`${name} did not listen on port ${port} within ${timeoutMs} ms; its output:\n${tail(logFile)}`)
    }
    await sleep(50)
  }
  // A controller of several processes (a primary and its workers) is measured as a whole:
  // wait until all of them exist, and report every PID.
  while ((spec.processes ?? 1) > 1 && processTree(child.pid).length < spec.processes) {
    if (exited !== null || Date.now() - started > timeoutMs) {
      await stop()
      throw new Error(`${name} did not start its ${spec.processes} processes within ${timeoutMs} ms; its output:\n${tail(logFile)}`)
    }
    await sleep(50)
  }
  return { name, port, pid: child.pid, pids: processTree(child.pid), stop, exited: () => exited }
}

/**
 * Runs a program to completion with stdout captured (and also appended to "logFile"); resolves
 * with { code, signal, stdout }. "onLine" sees each stdout line as it arrives; "cwd" defaults to
 * the driver's.
 */
export const runCaptured = (cmd, args, { logFile, onLine, cwd } = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"] })
    runCaptured.current = child
    let stdout = ""
    let partial = ""
    const log = logFile ? fs.openSync(logFile, "a") : undefined
    child.stdout.on("data", (chunk) => {
      const text = chunk.toString()
      stdout += text
      if (log !== undefined) fs.writeSync(log, text)
      if (onLine) {
        partial += text
        const lines = partial.split("\n")
        partial = lines.pop()
        for (const line of lines) onLine(line)
      }
    })
    child.stderr.on("data", (chunk) => {
      if (log !== undefined) fs.writeSync(log, chunk.toString())
    })
    child.once("error", reject)
    child.once("close", (code, signal) => {
      runCaptured.current = undefined
      if (log !== undefined) fs.closeSync(log)
      resolve({ code, signal, stdout })
    })
  })

/** Parses the key=value pairs of the last line starting with "RESULT". */
export const parseResult = (stdout) => {
  const line = stdout.split("\n").filter((l) => l.startsWith("RESULT ")).pop()
  if (line === undefined) return undefined
  const result = {}
  for (const field of line.slice(7).trim().split(/\s+/)) {
    const eq = field.indexOf("=")
    if (eq > 0) {
      const key = field.slice(0, eq)
      const value = field.slice(eq + 1)
      result[key] = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value
    }
  }
  return result
}

/**
 * Compiles a single-file C generator into bench/out when the binary is missing or older than
 * its source. Returns the binary's path; throws with the compiler's message on failure.
 */
export const buildC = (source, name) => {
  fs.mkdirSync(outDir, { recursive: true })
  const binary = path.join(outDir, name)
  const fresh = fs.existsSync(binary) && fs.statSync(binary).mtimeMs >= fs.statSync(source).mtimeMs
  if (fresh) return binary
  const cc = process.env.CC ?? (which("cc") ? "cc" : which("gcc") ? "gcc" : undefined)
  if (cc === undefined) throw new Error(`no C compiler found to build ${name} (apt-get install gcc)`)
  const result = spawnSync(cc, ["-O2", "-Wall", "-Wextra", "-std=gnu11", "-o", binary, source], { encoding: "utf8" })
  if (result.status !== 0) throw new Error(`building ${name} from ${source} failed:\n${result.stderr}`)
  return binary
}

/** The median of a list of numbers (the mean of the middle two for an even count). */
export const median = (values) => {
  const xs = values.filter((v) => typeof v === "number" && Number.isFinite(v)).sort((a, b) => a - b)
  if (xs.length === 0) return undefined
  const mid = xs.length >> 1
  return xs.length % 2 === 1 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2
}

/** Formats a number with thousands separators, or "—" when absent. */
export const fmt = (value, digits = 0) =>
  value === undefined || value === null || Number.isNaN(value)
    ? "—"
    : value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })

/** Reads a process's CPU time (utime + stime, in clock ticks) from /proc/PID/stat. */
export const cpuTicks = (pid) => {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
  // The command name (field 2) may contain spaces and parentheses: split after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
  return Number(fields[11]) + Number(fields[12])
}

/** Reads a process's resident set size in KiB from /proc/PID/status (VmRSS). */
export const rssKiB = (pid) => {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))
  return match ? Number(match[1]) : undefined
}

/** Clock ticks per second, for cpuTicks. */
export const clockTicks = (() => {
  const result = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" })
  const hz = Number(result.stdout?.trim())
  return Number.isFinite(hz) && hz > 0 ? hz : 100
})()

/** A short description of this machine for result headers. */
export const machine = () => {
  let cpu = "unknown CPU"
  try {
    cpu = /^model name\s*:\s*(.*)$/m.exec(fs.readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpu
  } catch {
    // Not Linux: keep the placeholder.
  }
  const os = (() => {
    try {
      return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(fs.readFileSync("/etc/os-release", "utf8"))?.[1]
    } catch {
      return undefined
    }
  })()
  const cores = spawnSync("nproc", [], { encoding: "utf8" }).stdout?.trim()
  const memGiB = (() => {
    try {
      const kb = Number(/^MemTotal:\s+(\d+)/m.exec(fs.readFileSync("/proc/meminfo", "utf8"))?.[1])
      return (kb / 1024 / 1024).toFixed(0)
    } catch {
      return "?"
    }
  })()
  return `${cores} cores (${cpu}), ${memGiB} GiB, ${os ?? process.platform}, Node.js ${process.version}`
}
