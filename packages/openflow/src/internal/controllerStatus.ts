/**
 * Wire codec for OFPT_CONTROLLER_STATUS and the OFPMP_CONTROLLER_STATUS request (empty)
 * and reply (OpenFlow 1.5 §7.4.6, §7.3.5.21).
 *
 * `ofp_controller_status` is `length u16, short_id u16, role u32, reason u8,
 * channel_status u8, pad[6]` and properties; its length is checked against the 16-byte
 * fixed part and what remains (OFPBRC_BAD_LEN). The URI property is the text after its
 * header, which must not contain NUL (OFPBPC_BAD_VALUE: it could not be told from
 * padding).
 */
import type { ControllerStatus, ControllerStatusReply, ControllerStatusRequest, Property, Status } from "../ControllerStatus.ts"
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import { invalid, patchLength } from "./invalid.ts"
import { begin, decodeExperimenter, decodeProperties, decodeUnknown, encodeExperimenter, encodeUnknown, end, EXPERIMENTER } from "./property.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import { encodeText, readText } from "./text.ts"
import type { Writer } from "./writer.ts"

const OFPMP_CONTROLLER_STATUS = 18
const STATUS_SIZE = 16
const OFPCSPT_URI = 0

const statusProperty = (r: Reader, type: number, length: number): Property | OpenFlowError => {
  switch (type) {
    case OFPCSPT_URI: {
      const n = length - 4
      if (r.bytes.subarray(r.pos, r.pos + n).includes(0)) return OFE.make("OFPBPC_BAD_VALUE", "controller status URI contains a NUL byte")
      return { _tag: "ControllerStatusPropUri", uri: readText(r, n) }
    }
    case EXPERIMENTER:
      return decodeExperimenter(r, length, "controller status")
    default:
      return decodeUnknown(r, type, length)
  }
}

/** Reads one status that must end by `limit` (exactly there when `exact`). */
const decodeStatus = (r: Reader, limit: number, exact: boolean, what: string): Status | OpenFlowError => {
  const left = limit - r.pos
  if (left < STATUS_SIZE) return OFE.make("OFPBRC_BAD_LEN", `${what}: ${left} bytes left, short of a 16-byte controller status`)
  const start = r.pos
  const length = r.u16()
  if (length < STATUS_SIZE || length > left || (exact && length !== left)) {
    return OFE.make("OFPBRC_BAD_LEN", `${what}: controller status length ${length} does not fit the ${left} bytes that remain`)
  }
  const shortId = r.u16()
  const role = r.u32()
  const reason = r.u8()
  const channelStatus = r.u8()
  r.skip(6)
  const properties = decodeProperties(r, start + length, what, statusProperty)
  if (OFE.isOpenFlowError(properties)) return properties
  return { shortId, role, reason, channelStatus, properties }
}

const encodeStatus = (w: Writer, s: Status, what: string): void => {
  const start = w.mark()
  w.u16(0)
  w.u16(s.shortId)
  w.u32(s.role)
  w.u8(s.reason)
  w.u8(s.channelStatus)
  w.zeros(6)
  for (const p of s.properties) {
    switch (p._tag) {
      case "ControllerStatusPropUri": {
        const at = begin(w, OFPCSPT_URI)
        const bytes = encodeText(p.uri)
        if (typeof bytes === "string") invalid(w, `${what} URI ${JSON.stringify(p.uri)} ${bytes}`)
        else w.bytes(bytes)
        end(w, at, what)
        break
      }
      case "ExperimenterProperty":
        encodeExperimenter(w, p, what)
        break
      case "UnknownProperty":
        encodeUnknown(w, p, what)
        break
    }
  }
  patchLength(w, start, w.pos - start, what)
}

export const rows = [
  row<ControllerStatus>({
    tag: "ControllerStatus",
    type: 35,
    since: 6,
    minBody: STATUS_SIZE,
    element: 8,
    decode: (r: Reader) => {
      const s = decodeStatus(r, r.end, true, "CONTROLLER_STATUS")
      return OFE.isOpenFlowError(s) ? s : { _tag: "ControllerStatus", ...s }
    },
    encode: (w: Writer, m) => {
      encodeStatus(w, m, "CONTROLLER_STATUS")
      return undefined
    }
  }),
  row<ControllerStatusRequest>({
    tag: "ControllerStatusRequest",
    type: 18,
    multipart: OFPMP_CONTROLLER_STATUS,
    since: 6,
    minBody: 0,
    element: 0,
    decode: (_r: Reader, flags) => ({ _tag: "ControllerStatusRequest", flags }),
    encode: () => undefined
  }),
  row<ControllerStatusReply>({
    tag: "ControllerStatusReply",
    type: 19,
    multipart: OFPMP_CONTROLLER_STATUS,
    since: 6,
    minBody: 0,
    element: 8,
    decode: (r: Reader, flags) => {
      const controllers: Array<Status> = []
      while (r.pos < r.end) {
        const s = decodeStatus(r, r.end, false, "CONTROLLER_STATUS reply")
        if (OFE.isOpenFlowError(s)) return s
        controllers.push(s)
      }
      return { _tag: "ControllerStatusReply", flags, controllers }
    },
    encode: (w: Writer, m) => {
      for (const s of m.controllers) encodeStatus(w, s, "CONTROLLER_STATUS reply")
      return undefined
    }
  })
]
