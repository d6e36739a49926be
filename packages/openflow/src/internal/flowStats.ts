/**
 * Wire codec for the OFPMP_FLOW and OFPMP_AGGREGATE requests and replies (OpenFlow 1.3
 * §7.3.5.2-3).
 *
 * The requests are a 32-byte selection followed by an `ofp_match`; nothing may follow
 * the match. Their match is checked strictly, as a flow mod's is (a switch refuses a
 * selection whose fields lack their prerequisites), while the matches in a FLOW reply
 * are read loosely, as Open vSwitch reads what a switch reports.
 *
 * Each FLOW reply entry carries its own length: it is checked to be at least the
 * 48-byte fixed part plus an 8-byte match and to fit what remains before anything else
 * is read, and the match and instructions are decoded with the reader's end moved to
 * the entry's end, so neither can run into the next entry. A length of 0 is
 * OFPBRC_BAD_LEN, not a loop that never advances.
 */
import type {
  AggregateStatsReply,
  AggregateStatsRequest,
  FlowCounters,
  FlowCountersReply,
  FlowCountersRequest,
  FlowStats,
  FlowStatsReply,
  FlowStatsRequest
} from "../FlowStats.ts"
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import { fromOf10 } from "../Port.ts"
import { decodeActions10, encodeActions10 } from "./action10.ts"
import { actionsOf10 } from "./flowMod.ts"
import { invalid, patchLength } from "./invalid.ts"
import { decodeInstructions, encodeInstructions } from "./instruction.ts"
import { decodeMatch, encodeMatch } from "./match.ts"
import { decodeMatch10, encodeMatch10, ipProtoOf } from "./match10.ts"
import { writePort10 } from "./port.ts"
import { needsVersion } from "./property.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import {
  aggregateCounters,
  type AggregateCounters,
  aggregateStatsToEncode,
  canonicalAggregate,
  canonicalFlow,
  decodeStats,
  encodeStats,
  fitsFixed,
  type FlowCounters as Counters,
  flowCounters,
  flowStatsToEncode,
  sameStats
} from "./stats.ts"
import type { Writer } from "./writer.ts"

const OFPMP_FLOW = 1
const OFPMP_AGGREGATE = 2
const FLOW_STATS_SIZE = 48
const MIN_MATCH = 8

type Selection = FlowStatsRequest | AggregateStatsRequest | FlowCountersRequest

const decodeSelection = <T extends Selection["_tag"]>(tag: T) => (r: Reader, flags: number): Extract<Selection, { _tag: T }> | OpenFlowError => {
  const tableId = r.u8()
  r.skip(3)
  const outPort = r.u32()
  const outGroup = r.u32()
  r.skip(4)
  const cookie = r.u64()
  const cookieMask = r.u64()
  const match = decodeMatch(r, true)
  if (OFE.isOpenFlowError(match)) return match
  if (r.pos !== r.end) return OFE.make("OFPBRC_BAD_LEN", `${r.end - r.pos} bytes after the match of a ${tag}`)
  return { _tag: tag, flags, tableId, outPort, outGroup, cookie, cookieMask, match } as Extract<Selection, { _tag: T }>
}

const encodeSelection = (w: Writer, m: Selection): OpenFlowError | undefined => {
  w.u8(m.tableId)
  w.zeros(3)
  w.u32(m.outPort)
  w.u32(m.outGroup)
  w.zeros(4)
  w.u64(m.cookie)
  w.u64(m.cookieMask)
  return encodeMatch(w, m.match, true)
}

const decodeFlowStats = (r: Reader, flags: number): FlowStatsReply | OpenFlowError => {
  const stats: Array<FlowStats> = []
  const messageEnd = r.end
  while (r.pos < messageEnd) {
    const left = messageEnd - r.pos
    if (left < FLOW_STATS_SIZE + MIN_MATCH) {
      return OFE.make("OFPBRC_BAD_LEN", `FLOW reply: ${left} bytes left over, short of a 56-byte flow statistics entry`)
    }
    const length = r.u16()
    if (length < FLOW_STATS_SIZE + MIN_MATCH || length > left) {
      return OFE.make("OFPBRC_BAD_LEN", `FLOW reply: entry length ${length} is not between 56 and the ${left} bytes that remain`)
    }
    const entryEnd = r.pos - 2 + length
    const tableId = r.u8()
    r.skip(1)
    const durationSec = r.u32()
    const durationNsec = r.u32()
    const priority = r.u16()
    const idleTimeout = r.u16()
    const hardTimeout = r.u16()
    const entryFlags = r.u16()
    // OpenFlow 1.4 put `importance` in the first two of 1.3's four bytes of padding.
    const importance = r.version >= 5 ? r.u16() : 0
    r.skip(r.version >= 5 ? 2 : 4)
    const cookie = r.u64()
    const packetCount = r.u64()
    const byteCount = r.u64()
    r.end = entryEnd
    const match = decodeMatch(r, false)
    const instructions = OFE.isOpenFlowError(match) ? match : decodeInstructions(r, entryEnd - r.pos)
    r.end = messageEnd
    if (OFE.isOpenFlowError(match)) return match
    if (OFE.isOpenFlowError(instructions)) return instructions
    const entry: { -readonly [K in keyof FlowStats]: FlowStats[K] } = {
      tableId,
      durationSec,
      durationNsec,
      priority,
      idleTimeout,
      hardTimeout,
      flags: entryFlags,
      cookie,
      packetCount,
      byteCount,
      match,
      instructions
    }
    if (importance !== 0) entry.importance = importance
    stats.push(entry)
  }
  return { _tag: "FlowStatsReply", flags, stats }
}

const encodeFlowStats = (w: Writer, m: FlowStatsReply): OpenFlowError | undefined => {
  for (const s of m.stats) {
    const start = w.mark()
    w.u16(0)
    w.u8(s.tableId)
    w.zeros(1)
    w.u32(s.durationSec)
    w.u32(s.durationNsec)
    w.u16(s.priority)
    w.u16(s.idleTimeout)
    w.u16(s.hardTimeout)
    w.u16(s.flags)
    const importance = s.importance ?? 0
    if (w.version >= 5) {
      w.u16(importance)
      w.zeros(2)
    } else {
      if (importance !== 0) needsVersion(w, `flow statistics importance ${importance}`, 5)
      w.zeros(4)
    }
    if (s.stats !== undefined) preFixedStats(w, s.stats, s, "flow", "flow statistics entry")
    w.u64(s.cookie)
    w.u64(s.packetCount)
    w.u64(s.byteCount)
    const error = encodeMatch(w, s.match, false) ?? encodeInstructions(w, s.instructions)
    if (error !== undefined) return error
    patchLength(w, start, w.pos - start, `flow statistics entry (table ${s.tableId}, priority ${s.priority})`)
  }
  return undefined
}

// ---------------------------------------------------------------------------------------
// OpenFlow 1.0 (§5.3.5): the selection is `ofp_match` (40 bytes), table_id, a pad byte
// and a 16-bit out_port; 1.0 cannot select by group or cookie, so those must be their
// "no filter" values to encode and decode as such. A reply entry is length, table_id, a
// pad byte, `ofp_match`, durations, priority, timeouts, 6 bytes of padding, cookie and
// counters (88 bytes), then a 1.0 action list: no flags (they must be 0 to encode), and
// the actions are the model's single apply-actions instruction.
// ---------------------------------------------------------------------------------------

const FLOW_STATS10_SIZE = 88
const OFPG_ANY = 0xffff_ffff

const decodeSelection10 = <T extends Selection["_tag"]>(tag: T) => (r: Reader, flags: number): Extract<Selection, { _tag: T }> => {
  const match = decodeMatch10(r)
  const tableId = r.u8()
  r.skip(1)
  const outPort = fromOf10(r.u16())
  return { _tag: tag, flags, tableId, outPort, outGroup: OFPG_ANY, cookie: 0n, cookieMask: 0n, match } as Extract<Selection, { _tag: T }>
}

const encodeSelection10 = (w: Writer, m: Selection): OpenFlowError | undefined => {
  if (m.outGroup !== OFPG_ANY) invalid(w, `outGroup ${m.outGroup}: OpenFlow 1.0 has no groups`)
  if (m.cookie !== 0n || m.cookieMask !== 0n) invalid(w, "OpenFlow 1.0 cannot select flows by cookie (cookie and cookieMask must be 0)")
  const error = encodeMatch10(w, m.match, true)
  if (error !== undefined) return error
  w.u8(m.tableId)
  w.zeros(1)
  writePort10(w, m.outPort, `${m._tag} out_port`)
  return undefined
}

const decodeFlowStats10 = (r: Reader, flags: number): FlowStatsReply | OpenFlowError => {
  const stats: Array<FlowStats> = []
  const messageEnd = r.end
  while (r.pos < messageEnd) {
    const left = messageEnd - r.pos
    if (left < FLOW_STATS10_SIZE) {
      return OFE.make("OFPBRC_BAD_LEN", `FLOW reply: ${left} bytes left over, short of an 88-byte flow statistics entry`)
    }
    const length = r.u16()
    if (length < FLOW_STATS10_SIZE || length > left) {
      return OFE.make("OFPBRC_BAD_LEN", `FLOW reply: entry length ${length} is not between 88 and the ${left} bytes that remain`)
    }
    const entryEnd = r.pos - 2 + length
    const tableId = r.u8()
    r.skip(1)
    const match = decodeMatch10(r)
    const durationSec = r.u32()
    const durationNsec = r.u32()
    const priority = r.u16()
    const idleTimeout = r.u16()
    const hardTimeout = r.u16()
    r.skip(6)
    const cookie = r.u64()
    const packetCount = r.u64()
    const byteCount = r.u64()
    const actions = decodeActions10(r, entryEnd - r.pos, ipProtoOf(match))
    if (OFE.isOpenFlowError(actions)) return actions
    stats.push({
      tableId,
      durationSec,
      durationNsec,
      priority,
      idleTimeout,
      hardTimeout,
      flags: 0,
      cookie,
      packetCount,
      byteCount,
      match,
      instructions: actions.length === 0 ? [] : [{ _tag: "ApplyActions", actions }]
    })
  }
  return { _tag: "FlowStatsReply", flags, stats }
}

const encodeFlowStats10 = (w: Writer, m: FlowStatsReply): OpenFlowError | undefined => {
  for (const s of m.stats) {
    const what = `flow statistics entry (table ${s.tableId}, priority ${s.priority})`
    if (s.flags !== 0) invalid(w, `${what}: OpenFlow 1.0 reports no flow flags (use 0)`)
    if ((s.importance ?? 0) !== 0) needsVersion(w, `flow statistics importance ${s.importance}`, 5)
    if (s.stats !== undefined) preFixedStats(w, s.stats, s, "flow", "flow statistics entry")
    const apply = actionsOf10(s.instructions)
    if (OFE.isOpenFlowError(apply)) return apply
    const start = w.mark()
    w.u16(0)
    w.u8(s.tableId)
    w.zeros(1)
    const error = encodeMatch10(w, s.match, false)
    if (error !== undefined) return error
    w.u32(s.durationSec)
    w.u32(s.durationNsec)
    w.u16(s.priority)
    w.u16(s.idleTimeout)
    w.u16(s.hardTimeout)
    w.zeros(6)
    w.u64(s.cookie)
    w.u64(s.packetCount)
    w.u64(s.byteCount)
    if (apply !== undefined) {
      const actionsError = encodeActions10(w, apply.actions)
      if (actionsError !== undefined) return actionsError
    }
    patchLength(w, start, w.pos - start, what)
  }
  return undefined
}

const aggregateReply = {
  decode: (r: Reader, flags: number): AggregateStatsReply => {
    const packetCount = r.u64()
    const byteCount = r.u64()
    return { _tag: "AggregateStatsReply", flags, packetCount, byteCount, flowCount: r.u32() }
  },
  encode: (w: Writer, m: AggregateStatsReply): undefined => {
    if (m.stats !== undefined) preFixedStats(w, m.stats, m, "aggregate", "AGGREGATE reply")
    w.u64(m.packetCount)
    w.u64(m.byteCount)
    w.u32(m.flowCount)
    w.zeros(4)
    return undefined
  }
}

// ---------------------------------------------------------------------------------------
// OpenFlow 1.5 (§7.3.5.2-4): FLOW_DESC (the FLOW number, 1) entries are `length, pad[2],
// table_id, pad, priority, idle_timeout, hard_timeout, flags, importance, cookie`, the
// match, OXS statistics and the instructions; AGGREGATE replies are OXS statistics; and
// FLOW_STATS (17) entries are `length, pad[2], table_id, reason, priority`, the match and
// OXS statistics. The requests keep the 1.3 selection.
// ---------------------------------------------------------------------------------------

const OFPMP_FLOW_STATS = 17
const FLOW_DESC_SIZE = 24
const FLOW_COUNTERS_SIZE = 8
const MIN_STATS = 8

/**
 * Checks, before 1.5, that an entry's `stats` says nothing the fixed counters cannot
 * carry and agrees with them; otherwise records an `EncodeError`.
 */
function preFixedStats(
  w: Writer,
  stats: NonNullable<FlowStats["stats"]>,
  m: Counters | AggregateCounters,
  kind: "flow" | "aggregate",
  what: string
): void {
  if (!fitsFixed(stats, kind)) {
    needsVersion(w, `${what} OXS stats beyond the ${kind === "flow" ? "duration, packet and byte" : "flow, packet and byte"} counts`, 6)
  } else if (kind === "flow") flowStatsToEncode(w, { ...(m as Counters), stats }, what)
  else aggregateStatsToEncode(w, { ...(m as AggregateCounters), stats }, what)
}

const counters: Counters = { durationSec: 0, durationNsec: 0, packetCount: 0n, byteCount: 0n }

const decodeFlowDesc = (r: Reader, flags: number): FlowStatsReply | OpenFlowError => {
  const stats: Array<FlowStats> = []
  const messageEnd = r.end
  const min = FLOW_DESC_SIZE + MIN_MATCH + MIN_STATS
  while (r.pos < messageEnd) {
    const left = messageEnd - r.pos
    if (left < min) return OFE.make("OFPBRC_BAD_LEN", `FLOW_DESC reply: ${left} bytes left over, short of a ${min}-byte flow description`)
    const length = r.u16()
    if (length < min || length > left) {
      return OFE.make("OFPBRC_BAD_LEN", `FLOW_DESC reply: entry length ${length} is not between ${min} and the ${left} bytes that remain`)
    }
    const entryEnd = r.pos - 2 + length
    r.skip(2)
    const tableId = r.u8()
    r.skip(1)
    const priority = r.u16()
    const idleTimeout = r.u16()
    const hardTimeout = r.u16()
    const entryFlags = r.u16()
    const importance = r.u16()
    const cookie = r.u64()
    r.end = entryEnd
    const match = decodeMatch(r, false)
    const oxs = OFE.isOpenFlowError(match) ? match : decodeStats(r, "FLOW_DESC reply")
    const instructions = OFE.isOpenFlowError(oxs) ? oxs : decodeInstructions(r, entryEnd - r.pos)
    r.end = messageEnd
    if (OFE.isOpenFlowError(match)) return match
    if (OFE.isOpenFlowError(oxs)) return oxs
    if (OFE.isOpenFlowError(instructions)) return instructions
    const { byteCount, durationNsec, durationSec, packetCount } = flowCounters(oxs, counters)
    const entry: { -readonly [K in keyof FlowStats]: FlowStats[K] } = {
      tableId,
      durationSec,
      durationNsec,
      priority,
      idleTimeout,
      hardTimeout,
      flags: entryFlags,
      cookie,
      packetCount,
      byteCount,
      match,
      instructions
    }
    if (importance !== 0) entry.importance = importance
    if (!sameStats(oxs, canonicalFlow(counters))) entry.stats = oxs
    stats.push(entry)
  }
  return { _tag: "FlowStatsReply", flags, stats }
}

const encodeFlowDesc = (w: Writer, m: FlowStatsReply): OpenFlowError | undefined => {
  for (const s of m.stats) {
    const what = `flow description (table ${s.tableId}, priority ${s.priority})`
    const oxs = flowStatsToEncode(w, s, what)
    const start = w.mark()
    w.u16(0)
    w.zeros(2)
    w.u8(s.tableId)
    w.zeros(1)
    w.u16(s.priority)
    w.u16(s.idleTimeout)
    w.u16(s.hardTimeout)
    w.u16(s.flags)
    w.u16(s.importance ?? 0)
    w.u64(s.cookie)
    const matchError = encodeMatch(w, s.match, false)
    if (matchError !== undefined) return matchError
    encodeStats(w, oxs, what)
    const error = encodeInstructions(w, s.instructions)
    if (error !== undefined) return error
    patchLength(w, start, w.pos - start, what)
  }
  return undefined
}

const aggregate: AggregateCounters = { packetCount: 0n, byteCount: 0n, flowCount: 0 }

const decodeAggregate15 = (r: Reader, flags: number): AggregateStatsReply | OpenFlowError => {
  const oxs = decodeStats(r, "AGGREGATE reply")
  if (OFE.isOpenFlowError(oxs)) return oxs
  if (r.pos !== r.end) return OFE.make("OFPBRC_BAD_LEN", `AGGREGATE reply: ${r.end - r.pos} bytes after its statistics`)
  const { byteCount, flowCount, packetCount } = aggregateCounters(oxs, aggregate)
  return sameStats(oxs, canonicalAggregate(aggregate))
    ? { _tag: "AggregateStatsReply", flags, packetCount, byteCount, flowCount }
    : { _tag: "AggregateStatsReply", flags, packetCount, byteCount, flowCount, stats: oxs }
}

const decodeFlowCounters = (r: Reader, flags: number): FlowCountersReply | OpenFlowError => {
  const flows: Array<FlowCounters> = []
  const messageEnd = r.end
  const min = FLOW_COUNTERS_SIZE + MIN_MATCH + MIN_STATS
  while (r.pos < messageEnd) {
    const left = messageEnd - r.pos
    if (left < min) return OFE.make("OFPBRC_BAD_LEN", `FLOW_STATS reply: ${left} bytes left over, short of a ${min}-byte entry`)
    const length = r.u16()
    if (length < min || length > left) {
      return OFE.make("OFPBRC_BAD_LEN", `FLOW_STATS reply: entry length ${length} is not between ${min} and the ${left} bytes that remain`)
    }
    const entryEnd = r.pos - 2 + length
    r.skip(2)
    const tableId = r.u8()
    const reason = r.u8()
    const priority = r.u16()
    r.end = entryEnd
    const match = decodeMatch(r, false)
    const oxs = OFE.isOpenFlowError(match) ? match : decodeStats(r, "FLOW_STATS reply")
    const rest = r.end - r.pos
    r.end = messageEnd
    if (OFE.isOpenFlowError(match)) return match
    if (OFE.isOpenFlowError(oxs)) return oxs
    if (rest !== 0) return OFE.make("OFPBRC_BAD_LEN", `FLOW_STATS reply: ${rest} bytes after an entry's statistics`)
    flows.push({ tableId, reason, priority, match, stats: oxs })
  }
  return { _tag: "FlowCountersReply", flags, flows }
}

const encodeFlowCounters = (w: Writer, m: FlowCountersReply): OpenFlowError | undefined => {
  for (const f of m.flows) {
    const what = `FLOW_STATS entry (table ${f.tableId}, priority ${f.priority})`
    const start = w.mark()
    w.u16(0)
    w.zeros(2)
    w.u8(f.tableId)
    w.u8(f.reason)
    w.u16(f.priority)
    const error = encodeMatch(w, f.match, false)
    if (error !== undefined) return error
    encodeStats(w, f.stats, what)
    patchLength(w, start, w.pos - start, what)
  }
  return undefined
}

export const rows = [
  row<FlowStatsRequest>({
    tag: "FlowStatsRequest",
    type: 16,
    multipart: OFPMP_FLOW,
    since: 1,
    until: 1,
    minBody: 44,
    element: 0,
    decode: decodeSelection10("FlowStatsRequest"),
    encode: encodeSelection10
  }),
  row<FlowStatsReply>({
    tag: "FlowStatsReply",
    type: 17,
    multipart: OFPMP_FLOW,
    since: 1,
    until: 1,
    minBody: 0,
    element: 8,
    decode: decodeFlowStats10,
    encode: encodeFlowStats10
  }),
  row<AggregateStatsRequest>({
    tag: "AggregateStatsRequest",
    type: 16,
    multipart: OFPMP_AGGREGATE,
    since: 1,
    until: 1,
    minBody: 44,
    element: 0,
    decode: decodeSelection10("AggregateStatsRequest"),
    encode: encodeSelection10
  }),
  // The AGGREGATE reply is the same 24 bytes in 1.0.
  row<AggregateStatsReply>({
    tag: "AggregateStatsReply",
    type: 17,
    multipart: OFPMP_AGGREGATE,
    since: 1,
    until: 1,
    minBody: 24,
    element: 0,
    decode: aggregateReply.decode,
    encode: aggregateReply.encode
  }),
  row<FlowStatsRequest>({
    tag: "FlowStatsRequest",
    type: 18,
    multipart: OFPMP_FLOW,
    since: 4,
    minBody: 32,
    element: 8,
    decode: decodeSelection("FlowStatsRequest"),
    encode: encodeSelection
  }),
  row<FlowStatsReply>({
    tag: "FlowStatsReply",
    type: 19,
    multipart: OFPMP_FLOW,
    since: 4,
    until: 5,
    minBody: 0,
    element: 8,
    decode: decodeFlowStats,
    encode: encodeFlowStats
  }),
  row<AggregateStatsRequest>({
    tag: "AggregateStatsRequest",
    type: 18,
    multipart: OFPMP_AGGREGATE,
    since: 4,
    minBody: 32,
    element: 8,
    decode: decodeSelection("AggregateStatsRequest"),
    encode: encodeSelection
  }),
  row<AggregateStatsReply>({
    tag: "AggregateStatsReply",
    type: 19,
    multipart: OFPMP_AGGREGATE,
    since: 4,
    until: 5,
    minBody: 24,
    element: 0,
    decode: (r: Reader, flags) => {
      const packetCount = r.u64()
      const byteCount = r.u64()
      return { _tag: "AggregateStatsReply", flags, packetCount, byteCount, flowCount: r.u32() }
    },
    encode: (w: Writer, m) => {
      if (m.stats !== undefined) preFixedStats(w, m.stats, m, "aggregate", "AGGREGATE reply")
      w.u64(m.packetCount)
      w.u64(m.byteCount)
      w.u32(m.flowCount)
      w.zeros(4)
      return undefined
    }
  }),
  row<FlowStatsReply>({
    tag: "FlowStatsReply",
    type: 19,
    multipart: OFPMP_FLOW,
    since: 6,
    minBody: 0,
    element: 8,
    decode: decodeFlowDesc,
    encode: encodeFlowDesc
  }),
  row<AggregateStatsReply>({
    tag: "AggregateStatsReply",
    type: 19,
    multipart: OFPMP_AGGREGATE,
    since: 6,
    minBody: 8,
    element: 8,
    decode: decodeAggregate15,
    encode: (w: Writer, m) => {
      encodeStats(w, aggregateStatsToEncode(w, m, "AGGREGATE reply"), "AGGREGATE reply")
      return undefined
    }
  }),
  row<FlowCountersRequest>({
    tag: "FlowCountersRequest",
    type: 18,
    multipart: OFPMP_FLOW_STATS,
    since: 6,
    minBody: 32,
    element: 8,
    decode: decodeSelection("FlowCountersRequest"),
    encode: encodeSelection
  }),
  row<FlowCountersReply>({
    tag: "FlowCountersReply",
    type: 19,
    multipart: OFPMP_FLOW_STATS,
    since: 6,
    minBody: 0,
    element: 8,
    decode: decodeFlowCounters,
    encode: encodeFlowCounters
  })
]

