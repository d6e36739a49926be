/**
 * OFPT_QUEUE_GET_CONFIG_REQUEST/REPLY: the queues configured on a port (OpenFlow 1.2/1.3).
 *
 * OpenFlow does not create queues; switches configure them out of band (OVSDB, CLI),
 * and controllers only read them here and direct packets into them with the Set-Queue
 * action. Rates are in tenths of a percent of the port's speed, and a value above 1000
 * means "not configured". Properties are a list of TLVs whose lengths are not padded:
 * an experimenter property may be 17 bytes long, leaving the next queue unaligned. In
 * OpenFlow 1.4 this message became the QUEUE_DESC multipart request.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Uint from "./Uint.ts"

/**
 * Minimum guaranteed rate (`ofp_queue_prop_min_rate`).
 *
 * @category models
 * @since 0.1.0
 */
export const QueuePropMinRate = Schema.TaggedStruct("QueuePropMinRate", {
  /** In 1/10 of a percent of the port speed; above 1000 means disabled. */
  rate: Uint.Uint16
})
/** @category models @since 0.1.0 */
export type QueuePropMinRate = typeof QueuePropMinRate.Type

/**
 * Maximum rate (`ofp_queue_prop_max_rate`).
 *
 * @category models
 * @since 0.1.0
 */
export const QueuePropMaxRate = Schema.TaggedStruct("QueuePropMaxRate", {
  /** In 1/10 of a percent of the port speed; above 1000 means disabled. */
  rate: Uint.Uint16
})
/** @category models @since 0.1.0 */
export type QueuePropMaxRate = typeof QueuePropMaxRate.Type

/**
 * Experimenter property (`ofp_queue_prop_experimenter`), kept byte for byte.
 *
 * @category models
 * @since 0.1.0
 */
export const QueuePropExperimenter = Schema.TaggedStruct("QueuePropExperimenter", {
  experimenter: Uint.Uint32,
  /** Bytes after the experimenter id and its padding; a view into the received message. */
  data: Schema.Uint8Array
})
/** @category models @since 0.1.0 */
export type QueuePropExperimenter = typeof QueuePropExperimenter.Type

/**
 * A property of a type OpenFlow 1.3 does not define, kept byte for byte so a reply from
 * a newer switch still decodes and re-encodes unchanged.
 *
 * @category models
 * @since 0.1.0
 */
export const QueuePropUnknown = Schema.TaggedStruct("QueuePropUnknown", {
  /** The property type: anything but MIN_RATE, MAX_RATE and EXPERIMENTER. */
  property: Uint.Uint16.check(
    Schema.makeFilter((n: number) => n !== 1 && n !== 2 && n !== 0xffff ? undefined : "a property type other than 1, 2 and 0xffff")
  ),
  /** Bytes after the 8-byte property header; a view into the received message. */
  data: Schema.Uint8Array
})
/** @category models @since 0.1.0 */
export type QueuePropUnknown = typeof QueuePropUnknown.Type

/** A queue property. @category models @since 0.1.0 */
export const QueueProperty = Schema.Union([QueuePropMinRate, QueuePropMaxRate, QueuePropExperimenter, QueuePropUnknown])
/** @category models @since 0.1.0 */
export type QueueProperty = typeof QueueProperty.Type

/**
 * One queue (`ofp_packet_queue`).
 *
 * @category models
 * @since 0.1.0
 */
export const PacketQueue = Schema.Struct({
  queueId: Uint.Uint32,
  /** The port the queue is attached to. */
  port: Uint.Uint32,
  properties: Schema.Array(QueueProperty)
})
/** @category models @since 0.1.0 */
export type PacketQueue = typeof PacketQueue.Type

/**
 * OFPT_QUEUE_GET_CONFIG_REQUEST (OpenFlow 1.3 §7.3.6).
 *
 * @category models
 * @since 0.1.0
 */
export const QueueGetConfigRequest = Schema.TaggedStruct("QueueGetConfigRequest", {
  /** The port to query; `Port.ANY` for all ports. */
  port: Uint.Uint32
})
/** @category models @since 0.1.0 */
export type QueueGetConfigRequest = typeof QueueGetConfigRequest.Type

/**
 * OFPT_QUEUE_GET_CONFIG_REPLY (OpenFlow 1.3 §7.3.6).
 *
 * @category models
 * @since 0.1.0
 */
export const QueueGetConfigReply = Schema.TaggedStruct("QueueGetConfigReply", {
  /** The port that was queried. */
  port: Uint.Uint32,
  queues: Schema.Array(PacketQueue)
})
/** @category models @since 0.1.0 */
export type QueueGetConfigReply = typeof QueueGetConfigReply.Type

/**
 * Queue property types (`OFPQT_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const Property = {
  MIN_RATE: 1,
  MAX_RATE: 2,
  EXPERIMENTER: 0xffff
} as const

/** All queues, in queue statistics requests (`OFPQ_ALL`). @category constants @since 0.1.0 */
export const ALL = 0xffff_ffff

/** A rate above this (in 1/10 %) means the rate is not configured. @category constants @since 0.1.0 */
export const RATE_MAX = 1000

/**
 * A QUEUE_GET_CONFIG_REQUEST.
 *
 * @example
 * ```ts
 * import { Port, QueueConfig } from "@switchyard/openflow"
 *
 * const all = QueueConfig.request(Port.ANY)
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const request = (port: number): QueueGetConfigRequest => ({ _tag: "QueueGetConfigRequest", port })
