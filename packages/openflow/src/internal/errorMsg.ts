/** Wire codec for OFPT_ERROR (OpenFlow 1.3 §7.4.4), including experimenter errors (1.2+). */
import type { ErrorMsg, ExperimenterErrorMsg } from "../ErrorMsg.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import * as OFE from "../OpenFlowError.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const decode = (r: Reader): ErrorMsg | ExperimenterErrorMsg | OpenFlowError => {
  const errorType = r.u16()
  if (errorType === 0xffff && r.version >= 3) {
    if (!r.has(6)) return OFE.make("OFPBRC_BAD_LEN", "experimenter error shorter than its 12-byte header")
    const expType = r.u16()
    const experimenter = r.u32()
    return { _tag: "ExperimenterErrorMsg", expType, experimenter, data: r.bytesView(r.remaining()) }
  }
  const code = r.u16()
  return { _tag: "ErrorMsg", errorType, code, data: r.bytesView(r.remaining()) }
}

export const rows = [
  row<ErrorMsg>({
    tag: "ErrorMsg",
    type: 1,
    since: 1,
    minBody: 4,
    element: 1,
    decode: decode as (r: Reader) => ErrorMsg | OpenFlowError,
    encode: (w: Writer, m) => {
      if (m.errorType === 0xffff && w.version >= 3) {
        return OFE.make("OFPBRC_BAD_TYPE", "error type 0xffff is reserved for ExperimenterErrorMsg")
      }
      w.u16(m.errorType)
      w.u16(m.code)
      w.bytes(m.data)
      return undefined
    }
  }),
  row<ExperimenterErrorMsg>({
    tag: "ExperimenterErrorMsg",
    type: 1,
    encodeOnly: true,
    since: 3,
    minBody: 8,
    element: 1,
    decode: decode as (r: Reader) => ExperimenterErrorMsg | OpenFlowError,
    encode: (w: Writer, m) => {
      w.u16(0xffff)
      w.u16(m.expType)
      w.u32(m.experimenter)
      w.bytes(m.data)
      return undefined
    }
  })
]
