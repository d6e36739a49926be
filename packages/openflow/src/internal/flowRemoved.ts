/**
 * Wire codec for OFPT_FLOW_REMOVED (OpenFlow 1.3 §7.4.2): a 40-byte fixed part and the
 * match (loose: the switch reports the entry as it holds it). As in Open vSwitch's
 * `OFPRAW_OFPT11_FLOW_REMOVED`, the body is a multiple of 8, checked centrally; nothing
 * may follow the match.
 */
import type { FlowRemoved } from "../FlowRemoved.ts"
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import { decodeMatch, encodeMatch } from "./match.ts"
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

export const rows = [row<FlowRemoved>({ tag: "FlowRemoved", type: 11, since: 4, until: 5, minBody: 40, element: 8, decode, encode })]
