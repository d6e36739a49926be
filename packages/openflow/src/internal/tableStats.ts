/**
 * Wire codec for the OFPMP_TABLE request (empty) and reply (24-byte `ofp_table_stats`
 * entries). OpenFlow 1.3 moved the table's capabilities out of this entry; it has been
 * the same since, so the rows cover 1.3-1.5. OpenFlow 1.0's entry also names the table
 * and gives its supported wildcards and capacity.
 */
import type { TableStats, TableStatsReply, TableStatsRequest } from "../TableStats.ts"
import { invalid } from "./invalid.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import { readText, writeText } from "./text.ts"
import type { Writer } from "./writer.ts"

const OFPMP_TABLE = 3

// OpenFlow 1.0's entry (§5.3.5) is 64 bytes: table_id, pad[3], name[32], wildcards,
// max_entries, active_count, lookup_count, matched_count.
const decodeReply10 = (r: Reader, flags: number): TableStatsReply => {
  const stats: Array<TableStats> = []
  // The central length check guarantees a whole number of 64-byte entries.
  while (r.pos < r.end) {
    const tableId = r.u8()
    r.skip(3)
    const name = readText(r, 32)
    const wildcards = r.u32()
    const maxEntries = r.u32()
    const activeCount = r.u32()
    const lookupCount = r.u64()
    const matchedCount = r.u64()
    stats.push({ tableId, activeCount, lookupCount, matchedCount, name, wildcards, maxEntries })
  }
  return { _tag: "TableStatsReply", flags, stats }
}

const encodeReply10 = (w: Writer, m: TableStatsReply): undefined => {
  for (const s of m.stats) {
    if (s.name === undefined || s.wildcards === undefined || s.maxEntries === undefined) {
      invalid(w, `table ${s.tableId}: an OpenFlow 1.0 table statistics entry needs name, wildcards and maxEntries`)
    }
    w.u8(s.tableId)
    w.zeros(3)
    writeText(w, s.name ?? "", 32, "table name")
    w.u32(s.wildcards ?? 0)
    w.u32(s.maxEntries ?? 0)
    w.u32(s.activeCount)
    w.u64(s.lookupCount)
    w.u64(s.matchedCount)
  }
  return undefined
}

export const rows = [
  row<TableStatsRequest>({
    tag: "TableStatsRequest",
    type: 16,
    multipart: OFPMP_TABLE,
    since: 1,
    until: 1,
    minBody: 0,
    element: 0,
    decode: (_r: Reader, flags) => ({ _tag: "TableStatsRequest", flags }),
    encode: () => undefined
  }),
  row<TableStatsReply>({
    tag: "TableStatsReply",
    type: 17,
    multipart: OFPMP_TABLE,
    since: 1,
    until: 1,
    minBody: 0,
    element: 64,
    decode: decodeReply10,
    encode: encodeReply10
  }),
  row<TableStatsRequest>({
    tag: "TableStatsRequest",
    type: 18,
    multipart: OFPMP_TABLE,
    since: 4,
    minBody: 0,
    element: 0,
    decode: (_r: Reader, flags) => ({ _tag: "TableStatsRequest", flags }),
    encode: () => undefined
  }),
  row<TableStatsReply>({
    tag: "TableStatsReply",
    type: 19,
    multipart: OFPMP_TABLE,
    since: 4,
    minBody: 0,
    element: 24,
    // The central length check guarantees a whole number of 24-byte entries.
    decode: (r: Reader, flags) => {
      const stats: Array<TableStats> = []
      while (r.pos < r.end) {
        const tableId = r.u8()
        r.skip(3)
        const activeCount = r.u32()
        const lookupCount = r.u64()
        const matchedCount = r.u64()
        stats.push({ tableId, activeCount, lookupCount, matchedCount })
      }
      return { _tag: "TableStatsReply", flags, stats }
    },
    encode: (w: Writer, m) => {
      for (const s of m.stats) {
        if (s.name !== undefined || s.wildcards !== undefined || s.maxEntries !== undefined) {
          invalid(w, `table ${s.tableId}: name, wildcards and maxEntries exist only in OpenFlow 1.0's table statistics`)
        }
        w.u8(s.tableId)
        w.zeros(3)
        w.u32(s.activeCount)
        w.u64(s.lookupCount)
        w.u64(s.matchedCount)
      }
      return undefined
    }
  })
]
