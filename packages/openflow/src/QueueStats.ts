/**
 * The QUEUE multipart request and reply: per-queue transmit counters.
 *
 * A request names a port and a queue, either of which may be a wildcard
 * (`Port.ANY`, `QueueConfig.ALL`). Counters the switch does not keep are all ones.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Port from "./Port.ts"
import { ExperimenterProperty, unknownProperty } from "./Property.ts"
import * as Uint from "./Uint.ts"

/**
 * OFPMP_QUEUE request (`ofp_queue_stats_request`).
 *
 * @category models
 * @since 0.1.0
 */
export const QueueStatsRequest = Schema.TaggedStruct("QueueStatsRequest", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  /** The port, or `Port.ANY`. */
  portNo: Port.PortNumber,
  /** The queue, or `QueueConfig.ALL`. */
  queueId: Uint.Uint32
})
/** @category models @since 0.1.0 */
export type QueueStatsRequest = typeof QueueStatsRequest.Type

/**
 * A queue statistics property (OpenFlow 1.4+): only experimenter properties are defined
 * (`OFPQSPT_EXPERIMENTER`).
 *
 * @category models
 * @since 0.1.0
 */
export const Property = Schema.Union([ExperimenterProperty, unknownProperty("queue statistics", [0xffff])])
/** @category models @since 0.1.0 */
export type Property = typeof Property.Type

/**
 * The counters of one queue (`ofp_queue_stats`, OpenFlow 1.3 §7.3.5.8).
 *
 * @category models
 * @since 0.1.0
 */
export const QueueStats = Schema.Struct({
  portNo: Port.PortNumber,
  queueId: Uint.Uint32,
  txBytes: Uint.Uint64,
  txPackets: Uint.Uint64,
  /** Packets dropped due to overrun. */
  txErrors: Uint.Uint64,
  /** Time the queue has been installed: seconds... */
  durationSec: Uint.Uint32,
  /** ...and nanoseconds beyond `durationSec`. */
  durationNsec: Uint.Uint32,
  /** OpenFlow 1.4+: experimenter (and unknown) properties, in wire order; absent when none. */
  properties: Schema.optional(Schema.Array(Property))
})
/** @category models @since 0.1.0 */
export type QueueStats = typeof QueueStats.Type

/**
 * OFPMP_QUEUE reply.
 *
 * @category models
 * @since 0.1.0
 */
export const QueueStatsReply = Schema.TaggedStruct("QueueStatsReply", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  stats: Schema.Array(QueueStats)
})
/** @category models @since 0.1.0 */
export type QueueStatsReply = typeof QueueStatsReply.Type

/**
 * A QUEUE statistics request; every queue of every port by default.
 *
 * @example
 * ```ts
 * import { QueueStats } from "@switchyard/openflow"
 *
 * const all = QueueStats.request()
 * const port1 = QueueStats.request({ portNo: 1 })
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const request = (options?: { readonly portNo?: number; readonly queueId?: number }): QueueStatsRequest => ({
  _tag: "QueueStatsRequest",
  flags: 0,
  portNo: options?.portNo ?? Port.ANY,
  queueId: options?.queueId ?? 0xffff_ffff
})
