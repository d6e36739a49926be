/**
 * Wire codec for OFPT_FEATURES_REQUEST/REPLY (OpenFlow 1.3 §7.3.1; OpenFlow 1.0 §5.3.1,
 * whose reply has an actions bitmap instead of the auxiliary id and reserved word, and
 * ends with the ports as 48-byte `ofp_phy_port`s).
 */
import { request, type FeaturesReply, type FeaturesRequest } from "../Features.ts"
import type { Port } from "../Port.ts"
import { invalid } from "./invalid.ts"
import { decodePort10, encodePort10 } from "./port.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const decodeReply10 = (r: Reader): FeaturesReply => {
  const datapathId = r.u64()
  const nBuffers = r.u32()
  const nTables = r.u8()
  r.skip(3)
  const capabilities = r.u32()
  const actions = r.u32()
  // The central length check guarantees a whole number of 48-byte ports.
  const ports: Array<Port> = []
  while (r.pos < r.end) ports.push(decodePort10(r))
  return { _tag: "FeaturesReply", datapathId, nBuffers, nTables, auxiliaryId: 0, capabilities, reserved: 0, actions, ports }
}

const encodeReply10 = (w: Writer, m: FeaturesReply): undefined => {
  if (m.auxiliaryId !== 0) invalid(w, `auxiliaryId ${m.auxiliaryId}: OpenFlow 1.0 has no auxiliary connections`)
  if (m.reserved !== 0) invalid(w, `reserved 0x${m.reserved.toString(16)}: OpenFlow 1.0's FEATURES_REPLY has no such field`)
  w.u64(m.datapathId)
  w.u32(m.nBuffers)
  w.u8(m.nTables)
  w.zeros(3)
  w.u32(m.capabilities)
  w.u32(m.actions ?? 0)
  if (m.ports !== undefined) for (const port of m.ports) encodePort10(w, port)
  return undefined
}

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
    since: 1,
    until: 1,
    minBody: 24,
    element: 48,
    decode: decodeReply10,
    encode: encodeReply10
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
      if (m.actions !== undefined) invalid(w, "actions (the supported-actions bitmap) exists only in OpenFlow 1.0")
      if (m.ports !== undefined) invalid(w, "ports exist in FEATURES_REPLY only in OpenFlow 1.0; from 1.3 on they are in the PORT_DESC reply")
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
