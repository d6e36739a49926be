/**
 * The meter multipart requests and replies: METER (counters), METER_CONFIG (the meters'
 * bands) and METER_FEATURES (what the meter table supports), OpenFlow 1.3+.
 *
 * Meter counters come per meter and per band, in band order, so pair METER with
 * METER_CONFIG by position to know which band a counter belongs to. Band definitions
 * are shared with METER_MOD (`MeterMod.MeterBand`).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as MeterMod from "./MeterMod.ts"
import * as Uint from "./Uint.ts"

/**
 * OFPMP_METER request (`ofp_meter_multipart_request`).
 *
 * @category models
 * @since 0.1.0
 */
export const MeterStatsRequest = Schema.TaggedStruct("MeterStatsRequest", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  /** The meter, or `MeterMod.ALL`. */
  meterId: Uint.Uint32
})
/** @category models @since 0.1.0 */
export type MeterStatsRequest = typeof MeterStatsRequest.Type

/**
 * The counters of one band (`ofp_meter_band_stats`).
 *
 * @category models
 * @since 0.1.0
 */
export const MeterBandStats = Schema.Struct({
  /** Packets in this band. */
  packetBandCount: Uint.Uint64,
  /** Bytes in this band. */
  byteBandCount: Uint.Uint64
})
/** @category models @since 0.1.0 */
export type MeterBandStats = typeof MeterBandStats.Type

/**
 * The counters of one meter (`ofp_meter_stats`, OpenFlow 1.3 §7.3.5.12).
 *
 * @category models
 * @since 0.1.0
 */
export const MeterStats = Schema.Struct({
  meterId: Uint.Uint32,
  /** Number of flows bound to the meter. */
  flowCount: Uint.Uint32,
  /** Packets in input. */
  packetInCount: Uint.Uint64,
  /** Bytes in input. */
  byteInCount: Uint.Uint64,
  /** Time the meter has been alive: seconds... */
  durationSec: Uint.Uint32,
  /** ...and nanoseconds beyond `durationSec`. */
  durationNsec: Uint.Uint32,
  /** One entry per band, in band order. */
  bandStats: Schema.Array(MeterBandStats)
})
/** @category models @since 0.1.0 */
export type MeterStats = typeof MeterStats.Type

/**
 * OFPMP_METER reply.
 *
 * @category models
 * @since 0.1.0
 */
export const MeterStatsReply = Schema.TaggedStruct("MeterStatsReply", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  stats: Schema.Array(MeterStats)
})
/** @category models @since 0.1.0 */
export type MeterStatsReply = typeof MeterStatsReply.Type

/**
 * OFPMP_METER_CONFIG request (`ofp_meter_multipart_request`).
 *
 * @category models
 * @since 0.1.0
 */
export const MeterConfigRequest = Schema.TaggedStruct("MeterConfigRequest", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  /** The meter, or `MeterMod.ALL`. */
  meterId: Uint.Uint32
})
/** @category models @since 0.1.0 */
export type MeterConfigRequest = typeof MeterConfigRequest.Type

/**
 * The configuration of one meter (`ofp_meter_config`, OpenFlow 1.3 §7.3.5.13).
 *
 * @category models
 * @since 0.1.0
 */
export const MeterConfig = Schema.Struct({
  /** Bitmap of `MeterMod.Flags`. */
  flags: Uint.Uint16,
  meterId: Uint.Uint32,
  bands: Schema.Array(MeterMod.MeterBand)
})
/** @category models @since 0.1.0 */
export type MeterConfig = typeof MeterConfig.Type

/**
 * OFPMP_METER_CONFIG reply.
 *
 * @category models
 * @since 0.1.0
 */
export const MeterConfigReply = Schema.TaggedStruct("MeterConfigReply", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  meters: Schema.Array(MeterConfig)
})
/** @category models @since 0.1.0 */
export type MeterConfigReply = typeof MeterConfigReply.Type

/**
 * OFPMP_METER_FEATURES request.
 *
 * @category models
 * @since 0.1.0
 */
export const MeterFeaturesRequest = Schema.TaggedStruct("MeterFeaturesRequest", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16
})
/** @category models @since 0.1.0 */
export type MeterFeaturesRequest = typeof MeterFeaturesRequest.Type

/**
 * OFPMP_METER_FEATURES reply (`ofp_meter_features`, OpenFlow 1.3 §7.3.5.14).
 *
 * @category models
 * @since 0.1.0
 */
export const MeterFeaturesReply = Schema.TaggedStruct("MeterFeaturesReply", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  /** Maximum number of meters. */
  maxMeter: Uint.Uint32,
  /** Bitmap of supported band types: bit n set for `MeterMod.BandType` n. */
  bandTypes: Uint.Uint32,
  /** Bitmap of supported `MeterMod.Flags`. */
  capabilities: Uint.Uint32,
  /** Maximum bands per meter. */
  maxBands: Uint.Uint8,
  /** Maximum color value. */
  maxColor: Uint.Uint8,
  /**
   * OpenFlow 1.5+: bitmap of {@link MeterFeature}. Absent means 0, the only value earlier
   * versions can carry; decoding leaves it out when it is 0.
   */
  features: Schema.optional(Uint.Uint32)
})
/** @category models @since 0.1.0 */
export type MeterFeaturesReply = typeof MeterFeaturesReply.Type

/**
 * Meter feature bits (`OFPMFF_*`, OpenFlow 1.5), in {@link MeterFeaturesReply} `features`.
 *
 * @category constants
 * @since 0.1.0
 */
export const MeterFeature = {
  /** The meter action may be used in an action set. */
  ACTION_SET: 1 << 0,
  /** A meter action may appear anywhere in an action list. */
  ANY_POSITION: 1 << 1,
  /** An action list may hold several meter actions. */
  MULTI_LIST: 1 << 2
} as const

/**
 * A METER statistics request; every meter by default.
 *
 * @example
 * ```ts
 * import { MeterStats } from "@switchyard/openflow"
 *
 * const all = MeterStats.request()
 * const config = MeterStats.configRequest(1)
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const request = (meterId: number = MeterMod.ALL): MeterStatsRequest => ({ _tag: "MeterStatsRequest", flags: 0, meterId })

/** A METER_CONFIG request; every meter by default. @category constructors @since 0.1.0 */
export const configRequest = (meterId: number = MeterMod.ALL): MeterConfigRequest => ({
  _tag: "MeterConfigRequest",
  flags: 0,
  meterId
})

/** A METER_FEATURES request. @category constructors @since 0.1.0 */
export const featuresRequest: MeterFeaturesRequest = { _tag: "MeterFeaturesRequest", flags: 0 }
