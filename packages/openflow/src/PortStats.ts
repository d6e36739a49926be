/**
 * The PORT_STATS multipart request and reply: per-port counters.
 *
 * Counters are 64-bit and free-running; a switch that does not count something reports
 * all ones (`Uint.UINT64_MAX`), which is not a real value and must not be subtracted
 * from. Rates come from differences between two replies divided by the difference in
 * `durationSec`/`durationNsec`, the time the port has been alive (OpenFlow 1.3+).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Port from "./Port.ts"
import { ExperimenterProperty, unknownProperty } from "./Property.ts"
import * as Uint from "./Uint.ts"

/**
 * OFPMP_PORT_STATS request (`ofp_port_stats_request`).
 *
 * @category models
 * @since 0.1.0
 */
export const PortStatsRequest = Schema.TaggedStruct("PortStatsRequest", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  /** The port, or `Port.ANY` for all ports. */
  portNo: Port.PortNumber
})
/** @category models @since 0.1.0 */
export type PortStatsRequest = typeof PortStatsRequest.Type

/**
 * The optical port statistics property (`ofp_port_stats_prop_optical`, OpenFlow 1.4+).
 *
 * @category models
 * @since 0.1.0
 */
export const PortStatsPropOptical = Schema.TaggedStruct("PortStatsPropOptical", {
  /** Bitmap of `OFPOSF_*`: which of the values below are valid. */
  flags: Uint.Uint32,
  txFreqLmda: Uint.Uint32,
  txOffset: Uint.Uint32,
  txGridSpan: Uint.Uint32,
  rxFreqLmda: Uint.Uint32,
  rxOffset: Uint.Uint32,
  rxGridSpan: Uint.Uint32,
  /** Transmit power, dBm * 10. */
  txPwr: Uint.Uint16,
  /** Receive power, dBm * 10. */
  rxPwr: Uint.Uint16,
  /** Transmitter bias current, mA. */
  biasCurrent: Uint.Uint16,
  /** Temperature, Celsius * 10. */
  temperature: Uint.Uint16
})
/** @category models @since 0.1.0 */
export type PortStatsPropOptical = typeof PortStatsPropOptical.Type

/**
 * A port statistics property other than Ethernet (OpenFlow 1.4+; `OFPPSPT_*`).
 *
 * @category models
 * @since 0.1.0
 */
export const Property = Schema.Union([PortStatsPropOptical, ExperimenterProperty, unknownProperty("port statistics", [0, 1, 0xffff])])
/** @category models @since 0.1.0 */
export type Property = typeof Property.Type

/**
 * The counters of one port (`ofp_port_stats`, OpenFlow 1.3 §7.3.5.6). A counter the
 * switch does not keep is all ones.
 *
 * **Details**
 *
 * From OpenFlow 1.4 the Ethernet error counters (`rxFrameErr`, `rxOverErr`, `rxCrcErr`,
 * `collisions`) travel as the Ethernet property, always encoded first; `properties`
 * holds the others. A 1.4+ entry without an Ethernet property decodes with those four
 * counters 0.
 *
 * @category models
 * @since 0.1.0
 */
export const PortStats = Schema.Struct({
  portNo: Port.PortNumber,
  rxPackets: Uint.Uint64,
  txPackets: Uint.Uint64,
  rxBytes: Uint.Uint64,
  txBytes: Uint.Uint64,
  rxDropped: Uint.Uint64,
  txDropped: Uint.Uint64,
  rxErrors: Uint.Uint64,
  txErrors: Uint.Uint64,
  /** Frame alignment errors. */
  rxFrameErr: Uint.Uint64,
  /** Packets with RX overrun. */
  rxOverErr: Uint.Uint64,
  /** CRC errors. */
  rxCrcErr: Uint.Uint64,
  collisions: Uint.Uint64,
  /** Time the port has been alive: seconds... */
  durationSec: Uint.Uint32,
  /** ...and nanoseconds beyond `durationSec`. */
  durationNsec: Uint.Uint32,
  /** OpenFlow 1.4+: the properties other than Ethernet, in wire order; absent when none. */
  properties: Schema.optional(Schema.Array(Property))
})
/** @category models @since 0.1.0 */
export type PortStats = typeof PortStats.Type

/**
 * OFPMP_PORT_STATS reply.
 *
 * @category models
 * @since 0.1.0
 */
export const PortStatsReply = Schema.TaggedStruct("PortStatsReply", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  stats: Schema.Array(PortStats)
})
/** @category models @since 0.1.0 */
export type PortStatsReply = typeof PortStatsReply.Type

/**
 * A PORT_STATS request for one port, or for every port by default.
 *
 * @example
 * ```ts
 * import { PortStats } from "@switchyard/openflow"
 *
 * const all = PortStats.request()
 * const one = PortStats.request(3)
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const request = (portNo: number = Port.ANY): PortStatsRequest => ({ _tag: "PortStatsRequest", flags: 0, portNo })
