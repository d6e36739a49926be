/**
 * Wire codec for the experimenter multipart request and reply (OFPMP_EXPERIMENTER,
 * OpenFlow 1.3 §7.3.5.16): experimenter id, experimenter type, and a body kept byte for
 * byte. The layout is the same from OpenFlow 1.3 to 1.5.
 */
import type { ExperimenterMultipartReply, ExperimenterMultipartRequest } from "../Multipart.ts"
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

export const rows = [
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
