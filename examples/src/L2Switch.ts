/**
 * A learning switch with the behaviour of Ryu's `simple_switch_13`, as a Switchyard app:
 * `node examples/l2switch.js` runs it.
 *
 * When a switch connects it installs the table-miss flow (priority 0, output to the
 * controller, whole packets). For each PACKET_IN it learns which port the source MAC
 * address is on, per datapath; when the destination is known it installs a priority-1
 * flow on (in_port, eth_src, eth_dst) and sends the packet there (naming the switch's
 * buffer when the packet was buffered), otherwise it floods. LLDP is ignored.
 *
 * Where Ryu's app has known gaps this one closes them, without changing what Ryu's users
 * see on a healthy network: the MAC table is bounded per datapath; a host that moves to
 * another port has the flows that still point at its old port deleted, so traffic follows
 * it; hosts behind a port that goes down (or is removed) are forgotten and the flows out of
 * that port deleted; a datapath's table is dropped when it disconnects; multicast source
 * addresses are never learned. And the hot path is written for throughput: packet-ins are
 * handled a batch at a time (one per socket read of one switch) and answered with one
 * `sendAll`, the Ethernet addresses are read as numbers straight from the packet-in's
 * bytes, and everything that does not depend on the packet (the table-miss flow, the
 * flood action list, per-port output actions and instructions) is built once.
 *
 * @since 0.1.0
 */
import { Controller, type Datapath, type Events } from "@switchyard/controller"
import { Action, FlowMod, Instruction, type Match, type Message, PacketIn, PacketOut, Port } from "@switchyard/openflow"
import { EtherType, MacAddress } from "@switchyard/packet"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as LogLevel from "effect/LogLevel"
import * as References from "effect/References"
import * as Stream from "effect/Stream"

/**
 * Options of {@link layer}. The defaults are Ryu's `simple_switch_13`.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  /** Seconds without traffic after which a learned flow expires (default 0: never, as Ryu). */
  readonly idleTimeout?: number | undefined
  /** Seconds after which a learned flow expires regardless (default 0: never, as Ryu). */
  readonly hardTimeout?: number | undefined
  /** Priority of learned flows (default 1, as Ryu). */
  readonly priority?: number | undefined
  /** MAC addresses remembered per datapath; the oldest is forgotten beyond (default 65536). */
  readonly maxHosts?: number | undefined
  /** Events buffered for the app before its overflow policy applies (default: the controller's). */
  readonly bufferSize?: number | undefined
}

/** The learned hosts of one datapath: MAC address (48-bit number) → port. */
type Hosts = Map<number, number>

/**
 * The hosts of a datapath that has learned none yet, shared and never written: a table is
 * allocated at the first packet-in, so ten thousand idle switches carry no empty maps.
 */
const NO_HOSTS: Hosts = new Map()

const FLOOD: ReadonlyArray<Action.Action> = [Action.output(Port.FLOOD)]
const TABLE_MISS = FlowMod.tableMiss()
const EMPTY_MATCH: Match.Match = []

/** The app's state and its synchronous handling of a batch of events. */
class LearningSwitch {
  private readonly hosts = new Map<Datapath.Datapath, Hosts>()
  private readonly maxHosts: number
  private readonly idleTimeout: number
  private readonly hardTimeout: number
  private readonly priority: number
  /** Per output port: the action list and the instruction list using it, built once. */
  private readonly outputs: Array<{ readonly actions: ReadonlyArray<Action.Action>; readonly instructions: ReadonlyArray<Instruction.Instruction> } | undefined> = []
  /** The messages of the batch being handled (reused: a batch is encoded before the next one starts). */
  private readonly out: Array<Message.Message> = []
  /**
   * Debug lines of the batch being handled (hosts learned and moved), collected only when
   * Debug is enabled, so the packet path builds no log text otherwise.
   */
  private readonly debug: Array<string> | undefined

  constructor(options: Options, debug: boolean) {
    this.debug = debug ? [] : undefined
    this.maxHosts = Math.max(1, options.maxHosts ?? 65536)
    this.idleTimeout = options.idleTimeout ?? 0
    this.hardTimeout = options.hardTimeout ?? 0
    this.priority = options.priority ?? 1
  }

  private output(port: number) {
    // Ports above 2^31 are reserved ports; they never get here (only learned ports do).
    let o = port < 0x1000_0000 ? this.outputs[port] : undefined
    if (o === undefined) {
      const actions = [Action.output(port)]
      o = { actions, instructions: [Instruction.applyActions(actions)] }
      if (port < 0x1000_0000) this.outputs[port] = o
    }
    return o
  }

  /**
   * Handles one batch of events (of one datapath, in arrival order) and returns what to
   * do: send the answers, and log lifecycle changes.
   */
  handle(batch: ReadonlyArray<L2Event>): Effect.Effect<void> {
    const out = this.out
    out.length = 0
    let datapath: Datapath.Datapath | undefined
    let hosts: Hosts | undefined
    let effect: Effect.Effect<void> | undefined
    const flush = () => {
      if (datapath !== undefined && out.length > 0) {
        const send = sendAll(datapath, out.splice(0))
        effect = effect === undefined ? send : Effect.andThen(effect, send)
      }
    }
    for (let i = 0; i < batch.length; i++) {
      const event = batch[i]!
      if (event.datapath !== datapath) {
        flush()
        datapath = event.datapath
        hosts = this.hosts.get(datapath)
      }
      switch (event._tag) {
        case "Message":
          if (hosts === NO_HOSTS) {
            hosts = new Map()
            this.hosts.set(datapath, hosts)
          }
          if (hosts !== undefined) this.packetIn(hosts, event.message, out)
          break
        case "DatapathUp":
          hosts = NO_HOSTS
          this.hosts.set(datapath, hosts)
          out.push(TABLE_MISS)
          effect = andLog(effect, Effect.logDebug(`l2switch: datapath ${datapath.id}: table-miss flow installed`))
          break
        case "DatapathDown":
          if (hosts !== undefined) {
            effect = andLog(effect, Effect.logDebug(`l2switch: datapath ${datapath.id}: forgot ${hosts.size} hosts`))
          }
          this.hosts.delete(datapath)
          hosts = undefined
          break
        case "PortChange":
          if (hosts !== undefined) effect = andLog(effect, this.portChange(datapath, hosts, event, out))
          break
      }
    }
    flush()
    const debug = this.debug
    if (debug !== undefined && debug.length > 0) {
      const log = Effect.logDebug(`l2switch: datapath ${batch[0]!.datapath.id}: ${debug.join("; ")}`)
      debug.length = 0
      effect = andLog(effect, log)
    }
    return effect ?? Effect.void
  }

  private packetIn(hosts: Hosts, msg: PacketIn.PacketIn, out: Array<Message.Message>): void {
    const data = msg.data
    if (data.length < 14) return
    // Ryu's app ignores LLDP (link discovery belongs to other apps).
    if (((data[12]! << 8) | data[13]!) === EtherType.LLDP) return
    const inPort = PacketIn.inPort(msg)
    if (inPort === undefined) return
    const dst = MacAddress.read(data, 0)
    const src = MacAddress.read(data, 6)
    // The group bit marks multicast and broadcast addresses, which are never a host's source.
    if (data[6]! & 1) {
      out.push(PacketOut.reply(msg, FLOOD))
      return
    }
    const known = hosts.get(src)
    if (known !== inPort) {
      if (known !== undefined) this.moved(src, known, out)
      else if (hosts.size >= this.maxHosts) {
        const oldest = hosts.keys().next().value
        if (oldest !== undefined) hosts.delete(oldest)
      }
      hosts.set(src, inPort)
      this.debug?.push(
        known === undefined ? `learned ${MacAddress.format(src)} on port ${inPort}` : `${MacAddress.format(src)} moved from port ${known} to ${inPort}`
      )
    }
    const outPort = hosts.get(dst)
    if (outPort === undefined) {
      out.push(PacketOut.reply(msg, FLOOD))
      return
    }
    const o = this.output(outPort)
    const match: Match.Match = [
      { field: "inPort", value: inPort, mask: undefined },
      { field: "ethDst", value: dst, mask: undefined },
      { field: "ethSrc", value: src, mask: undefined }
    ]
    out.push({
      _tag: "FlowMod",
      cookie: 0n,
      cookieMask: 0n,
      tableId: 0,
      command: FlowMod.Command.ADD,
      idleTimeout: this.idleTimeout,
      hardTimeout: this.hardTimeout,
      priority: this.priority,
      // A buffered packet is released by the flow mod itself (§7.3.4.1), so it needs no
      // PACKET_OUT, as in Ryu's app.
      bufferId: msg.bufferId,
      outPort: Port.ANY,
      outGroup: FlowMod.GROUP_ANY,
      flags: 0,
      match,
      instructions: o.instructions
    })
    if (msg.bufferId === PacketIn.NO_BUFFER) out.push(PacketOut.reply(msg, o.actions))
  }

  /**
   * A host showed up on another port: the flows that send to it through its old port, and
   * those that matched its traffic coming in there, are stale. Ryu's app leaves them, so
   * traffic to a moved host goes to its old port until they are removed by hand.
   */
  private moved(mac: number, from: number, out: Array<Message.Message>): void {
    out.push(
      FlowMod.delete({ tableId: 0, match: { ethDst: mac }, outPort: from }),
      FlowMod.delete({ tableId: 0, match: { inPort: from, ethSrc: mac } })
    )
  }

  private portChange(
    datapath: Datapath.Datapath,
    hosts: Hosts,
    event: Events.PortChange,
    out: Array<Message.Message>
  ): Effect.Effect<void> {
    const port = event.port
    const name = `l2switch: datapath ${datapath.id}: port ${port.portNo} (${port.name})`
    const live = event.reason !== "DELETE" && Port.isLive(port)
    const wasLive = event.previous !== undefined && Port.isLive(event.previous)
    if (event.reason === "MODIFY" && live === wasLive) return Effect.logDebug(`${name} changed`)
    if (live) return Effect.logInfo(`${name} ${event.reason === "ADD" ? "added" : "up"}`)
    if (event.reason === "ADD") return Effect.logInfo(`${name} added (down)`)
    let forgotten = 0
    for (const [mac, p] of hosts) {
      if (p === port.portNo) {
        hosts.delete(mac)
        forgotten++
      }
    }
    out.push(
      FlowMod.delete({ tableId: 0, match: EMPTY_MATCH, outPort: port.portNo }),
      FlowMod.delete({ tableId: 0, match: { inPort: port.portNo } })
    )
    return Effect.logInfo(`${name} ${event.reason === "DELETE" ? "removed" : "down"}, forgot ${forgotten} host${forgotten === 1 ? "" : "s"}`)
  }
}

type L2Event = Events.MessageEvent<PacketIn.PacketIn> | Events.DatapathUp | Events.DatapathDown | Events.PortChange

const andLog = (effect: Effect.Effect<void> | undefined, log: Effect.Effect<void>): Effect.Effect<void> =>
  effect === undefined ? log : Effect.andThen(effect, log)

/**
 * Sends a batch; a datapath that closed meanwhile is not an error (its events end with
 * its `DatapathDown`), a message that does not encode is a bug worth a warning.
 */
const sendAll = (datapath: Datapath.Datapath, messages: ReadonlyArray<Message.Message>): Effect.Effect<void> =>
  Effect.catch(datapath.sendAll(messages), (error) =>
    error.reason._tag === "Closed" ? Effect.void : Effect.logWarning(`l2switch: datapath ${datapath.id}: ${error.message}`))

/**
 * The learning switch as an app: a layer that needs the `Controller` and runs as long as
 * it lives.
 *
 * **Details**
 *
 * Subscribes (while the layer is built, so no early event is missed) to PACKET_IN and to
 * datapath up, down and port changes in one stream, which keeps each switch's order
 * across them. Logs one line at Info per port change (the runtime logs datapaths coming
 * and going); hosts learned and moved are logged at Debug, one line per batch, and only
 * when Debug is enabled (`--verbose`) is that text built at all.
 *
 * @example
 * ```ts
 * import { Runner } from "@switchyard/controller"
 * import * as L2Switch from "./L2Switch.ts"
 *
 * Runner.runMain(L2Switch.layer({ idleTimeout: 300 }), { name: "l2switch" })
 * ```
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (options: Options = {}): Layer.Layer<never, never, Controller.Controller> =>
  Layer.effectDiscard(
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const minimum = yield* References.MinimumLogLevel
      const app = new LearningSwitch(options, LogLevel.isLessThanOrEqualTo(minimum, "Debug"))
      const events = yield* controller.events({
        messages: ["PacketIn"],
        datapathEvents: ["DatapathUp", "DatapathDown", "PortChange"],
        name: "l2switch",
        bufferSize: options.bufferSize
      })
      yield* events.pipe(
        Stream.runForEachArray((batch) => app.handle(batch as ReadonlyArray<L2Event>)),
        Effect.forkScoped
      )
    })
  )

/**
 * The learning switch with Ryu's defaults: permanent flows at priority 1.
 *
 * @category layers
 * @since 0.1.0
 */
export const L2Switch: Layer.Layer<never, never, Controller.Controller> = layer()
