/**
 * Wire codec for OFPT_PACKET_IN (OpenFlow 1.3 §7.4.1): a 16-byte fixed part, the match
 * (loose, as Open vSwitch's `oxm_pull_match_loose`), 2 bytes of padding and the packet.
 *
 * This runs for every packet a switch sends up, so decoding does the minimum: read the
 * fixed fields, run the match loop (one small object per OXM field; a typical Open
 * vSwitch packet-in has just `in_port`), and take `data` as a view of the received
 * bytes. The cookie of a table miss is all ones or zero; zero allocates nothing.
 */
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import type { PacketIn } from "../PacketIn.ts"
import { decodeMatch, encodeMatch } from "./match.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const decode = (r: Reader): PacketIn | OpenFlowError => {
  const bufferId = r.u32()
  const totalLen = r.u16()
  const reason = r.u8()
  const tableId = r.u8()
  const cookie = r.u64()
  const match = decodeMatch(r, false)
  if (OFE.isOpenFlowError(match)) return match
  if (!r.has(2)) {
    return OFE.make("OFPBRC_BAD_LEN", `PACKET_IN ends ${r.remaining()} bytes after its match, before the 2 bytes of padding`)
  }
  r.skip(2)
  return { _tag: "PacketIn", bufferId, totalLen, reason, tableId, cookie, match, data: r.bytesView(r.remaining()) }
}

const encode = (w: Writer, m: PacketIn): OpenFlowError | undefined => {
  w.u32(m.bufferId)
  w.u16(m.totalLen)
  w.u8(m.reason)
  w.u8(m.tableId)
  w.u64(m.cookie)
  const error = encodeMatch(w, m.match, false)
  if (error !== undefined) return error
  w.zeros(2)
  w.bytes(m.data)
  return undefined
}

export const rows = [row<PacketIn>({ tag: "PacketIn", type: 10, since: 4, until: 5, minBody: 16, element: 1, decode, encode })]
