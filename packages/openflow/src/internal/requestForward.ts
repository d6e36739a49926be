/**
 * Wire codec for OFPT_REQUESTFORWARD (OpenFlow 1.4 §7.4.7; the same in 1.5): the body is
 * the forwarded request, a whole message with its header.
 *
 * As Open vSwitch's `ofputil_decode_requestforward` checks: the request must have at
 * least a header and a length within the message (OFPBFC_MSG_BAD_LEN), and the outer
 * version (OFPBRC_BAD_VERSION). It must also fill the message exactly (OFPBRC_BAD_LEN)
 * and be a GROUP_MOD or METER_MOD (OFPBRC_BAD_TYPE), the two kinds the spec forwards;
 * it is decoded with the whole catalog, with the request's own errors.
 */
import type { GroupMod } from "../GroupMod.ts"
import type { MeterMod } from "../MeterMod.ts"
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import type { RequestForward } from "../RequestForward.ts"
import { invalid } from "./invalid.ts"
import { nested } from "./nested.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const decode = (r: Reader): RequestForward | OpenFlowError => {
  const left = r.remaining()
  const b = r.bytes
  const p = r.pos
  const length = (b[p + 2]! << 8) | b[p + 3]!
  if (length < 8 || length > left) {
    return OFE.make("OFPBFC_MSG_BAD_LEN", `REQUESTFORWARD: forwarded request length ${length} is not between 8 and the ${left} bytes that remain`)
  }
  if (length !== left) return OFE.make("OFPBRC_BAD_LEN", `REQUESTFORWARD: ${left - length} bytes after the forwarded request`)
  if (b[p] !== r.version) return OFE.make("OFPBRC_BAD_VERSION", `REQUESTFORWARD: forwarded request of version 0x${b[p]!.toString(16)} in version ${r.version}`)
  const request = nested.decode(b.subarray(p, p + length), r.lenient)
  if (OFE.isOpenFlowError(request)) return request
  if (request._tag !== "GroupMod" && request._tag !== "MeterMod") {
    return OFE.make("OFPBRC_BAD_TYPE", `REQUESTFORWARD: a forwarded ${request._tag}; only GROUP_MOD and METER_MOD are forwarded`)
  }
  const xid = ((b[p + 4]! << 24) >>> 0) + ((b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!)
  r.skip(length)
  return { _tag: "RequestForward", request: request as GroupMod | MeterMod, xid }
}

const encode = (w: Writer, m: RequestForward): OpenFlowError | undefined => {
  const error = nested.encode(w, m.request, m.xid)
  if (error === undefined || OFE.isOpenFlowError(error)) return error
  invalid(w, `REQUESTFORWARD: the forwarded request: ${error.message}`)
  return undefined
}

export const rows = [row<RequestForward>({ tag: "RequestForward", type: 32, since: 5, minBody: 8, element: 1, decode, encode })]
