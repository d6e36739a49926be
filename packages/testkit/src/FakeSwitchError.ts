/**
 * The error of the testkit's fakes: why a fake switch, a settle or a fake network could
 * not do what a test asked, with a tagged reason per cause.
 *
 * A fake that is strict has to say so in a way a test cannot miss: a flow mod the switch
 * refused, a packet that matched two entries of one priority, a controller that never
 * went quiet. These are failures of the test's Effect, with a message that names the
 * switch and quotes what went wrong, rather than log lines nobody reads.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"

/**
 * The controller and the fakes were still busy after the settle limit: usually a
 * forwarding loop (a frame bouncing between switches through the controller) or an app
 * that keeps itself busy.
 *
 * @category errors
 * @since 0.1.0
 */
export class NotSettled extends Data.TaggedError("NotSettled")<{
  /** Event-loop turns waited. */
  readonly rounds: number
  /** Scheduler tasks run meanwhile. */
  readonly tasksRun: number
}> {
  override get message(): string {
    return `the controller and the fake switches did not go quiet after ${this.rounds} event-loop turns (${this.tasksRun} tasks ran): a forwarding loop, or an app that keeps itself busy?`
  }
}

/**
 * One OFPT_ERROR a strict switch sent: the message it refused and why.
 *
 * @category models
 * @since 0.1.0
 */
export interface RefusedMessage {
  /** The datapath id, as 16 hex digits. */
  readonly dpid: string
  /** The refused message's kind (`"FlowMod"`), or its wire type when it did not decode. */
  readonly request: string
  /** The error's spec name and explanation, as one line. */
  readonly error: string
}

/**
 * A strict fake switch refused messages from the controller with OFPT_ERROR since the
 * last settle.
 *
 * @category errors
 * @since 0.1.0
 */
export class Refused extends Data.TaggedError("Refused")<{
  readonly refused: ReadonlyArray<RefusedMessage>
}> {
  override get message(): string {
    return `a fake switch refused ${this.refused.length} message(s): ${this.refused.map((r) => `datapath ${r.dpid}: ${r.request}: ${r.error}`).join("; ")}`
  }
}

/**
 * A strict fake switch saw behaviour OpenFlow leaves undefined or an app should not rely
 * on: a packet matching two entries of one priority, a set-field on a packet without
 * that header, a PACKET_OUT for an unknown buffer.
 *
 * @category errors
 * @since 0.1.0
 */
export class Undefined extends Data.TaggedError("Undefined")<{
  readonly dpid: string
  readonly problems: ReadonlyArray<string>
}> {
  override get message(): string {
    return `datapath ${this.dpid}: ${this.problems.join("; ")}`
  }
}

/**
 * The switch could not complete its handshake with the controller.
 *
 * @category errors
 * @since 0.1.0
 */
export class HandshakeFailed extends Data.TaggedError("HandshakeFailed")<{
  readonly dpid: string
  readonly detail: string
}> {
  override get message(): string {
    return `datapath ${this.dpid}: handshake failed: ${this.detail}`
  }
}

/**
 * The test asked for something the fake cannot do: a port it does not have, a buffered
 * packet-in on a switch without buffers, a link to a port already in use.
 *
 * @category errors
 * @since 0.1.0
 */
export class BadRequest extends Data.TaggedError("BadRequest")<{
  readonly detail: string
}> {
  override get message(): string {
    return this.detail
  }
}

/**
 * Why a fake failed.
 *
 * @category models
 * @since 0.1.0
 */
export type Reason = NotSettled | Refused | Undefined | HandshakeFailed | BadRequest

/**
 * The error of every testkit operation; `reason` says what happened.
 *
 * **Example** (A test that expects the switch to refuse a flow mod)
 *
 * ```ts
 * import { Effect } from "effect"
 * import type { FakeSwitchError } from "@switchyard/testkit"
 *
 * declare const step: Effect.Effect<void, FakeSwitchError.FakeSwitchError>
 * const refused = step.pipe(Effect.catchReason("FakeSwitchError", "Refused", (r) => Effect.succeed(r.refused)))
 * ```
 *
 * @category errors
 * @since 0.1.0
 */
export class FakeSwitchError extends Data.TaggedError("FakeSwitchError")<{
  readonly reason: Reason
}> {
  override get message(): string {
    return this.reason.message
  }
}

/**
 * Wraps a reason.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (reason: Reason): FakeSwitchError => new FakeSwitchError({ reason })
