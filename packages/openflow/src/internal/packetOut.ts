/**
 * Wire codec for OFPT_PACKET_OUT (OpenFlow 1.3 §7.3.7): a 16-byte fixed part with the
 * length of the action list, the actions, then the packet.
 *
 * As Open vSwitch's `ofputil_decode_packet_out` does, an action list that does not fit
 * the message or is not a multiple of 8 bytes is OFPBRC_BAD_LEN (a message-level
 * length), an input port a packet cannot come in on is OFPBRC_BAD_PORT, and a bad action
 * inside is its OFPBAC_* error.
 */
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import { isValidInPort, type PacketOut } from "../PacketOut.ts"
import { decodeActions, encodeActions } from "./action.ts"
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

export const rows = [row<PacketOut>({ tag: "PacketOut", type: 13, since: 4, until: 5, minBody: 16, element: 1, decode, encode })]
