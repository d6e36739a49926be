/**
 * Wire codec for OFPT_PORT_STATUS (OpenFlow 1.1-1.3 §7.4.3): reason, 7 bytes of padding,
 * `ofp_port`; in OpenFlow 1.0 the same with the 48-byte `ofp_phy_port`.
 */
import type { PortStatus } from "../PortStatus.ts"
import * as OFE from "../OpenFlowError.ts"
import { decodePort, decodePort10, decodePort14, encodePort, encodePort10, encodePort14 } from "./port.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

export const rows = [
  row<PortStatus>({
    tag: "PortStatus",
    type: 12,
    since: 1,
    until: 1,
    minBody: 56,
    element: 0,
    decode: (r: Reader) => {
      const reason = r.u8()
      r.skip(7)
      return { _tag: "PortStatus", reason, desc: decodePort10(r) }
    },
    encode: (w: Writer, m) => {
      w.u8(m.reason)
      w.zeros(7)
      encodePort10(w, m.desc)
      return undefined
    }
  }),
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
  }),
  // OpenFlow 1.4+: the port carries its own length and properties; it must fill the rest
  // of the message exactly.
  row<PortStatus>({
    tag: "PortStatus",
    type: 12,
    since: 5,
    minBody: 48,
    element: 8,
    decode: (r: Reader) => {
      const reason = r.u8()
      r.skip(7)
      const desc = decodePort14(r, r.end, true)
      return OFE.isOpenFlowError(desc) ? desc : { _tag: "PortStatus", reason, desc }
    },
    encode: (w: Writer, m) => {
      w.u8(m.reason)
      w.zeros(7)
      return encodePort14(w, m.desc)
    }
  })
]
