/**
 * Wire codec for the OFPMP_TABLE_FEATURES request and reply (OpenFlow 1.3 §7.3.5.5).
 *
 * Both carry a list of `ofp_table_features` (64-byte header, then properties). Each
 * property is `type u16, length u16`, a body, and padding to a multiple of 8 that the
 * length does not count. Everything inside is length-checked before it is read: a
 * table-features entry must be at least 64 bytes, a multiple of 8 and within the
 * message; a property at least its header, within its entry, padding included; an id
 * within its property. Those are OFPTFFC_BAD_LEN, the spec's "length problem in
 * properties" (Open vSwitch reports the 1.4 code OFPBPC_BAD_LEN, which OpenFlow 1.3
 * lacks); an unknown property type is OFPTFFC_BAD_TYPE. OXM ids are read and written by
 * the match codec (`decodeOxmId`/`encodeOxmId`).
 *
 * OpenFlow 1.4 reports the same length and type problems with the codes of its new
 * OFPET_BAD_PROPERTY type (OFPBPC_BAD_LEN, OFPBPC_BAD_TYPE), as Open vSwitch does, and
 * added TABLE_SYNC_FROM; 1.5 added the copy-field and packet-type properties and put
 * `command` and `features` in the header's padding. The property types of later
 * versions are read in every version from 1.4 on (their numbers are unassigned in 1.4),
 * and refused in 1.3.
 */
import type { OxmField, OxmId } from "../Match.ts"
import * as OFE from "../OpenFlowError.ts"
import type { ErrorName, OpenFlowError } from "../OpenFlowError.ts"
import type {
  ActionId,
  InstructionId,
  TableFeatureProperty,
  TableFeatures,
  TableFeaturesReply,
  TableFeaturesRequest
} from "../TableFeatures.ts"
import { patchLength } from "./invalid.ts"
import { decodeOxm, decodeOxmId, encodeOxm, encodeOxmId, OFPXMC_EXPERIMENTER } from "./match.ts"
import { needsVersion } from "./property.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import { readText, writeText } from "./text.ts"
import type { Writer } from "./writer.ts"

const OFPMP_TABLE_FEATURES = 12
const HEADER_SIZE = 64

const T = {
  INSTRUCTIONS: 0,
  NEXT_TABLES: 2,
  WRITE_ACTIONS: 4,
  APPLY_ACTIONS: 6,
  MATCH: 8,
  WILDCARDS: 10,
  WRITE_SETFIELD: 12,
  APPLY_SETFIELD: 14,
  TABLE_SYNC_FROM: 16,
  WRITE_COPYFIELD: 18,
  APPLY_COPYFIELD: 20,
  PACKET_TYPES: 22,
  EXPERIMENTER: 0xfffe
} as const

/**
 * The codes of the version being decoded: OpenFlow 1.3's OFPTFFC_* or, from 1.4, the
 * OFPBPC_* of OFPET_BAD_PROPERTY. Set when a message's tables are decoded (decoding is
 * synchronous and never re-entered).
 */
let lenCode: ErrorName = "OFPTFFC_BAD_LEN"
let typeCode: ErrorName = "OFPTFFC_BAD_TYPE"

const badLen = (detail: string): OpenFlowError => OFE.make(lenCode, detail)

/** Instruction or action ids: `type u16, len u16`, then `len - 4` bytes, packed without padding. */
const decodeIds = (r: Reader, end: number, what: string): Array<InstructionId | ActionId> | OpenFlowError => {
  const ids: Array<InstructionId | ActionId> = []
  while (r.pos < end) {
    const left = end - r.pos
    if (left < 4) return badLen(`${what}: ${left} bytes left over, short of a 4-byte id`)
    const type = r.u16()
    const len = r.u16()
    if (len < 4 || len > left) return badLen(`${what}: id length ${len} is not between 4 and the ${left} bytes that remain`)
    ids.push({ type, data: r.bytesView(len - 4) })
  }
  return ids
}

const decodeOxmIds = (r: Reader, end: number, what: string): Array<OxmId> | OpenFlowError => {
  const ids: Array<OxmId> = []
  while (r.pos < end) {
    const left = end - r.pos
    // An experimenter OXM id carries its experimenter id after the header.
    const need = left >= 2 && ((r.bytes[r.pos]! << 8) | r.bytes[r.pos + 1]!) === OFPXMC_EXPERIMENTER ? 8 : 4
    if (left < need) return badLen(`${what}: ${left} bytes left over, short of a ${need}-byte OXM id`)
    const id = decodeOxmId(r, end)
    if (OFE.isOpenFlowError(id)) return badLen(`${what}: ${id.message}`)
    ids.push(id)
  }
  return ids
}

const decodeProperty = (r: Reader, type: number, end: number, tableId: number): TableFeatureProperty | OpenFlowError => {
  const base = type === 0xffff ? T.EXPERIMENTER : type & ~1
  const miss = type === 0xffff || (type !== T.EXPERIMENTER && (type & 1) === 1)
  const what = `table ${tableId} property ${type}`
  switch (base) {
    case T.INSTRUCTIONS: {
      const ids = decodeIds(r, end, what)
      return OFE.isOpenFlowError(ids) ? ids : { _tag: "TableFeaturePropInstructions", miss, instructionIds: ids }
    }
    case T.NEXT_TABLES: {
      const tableIds: Array<number> = []
      while (r.pos < end) tableIds.push(r.u8())
      return { _tag: "TableFeaturePropNextTables", miss, tableIds }
    }
    case T.WRITE_ACTIONS:
    case T.APPLY_ACTIONS: {
      const ids = decodeIds(r, end, what)
      if (OFE.isOpenFlowError(ids)) return ids
      return base === T.WRITE_ACTIONS
        ? { _tag: "TableFeaturePropWriteActions", miss, actionIds: ids }
        : { _tag: "TableFeaturePropApplyActions", miss, actionIds: ids }
    }
    case T.MATCH:
    case T.WILDCARDS:
    case T.WRITE_SETFIELD:
    case T.APPLY_SETFIELD: {
      // MATCH (8) and WILDCARDS (10) have no table-miss twin: 9 and 11 are not defined.
      if (miss && (base === T.MATCH || base === T.WILDCARDS)) break
      const oxmIds = decodeOxmIds(r, end, what)
      if (OFE.isOpenFlowError(oxmIds)) return oxmIds
      switch (base) {
        case T.MATCH:
          return { _tag: "TableFeaturePropMatch", oxmIds }
        case T.WILDCARDS:
          return { _tag: "TableFeaturePropWildcards", oxmIds }
        case T.WRITE_SETFIELD:
          return { _tag: "TableFeaturePropWriteSetfield", miss, oxmIds }
        default:
          return { _tag: "TableFeaturePropApplySetfield", miss, oxmIds }
      }
    }
    case T.EXPERIMENTER: {
      if (end - r.pos < 8) return badLen(`${what}: experimenter property of ${end - r.pos + 4} bytes is shorter than 12`)
      const experimenter = r.u32()
      const expType = r.u32()
      return { _tag: "TableFeaturePropExperimenter", miss, experimenter, expType, data: r.bytesView(end - r.pos) }
    }
    case T.TABLE_SYNC_FROM: {
      if (r.version < 5 || miss) break
      const tableIds: Array<number> = []
      while (r.pos < end) tableIds.push(r.u8())
      return { _tag: "TableFeaturePropTableSyncFrom", tableIds }
    }
    case T.WRITE_COPYFIELD:
    case T.APPLY_COPYFIELD: {
      if (r.version < 5) break
      const oxmIds = decodeOxmIds(r, end, what)
      if (OFE.isOpenFlowError(oxmIds)) return oxmIds
      return base === T.WRITE_COPYFIELD
        ? { _tag: "TableFeaturePropWriteCopyfield", miss, oxmIds }
        : { _tag: "TableFeaturePropApplyCopyfield", miss, oxmIds }
    }
    case T.PACKET_TYPES: {
      if (r.version < 5 || miss) break
      const oxmValues: Array<OxmField> = []
      while (r.pos < end) {
        const field = decodeOxm(r, end)
        if (OFE.isOpenFlowError(field)) return field.code === "OFPBMC_BAD_LEN" ? badLen(`${what}: ${field.message}`) : field
        oxmValues.push(field)
      }
      return { _tag: "TableFeaturePropPacketTypes", oxmValues }
    }
  }
  return OFE.make(typeCode, `table ${tableId}: unknown property type ${type}`)
}

const decodeTables = (r: Reader): Array<TableFeatures> | OpenFlowError => {
  lenCode = r.version >= 5 ? "OFPBPC_BAD_LEN" : "OFPTFFC_BAD_LEN"
  typeCode = r.version >= 5 ? "OFPBPC_BAD_TYPE" : "OFPTFFC_BAD_TYPE"
  const tables: Array<TableFeatures> = []
  while (r.pos < r.end) {
    const left = r.remaining()
    if (left < HEADER_SIZE) return badLen(`${left} bytes left over, short of a 64-byte table features entry`)
    const length = r.u16()
    if (length < HEADER_SIZE || length > left || (length & 7) !== 0) {
      return badLen(`table features length ${length} is not a multiple of 8 between 64 and the ${left} bytes that remain`)
    }
    const entryEnd = r.pos - 2 + length
    const tableId = r.u8()
    // OpenFlow 1.5 put `command` and `features` in 1.3's five bytes of padding.
    const command = r.version >= 6 ? r.u8() : (r.skip(1), 0)
    const features = r.version >= 6 ? r.u32() : (r.skip(4), 0)
    const name = readText(r, 32)
    const metadataMatch = r.u64()
    const metadataWrite = r.u64()
    const config = r.u32()
    const maxEntries = r.u32()
    const properties: Array<TableFeatureProperty> = []
    while (r.pos < entryEnd) {
      const room = entryEnd - r.pos
      if (room < 4) return badLen(`table ${tableId}: ${room} bytes left over, short of a property header`)
      const type = r.u16()
      const len = r.u16()
      const padded = (len + 7) & ~7
      if (len < 4 || padded > room) {
        return badLen(`table ${tableId}: property ${type} length ${len} is not between 4 and the ${room} bytes that remain (padding included)`)
      }
      const property = decodeProperty(r, type, r.pos - 4 + len, tableId)
      if (OFE.isOpenFlowError(property)) return property
      properties.push(property)
      r.pos += padded - len
    }
    const table: { -readonly [K in keyof TableFeatures]: TableFeatures[K] } = { tableId, name, metadataMatch, metadataWrite, config, maxEntries, properties }
    if (command !== 0) table.command = command
    if (features !== 0) table.features = features
    tables.push(table)
  }
  return tables
}

const encodeIds = (w: Writer, ids: ReadonlyArray<InstructionId | ActionId>): void => {
  for (const id of ids) {
    w.u16(id.type)
    w.u16(4 + id.data.length)
    w.bytes(id.data)
  }
}

const encodeProperty = (w: Writer, p: TableFeatureProperty): OpenFlowError | undefined => {
  const miss = "miss" in p && p.miss ? 1 : 0
  switch (p._tag) {
    case "TableFeaturePropInstructions":
      w.u16(T.INSTRUCTIONS + miss)
      w.u16(0)
      encodeIds(w, p.instructionIds)
      return undefined
    case "TableFeaturePropNextTables":
      w.u16(T.NEXT_TABLES + miss)
      w.u16(0)
      for (const id of p.tableIds) w.u8(id)
      return undefined
    case "TableFeaturePropWriteActions":
    case "TableFeaturePropApplyActions":
      w.u16((p._tag === "TableFeaturePropWriteActions" ? T.WRITE_ACTIONS : T.APPLY_ACTIONS) + miss)
      w.u16(0)
      encodeIds(w, p.actionIds)
      return undefined
    case "TableFeaturePropMatch":
    case "TableFeaturePropWildcards":
    case "TableFeaturePropWriteSetfield":
    case "TableFeaturePropApplySetfield": {
      const type = p._tag === "TableFeaturePropMatch"
        ? T.MATCH
        : p._tag === "TableFeaturePropWildcards"
        ? T.WILDCARDS
        : (p._tag === "TableFeaturePropWriteSetfield" ? T.WRITE_SETFIELD : T.APPLY_SETFIELD) + miss
      w.u16(type)
      w.u16(0)
      for (const id of p.oxmIds) {
        const error = encodeOxmId(w, id)
        if (error !== undefined) return error
      }
      return undefined
    }
    case "TableFeaturePropExperimenter":
      w.u16(T.EXPERIMENTER + miss)
      w.u16(0)
      w.u32(p.experimenter)
      w.u32(p.expType)
      w.bytes(p.data)
      return undefined
    case "TableFeaturePropTableSyncFrom":
      if (w.version < 5) needsVersion(w, "the TABLE_SYNC_FROM table-features property", 5)
      w.u16(T.TABLE_SYNC_FROM)
      w.u16(0)
      for (const id of p.tableIds) w.u8(id)
      return undefined
    case "TableFeaturePropWriteCopyfield":
    case "TableFeaturePropApplyCopyfield": {
      if (w.version < 5) needsVersion(w, "the copy-field table-features properties", 5)
      w.u16((p._tag === "TableFeaturePropWriteCopyfield" ? T.WRITE_COPYFIELD : T.APPLY_COPYFIELD) + miss)
      w.u16(0)
      for (const id of p.oxmIds) {
        const error = encodeOxmId(w, id)
        if (error !== undefined) return error
      }
      return undefined
    }
    case "TableFeaturePropPacketTypes":
      if (w.version < 5) needsVersion(w, "the PACKET_TYPES table-features property", 5)
      w.u16(T.PACKET_TYPES)
      w.u16(0)
      for (const f of p.oxmValues) {
        const error = encodeOxm(w, f)
        if (error !== undefined) return error
      }
      return undefined
  }
}

const encodeTables = (w: Writer, tables: ReadonlyArray<TableFeatures>): OpenFlowError | undefined => {
  for (const t of tables) {
    const start = w.mark()
    w.u16(0)
    w.u8(t.tableId)
    if (w.version >= 6) {
      w.u8(t.command ?? 0)
      w.u32(t.features ?? 0)
    } else {
      if ((t.command ?? 0) !== 0 || (t.features ?? 0) !== 0) needsVersion(w, `table ${t.tableId} features command and features`, 6)
      w.zeros(5)
    }
    writeText(w, t.name, 32, "table name")
    w.u64(t.metadataMatch)
    w.u64(t.metadataWrite)
    w.u32(t.config)
    w.u32(t.maxEntries)
    for (const p of t.properties) {
      const at = w.mark()
      const error = encodeProperty(w, p)
      if (error !== undefined) return error
      patchLength(w, at + 2, w.pos - at, `table ${t.tableId} property ${p._tag}`)
      w.pad8(at)
    }
    patchLength(w, start, w.pos - start, `table ${t.tableId} features`)
  }
  return undefined
}

export const rows = [
  row<TableFeaturesRequest>({
    tag: "TableFeaturesRequest",
    type: 18,
    multipart: OFPMP_TABLE_FEATURES,
    since: 4,
    minBody: 0,
    element: 8,
    decode: (r: Reader, flags) => {
      const tables = decodeTables(r)
      return OFE.isOpenFlowError(tables) ? tables : { _tag: "TableFeaturesRequest", flags, tables }
    },
    encode: (w: Writer, m) => encodeTables(w, m.tables)
  }),
  row<TableFeaturesReply>({
    tag: "TableFeaturesReply",
    type: 19,
    multipart: OFPMP_TABLE_FEATURES,
    since: 4,
    minBody: 0,
    element: 8,
    decode: (r: Reader, flags) => {
      const tables = decodeTables(r)
      return OFE.isOpenFlowError(tables) ? tables : { _tag: "TableFeaturesReply", flags, tables }
    },
    encode: (w: Writer, m) => encodeTables(w, m.tables)
  })
]
