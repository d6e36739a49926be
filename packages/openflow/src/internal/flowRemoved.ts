/**
 * Wire codec for OFPT_FLOW_REMOVED (OpenFlow 1.3 §7.4.2): a 40-byte fixed part and the
 * match (loose: the switch reports the entry as it holds it). As in Open vSwitch's
 * `OFPRAW_OFPT11_FLOW_REMOVED`, the body is a multiple of 8, checked centrally; nothing
 * may follow the match. OpenFlow 1.4 keeps the layout; 1.5 (§7.4.2) has `table_id,
 * reason, priority, idle_timeout, hard_timeout, cookie`, the match, then OXS statistics.
 */
import type { FlowRemoved } from "../FlowRemoved.ts"
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import { invalid } from "./invalid.ts"
import { decodeMatch, encodeMatch } from "./match.ts"
import { decodeMatch10, encodeMatch10 } from "./match10.ts"
import { needsVersion } from "./property.ts"
import { canonicalFlow, decodeStats, encodeStats, fitsFixed, type FlowCounters, flowCounters, flowStatsToEncode, sameStats } from "./stats.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const decode = (r: Reader): FlowRemoved | OpenFlowError => {
  const cookie = r.u64()
  const priority = r.u16()
  const reason = r.u8()
  const tableId = r.u8()
  const durationSec = r.u32()
  const durationNsec = r.u32()
  const idleTimeout = r.u16()
  const hardTimeout = r.u16()
  const packetCount = r.u64()
  const byteCount = r.u64()
  const match = decodeMatch(r, false)
  if (OFE.isOpenFlowError(match)) return match
  if (r.remaining() !== 0) return OFE.make("OFPBRC_BAD_LEN", `FLOW_REMOVED has ${r.remaining()} bytes after its match`)
  return {
    _tag: "FlowRemoved",
    cookie,
    priority,
    reason,
    tableId,
    durationSec,
    durationNsec,
    idleTimeout,
    hardTimeout,
    packetCount,
    byteCount,
    match
  }
}

const encode = (w: Writer, m: FlowRemoved): OpenFlowError | undefined => {
  if (m.stats !== undefined) {
    if (fitsFixed(m.stats, "flow")) flowStatsToEncode(w, m, "FLOW_REMOVED")
    else needsVersion(w, "FLOW_REMOVED stats beyond duration, packet and byte counts", 6)
  }
  w.u64(m.cookie)
  w.u16(m.priority)
  w.u8(m.reason)
  w.u8(m.tableId)
  w.u32(m.durationSec)
  w.u32(m.durationNsec)
  w.u16(m.idleTimeout)
  w.u16(m.hardTimeout)
  w.u64(m.packetCount)
  w.u64(m.byteCount)
  return encodeMatch(w, m.match, false)
}

const counters: FlowCounters = { durationSec: 0, durationNsec: 0, packetCount: 0n, byteCount: 0n }

const decode15 = (r: Reader): FlowRemoved | OpenFlowError => {
  const tableId = r.u8()
  const reason = r.u8()
  const priority = r.u16()
  const idleTimeout = r.u16()
  const hardTimeout = r.u16()
  const cookie = r.u64()
  const match = decodeMatch(r, false)
  if (OFE.isOpenFlowError(match)) return match
  const stats = decodeStats(r, "FLOW_REMOVED")
  if (OFE.isOpenFlowError(stats)) return stats
  if (r.remaining() !== 0) return OFE.make("OFPBRC_BAD_LEN", `FLOW_REMOVED has ${r.remaining()} bytes after its statistics`)
  const { byteCount, durationNsec, durationSec, packetCount } = flowCounters(stats, counters)
  const m: FlowRemoved = {
    _tag: "FlowRemoved",
    cookie,
    priority,
    reason,
    tableId,
    durationSec,
    durationNsec,
    idleTimeout,
    hardTimeout,
    packetCount,
    byteCount,
    match
  }
  return sameStats(stats, canonicalFlow(counters)) ? m : { ...m, stats }
}

const encode15 = (w: Writer, m: FlowRemoved): OpenFlowError | undefined => {
  const stats = flowStatsToEncode(w, m, "FLOW_REMOVED")
  w.u8(m.tableId)
  w.u8(m.reason)
  w.u16(m.priority)
  w.u16(m.idleTimeout)
  w.u16(m.hardTimeout)
  w.u64(m.cookie)
  const error = encodeMatch(w, m.match, false)
  if (error !== undefined) return error
  encodeStats(w, stats, "FLOW_REMOVED")
  return undefined
}

// OpenFlow 1.0 (§5.4.2): `ofp_match` (40 bytes), cookie, priority, reason, a pad byte,
// durations, idle_timeout, 2 bytes of padding and the counters. 1.0 reports no table id
// and no hard timeout: they decode as 0 and must be 0 to encode.
const decode10 = (r: Reader): FlowRemoved => {
  const match = decodeMatch10(r)
  const cookie = r.u64()
  const priority = r.u16()
  const reason = r.u8()
  r.skip(1)
  const durationSec = r.u32()
  const durationNsec = r.u32()
  const idleTimeout = r.u16()
  r.skip(2)
  const packetCount = r.u64()
  const byteCount = r.u64()
  return {
    _tag: "FlowRemoved",
    cookie,
    priority,
    reason,
    tableId: 0,
    durationSec,
    durationNsec,
    idleTimeout,
    hardTimeout: 0,
    packetCount,
    byteCount,
    match
  }
}

const encode10 = (w: Writer, m: FlowRemoved): OpenFlowError | undefined => {
  if (m.stats !== undefined) {
    if (fitsFixed(m.stats, "flow")) flowStatsToEncode(w, m, "FLOW_REMOVED")
    else needsVersion(w, "FLOW_REMOVED stats beyond duration, packet and byte counts", 6)
  }
  if (m.tableId !== 0) invalid(w, `table ${m.tableId}: an OpenFlow 1.0 FLOW_REMOVED has no table id (use 0)`)
  if (m.hardTimeout !== 0) invalid(w, `hardTimeout ${m.hardTimeout}: an OpenFlow 1.0 FLOW_REMOVED has no hard timeout (use 0)`)
  const error = encodeMatch10(w, m.match, false)
  if (error !== undefined) return error
  w.u64(m.cookie)
  w.u16(m.priority)
  w.u8(m.reason)
  w.zeros(1)
  w.u32(m.durationSec)
  w.u32(m.durationNsec)
  w.u16(m.idleTimeout)
  w.zeros(2)
  w.u64(m.packetCount)
  w.u64(m.byteCount)
  return undefined
}

export const rows = [
  row<FlowRemoved>({ tag: "FlowRemoved", type: 11, since: 1, until: 1, minBody: 80, element: 0, decode: decode10, encode: encode10 }),
  row<FlowRemoved>({ tag: "FlowRemoved", type: 11, since: 4, until: 5, minBody: 40, element: 8, decode, encode }),
  row<FlowRemoved>({ tag: "FlowRemoved", type: 11, since: 6, minBody: 32, element: 8, decode: decode15, encode: encode15 })
]
