/**
 * Wire codec for the OFPMP_GROUP, OFPMP_GROUP_DESC and OFPMP_GROUP_FEATURES requests and
 * replies (OpenFlow 1.3 §7.3.5.9-11).
 *
 * Versions: the GROUP entry gained its durations in 1.3 and has not changed since, so
 * those rows cover 1.3-1.5; `ofp_group_desc` is the same in 1.3 and 1.4, and 1.5 (§7.3.5.10)
 * made it `length, type, pad, group_id, bucket_array_len, pad[6]`, 1.5 buckets and group
 * properties, and gave the request a group id; `ofp_group_features` is the same from
 * 1.2 to 1.5.
 *
 * Group statistics and group description entries carry their own length; each is
 * checked against its fixed part (40 bytes plus 16 per bucket counter; 8 bytes plus
 * buckets) and against what remains before it is read, so an entry of length 0 is
 * OFPBRC_BAD_LEN rather than an endless loop (Ryu's 1.3 parser loops forever on it).
 * Buckets are decoded by the GROUP_MOD bucket codec, with its errors
 * (OFPGMFC_BAD_BUCKET for bucket lengths, OFPBAC_* for actions).
 */
import type {
  BucketCounter,
  GroupDesc,
  GroupDescReply,
  GroupDescRequest,
  GroupFeaturesReply,
  GroupFeaturesRequest,
  GroupStats,
  GroupStatsReply,
  GroupStatsRequest
} from "../GroupStats.ts"
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import { decodeBuckets, decodeBuckets15, decodeGroupProperties, encodeBuckets, encodeBuckets15, encodeGroupProperties } from "./groupMod.ts"
import { needsVersion } from "./property.ts"
import { patchLength } from "./invalid.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const OFPMP_GROUP = 6
const OFPMP_GROUP_DESC = 7
const GROUP_DESC_SIZE = 8
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

const decodeGroupDesc = (r: Reader, flags: number): GroupDescReply | OpenFlowError => {
  const groups: Array<GroupDesc> = []
  while (r.pos < r.end) {
    const left = r.remaining()
    if (left < GROUP_DESC_SIZE) {
      return OFE.make("OFPBRC_BAD_LEN", `GROUP_DESC reply: ${left} bytes left over, short of an 8-byte group description`)
    }
    const length = r.u16()
    if (length < GROUP_DESC_SIZE || length > left) {
      return OFE.make("OFPBRC_BAD_LEN", `GROUP_DESC reply: entry length ${length} is not between 8 and the ${left} bytes that remain`)
    }
    const groupType = r.u8()
    r.skip(1)
    const groupId = r.u32()
    if (groupType > 3) return OFE.make("OFPGMFC_BAD_TYPE", `GROUP_DESC reply: group ${groupId} has unknown type ${groupType}`)
    const buckets = decodeBuckets(r, length - GROUP_DESC_SIZE)
    if (OFE.isOpenFlowError(buckets)) return buckets
    groups.push({ groupType: groupType as GroupDesc["groupType"], groupId, buckets })
  }
  return { _tag: "GroupDescReply", flags, groups }
}

const encodeGroupDesc = (w: Writer, m: GroupDescReply): OpenFlowError | undefined => {
  for (const g of m.groups) {
    if (g.properties !== undefined && g.properties.length > 0) needsVersion(w, `group ${g.groupId} properties`, 6)
    const start = w.mark()
    w.u16(0)
    w.u8(g.groupType)
    w.zeros(1)
    w.u32(g.groupId)
    const error = encodeBuckets(w, g.buckets)
    if (error !== undefined) return error
    patchLength(w, start, w.pos - start, `group ${g.groupId} description`)
  }
  return undefined
}

const GROUP_ALL = 0xffff_fffc
const GROUP_DESC15_SIZE = 16

const decodeGroupDesc15 = (r: Reader, flags: number): GroupDescReply | OpenFlowError => {
  const groups: Array<GroupDesc> = []
  while (r.pos < r.end) {
    const left = r.remaining()
    if (left < GROUP_DESC15_SIZE) {
      return OFE.make("OFPBRC_BAD_LEN", `GROUP_DESC reply: ${left} bytes left over, short of a 16-byte group description`)
    }
    const start = r.pos
    const length = r.u16()
    if (length < GROUP_DESC15_SIZE || length > left) {
      return OFE.make("OFPBRC_BAD_LEN", `GROUP_DESC reply: entry length ${length} is not between 16 and the ${left} bytes that remain`)
    }
    const groupType = r.u8()
    r.skip(1)
    const groupId = r.u32()
    const bucketsLen = r.u16()
    r.skip(6)
    if (groupType > 3) return OFE.make("OFPGMFC_BAD_TYPE", `GROUP_DESC reply: group ${groupId} has unknown type ${groupType}`)
    if (bucketsLen > length - GROUP_DESC15_SIZE) {
      return OFE.make("OFPGMFC_BAD_BUCKET", `GROUP_DESC reply: group ${groupId} bucket_array_len ${bucketsLen} exceeds its entry`)
    }
    const buckets = decodeBuckets15(r, bucketsLen)
    if (OFE.isOpenFlowError(buckets)) return buckets
    const properties = decodeGroupProperties(r, start + length, `group ${groupId}`)
    if (OFE.isOpenFlowError(properties)) return properties
    const type = groupType as GroupDesc["groupType"]
    groups.push(properties.length === 0 ? { groupType: type, groupId, buckets } : { groupType: type, groupId, buckets, properties })
  }
  return { _tag: "GroupDescReply", flags, groups }
}

const encodeGroupDesc15 = (w: Writer, m: GroupDescReply): OpenFlowError | undefined => {
  for (const g of m.groups) {
    const start = w.mark()
    w.u16(0)
    w.u8(g.groupType)
    w.zeros(1)
    w.u32(g.groupId)
    w.u16(0)
    w.zeros(6)
    const bucketsStart = w.pos
    const error = encodeBuckets15(w, g.buckets, g.groupType)
    if (error !== undefined) return error
    patchLength(w, start + 8, w.pos - bucketsStart, `group ${g.groupId} buckets`)
    encodeGroupProperties(w, g.properties ?? [], `group ${g.groupId}`)
    patchLength(w, start, w.pos - start, `group ${g.groupId} description`)
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
  row<GroupDescRequest>({
    tag: "GroupDescRequest",
    type: 18,
    multipart: OFPMP_GROUP_DESC,
    since: 4,
    until: 5,
    minBody: 0,
    element: 0,
    decode: (_r: Reader, flags) => ({ _tag: "GroupDescRequest", flags }),
    encode: (w: Writer, m) => {
      if (m.groupId !== undefined && m.groupId !== GROUP_ALL) needsVersion(w, `a GROUP_DESC request for group ${m.groupId}`, 6)
      return undefined
    }
  }),
  row<GroupDescRequest>({
    tag: "GroupDescRequest",
    type: 18,
    multipart: OFPMP_GROUP_DESC,
    since: 6,
    minBody: 8,
    element: 0,
    decode: (r: Reader, flags) => {
      const groupId = r.u32()
      return groupId === GROUP_ALL ? { _tag: "GroupDescRequest", flags } : { _tag: "GroupDescRequest", flags, groupId }
    },
    encode: (w: Writer, m) => {
      w.u32(m.groupId ?? GROUP_ALL)
      w.zeros(4)
      return undefined
    }
  }),
  row<GroupDescReply>({
    tag: "GroupDescReply",
    type: 19,
    multipart: OFPMP_GROUP_DESC,
    since: 6,
    minBody: 0,
    element: 8,
    decode: decodeGroupDesc15,
    encode: encodeGroupDesc15
  }),
  row<GroupDescReply>({
    tag: "GroupDescReply",
    type: 19,
    multipart: OFPMP_GROUP_DESC,
    since: 4,
    until: 5,
    minBody: 0,
    element: 8,
    decode: decodeGroupDesc,
    encode: encodeGroupDesc
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
