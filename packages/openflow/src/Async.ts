/**
 * OFPT_GET_ASYNC_REQUEST/REPLY and OFPT_SET_ASYNC: which asynchronous messages this
 * connection receives.
 *
 * Each mask is a pair: element 0 applies while the controller's role is MASTER or
 * EQUAL, element 1 while it is SLAVE. A bit set in a mask enables the reason with that
 * bit number: `packetInMask[0] & (1 << OFPR_NO_MATCH)`. The defaults let a
 * master see everything except PACKET_IN reason INVALID_TTL, and let a slave see only
 * PORT_STATUS. OpenFlow 1.4 replaced these fixed masks with properties.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Uint from "./Uint.ts"

/**
 * A pair of reason bitmaps: `[masterOrEqual, slave]`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const MaskPair = Schema.Tuple([Uint.Uint32, Uint.Uint32])
/** @category models @since 0.1.0 */
export type MaskPair = typeof MaskPair.Type

const fields = {
  /** PACKET_IN reasons (`OFPR_*` bit numbers). */
  packetInMask: MaskPair,
  /** PORT_STATUS reasons (`OFPPR_*` bit numbers). */
  portStatusMask: MaskPair,
  /** FLOW_REMOVED reasons (`OFPRR_*` bit numbers). */
  flowRemovedMask: MaskPair
}

/** OFPT_GET_ASYNC_REQUEST. @category models @since 0.1.0 */
export const GetAsyncRequest = Schema.TaggedStruct("GetAsyncRequest", {})
/** @category models @since 0.1.0 */
export type GetAsyncRequest = typeof GetAsyncRequest.Type

/**
 * OFPT_GET_ASYNC_REPLY (OpenFlow 1.3 §7.3.10).
 *
 * @category models
 * @since 0.1.0
 */
export const GetAsyncReply = Schema.TaggedStruct("GetAsyncReply", fields)
/** @category models @since 0.1.0 */
export type GetAsyncReply = typeof GetAsyncReply.Type

/**
 * OFPT_SET_ASYNC (OpenFlow 1.3 §7.3.10).
 *
 * @category models
 * @since 0.1.0
 */
export const SetAsync = Schema.TaggedStruct("SetAsync", fields)
/** @category models @since 0.1.0 */
export type SetAsync = typeof SetAsync.Type

/** A GET_ASYNC_REQUEST. @category constructors @since 0.1.0 */
export const getAsync: GetAsyncRequest = { _tag: "GetAsyncRequest" }

/**
 * The masks a switch starts with (OpenFlow 1.3 §6.1.1): the master gets PACKET_IN for
 * NO_MATCH and ACTION, every PORT_STATUS and every FLOW_REMOVED; a slave gets only
 * PORT_STATUS.
 *
 * @example
 * ```ts
 * import { Async } from "@switchyard/openflow"
 *
 * // As a master, also receive PACKET_IN for invalid TTLs (reason 2).
 * const m = Async.set({ ...Async.defaults, packetInMask: [0b111, 0] })
 * ```
 *
 * @category constants
 * @since 0.1.0
 */
export const defaults: {
  readonly packetInMask: MaskPair
  readonly portStatusMask: MaskPair
  readonly flowRemovedMask: MaskPair
} = {
  packetInMask: [0b011, 0],
  portStatusMask: [0b111, 0b111],
  flowRemovedMask: [0b1111, 0]
}

/** A SET_ASYNC with the given masks. @category constructors @since 0.1.0 */
export const set = (masks: {
  readonly packetInMask: MaskPair
  readonly portStatusMask: MaskPair
  readonly flowRemovedMask: MaskPair
}): SetAsync => ({
  _tag: "SetAsync",
  packetInMask: masks.packetInMask,
  portStatusMask: masks.portStatusMask,
  flowRemovedMask: masks.flowRemovedMask
})
