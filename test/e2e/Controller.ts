/**
 * OpenFlow controllers for the end-to-end suite, each started on a free port of 127.0.0.1 and
 * stopped by PID: Switchyard's `examples/l2switch.js`, Open vSwitch's `ovs-testcontroller`, and
 * the plain `node:net` reference learning switch from `bench/baselines`.
 *
 * A controller has to be listening before Open vSwitch is pointed at it, because OVS backs off
 * (1, 2, 4, then 8 s) after each refused connection, which turns a start-up race into a slow,
 * flaky test. Readiness is read from the kernel's socket table rather than by connecting, since
 * a probe connection would reach the controller as a switch that vanished mid-handshake.
 *
 * @since 0.1.0
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as Process from "./Process.ts"

/**
 * The repository root, two levels above this file.
 *
 * @category constants
 * @since 0.1.0
 */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..")

/**
 * A running controller.
 *
 * @category models
 * @since 0.1.0
 */
export interface Controller {
  readonly name: string
  readonly port: number
  readonly pid: number
  /** The OVS controller target for it, "tcp:127.0.0.1:PORT". */
  readonly target: string
  /** Everything it printed, for assertions on logs and for failure messages. */
  readonly output: () => string
  /** How it ended, or undefined while it runs. */
  readonly exitStatus: () => Process.ExitStatus | undefined
  /** SIGTERM, then SIGKILL after 5 s; removes its scratch directory. */
  readonly stop: () => Promise<void>
}

/**
 * How to start one controller: the command and arguments for a given port and scratch
 * directory, and (optionally) why it cannot run here.
 *
 * @category models
 * @since 0.1.0
 */
export interface Spec {
  readonly name: string
  readonly command: (port: number, dir: string) => { readonly command: string; readonly args: ReadonlyArray<string> }
  readonly unavailable?: () => string | undefined
}

/**
 * Switchyard's learning switch, started as a user would: `node examples/l2switch.js` with Ryu's
 * listener flags.
 *
 * @category constructors
 * @since 0.1.0
 */
export const l2switch: Spec = {
  name: "switchyard l2switch",
  command: (port) => ({
    command: process.execPath,
    args: [path.join(repoRoot, "examples", "l2switch.js"), "--ofp-tcp-listen-port", String(port), "--ofp-listen-host", "127.0.0.1"]
  }),
  unavailable: () =>
    fs.existsSync(path.join(repoRoot, "examples", "l2switch.js"))
      ? undefined
      : "examples/l2switch.js does not exist: the Switchyard learning switch has not landed yet"
}

/**
 * Open vSwitch's C learning switch, restricted to OpenFlow 1.3, with its control socket in the
 * scratch directory (never /var/run/openvswitch).
 *
 * **Gotchas**: it is not simple_switch_13: its table-miss flow is `CONTROLLER:128`, its flows
 * match exactly on every header field with `idle_timeout=60`, and it keeps at most 16 switches.
 *
 * @category constructors
 * @since 0.1.0
 */
export const ovsTestcontroller: Spec = {
  name: "ovs-testcontroller",
  command: (port, dir) => ({
    command: "ovs-testcontroller",
    args: ["-O", "OpenFlow13", "-vconsole:warn", "-vsyslog:off", `--unixctl=${path.join(dir, "ovs-testcontroller.ctl")}`, `ptcp:${port}:127.0.0.1`]
  }),
  unavailable: () =>
    Process.isExecutableOnPath("ovs-testcontroller") ? undefined : "ovs-testcontroller not found: apt-get install openvswitch-testcontroller"
}

/**
 * The plain `node:net` simple_switch_13 used as the benchmark's ceiling reference.
 *
 * @category constructors
 * @since 0.1.0
 */
export const plainNode: Spec = {
  name: "plain-node-l2",
  command: (port) => ({
    command: process.execPath,
    args: [path.join(repoRoot, "bench", "baselines", "plain-node-l2.mjs"), "--ofp-tcp-listen-port", String(port), "--ofp-listen-host", "127.0.0.1"]
  })
}

/**
 * Starts "spec" on a free port and resolves once the port is listening. Rejects with a clear
 * message when the controller cannot run here, exits early, or does not listen in "timeoutMs"
 * (default 30 s); whatever was started is stopped first.
 *
 * @category constructors
 * @since 0.1.0
 */
export const start = async (spec: Spec, options: { readonly timeoutMs?: number } = {}): Promise<Controller> => {
  const why = spec.unavailable?.()
  if (why !== undefined) throw new Error(`${spec.name}: ${why}`)
  const port = await Process.freePort()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sy-ctl-"))
  const logFile = path.join(dir, "controller.log")
  const { command, args } = spec.command(port, dir)
  let daemon: Process.Daemon
  try {
    daemon = await Process.spawnDaemon(spec.name, command, args, { cwd: repoRoot, logFile })
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true })
    throw error
  }
  const output = () => {
    try {
      return fs.readFileSync(logFile, "utf8")
    } catch {
      return ""
    }
  }
  const stop = async () => {
    await daemon.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
  try {
    await Process.waitFor(
      `${spec.name} to listen on 127.0.0.1:${port}`,
      () => {
        const status = daemon.exitStatus()
        if (status !== undefined) {
          throw new Process.Abort(`${spec.name} exited before listening (code ${status.code}, signal ${status.signal}):\n${output()}`)
        }
        return Process.isListening(port)
      },
      { timeoutMs: options.timeoutMs ?? 30000, intervalMs: 25 }
    )
  } catch (error) {
    const text = output()
    await stop()
    throw new Error(`${error instanceof Error ? error.message : String(error)}${text && !(error instanceof Process.Abort) ? `\n${text}` : ""}`)
  }
  return {
    name: spec.name,
    port,
    pid: daemon.pid,
    target: `tcp:127.0.0.1:${port}`,
    output,
    exitStatus: daemon.exitStatus,
    stop
  }
}
