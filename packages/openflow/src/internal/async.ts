/**
 * Wire codec for OFPT_GET_ASYNC_REQUEST/REPLY and OFPT_SET_ASYNC (OpenFlow 1.3 §7.3.10):
 * three pairs of 32-bit masks. OpenFlow 1.4 replaced the layout with properties.
 */
import type { GetAsyncReply, GetAsyncRequest, SetAsync } from "../Async.ts"
import { getAsync } from "../Async.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const encode = (w: Writer, m: GetAsyncReply | SetAsync): undefined => {
  w.u32(m.packetInMask[0])
  w.u32(m.packetInMask[1])
  w.u32(m.portStatusMask[0])
  w.u32(m.portStatusMask[1])
  w.u32(m.flowRemovedMask[0])
  w.u32(m.flowRemovedMask[1])
  return undefined
}

export const rows = [
  row<GetAsyncRequest>({
    tag: "GetAsyncRequest",
    type: 26,
    since: 4,
    until: 4,
    minBody: 0,
    element: 0,
    decode: () => getAsync,
    encode: () => undefined
  }),
  row<GetAsyncReply>({
    tag: "GetAsyncReply",
    type: 27,
    since: 4,
    until: 4,
    minBody: 24,
    element: 0,
    decode: (r: Reader) => ({
      _tag: "GetAsyncReply",
      packetInMask: [r.u32(), r.u32()],
      portStatusMask: [r.u32(), r.u32()],
      flowRemovedMask: [r.u32(), r.u32()]
    }),
    encode
  }),
  row<SetAsync>({
    tag: "SetAsync",
    type: 28,
    since: 4,
    until: 4,
    minBody: 24,
    element: 0,
    decode: (r: Reader) => ({
      _tag: "SetAsync",
      packetInMask: [r.u32(), r.u32()],
      portStatusMask: [r.u32(), r.u32()],
      flowRemovedMask: [r.u32(), r.u32()]
    }),
    encode
  })
]
