/** Wire codec for OFPT_BARRIER_REQUEST/REPLY: empty bodies; 1.0 numbers them 18/19. */
import { reply, request, type BarrierReply, type BarrierRequest } from "../Barrier.ts"
import { row } from "./row.ts"

const none = () => undefined

export const rows = [
  row<BarrierRequest>({ tag: "BarrierRequest", type: 18, since: 1, until: 1, minBody: 0, element: 0, decode: () => request, encode: none }),
  row<BarrierReply>({ tag: "BarrierReply", type: 19, since: 1, until: 1, minBody: 0, element: 0, decode: () => reply, encode: none }),
  row<BarrierRequest>({ tag: "BarrierRequest", type: 20, since: 2, minBody: 0, element: 0, decode: () => request, encode: none }),
  row<BarrierReply>({ tag: "BarrierReply", type: 21, since: 2, minBody: 0, element: 0, decode: () => reply, encode: none })
]
