/**
 * Wire codec for OFPT_PACKET_OUT (OpenFlow 1.3 §7.3.7): a 16-byte fixed part with the
 * length of the action list, the actions, then the packet. OpenFlow 1.5 replaced the
 * input port with a match (`buffer_id, actions_len, pad[2]`, match, actions, data) whose
 * `in_port` is required (OFPBRC_BAD_PORT without it, as Open vSwitch answers); the match
 * is read loosely, as Open vSwitch's `oxm_pull_match_loose` does.
 *
 * As Open vSwitch's `ofputil_decode_packet_out` does, an action list that does not fit
 * the message or is not a multiple of 8 bytes is OFPBRC_BAD_LEN (a message-level
 * length), an input port a packet cannot come in on is OFPBRC_BAD_PORT, and a bad action
 * inside is its OFPBAC_* error.
 */
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import type { Match } from "../Match.ts"
import { isValidInPort, type PacketOut } from "../PacketOut.ts"
import { fromOf10 } from "../Port.ts"
import { decodeActions, encodeActions } from "./action.ts"
import { decodeActions10, encodeActions10 } from "./action10.ts"
import { decodeMatch, encodeMatch } from "./match.ts"
import { writePort10 } from "./port.ts"
import { needsVersion } from "./property.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const badPort = (port: number): OpenFlowError =>
  OFE.make("OFPBRC_BAD_PORT", `packet-out input port 0x${port.toString(16)} is not a port number, LOCAL, CONTROLLER or ANY`)

const decode = (r: Reader): PacketOut | OpenFlowError => {
  const bufferId = r.u32()
  const inPort = r.u32()
  const actionsLen = r.u16()
  r.skip(6)
  if (actionsLen > r.remaining()) {
    return OFE.make("OFPBRC_BAD_LEN", `packet-out actions_len ${actionsLen} exceeds the ${r.remaining()} bytes after its header`)
  }
  if ((actionsLen & 7) !== 0) return OFE.make("OFPBRC_BAD_LEN", `packet-out actions_len ${actionsLen} is not a multiple of 8`)
  if (!isValidInPort(inPort)) return badPort(inPort)
  const actions = decodeActions(r, actionsLen)
  if (OFE.isOpenFlowError(actions)) return actions
  return { _tag: "PacketOut", bufferId, inPort, actions, data: r.bytesView(r.remaining()) }
}

const encode = (w: Writer, m: PacketOut): OpenFlowError | undefined => {
  if (!isValidInPort(m.inPort)) return badPort(m.inPort)
  if (m.match !== undefined && m.match.length > 0) needsVersion(w, "a packet-out match besides in_port", 6)
  w.u32(m.bufferId)
  w.u32(m.inPort)
  const lengthAt = w.mark()
  w.u16(0)
  w.zeros(6)
  const start = w.pos
  const error = encodeActions(w, m.actions)
  if (error !== undefined) return error
  const length = w.pos - start
  if (length > 0xffff) return OFE.make("OFPBRC_BAD_LEN", `packet-out action list of ${length} bytes exceeds 65535`)
  w.patchU16(lengthAt, length)
  w.bytes(m.data)
  return undefined
}

const decode15 = (r: Reader): PacketOut | OpenFlowError => {
  const bufferId = r.u32()
  const actionsLen = r.u16()
  r.skip(2)
  const fields = decodeMatch(r, false)
  if (OFE.isOpenFlowError(fields)) return fields
  if (actionsLen > r.remaining()) {
    return OFE.make("OFPBRC_BAD_LEN", `packet-out actions_len ${actionsLen} exceeds the ${r.remaining()} bytes after its match`)
  }
  if ((actionsLen & 7) !== 0) return OFE.make("OFPBRC_BAD_LEN", `packet-out actions_len ${actionsLen} is not a multiple of 8`)
  let inPort: number | undefined = undefined
  const match: Array<Match[number]> = []
  for (const f of fields) {
    if (f.field === "inPort") inPort = f.value
    else match.push(f)
  }
  if (inPort === undefined) return OFE.make("OFPBRC_BAD_PORT", "packet-out match has no in_port")
  if (!isValidInPort(inPort)) return badPort(inPort)
  const actions = decodeActions(r, actionsLen)
  if (OFE.isOpenFlowError(actions)) return actions
  const data = r.bytesView(r.remaining())
  return match.length === 0
    ? { _tag: "PacketOut", bufferId, inPort, actions, data }
    : { _tag: "PacketOut", bufferId, inPort, actions, data, match }
}

const encode15 = (w: Writer, m: PacketOut): OpenFlowError | undefined => {
  if (!isValidInPort(m.inPort)) return badPort(m.inPort)
  w.u32(m.bufferId)
  const lengthAt = w.mark()
  w.u16(0)
  w.zeros(2)
  const inPort: Match[number] = { field: "inPort", value: m.inPort, mask: undefined }
  const matchError = encodeMatch(w, m.match === undefined || m.match.length === 0 ? [inPort] : [inPort, ...m.match], false)
  if (matchError !== undefined) return matchError
  const start = w.pos
  const error = encodeActions(w, m.actions)
  if (error !== undefined) return error
  const length = w.pos - start
  if (length > 0xffff) return OFE.make("OFPBRC_BAD_LEN", `packet-out action list of ${length} bytes exceeds 65535`)
  w.patchU16(lengthAt, length)
  w.bytes(m.data)
  return undefined
}

// OpenFlow 1.0 (§5.3.6): buffer_id, a 16-bit in_port, actions_len, then 1.0 actions and
// the packet. A 1.0 action list has no match to say which transport protocol a SET_TP_*
// rewrites, so it reads as TCP's (see `internal/action10.ts`).
const decode10 = (r: Reader): PacketOut | OpenFlowError => {
  const bufferId = r.u32()
  const inPort = fromOf10(r.u16())
  const actionsLen = r.u16()
  if (actionsLen > r.remaining()) {
    return OFE.make("OFPBRC_BAD_LEN", `packet-out actions_len ${actionsLen} exceeds the ${r.remaining()} bytes after its header`)
  }
  if ((actionsLen & 7) !== 0) return OFE.make("OFPBRC_BAD_LEN", `packet-out actions_len ${actionsLen} is not a multiple of 8`)
  if (!isValidInPort(inPort)) return badPort(inPort)
  const actions = decodeActions10(r, actionsLen, -1)
  if (OFE.isOpenFlowError(actions)) return actions
  return { _tag: "PacketOut", bufferId, inPort, actions, data: r.bytesView(r.remaining()) }
}

const encode10 = (w: Writer, m: PacketOut): OpenFlowError | undefined => {
  if (!isValidInPort(m.inPort)) return badPort(m.inPort)
  if (m.match !== undefined && m.match.length > 0) needsVersion(w, "a packet-out match besides in_port", 6)
  w.u32(m.bufferId)
  writePort10(w, m.inPort, "packet-out in_port")
  const lengthAt = w.mark()
  w.u16(0)
  const start = w.pos
  const error = encodeActions10(w, m.actions)
  if (error !== undefined) return error
  const length = w.pos - start
  if (length > 0xffff) return OFE.make("OFPBRC_BAD_LEN", `packet-out action list of ${length} bytes exceeds 65535`)
  w.patchU16(lengthAt, length)
  w.bytes(m.data)
  return undefined
}

export const rows = [
  row<PacketOut>({ tag: "PacketOut", type: 13, since: 1, until: 1, minBody: 8, element: 1, decode: decode10, encode: encode10 }),
  row<PacketOut>({ tag: "PacketOut", type: 13, since: 4, until: 5, minBody: 16, element: 1, decode, encode }),
  row<PacketOut>({ tag: "PacketOut", type: 13, since: 6, minBody: 16, element: 1, decode: decode15, encode: encode15 })
]
