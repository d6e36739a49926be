/**
 * Wire codec for the OFPMP_QUEUE request (port_no, queue_id) and reply (40-byte
 * `ofp_queue_stats` entries), OpenFlow 1.3. OpenFlow 1.2 had no durations and 1.4 added
 * a length and properties, so this row is 1.3 only.
 */
import type { QueueStats, QueueStatsReply, QueueStatsRequest } from "../QueueStats.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const OFPMP_QUEUE = 5

export const rows = [
  row<QueueStatsRequest>({
    tag: "QueueStatsRequest",
    type: 18,
    multipart: OFPMP_QUEUE,
    since: 4,
    until: 4,
    minBody: 8,
    element: 0,
    decode: (r: Reader, flags) => {
      const portNo = r.u32()
      return { _tag: "QueueStatsRequest", flags, portNo, queueId: r.u32() }
    },
    encode: (w: Writer, m) => {
      w.u32(m.portNo)
      w.u32(m.queueId)
      return undefined
    }
  }),
  row<QueueStatsReply>({
    tag: "QueueStatsReply",
    type: 19,
    multipart: OFPMP_QUEUE,
    since: 4,
    until: 4,
    minBody: 0,
    element: 40,
    // The central length check guarantees a whole number of 40-byte entries.
    decode: (r: Reader, flags) => {
      const stats: Array<QueueStats> = []
      while (r.pos < r.end) {
        stats.push({
          portNo: r.u32(),
          queueId: r.u32(),
          txBytes: r.u64(),
          txPackets: r.u64(),
          txErrors: r.u64(),
          durationSec: r.u32(),
          durationNsec: r.u32()
        })
      }
      return { _tag: "QueueStatsReply", flags, stats }
    },
    encode: (w: Writer, m) => {
      for (const s of m.stats) {
        w.u32(s.portNo)
        w.u32(s.queueId)
        w.u64(s.txBytes)
        w.u64(s.txPackets)
        w.u64(s.txErrors)
        w.u32(s.durationSec)
        w.u32(s.durationNsec)
      }
      return undefined
    }
  })
]
