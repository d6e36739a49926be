/** Wire codec for OFPT_PORT_MOD (OpenFlow 1.1-1.3 §7.3.4.3): 32 bytes. */
import type { PortMod } from "../PortMod.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

export const rows = [
  row<PortMod>({
    tag: "PortMod",
    type: 16,
    since: 2,
    until: 4,
    minBody: 32,
    element: 0,
    decode: (r: Reader) => {
      const portNo = r.u32()
      r.skip(4)
      const hwAddr = r.u48()
      r.skip(2)
      const config = r.u32()
      const mask = r.u32()
      const advertise = r.u32()
      return { _tag: "PortMod", portNo, hwAddr, config, mask, advertise }
    },
    encode: (w: Writer, m) => {
      w.u32(m.portNo)
      w.zeros(4)
      w.u48(m.hwAddr)
      w.zeros(2)
      w.u32(m.config)
      w.u32(m.mask)
      w.u32(m.advertise)
      w.zeros(4)
      return undefined
    }
  })
]
