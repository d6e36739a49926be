/**
 * OFPT_GET_ASYNC_REQUEST/REPLY and OFPT_SET_ASYNC: which asynchronous messages this
 * connection receives.
 *
 * Each mask is a pair: element 0 applies while the controller's role is MASTER or
 * EQUAL, element 1 while it is SLAVE. A bit set in a mask enables the reason with that
 * bit number: `packetInMask[0] & (1 << OFPR_NO_MATCH)`. The defaults let a
 * master see everything except PACKET_IN reason INVALID_TTL, and let a slave see only
 * PORT_STATUS.
 *
 * OpenFlow 1.4 replaced the fixed masks with properties, one per kind and role, and
 * added kinds (ROLE_STATUS, TABLE_STATUS, REQUESTFORWARD; 1.5 flow-stats triggers and
 * CONTROLLER_STATUS) and experimenter properties. A 1.4 SET_ASYNC may also carry only
 * some properties, changing only those. The model keeps the three 1.3 pairs, adds
 * optional pairs for the later kinds, and records the properties a message leaves out in
 * `omitted`, so one value describes every version's message.
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

/**
 * An experimenter async property (OpenFlow 1.4+; `OFPACPT_EXPERIMENTER_SLAVE` 0xfffe or
 * `_MASTER` 0xffff).
 *
 * @category models
 * @since 0.1.0
 */
export const AsyncExperimenterProperty = Schema.TaggedStruct("AsyncExperimenterProperty", {
  /** `true` for the slave role's property (type 0xfffe), `false` for master/equal (0xffff). */
  slave: Schema.Boolean,
  experimenter: Uint.Uint32,
  expType: Uint.Uint32,
  /** The bytes after `expType`; a view in decoded messages. */
  data: Schema.Uint8Array.check(Schema.isMaxLength(0xffff - 12))
})
/** @category models @since 0.1.0 */
export type AsyncExperimenterProperty = typeof AsyncExperimenterProperty.Type

/**
 * Async property types (`OFPACPT_*`, OpenFlow 1.4+): each kind has a slave property (even)
 * and a master/equal one (odd).
 *
 * @category constants
 * @since 0.1.0
 */
export const PropertyType = {
  PACKET_IN_SLAVE: 0,
  PACKET_IN_MASTER: 1,
  PORT_STATUS_SLAVE: 2,
  PORT_STATUS_MASTER: 3,
  FLOW_REMOVED_SLAVE: 4,
  FLOW_REMOVED_MASTER: 5,
  ROLE_STATUS_SLAVE: 6,
  ROLE_STATUS_MASTER: 7,
  TABLE_STATUS_SLAVE: 8,
  TABLE_STATUS_MASTER: 9,
  REQUESTFORWARD_SLAVE: 10,
  REQUESTFORWARD_MASTER: 11,
  /** OpenFlow 1.5. */
  FLOW_STATS_SLAVE: 12,
  /** OpenFlow 1.5. */
  FLOW_STATS_MASTER: 13,
  /** OpenFlow 1.5. */
  CONT_STATUS_SLAVE: 14,
  /** OpenFlow 1.5. */
  CONT_STATUS_MASTER: 15,
  EXPERIMENTER_SLAVE: 0xfffe,
  EXPERIMENTER_MASTER: 0xffff
} as const

/**
 * The mask fields in property-type order: the pair at index `k` is carried by properties
 * `2k` (slave) and `2k + 1` (master). The first three exist in every version.
 *
 * @category constants
 * @since 0.1.0
 */
export const maskFields = [
  "packetInMask",
  "portStatusMask",
  "flowRemovedMask",
  "roleStatusMask",
  "tableStatusMask",
  "requestForwardMask",
  "flowStatsMask",
  "controllerStatusMask"
] as const

/**
 * Why a configuration could not be carried: mask slots named in `omitted` must be 0, and
 * `omitted` may name only the three 1.3 kinds and the later kinds whose pair is present.
 */
const omittedProblem = (m: { readonly omitted?: number | undefined } & Record<string, unknown>): string | undefined => {
  const omitted = m.omitted ?? 0
  for (let t = 0; t < 16; t++) {
    if ((omitted & (1 << t)) === 0) continue
    const pair = m[maskFields[t >> 1]!] as MaskPair | undefined
    if (pair === undefined) return `omitted names property ${t}, whose mask pair is absent`
    // Property 2k is the slave's (pair element 1), 2k + 1 the master's (element 0).
    if (pair[(t & 1) === 0 ? 1 : 0] !== 0) return `omitted names property ${t}, whose mask is not 0`
  }
  return undefined
}

const fields = {
  /** PACKET_IN reasons (`OFPR_*` bit numbers). */
  packetInMask: MaskPair,
  /** PORT_STATUS reasons (`OFPPR_*` bit numbers). */
  portStatusMask: MaskPair,
  /** FLOW_REMOVED reasons (`OFPRR_*` bit numbers). */
  flowRemovedMask: MaskPair,
  /** OpenFlow 1.4+: ROLE_STATUS reasons (`OFPCRR_*` bit numbers); absent when not sent. */
  roleStatusMask: Schema.optional(MaskPair),
  /** OpenFlow 1.4+: TABLE_STATUS reasons (`OFPTR_*` bit numbers); absent when not sent. */
  tableStatusMask: Schema.optional(MaskPair),
  /** OpenFlow 1.4+: REQUESTFORWARD reasons (`OFPRFR_*` bit numbers); absent when not sent. */
  requestForwardMask: Schema.optional(MaskPair),
  /** OpenFlow 1.5+: flow-stats trigger reasons (`OFPFSR_*` bit numbers); absent when not sent. */
  flowStatsMask: Schema.optional(MaskPair),
  /** OpenFlow 1.5+: CONTROLLER_STATUS reasons (`OFPCSR_*` bit numbers); absent when not sent. */
  controllerStatusMask: Schema.optional(MaskPair),
  /** OpenFlow 1.4+: experimenter properties, in wire order; absent when none. */
  experimenter: Schema.optional(Schema.Array(AsyncExperimenterProperty)),
  /**
   * OpenFlow 1.4+: bitmap of the property types (bit n = `PropertyType` n, 0-15) the
   * message leaves out, so a SET_ASYNC changes only the others. The masks it names are 0.
   * Absent when the message carries every property of every pair it has.
   */
  omitted: Schema.optional(Uint.Uint16)
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
export const GetAsyncReply = Schema.TaggedStruct("GetAsyncReply", fields).check(Schema.makeFilter(omittedProblem))
/** @category models @since 0.1.0 */
export type GetAsyncReply = typeof GetAsyncReply.Type

/**
 * OFPT_SET_ASYNC (OpenFlow 1.3 §7.3.10).
 *
 * @category models
 * @since 0.1.0
 */
export const SetAsync = Schema.TaggedStruct("SetAsync", fields).check(Schema.makeFilter(omittedProblem))
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
