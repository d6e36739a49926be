/**
 * OFPT_TABLE_MOD: per-table configuration, and the table id constants.
 *
 * In OpenFlow 1.1 and 1.2 this message chose what a table does on a miss (send to the
 * controller, continue, drop). OpenFlow 1.3 replaced that with table-miss flow entries
 * and left `config` with only deprecated bits, so in 1.3 TABLE_MOD is rarely useful;
 * 1.4 gave it eviction and vacancy properties. The message is kept complete so that
 * every 1.3 message can be decoded and answered.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Uint from "./Uint.ts"

/**
 * OFPT_TABLE_MOD (OpenFlow 1.3 §7.3.3).
 *
 * @category models
 * @since 0.1.0
 */
export const TableMod = Schema.TaggedStruct("TableMod", {
  /** The table to configure, or {@link ALL}. */
  tableId: Uint.Uint8,
  /** Bitmap of `OFPTC_*` values; in OpenFlow 1.3 only {@link DEPRECATED_MASK} bits exist. */
  config: Uint.Uint32
})
/** @category models @since 0.1.0 */
export type TableMod = typeof TableMod.Type

/** The last usable table number (`OFPTT_MAX`). @category constants @since 0.1.0 */
export const MAX = 0xfe

/** All tables (`OFPTT_ALL`), in TABLE_MOD, flow deletes and statistics requests. @category constants @since 0.1.0 */
export const ALL = 0xff

/**
 * The table-miss bits of OpenFlow 1.1/1.2 that OpenFlow 1.3 deprecated (`OFPTC_DEPRECATED_MASK`).
 *
 * @category constants
 * @since 0.1.0
 */
export const DEPRECATED_MASK = 3

/** A TABLE_MOD for `tableId` (default {@link ALL}). @category constructors @since 0.1.0 */
export const make = (config: number, tableId: number = ALL): TableMod => ({ _tag: "TableMod", tableId, config })
