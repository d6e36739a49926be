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
import { ExperimenterProperty, unknownProperty } from "./Property.ts"
import * as Uint from "./Uint.ts"

/**
 * The eviction property (`ofp_table_mod_prop_eviction`, OpenFlow 1.4+): which factors
 * the switch may use to choose the entries it evicts.
 *
 * @category models
 * @since 0.1.0
 */
export const TableModPropEviction = Schema.TaggedStruct("TableModPropEviction", {
  /** Bitmap of {@link EvictionFlag}. */
  flags: Uint.Uint32
})
/** @category models @since 0.1.0 */
export type TableModPropEviction = typeof TableModPropEviction.Type

/**
 * The vacancy property (`ofp_table_mod_prop_vacancy`, OpenFlow 1.4+): thresholds, in
 * percent of the table's capacity, for the vacancy events of TABLE_STATUS.
 *
 * @category models
 * @since 0.1.0
 */
export const TableModPropVacancy = Schema.TaggedStruct("TableModPropVacancy", {
  /** Send a VACANCY_DOWN event when the free space falls below this percentage. */
  vacancyDown: Uint.Uint8,
  /** Send a VACANCY_UP event when it rises above this percentage. */
  vacancyUp: Uint.Uint8,
  /** The current free space in percent (in replies and TABLE_STATUS; 0 in a TABLE_MOD). */
  vacancy: Uint.Uint8
})
/** @category models @since 0.1.0 */
export type TableModPropVacancy = typeof TableModPropVacancy.Type

/**
 * Table configuration property types (`OFPTMPT_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const PropertyType = {
  EVICTION: 2,
  VACANCY: 3,
  EXPERIMENTER: 0xffff
} as const

/**
 * A table configuration property (OpenFlow 1.4+), in TABLE_MOD, the TABLE_DESC reply and
 * TABLE_STATUS.
 *
 * @category models
 * @since 0.1.0
 */
export const Property = Schema.Union([
  TableModPropEviction,
  TableModPropVacancy,
  ExperimenterProperty,
  unknownProperty("table configuration", Object.values(PropertyType))
])
/** @category models @since 0.1.0 */
export type Property = typeof Property.Type

/**
 * OFPT_TABLE_MOD (OpenFlow 1.3 §7.3.3; 1.4 §7.3.3 with properties).
 *
 * @category models
 * @since 0.1.0
 */
export const TableMod = Schema.TaggedStruct("TableMod", {
  /** The table to configure, or {@link ALL}. */
  tableId: Uint.Uint8,
  /**
   * Bitmap of `OFPTC_*` values: in OpenFlow 1.3 only {@link DEPRECATED_MASK} bits exist;
   * 1.4 adds {@link Config} EVICTION and VACANCY_EVENTS.
   */
  config: Uint.Uint32,
  /** OpenFlow 1.4+: eviction, vacancy and experimenter properties, in wire order; absent when none. */
  properties: Schema.optional(Schema.Array(Property))
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

/**
 * Table configuration bits of OpenFlow 1.4+ (`OFPTC_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const Config = {
  /** The switch may evict entries from the table to make room. */
  EVICTION: 1 << 2,
  /** The switch sends vacancy events (TABLE_STATUS) for the table. */
  VACANCY_EVENTS: 1 << 3
} as const

/**
 * Eviction factor bits (`OFPTMPEF_*`) of {@link TableModPropEviction}.
 *
 * @category constants
 * @since 0.1.0
 */
export const EvictionFlag = {
  /** Factors other than importance and lifetime. */
  OTHER: 1 << 0,
  /** The entries' importance (`FlowMod.importance`). */
  IMPORTANCE: 1 << 1,
  /** The entries' remaining lifetime. */
  LIFETIME: 1 << 2
} as const
