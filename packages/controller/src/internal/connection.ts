/**
 * One switch connection: the read loop, the write path, echo, xids and pending
 * requests. The `Connection` object is also the `Datapath` handle apps hold.
 *
 * The read loop is one fiber that pulls a batch of chunks from the socket, frames it,
 * decodes every message, answers echo requests itself, runs the handshake state machine
 * and routes the batch's events to subscribers with one offer per subscriber. All of
 * that is synchronous plain code inside one step per pull (`processChunks`); Effects
 * appear only between batches: to write the batch's replies, to wait while subscribers
 * hold too much back, and to pull again.
 *
 * The write path has one rule: bytes reach the socket in the order the senders were
 * admitted. A sender that finds the line free (nothing being written, nothing queued)
 * writes from its own fiber, one write per batch; otherwise its bytes go into the bounded
 * send queue, which a writer fiber drains with one `writeAll` per round. Only one fiber
 * writes at a time: the line is taken synchronously when a sender decides to write
 * directly, and handed to the writer fiber when the direct write ends with bytes queued.
 *
 * Ownership: frames are views into the chunks the socket delivered and are never
 * mutated or reused, so decoded messages and events may point into them. Encoded batches
 * are fresh copies owned by the socket once written.
 */
import {
  Encoder,
  ErrorMsg,
  Features,
  Framing,
  Header,
  Hello,
  Message,
  Multipart,
  OpenFlowError,
  PortDesc,
  Version
} from "@switchyard/openflow"
import type { Port, PortStatus } from "@switchyard/openflow"
import type { NonEmptyReadonlyArray } from "effect/Array"
import * as Cause from "effect/Cause"
import type * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Scope from "effect/Scope"
import * as Socket from "effect/socket/Socket"
import type * as Datapath from "../Datapath.ts"
import * as DatapathError from "../DatapathError.ts"
import type * as Events from "../Events.ts"
import * as Handshake from "../Handshake.ts"
import type { ControllerState } from "./state.ts"
import { SendQueue } from "./sendQueue.ts"
import { type Batch, type Publisher, type Subscriber, SubscriberIndex } from "./subscription.ts"

type Msg = Message.Message

/** Type id of `Datapath` handles. */
export const DatapathTypeId = "~switchyard/controller/Datapath" as const

/** What `Controller.serve` gets from a listener. */
export interface ConnectionInfo {
  readonly socket: Socket.Socket
  readonly remoteAddress: string
  readonly transport: "tcp" | "tls" | "active" | (string & {})
}

// One encoder per wire version, shared by every connection: encoding is synchronous and
// `flush` hands out a fresh copy, so no connection needs a buffer of its own.
const encoders: Array<Encoder.Encoder | undefined> = []
const encoderFor = (version: Version.Version): Encoder.Encoder =>
  encoders[version] ??= Encoder.make(version, 64 * 1024)

const OFPT_HELLO = Header.OFPT.HELLO
const OFPT_ERROR = Header.OFPT.ERROR
const OFPT_ECHO_REQUEST = Header.OFPT.ECHO_REQUEST
const OFPT_ECHO_REPLY = Header.OFPT.ECHO_REPLY

/** Approximate memory an event costs beyond its frame, for the hold cap. */
const EVENT_OVERHEAD = 64

// Scratch state of the routing pass. A pass runs inside one connection's
// `processChunks`, which is synchronous and never re-entered (publishing schedules
// consumers instead of running them, and lifecycle events emitted for *another*
// connection during a pass are published directly), so one set suffices.
const touched: Array<Subscriber> = []
const frames: Array<Uint8Array> = []

const closed = (detail: string) => new DatapathError.Closed({ detail })

/**
 * How a session's failure leaves `run`: it has already become the connection's close
 * reason, so it is handled; an interruption passes through, so that whoever interrupted
 * the fiber (and the listener closing the socket) sees one.
 */
const sessionFailureHandled = (cause: Cause.Cause<unknown>): Effect.Effect<void> =>
  Cause.hasInterruptsOnly(cause) ? Effect.failCause(cause as Cause.Cause<never>) : Effect.void

const batchBytes = (batch: Batch): number => {
  let n = 0
  for (let i = 0; i < batch.length; i++) {
    const e = batch[i]!
    n += e._tag === "Message" ? EVENT_OVERHEAD + e.bytes.length : EVENT_OVERHEAD
  }
  return n
}

/** A request waiting for its reply. */
interface Pending {
  readonly xid: number
  readonly request: string
  readonly expected: string
  readonly assembler: Multipart.Assembler<Multipart.Reply> | undefined
  /** Set once the reply (or failure) is known; the waiter may not be registered yet. */
  result: Exit.Exit<unknown, DatapathError.DatapathError> | undefined
  resume: ((exit: Exit.Exit<unknown, DatapathError.DatapathError>) => void) | undefined
}

const replyTagOf = (tag: string): string => (tag.endsWith("Request") ? `${tag.slice(0, -7)}Reply` : tag)

const portReason = (reason: number): Events.PortChangeReason | undefined =>
  reason === 0 ? "ADD" : reason === 1 ? "DELETE" : reason === 2 ? "MODIFY" : undefined

/** Counters kept as plain numbers; read by `stats` and by the metrics hooks. */
export class Counters {
  messagesReceived = 0
  messagesSent = 0
  bytesReceived = 0
  bytesSent = 0
  errorsSent = 0
  errorsReceived = 0
  eventsDropped = 0
}

export class Connection implements Datapath.Datapath, Publisher {
  readonly [DatapathTypeId]: typeof DatapathTypeId = DatapathTypeId
  readonly remoteAddress: string
  readonly transport: string
  private readonly rt: ControllerState
  private readonly socket: Socket.Socket

  state: Handshake.State = "HANDSHAKE"
  version: Version.Version
  dpid = 0n
  dpidKnown = false
  private features_: Features.FeaturesReply | undefined = undefined
  readonly ports = new Map<number, Port.Port>()
  readonly counters = new Counters()
  /** Set once the connection is closed or closing; the first reason wins. */
  closeReason: DatapathError.Closed | undefined = undefined
  /** Closing because the peer is unresponsive: destroy the socket instead of flushing. */
  private forceClose = false
  replacedBy: Connection | undefined = undefined
  /** The fiber serving the connection, for closing it from outside. */
  fiber: Fiber.Fiber<unknown, unknown> | undefined = undefined
  /** Callers of `awaitClose`, resumed once everything is released. */
  private closeWaiters: Array<() => void> | undefined = undefined
  private finalized = false

  // Read side.
  private readonly framer = Framing.make()
  private inBatch = false
  /** Encoded control replies (echo, errors, handshake requests) produced by the current batch. */
  private replies: Array<Uint8Array> | undefined = undefined
  /** Why the read loop must stop after the current batch. */
  private fatal: DatapathError.Closed | undefined = undefined
  private warnings: Array<string> | undefined = undefined
  /** Log lines produced by the current batch, written after it. */
  private logs: Array<Effect.Effect<void>> | undefined = undefined
  private suppressedWarnings = 0
  private lastWarnAt = -Infinity

  // Handshake.
  private featuresXid = -1
  private portDescXid = -1
  private portDesc: Multipart.Assembler<PortDesc.PortDescReply> | undefined = undefined

  // Write side.
  private writer: Socket.Writer | undefined = undefined
  private readonly queue: SendQueue
  /** Some fiber holds the line: a direct write in flight, or the writer fiber alive. */
  private lineBusy = false
  private writerFiber: Fiber.Fiber<void> | undefined = undefined
  private context: Context.Context<never> | undefined = undefined
  /** Closes a connection stuck in its handshake; stopped at MAIN. */
  private handshakeTimer: Fiber.Fiber<void> | undefined = undefined
  private nextXid_ = 1

  // Requests.
  private pending: Map<number, Pending> | undefined = undefined

  // Subscriptions held back by back-pressure.
  private held: Map<Subscriber, Array<Batch>> | undefined = undefined
  heldBytes = 0
  private readerWaiter: ((effect: Effect.Effect<void>) => void) | undefined = undefined

  // Keepalive, driven by the controller's ticker.
  rxSinceTick = true
  pausedSinceTick = false
  unansweredEchoes = 0
  private echoXid = -1
  private echoSentAt = 0
  lastEchoRttMillis: number | undefined = undefined

  private metricsRegistered = false
  /** First registry key of this datapath's metric series (see `metrics.ts`). */
  metricsBase = 0
  private id_: string | undefined = undefined

  constructor(rt: ControllerState, info: ConnectionInfo) {
    this.rt = rt
    this.socket = info.socket
    this.remoteAddress = info.remoteAddress
    this.transport = info.transport
    this.version = rt.ourHello.version
    this.queue = new SendQueue(rt.options.sendQueueSize)
  }

  // ---------------------------------------------------------------------------
  // Datapath API
  // ---------------------------------------------------------------------------

  get id(): string {
    return this.id_ ??= Features.formatDatapathId(this.dpid)
  }

  get features(): Features.FeaturesReply {
    return this.features_!
  }

  get stats(): Datapath.Stats {
    const c = this.counters
    return {
      messagesReceived: c.messagesReceived,
      messagesSent: c.messagesSent,
      bytesReceived: c.bytesReceived,
      bytesSent: c.bytesSent,
      errorsSent: c.errorsSent,
      eventsDropped: c.eventsDropped,
      sendQueueDepth: this.queue.size,
      heldBytes: this.heldBytes,
      pendingRequests: this.pending?.size ?? 0,
      echoRttMillis: this.lastEchoRttMillis
    }
  }

  /** Allocates a transaction id; 0 is skipped since switches use it for unsolicited messages. */
  nextXid(): number {
    const xid = this.nextXid_
    this.nextXid_ = xid === 0xffff_ffff ? 1 : xid + 1
    return xid
  }

  // The operations below are prototype methods, not per-instance closures: ten thousand
  // idle datapaths should not carry ten thousand copies of each. Call them as methods.

  send(message: Msg, options?: Datapath.SendOptions): Effect.Effect<void, DatapathError.DatapathError> {
    return Effect.suspend(() => {
      const bytes = this.encode(message, options?.xid)
      return bytes instanceof Uint8Array ? this.writeBytes(bytes) : Effect.fail(bytes)
    })
  }

  sendAll(messages: ReadonlyArray<Msg>): Effect.Effect<void, DatapathError.DatapathError> {
    return Effect.suspend(() => {
      if (messages.length === 0) return this.closeReason === undefined ? Effect.void : Effect.fail(this.error(this.closeReason))
      const bytes = this.encodeAll(messages)
      return bytes instanceof Uint8Array ? this.writeBytes(bytes) : Effect.fail(bytes)
    })
  }

  sendUnsafe(message: Msg, options?: Datapath.SendOptions): Datapath.SendResult {
    const bytes = this.encode(message, options?.xid)
    return bytes instanceof Uint8Array ? this.enqueueUnsafe(bytes) : bytes
  }

  sendAllUnsafe(messages: ReadonlyArray<Msg>): Datapath.SendResult {
    if (messages.length === 0) return this.closeReason === undefined ? true : this.error(this.closeReason)
    const bytes = this.encodeAll(messages)
    return bytes instanceof Uint8Array ? this.enqueueUnsafe(bytes) : bytes
  }

  request<M extends Datapath.RequestMessage>(
    message: M,
    options?: Datapath.RequestOptions
  ): Effect.Effect<Datapath.ReplyOf<M>, DatapathError.DatapathError> {
    return Effect.suspend(() => {
      if (this.closeReason !== undefined) return Effect.fail(this.error(this.closeReason))
      const xid = this.nextXid()
      const bytes = this.encode(message, xid)
      if (!(bytes instanceof Uint8Array)) return Effect.fail(bytes)
      const entry: Pending = {
        xid,
        request: message._tag,
        expected: Multipart.isRequest(message) ? Multipart.replyTag[message._tag] : replyTagOf(message._tag),
        assembler: Multipart.isRequest(message) ? Multipart.assembler(message) as Multipart.Assembler<Multipart.Reply> : undefined,
        result: undefined,
        resume: undefined
      }
      ;(this.pending ??= new Map()).set(xid, entry)
      const timeout = options?.timeout === undefined ? this.rt.options.requestTimeout : Duration.toMillis(options.timeout)
      const wait = Effect.callback<unknown, DatapathError.DatapathError>((resume) => {
        if (entry.result !== undefined) return resume(entry.result)
        entry.resume = resume
      })
      return this.writeBytes(bytes).pipe(
        Effect.andThen(wait),
        Effect.timeoutOrElse({
          duration: timeout,
          orElse: () =>
            Effect.fail(
              this.error(
                new DatapathError.RequestTimeout({ request: message._tag, xid, timeoutMillis: timeout })
              )
            )
        }),
        Effect.ensuring(Effect.sync(() => this.pending?.delete(xid)))
      ) as Effect.Effect<Datapath.ReplyOf<M>, DatapathError.DatapathError>
    })
  }

  get barrier(): Effect.Effect<void, DatapathError.DatapathError> {
    return Effect.asVoid(this.request({ _tag: "BarrierRequest" }))
  }

  close(options?: { readonly reason?: string }): Effect.Effect<void> {
    return Effect.suspend(() => this.closeFromOutside(closed(options?.reason ?? "closed by the controller"), false))
  }

  get isOpen(): boolean {
    return this.closeReason === undefined
  }

  get awaitClose(): Effect.Effect<DatapathError.Closed> {
    return Effect.callback<DatapathError.Closed>((resume) => {
      if (this.finalized) return resume(Effect.succeed(this.closeReason!))
      const waiter = () => resume(Effect.succeed(this.closeReason!))
      ;(this.closeWaiters ??= []).push(waiter)
      return Effect.sync(() => {
        const i = this.closeWaiters?.indexOf(waiter) ?? -1
        if (i >= 0) this.closeWaiters!.splice(i, 1)
      })
    })
  }

  toString(): string {
    return this.dpidKnown ? `datapath ${this.id} (${this.remoteAddress})` : `connection ${this.remoteAddress}`
  }

  toJSON(): unknown {
    return { _id: "Datapath", dpid: this.dpidKnown ? this.id : undefined, remoteAddress: this.remoteAddress, state: this.state }
  }

  // ---------------------------------------------------------------------------
  // Write path
  // ---------------------------------------------------------------------------

  private error(reason: DatapathError.Reason): DatapathError.DatapathError {
    return new DatapathError.DatapathError({ reason, dpid: this.dpidKnown ? this.dpid : undefined })
  }

  private encode(message: Msg, xid: number | undefined): Uint8Array | DatapathError.DatapathError {
    if (this.closeReason !== undefined) return this.error(this.closeReason)
    const encoder = encoderFor(this.version)
    const failure = encoder.add(message, xid ?? this.nextXid())
    if (failure !== undefined) return this.error(new DatapathError.EncodeFailed({ cause: failure }))
    const bytes = encoder.flush()
    this.counters.messagesSent++
    this.counters.bytesSent += bytes.length
    return bytes
  }

  /** Encodes a batch with fresh xids; all or nothing. */
  private encodeAll(messages: ReadonlyArray<Msg>): Uint8Array | DatapathError.DatapathError {
    if (this.closeReason !== undefined) return this.error(this.closeReason)
    const encoder = encoderFor(this.version)
    for (let i = 0; i < messages.length; i++) {
      const failure = encoder.add(messages[i]!, this.nextXid())
      if (failure !== undefined) {
        // Drop the messages already encoded: the batch is sent whole or not at all.
        encoder.flush()
        return this.error(new DatapathError.EncodeFailed({ cause: failure }))
      }
    }
    const bytes = encoder.flush()
    this.counters.messagesSent += messages.length
    this.counters.bytesSent += bytes.length
    return bytes
  }

  /**
   * Writes `bytes` after everything admitted before them. See the module comment for the
   * line discipline; a sender only waits when the queue is full (back-pressure) or when
   * its own direct write waits for the socket to drain.
   */
  writeBytes(bytes: Uint8Array): Effect.Effect<void, DatapathError.DatapathError> {
    if (this.closeReason !== undefined) return Effect.fail(this.error(this.closeReason))
    const queue = this.queue
    if (!this.lineBusy && queue.size === 0) {
      this.lineBusy = true
      return Effect.onExit(this.writer!.write(bytes), (exit) => this.afterDirectWrite(exit)).pipe(
        Effect.mapError((e) => this.error(closed(`write failed: ${e.message}`)))
      )
    }
    if (queue.offerUnsafe(bytes)) {
      this.kickWriter()
      return Effect.void
    }
    this.kickWriter()
    return Effect.flatMap(
      queue.offer(bytes),
      (accepted) => (accepted ? Effect.void : Effect.fail(this.error(this.closeReason ?? closed("send queue shut down"))))
    )
  }

  private afterDirectWrite(exit: Exit.Exit<void, Socket.SocketError>): Effect.Effect<void> {
    this.lineBusy = false
    if (Exit.isFailure(exit) && this.closeReason === undefined && !Exit.hasInterrupts(exit)) {
      this.fatalFromOutside(closed("write failed"))
    } else if (this.queue.size > 0) {
      this.kickWriter()
    }
    return Effect.void
  }

  /** Queues bytes for the writer fiber without waiting; `false` when the queue is full. */
  private enqueueUnsafe(bytes: Uint8Array): Datapath.SendResult {
    if (this.closeReason !== undefined) return this.error(this.closeReason)
    if (!this.queue.offerUnsafe(bytes)) return false
    this.kickWriter()
    return true
  }

  /** Starts the writer fiber if the line is free and bytes are queued. */
  private kickWriter(): void {
    if (this.lineBusy || this.closeReason !== undefined || this.context === undefined) return
    this.lineBusy = true
    // The writer yields once before taking the queue: the code that queued these bytes
    // (an app's loop of `sendUnsafe`, the keepalive ticker going through every
    // connection) finishes first, and everything it queued goes out in one write.
    this.writerFiber = Effect.runForkWith(this.context)(Effect.andThen(Effect.yieldNow, this.drainQueue()))
  }

  /**
   * Drains the queue: everything queued goes out in one `writeAll`, then again until the
   * queue is empty, when the fiber ends and frees the line. Taking the items and keeping
   * the line happen in one synchronous step, so no direct write can slip in between.
   */
  private drainQueue(): Effect.Effect<void> {
    return Effect.suspend(() => {
      const items = this.queue.takeAllUnsafe()
      if (items === undefined || this.closeReason !== undefined) {
        this.lineBusy = false
        this.writerFiber = undefined
        return Effect.void
      }
      return this.writer!.writeAll(items as unknown as NonEmptyReadonlyArray<Uint8Array>).pipe(
        Effect.matchCauseEffect({
          onFailure: () => {
            this.lineBusy = false
            this.writerFiber = undefined
            this.fatalFromOutside(closed("write failed"))
            return Effect.void
          },
          onSuccess: () => this.drainQueue()
        })
      )
    })
  }

  // ---------------------------------------------------------------------------
  // Session
  // ---------------------------------------------------------------------------

  /**
   * Runs the connection in the calling fiber until it closes. Never fails; closing it
   * from outside (takeover, keepalive, `close`) interrupts that fiber.
   */
  run(): Effect.Effect<void> {
    return Effect.withFiber((fiber) => {
      this.fiber = fiber
      this.context = fiber.context
      this.rt.live.add(this)
      // Two frames stay on the fiber's stack for the connection's whole life, whatever it
      // does: the end of the session (one closure), and the conversion of its failure
      // (shared). An idle switch is that, the read loop's pending pull, and this object.
      // The session is built inside a `suspend`: the frames keep the effect they wrap, and
      // a suspended thunk is smaller than the acquisition steps it builds.
      const scope = Scope.makeUnsafe()
      return Effect.catchCause(
        Effect.onExit(Effect.suspend(() => this.session(scope)), (exit) => this.endSession(exit, scope)),
        sessionFailureHandled
      )
    })
  }

  /**
   * Acquires the socket's reader and writer into `scope`, sends our HELLO, and reads
   * until the connection fails. The read loop is a single `flatMap` that returns itself,
   * built once: a generator would keep its own object, shape and prototype per
   * connection for as long as the connection lives.
   */
  private session(scope: Scope.Closeable): Effect.Effect<never, unknown> {
    return Effect.flatMap(Scope.provide(this.socket.reader, scope), (reader) =>
      Effect.flatMap(Scope.provide(this.socket.writer, scope), (writer) => {
        this.writer = writer
        const readLoop: Effect.Effect<never, unknown> = Effect.flatMap(reader.pull, (chunks) => {
          const after = this.processChunks(chunks)
          return after === undefined ? readLoop : Effect.andThen(after, readLoop)
        })
        if (this.rt.options.handshakeTimeoutMillis > 0) {
          // Not scoped to the session: a second scope finalizer would cost every
          // connection a finalizer map; the timer is stopped at MAIN or at the end instead.
          this.handshakeTimer = Effect.runForkWith(this.context!)(
            Effect.andThen(Effect.sleep(this.rt.options.handshakeTimeoutMillis), this.handshakeDeadline())
          )
        }
        const hello = this.rt.ourHello
        const helloBytes = Message.encode(hello.message, { version: hello.version, xid: this.nextXid() })
        const log = Effect.logDebug(`OpenFlow connection from ${this.remoteAddress} (${this.transport})`)
        const start = helloBytes._tag === "Success" ? Effect.andThen(this.writeBytes(helloBytes.success), log) : log
        return Effect.andThen(start, readLoop)
      }))
  }

  /** The end of the session, however it ends: its reason, the cleanup, then the socket. */
  private endSession(exit: Exit.Exit<never, unknown>, scope: Scope.Closeable): Effect.Effect<void> {
    return Effect.suspend(() => {
      this.stopHandshakeTimer()
      // An interrupted session (shutdown, or a close from outside that set its reason
      // first) gets its reason in `finalize`.
      const reason = Exit.isFailure(exit) && !Cause.hasInterruptsOnly(exit.cause) ? this.onSessionEnd(exit.cause) : Effect.void
      return Effect.andThen(
        reason,
        Effect.andThen(Effect.suspend(() => this.finalize()), Scope.close(scope, Exit.void))
      )
    })
  }

  private stopHandshakeTimer(): void {
    const timer = this.handshakeTimer
    this.handshakeTimer = undefined
    if (timer !== undefined) timer.interruptUnsafe()
  }

  private handshakeDeadline(): Effect.Effect<void> {
    return Effect.suspend(() => {
      this.handshakeTimer = undefined
      return this.state === "HANDSHAKE" || this.state === "CONFIG"
        ? this.closeFromOutside(closed(`handshake not finished within ${this.rt.options.handshakeTimeoutMillis} ms`), true)
        : Effect.void
    })
  }

  private onSessionEnd(cause: Cause.Cause<unknown>): Effect.Effect<void> {
    return Effect.suspend(() => {
      if (this.closeReason === undefined) {
        const error = cause.reasons.find((r) => r._tag === "Fail")
        const failure = error !== undefined && error._tag === "Fail" ? error.error : undefined
        if (Socket.isSocketError(failure)) {
          const reason = failure.reason
          const detail = reason._tag === "SocketCloseError"
            ? this.framer.buffered > 0
              ? `peer closed the connection in the middle of a message (${this.framer.buffered} bytes of it received)`
              : "peer closed the connection"
            : `socket error: ${failure.message}`
          this.terminate(closed(detail), undefined)
        } else if (DatapathError.isDatapathError(failure) && failure.reason._tag === "Closed") {
          this.terminate(failure.reason, undefined)
        } else if (failure === undefined && cause.reasons.some((r) => r._tag === "Die")) {
          this.terminate(closed("internal error"), undefined)
          return Effect.logError("datapath session died", cause)
        } else {
          this.terminate(closed(failure === undefined ? "interrupted" : String(failure)), undefined)
        }
      }
      return Effect.void
    })
  }

  /**
   * Runs last, before the socket's reader and writer are released (they close the
   * connection: the writer half-closes, the reader closes): everything else is released
   * here, and a peer that stopped answering is destroyed rather than flushed, so a full
   * socket buffer cannot keep it around.
   */
  private finalize(): Effect.Effect<void> {
    // Reached with no reason only when the serving fiber was interrupted from outside
    // (the listener closing, the program shutting down): closes made by the runtime set
    // their reason before interrupting.
    this.terminate(closed("controller shutting down"), undefined)
    this.rt.live.delete(this)
    const reason = this.closeReason!
    let effect: Effect.Effect<void> = this.dpidKnown
      ? Effect.logInfo(`datapath ${this.id} (${this.remoteAddress}) disconnected: ${reason.detail}`)
      : Effect.logDebug(`connection from ${this.remoteAddress} closed: ${reason.detail}`)
    const writerFiber = this.writerFiber
    this.writerFiber = undefined
    if (writerFiber !== undefined) effect = Effect.andThen(Fiber.interrupt(writerFiber), effect)
    if (this.forceClose && this.writer !== undefined) {
      effect = Effect.andThen(Effect.ignore(this.writer.write(new Socket.CloseEvent(1000))), effect)
    }
    return Effect.andThen(
      effect,
      Effect.sync(() => {
        this.finalized = true
        const waiters = this.closeWaiters
        this.closeWaiters = undefined
        if (waiters !== undefined) for (const w of waiters) w()
      })
    )
  }

  /**
   * Marks the connection dead and releases everything that does not need an Effect:
   * held events go to their subscribers (nothing decoded is lost), lifecycle events are
   * published, pending requests fail, blocked senders wake, the registry forgets it.
   * Idempotent: the first reason wins.
   */
  terminate(reason: DatapathError.Closed, replacedBy: Connection | undefined): void {
    if (this.closeReason !== undefined) return
    this.closeReason = reason
    this.replacedBy = replacedBy
    const from = this.state
    this.state = "DEAD"
    if (from !== "MAIN" && !this.rt.shuttingDown) this.rt.totals.handshakeFailures++
    if (this.held !== undefined) {
      for (const [subscriber, batches] of this.held) {
        for (const batch of batches) subscriber.append(batch)
        const i = subscriber.blocked.indexOf(this)
        if (i >= 0) subscriber.blocked.splice(i, 1)
      }
      this.held = undefined
      this.heldBytes = 0
    }
    if (this.dpidKnown) {
      this.emit({ _tag: "StateChange", datapath: this, from, to: "DEAD" })
      if (from === "MAIN") this.emit({ _tag: "DatapathDown", datapath: this, reason, replacedBy })
      if (this.rt.registry.get(this.dpid) === this) this.rt.registry.delete(this.dpid)
    }
    if (this.pending !== undefined) {
      const failure = Exit.fail(this.error(reason))
      for (const entry of this.pending.values()) this.settle(entry, failure)
      this.pending.clear()
    }
    this.queue.shutdown()
    const waiter = this.readerWaiter
    this.readerWaiter = undefined
    if (waiter !== undefined) waiter(Effect.void)
    if (this.metricsRegistered) {
      this.metricsRegistered = false
      this.rt.unregisterMetrics(this)
    }
  }

  /** Closes the connection from another fiber (timeouts, takeover, `close`). */
  closeFromOutside(reason: DatapathError.Closed, force: boolean): Effect.Effect<void> {
    this.forceClose ||= force
    this.terminate(reason, undefined)
    const fiber = this.fiber
    if (fiber === undefined) return Effect.void
    return Effect.withFiber((current) => (current === fiber ? Effect.interrupt : Fiber.interrupt(fiber)))
  }

  /** Drops a switch that stopped answering: the socket is destroyed rather than flushed. */
  closeUnresponsive(detail: string): void {
    this.forceClose = true
    this.fatalFromOutside(closed(detail))
  }

  /**
   * Like {@link closeFromOutside} without waiting, for synchronous code. The interrupt
   * is scheduled rather than run inline, because the caller may be in the middle of
   * another connection's batch.
   */
  fatalFromOutside(reason: DatapathError.Closed, replacedBy?: Connection): void {
    this.terminate(reason, replacedBy)
    const fiber = this.fiber
    if (fiber !== undefined) fiber.currentDispatcher.scheduleTask(() => fiber.interruptUnsafe(), 0)
  }

  // ---------------------------------------------------------------------------
  // Read path
  // ---------------------------------------------------------------------------

  /**
   * Handles one pulled batch synchronously. Returns what must happen before the next
   * pull (write replies, wait for subscribers, stop), or `undefined` for nothing.
   */
  processChunks(chunks: NonEmptyReadonlyArray<Uint8Array | string>): Effect.Effect<void, DatapathError.DatapathError> | undefined {
    this.rxSinceTick = true
    frames.length = 0
    // A previous pass can only have left scratch behind by dying half-way (a bug, which
    // killed that connection); its events must not leak into this batch.
    if (touched.length > 0) {
      for (const s of touched) s.scratch = undefined
      touched.length = 0
    }
    let framingError: OpenFlowError.OpenFlowError | undefined
    let badHeader: Uint8Array = EMPTY
    for (let i = 0; i < chunks.length; i++) {
      const raw = chunks[i]!
      // Stream transports deliver bytes; a message-based one (a WebSocket) could hand us
      // text, which is bytes to OpenFlow all the same.
      const chunk = typeof raw === "string" ? textEncoder.encode(raw) : raw
      this.counters.bytesReceived += chunk.length
      if (this.state === "HANDSHAKE" && frames.length === 0 && this.framer.buffered === 0 && chunk.length >= 2 && chunk[1] !== OFPT_HELLO) {
        // A peer that does not open with HELLO is not speaking OpenFlow (or not to us);
        // waiting for its first "message" to complete could mean waiting for 64 KiB of
        // garbage, so judge it by its first two bytes.
        this.rejectHello(`expected OFPT_HELLO first, got type ${chunk[1]} (version byte 0x${chunk[0]!.toString(16)})`)
        break
      }
      const before = frames.length
      const hadPartial = this.framer.buffered > 0
      framingError = this.framer.push(chunk, frames)
      if (framingError !== undefined) {
        badHeader = offendingHeader(chunk, frames, before, hadPartial)
        break
      }
    }
    this.inBatch = true
    for (let i = 0; i < frames.length && this.fatal === undefined; i++) this.processFrame(frames[i]!)
    frames.length = 0
    if (framingError !== undefined && this.fatal === undefined) {
      const header = badHeader
      this.replyError(framingError, header.length >= 8 ? Header.xid(header) : 0, header)
      this.fatal = closed(framingError.message)
      this.warn(`closing: ${framingError.message}`)
    }
    this.flushRouting()
    this.inBatch = false
    return this.afterBatch()
  }

  private afterBatch(): Effect.Effect<void, DatapathError.DatapathError> | undefined {
    let effect: Effect.Effect<void, DatapathError.DatapathError> | undefined
    const replies = this.replies
    if (replies !== undefined) {
      this.replies = undefined
      effect = this.writeBytes(replies.length === 1 ? replies[0]! : concat(replies))
    }
    if (this.warnings !== undefined) {
      const warnings = this.warnings
      this.warnings = undefined
      const log = Effect.logWarning(`${this.toString()}: ${warnings.join("; ")}`)
      effect = effect === undefined ? log : Effect.andThen(effect, log)
    }
    if (this.logs !== undefined) {
      const logs = this.logs
      this.logs = undefined
      for (const log of logs) effect = effect === undefined ? log : Effect.andThen(effect, log)
    }
    if (this.fatal !== undefined) {
      const fatal = this.fatal
      const stop = Effect.fail(this.error(fatal))
      return effect === undefined ? stop : Effect.andThen(Effect.ignore(effect), stop)
    }
    if (this.heldBytes > this.rt.options.holdBytes) {
      const wait = this.waitForSubscribers()
      return effect === undefined ? wait : Effect.andThen(effect, wait)
    }
    return effect
  }

  /**
   * Stops pulling until subscribers have taken enough of what this connection holds for
   * them. While here the switch's bytes stay in the socket, so TCP back-pressures it.
   */
  private waitForSubscribers(): Effect.Effect<void> {
    return Effect.callback<void>((resume) => {
      if (this.heldBytes <= this.rt.options.holdBytes || this.closeReason !== undefined) return resume(Effect.void)
      this.pausedSinceTick = true
      this.readerWaiter = resume
      return Effect.sync(() => {
        if (this.readerWaiter === resume) this.readerWaiter = undefined
      })
    })
  }

  get readerPaused(): boolean {
    return this.readerWaiter !== undefined
  }

  private processFrame(frame: Uint8Array): void {
    this.counters.messagesReceived++
    if (this.state === "HANDSHAKE") return this.onHello(frame)
    const type = frame[1]!
    if (frame[0] !== this.version) {
      // OpenFlow 1.3 §6.3.1: after negotiation every message must use the agreed version.
      if (type !== OFPT_ERROR) {
        this.replyError(
          OpenFlowError.make("OFPBRC_BAD_VERSION", `version 0x${frame[0]!.toString(16)} after negotiating ${Version.format(this.version)}`),
          Header.xid(frame),
          frame
        )
      }
      return
    }
    if (type === OFPT_ECHO_REQUEST) {
      // Answered here, before any app sees it: the reply is the request with its type
      // changed, same xid and payload (§7.5.2).
      const reply = frame.slice()
      reply[1] = OFPT_ECHO_REPLY
      this.addReply(reply)
      if (this.dpidKnown && this.wantsTag("EchoRequest")) this.handleDecoded(frame, Message.decodeMessage(frame))
      return
    }
    this.handleDecoded(frame, Message.decodeMessage(frame))
  }

  private handleDecoded(frame: Uint8Array, decoded: Msg | OpenFlowError.OpenFlowError): void {
    if (OpenFlowError.isOpenFlowError(decoded)) {
      // Never answer an error with an error (§7.4.4), or two peers could loop forever.
      if (frame[1] !== OFPT_ERROR) this.replyError(decoded, Header.xid(frame), frame)
      this.warn(`malformed ${Header.typeName(frame[0]!, frame[1]!) ?? `type ${frame[1]}`} message: ${decoded.toLine()}`)
      return
    }
    const xid = Header.xid(frame)
    if (frame[1] === OFPT_ERROR) this.counters.errorsReceived++
    if (this.pending !== undefined) {
      const entry = this.pending.get(xid)
      if (entry !== undefined && this.answer(entry, decoded)) return
    }
    switch (decoded._tag) {
      case "EchoReply":
        if (xid === this.echoXid) {
          this.echoXid = -1
          this.lastEchoRttMillis = this.rt.nowMillis() - this.echoSentAt
          return
        }
        break
      case "FeaturesReply":
        if (this.state === "CONFIG" && xid === this.featuresXid && decoded.auxiliaryId !== 0) {
          // An OpenFlow 1.3 auxiliary connection shares its datapath id with the main one;
          // taking it for a reconnect would close the main connection. Auxiliary channels
          // are not supported, so refuse it and leave the main connection alone.
          this.fatal = closed(`auxiliary connection ${decoded.auxiliaryId} of datapath ${Features.formatDatapathId(decoded.datapathId)} refused: not supported`)
          this.warn(this.fatal.detail)
          return
        }
        if (this.state === "CONFIG" && xid === this.featuresXid) {
          // Name the datapath first, so the reply itself is published (in CONFIG, as
          // Ryu's EventOFPSwitchFeatures is) before the handshake moves on.
          this.features_ = decoded
          // OpenFlow 1.0 lists the ports here; 1.3 moved them to PORT_DESC.
          if (decoded.ports !== undefined) for (const port of decoded.ports) this.ports.set(port.portNo, port)
          this.dpid = decoded.datapathId
          this.dpidKnown = true
          this.featuresXid = -1
          this.route(decoded, xid, frame)
          return this.afterFeatures()
        }
        break
      case "PortDescReply":
        if (this.state === "CONFIG" && xid === this.portDescXid) {
          this.route(decoded, xid, frame)
          return this.onPortDesc(decoded)
        }
        break
      case "PortStatus":
        this.route(decoded, xid, frame)
        return this.onPortStatus(decoded)
      case "ErrorMsg":
      case "ExperimenterErrorMsg":
        if (this.state === "CONFIG" && (xid === this.featuresXid || xid === this.portDescXid)) {
          this.route(decoded, xid, frame)
          return this.onHandshakeError(decoded, xid)
        }
        break
    }
    this.route(decoded, xid, frame)
  }

  // ---------------------------------------------------------------------------
  // Handshake
  // ---------------------------------------------------------------------------

  private onHello(frame: Uint8Array): void {
    const peerVersion = frame[0]!
    if (frame[1] !== OFPT_HELLO) {
      return this.rejectHello(`expected OFPT_HELLO first, got type ${frame[1]}`)
    }
    // A HELLO from a newer protocol version is legitimate (it may still offer ours in
    // its bitmap), but the codec only knows versions up to 1.5: decode its elements as
    // 1.5, whose HELLO layout every later version keeps.
    let bytes: Uint8Array = frame
    if (!Version.isVersion(peerVersion)) {
      bytes = frame.slice()
      bytes[0] = Version.OF15
    }
    const decoded = Message.decodeMessage(bytes)
    if (OpenFlowError.isOpenFlowError(decoded)) {
      this.replyError(decoded, Header.xid(frame), frame, this.rt.ourHello.version)
      this.fatal = closed(`bad HELLO: ${decoded.message}`)
      return
    }
    const result = Handshake.negotiate(this.rt.options.versions, decoded as Hello.Hello, peerVersion)
    if (result._tag === "Incompatible") {
      this.addReplyMessage(result.error, result.errorVersion, Header.xid(frame))
      this.counters.errorsSent++
      this.rt.totals.errorsSent++
      this.fatal = closed(result.detail)
      this.warn(result.detail)
      return
    }
    this.version = result.version
    this.setState("CONFIG")
    this.featuresXid = this.nextXid()
    this.addReplyMessage(Features.request, this.version, this.featuresXid)
  }

  private rejectHello(detail: string): void {
    const error = ErrorMsg.incompatible(detail, this.rt.ourHello.version)
    this.addReplyMessage(error, this.rt.ourHello.version, 0)
    this.counters.errorsSent++
    this.rt.totals.errorsSent++
    this.fatal = closed(detail)
    this.warn(detail)
  }

  private afterFeatures(): void {
    if (this.version >= Version.OF13 && Message.isEncodable("PortDescRequest", this.version)) {
      this.portDescXid = this.nextXid()
      this.portDesc = Multipart.assembler(PortDesc.request)
      this.addReplyMessage(PortDesc.request, this.version, this.portDescXid)
    } else {
      // Before 1.3 the FEATURES_REPLY lists the ports itself (OpenFlow 1.0 §5.3.1).
      const ports = this.features_?.ports
      if (ports !== undefined) for (const port of ports) this.ports.set(port.portNo, port)
      this.enterMain()
    }
  }

  private onPortDesc(part: PortDesc.PortDescReply): void {
    const result = this.portDesc!.add(part)
    if (result === undefined) return
    this.portDescXid = -1
    this.portDesc = undefined
    if (OpenFlowError.isOpenFlowError(result)) {
      this.warn(`bad PORT_DESC reply, continuing without a port list: ${result.toLine()}`)
    } else {
      for (const port of result.ports) this.ports.set(port.portNo, port)
    }
    this.enterMain()
  }

  private onHandshakeError(error: ErrorMsg.ErrorMsg | ErrorMsg.ExperimenterErrorMsg, xid: number): void {
    const name = error._tag === "ErrorMsg" ? ErrorMsg.errorName(error, this.version) ?? `type ${error.errorType} code ${error.code}` : "experimenter error"
    if (xid === this.portDescXid) {
      // Some switches refuse PORT_DESC; the datapath is usable without a port list and
      // PORT_STATUS will fill it in.
      this.portDescXid = -1
      this.portDesc = undefined
      this.warn(`switch refused PORT_DESC (${name}), continuing without a port list`)
      this.enterMain()
    } else {
      this.fatal = closed(`switch refused FEATURES_REQUEST: ${name}`)
    }
  }

  private enterMain(): void {
    this.stopHandshakeTimer()
    const previous = this.rt.registry.get(this.dpid)
    this.setState("MAIN")
    let replaced: Connection | undefined
    if (previous !== undefined && previous !== this) {
      // Duplicate datapath id: the switch reconnected before we noticed the old
      // connection died (or two switches share an id). The newest connection wins; the
      // old one's Down is published before our Up.
      replaced = previous
      previous.forceClose = true
      previous.fatalFromOutside(closed(`replaced by a new connection from ${this.remoteAddress}`), this)
    }
    this.rt.registry.set(this.dpid, this)
    this.rt.registerMetrics(this)
    this.metricsRegistered = true
    this.emit({ _tag: "DatapathUp", datapath: this, replaced })
    ;(this.logs ??= []).push(
      Effect.logInfo(
        `datapath ${this.id} up (${this.remoteAddress}, OpenFlow ${Version.format(this.version)}, ${this.ports.size} ports${
          replaced !== undefined ? `, replacing ${replaced.remoteAddress}` : ""
        })`
      )
    )
  }

  private setState(to: Handshake.State): void {
    const from = this.state
    if (from === to) return
    this.state = to
    if (this.dpidKnown) this.emit({ _tag: "StateChange", datapath: this, from, to })
  }

  private onPortStatus(status: PortStatus.PortStatus): void {
    const reason = portReason(status.reason)
    const portNo = status.desc.portNo
    const previous = this.ports.get(portNo)
    if (reason === "DELETE") this.ports.delete(portNo)
    else this.ports.set(portNo, status.desc)
    if (reason === undefined) {
      this.warn(`PORT_STATUS with unknown reason ${status.reason} for port ${portNo}; treated as a change`)
    }
    if (this.dpidKnown) {
      this.emit({ _tag: "PortChange", datapath: this, reason: reason ?? "MODIFY", port: status.desc, previous })
    }
  }

  // ---------------------------------------------------------------------------
  // Requests
  // ---------------------------------------------------------------------------

  /** Feeds a message with a pending request's xid to it; `true` when consumed. */
  private answer(entry: Pending, message: Msg): boolean {
    if (message._tag === "ErrorMsg" || message._tag === "ExperimenterErrorMsg") {
      const name = message._tag === "ErrorMsg" ? ErrorMsg.errorName(message, this.version) : undefined
      this.settle(
        entry,
        Exit.fail(this.error(new DatapathError.ErrorReply({ request: entry.request, xid: entry.xid, error: message, name })))
      )
      return true
    }
    if (entry.assembler !== undefined) {
      if (!Multipart.isReply(message)) return false
      const result = entry.assembler.add(message)
      if (result === undefined) return true
      this.settle(
        entry,
        OpenFlowError.isOpenFlowError(result)
          ? Exit.fail(this.error(new DatapathError.BadReply({ request: entry.request, xid: entry.xid, cause: result })))
          : Exit.succeed(result)
      )
      return true
    }
    if (message._tag !== entry.expected) return false
    this.settle(entry, Exit.succeed(message))
    return true
  }

  private settle(entry: Pending, exit: Exit.Exit<unknown, DatapathError.DatapathError>): void {
    this.pending?.delete(entry.xid)
    if (entry.result !== undefined) return
    entry.result = exit
    const resume = entry.resume
    entry.resume = undefined
    if (resume !== undefined) this.fiber!.currentDispatcher.scheduleTask(() => resume(exit), 0)
  }

  // ---------------------------------------------------------------------------
  // Replies and warnings
  // ---------------------------------------------------------------------------

  private addReply(bytes: Uint8Array): void {
    (this.replies ??= []).push(bytes)
    this.counters.messagesSent++
    this.counters.bytesSent += bytes.length
  }

  private addReplyMessage(message: Msg, version: Version.Version, xid: number): void {
    const bytes = Message.encode(message, { version, xid })
    if (bytes._tag === "Success") this.addReply(bytes.success)
  }

  /** Sends the OpenFlow error for a malformed or refused message, with its bytes. */
  private replyError(error: OpenFlowError.OpenFlowError, xid: number, request: Uint8Array, version?: number): void {
    this.addReply(OpenFlowError.reply(error, version ?? this.version, xid, request))
    this.counters.errorsSent++
    this.rt.totals.errorsSent++
  }

  /**
   * Queues a warning for this batch, rate-limited per connection: at most one log line
   * per 10 seconds, counting what was suppressed, so a hostile switch cannot flood the log.
   */
  private warn(text: string): void {
    const now = this.rt.nowMillis()
    if (now - this.lastWarnAt < 10_000) {
      this.suppressedWarnings++
      return
    }
    this.lastWarnAt = now
    const suppressed = this.suppressedWarnings
    this.suppressedWarnings = 0
    ;(this.warnings ??= []).push(suppressed > 0 ? `${text} (${suppressed} similar warnings suppressed)` : text)
  }

  // ---------------------------------------------------------------------------
  // Keepalive (called by the controller's ticker)
  // ---------------------------------------------------------------------------

  /** Sends our echo request; returns `false` when the send queue was full. */
  sendEcho(now: number): boolean {
    this.echoXid = this.nextXid()
    this.echoSentAt = now
    const bytes = Message.encode({ _tag: "EchoRequest", data: new Uint8Array(0) }, { version: this.version, xid: this.echoXid })
    if (bytes._tag !== "Success") return false
    this.counters.messagesSent++
    this.counters.bytesSent += bytes.success.length
    return this.enqueueUnsafe(bytes.success) === true
  }

  // ---------------------------------------------------------------------------
  // Routing
  // ---------------------------------------------------------------------------

  private wantsTag(tag: string): boolean {
    return this.rt.index.forTag(tag) !== undefined || this.rt.index.allMessages.length > 0
  }

  /** Adds a message event for every subscriber that wants it (published at batch end). */
  private route(message: Msg, xid: number, frame: Uint8Array): void {
    if (!this.dpidKnown) return
    const index = this.rt.index
    const bit = Handshake.stateBit(this.state)
    let event: Events.MessageEvent | undefined
    const subscribers = index.forTag(message._tag)
    if (subscribers !== undefined) {
      for (let i = 0; i < subscribers.length; i++) {
        const s = subscribers[i]!
        if ((s.stateMask & bit) === 0) continue
        event ??= { _tag: "Message", datapath: this, message, xid, state: this.state, bytes: frame }
        this.collect(s, event)
      }
    }
    const all = index.allMessages
    for (let i = 0; i < all.length; i++) {
      const s = all[i]!
      if ((s.stateMask & bit) === 0) continue
      event ??= { _tag: "Message", datapath: this, message, xid, state: this.state, bytes: frame }
      this.collect(s, event)
    }
  }

  private collect(s: Subscriber, event: Events.Event): void {
    let scratch = s.scratch
    if (scratch === undefined) {
      scratch = s.scratch = []
      touched.push(s)
    }
    scratch.push(event)
  }

  /** Publishes a lifecycle event: with the current batch when inside one, else at once. */
  private emit(event: Events.DatapathEvent): void {
    const subscribers = this.rt.index.lifecycle
    for (let i = 0; i < subscribers.length; i++) {
      const s = subscribers[i]!
      if (!SubscriberIndex.wantsLifecycle(s, event._tag)) continue
      if (this.inBatch) this.collect(s, event)
      else this.publish(s, [event])
    }
  }

  private flushRouting(): void {
    for (let i = 0; i < touched.length; i++) {
      const s = touched[i]!
      const batch = s.scratch! as unknown as Batch
      s.scratch = undefined
      this.publish(s, batch)
    }
    touched.length = 0
  }

  /** Offers one batch to one subscriber, applying its overflow policy. */
  private publish(s: Subscriber, batch: Batch): void {
    if (s.closed) return
    if (this.closeReason !== undefined) {
      // A dead connection's last events (its Down) always go through.
      s.append(batch)
      return
    }
    const held = this.held?.get(s)
    if (held !== undefined) {
      held.push(batch)
      this.heldBytes += batchBytes(batch)
      return
    }
    if (s.hasRoom()) {
      s.append(batch)
      return
    }
    if (s.overflow === "dropping") {
      let kept: Array<Events.Event> | undefined
      for (let i = 0; i < batch.length; i++) {
        if (batch[i]!._tag !== "Message") (kept ??= []).push(batch[i]!)
      }
      this.countDropped(s, batch.length - (kept?.length ?? 0))
      if (kept !== undefined) s.append(kept as unknown as Batch)
      return
    }
    if (s.overflow === "sliding") {
      s.append(batch)
      this.countDropped(s, s.slide())
      return
    }
    ;(this.held ??= new Map()).set(s, [batch])
    this.heldBytes += batchBytes(batch)
    s.blocked.push(this)
  }

  private countDropped(s: Subscriber, dropped: number): void {
    s.dropped += dropped
    this.counters.eventsDropped += dropped
    this.rt.totals.eventsDropped += dropped
  }

  release(s: Subscriber): boolean {
    const held = this.held?.get(s)
    if (held === undefined) return false
    while (held.length > 0 && s.hasRoom()) {
      const batch = held.shift()!
      this.heldBytes -= batchBytes(batch)
      s.append(batch)
    }
    const more = held.length > 0
    if (!more) this.held!.delete(s)
    this.resumeReaderIfBelowCap()
    return more
  }

  discard(s: Subscriber): void {
    const held = this.held?.get(s)
    if (held === undefined) return
    for (const batch of held) this.heldBytes -= batchBytes(batch)
    this.held!.delete(s)
    this.resumeReaderIfBelowCap()
  }

  private resumeReaderIfBelowCap(): void {
    const waiter = this.readerWaiter
    if (waiter === undefined || this.heldBytes > this.rt.options.holdBytes) return
    this.readerWaiter = undefined
    // Scheduled, not inline: this runs inside a subscriber's take.
    this.fiber!.currentDispatcher.scheduleTask(() => waiter(Effect.void), 0)
  }
}

const EMPTY = new Uint8Array(0)
const textEncoder = new TextEncoder()

/**
 * The bytes of the header the framer rejected, to echo back in the error: it starts where
 * the last message framed from this chunk ends (or at the chunk's start when the chunk
 * began a fresh message). A header split across chunks cannot be located this way; the
 * error then carries none.
 */
const offendingHeader = (chunk: Uint8Array, out: ReadonlyArray<Uint8Array>, before: number, hadPartial: boolean): Uint8Array => {
  let at = hadPartial ? -1 : 0
  for (let i = out.length - 1; i >= before; i--) {
    const frame = out[i]!
    if (frame.buffer === chunk.buffer && frame.byteOffset >= chunk.byteOffset && frame.byteOffset < chunk.byteOffset + chunk.length) {
      at = frame.byteOffset - chunk.byteOffset + frame.length
      break
    }
  }
  return at >= 0 && at + 8 <= chunk.length ? chunk.subarray(at, at + 8) : EMPTY
}

const concat = (parts: ReadonlyArray<Uint8Array>): Uint8Array => {
  let size = 0
  for (const p of parts) size += p.length
  const out = new Uint8Array(size)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
