/**
 * OFPT_METER_MOD and meter bands: rate limiting in OpenFlow 1.3+.
 *
 * A meter is a switch object that flows point at with the Meter instruction; its bands
 * say what happens to packets above a rate (drop them, or raise their DSCP drop
 * precedence). Rates are in kb/s or packets/s depending on the meter's flags, and a band
 * applies when the measured rate exceeds its `rate`; the band with the highest rate
 * below the measured one wins. Bands also appear in METER_CONFIG replies, so they are
 * defined here once.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Uint from "./Uint.ts"

/**
 * A DROP band: discard packets above `rate` (`ofp_meter_band_drop`).
 *
 * @category models
 * @since 0.1.0
 */
export const MeterBandDrop = Schema.TaggedStruct("MeterBandDrop", {
  /** Rate in kb/s or packets/s, per the meter's flags. */
  rate: Uint.Uint32,
  /** Burst size, in kb or packets; used with the BURST flag. */
  burstSize: Uint.Uint32
})
/** @category models @since 0.1.0 */
export type MeterBandDrop = typeof MeterBandDrop.Type

/**
 * A DSCP_REMARK band: raise the drop precedence of the DSCP field by `precLevel` for
 * packets above `rate` (`ofp_meter_band_dscp_remark`).
 *
 * @category models
 * @since 0.1.0
 */
export const MeterBandDscpRemark = Schema.TaggedStruct("MeterBandDscpRemark", {
  rate: Uint.Uint32,
  burstSize: Uint.Uint32,
  /** Number of drop-precedence levels to add. */
  precLevel: Uint.Uint8
})
/** @category models @since 0.1.0 */
export type MeterBandDscpRemark = typeof MeterBandDscpRemark.Type

/**
 * An experimenter band (`ofp_meter_band_experimenter`), its body kept byte for byte.
 *
 * @category models
 * @since 0.1.0
 */
export const MeterBandExperimenter = Schema.TaggedStruct("MeterBandExperimenter", {
  rate: Uint.Uint32,
  burstSize: Uint.Uint32,
  experimenter: Uint.Uint32,
  /** Bytes after the experimenter id; a view into the received message. */
  data: Schema.Uint8Array
})
/** @category models @since 0.1.0 */
export type MeterBandExperimenter = typeof MeterBandExperimenter.Type

/** A meter band. @category models @since 0.1.0 */
export const MeterBand = Schema.Union([MeterBandDrop, MeterBandDscpRemark, MeterBandExperimenter])
/** @category models @since 0.1.0 */
export type MeterBand = typeof MeterBand.Type

/**
 * OFPT_METER_MOD (OpenFlow 1.3 §7.3.4.4).
 *
 * @category models
 * @since 0.1.0
 */
export const MeterMod = Schema.TaggedStruct("MeterMod", {
  /** One of {@link Command}; the set is closed, so other values are rejected (OFPMMFC_BAD_COMMAND). */
  command: Schema.Literals([0, 1, 2]),
  /** Bitmap of {@link Flags}. */
  flags: Uint.Uint16,
  /** The meter, 1..{@link MAX}, or a virtual meter ({@link SLOWPATH}, {@link CONTROLLER}, {@link ALL}). */
  meterId: Uint.Uint32,
  bands: Schema.Array(MeterBand)
})
/** @category models @since 0.1.0 */
export type MeterMod = typeof MeterMod.Type

/**
 * METER_MOD commands (`OFPMC_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const Command = {
  ADD: 0,
  MODIFY: 1,
  DELETE: 2
} as const

/**
 * Meter configuration flags (`OFPMF_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const Flags = {
  /** Rates in kb/s. */
  KBPS: 1 << 0,
  /** Rates in packets/s. */
  PKTPS: 1 << 1,
  /** Use the bands' burst sizes. */
  BURST: 1 << 2,
  /** Collect statistics. */
  STATS: 1 << 3
} as const

/**
 * Band types (`OFPMBT_*`), also the bit numbers of the METER_FEATURES `bandTypes` bitmap.
 *
 * @category constants
 * @since 0.1.0
 */
export const BandType = {
  DROP: 1,
  DSCP_REMARK: 2,
  EXPERIMENTER: 0xffff
} as const

/** The last usable meter number (`OFPM_MAX`). @category constants @since 0.1.0 */
export const MAX = 0xffff_0000
/** Virtual meter for the slow datapath (`OFPM_SLOWPATH`). @category constants @since 0.1.0 */
export const SLOWPATH = 0xffff_fffd
/** Virtual meter for the controller connection (`OFPM_CONTROLLER`). @category constants @since 0.1.0 */
export const CONTROLLER = 0xffff_fffe
/** All meters, in deletes and statistics requests (`OFPM_ALL`). @category constants @since 0.1.0 */
export const ALL = 0xffff_ffff

/**
 * A METER_MOD adding a meter.
 *
 * @example
 * ```ts
 * import { MeterMod } from "@switchyard/openflow"
 *
 * // At most 10 Mb/s; drop the excess.
 * const m = MeterMod.add({ meterId: 1, flags: MeterMod.Flags.KBPS, bands: [MeterMod.drop(10_000)] })
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const add = (options: { readonly meterId: number; readonly flags: number; readonly bands: ReadonlyArray<MeterBand> }): MeterMod => ({
  _tag: "MeterMod",
  command: Command.ADD,
  flags: options.flags,
  meterId: options.meterId,
  bands: options.bands
})

/** A METER_MOD replacing a meter's flags and bands. @category constructors @since 0.1.0 */
export const modify = (options: { readonly meterId: number; readonly flags: number; readonly bands: ReadonlyArray<MeterBand> }): MeterMod => ({
  _tag: "MeterMod",
  command: Command.MODIFY,
  flags: options.flags,
  meterId: options.meterId,
  bands: options.bands
})

/** A METER_MOD deleting a meter ({@link ALL} for every meter). @category constructors @since 0.1.0 */
export const remove = (meterId: number): MeterMod => ({ _tag: "MeterMod", command: Command.DELETE, flags: 0, meterId, bands: [] })

/** A DROP band. @category constructors @since 0.1.0 */
export const drop = (rate: number, burstSize = 0): MeterBandDrop => ({ _tag: "MeterBandDrop", rate, burstSize })

/** A DSCP_REMARK band. @category constructors @since 0.1.0 */
export const dscpRemark = (rate: number, precLevel: number, burstSize = 0): MeterBandDscpRemark => ({
  _tag: "MeterBandDscpRemark",
  rate,
  burstSize,
  precLevel
})
