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
import type { AggregateStatsReply, AggregateStatsRequest, FlowStats, FlowStatsReply, FlowStatsRequest } from "../FlowStats.ts"
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import { patchLength } from "./invalid.ts"
import { decodeInstructions, encodeInstructions } from "./instruction.ts"
import { decodeMatch, encodeMatch } from "./match.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const OFPMP_FLOW = 1
const OFPMP_AGGREGATE = 2
const FLOW_STATS_SIZE = 48
const MIN_MATCH = 8

type Selection = FlowStatsRequest | AggregateStatsRequest

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
    r.skip(4)
    const cookie = r.u64()
    const packetCount = r.u64()
    const byteCount = r.u64()
    r.end = entryEnd
    const match = decodeMatch(r, false)
    const instructions = OFE.isOpenFlowError(match) ? match : decodeInstructions(r, entryEnd - r.pos)
    r.end = messageEnd
    if (OFE.isOpenFlowError(match)) return match
    if (OFE.isOpenFlowError(instructions)) return instructions
    stats.push({
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
    })
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
    w.zeros(4)
    w.u64(s.cookie)
    w.u64(s.packetCount)
    w.u64(s.byteCount)
    const error = encodeMatch(w, s.match, false) ?? encodeInstructions(w, s.instructions)
    if (error !== undefined) return error
    patchLength(w, start, w.pos - start, `flow statistics entry (table ${s.tableId}, priority ${s.priority})`)
  }
  return undefined
}

export const rows = [
  row<FlowStatsRequest>({
    tag: "FlowStatsRequest",
    type: 18,
    multipart: OFPMP_FLOW,
    since: 4,
    until: 4,
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
    until: 4,
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
    until: 4,
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
    until: 4,
    minBody: 24,
    element: 0,
    decode: (r: Reader, flags) => {
      const packetCount = r.u64()
      const byteCount = r.u64()
      return { _tag: "AggregateStatsReply", flags, packetCount, byteCount, flowCount: r.u32() }
    },
    encode: (w: Writer, m) => {
      w.u64(m.packetCount)
      w.u64(m.byteCount)
      w.u32(m.flowCount)
      w.zeros(4)
      return undefined
    }
  })
]
