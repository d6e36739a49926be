/**
 * Wire codec for the OFPMP_PORT_DESC request (empty) and reply (64-byte `ofp_port`
 * entries), OpenFlow 1.3. The request is also empty in OpenFlow 1.4 (1.5 added a port
 * number); the reply's port layout changed in 1.4, so the reply row is 1.3 only.
 */
import type { Port } from "../Port.ts"
import type { PortDescReply, PortDescRequest } from "../PortDesc.ts"
import { decodePort, encodePort, PORT_SIZE } from "./port.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const OFPMP_PORT_DESC = 13

export const rows = [
  row<PortDescRequest>({
    tag: "PortDescRequest",
    type: 18,
    multipart: OFPMP_PORT_DESC,
    since: 4,
    until: 5,
    minBody: 0,
    element: 0,
    decode: (_r: Reader, flags) => ({ _tag: "PortDescRequest", flags }),
    encode: () => undefined
  }),
  row<PortDescReply>({
    tag: "PortDescReply",
    type: 19,
    multipart: OFPMP_PORT_DESC,
    since: 4,
    until: 4,
    minBody: 0,
    element: PORT_SIZE,
    // The central length check guarantees a whole number of 64-byte entries.
    decode: (r: Reader, flags) => {
      const ports: Array<Port> = []
      while (r.pos < r.end) ports.push(decodePort(r))
      return { _tag: "PortDescReply", flags, ports }
    },
    encode: (w: Writer, m) => {
      for (const p of m.ports) encodePort(w, p)
      return undefined
    }
  })
]
