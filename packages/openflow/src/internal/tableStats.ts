/**
 * Wire codec for the OFPMP_TABLE request (empty) and reply (24-byte `ofp_table_stats`
 * entries). OpenFlow 1.3 moved the table's capabilities out of this entry; it has been
 * the same since, so the rows cover 1.3-1.5.
 */
import type { TableStats, TableStatsReply, TableStatsRequest } from "../TableStats.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const OFPMP_TABLE = 3

export const rows = [
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
