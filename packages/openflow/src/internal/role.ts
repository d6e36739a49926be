/**
 * Wire codec for OFPT_ROLE_REQUEST/REPLY (OpenFlow 1.3 §7.3.9): role, 4 bytes of padding,
 * generation_id. The layout is the same from OpenFlow 1.2 to 1.4; 1.5 put a `short_id` in
 * the first two bytes of the padding, which has rows of its own. OFPT_ROLE_STATUS
 * (OpenFlow 1.4 §7.4.4): role, reason, 3 bytes of padding, generation_id, properties.
 */
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import type { RoleProperty, RoleReply, RoleRequest, RoleStatus } from "../Role.ts"
import { decodeExperimenter, decodeProperties, decodeUnknown, encodeExperimenter, encodeUnknown, EXPERIMENTER, needsVersion } from "./property.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const encode = (w: Writer, m: RoleRequest | RoleReply): undefined => {
  if (m.shortId !== undefined && m.shortId !== 0) needsVersion(w, `role short id ${m.shortId}`, 6)
  w.u32(m.role)
  w.zeros(4)
  w.u64(m.generationId)
  return undefined
}

const encode15 = (w: Writer, m: RoleRequest | RoleReply): undefined => {
  w.u32(m.role)
  w.u16(m.shortId ?? 0)
  w.zeros(2)
  w.u64(m.generationId)
  return undefined
}

/** Reads the 1.5 layout; `shortId` 0 (`OFPCID_UNDEFINED`) is left out, as earlier versions read. */
const decode15 = <T extends "RoleRequest" | "RoleReply">(tag: T) => (r: Reader): Extract<RoleRequest | RoleReply, { _tag: T }> => {
  const role = r.u32()
  const shortId = r.u16()
  r.skip(2)
  const generationId = r.u64()
  return (shortId === 0 ? { _tag: tag, role, generationId } : { _tag: tag, role, generationId, shortId }) as Extract<
    RoleRequest | RoleReply,
    { _tag: T }
  >
}

const roleProperty = (r: Reader, type: number, length: number): RoleProperty | OpenFlowError =>
  type === EXPERIMENTER ? decodeExperimenter(r, length, "ROLE_STATUS") : decodeUnknown(r, type, length)

const decodeStatus = (r: Reader): RoleStatus | OpenFlowError => {
  const role = r.u32()
  const reason = r.u8()
  r.skip(3)
  const generationId = r.u64()
  const properties = decodeProperties(r, r.end, "ROLE_STATUS", roleProperty)
  return OFE.isOpenFlowError(properties) ? properties : { _tag: "RoleStatus", role, reason, generationId, properties }
}

const encodeStatus = (w: Writer, m: RoleStatus): undefined => {
  w.u32(m.role)
  w.u8(m.reason)
  w.zeros(3)
  w.u64(m.generationId)
  for (const p of m.properties) {
    if (p._tag === "ExperimenterProperty") encodeExperimenter(w, p, "ROLE_STATUS")
    else encodeUnknown(w, p, "ROLE_STATUS")
  }
  return undefined
}

export const rows = [
  row<RoleRequest>({
    tag: "RoleRequest",
    type: 24,
    since: 3,
    until: 5,
    minBody: 16,
    element: 0,
    decode: (r: Reader) => {
      const role = r.u32()
      r.skip(4)
      return { _tag: "RoleRequest", role, generationId: r.u64() }
    },
    encode
  }),
  row<RoleReply>({
    tag: "RoleReply",
    type: 25,
    since: 3,
    until: 5,
    minBody: 16,
    element: 0,
    decode: (r: Reader) => {
      const role = r.u32()
      r.skip(4)
      return { _tag: "RoleReply", role, generationId: r.u64() }
    },
    encode
  }),
  row<RoleRequest>({ tag: "RoleRequest", type: 24, since: 6, minBody: 16, element: 0, decode: decode15("RoleRequest"), encode: encode15 }),
  row<RoleReply>({ tag: "RoleReply", type: 25, since: 6, minBody: 16, element: 0, decode: decode15("RoleReply"), encode: encode15 }),
  row<RoleStatus>({ tag: "RoleStatus", type: 30, since: 5, minBody: 16, element: 8, decode: decodeStatus, encode: encodeStatus })
]
