/**
 * Child processes for the end-to-end suite: daemons started and stopped by PID, one-shot
 * commands with their output, free ports, and polling until a condition holds.
 *
 * End-to-end tests run real programs (ovsdb-server, ovs-vswitchd, a controller), and every one
 * of them can outlive a failed test: an assertion that throws before `stop()` would leave an
 * `ovs-vswitchd` running, holding a port and a core, and poison every later test and benchmark
 * on the machine. So each daemon is registered when it starts and unregistered only once it has
 * exited; `stop()` sends SIGTERM and then SIGKILL after a grace period, and a process `exit`
 * hook SIGKILLs whatever is still registered if the test worker dies first. Nothing is killed by
 * name: other OVS instances on the machine (the system's, another test run's) are never touched.
 *
 * @since 0.1.0
 */
import { execFile, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as path from "node:path"

/**
 * A daemon started by {@link spawnDaemon}.
 *
 * @category models
 * @since 0.1.0
 */
export interface Daemon {
  /** A short name used in error messages, e.g. "ovs-vswitchd". */
  readonly name: string
  /** The operating-system process id. */
  readonly pid: number
  /** The file receiving the daemon's stdout and stderr. */
  readonly logFile: string
  /** How the process ended, or undefined while it runs. */
  readonly exitStatus: () => ExitStatus | undefined
  /** Resolves when the process has exited. */
  readonly exited: Promise<ExitStatus>
  /** SIGTERM, then SIGKILL after `graceMs` (default 5000); resolves once the process is gone. */
  readonly stop: (graceMs?: number) => Promise<ExitStatus>
}

/**
 * How a process ended: its exit code, or the signal that killed it.
 *
 * @category models
 * @since 0.1.0
 */
export interface ExitStatus {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

// Every daemon still running. The exit hook below kills these if the worker ends abruptly.
const live = new Map<number, string>()
let hookInstalled = false
const installExitHook = () => {
  if (hookInstalled) return
  hookInstalled = true
  process.on("exit", () => {
    for (const pid of live.keys()) {
      try {
        process.kill(pid, "SIGKILL")
      } catch {
        // Already gone between the last event-loop turn and now.
      }
    }
  })
}

/**
 * The PIDs of daemons started by this process that have not exited yet.
 *
 * **When to use**: in a harness test, to check that teardown left nothing behind.
 *
 * @category getters
 * @since 0.1.0
 */
export const livePids = (): ReadonlyArray<number> => [...live.keys()]

/**
 * Starts "command" as a daemon in the foreground (never `--detach`, so its PID is known without
 * reading a pidfile), with stdout and stderr appended to "logFile".
 *
 * **Gotchas**: the promise resolves as soon as the process is spawned, not when it is ready;
 * wait for its socket or port with {@link waitFor}. A command that cannot be found rejects.
 *
 * @category constructors
 * @since 0.1.0
 */
export const spawnDaemon = (
  name: string,
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv; readonly logFile: string }
): Promise<Daemon> =>
  new Promise((resolve, reject) => {
    installExitHook()
    const log = fs.openSync(options.logFile, "a")
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", log, log] })
    fs.closeSync(log)
    let status: ExitStatus | undefined
    let resolveExit: (s: ExitStatus) => void = () => {}
    const exited = new Promise<ExitStatus>((r) => {
      resolveExit = r
    })
    child.once("error", (error) => {
      if (child.pid !== undefined) live.delete(child.pid)
      status = { code: null, signal: null }
      resolveExit(status)
      reject(new Error(`${name}: could not start ${command}: ${error.message}`))
    })
    child.once("exit", (code, signal) => {
      if (child.pid !== undefined) live.delete(child.pid)
      status = { code, signal }
      resolveExit(status)
    })
    child.once("spawn", () => {
      const pid = child.pid as number
      live.set(pid, name)
      const stop = async (graceMs = 5000): Promise<ExitStatus> => {
        if (status !== undefined) return status
        child.kill("SIGTERM")
        const timer = setTimeout(() => {
          if (status === undefined) child.kill("SIGKILL")
        }, graceMs)
        const result = await exited
        clearTimeout(timer)
        return result
      }
      resolve({ name, pid, logFile: options.logFile, exitStatus: () => status, exited, stop })
    })
  })

/**
 * Runs "command" to completion and resolves with its stdout; rejects with the command line,
 * exit status and stderr when it fails or runs longer than "timeoutMs" (default 20 s).
 *
 * @category constructors
 * @since 0.1.0
 */
export const run = (
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly env?: NodeJS.ProcessEnv; readonly cwd?: string; readonly timeoutMs?: number } = {}
): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { env: options.env ?? process.env, cwd: options.cwd, timeout: options.timeoutMs ?? 20000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`${command} ${args.join(" ")} failed (${error.message.split("\n")[0]}):\n${stderr}`))
        } else {
          resolve(stdout)
        }
      }
    )
  })

/**
 * The full path of executable "name" on $PATH or in the sbin directories (where ovs-vswitchd
 * and ovsdb-server live, and which a non-root PATH may lack), or undefined.
 *
 * @category getters
 * @since 0.1.0
 */
export const findExecutable = (name: string): string | undefined => {
  const dirs = [...(process.env["PATH"] ?? "").split(path.delimiter), "/usr/sbin", "/usr/local/sbin", "/sbin"]
  for (const dir of dirs) {
    if (dir === "") continue
    const candidate = path.join(dir, name)
    try {
      fs.accessSync(candidate, fs.constants.X_OK)
      if (fs.statSync(candidate).isFile()) return candidate
    } catch {
      // Not here: keep looking.
    }
  }
  return undefined
}

/**
 * True when {@link findExecutable} finds "name".
 *
 * @category predicates
 * @since 0.1.0
 */
export const isExecutableOnPath = (name: string): boolean => findExecutable(name) !== undefined

/**
 * Asks the kernel for a TCP port that is free on 127.0.0.1 right now.
 *
 * **Gotchas**: another process may take it before it is used; that race is accepted in tests.
 *
 * @category constructors
 * @since 0.1.0
 */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

/**
 * True when a socket is in LISTEN state on TCP "port", per /proc/net/tcp and /proc/net/tcp6.
 *
 * **When to use**: to wait for a controller without connecting to it; a probe connection would
 * be seen by the controller as a switch that hung up during the handshake.
 *
 * @category predicates
 * @since 0.1.0
 */
export const isListening = (port: number): boolean => {
  const hex = port.toString(16).toUpperCase().padStart(4, "0")
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string
    try {
      text = fs.readFileSync(file, "utf8")
    } catch {
      continue
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/)
      if (cols.length > 3 && cols[3] === "0A" && cols[1]?.endsWith(`:${hex}`) === true) return true
    }
  }
  return false
}

/**
 * Thrown from a {@link waitFor} check to give up at once (for example because the daemon being
 * waited for has exited), instead of retrying until the timeout.
 *
 * @category errors
 * @since 0.1.0
 */
export class Abort extends Error {
  override readonly name = "Abort"
}

/**
 * Polls "check" every "intervalMs" (default 20) until it returns a value other than undefined or
 * false, and resolves with that value. Rejects after "timeoutMs" (default 10 s) with "what" and
 * the last error "check" threw, if any; rejects at once when "check" throws an {@link Abort}.
 *
 * @category combinators
 * @since 0.1.0
 */
export const waitFor = async <A>(
  what: string,
  check: () => A | undefined | false | Promise<A | undefined | false>,
  options: { readonly timeoutMs?: number; readonly intervalMs?: number } = {}
): Promise<A> => {
  const deadline = Date.now() + (options.timeoutMs ?? 10000)
  let lastError: unknown
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined && value !== false) return value
    } catch (error) {
      if (error instanceof Abort) throw error
      lastError = error
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : ""
      throw new Error(`timed out after ${options.timeoutMs ?? 10000} ms waiting for ${what}${why}`)
    }
    await sleep(options.intervalMs ?? 20)
  }
}

/**
 * Resolves after "ms" milliseconds.
 *
 * @category constructors
 * @since 0.1.0
 */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The last "lines" lines of a log file, or a note that it is empty or missing; for error messages.
 *
 * @category getters
 * @since 0.1.0
 */
export const tail = (file: string, lines = 20): string => {
  try {
    const text = fs.readFileSync(file, "utf8").trimEnd()
    return text === "" ? "(empty)" : text.split("\n").slice(-lines).join("\n")
  } catch {
    return "(no log)"
  }
}
