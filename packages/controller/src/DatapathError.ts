/**
 * The error of everything that can go wrong with one switch connection: the
 * `DatapathError`, whose tagged `reason` says what happened.
 *
 * A switch connection fails in ways that have little to do with each other: the peer
 * disconnects, stops answering echo requests, never finishes the handshake, answers a
 * request with an OFPT_ERROR, or is replaced by a newer connection with the same
 * datapath id; and a message an app wants to send may not be encodable at all. Apps
 * mostly care about one or two of these (retry on `RequestTimeout`, give up on `Closed`),
 * so they are reasons of one error, handled with
 * `Effect.catchReason("DatapathError", "RequestTimeout", ...)`, in the way Effect's
 * `SocketError` carries its read, write and close reasons.
 *
 * @since 0.1.0
 */
import type { EncodeError, ErrorMsg, OpenFlowError } from "@switchyard/openflow"
import { Data } from "effect"

/**
 * The connection is closed (or closing): nothing more can be sent or received.
 *
 * @category reasons
 * @since 0.1.0
 */
export class Closed extends Data.TaggedError("Closed")<{
  /** Why the connection closed, for logs: `"peer closed the connection"`, `"echo timeout"`, ... */
  readonly detail: string
}> {
  override get message(): string {
    return `datapath connection closed: ${this.detail}`
  }
}

/**
 * A request got no reply within its deadline.
 *
 * @category reasons
 * @since 0.1.0
 */
export class RequestTimeout extends Data.TaggedError("RequestTimeout")<{
  /** The request's message kind, e.g. `"BarrierRequest"`. */
  readonly request: string
  readonly xid: number
  readonly timeoutMillis: number
}> {
  override get message(): string {
    return `no reply to ${this.request} (xid ${this.xid}) within ${this.timeoutMillis} ms`
  }
}

/**
 * The switch answered a request with OFPT_ERROR.
 *
 * @category reasons
 * @since 0.1.0
 */
export class ErrorReply extends Data.TaggedError("ErrorReply")<{
  readonly request: string
  readonly xid: number
  /** The error message as received. */
  readonly error: ErrorMsg.ErrorMsg | ErrorMsg.ExperimenterErrorMsg
  /** The spec's name for the error's type and code, when the spec defines them in this version. */
  readonly name: OpenFlowError.ErrorName | undefined
}> {
  override get message(): string {
    const what = this.error._tag === "ErrorMsg"
      ? this.name ?? `type ${this.error.errorType} code ${this.error.code}`
      : `experimenter error ${this.error.experimenter}/${this.error.expType}`
    return `the switch rejected ${this.request} (xid ${this.xid}): ${what}`
  }
}

/**
 * A message could not be encoded for the connection's version: a value that does not fit
 * its field (`EncodeError`) or a message the switch would reject anyway (`OpenFlowError`,
 * e.g. a match field without its prerequisite). Nothing of the batch was sent.
 *
 * @category reasons
 * @since 0.1.0
 */
export class EncodeFailed extends Data.TaggedError("EncodeFailed")<{
  readonly cause: OpenFlowError.OpenFlowError | EncodeError.EncodeError
}> {
  override get message(): string {
    return `cannot send: ${this.cause.toLine()}`
  }
}

/**
 * The switch sent a reply that does not fit the request (a multipart reply of the wrong
 * kind, parts that disagree, more parts than the controller keeps).
 *
 * @category reasons
 * @since 0.1.0
 */
export class BadReply extends Data.TaggedError("BadReply")<{
  readonly request: string
  readonly xid: number
  readonly cause: OpenFlowError.OpenFlowError
}> {
  override get message(): string {
    return `bad reply to ${this.request} (xid ${this.xid}): ${this.cause.toLine()}`
  }
}

/**
 * Any reason of a {@link DatapathError}.
 *
 * @category models
 * @since 0.1.0
 */
export type Reason = Closed | RequestTimeout | ErrorReply | EncodeFailed | BadReply

/**
 * The error of an operation on a datapath (send, request, barrier), with a tagged
 * {@link Reason}.
 *
 * **Example** (Retrying a timed-out request, giving up when closed)
 *
 * ```ts
 * import { Barrier } from "@switchyard/openflow"
 * import { Effect } from "effect"
 * import type { Datapath } from "@switchyard/controller"
 *
 * const sync = (datapath: Datapath.Datapath) =>
 *   datapath.barrier.pipe(
 *     Effect.catchReason("DatapathError", "RequestTimeout", () => datapath.barrier)
 *   )
 * ```
 *
 * @category errors
 * @since 0.1.0
 */
export class DatapathError extends Data.TaggedError("DatapathError")<{
  readonly reason: Reason
  /** The datapath id, when the handshake got far enough to learn it. */
  readonly dpid: bigint | undefined
}> {
  override get message(): string {
    const who = this.dpid === undefined ? "datapath" : `datapath ${this.dpid.toString(16).padStart(16, "0")}`
    return `${who}: ${this.reason.message}`
  }
}

/**
 * `true` when `u` is a {@link DatapathError}.
 *
 * @category guards
 * @since 0.1.0
 */
export const isDatapathError = (u: unknown): u is DatapathError => u instanceof DatapathError
