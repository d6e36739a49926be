/** Wire codec for OFPT_ECHO_REQUEST/REPLY: the whole body is the payload. */
import type { EchoReply, EchoRequest } from "../Echo.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

export const rows = [
  row<EchoRequest>({
    tag: "EchoRequest",
    type: 2,
    since: 1,
    minBody: 0,
    element: 1,
    decode: (r: Reader) => ({ _tag: "EchoRequest", data: r.bytesView(r.remaining()) }),
    encode: (w: Writer, m) => void w.bytes(m.data)
  }),
  row<EchoReply>({
    tag: "EchoReply",
    type: 3,
    since: 1,
    minBody: 0,
    element: 1,
    decode: (r: Reader) => ({ _tag: "EchoReply", data: r.bytesView(r.remaining()) }),
    encode: (w: Writer, m) => void w.bytes(m.data)
  })
]
