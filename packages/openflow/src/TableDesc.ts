/**
 * The TABLE_DESC multipart request and reply, and OFPT_TABLE_STATUS (OpenFlow 1.4+): the
 * current configuration of the flow tables.
 *
 * OpenFlow 1.4 made a table's configuration readable (TABLE_DESC) and observable: a
 * switch with vacancy events enabled (`TableMod.Config.VACANCY_EVENTS`) sends a
 * TABLE_STATUS when a table's free space crosses the thresholds of its vacancy property,
 * so a controller can stop adding flows before the table is full. Both carry the table
 * as `ofp_table_desc`: its id, its `config` bits and the same properties a TABLE_MOD
 * sets (`TableMod.Property`), here with the current `vacancy` filled in.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as TableMod from "./TableMod.ts"
import * as Uint from "./Uint.ts"

/**
 * One table's configuration (`ofp_table_desc`).
 *
 * @category models
 * @since 0.1.0
 */
export const TableDesc = Schema.Struct({
  tableId: Uint.Uint8,
  /** Bitmap of `TableMod.Config` bits. */
  config: Uint.Uint32,
  /** Eviction, vacancy and experimenter properties, in wire order. */
  properties: Schema.Array(TableMod.Property)
})
/** @category models @since 0.1.0 */
export type TableDesc = typeof TableDesc.Type

/**
 * OFPMP_TABLE_DESC request (OpenFlow 1.4 §7.3.5.6): the configuration of every table.
 *
 * @category models
 * @since 0.1.0
 */
export const TableDescRequest = Schema.TaggedStruct("TableDescRequest", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16
})
/** @category models @since 0.1.0 */
export type TableDescRequest = typeof TableDescRequest.Type

/**
 * OFPMP_TABLE_DESC reply.
 *
 * @category models
 * @since 0.1.0
 */
export const TableDescReply = Schema.TaggedStruct("TableDescReply", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  tables: Schema.Array(TableDesc)
})
/** @category models @since 0.1.0 */
export type TableDescReply = typeof TableDescReply.Type

/**
 * OFPT_TABLE_STATUS (OpenFlow 1.4 §7.4.5): a table's configuration changed, or its free
 * space crossed a vacancy threshold.
 *
 * @example
 * ```ts
 * import { TableDesc } from "@switchyard/openflow"
 *
 * const filling = (m: TableDesc.TableStatus) => m.reason === TableDesc.StatusReason.VACANCY_DOWN
 * ```
 *
 * @category models
 * @since 0.1.0
 */
export const TableStatus = Schema.TaggedStruct("TableStatus", {
  /** One of {@link StatusReason}. */
  reason: Uint.Uint8,
  table: TableDesc
})
/** @category models @since 0.1.0 */
export type TableStatus = typeof TableStatus.Type

/**
 * Why a TABLE_STATUS was sent (`OFPTR_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const StatusReason = {
  /** The free space fell below the vacancy property's `vacancyDown`. */
  VACANCY_DOWN: 3,
  /** The free space rose above `vacancyUp`. */
  VACANCY_UP: 4
} as const

/** A TABLE_DESC request. @category constructors @since 0.1.0 */
export const request: TableDescRequest = { _tag: "TableDescRequest", flags: 0 }
