/**
 * Wire codec for the OFPMP_PORT_STATS request (port_no, 4 bytes of padding) and reply
 * (112-byte `ofp_port_stats` entries), OpenFlow 1.3. OpenFlow 1.2 had no durations and
 * 1.4 turned the tail into properties, so this row is 1.3 only.
 */
import type { PortStats, PortStatsReply, PortStatsRequest } from "../PortStats.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const OFPMP_PORT_STATS = 4

export const rows = [
  row<PortStatsRequest>({
    tag: "PortStatsRequest",
    type: 18,
    multipart: OFPMP_PORT_STATS,
    since: 4,
    until: 4,
    minBody: 8,
    element: 0,
    decode: (r: Reader, flags) => ({ _tag: "PortStatsRequest", flags, portNo: r.u32() }),
    encode: (w: Writer, m) => {
      w.u32(m.portNo)
      w.zeros(4)
      return undefined
    }
  }),
  row<PortStatsReply>({
    tag: "PortStatsReply",
    type: 19,
    multipart: OFPMP_PORT_STATS,
    since: 4,
    until: 4,
    minBody: 0,
    element: 112,
    // The central length check guarantees a whole number of 112-byte entries.
    decode: (r: Reader, flags) => {
      const stats: Array<PortStats> = []
      while (r.pos < r.end) {
        const portNo = r.u32()
        r.skip(4)
        stats.push({
          portNo,
          rxPackets: r.u64(),
          txPackets: r.u64(),
          rxBytes: r.u64(),
          txBytes: r.u64(),
          rxDropped: r.u64(),
          txDropped: r.u64(),
          rxErrors: r.u64(),
          txErrors: r.u64(),
          rxFrameErr: r.u64(),
          rxOverErr: r.u64(),
          rxCrcErr: r.u64(),
          collisions: r.u64(),
          durationSec: r.u32(),
          durationNsec: r.u32()
        })
      }
      return { _tag: "PortStatsReply", flags, stats }
    },
    encode: (w: Writer, m) => {
      for (const s of m.stats) {
        w.u32(s.portNo)
        w.zeros(4)
        w.u64(s.rxPackets)
        w.u64(s.txPackets)
        w.u64(s.rxBytes)
        w.u64(s.txBytes)
        w.u64(s.rxDropped)
        w.u64(s.txDropped)
        w.u64(s.rxErrors)
        w.u64(s.txErrors)
        w.u64(s.rxFrameErr)
        w.u64(s.rxOverErr)
        w.u64(s.rxCrcErr)
        w.u64(s.collisions)
        w.u32(s.durationSec)
        w.u32(s.durationNsec)
      }
      return undefined
    }
  })
]
