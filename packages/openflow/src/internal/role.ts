/**
 * Wire codec for OFPT_ROLE_REQUEST/REPLY (OpenFlow 1.3 §7.3.9): role, 4 bytes of padding,
 * generation_id. The layout is the same from OpenFlow 1.2 to 1.4; 1.5 put a `short_id` in
 * the padding, so these rows stop at 1.4.
 */
import type { RoleReply, RoleRequest } from "../Role.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const encode = (w: Writer, m: RoleRequest | RoleReply): undefined => {
  w.u32(m.role)
  w.zeros(4)
  w.u64(m.generationId)
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
  })
]
