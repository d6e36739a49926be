/**
 * The handle of one connected switch: its identity, ports and state, and the operations
 * that send to it.
 *
 * A datapath is one OpenFlow connection after its handshake. The awkward part of
 * talking to it is that several fibers do so at once (apps answering packet-ins, a
 * monitor polling statistics, the runtime answering echo) while the socket takes one
 * stream of bytes: order has to be kept, bursts should cost one write, a switch that
 * stops reading must slow senders down rather than grow memory, and a request must get
 * its reply (or a clean failure) even if the switch disconnects meanwhile. The handle
 * does this for every sender; see the package README for how.
 *
 * @since 0.1.0
 */
import type { Features, Message, Multipart, Port, Version } from "@switchyard/openflow"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as DatapathError from "./DatapathError.ts"
import type { State } from "./Handshake.ts"
import { DatapathTypeId } from "./internal/connection.ts"

/**
 * The type id of {@link Datapath} handles.
 *
 * @category type IDs
 * @since 0.1.0
 */
export const TypeId: typeof DatapathTypeId = DatapathTypeId

/**
 * Options of {@link Datapath.send}.
 *
 * @category models
 * @since 0.1.0
 */
export interface SendOptions {
  /** The transaction id to send with (default: a fresh one). */
  readonly xid?: number | undefined
}

/**
 * Options of {@link Datapath.request}.
 *
 * @category models
 * @since 0.1.0
 */
export interface RequestOptions {
  /** How long to wait for the (last part of the) reply (default: the controller's `requestTimeout`). */
  readonly timeout?: Duration.Input | undefined
}

/**
 * The result of the synchronous send operations: `true` when the bytes were accepted
 * (written or queued), `false` when the send queue is full and nothing was accepted
 * (retry with the Effect form, which waits), or the error (closed, not encodable).
 *
 * @category models
 * @since 0.1.0
 */
export type SendResult = boolean | DatapathError.DatapathError

/**
 * A message kind that has a reply: its tag ends in `Request`.
 *
 * @category models
 * @since 0.1.0
 */
export type RequestMessage = Extract<Message.Message, { readonly _tag: `${string}Request` }>

/**
 * The reply to a request message: `FeaturesRequest` → `FeaturesReply`, a multipart
 * request → its reply with every part merged.
 *
 * @category models
 * @since 0.1.0
 */
export type ReplyOf<M extends RequestMessage> = M extends Multipart.Request ? Multipart.ReplyFor<M>
  : M["_tag"] extends `${infer P}Request` ? Message.Of<Extract<`${P}Reply`, Message.Tag>>
  : never

/**
 * Counters of one datapath, for status pages and tests.
 *
 * @category models
 * @since 0.1.0
 */
export interface Stats {
  readonly messagesReceived: number
  readonly messagesSent: number
  readonly bytesReceived: number
  readonly bytesSent: number
  /** OFPT_ERROR messages sent back for malformed or refused messages. */
  readonly errorsSent: number
  /** Message events discarded by subscriptions with the `"dropping"` or `"sliding"` overflow policy. */
  readonly eventsDropped: number
  /** Batches waiting in the send queue. */
  readonly sendQueueDepth: number
  /** Approximate bytes of events held back for full subscriptions. */
  readonly heldBytes: number
  readonly pendingRequests: number
  /** Round-trip time of the last answered keepalive echo, in milliseconds. */
  readonly echoRttMillis: number | undefined
}

/**
 * A connected switch.
 *
 * **Details**
 *
 * Handles reach apps through events and `Controller.datapaths`, always with the datapath
 * id known. A handle stays valid after its connection closes: `state` is then `DEAD`,
 * sends fail with `DatapathError` reason `Closed`, and `awaitClose` returns at once. A
 * reconnecting switch gets a new handle.
 *
 * **Example** (Installing a table-miss flow when a switch comes up)
 *
 * ```ts
 * import { Controller } from "@switchyard/controller"
 * import { Effect, Layer, Stream } from "effect"
 *
 * const TableMiss = Layer.effectDiscard(Effect.gen(function*() {
 *   const controller = yield* Controller.Controller
 *   const ups = yield* controller.datapathEvents(["DatapathUp"])
 *   yield* ups.pipe(
 *     Stream.runForEach(({ datapath }) => datapath.barrier.pipe(Effect.ignore)),
 *     Effect.forkScoped
 *   )
 * }))
 * ```
 *
 * @category models
 * @since 0.1.0
 */
export interface Datapath {
  readonly [DatapathTypeId]: typeof DatapathTypeId
  /** The 64-bit datapath id from FEATURES_REPLY. */
  readonly dpid: bigint
  /** The datapath id as 16 hex digits, as Open vSwitch prints it. */
  readonly id: string
  /** The negotiated wire version. */
  readonly version: Version.Version
  readonly features: Features.FeaturesReply
  /** The switch's ports by number, kept current from PORT_STATUS (a live view). */
  readonly ports: ReadonlyMap<number, Port.Port>
  readonly state: State
  /** `false` once the connection is closed or closing. */
  readonly isOpen: boolean
  readonly remoteAddress: string
  /** How the connection was made: `"tcp"`, `"tls"`, `"active"`, ... */
  readonly transport: string
  readonly stats: Stats

  /**
   * Sends one message (with a fresh xid unless given).
   *
   * **Details**
   *
   * Waits only for back-pressure: when the send queue is full, or when this fiber's own
   * write waits for the socket to drain. Messages from one fiber reach the switch in
   * call order. Fails with `EncodeFailed` (nothing sent) or `Closed`.
   */
  readonly send: (message: Message.Message, options?: SendOptions) => Effect.Effect<void, DatapathError.DatapathError>

  /**
   * Sends a batch of messages in order with one write: what an app answering a batch of
   * events should use. Each message gets a fresh xid. All or nothing: if one message
   * cannot be encoded, none is sent.
   */
  readonly sendAll: (messages: ReadonlyArray<Message.Message>) => Effect.Effect<void, DatapathError.DatapathError>

  /**
   * The synchronous core of {@link Datapath.send}: encodes and queues without waiting; see
   * {@link SendResult}. The bytes go out through the datapath's writer fiber.
   */
  readonly sendUnsafe: (message: Message.Message, options?: SendOptions) => SendResult

  /** The synchronous core of {@link Datapath.sendAll}; see {@link SendResult}. */
  readonly sendAllUnsafe: (messages: ReadonlyArray<Message.Message>) => SendResult

  /**
   * Sends a request and waits for its reply, correlated by xid; multipart replies are
   * merged from all their parts.
   *
   * **Details**
   *
   * Fails with `ErrorReply` when the switch answers with OFPT_ERROR, `RequestTimeout`
   * after the timeout, `Closed` at once if the connection closes while waiting, and
   * `BadReply` for inconsistent multipart parts. The reply goes to this caller only, not
   * to subscribers.
   *
   * @example
   * ```ts
   * import { Desc } from "@switchyard/openflow"
   * import type { Datapath } from "@switchyard/controller"
   *
   * const describe = (datapath: Datapath.Datapath) => datapath.request(Desc.request)
   * ```
   */
  readonly request: <M extends RequestMessage>(message: M, options?: RequestOptions) => Effect.Effect<ReplyOf<M>, DatapathError.DatapathError>

  /**
   * Sends BARRIER_REQUEST and waits for the reply: when it succeeds, the switch has
   * processed every message sent before it (and any error they caused has arrived).
   */
  readonly barrier: Effect.Effect<void, DatapathError.DatapathError>

  /** Closes the connection and waits until it is closed. */
  readonly close: (options?: { readonly reason?: string }) => Effect.Effect<void>

  /** Waits until the connection is closed; returns why. */
  readonly awaitClose: Effect.Effect<DatapathError.Closed>
}

/**
 * `true` when `u` is a {@link Datapath} handle.
 *
 * @category guards
 * @since 0.1.0
 */
export const isDatapath = (u: unknown): u is Datapath => typeof u === "object" && u !== null && DatapathTypeId in u
