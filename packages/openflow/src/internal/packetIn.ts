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
import { fromOf10 } from "../Port.ts"
import { UINT64_MAX } from "../Uint.ts"
import { invalid } from "./invalid.ts"
import { decodeMatch, encodeMatch } from "./match.ts"
import { writePort10 } from "./port.ts"
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

// ---------------------------------------------------------------------------------------
// OpenFlow 1.0 (§5.4.1): buffer_id, total_len, a 16-bit in_port, reason, one pad byte,
// then the packet. There is no match, table id or cookie: the ingress port becomes a
// match holding `inPort` alone, and the table and cookie read as table 0 and the
// all-ones "no flow entry" cookie, the values that encoding in 1.0 requires back.
// ---------------------------------------------------------------------------------------

const decode10 = (r: Reader): PacketIn => {
  const bufferId = r.u32()
  const totalLen = r.u16()
  const inPort = fromOf10(r.u16())
  const reason = r.u8()
  r.skip(1)
  return {
    _tag: "PacketIn",
    bufferId,
    totalLen,
    reason,
    tableId: 0,
    cookie: UINT64_MAX,
    match: [{ field: "inPort", value: inPort, mask: undefined }],
    data: r.bytesView(r.remaining())
  }
}

const encode10 = (w: Writer, m: PacketIn): OpenFlowError | undefined => {
  const match = m.match
  let inPort: number | undefined
  for (let i = 0; i < match.length; i++) {
    const f = match[i]!
    if (f.field !== "inPort" || f.mask !== undefined || inPort !== undefined) {
      return OFE.make(
        "OFPBMC_BAD_FIELD",
        `an OpenFlow 1.0 PACKET_IN reports only its in_port, not ${f.field === "opaque" ? "an opaque OXM field" : f.field}`
      )
    }
    inPort = f.value
  }
  if (inPort === undefined) return OFE.make("OFPBMC_BAD_WILDCARDS", "an OpenFlow 1.0 PACKET_IN needs an in_port in its match")
  if (m.tableId !== 0) invalid(w, `table ${m.tableId}: an OpenFlow 1.0 PACKET_IN has no table id (use 0)`)
  if (m.cookie !== UINT64_MAX) invalid(w, `cookie ${m.cookie}: an OpenFlow 1.0 PACKET_IN has no cookie (use all ones, "none")`)
  w.u32(m.bufferId)
  w.u16(m.totalLen)
  writePort10(w, inPort, "packet-in in_port")
  w.u8(m.reason)
  w.zeros(1)
  w.bytes(m.data)
  return undefined
}

// The layout is the same from OpenFlow 1.3 to 1.5.
export const rows = [
  row<PacketIn>({ tag: "PacketIn", type: 10, since: 1, until: 1, minBody: 10, element: 1, decode: decode10, encode: encode10 }),
  row<PacketIn>({ tag: "PacketIn", type: 10, since: 4, minBody: 16, element: 1, decode, encode })
]
