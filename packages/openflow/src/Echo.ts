/**
 * OFPT_ECHO_REQUEST and OFPT_ECHO_REPLY: liveness checks with an arbitrary payload.
 *
 * A reply must carry the request's xid and payload unchanged; the controller answers the
 * switch's requests itself, before any app sees them, so a slow app can never make a
 * switch think its controller is dead.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/** OFPT_ECHO_REQUEST. @category models @since 0.1.0 */
export const EchoRequest = Schema.TaggedStruct("EchoRequest", { data: Schema.Uint8Array })
/** @category models @since 0.1.0 */
export type EchoRequest = typeof EchoRequest.Type

/** OFPT_ECHO_REPLY. @category models @since 0.1.0 */
export const EchoReply = Schema.TaggedStruct("EchoReply", { data: Schema.Uint8Array })
/** @category models @since 0.1.0 */
export type EchoReply = typeof EchoReply.Type

const EMPTY = new Uint8Array(0)

/** An echo request with an optional payload. @category constructors @since 0.1.0 */
export const request = (data: Uint8Array = EMPTY): EchoRequest => ({ _tag: "EchoRequest", data })

/**
 * The reply to an echo request: the same payload (send it with the request's xid).
 *
 * @category constructors
 * @since 0.1.0
 */
export const reply = (req: EchoRequest): EchoReply => ({ _tag: "EchoReply", data: req.data })
