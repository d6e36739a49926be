/** Wire codec for OFPT_EXPERIMENTER (1.1+: id and type) and OpenFlow 1.0's OFPT_VENDOR (id only). */
import type { Experimenter } from "../Experimenter.ts"
import * as OFE from "../OpenFlowError.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

export const rows = [
  row<Experimenter>({
    tag: "Experimenter",
    type: 4,
    since: 1,
    until: 1,
    minBody: 4,
    element: 1,
    decode: (r: Reader) => ({ _tag: "Experimenter", experimenter: r.u32(), expType: 0, data: r.bytesView(r.remaining()) }),
    encode: (w: Writer, m) => {
      if (m.expType !== 0) return OFE.make("OFPBRC_BAD_EXP_TYPE", "OpenFlow 1.0 vendor messages have no experimenter type")
      w.u32(m.experimenter)
      w.bytes(m.data)
      return undefined
    }
  }),
  row<Experimenter>({
    tag: "Experimenter",
    type: 4,
    since: 2,
    minBody: 8,
    element: 1,
    decode: (r: Reader) => ({ _tag: "Experimenter", experimenter: r.u32(), expType: r.u32(), data: r.bytesView(r.remaining()) }),
    encode: (w: Writer, m) => {
      w.u32(m.experimenter)
      w.u32(m.expType)
      w.bytes(m.data)
      return undefined
    }
  })
]
