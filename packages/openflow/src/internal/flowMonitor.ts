/**
 * Wire codec for the OFPMP_FLOW_MONITOR request and reply (OpenFlow 1.4 §7.3.5.19; the
 * same in 1.5).
 *
 * The request is a list of `ofp_flow_monitor_request` (`monitor_id, out_port, out_group,
 * flags u16, table_id u8, command u8`, then a match), as Open vSwitch reads it; each
 * match is checked strictly, as a flow-stats request's is, and an unknown command is
 * OFPMOFC_BAD_COMMAND. The reply is a list of updates, each `length u16, event u16` and a
 * body by event; every length is checked against its kind's fixed part and what remains
 * before anything is read, and a full update's match and instructions are read within it.
 */
import type { FlowMonitorReply, FlowMonitorRequest, FlowUpdate, Monitor } from "../FlowMonitor.ts"
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import { patchLength } from "./invalid.ts"
import { decodeInstructions, encodeInstructions } from "./instruction.ts"
import { decodeMatch, encodeMatch } from "./match.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const OFPMP_FLOW_MONITOR = 16
const MONITOR_SIZE = 16
const FULL_SIZE = 24
const SHORT_SIZE = 8
const ABBREV = 4

const decodeRequest = (r: Reader, flags: number): FlowMonitorRequest | OpenFlowError => {
  const monitors: Array<Monitor> = []
  while (r.pos < r.end) {
    if (!r.has(MONITOR_SIZE + 8)) {
      return OFE.make("OFPBRC_BAD_LEN", `FLOW_MONITOR request: ${r.remaining()} bytes left over, short of a 24-byte monitor`)
    }
    const monitorId = r.u32()
    const outPort = r.u32()
    const outGroup = r.u32()
    const monitorFlags = r.u16()
    const tableId = r.u8()
    const command = r.u8()
    if (command > 2) return OFE.make("OFPMOFC_BAD_COMMAND", `flow monitor ${monitorId}: command ${command} is not one of 0-2`)
    const match = decodeMatch(r, true)
    if (OFE.isOpenFlowError(match)) return match
    monitors.push({ monitorId, outPort, outGroup, monitorFlags, tableId, command: command as Monitor["command"], match })
  }
  return { _tag: "FlowMonitorRequest", flags, monitors }
}

const encodeRequest = (w: Writer, m: FlowMonitorRequest): OpenFlowError | undefined => {
  for (const monitor of m.monitors) {
    w.u32(monitor.monitorId)
    w.u32(monitor.outPort)
    w.u32(monitor.outGroup)
    w.u16(monitor.monitorFlags)
    w.u8(monitor.tableId)
    w.u8(monitor.command)
    const error = encodeMatch(w, monitor.match, true)
    if (error !== undefined) return error
  }
  return undefined
}

const decodeReply = (r: Reader, flags: number): FlowMonitorReply | OpenFlowError => {
  const updates: Array<FlowUpdate> = []
  const messageEnd = r.end
  while (r.pos < messageEnd) {
    const left = messageEnd - r.pos
    if (left < 4) return OFE.make("OFPBRC_BAD_LEN", `FLOW_MONITOR reply: ${left} bytes left over, short of an update header`)
    const length = r.u16()
    const event = r.u16()
    const min = event <= 3 ? FULL_SIZE + 8 : event <= 6 ? SHORT_SIZE : 4
    if (length < min || length > left || (event >= 4 && event <= 6 && length !== SHORT_SIZE)) {
      return OFE.make(
        "OFPBRC_BAD_LEN",
        `FLOW_MONITOR reply: an update of event ${event} has length ${length}, not ${event >= 4 && event <= 6 ? "8" : `between ${min} and the ${left} bytes that remain`}`
      )
    }
    const updateEnd = r.pos - 4 + length
    if (event === ABBREV) {
      updates.push({ _tag: "FlowUpdateAbbrev", xid: r.u32() })
    } else if (event === 5 || event === 6) {
      r.skip(4)
      updates.push({ _tag: "FlowUpdatePaused", event })
    } else if (event > 6) {
      updates.push({ _tag: "FlowUpdateUnknown", event, data: r.bytesView(length - 4) })
    } else {
      const tableId = r.u8()
      const reason = r.u8()
      const idleTimeout = r.u16()
      const hardTimeout = r.u16()
      const priority = r.u16()
      r.skip(4)
      const cookie = r.u64()
      r.end = updateEnd
      const match = decodeMatch(r, false)
      const instructions = OFE.isOpenFlowError(match) ? match : decodeInstructions(r, updateEnd - r.pos)
      r.end = messageEnd
      if (OFE.isOpenFlowError(match)) return match
      if (OFE.isOpenFlowError(instructions)) return instructions
      updates.push({
        _tag: "FlowUpdateFull",
        event: event as 0 | 1 | 2 | 3,
        tableId,
        reason,
        idleTimeout,
        hardTimeout,
        priority,
        cookie,
        match,
        instructions
      })
    }
  }
  return { _tag: "FlowMonitorReply", flags, updates }
}

const encodeReply = (w: Writer, m: FlowMonitorReply): OpenFlowError | undefined => {
  for (const u of m.updates) {
    const start = w.mark()
    w.u16(0)
    switch (u._tag) {
      case "FlowUpdateAbbrev":
        w.u16(ABBREV)
        w.u32(u.xid)
        break
      case "FlowUpdatePaused":
        w.u16(u.event)
        w.zeros(4)
        break
      case "FlowUpdateUnknown":
        w.u16(u.event)
        w.bytes(u.data)
        break
      case "FlowUpdateFull": {
        w.u16(u.event)
        w.u8(u.tableId)
        w.u8(u.reason)
        w.u16(u.idleTimeout)
        w.u16(u.hardTimeout)
        w.u16(u.priority)
        w.zeros(4)
        w.u64(u.cookie)
        const error = encodeMatch(w, u.match, false) ?? encodeInstructions(w, u.instructions)
        if (error !== undefined) return error
        break
      }
    }
    patchLength(w, start, w.pos - start, "flow update")
  }
  return undefined
}

export const rows = [
  row<FlowMonitorRequest>({
    tag: "FlowMonitorRequest",
    type: 18,
    multipart: OFPMP_FLOW_MONITOR,
    since: 5,
    minBody: 0,
    element: 8,
    decode: decodeRequest,
    encode: encodeRequest
  }),
  row<FlowMonitorReply>({
    tag: "FlowMonitorReply",
    type: 19,
    multipart: OFPMP_FLOW_MONITOR,
    since: 5,
    minBody: 0,
    element: 1,
    decode: decodeReply,
    encode: encodeReply
  })
]
