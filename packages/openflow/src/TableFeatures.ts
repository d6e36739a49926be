/**
 * The TABLE_FEATURES multipart request and reply: what each flow table can match, which
 * instructions and actions it accepts, and where it may go next.
 *
 * A switch describes every table with a fixed header and a list of properties, each a
 * TLV padded to 8 bytes. Most properties come in pairs: one for regular flow entries and
 * a `_MISS` twin for the table-miss entry (here one property kind with `miss: true`).
 * The lists inside are ids, not full structures: an action id is only an action's type
 * (plus an experimenter id for experimenter actions), an OXM id is only a field's header.
 * The same message with a body is a request to *change* the pipeline, which few switches
 * support; an empty request only asks. A reply for a switch with many tables easily
 * exceeds one message, so expect it in parts (`Multipart.merge`). OpenFlow 1.4 added the
 * TABLE_SYNC_FROM property; 1.5 added copy-field and packet-type properties, a `command`
 * saying how a request changes the pipeline, and table `features`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { fixedText } from "./internal/text.ts"
import * as Match from "./Match.ts"
import * as Uint from "./Uint.ts"

/** Width of the table name field (`OFP_MAX_TABLE_NAME_LEN`). @category constants @since 0.1.0 */
export const NAME_WIDTH = 32

/** Schema of a table name: UTF-8 text of at most 32 bytes without NUL. @category schemas @since 0.1.0 */
export const Name = fixedText(NAME_WIDTH, "TableName")

/**
 * An instruction id (`ofp_instruction` header in a table-features property).
 *
 * **Details**
 *
 * `type` is the instruction type (`OFPIT_*`); `data` holds what follows the 4-byte
 * header, which is empty for standard instructions and starts with the experimenter id
 * for experimenter instructions. It is a view into the received message.
 *
 * @category models
 * @since 0.1.0
 */
export const InstructionId = Schema.Struct({
  type: Uint.Uint16,
  data: Schema.Uint8Array
})
/** @category models @since 0.1.0 */
export type InstructionId = typeof InstructionId.Type

/**
 * An action id (`ofp_action_header` in a table-features property).
 *
 * **Details**
 *
 * `type` is the action type (`OFPAT_*`); `data` holds what follows the 4-byte header,
 * which is empty for standard actions and starts with the experimenter id for
 * experimenter actions. It is a view into the received message.
 *
 * @category models
 * @since 0.1.0
 */
export const ActionId = Schema.Struct({
  type: Uint.Uint16,
  data: Schema.Uint8Array
})
/** @category models @since 0.1.0 */
export type ActionId = typeof ActionId.Type

/**
 * OFPTFPT_INSTRUCTIONS / _MISS: the instructions the table accepts.
 *
 * @category models
 * @since 0.1.0
 */
export const TableFeaturePropInstructions = Schema.TaggedStruct("TableFeaturePropInstructions", {
  /** `true` for the table-miss variant (`OFPTFPT_INSTRUCTIONS_MISS`). */
  miss: Schema.Boolean,
  instructionIds: Schema.Array(InstructionId)
})
/** @category models @since 0.1.0 */
export type TableFeaturePropInstructions = typeof TableFeaturePropInstructions.Type

/**
 * OFPTFPT_NEXT_TABLES / _MISS: the tables a Goto-Table may point to.
 *
 * @category models
 * @since 0.1.0
 */
export const TableFeaturePropNextTables = Schema.TaggedStruct("TableFeaturePropNextTables", {
  /** `true` for the table-miss variant (`OFPTFPT_NEXT_TABLES_MISS`). */
  miss: Schema.Boolean,
  tableIds: Schema.Array(Uint.Uint8)
})
/** @category models @since 0.1.0 */
export type TableFeaturePropNextTables = typeof TableFeaturePropNextTables.Type

/**
 * OFPTFPT_WRITE_ACTIONS / _MISS: the actions a Write-Actions instruction may hold.
 *
 * @category models
 * @since 0.1.0
 */
export const TableFeaturePropWriteActions = Schema.TaggedStruct("TableFeaturePropWriteActions", {
  /** `true` for the table-miss variant (`OFPTFPT_WRITE_ACTIONS_MISS`). */
  miss: Schema.Boolean,
  actionIds: Schema.Array(ActionId)
})
/** @category models @since 0.1.0 */
export type TableFeaturePropWriteActions = typeof TableFeaturePropWriteActions.Type

/**
 * OFPTFPT_APPLY_ACTIONS / _MISS: the actions an Apply-Actions instruction may hold.
 *
 * @category models
 * @since 0.1.0
 */
export const TableFeaturePropApplyActions = Schema.TaggedStruct("TableFeaturePropApplyActions", {
  /** `true` for the table-miss variant (`OFPTFPT_APPLY_ACTIONS_MISS`). */
  miss: Schema.Boolean,
  actionIds: Schema.Array(ActionId)
})
/** @category models @since 0.1.0 */
export type TableFeaturePropApplyActions = typeof TableFeaturePropApplyActions.Type

/**
 * OFPTFPT_MATCH: the fields the table can match (`hasMask` set when it can mask them).
 *
 * @category models
 * @since 0.1.0
 */
export const TableFeaturePropMatch = Schema.TaggedStruct("TableFeaturePropMatch", {
  oxmIds: Schema.Array(Match.OxmId)
})
/** @category models @since 0.1.0 */
export type TableFeaturePropMatch = typeof TableFeaturePropMatch.Type

/**
 * OFPTFPT_WILDCARDS: the fields that may be left out of a match entirely.
 *
 * @category models
 * @since 0.1.0
 */
export const TableFeaturePropWildcards = Schema.TaggedStruct("TableFeaturePropWildcards", {
  oxmIds: Schema.Array(Match.OxmId)
})
/** @category models @since 0.1.0 */
export type TableFeaturePropWildcards = typeof TableFeaturePropWildcards.Type

/**
 * OFPTFPT_WRITE_SETFIELD / _MISS: the fields a Set-Field in Write-Actions may set.
 *
 * @category models
 * @since 0.1.0
 */
export const TableFeaturePropWriteSetfield = Schema.TaggedStruct("TableFeaturePropWriteSetfield", {
  /** `true` for the table-miss variant (`OFPTFPT_WRITE_SETFIELD_MISS`). */
  miss: Schema.Boolean,
  oxmIds: Schema.Array(Match.OxmId)
})
/** @category models @since 0.1.0 */
export type TableFeaturePropWriteSetfield = typeof TableFeaturePropWriteSetfield.Type

/**
 * OFPTFPT_APPLY_SETFIELD / _MISS: the fields a Set-Field in Apply-Actions may set.
 *
 * @category models
 * @since 0.1.0
 */
export const TableFeaturePropApplySetfield = Schema.TaggedStruct("TableFeaturePropApplySetfield", {
  /** `true` for the table-miss variant (`OFPTFPT_APPLY_SETFIELD_MISS`). */
  miss: Schema.Boolean,
  oxmIds: Schema.Array(Match.OxmId)
})
/** @category models @since 0.1.0 */
export type TableFeaturePropApplySetfield = typeof TableFeaturePropApplySetfield.Type

/**
 * OFPTFPT_EXPERIMENTER / _MISS, its body kept byte for byte.
 *
 * @category models
 * @since 0.1.0
 */
export const TableFeaturePropExperimenter = Schema.TaggedStruct("TableFeaturePropExperimenter", {
  /** `true` for the table-miss variant (`OFPTFPT_EXPERIMENTER_MISS`). */
  miss: Schema.Boolean,
  experimenter: Uint.Uint32,
  expType: Uint.Uint32,
  /** Bytes after `expType`; a view into the received message. */
  data: Schema.Uint8Array
})
/** @category models @since 0.1.0 */
export type TableFeaturePropExperimenter = typeof TableFeaturePropExperimenter.Type

/**
 * The tables this table synchronises its entries from (`OFPTFPT_TABLE_SYNC_FROM`,
 * OpenFlow 1.4+).
 *
 * @category models
 * @since 0.1.0
 */
export const TableFeaturePropTableSyncFrom = Schema.TaggedStruct("TableFeaturePropTableSyncFrom", {
  tableIds: Schema.Array(Uint.Uint8)
})
/** @category models @since 0.1.0 */
export type TableFeaturePropTableSyncFrom = typeof TableFeaturePropTableSyncFrom.Type

/**
 * The fields a copy-field action in a write-actions instruction may use
 * (`OFPTFPT_WRITE_COPYFIELD`, OpenFlow 1.5).
 *
 * @category models
 * @since 0.1.0
 */
export const TableFeaturePropWriteCopyfield = Schema.TaggedStruct("TableFeaturePropWriteCopyfield", {
  /** `true` for the table-miss variant (`OFPTFPT_WRITE_COPYFIELD_MISS`). */
  miss: Schema.Boolean,
  oxmIds: Schema.Array(Match.OxmId)
})
/** @category models @since 0.1.0 */
export type TableFeaturePropWriteCopyfield = typeof TableFeaturePropWriteCopyfield.Type

/**
 * The fields a copy-field action in an apply-actions instruction may use
 * (`OFPTFPT_APPLY_COPYFIELD`, OpenFlow 1.5).
 *
 * @category models
 * @since 0.1.0
 */
export const TableFeaturePropApplyCopyfield = Schema.TaggedStruct("TableFeaturePropApplyCopyfield", {
  /** `true` for the table-miss variant (`OFPTFPT_APPLY_COPYFIELD_MISS`). */
  miss: Schema.Boolean,
  oxmIds: Schema.Array(Match.OxmId)
})
/** @category models @since 0.1.0 */
export type TableFeaturePropApplyCopyfield = typeof TableFeaturePropApplyCopyfield.Type

/**
 * The packet types the table can process (`OFPTFPT_PACKET_TYPES`, OpenFlow 1.5): OXM
 * fields with values, normally `packetType`.
 *
 * @category models
 * @since 0.1.0
 */
export const TableFeaturePropPacketTypes = Schema.TaggedStruct("TableFeaturePropPacketTypes", {
  oxmValues: Schema.Array(Match.OxmField)
})
/** @category models @since 0.1.0 */
export type TableFeaturePropPacketTypes = typeof TableFeaturePropPacketTypes.Type

/** A table-features property. @category models @since 0.1.0 */
export const TableFeatureProperty = Schema.Union([
  TableFeaturePropInstructions,
  TableFeaturePropNextTables,
  TableFeaturePropWriteActions,
  TableFeaturePropApplyActions,
  TableFeaturePropMatch,
  TableFeaturePropWildcards,
  TableFeaturePropWriteSetfield,
  TableFeaturePropApplySetfield,
  TableFeaturePropTableSyncFrom,
  TableFeaturePropWriteCopyfield,
  TableFeaturePropApplyCopyfield,
  TableFeaturePropPacketTypes,
  TableFeaturePropExperimenter
])
/** @category models @since 0.1.0 */
export type TableFeatureProperty = typeof TableFeatureProperty.Type

/**
 * The features of one table (`ofp_table_features`, OpenFlow 1.3 §7.3.5.5; 1.5 added
 * `command` and `features` in what was padding).
 *
 * @category models
 * @since 0.1.0
 */
export const TableFeatures = Schema.Struct({
  tableId: Uint.Uint8,
  name: Name,
  /** Bits of metadata the table can match. */
  metadataMatch: Uint.Uint64,
  /** Bits of metadata the table can write. */
  metadataWrite: Uint.Uint64,
  /**
   * Bitmap of `OFPTC_*` values (only deprecated bits in OpenFlow 1.3; `TableMod.Config`
   * bits in 1.4; the table's capabilities, as 1.5 calls the field).
   */
  config: Uint.Uint32,
  /** Maximum number of entries supported. */
  maxEntries: Uint.Uint32,
  /** In the order sent; each kind normally appears at most once (twice with its miss twin). */
  properties: Schema.Array(TableFeatureProperty),
  /**
   * OpenFlow 1.5+: how a request changes the pipeline, one of {@link Command}. Absent
   * means REPLACE (0), what earlier versions do; decoding leaves it out then.
   */
  command: Schema.optional(Uint.Uint8),
  /** OpenFlow 1.5+: bitmap of {@link Feature}; absent means 0. */
  features: Schema.optional(Uint.Uint32)
})
/** @category models @since 0.1.0 */
export type TableFeatures = typeof TableFeatures.Type

/**
 * OFPMP_TABLE_FEATURES request: empty to ask, with tables to set the pipeline.
 *
 * @category models
 * @since 0.1.0
 */
export const TableFeaturesRequest = Schema.TaggedStruct("TableFeaturesRequest", {
  /** Multipart flags (`Multipart.Flags`); REQ_MORE when the request continues. */
  flags: Uint.Uint16,
  tables: Schema.Array(TableFeatures)
})
/** @category models @since 0.1.0 */
export type TableFeaturesRequest = typeof TableFeaturesRequest.Type

/**
 * OFPMP_TABLE_FEATURES reply.
 *
 * @category models
 * @since 0.1.0
 */
export const TableFeaturesReply = Schema.TaggedStruct("TableFeaturesReply", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  tables: Schema.Array(TableFeatures)
})
/** @category models @since 0.1.0 */
export type TableFeaturesReply = typeof TableFeaturesReply.Type

/**
 * Table-features property types (`OFPTFPT_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const PropertyType = {
  INSTRUCTIONS: 0,
  INSTRUCTIONS_MISS: 1,
  NEXT_TABLES: 2,
  NEXT_TABLES_MISS: 3,
  WRITE_ACTIONS: 4,
  WRITE_ACTIONS_MISS: 5,
  APPLY_ACTIONS: 6,
  APPLY_ACTIONS_MISS: 7,
  MATCH: 8,
  WILDCARDS: 10,
  WRITE_SETFIELD: 12,
  WRITE_SETFIELD_MISS: 13,
  APPLY_SETFIELD: 14,
  APPLY_SETFIELD_MISS: 15,
  /** OpenFlow 1.4+. */
  TABLE_SYNC_FROM: 16,
  /** OpenFlow 1.5. */
  WRITE_COPYFIELD: 18,
  /** OpenFlow 1.5. */
  WRITE_COPYFIELD_MISS: 19,
  /** OpenFlow 1.5. */
  APPLY_COPYFIELD: 20,
  /** OpenFlow 1.5. */
  APPLY_COPYFIELD_MISS: 21,
  /** OpenFlow 1.5. */
  PACKET_TYPES: 22,
  EXPERIMENTER: 0xfffe,
  EXPERIMENTER_MISS: 0xffff
} as const

/**
 * A TABLE_FEATURES request that only asks (no body).
 *
 * @example
 * ```ts
 * import { TableFeatures } from "@switchyard/openflow"
 *
 * const req = TableFeatures.request
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const request: TableFeaturesRequest = { _tag: "TableFeaturesRequest", flags: 0, tables: [] }

/**
 * The first property of kind `tag` of a table, the regular one or (with `miss: true`)
 * its table-miss twin; `undefined` when the switch did not send it.
 *
 * @example
 * ```ts
 * import type { TableFeatures } from "@switchyard/openflow"
 * import { TableFeatures as TF } from "@switchyard/openflow"
 *
 * const matchable = (t: TableFeatures.TableFeatures) =>
 *   TF.property(t, "TableFeaturePropMatch")?.oxmIds.map((id) => id.field) ?? []
 * ```
 *
 * @category accessors
 * @since 0.1.0
 */
export const property = <T extends TableFeatureProperty["_tag"]>(
  table: TableFeatures,
  tag: T,
  options?: { readonly miss?: boolean }
): Extract<TableFeatureProperty, { readonly _tag: T }> | undefined => {
  const miss = options?.miss ?? false
  for (const p of table.properties) {
    // MATCH and WILDCARDS have no table-miss twin: they answer only `miss: false`.
    if (p._tag === tag && ("miss" in p ? p.miss : false) === miss) return p as Extract<TableFeatureProperty, { readonly _tag: T }>
  }
  return undefined
}

/**
 * How a 1.5 TABLE_FEATURES request changes the pipeline (`OFPTFC_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const Command = {
  /** Replace the whole pipeline. */
  REPLACE: 0,
  /** Change the capabilities of the listed tables. */
  MODIFY: 1,
  /** Enable the listed tables. */
  ENABLE: 2,
  /** Disable the listed tables. */
  DISABLE: 3
} as const

/**
 * Table feature bits (`OFPTFF_*`, OpenFlow 1.5).
 *
 * @category constants
 * @since 0.1.0
 */
export const Feature = {
  /** Can be configured as an ingress table. */
  INGRESS_TABLE: 1 << 0,
  /** Can be configured as an egress table. */
  EGRESS_TABLE: 1 << 1,
  /** Is the first egress table. */
  FIRST_EGRESS: 1 << 4
} as const
