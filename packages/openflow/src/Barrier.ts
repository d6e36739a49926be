/**
 * OFPT_BARRIER_REQUEST and OFPT_BARRIER_REPLY.
 *
 * A switch answers a barrier only after it has finished processing every message it
 * received before it, so a reply proves earlier flow mods took effect (or failed with an
 * error that arrived first).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/** OFPT_BARRIER_REQUEST (OFPT_BARRIER_REQUEST in 1.0 has a different type number). @category models @since 0.1.0 */
export const BarrierRequest = Schema.TaggedStruct("BarrierRequest", {})
/** @category models @since 0.1.0 */
export type BarrierRequest = typeof BarrierRequest.Type

/** OFPT_BARRIER_REPLY. @category models @since 0.1.0 */
export const BarrierReply = Schema.TaggedStruct("BarrierReply", {})
/** @category models @since 0.1.0 */
export type BarrierReply = typeof BarrierReply.Type

/** A barrier request. @category constructors @since 0.1.0 */
export const request: BarrierRequest = { _tag: "BarrierRequest" }

/** A barrier reply. @category constructors @since 0.1.0 */
export const reply: BarrierReply = { _tag: "BarrierReply" }
