/**
 * Wire codec for OFPT_TABLE_MOD (OpenFlow 1.1-1.3 §7.3.3): table_id, 3 bytes of padding,
 * config; OpenFlow 1.4+ follows it with table configuration properties (eviction,
 * vacancy, experimenter), whose codec the TABLE_DESC reply and TABLE_STATUS share.
 */
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import type { Property, TableMod } from "../TableMod.ts"
import {
  begin,
  decodeExperimenter,
  decodeProperties,
  decodeUnknown,
  encodeExperimenter,
  encodeUnknown,
  end,
  expectLength,
  EXPERIMENTER,
  needsVersion
} from "./property.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const OFPTMPT_EVICTION = 2
const OFPTMPT_VACANCY = 3

let what = ""

const tableProperty = (r: Reader, type: number, length: number): Property | OpenFlowError => {
  switch (type) {
    case OFPTMPT_EVICTION:
      return expectLength(what, "eviction", length, 8) ?? { _tag: "TableModPropEviction", flags: r.u32() }
    case OFPTMPT_VACANCY: {
      const error = expectLength(what, "vacancy", length, 8)
      if (error !== undefined) return error
      const vacancyDown = r.u8()
      const vacancyUp = r.u8()
      return { _tag: "TableModPropVacancy", vacancyDown, vacancyUp, vacancy: r.u8() }
    }
    case EXPERIMENTER:
      return decodeExperimenter(r, length, what)
    default:
      return decodeUnknown(r, type, length)
  }
}

/** Reads table configuration properties from `r.pos` to `end`; `context` names them in errors. */
export const decodeTableProperties = (r: Reader, limit: number, context: string): Array<Property> | OpenFlowError => {
  what = context
  return decodeProperties(r, limit, context, tableProperty)
}

/** Writes table configuration properties. */
export const encodeTableProperties = (w: Writer, properties: ReadonlyArray<Property>, context: string): void => {
  for (const p of properties) {
    switch (p._tag) {
      case "TableModPropEviction": {
        const at = begin(w, OFPTMPT_EVICTION)
        w.u32(p.flags)
        end(w, at, context)
        break
      }
      case "TableModPropVacancy": {
        const at = begin(w, OFPTMPT_VACANCY)
        w.u8(p.vacancyDown)
        w.u8(p.vacancyUp)
        w.u8(p.vacancy)
        w.zeros(1)
        end(w, at, context)
        break
      }
      case "ExperimenterProperty":
        encodeExperimenter(w, p, context)
        break
      case "UnknownProperty":
        encodeUnknown(w, p, context)
        break
    }
  }
}

export const rows = [
  row<TableMod>({
    tag: "TableMod",
    type: 17,
    since: 2,
    until: 4,
    minBody: 8,
    element: 0,
    decode: (r: Reader) => {
      const tableId = r.u8()
      r.skip(3)
      return { _tag: "TableMod", tableId, config: r.u32() }
    },
    encode: (w: Writer, m) => {
      if (m.properties !== undefined && m.properties.length > 0) needsVersion(w, "table-mod properties", 5)
      w.u8(m.tableId)
      w.zeros(3)
      w.u32(m.config)
      return undefined
    }
  }),
  row<TableMod>({
    tag: "TableMod",
    type: 17,
    since: 5,
    minBody: 8,
    element: 8,
    decode: (r: Reader) => {
      const tableId = r.u8()
      r.skip(3)
      const config = r.u32()
      const properties = decodeTableProperties(r, r.end, "TABLE_MOD")
      if (OFE.isOpenFlowError(properties)) return properties
      return properties.length === 0 ? { _tag: "TableMod", tableId, config } : { _tag: "TableMod", tableId, config, properties }
    },
    encode: (w: Writer, m) => {
      w.u8(m.tableId)
      w.zeros(3)
      w.u32(m.config)
      encodeTableProperties(w, m.properties ?? [], "TABLE_MOD")
      return undefined
    }
  })
]
