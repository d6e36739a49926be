/**
 * The FLOW and AGGREGATE multipart requests and replies: reading flow entries back, one
 * by one or summed.
 *
 * Both requests select flows the way a non-strict FLOW_MOD delete does: by table (or
 * all tables), by a match that the flows' matches must be at least as specific as, by
 * output port and group (`Port.ANY` / `OFPG_ANY` for no filter), and by cookie under a
 * mask (mask 0: any cookie). A FLOW reply lists each selected entry with its match,
 * instructions and counters; it is the biggest reply a switch sends and usually comes
 * in several parts (`Multipart.merge`). Counters the switch does not keep are all ones.
 *
 * OpenFlow 1.4 added each entry's `importance`. OpenFlow 1.5 renamed FLOW to FLOW_DESC
 * (same number, same request) and sends the counters as OXS statistics (`Stats`), and
 * added FLOW_STATS (number 17), the counters without the instructions: the
 * {@link FlowCountersRequest} and {@link FlowCountersReply} here.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Instruction from "./Instruction.ts"
import * as Match from "./Match.ts"
import * as Port from "./Port.ts"
import * as Stats from "./Stats.ts"
import * as Uint from "./Uint.ts"

const OFPTT_ALL = 0xff
const OFPG_ANY = 0xffff_ffff

const selection = {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  /** The table to read, or 0xff (`OFPTT_ALL`) for every table. */
  tableId: Uint.Uint8,
  /** Only flows that output to this port; `Port.ANY` for no filter. */
  outPort: Port.PortNumber,
  /** Only flows that output to this group; 0xffffffff (`OFPG_ANY`) for no filter. */
  outGroup: Uint.Uint32,
  /** Only flows whose cookie equals this under `cookieMask`. */
  cookie: Uint.Uint64,
  /** Bits of `cookie` that must match; 0 for any cookie. */
  cookieMask: Uint.Uint64,
  /** Only flows whose match is at least as specific as this one. */
  match: Match.Match
}

/**
 * OFPMP_FLOW request (`ofp_flow_stats_request`, OpenFlow 1.3 §7.3.5.2; OFPMP_FLOW_DESC
 * in 1.5, the same layout).
 *
 * @category models
 * @since 0.1.0
 */
export const FlowStatsRequest = Schema.TaggedStruct("FlowStatsRequest", selection)
/** @category models @since 0.1.0 */
export type FlowStatsRequest = typeof FlowStatsRequest.Type

/**
 * One flow entry as the switch reports it (`ofp_flow_stats`; 1.5's `ofp_flow_desc`).
 *
 * **Details**
 *
 * In OpenFlow 1.5 the counters come as OXS fields: decoding sets `durationSec`,
 * `durationNsec`, `packetCount` and `byteCount` from them (0 for counters the switch did
 * not send) and keeps the list in `stats` only when it is not exactly duration, packet
 * count, byte count; a given `stats` must agree with those fields to encode (see
 * `FlowRemoved.FlowRemoved`, which works the same way).
 *
 * @category models
 * @since 0.1.0
 */
export const FlowStats = Schema.Struct({
  tableId: Uint.Uint8,
  /** Time the flow has been alive: seconds... */
  durationSec: Uint.Uint32,
  /** ...and nanoseconds beyond `durationSec`. */
  durationNsec: Uint.Uint32,
  priority: Uint.Uint16,
  idleTimeout: Uint.Uint16,
  hardTimeout: Uint.Uint16,
  /** Bitmap of `FlowMod.Flags`. */
  flags: Uint.Uint16,
  cookie: Uint.Uint64,
  packetCount: Uint.Uint64,
  byteCount: Uint.Uint64,
  /** The flow's match as the switch reports it (prerequisites are not re-checked). */
  match: Match.Match,
  instructions: Instruction.Instructions,
  /** OpenFlow 1.4+: the entry's eviction importance; absent means 0. */
  importance: Schema.optional(Uint.Uint16),
  /** OpenFlow 1.5+: the OXS counters exactly as sent, when they are not the canonical three. */
  stats: Schema.optional(Stats.Stats)
})
/** @category models @since 0.1.0 */
export type FlowStats = typeof FlowStats.Type

/**
 * OFPMP_FLOW reply.
 *
 * @category models
 * @since 0.1.0
 */
export const FlowStatsReply = Schema.TaggedStruct("FlowStatsReply", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  stats: Schema.Array(FlowStats)
})
/** @category models @since 0.1.0 */
export type FlowStatsReply = typeof FlowStatsReply.Type

/**
 * OFPMP_AGGREGATE request (`ofp_aggregate_stats_request`: the same selection as FLOW).
 *
 * @category models
 * @since 0.1.0
 */
export const AggregateStatsRequest = Schema.TaggedStruct("AggregateStatsRequest", selection)
/** @category models @since 0.1.0 */
export type AggregateStatsRequest = typeof AggregateStatsRequest.Type

/**
 * OFPMP_AGGREGATE reply (`ofp_aggregate_stats_reply`, OpenFlow 1.3 §7.3.5.3; OXS
 * statistics in 1.5).
 *
 * **Details**
 *
 * In OpenFlow 1.5 the reply is an OXS list: decoding sets the three counters from it (0
 * for those not sent) and keeps the list in `stats` only when it is not exactly flow
 * count, packet count, byte count; a given `stats` must agree with the counters to encode.
 *
 * @category models
 * @since 0.1.0
 */
export const AggregateStatsReply = Schema.TaggedStruct("AggregateStatsReply", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  packetCount: Uint.Uint64,
  byteCount: Uint.Uint64,
  /** Number of flows selected. */
  flowCount: Uint.Uint32,
  /** OpenFlow 1.5+: the OXS counters exactly as sent, when they are not the canonical three. */
  stats: Schema.optional(Stats.Stats)
})
/** @category models @since 0.1.0 */
export type AggregateStatsReply = typeof AggregateStatsReply.Type

/**
 * OFPMP_FLOW_STATS request (OpenFlow 1.5 §7.3.5.3, multipart type 17): the counters of
 * the flows the selection names, without their instructions.
 *
 * @category models
 * @since 0.1.0
 */
export const FlowCountersRequest = Schema.TaggedStruct("FlowCountersRequest", selection)
/** @category models @since 0.1.0 */
export type FlowCountersRequest = typeof FlowCountersRequest.Type

/**
 * One entry of a FLOW_STATS reply (`ofp_flow_stats`, OpenFlow 1.5).
 *
 * @category models
 * @since 0.1.0
 */
export const FlowCounters = Schema.Struct({
  tableId: Uint.Uint8,
  /** Why the entry was sent: one of {@link CountersReason}. */
  reason: Uint.Uint8,
  priority: Uint.Uint16,
  /** The flow's match as the switch reports it. */
  match: Match.Match,
  /** The counters the switch keeps, in the order it sent them. */
  stats: Stats.Stats
})
/** @category models @since 0.1.0 */
export type FlowCounters = typeof FlowCounters.Type

/**
 * Why a FLOW_STATS entry was sent (`OFPFSR_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const CountersReason = {
  /** In reply to a FLOW_STATS request. */
  STATS_REQUEST: 0,
  /** Triggered by a stat-trigger instruction's threshold. */
  STAT_TRIGGER: 1
} as const

/**
 * OFPMP_FLOW_STATS reply (OpenFlow 1.5).
 *
 * @category models
 * @since 0.1.0
 */
export const FlowCountersReply = Schema.TaggedStruct("FlowCountersReply", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  flows: Schema.Array(FlowCounters)
})
/** @category models @since 0.1.0 */
export type FlowCountersReply = typeof FlowCountersReply.Type

/**
 * Which flow entries a FLOW, AGGREGATE or (1.5) FLOW_STATS request selects, the options of
 * {@link request}, {@link aggregateRequest} and {@link countersRequest}; every field
 * defaults to "no filter".
 *
 * @category models
 * @since 0.1.0
 */
export interface Selection {
  readonly tableId?: number
  readonly outPort?: number
  readonly outGroup?: number
  readonly cookie?: bigint
  readonly cookieMask?: bigint
  readonly match?: Match.Match
}

/**
 * A FLOW statistics request; by default every flow of every table.
 *
 * @example
 * ```ts
 * import { FlowStats, Match } from "@switchyard/openflow"
 *
 * const all = FlowStats.request()
 * const table0 = FlowStats.request({ tableId: 0 })
 * const tagged = FlowStats.request({ cookie: 0x42n, cookieMask: 0xffn })
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const request = (options: Selection = {}): FlowStatsRequest => ({
  _tag: "FlowStatsRequest",
  flags: 0,
  tableId: options.tableId ?? OFPTT_ALL,
  outPort: options.outPort ?? Port.ANY,
  outGroup: options.outGroup ?? OFPG_ANY,
  cookie: options.cookie ?? 0n,
  cookieMask: options.cookieMask ?? 0n,
  match: options.match ?? Match.empty
})

/** An AGGREGATE statistics request; by default over every flow of every table. @category constructors @since 0.1.0 */
export const aggregateRequest = (options: Selection = {}): AggregateStatsRequest => ({
  ...request(options),
  _tag: "AggregateStatsRequest"
})

/** A FLOW_STATS (OpenFlow 1.5) request; by default every flow of every table. @category constructors @since 0.1.0 */
export const countersRequest = (options: Selection = {}): FlowCountersRequest => ({
  ...request(options),
  _tag: "FlowCountersRequest"
})
