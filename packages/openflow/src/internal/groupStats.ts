/**
 * Wire codec for the OFPMP_GROUP, OFPMP_GROUP_DESC and OFPMP_GROUP_FEATURES requests and
 * replies (OpenFlow 1.3 §7.3.5.9-11).
 *
 * Versions: the GROUP entry gained its durations in 1.3 and has not changed since, so
 * those rows cover 1.3-1.5; `ofp_group_features` is the same from 1.2 to 1.5.
 *
 * Group statistics entries carry their own length (40 bytes plus 16 per bucket counter);
 * each is checked to be at least 40, a whole number of counters, and within what
 * remains, so an entry of length 0 is an error rather than an endless loop.
 */
import type { BucketCounter, GroupFeaturesReply, GroupFeaturesRequest, GroupStats, GroupStatsReply, GroupStatsRequest } from "../GroupStats.ts"
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const OFPMP_GROUP = 6
const OFPMP_GROUP_FEATURES = 8
const GROUP_STATS_SIZE = 40
const BUCKET_COUNTER_SIZE = 16

const decodeGroupStats = (r: Reader, flags: number): GroupStatsReply | OpenFlowError => {
  const stats: Array<GroupStats> = []
  while (r.pos < r.end) {
    const left = r.remaining()
    if (left < GROUP_STATS_SIZE) {
      return OFE.make("OFPBRC_BAD_LEN", `GROUP reply: ${left} bytes left over, short of a 40-byte group statistics entry`)
    }
    const length = r.u16()
    if (length < GROUP_STATS_SIZE || length > left || (length - GROUP_STATS_SIZE) % BUCKET_COUNTER_SIZE !== 0) {
      return OFE.make(
        "OFPBRC_BAD_LEN",
        `GROUP reply: entry length ${length} is not 40 plus a multiple of 16 within the ${left} bytes that remain`
      )
    }
    r.skip(2)
    const groupId = r.u32()
    const refCount = r.u32()
    r.skip(4)
    const packetCount = r.u64()
    const byteCount = r.u64()
    const durationSec = r.u32()
    const durationNsec = r.u32()
    const bucketStats: Array<BucketCounter> = []
    for (let n = (length - GROUP_STATS_SIZE) / BUCKET_COUNTER_SIZE; n > 0; n--) {
      const bucketPackets = r.u64()
      bucketStats.push({ packetCount: bucketPackets, byteCount: r.u64() })
    }
    stats.push({ groupId, refCount, packetCount, byteCount, durationSec, durationNsec, bucketStats })
  }
  return { _tag: "GroupStatsReply", flags, stats }
}

const encodeGroupStats = (w: Writer, m: GroupStatsReply): undefined => {
  for (const s of m.stats) {
    const length = GROUP_STATS_SIZE + BUCKET_COUNTER_SIZE * s.bucketStats.length
    // A length over 16 bits is caught by the writer's range check.
    w.u16(length)
    w.zeros(2)
    w.u32(s.groupId)
    w.u32(s.refCount)
    w.zeros(4)
    w.u64(s.packetCount)
    w.u64(s.byteCount)
    w.u32(s.durationSec)
    w.u32(s.durationNsec)
    for (const b of s.bucketStats) {
      w.u64(b.packetCount)
      w.u64(b.byteCount)
    }
  }
  return undefined
}

export const rows = [
  row<GroupStatsRequest>({
    tag: "GroupStatsRequest",
    type: 18,
    multipart: OFPMP_GROUP,
    since: 4,
    minBody: 8,
    element: 0,
    decode: (r: Reader, flags) => ({ _tag: "GroupStatsRequest", flags, groupId: r.u32() }),
    encode: (w: Writer, m) => {
      w.u32(m.groupId)
      w.zeros(4)
      return undefined
    }
  }),
  row<GroupStatsReply>({
    tag: "GroupStatsReply",
    type: 19,
    multipart: OFPMP_GROUP,
    since: 4,
    minBody: 0,
    element: 8,
    decode: decodeGroupStats,
    encode: encodeGroupStats
  }),
  row<GroupFeaturesRequest>({
    tag: "GroupFeaturesRequest",
    type: 18,
    multipart: OFPMP_GROUP_FEATURES,
    since: 3,
    minBody: 0,
    element: 0,
    decode: (_r: Reader, flags) => ({ _tag: "GroupFeaturesRequest", flags }),
    encode: () => undefined
  }),
  row<GroupFeaturesReply>({
    tag: "GroupFeaturesReply",
    type: 19,
    multipart: OFPMP_GROUP_FEATURES,
    since: 3,
    minBody: 40,
    element: 0,
    decode: (r: Reader, flags) => ({
      _tag: "GroupFeaturesReply",
      flags,
      types: r.u32(),
      capabilities: r.u32(),
      maxGroups: [r.u32(), r.u32(), r.u32(), r.u32()],
      actions: [r.u32(), r.u32(), r.u32(), r.u32()]
    }),
    encode: (w: Writer, m) => {
      w.u32(m.types)
      w.u32(m.capabilities)
      for (const n of m.maxGroups) w.u32(n)
      for (const n of m.actions) w.u32(n)
      return undefined
    }
  })
]
