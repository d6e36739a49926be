/**
 * A private Open vSwitch for end-to-end tests: its own ovsdb-server and a userspace
 * `ovs-vswitchd --enable-dummy` in a fresh temporary directory, with one bridge of dummy ports
 * pointed at the controller under test.
 *
 * OVS is awkward to run from a test for three reasons. First, every OVS tool defaults to the
 * system's directories (/var/run/openvswitch, /etc/openvswitch, /var/log/openvswitch), so a
 * careless harness reconfigures the machine's real switch; here every daemon and every command
 * gets OVS_RUNDIR/OVS_LOGDIR/OVS_DBDIR/OVS_SYSCONFDIR pointing into the temporary directory and
 * explicit socket paths besides. Second, the dummy datapath (the one OVS's own testsuite uses)
 * has no kernel side: frames enter through `ovs-appctl netdev-dummy/receive` and leave by being
 * appended to each port's `tx_pcap` file, so "which ports transmitted this frame" means reading
 * pcap files that OVS is still writing. Third, everything is asynchronous: a frame injected now
 * reaches the controller as a packet-in, and its PACKET_OUT reaches the ports some milliseconds
 * later, so expectations are polled, and "nothing else was sent" needs a quiet period.
 *
 * Ports are named p1..pN with OpenFlow port numbers 1..N (`ofport_request`), so a test can say
 * "output:2" and mean p2. The bridge runs with `fail-mode=secure` (no NORMAL switching while the
 * controller is away), in-band control disabled, and only the requested OpenFlow versions.
 *
 * @example
 * ```ts
 * const ovs = await Ovs.make({ ports: 3, controller: `tcp:127.0.0.1:${port}` })
 * try {
 *   await ovs.waitForController()
 *   const mark = await ovs.mark()
 *   await ovs.inject("p1", frame)
 *   const sent = await ovs.transmittedSince(mark, { expectOn: ["p2", "p3"] })
 *   expect(sent.get("p2")).toEqual([frame])
 * } finally {
 *   await ovs.stop()
 * }
 * ```
 *
 * @since 0.1.0
 */
import { Pcap } from "@switchyard/packet"
import { Result } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Process from "./Process.ts"
import * as Frames from "./Frames.ts"

/**
 * Options for {@link make}.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  /** Number of dummy ports, named p1..pN with OpenFlow port numbers 1..N. */
  readonly ports: number
  /** Controller target such as "tcp:127.0.0.1:6653"; none when omitted (see setController). */
  readonly controller?: string
  /** Bridge name (default "br0"). */
  readonly bridge?: string
  /** Datapath id as 16 hex digits (default "0000000000000001"). */
  readonly datapathId?: string
  /** OpenFlow versions the bridge accepts (default ["OpenFlow13"]). */
  readonly protocols?: ReadonlyArray<string>
  /** Keep the temporary directory after stop() (also: env SWITCHYARD_E2E_KEEP=1). */
  readonly keep?: boolean
}

/**
 * One dummy port: its name, OpenFlow port number and capture files.
 *
 * @category models
 * @since 0.1.0
 */
export interface Port {
  readonly name: string
  readonly ofport: number
  /** Frames the port transmitted (OVS appends each one as it is sent). */
  readonly txPcap: string
  /** Frames the port received (what was injected into it). */
  readonly rxPcap: string
}

/**
 * Per-port count of transmitted frames at one moment; see {@link Ovs.mark}.
 *
 * @category models
 * @since 0.1.0
 */
export type Mark = ReadonlyMap<string, number>

/**
 * A running private Open vSwitch. Every method rejects with the failing command and its stderr.
 *
 * @category models
 * @since 0.1.0
 */
export interface Ovs {
  /** The temporary directory holding the database, sockets, logs and pcaps. */
  readonly dir: string
  readonly bridge: string
  readonly ports: ReadonlyArray<Port>
  /** The environment every OVS command of this instance runs with. */
  readonly env: NodeJS.ProcessEnv
  /** PIDs of ovsdb-server and ovs-vswitchd. */
  readonly pids: { readonly ovsdbServer: number; readonly vswitchd: number }
  /** Runs ovs-vsctl against this instance's database; resolves with stdout. */
  readonly vsctl: (...args: ReadonlyArray<string>) => Promise<string>
  /** Runs ovs-ofctl (-O with the first configured protocol) with "args"; use `ovs.mgmt` as the target. */
  readonly ofctl: (...args: ReadonlyArray<string>) => Promise<string>
  /** The bridge's management socket target for ovs-ofctl, "unix:DIR/br0.mgmt". */
  readonly mgmt: string
  /** Runs ovs-appctl against this instance's ovs-vswitchd. */
  readonly appctl: (...args: ReadonlyArray<string>) => Promise<string>
  /** Points the bridge at a controller target, replacing any previous one. */
  readonly setController: (target: string) => Promise<void>
  /** Resolves once the bridge's connection to its (TCP) controller is up. */
  readonly waitForController: (timeoutMs?: number) => Promise<void>
  /** Injects a frame as if it had arrived on "port" (`netdev-dummy/receive`). */
  readonly inject: (port: string, frame: Uint8Array) => Promise<void>
  /** Every frame "port" has transmitted so far, oldest first. */
  readonly transmitted: (port: string) => ReadonlyArray<Uint8Array>
  /** Every frame "port" has received (been injected with) so far. */
  readonly received: (port: string) => ReadonlyArray<Uint8Array>
  /** Records how many frames each port has transmitted, for transmittedSince. */
  readonly mark: () => Mark
  /**
   * Waits until every port in "expectOn" has transmitted at least one frame since "mark", then
   * until no port has transmitted anything new for "quietMs" (default 200), and resolves with the
   * new frames of every port that sent any. With an empty "expectOn" it only waits for quiet.
   */
  readonly transmittedSince: (
    mark: Mark,
    options?: { readonly expectOn?: ReadonlyArray<string>; readonly quietMs?: number; readonly timeoutMs?: number }
  ) => Promise<ReadonlyMap<string, ReadonlyArray<Uint8Array>>>
  /**
   * The bridge's flows as ovs-ofctl prints them without statistics (`--no-stats --no-names`),
   * one string per flow, trimmed and sorted, e.g. "priority=0 actions=CONTROLLER:65535".
   */
  readonly dumpFlows: () => Promise<ReadonlyArray<string>>
  /**
   * What the bridge's flow table would do with "frame" arriving on "port", without sending it
   * (`ovs-appctl ofproto/trace`): the matching rule's line and the datapath actions, e.g.
   * `{ rule: "in_port=1,dl_src=…,dl_dst=…, priority 1", datapathActions: "2" }`. A packet the
   * table sends to the controller has datapath actions starting with "userspace(".
   */
  readonly trace: (port: string, frame: Uint8Array) => Promise<{ readonly rule: string; readonly datapathActions: string }>
  /** Stops ovs-vswitchd and ovsdb-server by PID and removes the directory (unless kept). */
  readonly stop: () => Promise<void>
}

const schemaCandidates = ["/usr/share/openvswitch/vswitch.ovsschema", "/usr/local/share/openvswitch/vswitch.ovsschema"]

/**
 * Why OVS cannot run here, in words a user can act on, or undefined when it can.
 *
 * **When to use**: in a test's setup, to fail with a clear message rather than a spawn error.
 *
 * @category predicates
 * @since 0.1.0
 */
export const unavailable = (): string | undefined => {
  const missing = ["ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ovs-ofctl", "ovs-appctl"].filter((tool) => Process.findExecutable(tool) === undefined)
  if (missing.length > 0) return `Open vSwitch tools not found (${missing.join(", ")}): apt-get install openvswitch-switch`
  if (schemaPath() === undefined) return `vswitch.ovsschema not found in ${schemaCandidates.join(" or ")}`
  return undefined
}

const schemaPath = () => schemaCandidates.find((p) => fs.existsSync(p))

const tool = (name: string): string => {
  const found = Process.findExecutable(name)
  if (found === undefined) throw new Error(unavailable() ?? `${name} not found`)
  return found
}

// The complete frames in a capture that ovs-vswitchd may still be appending to: a partial last
// record is simply not there yet (Pcap.decode reports it as `truncated`), and a file that exists
// without its 24-byte header yet holds nothing. Frames are copies, safe to keep.
const readPcap = (file: string): ReadonlyArray<Uint8Array> => {
  let bytes: Uint8Array
  try {
    bytes = fs.readFileSync(file)
  } catch {
    // ovs-vswitchd creates the file when it applies the port's options; before that, nothing.
    return []
  }
  if (bytes.length < 24) return []
  const decoded = Pcap.decode(bytes)
  if (Result.isFailure(decoded)) throw new Error(`${file}: ${decoded.failure.message}`)
  return decoded.success.records.map((r) => new Uint8Array(r.data))
}

// The flow lines of dump-flows output: ovs-ofctl prints an "OFPST_FLOW reply" header line
// only when it prints statistics.
const flowLines = (text: string): ReadonlyArray<string> =>
  text.split("\n").filter((line) => line.trim() !== "" && !/^(OFPST|NXST)_/.test(line))

// Drops the statistics fields ovs-ofctl prints even with --no-stats on some versions.
const flowKey = (line: string): string =>
  line
    .trim()
    .replace(/(^|, )(cookie=0x0|duration=[^,]*|table=0|n_packets=\d+|n_bytes=\d+|idle_age=\d+|hard_age=\d+)(?=,|\s|$)/g, "")
    .replace(/^,\s*/, "")
    .trim()

/**
 * Starts a private Open vSwitch with one bridge of "ports" dummy ports and, when given, its
 * controller target. Start the controller first: OVS backs off exponentially (up to 8 s) between
 * connection attempts to a controller that is not listening yet.
 *
 * **Gotchas**: always call `stop()` (in `finally` or `afterAll`); if the test worker dies first,
 * the daemons are SIGKILLed by an exit hook. If start-up fails, whatever was started is stopped
 * and the error includes the tail of the daemons' logs.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = async (options: Options): Promise<Ovs> => {
  const why = unavailable()
  if (why !== undefined) throw new Error(why)
  if (!Number.isInteger(options.ports) || options.ports < 1 || options.ports > 64) {
    throw new Error(`ports must be an integer from 1 to 64, got ${options.ports}`)
  }
  const bridge = options.bridge ?? "br0"
  const protocols = options.protocols ?? ["OpenFlow13"]
  const datapathId = options.datapathId ?? "0000000000000001"
  const keep = options.keep ?? process.env["SWITCHYARD_E2E_KEEP"] === "1"
  // Unix socket paths are limited to 108 bytes, so the directory stays short (/tmp/sy-ovs-XXXXXX).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sy-ovs-"))
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OVS_RUNDIR: dir,
    OVS_LOGDIR: dir,
    OVS_DBDIR: dir,
    OVS_SYSCONFDIR: dir
  }
  const dbSock = path.join(dir, "db.sock")
  const vswitchdCtl = path.join(dir, "ovs-vswitchd.ctl")
  const daemons: Array<Process.Daemon> = []
  const stopAll = async () => {
    // vswitchd first: it is the database's client, and stopping the server first makes it log
    // reconnection attempts during its own shutdown.
    for (const daemon of [...daemons].reverse()) await daemon.stop()
    if (!keep) fs.rmSync(dir, { recursive: true, force: true })
  }
  const vsctl = (...args: ReadonlyArray<string>) => Process.run(tool("ovs-vsctl"), [`--db=unix:${dbSock}`, "--timeout=20", ...args], { env })
  try {
    await Process.run(tool("ovsdb-tool"), ["create", path.join(dir, "conf.db"), schemaPath()!], { env })
    daemons.push(
      await Process.spawnDaemon(
        "ovsdb-server",
        tool("ovsdb-server"),
        [
          `--remote=punix:${dbSock}`,
          `--unixctl=${path.join(dir, "ovsdb-server.ctl")}`,
          `--pidfile=${path.join(dir, "ovsdb-server.pid")}`,
          `--log-file=${path.join(dir, "ovsdb-server.log")}`,
          "-vconsole:warn",
          "-vsyslog:off",
          "--no-chdir",
          path.join(dir, "conf.db")
        ],
        { cwd: dir, env, logFile: path.join(dir, "ovsdb-server.out") }
      )
    )
    await Process.waitFor("ovsdb-server's socket", () => alive(daemons) && fs.existsSync(dbSock))
    await vsctl("--no-wait", "init")
    daemons.push(
      await Process.spawnDaemon(
        "ovs-vswitchd",
        tool("ovs-vswitchd"),
        [
          // The dummy datapath only: no kernel module, no system interfaces, no routing table.
          "--enable-dummy",
          "--disable-system",
          "--disable-system-route",
          `--unixctl=${vswitchdCtl}`,
          `--pidfile=${path.join(dir, "ovs-vswitchd.pid")}`,
          `--log-file=${path.join(dir, "ovs-vswitchd.log")}`,
          "-vconsole:warn",
          "-vsyslog:off",
          "-vvconn:info",
          "-vrconn:info",
          "--no-chdir",
          `unix:${dbSock}`
        ],
        { cwd: dir, env, logFile: path.join(dir, "ovs-vswitchd.out") }
      )
    )
    await Process.waitFor("ovs-vswitchd's control socket", () => alive(daemons) && fs.existsSync(vswitchdCtl))
    const ports: Array<Port> = []
    const portArgs: Array<string> = []
    for (let i = 1; i <= options.ports; i++) {
      const port = { name: `p${i}`, ofport: i, txPcap: path.join(dir, `p${i}-tx.pcap`), rxPcap: path.join(dir, `p${i}-rx.pcap`) }
      ports.push(port)
      portArgs.push(
        "--", "add-port", bridge, port.name,
        "--", "set", "interface", port.name, "type=dummy", `ofport_request=${i}`,
        `options:tx_pcap=${port.txPcap}`, `options:rxq_pcap=${port.rxPcap}`
      )
    }
    // One transaction: the bridge never exists without its ports, fail mode or protocols, so
    // the controller's first FEATURES_REPLY/PORT_DESC already lists every port. ovs-vsctl waits
    // until ovs-vswitchd has applied it.
    await vsctl(
      "--", "add-br", bridge,
      "--", "set", "bridge", bridge, "datapath_type=dummy", "fail-mode=secure",
      `protocols=${protocols.join(",")}`, `other-config:datapath-id=${datapathId}`, "other-config:disable-in-band=true",
      ...portArgs,
      ...(options.controller !== undefined ? ["--", "set-controller", bridge, options.controller] : [])
    )
    await Process.waitFor("every port's tx pcap", () => alive(daemons) && ports.every((p) => fs.existsSync(p.txPcap)))
    const byName = new Map(ports.map((p) => [p.name, p]))
    const portNamed = (name: string): Port => {
      const port = byName.get(name)
      if (port === undefined) throw new Error(`no port "${name}" (ports: ${ports.map((p) => p.name).join(", ")})`)
      return port
    }
    const appctl = (...args: ReadonlyArray<string>) => Process.run(tool("ovs-appctl"), ["-t", vswitchdCtl, ...args], { env })
    const ofctl = (...args: ReadonlyArray<string>) => Process.run(tool("ovs-ofctl"), ["-O", protocols[0]!, ...args], { env })
    const mgmt = `unix:${path.join(dir, `${bridge}.mgmt`)}`
    const transmitted = (name: string) => readPcap(portNamed(name).txPcap)
    const mark = (): Mark => new Map(ports.map((p) => [p.name, readPcap(p.txPcap).length]))
    let stopped = false
    const ovs: Ovs = {
      dir,
      bridge,
      ports,
      env,
      pids: { ovsdbServer: daemons[0]!.pid, vswitchd: daemons[1]!.pid },
      vsctl,
      ofctl,
      mgmt,
      appctl,
      setController: async (target) => {
        await vsctl("set-controller", bridge, target)
      },
      waitForController: async (timeoutMs = 15000) => {
        // The Controller table's is_connected column lags by up to the stats interval (5 s), so
        // the connection state is read from the rconn lines of ovs-vswitchd's log instead, as
        // Open vSwitch's own testsuite does: the last line for this bridge must say "connected".
        const log = path.join(dir, "ovs-vswitchd.log")
        await Process.waitFor(
          `${bridge} to connect to its controller (see ${log})`,
          () => {
            alive(daemons)
            const states = fs
              .readFileSync(log, "utf8")
              .split("\n")
              .filter((line) => line.includes(`|rconn|`) && line.includes(`${bridge}<->tcp:`) && !line.includes(".mgmt"))
            return states.length > 0 && states[states.length - 1]!.endsWith(": connected")
          },
          { timeoutMs, intervalMs: 20 }
        )
      },
      inject: async (name, frame) => {
        portNamed(name)
        await appctl("netdev-dummy/receive", name, Frames.toHex(frame))
      },
      transmitted,
      received: (name) => readPcap(portNamed(name).rxPcap),
      mark,
      transmittedSince: async (since, opts = {}) => {
        const quietMs = opts.quietMs ?? 200
        const expectOn = opts.expectOn ?? []
        for (const name of expectOn) portNamed(name)
        const fresh = () => {
          const out = new Map<string, ReadonlyArray<Uint8Array>>()
          for (const p of ports) {
            const frames = readPcap(p.txPcap).slice(since.get(p.name) ?? 0)
            if (frames.length > 0) out.set(p.name, frames)
          }
          return out
        }
        await Process.waitFor(
          `frames on ${expectOn.join(", ")}`,
          () => {
            alive(daemons)
            const now = fresh()
            return expectOn.every((name) => now.has(name))
          },
          { timeoutMs: opts.timeoutMs ?? 10000, intervalMs: 10 }
        )
        // Quiet period: a second, unexpected transmission (a duplicate PACKET_OUT, a flood after
        // a unicast) would arrive within milliseconds on loopback.
        let last = JSON.stringify([...fresh()].map(([k, v]) => [k, v.length]))
        for (;;) {
          await Process.sleep(quietMs)
          const now = JSON.stringify([...fresh()].map(([k, v]) => [k, v.length]))
          if (now === last) break
          last = now
        }
        return fresh()
      },
      dumpFlows: async () => {
        const text = await ofctl("--no-stats", "--no-names", "dump-flows", mgmt)
        return flowLines(text).map(flowKey).sort()
      },
      trace: async (name, bytes) => {
        const port = portNamed(name)
        const text = await appctl("ofproto/trace", bridge, `in_port=${port.ofport}`, Frames.toHex(bytes))
        // The rule is the indented line after " 0. " in the bridge's section; the last line
        // "Datapath actions: …" is what the datapath would execute.
        const rule = /^\s*0\.\s+(.*)$/m.exec(text)?.[1]?.trim() ?? ""
        const datapathActions = /^Datapath actions: (.*)$/m.exec(text)?.[1]?.trim()
        if (datapathActions === undefined) throw new Error(`ofproto/trace printed no datapath actions:\n${text}`)
        return { rule, datapathActions }
      },
      stop: async () => {
        if (stopped) return
        stopped = true
        await stopAll()
      }
    }
    return ovs
  } catch (error) {
    const logs = ["ovsdb-server.log", "ovs-vswitchd.log", "ovsdb-server.out", "ovs-vswitchd.out"]
      .filter((f) => fs.existsSync(path.join(dir, f)))
      .map((f) => `--- ${f}\n${Process.tail(path.join(dir, f))}`)
      .join("\n")
    await stopAll()
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${logs}`)
  }
}

// True while every daemon runs; otherwise aborts the surrounding waitFor with the first dead
// daemon's exit status and log, since no amount of waiting brings it back.
const alive = (daemons: ReadonlyArray<Process.Daemon>): true => {
  for (const d of daemons) {
    const status = d.exitStatus()
    if (status !== undefined) {
      throw new Process.Abort(`${d.name} exited (code ${status.code}, signal ${status.signal}):\n${Process.tail(d.logFile)}`)
    }
  }
  return true
}
