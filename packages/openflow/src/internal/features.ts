/** Wire codec for OFPT_FEATURES_REQUEST/REPLY (OpenFlow 1.3 §7.3.1). */
import { request, type FeaturesReply, type FeaturesRequest } from "../Features.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

export const rows = [
  row<FeaturesRequest>({
    tag: "FeaturesRequest",
    type: 5,
    since: 1,
    minBody: 0,
    element: 0,
    decode: () => request,
    encode: () => undefined
  }),
  row<FeaturesReply>({
    tag: "FeaturesReply",
    type: 6,
    since: 4,
    minBody: 24,
    element: 0,
    decode: (r: Reader) => {
      const datapathId = r.u64()
      const nBuffers = r.u32()
      const nTables = r.u8()
      const auxiliaryId = r.u8()
      r.skip(2)
      const capabilities = r.u32()
      const reserved = r.u32()
      return { _tag: "FeaturesReply", datapathId, nBuffers, nTables, auxiliaryId, capabilities, reserved }
    },
    encode: (w: Writer, m) => {
      w.u64(m.datapathId)
      w.u32(m.nBuffers)
      w.u8(m.nTables)
      w.u8(m.auxiliaryId)
      w.zeros(2)
      w.u32(m.capabilities)
      w.u32(m.reserved)
      return undefined
    }
  })
]
