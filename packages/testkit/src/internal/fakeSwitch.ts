/**
 * The fake switch's machinery: the switch side of an in-memory OpenFlow connection, its
 * message handlers, packet buffers, port state and flow timeouts.
 *
 * Everything the switch does in answer to a message is synchronous: it decodes the
 * message with the real codec, applies it to its `FlowTable`, and queues the encoded
 * answers (replies, errors, PACKET_INs, FLOW_REMOVEDs, PORT_STATUSes) on an outbox that
 * a writer fiber drains into the socket. So an injected frame, a PACKET_OUT and a frame
 * arriving from a linked switch are all handled the same way, on whatever fiber delivers
 * them, and the order of what the switch says is the order things happened.
 */
import { Datapath, MemorySocket } from "@switchyard/controller"
import {
  Action,
  ErrorMsg,
  Features,
  FlowMod,
  FlowStats,
  Framing,
  Header,
  Hello,
  type Message,
  Message as Msg,
  Multipart,
  OpenFlowError,
  PacketIn,
  PacketOut,
  Port,
  PortStatus,
  Role,
  Version
} from "@switchyard/openflow"
import type { NonEmptyReadonlyArray } from "effect/Array"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as Queue from "effect/Queue"
import * as Scope from "effect/Scope"
import type * as Socket from "effect/socket/Socket"
import type * as FakeSwitch from "../FakeSwitch.ts"
import * as FakeSwitchError from "../FakeSwitchError.ts"
import * as FlowTable from "../FlowTable.ts"
import type { Engine } from "./flowTable.ts"
import { flowRemoved } from "./flowTable.ts"
import type { Harness, Participant } from "./harness.ts"

const OF13 = Version.OF13
const OUR_HELLO = Hello.make([OF13])

interface Conn {
  readonly n: number
  readonly scope: Scope.Closeable
  readonly outbox: Queue.Queue<Uint8Array>
  readonly framer: Framing.Framer
  serveFiber: Fiber.Fiber<void> | undefined
  /** Set once the controller's HELLO negotiated OpenFlow 1.3. */
  negotiated: boolean
  closed: boolean
}

interface PortCounters {
  rxPackets: number
  rxBytes: number
  txPackets: number
  txBytes: number
  rxDropped: number
  txDropped: number
}

const u64 = (n: number): bigint => BigInt(n)

const typeNameOf = (bytes: Uint8Array): string => Header.typeName(bytes[0]!, bytes[1]!) ?? `type ${bytes[1]}`

/** Reads from the controller until the connection ends: one synchronous pass per pull. */
const readLoop = Effect.fnUntraced(
  function*(sw: SwitchImpl, conn: Conn, reader: Socket.Reader) {
    while (true) {
      const chunks = yield* reader.pull
      sw.onChunks(conn, chunks)
    }
  },
  (effect, sw, conn) => Effect.catchCause(effect, () => Effect.sync(() => sw.onClosed(conn)))
)

/** Drains the outbox into the socket, everything queued in one write. */
const writeLoop = Effect.fnUntraced(
  function*(conn: Conn, writer: Socket.Writer) {
    while (true) {
      const items = yield* Queue.takeAll(conn.outbox)
      yield* writer.writeAll(items as unknown as NonEmptyReadonlyArray<Uint8Array>)
    }
  },
  (effect) => Effect.ignoreCause(effect)
)

/** The switch side of one fake datapath. */
export class SwitchImpl implements FakeSwitch.FakeSwitch, Participant {
  readonly dpid: bigint
  readonly id: string
  readonly table: FlowTable.FlowTable
  readonly nBuffers: number
  private readonly engine: Engine
  private readonly harness: Harness
  private readonly clock: Clock.Clock
  private readonly strict: boolean
  private readonly options: FakeSwitch.Options
  private conn: Conn | undefined = undefined
  private connections = 0
  private readonly startedAt: number

  private readonly log: Array<{ readonly port: number; readonly frame: Uint8Array }> = []
  private readonly receivedLog: Array<Message.Message> = []
  private readonly sentLog: Array<Message.Message> = []
  private readonly refusedLog: Array<FakeSwitchError.RefusedMessage> = []
  private readonly problemLog: Array<string> = []
  private refusedReported = 0
  private problemsReported = 0

  private readonly bufferMap = new Map<number, { readonly frame: Uint8Array; readonly inPort: number }>()
  private nextBufferId = 1
  private configFlags = 0
  private missSendLen = 128
  private role: number = Role.Role.EQUAL
  private generationId = 0n
  private readonly counters = new Map<number, PortCounters>()
  private expiry: { readonly fiber: Fiber.Fiber<void>; readonly at: number } | undefined = undefined

  /** `false` while the switch plays dead: it reads and ignores everything. */
  private responsive = true

  /** Set by `FakeNetwork`: takes every frame this switch transmits. */
  onTransmit: ((port: number, frame: Uint8Array) => void) | undefined = undefined

  constructor(harness: Harness, options: FakeSwitch.Options, engineOf: (t: FlowTable.FlowTable) => Engine) {
    this.harness = harness
    this.options = options
    this.dpid = options.dpid
    this.id = Features.formatDatapathId(options.dpid)
    this.strict = options.strict ?? true
    this.nBuffers = options.nBuffers ?? 0
    this.clock = Context.get(harness.context, Clock.Clock)
    this.startedAt = this.clock.currentTimeMillisUnsafe()
    const ports = new Map<number, Port.Port>()
    for (const p of options.ports ?? [1, 2, 3, 4]) {
      const desc = typeof p === "number" ? FlowTable.port(p) : p
      ports.set(desc.portNo, desc)
    }
    this.table = FlowTable.make({ nTables: options.nTables ?? 254, maxEntries: options.maxEntries, ports })
    this.engine = engineOf(this.table)
  }

  get ports(): ReadonlyMap<number, Port.Port> {
    return this.table.ports
  }

  private now(): number {
    return this.clock.currentTimeMillisUnsafe()
  }

  // ---------------------------------------------------------------------------------
  // Connection
  // ---------------------------------------------------------------------------------

  /** Connects to the controller and sends our HELLO; the handshake then runs by itself. */
  readonly attach: Effect.Effect<void> = Effect.suspend(() => {
    const self = this
    return Effect.gen(function*() {
      const harness = self.harness
      // A high-water mark far above anything a test sends: the settle logic reads unread
      // bytes to know a reader is about to wake, which a writer parked on back-pressure
      // would hide. Back-pressure itself is the controller package's to test.
      const [controllerEnd, switchEnd] = MemorySocket.pair({ highWaterMark: 64 * 1024 * 1024 })
      harness.sockets.add(controllerEnd)
      harness.sockets.add(switchEnd)
      const scope = yield* Scope.fork(harness.scope)
      const outbox = yield* Queue.unbounded<Uint8Array>()
      const conn: Conn = { n: ++self.connections, scope, outbox, framer: Framing.make(), serveFiber: undefined, negotiated: false, closed: false }
      self.conn = conn
      conn.serveFiber = yield* Effect.forkIn(
        harness.controller.serve({ socket: controllerEnd, remoteAddress: `fake:${self.id}#${conn.n}`, transport: "tcp" }),
        harness.scope
      )
      const reader = yield* Effect.orDie(Scope.provide(switchEnd.reader, scope))
      const writer = yield* Effect.orDie(Scope.provide(switchEnd.writer, scope))
      yield* Effect.forkIn(readLoop(self, conn, reader), scope)
      yield* Effect.forkIn(writeLoop(conn, writer).pipe(Effect.andThen(Effect.sync(() => self.onClosed(conn)))), scope)
      self.sendMessage(conn, OUR_HELLO, 1)
    })
  })

  /** The connection ended (the controller closed it, or we did). */
  onClosed(conn: Conn): void {
    if (conn.closed) return
    conn.closed = true
    Queue.shutdownUnsafe(conn.outbox)
    if (this.conn === conn) this.conn = undefined
    // Close our end too, from another fiber: the reader that noticed is itself in the
    // scope, and a fiber cannot wait for its own interruption.
    Effect.runForkWith(this.harness.context)(Scope.close(conn.scope, Exit.void))
  }

  readonly disconnect: Effect.Effect<void, FakeSwitchError.FakeSwitchError> = Effect.andThen(Effect.suspend(() => this.harness.settle), () => {
    const conn = this.conn
    if (conn === undefined) return this.harness.settle
    this.conn = undefined
    conn.closed = true
    Queue.shutdownUnsafe(conn.outbox)
    return Scope.close(conn.scope, Exit.void).pipe(Effect.andThen(this.harness.settle))
  })

  readonly reconnect: Effect.Effect<void, FakeSwitchError.FakeSwitchError> = Effect.suspend(() =>
    (this.conn === undefined ? Effect.void : this.disconnect).pipe(Effect.andThen(this.connect))
  )

  /** Attaches, settles, and checks the controller now knows this datapath. */
  readonly connect: Effect.Effect<void, FakeSwitchError.FakeSwitchError> = Effect.suspend(() =>
    this.attach.pipe(
      Effect.andThen(this.harness.idle),
      Effect.andThen(
        Effect.suspend(() => {
          const conn = this.conn
          if (conn === undefined || !conn.negotiated) {
            return Effect.fail(
              FakeSwitchError.make(new FakeSwitchError.HandshakeFailed({ dpid: this.id, detail: conn === undefined ? "the controller closed the connection" : "no HELLO from the controller" }))
            )
          }
          if (this.harness.controller.datapathUnsafe(this.dpid) === undefined) {
            return Effect.fail(FakeSwitchError.make(new FakeSwitchError.HandshakeFailed({ dpid: this.id, detail: "the controller did not register the datapath" })))
          }
          return Effect.void
        })
      ),
      Effect.andThen(this.harness.settle)
    )
  )

  readonly isConnected: Effect.Effect<boolean> = Effect.sync(() => this.conn !== undefined && this.conn.negotiated && !this.conn.closed)

  readonly datapath: Effect.Effect<Datapath.Datapath, FakeSwitchError.FakeSwitchError> = Effect.suspend(() => {
    const dp = this.harness.controller.datapathUnsafe(this.dpid)
    return dp === undefined
      ? Effect.fail(FakeSwitchError.make(new FakeSwitchError.BadRequest({ detail: `datapath ${this.id} is not connected to the controller` })))
      : Effect.succeed(dp)
  })

  readonly settle: Effect.Effect<void, FakeSwitchError.FakeSwitchError> = Effect.suspend(() => this.harness.settle)

  // ---------------------------------------------------------------------------------
  // Sending
  // ---------------------------------------------------------------------------------

  private sendMessage(conn: Conn | undefined, message: Message.Message, xid: number): void {
    if (conn === undefined || conn.closed) return
    const encoded = Msg.encode(message, { version: OF13, xid })
    if (encoded._tag === "Failure") {
      this.problemLog.push(`the fake switch could not encode its own ${message._tag}: ${encoded.failure.message}`)
      return
    }
    this.sentLog.push(message)
    Queue.offerUnsafe(conn.outbox, encoded.success)
  }

  /** Sends OFPT_ERROR for `request` (its bytes) and remembers it as refused. */
  private refuse(conn: Conn, error: OpenFlowError.OpenFlowError, xid: number, request: Uint8Array, name: string): void {
    this.refusedLog.push({ dpid: this.id, request: name, error: error.toLine() })
    if (conn.closed) return
    const bytes = OpenFlowError.reply(error, OF13, xid, request)
    const decoded = Msg.decodeMessage(bytes)
    if (!OpenFlowError.isOpenFlowError(decoded)) this.sentLog.push(decoded)
    Queue.offerUnsafe(conn.outbox, bytes)
  }

  private sendMultipart(conn: Conn, reply: Multipart.Reply, xid: number): void {
    const parts = Multipart.split(reply, OF13)
    if (parts._tag === "Failure") {
      this.problemLog.push(`the fake switch could not split its ${reply._tag}: ${parts.failure.message}`)
      return
    }
    for (const part of parts.success) this.sendMessage(conn, part as Message.Message, xid)
  }

  // ---------------------------------------------------------------------------------
  // Receiving
  // ---------------------------------------------------------------------------------

  onChunks(conn: Conn, chunks: NonEmptyReadonlyArray<Uint8Array | string>): void {
    const frames: Array<Uint8Array> = []
    for (const chunk of chunks) {
      if (typeof chunk === "string") continue
      const error = conn.framer.push(chunk, frames)
      if (error !== undefined) {
        for (const f of frames) this.onMessage(conn, f)
        this.refuse(conn, error, 0, new Uint8Array(0), "unframeable bytes")
        this.onClosed(conn)
        return
      }
    }
    for (const f of frames) {
      if (conn.closed) return
      this.onMessage(conn, f)
    }
    this.rescheduleExpiry()
  }

  private onMessage(conn: Conn, bytes: Uint8Array): void {
    if (!this.responsive) return
    const xid = Header.xid(bytes)
    if (!conn.negotiated) return this.onHello(conn, bytes, xid)
    if (bytes[0] !== OF13) {
      return this.refuse(conn, OpenFlowError.make("OFPBRC_BAD_VERSION", `version 0x${bytes[0]!.toString(16)} after negotiating OpenFlow 1.3`), xid, bytes, typeNameOf(bytes))
    }
    const decoded = Msg.decodeMessage(bytes)
    if (OpenFlowError.isOpenFlowError(decoded)) return this.refuse(conn, decoded, xid, bytes, typeNameOf(bytes))
    this.receivedLog.push(decoded)
    this.handle(conn, decoded, xid, bytes)
  }

  private onHello(conn: Conn, bytes: Uint8Array, xid: number): void {
    const decoded = bytes[1] === Header.OFPT.HELLO ? Msg.decodeMessage(bytes) : undefined
    if (decoded === undefined || OpenFlowError.isOpenFlowError(decoded) || decoded._tag !== "Hello") {
      this.problemLog.push(`the controller's first message was ${typeNameOf(bytes)}, not HELLO`)
      this.sendMessage(conn, ErrorMsg.incompatible("expected HELLO", OF13), xid)
      return this.onClosed(conn)
    }
    this.receivedLog.push(decoded)
    const version = Hello.negotiate({ hello: OUR_HELLO, version: OF13 }, { hello: decoded, version: bytes[0]! })
    if (version !== OF13) {
      this.problemLog.push(`the controller does not offer OpenFlow 1.3 (offers ${Hello.offeredVersions(decoded, bytes[0]!).map(Version.format).join(", ")})`)
      this.sendMessage(conn, ErrorMsg.incompatible("the fake switch speaks OpenFlow 1.3 only", OF13), xid)
      return this.onClosed(conn)
    }
    conn.negotiated = true
  }

  private handle(conn: Conn, m: Message.Message, xid: number, bytes: Uint8Array): void {
    switch (m._tag) {
      case "EchoRequest":
        return this.sendMessage(conn, { _tag: "EchoReply", data: m.data }, xid)
      case "EchoReply":
      case "Hello":
        return
      case "FeaturesRequest":
        return this.sendMessage(conn, {
          _tag: "FeaturesReply",
          datapathId: this.dpid,
          nBuffers: this.nBuffers,
          nTables: this.table.nTables,
          auxiliaryId: 0,
          capabilities: Features.Capability.FLOW_STATS | Features.Capability.TABLE_STATS | Features.Capability.PORT_STATS |
            Features.Capability.GROUP_STATS,
          reserved: 0
        }, xid)
      case "BarrierRequest":
        // Every message before the barrier has been handled synchronously already.
        return this.sendMessage(conn, { _tag: "BarrierReply" }, xid)
      case "GetConfigRequest":
        return this.sendMessage(conn, { _tag: "GetConfigReply", flags: this.configFlags, missSendLen: this.missSendLen }, xid)
      case "SetConfig":
        this.configFlags = m.flags
        this.missSendLen = m.missSendLen
        return
      case "RoleRequest":
        if (m.role !== Role.Role.NOCHANGE) {
          this.role = m.role
          this.generationId = m.generationId
        }
        return this.sendMessage(conn, { _tag: "RoleReply", role: this.role, generationId: this.generationId }, xid)
      case "DescRequest":
        return this.sendMultipart(conn, {
          _tag: "DescReply",
          flags: 0,
          mfrDesc: "Switchyard",
          hwDesc: "testkit fake switch",
          swDesc: "@switchyard/testkit",
          serialNum: this.id,
          dpDesc: this.options.name ?? `fake ${this.id}`
        }, xid)
      case "PortDescRequest":
        return this.sendMultipart(conn, { _tag: "PortDescReply", flags: 0, ports: this.portList() }, xid)
      case "FlowStatsRequest":
      case "AggregateStatsRequest": {
        const stats = this.table.flowStats(m, this.now())
        if (OpenFlowError.isOpenFlowError(stats)) return this.refuse(conn, stats, xid, bytes, m._tag)
        const list = stats as ReadonlyArray<FlowStats.FlowStats>
        if (m._tag === "FlowStatsRequest") return this.sendMultipart(conn, { _tag: "FlowStatsReply", flags: 0, stats: list }, xid)
        let packets = 0n
        let bytesCount = 0n
        for (const s of list) {
          packets += s.packetCount
          bytesCount += s.byteCount
        }
        return this.sendMultipart(conn, { _tag: "AggregateStatsReply", flags: 0, packetCount: packets, byteCount: bytesCount, flowCount: list.length }, xid)
      }
      case "TableStatsRequest":
        return this.sendMultipart(conn, {
          _tag: "TableStatsReply",
          flags: 0,
          stats: this.table.tableStats().map((t) => ({ tableId: t.tableId, activeCount: t.activeCount, lookupCount: u64(t.lookupCount), matchedCount: u64(t.matchedCount) }))
        }, xid)
      case "PortStatsRequest":
        return this.sendMultipart(conn, { _tag: "PortStatsReply", flags: 0, stats: this.portStats(m.portNo) }, xid)
      case "GroupDescRequest":
        return this.sendMultipart(conn, {
          _tag: "GroupDescReply",
          flags: 0,
          groups: [...this.table.groups.values()].sort((a, b) => a.groupId - b.groupId).map((g) => ({
            groupType: g.groupType as 0 | 1 | 2 | 3,
            groupId: g.groupId,
            buckets: g.buckets
          }))
        }, xid)
      case "GroupStatsRequest": {
        const now = this.now()
        const groups = [...this.table.groups.values()].filter((g) => m.groupId === 0xffff_fffc || g.groupId === m.groupId)
        return this.sendMultipart(conn, {
          _tag: "GroupStatsReply",
          flags: 0,
          stats: groups.map((g) => ({
            groupId: g.groupId,
            refCount: this.table.entries().filter((e) => this.engine.outputsTo(e, Port.ANY, g.groupId)).length,
            packetCount: u64(g.packetCount),
            byteCount: u64(g.byteCount),
            durationSec: Math.floor((now - g.installedAt) / 1000),
            durationNsec: ((now - g.installedAt) % 1000) * 1_000_000,
            // Per-bucket counters are not kept.
            bucketStats: g.buckets.map(() => ({ packetCount: 0xffff_ffff_ffff_ffffn, byteCount: 0xffff_ffff_ffff_ffffn }))
          }))
        }, xid)
      }
      case "FlowMod":
        return this.onFlowMod(conn, m, xid, bytes)
      case "GroupMod": {
        const now = this.now()
        const { error, removed } = this.table.applyGroupMod(m, now)
        if (error !== undefined) return this.refuse(conn, error, xid, bytes, "GroupMod")
        return this.sendRemoved(removed, now)
      }
      case "PacketOut":
        return this.onPacketOut(conn, m, xid, bytes)
      case "PortMod":
        return this.onPortMod(conn, m, xid, bytes)
      case "MeterMod":
      case "TableMod":
        // Accepted and ignored: the fake switch forwards at any rate and has no per-table
        // configuration. Meter instructions in flows are ignored the same way.
        return
      case "ErrorMsg":
      case "ExperimenterErrorMsg":
        this.problemLog.push(`the controller sent an OFPT_ERROR to the switch: ${m._tag === "ErrorMsg" ? ErrorMsg.errorName(m, OF13) ?? `type ${m.errorType} code ${m.code}` : "experimenter error"}`)
        return
      default:
        return this.refuse(
          conn,
          Multipart.isRequest(m)
            ? OpenFlowError.make("OFPBRC_BAD_MULTIPART", `the fake switch does not answer ${m._tag}`)
            : OpenFlowError.make("OFPBRC_BAD_TYPE", `a switch does not accept ${m._tag} from the controller`),
          xid,
          bytes,
          m._tag
        )
    }
  }

  private onFlowMod(conn: Conn, mod: FlowMod.FlowMod, xid: number, bytes: Uint8Array): void {
    const now = this.now()
    const { error, removed } = this.table.applyFlowMod(mod, now)
    if (error !== undefined) return this.refuse(conn, error, xid, bytes, "FlowMod")
    this.sendRemoved(removed, now)
    const releases = mod.command === FlowMod.Command.ADD || mod.command === FlowMod.Command.MODIFY || mod.command === FlowMod.Command.MODIFY_STRICT
    if (!releases || mod.bufferId === FlowMod.NO_BUFFER) return
    // §7.3.4.1: "A flow mod that includes a valid buffer_id is effectively equivalent to
    // sending a two-message sequence of a flow mod and a packet out to OFPP_TABLE, with
    // the requirement that the switch must fully process the flow mod before the packet
    // out." The flow mod stays applied when the buffer is unknown, as in Open vSwitch.
    const buffered = this.bufferMap.get(mod.bufferId)
    if (buffered === undefined) {
      return this.refuse(conn, OpenFlowError.make("OFPBRC_BUFFER_UNKNOWN", `buffer ${mod.bufferId} does not exist (already used, or never sent)`), xid, bytes, "FlowMod")
    }
    this.bufferMap.delete(mod.bufferId)
    this.deliver(this.engine.packetOut({ inPort: buffered.inPort, frame: buffered.frame }, [Action.output(Port.TABLE)], now))
  }

  private onPacketOut(conn: Conn, po: PacketOut.PacketOut, xid: number, bytes: Uint8Array): void {
    let frame: Uint8Array
    if (po.bufferId !== PacketOut.NO_BUFFER) {
      const buffered = this.bufferMap.get(po.bufferId)
      if (buffered === undefined) {
        return this.refuse(conn, OpenFlowError.make("OFPBRC_BUFFER_UNKNOWN", `buffer ${po.bufferId} does not exist (already used, or never sent)`), xid, bytes, "PacketOut")
      }
      this.bufferMap.delete(po.bufferId)
      frame = buffered.frame
    } else {
      if (po.data.length === 0) {
        this.problemLog.push("a PACKET_OUT with neither a buffer id nor a packet")
        return
      }
      frame = po.data.slice()
    }
    const error = FlowTable.validatePacketOutActions(this.table, po.actions)
    if (error !== undefined) return this.refuse(conn, error, xid, bytes, "PacketOut")
    this.deliver(this.engine.packetOut({ inPort: po.inPort, frame }, po.actions, this.now()))
  }

  private onPortMod(conn: Conn, pm: { readonly portNo: number; readonly hwAddr: number; readonly config: number; readonly mask: number }, xid: number, bytes: Uint8Array): void {
    const desc = this.table.ports.get(pm.portNo)
    if (desc === undefined) {
      return this.refuse(conn, OpenFlowError.make("OFPPMFC_BAD_PORT", `port ${pm.portNo} does not exist`), xid, bytes, "PortMod")
    }
    if (desc.hwAddr !== pm.hwAddr) {
      return this.refuse(conn, OpenFlowError.make("OFPPMFC_BAD_HW_ADDR", `port ${pm.portNo} has another hardware address`), xid, bytes, "PortMod")
    }
    const config = (desc.config & ~pm.mask) | (pm.config & pm.mask)
    if (config === desc.config) return
    this.updatePort({ ...desc, config }, PortStatus.Reason.MODIFY)
  }

  private sendRemoved(removed: ReadonlyArray<FlowTable.Removal>, now: number): void {
    for (const r of removed) {
      if ((r.entry.flags & FlowMod.Flags.SEND_FLOW_REM) !== 0) this.sendMessage(this.conn, flowRemoved(r, now), 0)
    }
  }

  // ---------------------------------------------------------------------------------
  // Packets
  // ---------------------------------------------------------------------------------

  private counter(port: number): PortCounters {
    let c = this.counters.get(port)
    if (c === undefined) {
      c = { rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0, rxDropped: 0, txDropped: 0 }
      this.counters.set(port, c)
    }
    return c
  }

  /** A frame arrives on `port` (from a host, a test, or a linked switch). */
  receive(port: number, frame: Uint8Array): void {
    const desc = this.table.ports.get(port)
    if (desc === undefined) return
    const c = this.counter(port)
    if (!Port.isLive(desc) || (desc.config & Port.Config.NO_RECV) !== 0) {
      c.rxDropped++
      return
    }
    c.rxPackets++
    c.rxBytes += frame.length
    this.deliver(this.table.process({ inPort: port, frame }, this.now()))
  }

  private deliver(result: FlowTable.PacketResult): void {
    for (const o of result.outputs) if (o.frame !== undefined) this.transmit(o.port, o.frame)
    for (const c of result.toController) this.toController(c)
    for (const p of result.problems) this.problemLog.push(p)
  }

  private transmit(port: number, frame: Uint8Array): void {
    this.log.push({ port, frame })
    const c = this.counter(port)
    c.txPackets++
    c.txBytes += frame.length
    this.onTransmit?.(port, frame)
  }

  /** Allocates a buffer for `frame`; the oldest is recycled when all `nBuffers` are in use. */
  private buffer(frame: Uint8Array, inPort: number): number {
    if (this.bufferMap.size >= this.nBuffers) {
      const oldest = this.bufferMap.keys().next().value
      if (oldest !== undefined) this.bufferMap.delete(oldest)
    }
    const id = this.nextBufferId
    this.nextBufferId = id >= 0xffff_fffe ? 1 : id + 1
    this.bufferMap.set(id, { frame, inPort })
    return id
  }

  private toController(c: FlowTable.ToController): void {
    const conn = this.conn
    if (conn === undefined || !conn.negotiated || c.frame === undefined) return
    const desc = this.table.ports.get(c.inPort)
    if (desc !== undefined && (desc.config & Port.Config.NO_PACKET_IN) !== 0) return
    const frame = c.frame
    let bufferId = PacketIn.NO_BUFFER
    let data = frame
    // §7.2.5 (output action): max_len is how much of the packet to send; OFPCML_NO_BUFFER
    // means the whole packet, unbuffered. A switch without buffers sends it whole.
    if (c.maxLen !== Action.NO_BUFFER && this.nBuffers > 0) {
      bufferId = this.buffer(frame, c.inPort)
      data = frame.subarray(0, Math.min(c.maxLen, frame.length))
    }
    this.sendPacketIn(conn, { bufferId, frame, data, reason: c.reason, tableId: c.tableId, cookie: c.cookie, inPort: c.inPort, metadata: c.metadata, tunnelId: c.tunnelId })
  }

  private sendPacketIn(
    conn: Conn,
    p: {
      readonly bufferId: number
      readonly frame: Uint8Array
      readonly data: Uint8Array
      readonly reason: number
      readonly tableId: number
      readonly cookie: bigint
      readonly inPort: number
      readonly metadata: bigint
      readonly tunnelId: bigint | undefined
    }
  ): void {
    // Open vSwitch reports in_port always and metadata/tunnel_id only when set.
    const match: Array<{ field: "inPort" | "metadata" | "tunnelId"; value: never; mask: undefined }> = [
      { field: "inPort", value: p.inPort as never, mask: undefined }
    ]
    if (p.metadata !== 0n) match.push({ field: "metadata", value: p.metadata as never, mask: undefined })
    if (p.tunnelId !== undefined && p.tunnelId !== 0n) match.push({ field: "tunnelId", value: p.tunnelId as never, mask: undefined })
    this.sendMessage(conn, {
      _tag: "PacketIn",
      bufferId: p.bufferId,
      totalLen: p.frame.length,
      reason: p.reason,
      tableId: p.tableId,
      cookie: p.cookie,
      match,
      data: p.data
    }, 0)
  }

  /** A PACKET_IN sent directly (see `FakeSwitch.packetIn`). */
  packetInUnsafe(options: FakeSwitch.PacketInOptions): FakeSwitchError.FakeSwitchError | undefined {
    const conn = this.conn
    if (conn === undefined || !conn.negotiated) {
      return FakeSwitchError.make(new FakeSwitchError.BadRequest({ detail: `datapath ${this.id} is not connected: no PACKET_IN can be sent` }))
    }
    if (options.buffered === true && this.nBuffers === 0) {
      return FakeSwitchError.make(new FakeSwitchError.BadRequest({ detail: `datapath ${this.id} has no buffers (connect it with nBuffers > 0)` }))
    }
    const frame = options.frame
    const bufferId = options.buffered === true ? this.buffer(frame, options.inPort) : PacketIn.NO_BUFFER
    const data = options.maxLen === undefined ? frame : frame.subarray(0, Math.min(options.maxLen, frame.length))
    this.sendPacketIn(conn, {
      bufferId,
      frame,
      data,
      reason: options.reason ?? PacketIn.Reason.NO_MATCH,
      tableId: options.tableId ?? 0,
      cookie: options.cookie ?? 0n,
      inPort: options.inPort,
      metadata: 0n,
      tunnelId: undefined
    })
    return undefined
  }

  // ---------------------------------------------------------------------------------
  // Ports
  // ---------------------------------------------------------------------------------

  private portList(): ReadonlyArray<Port.Port> {
    return [...this.table.ports.values()].sort((a, b) => a.portNo - b.portNo)
  }

  private portStats(portNo: number): ReadonlyArray<import("@switchyard/openflow").PortStats.PortStats> {
    const now = this.now()
    const ms = Math.max(0, now - this.startedAt)
    const ports = portNo === Port.ANY ? this.portList().map((p) => p.portNo) : this.table.ports.has(portNo) ? [portNo] : []
    return ports.map((p) => {
      const c = this.counter(p)
      return {
        portNo: p,
        rxPackets: u64(c.rxPackets),
        txPackets: u64(c.txPackets),
        rxBytes: u64(c.rxBytes),
        txBytes: u64(c.txBytes),
        rxDropped: u64(c.rxDropped),
        txDropped: u64(c.txDropped),
        rxErrors: 0n,
        txErrors: 0n,
        rxFrameErr: 0n,
        rxOverErr: 0n,
        rxCrcErr: 0n,
        collisions: 0n,
        durationSec: Math.floor(ms / 1000),
        durationNsec: (ms % 1000) * 1_000_000
      }
    })
  }

  /** Replaces (or adds, or with DELETE removes) a port and tells the controller. */
  updatePort(desc: Port.Port, reason: number): void {
    if (reason === PortStatus.Reason.DELETE) this.table.ports.delete(desc.portNo)
    else this.table.ports.set(desc.portNo, desc)
    const conn = this.conn
    if (conn !== undefined && conn.negotiated) this.sendMessage(conn, { _tag: "PortStatus", reason, desc }, 0)
  }

  // ---------------------------------------------------------------------------------
  // Timeouts
  // ---------------------------------------------------------------------------------

  /**
   * Makes sure a timer fiber wakes at the earliest entry deadline. Idle deadlines only
   * move later as packets match, so a timer that is already set early enough stays; it
   * re-evaluates when it fires.
   */
  rescheduleExpiry(): void {
    const next = this.engine.nextDeadline()
    if (next === undefined) return
    if (this.expiry !== undefined && this.expiry.at <= next) return
    this.expiry?.fiber.interruptUnsafe()
    const delay = Math.max(0, next - this.now())
    const fiber = Effect.runForkWith(this.harness.context)(
      Effect.sleep(delay).pipe(Effect.andThen(Effect.sync(() => this.onTimer())))
    )
    this.expiry = { fiber, at: next }
  }

  private onTimer(): void {
    this.expiry = undefined
    const now = this.now()
    this.sendRemoved(this.table.expire(now), now)
    this.rescheduleExpiry()
  }

  /** Stops the timer (the test is over). */
  stopTimers(): void {
    this.expiry?.fiber.interruptUnsafe()
    this.expiry = undefined
  }

  // ---------------------------------------------------------------------------------
  // Records
  // ---------------------------------------------------------------------------------

  readonly takeFailure = (): FakeSwitchError.Reason | undefined => {
    if (!this.strict) return undefined
    if (this.refusedReported < this.refusedLog.length) {
      const refused = this.refusedLog.slice(this.refusedReported)
      this.refusedReported = this.refusedLog.length
      return new FakeSwitchError.Refused({ refused })
    }
    if (this.problemsReported < this.problemLog.length) {
      const problems = this.problemLog.slice(this.problemsReported)
      this.problemsReported = this.problemLog.length
      return new FakeSwitchError.Undefined({ dpid: this.id, problems })
    }
    return undefined
  }

  get transmitted(): ReadonlyArray<{ readonly port: number; readonly frame: Uint8Array }> {
    return this.log
  }

  get transmittedCount(): number {
    return this.log.length
  }

  readonly outputs = (port: number): ReadonlyArray<Uint8Array> => this.log.filter((t) => t.port === port).map((t) => t.frame)

  readonly clearOutputs = (): void => {
    this.log.length = 0
  }

  readonly received = <T extends Message.Tag = Message.Tag>(tag?: T): ReadonlyArray<Message.Of<T>> =>
    (tag === undefined ? this.receivedLog.slice() : this.receivedLog.filter((m) => m._tag === tag)) as unknown as ReadonlyArray<Message.Of<T>>

  readonly sent = <T extends Message.Tag = Message.Tag>(tag?: T): ReadonlyArray<Message.Of<T>> =>
    (tag === undefined ? this.sentLog.slice() : this.sentLog.filter((m) => m._tag === tag)) as unknown as ReadonlyArray<Message.Of<T>>

  get refused(): ReadonlyArray<FakeSwitchError.RefusedMessage> {
    return this.refusedLog
  }

  get problems(): ReadonlyArray<string> {
    return this.problemLog
  }

  get bufferedPackets(): number {
    return this.bufferMap.size
  }

  get sentCount(): number {
    return this.sentLog.length
  }

  // ---------------------------------------------------------------------------------
  // The Effect API for tests
  // ---------------------------------------------------------------------------------

  private badRequest(detail: string): Effect.Effect<never, FakeSwitchError.FakeSwitchError> {
    return Effect.fail(FakeSwitchError.make(new FakeSwitchError.BadRequest({ detail: `datapath ${this.id}: ${detail}` })))
  }

  private deliverySince(mark: number, sentMark: number): FakeSwitch.Delivery {
    const frames = this.log.slice(mark)
    const ports = [...new Set(frames.map((f) => f.port))].sort((a, b) => a - b)
    let packetIns = 0
    for (let i = sentMark; i < this.sentLog.length; i++) if (this.sentLog[i]!._tag === "PacketIn") packetIns++
    return {
      ports,
      frames,
      on: (port) => frames.filter((f) => f.port === port).map((f) => f.frame),
      packetIns
    }
  }

  /** Runs `f` (which makes the switch do something), settles, and reports what left the ports. */
  private andSettle(f: () => FakeSwitchError.FakeSwitchError | undefined): Effect.Effect<FakeSwitch.Delivery, FakeSwitchError.FakeSwitchError> {
    // Settle first as well: what the test (or an app) sent just before must reach the
    // switch before the frame does, as it would on a wire.
    return Effect.andThen(
      this.harness.settle,
      Effect.suspend(() => {
        const mark = this.log.length
        const sentMark = this.sentLog.length
        const error = f()
        if (error !== undefined) return Effect.fail(error)
        return Effect.map(this.harness.settle, () => this.deliverySince(mark, sentMark))
      })
    )
  }

  readonly setResponsive = (responsive: boolean): Effect.Effect<void, FakeSwitchError.FakeSwitchError> =>
    Effect.andThen(this.harness.settle, () => {
      this.responsive = responsive
      return Effect.void
    })

  readonly injectUnsafe = (port: number, frame: Uint8Array): void => this.receive(port, frame)

  readonly inject = (port: number, frame: Uint8Array): Effect.Effect<FakeSwitch.Delivery, FakeSwitchError.FakeSwitchError> =>
    this.table.ports.has(port)
      ? this.andSettle(() => {
        this.receive(port, frame)
        return undefined
      })
      : this.badRequest(`port ${port} does not exist (ports: ${[...this.table.ports.keys()].join(", ")})`)

  readonly packetIn = (options: FakeSwitch.PacketInOptions): Effect.Effect<FakeSwitch.Delivery, FakeSwitchError.FakeSwitchError> =>
    this.andSettle(() => this.packetInUnsafe(options))

  private changeState(portNo: number, f: (desc: Port.Port) => Port.Port): Effect.Effect<void, FakeSwitchError.FakeSwitchError> {
    return Effect.andThen(this.harness.settle, () => {
      const desc = this.table.ports.get(portNo)
      if (desc === undefined) return this.badRequest(`port ${portNo} does not exist`)
      const next = f(desc)
      if (next.state !== desc.state || next.config !== desc.config) this.updatePort(next, PortStatus.Reason.MODIFY)
      return this.harness.settle
    })
  }

  readonly portDown = (portNo: number): Effect.Effect<void, FakeSwitchError.FakeSwitchError> =>
    this.changeState(portNo, (d) => ({ ...d, state: (d.state | Port.State.LINK_DOWN) & ~Port.State.LIVE }))

  readonly portUp = (portNo: number): Effect.Effect<void, FakeSwitchError.FakeSwitchError> =>
    this.changeState(portNo, (d) => ({ ...d, state: (d.state & ~Port.State.LINK_DOWN) | Port.State.LIVE }))

  readonly setPort = (portNo: number, change: Partial<Pick<Port.Port, "config" | "state">>): Effect.Effect<void, FakeSwitchError.FakeSwitchError> =>
    this.changeState(portNo, (d) => ({ ...d, ...change }))

  readonly addPort = (port: number | Port.Port): Effect.Effect<void, FakeSwitchError.FakeSwitchError> =>
    Effect.andThen(this.harness.settle, () => {
      const desc = typeof port === "number" ? FlowTable.port(port) : port
      if (this.table.ports.has(desc.portNo)) return this.badRequest(`port ${desc.portNo} already exists`)
      this.updatePort(desc, PortStatus.Reason.ADD)
      return this.harness.settle
    })

  readonly removePort = (portNo: number): Effect.Effect<void, FakeSwitchError.FakeSwitchError> =>
    Effect.andThen(this.harness.settle, () => {
      const desc = this.table.ports.get(portNo)
      if (desc === undefined) return this.badRequest(`port ${portNo} does not exist`)
      this.updatePort(desc, PortStatus.Reason.DELETE)
      return this.harness.settle
    })
}
