/**
 * Wire codec for the OFPMP_TABLE_DESC request (empty) and reply, and OFPT_TABLE_STATUS
 * (OpenFlow 1.4 §7.3.5.6, §7.4.5; the same in 1.5).
 *
 * `ofp_table_desc` is `length u16, table_id u8, pad, config u32` and table configuration
 * properties. Each entry's length is checked against the 8-byte fixed part and what
 * remains before it is read (OFPBRC_BAD_LEN), and its properties are read within it.
 */
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import type { TableDesc, TableDescReply, TableDescRequest, TableStatus } from "../TableDesc.ts"
import { patchLength } from "./invalid.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import { decodeTableProperties, encodeTableProperties } from "./tableMod.ts"
import type { Writer } from "./writer.ts"

const OFPMP_TABLE_DESC = 14
const TABLE_DESC_SIZE = 8

/** Reads one `ofp_table_desc`, which must end by `limit` (exactly there when `exact`). */
const decodeTableDesc = (r: Reader, limit: number, exact: boolean, what: string): TableDesc | OpenFlowError => {
  const left = limit - r.pos
  if (left < TABLE_DESC_SIZE) return OFE.make("OFPBRC_BAD_LEN", `${what}: ${left} bytes left, short of an 8-byte table description`)
  const start = r.pos
  const length = r.u16()
  if (length < TABLE_DESC_SIZE || length > left || (exact && length !== left)) {
    return OFE.make("OFPBRC_BAD_LEN", `${what}: table description length ${length} does not fit the ${left} bytes that remain`)
  }
  const tableId = r.u8()
  r.skip(1)
  const config = r.u32()
  const properties = decodeTableProperties(r, start + length, `${what}, table ${tableId}`)
  if (OFE.isOpenFlowError(properties)) return properties
  return { tableId, config, properties }
}

const encodeTableDesc = (w: Writer, t: TableDesc, what: string): void => {
  const start = w.mark()
  w.u16(0)
  w.u8(t.tableId)
  w.zeros(1)
  w.u32(t.config)
  encodeTableProperties(w, t.properties, `${what}, table ${t.tableId}`)
  patchLength(w, start, w.pos - start, `${what}, table ${t.tableId}`)
}

export const rows = [
  row<TableDescRequest>({
    tag: "TableDescRequest",
    type: 18,
    multipart: OFPMP_TABLE_DESC,
    since: 5,
    minBody: 0,
    element: 0,
    decode: (_r: Reader, flags) => ({ _tag: "TableDescRequest", flags }),
    encode: () => undefined
  }),
  row<TableDescReply>({
    tag: "TableDescReply",
    type: 19,
    multipart: OFPMP_TABLE_DESC,
    since: 5,
    minBody: 0,
    element: 8,
    decode: (r: Reader, flags) => {
      const tables: Array<TableDesc> = []
      while (r.pos < r.end) {
        const t = decodeTableDesc(r, r.end, false, "TABLE_DESC reply")
        if (OFE.isOpenFlowError(t)) return t
        tables.push(t)
      }
      return { _tag: "TableDescReply", flags, tables }
    },
    encode: (w: Writer, m) => {
      for (const t of m.tables) encodeTableDesc(w, t, "TABLE_DESC reply")
      return undefined
    }
  }),
  row<TableStatus>({
    tag: "TableStatus",
    type: 31,
    since: 5,
    minBody: 16,
    element: 8,
    decode: (r: Reader) => {
      const reason = r.u8()
      r.skip(7)
      const table = decodeTableDesc(r, r.end, true, "TABLE_STATUS")
      return OFE.isOpenFlowError(table) ? table : { _tag: "TableStatus", reason, table }
    },
    encode: (w: Writer, m) => {
      w.u8(m.reason)
      w.zeros(7)
      encodeTableDesc(w, m.table, "TABLE_STATUS")
      return undefined
    }
  })
]
