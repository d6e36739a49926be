/**
 * Wire codec for the OFPMP_PORT_DESC request (empty) and reply (64-byte `ofp_port`
 * entries), OpenFlow 1.3. The request is also empty in OpenFlow 1.4; 1.5 added a port
 * number and 4 bytes of padding. From 1.4 the reply's ports carry their own lengths
 * and properties (`decodePort14`).
 */
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import { ANY, type Port } from "../Port.ts"
import type { PortDescReply, PortDescRequest } from "../PortDesc.ts"
import { decodePort, decodePort14, encodePort, encodePort14, PORT_SIZE, PORT14_SIZE } from "./port.ts"
import { needsVersion } from "./property.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const OFPMP_PORT_DESC = 13

/** OpenFlow 1.4+ ports, each with its own length; every one checked before it is read. */
const decodePorts14 = (r: Reader, flags: number): PortDescReply | OpenFlowError => {
  const ports: Array<Port> = []
  while (r.pos < r.end) {
    if (!r.has(PORT14_SIZE)) {
      return OFE.make("OFPBRC_BAD_LEN", `PORT_DESC reply: ${r.remaining()} bytes left over, short of a 40-byte port`)
    }
    const port = decodePort14(r, r.end, false)
    if (OFE.isOpenFlowError(port)) return port
    ports.push(port)
  }
  return { _tag: "PortDescReply", flags, ports }
}

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
    encode: (w: Writer, m) => {
      if (m.portNo !== undefined && m.portNo !== ANY) needsVersion(w, `a PORT_DESC request for port ${m.portNo}`, 6)
      return undefined
    }
  }),
  row<PortDescRequest>({
    tag: "PortDescRequest",
    type: 18,
    multipart: OFPMP_PORT_DESC,
    since: 6,
    minBody: 8,
    element: 0,
    decode: (r: Reader, flags) => {
      const portNo = r.u32()
      return portNo === ANY ? { _tag: "PortDescRequest", flags } : { _tag: "PortDescRequest", flags, portNo }
    },
    encode: (w: Writer, m) => {
      w.u32(m.portNo ?? ANY)
      w.zeros(4)
      return undefined
    }
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
  }),
  row<PortDescReply>({
    tag: "PortDescReply",
    type: 19,
    multipart: OFPMP_PORT_DESC,
    since: 5,
    minBody: 0,
    element: 8,
    decode: decodePorts14,
    encode: (w: Writer, m) => {
      for (const p of m.ports) {
        const error = encodePort14(w, p)
        if (error !== undefined) return error
      }
      return undefined
    }
  })
]
