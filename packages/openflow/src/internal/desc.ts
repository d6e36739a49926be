/**
 * Wire codec for the OFPMP_DESC request (empty) and reply (`ofp_desc`, 1056 bytes). The
 * body is the same in every version from OpenFlow 1.0 to 1.5; only 1.0 numbers the
 * STATS_REQUEST/REPLY messages that carry it differently (16 and 17).
 */
import type { DescReply, DescRequest } from "../Desc.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import { readText, writeText } from "./text.ts"
import type { Writer } from "./writer.ts"

const OFPMP_DESC = 0

const decodeRequest = (_r: Reader, flags: number): DescRequest => ({ _tag: "DescRequest", flags })

const decodeReply = (r: Reader, flags: number): DescReply => ({
  _tag: "DescReply",
  flags,
  mfrDesc: readText(r, 256),
  hwDesc: readText(r, 256),
  swDesc: readText(r, 256),
  serialNum: readText(r, 32),
  dpDesc: readText(r, 256)
})

const encodeReply = (w: Writer, m: DescReply): undefined => {
  writeText(w, m.mfrDesc, 256, "mfrDesc")
  writeText(w, m.hwDesc, 256, "hwDesc")
  writeText(w, m.swDesc, 256, "swDesc")
  writeText(w, m.serialNum, 32, "serialNum")
  writeText(w, m.dpDesc, 256, "dpDesc")
  return undefined
}

export const rows = [
  row<DescRequest>({
    tag: "DescRequest",
    type: 16,
    multipart: OFPMP_DESC,
    since: 1,
    until: 1,
    minBody: 0,
    element: 0,
    decode: decodeRequest,
    encode: () => undefined
  }),
  row<DescReply>({
    tag: "DescReply",
    type: 17,
    multipart: OFPMP_DESC,
    since: 1,
    until: 1,
    minBody: 1056,
    element: 0,
    decode: decodeReply,
    encode: encodeReply
  }),
  row<DescRequest>({
    tag: "DescRequest",
    type: 18,
    multipart: OFPMP_DESC,
    since: 2,
    minBody: 0,
    element: 0,
    decode: decodeRequest,
    encode: () => undefined
  }),
  row<DescReply>({
    tag: "DescReply",
    type: 19,
    multipart: OFPMP_DESC,
    since: 2,
    minBody: 1056,
    element: 0,
    decode: decodeReply,
    encode: encodeReply
  })
]
