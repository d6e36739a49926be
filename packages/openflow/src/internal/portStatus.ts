/** Wire codec for OFPT_PORT_STATUS (OpenFlow 1.1-1.3 §7.4.3): reason, 7 bytes of padding, `ofp_port`. */
import type { PortStatus } from "../PortStatus.ts"
import { decodePort, encodePort } from "./port.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

export const rows = [
  row<PortStatus>({
    tag: "PortStatus",
    type: 12,
    since: 2,
    until: 4,
    minBody: 72,
    element: 0,
    decode: (r: Reader) => {
      const reason = r.u8()
      r.skip(7)
      return { _tag: "PortStatus", reason, desc: decodePort(r) }
    },
    encode: (w: Writer, m) => {
      w.u8(m.reason)
      w.zeros(7)
      encodePort(w, m.desc)
      return undefined
    }
  })
]
