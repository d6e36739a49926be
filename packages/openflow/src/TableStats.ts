/**
 * The TABLE multipart request and reply: per-table counters.
 *
 * In OpenFlow 1.3 this reply carries only counters (active entries, lookups, matches);
 * what a table can do moved to TABLE_FEATURES. Switches with many tables report all of
 * them, used or not, so expect up to 255 entries.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { fixedText } from "./internal/text.ts"
import * as Uint from "./Uint.ts"

/**
 * OFPMP_TABLE request.
 *
 * @category models
 * @since 0.1.0
 */
export const TableStatsRequest = Schema.TaggedStruct("TableStatsRequest", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16
})
/** @category models @since 0.1.0 */
export type TableStatsRequest = typeof TableStatsRequest.Type

/**
 * The counters of one table (`ofp_table_stats`, OpenFlow 1.3 §7.3.5.4).
 *
 * **Details**
 *
 * An OpenFlow 1.0 entry also describes the table: `name`, `wildcards` and `maxEntries`,
 * which a 1.0 decode always sets and other versions never do (1.3 moved them to
 * TABLE_FEATURES). Encoding an entry with them in another version, or without them in
 * 1.0, fails with an `EncodeError`.
 *
 * @category models
 * @since 0.1.0
 */
export const TableStats = Schema.Struct({
  tableId: Uint.Uint8,
  /** Number of active entries. */
  activeCount: Uint.Uint32,
  /** Packets looked up in the table. */
  lookupCount: Uint.Uint64,
  /** Packets that hit the table. */
  matchedCount: Uint.Uint64,
  /** OpenFlow 1.0 only: the table's name (at most 32 bytes of UTF-8). */
  name: Schema.optional(fixedText(32, "TableName")),
  /** OpenFlow 1.0 only: the `OFPFW_*` wildcard bits the table supports. */
  wildcards: Schema.optional(Uint.Uint32),
  /** OpenFlow 1.0 only: the most entries the table can hold. */
  maxEntries: Schema.optional(Uint.Uint32)
})
/** @category models @since 0.1.0 */
export type TableStats = typeof TableStats.Type

/**
 * OFPMP_TABLE reply.
 *
 * @category models
 * @since 0.1.0
 */
export const TableStatsReply = Schema.TaggedStruct("TableStatsReply", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  stats: Schema.Array(TableStats)
})
/** @category models @since 0.1.0 */
export type TableStatsReply = typeof TableStatsReply.Type

/**
 * A TABLE statistics request.
 *
 * @example
 * ```ts
 * import { TableStats } from "@switchyard/openflow"
 *
 * const req = TableStats.request
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const request: TableStatsRequest = { _tag: "TableStatsRequest", flags: 0 }
