/**
 * The QUEUE_DESC multipart request and reply (OpenFlow 1.4+): the queues of a port and
 * their configured rates.
 *
 * OpenFlow 1.4 replaced OFPT_QUEUE_GET_CONFIG (see `QueueConfig`) with this multipart
 * pair, so a queue list too big for one message can be split like any other reply. The
 * queues' rates became properties: a minimum and a maximum rate in tenths of a percent
 * of the port's speed (a value above 1000 means "not configured"), and experimenter
 * properties.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Port from "./Port.ts"
import { ExperimenterProperty, unknownProperty } from "./Property.ts"
import * as Uint from "./Uint.ts"

/**
 * The minimum-rate property (`OFPQDPT_MIN_RATE`): the guaranteed rate, in 1/10 of a
 * percent of the port's speed.
 *
 * @category models
 * @since 0.1.0
 */
export const QueueDescPropMinRate = Schema.TaggedStruct("QueueDescPropMinRate", { rate: Uint.Uint16 })
/** @category models @since 0.1.0 */
export type QueueDescPropMinRate = typeof QueueDescPropMinRate.Type

/**
 * The maximum-rate property (`OFPQDPT_MAX_RATE`), in 1/10 of a percent of the port's speed.
 *
 * @category models
 * @since 0.1.0
 */
export const QueueDescPropMaxRate = Schema.TaggedStruct("QueueDescPropMaxRate", { rate: Uint.Uint16 })
/** @category models @since 0.1.0 */
export type QueueDescPropMaxRate = typeof QueueDescPropMaxRate.Type

/**
 * Queue description property types (`OFPQDPT_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const PropertyType = {
  MIN_RATE: 1,
  MAX_RATE: 2,
  EXPERIMENTER: 0xffff
} as const

/** A rate above this means "not configured" (`OFPQ_MIN_RATE_UNCFG`, `OFPQ_MAX_RATE_UNCFG` are 0xffff). @category constants @since 0.1.0 */
export const RATE_UNCONFIGURED = 0xffff

/**
 * A queue description property.
 *
 * @category models
 * @since 0.1.0
 */
export const Property = Schema.Union([
  QueueDescPropMinRate,
  QueueDescPropMaxRate,
  ExperimenterProperty,
  unknownProperty("queue description", Object.values(PropertyType))
])
/** @category models @since 0.1.0 */
export type Property = typeof Property.Type

/**
 * One queue (`ofp_queue_desc`).
 *
 * @category models
 * @since 0.1.0
 */
export const QueueDesc = Schema.Struct({
  portNo: Port.PortNumber,
  queueId: Uint.Uint32,
  /** Rates and experimenter properties, in wire order. */
  properties: Schema.Array(Property)
})
/** @category models @since 0.1.0 */
export type QueueDesc = typeof QueueDesc.Type

/**
 * OFPMP_QUEUE_DESC request (OpenFlow 1.4 §7.3.5.19).
 *
 * @category models
 * @since 0.1.0
 */
export const QueueDescRequest = Schema.TaggedStruct("QueueDescRequest", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  /** The port, or `Port.ANY` for every port. */
  portNo: Port.PortNumber,
  /** The queue, or 0xffffffff (`OFPQ_ALL`) for every queue. */
  queueId: Uint.Uint32
})
/** @category models @since 0.1.0 */
export type QueueDescRequest = typeof QueueDescRequest.Type

/**
 * OFPMP_QUEUE_DESC reply.
 *
 * @category models
 * @since 0.1.0
 */
export const QueueDescReply = Schema.TaggedStruct("QueueDescReply", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  queues: Schema.Array(QueueDesc)
})
/** @category models @since 0.1.0 */
export type QueueDescReply = typeof QueueDescReply.Type

/**
 * A QUEUE_DESC request; every queue of every port by default.
 *
 * @example
 * ```ts
 * import { QueueDesc } from "@switchyard/openflow"
 *
 * const all = QueueDesc.request()
 * const port1 = QueueDesc.request({ portNo: 1 })
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const request = (options?: { readonly portNo?: number; readonly queueId?: number }): QueueDescRequest => ({
  _tag: "QueueDescRequest",
  flags: 0,
  portNo: options?.portNo ?? Port.ANY,
  queueId: options?.queueId ?? 0xffff_ffff
})
