/**
 * Wire codec for the experimenter multipart request and reply (OFPMP_EXPERIMENTER,
 * OpenFlow 1.3 §7.3.5.16): experimenter id, experimenter type, and a body kept byte for
 * byte. The layout is the same from OpenFlow 1.3 to 1.5; OpenFlow 1.0's OFPST_VENDOR has
 * the vendor id and body but no type.
 */
import type { ExperimenterMultipartReply, ExperimenterMultipartRequest } from "../Multipart.ts"
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const OFPMP_EXPERIMENTER = 0xffff

const encode = (w: Writer, m: ExperimenterMultipartRequest | ExperimenterMultipartReply): undefined => {
  w.u32(m.experimenter)
  w.u32(m.expType)
  w.bytes(m.data)
  return undefined
}

// OpenFlow 1.0's OFPST_VENDOR body is the vendor id and vendor-defined bytes: there is no
// experimenter type, so it decodes as 0 and must be 0 to encode (as OFPT_VENDOR does).
const encode10 = (w: Writer, m: ExperimenterMultipartRequest | ExperimenterMultipartReply): OpenFlowError | undefined => {
  if (m.expType !== 0) return OFE.make("OFPBRC_BAD_EXP_TYPE", "OpenFlow 1.0 vendor statistics have no experimenter type")
  w.u32(m.experimenter)
  w.bytes(m.data)
  return undefined
}

export const rows = [
  row<ExperimenterMultipartRequest>({
    tag: "ExperimenterMultipartRequest",
    type: 16,
    multipart: OFPMP_EXPERIMENTER,
    since: 1,
    until: 1,
    minBody: 4,
    element: 1,
    decode: (r: Reader, flags) => ({
      _tag: "ExperimenterMultipartRequest",
      flags,
      experimenter: r.u32(),
      expType: 0,
      data: r.bytesView(r.remaining())
    }),
    encode: encode10
  }),
  row<ExperimenterMultipartReply>({
    tag: "ExperimenterMultipartReply",
    type: 17,
    multipart: OFPMP_EXPERIMENTER,
    since: 1,
    until: 1,
    minBody: 4,
    element: 1,
    decode: (r: Reader, flags) => ({
      _tag: "ExperimenterMultipartReply",
      flags,
      experimenter: r.u32(),
      expType: 0,
      data: r.bytesView(r.remaining())
    }),
    encode: encode10
  }),
  row<ExperimenterMultipartRequest>({
    tag: "ExperimenterMultipartRequest",
    type: 18,
    multipart: OFPMP_EXPERIMENTER,
    since: 4,
    minBody: 8,
    element: 1,
    decode: (r: Reader, flags) => ({
      _tag: "ExperimenterMultipartRequest",
      flags,
      experimenter: r.u32(),
      expType: r.u32(),
      data: r.bytesView(r.remaining())
    }),
    encode
  }),
  row<ExperimenterMultipartReply>({
    tag: "ExperimenterMultipartReply",
    type: 19,
    multipart: OFPMP_EXPERIMENTER,
    since: 4,
    minBody: 8,
    element: 1,
    decode: (r: Reader, flags) => ({
      _tag: "ExperimenterMultipartReply",
      flags,
      experimenter: r.u32(),
      expType: r.u32(),
      data: r.bytesView(r.remaining())
    }),
    encode
  })
]
