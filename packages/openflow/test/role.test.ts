/**
 * ROLE_REQUEST/REPLY (OpenFlow 1.2-1.4 layout; 1.5 put a short id in the padding). The
 * 1.2 and 1.4 vectors are checked against Ryu here, the 1.3 ones in `conformance.test.ts`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Message, Role } from "@switchyard/openflow"
import { agreesWithRyu, decodeError, encodeOk, hex, message } from "./families.ts"

describe("Role", () => {
  it.each([
    ["of12", "3-19-ofp_role_request.packet"],
    ["of12", "3-20-ofp_role_reply.packet"],
    ["of14", "5-19-ofp_role_request.packet"],
    ["of14", "5-20-ofp_role_reply.packet"]
  ])("%s/%s agrees with Ryu", (folder, name) => {
    const m = agreesWithRyu(folder, name)
    // The vectors' generation id is above 2^53: it must survive as a bigint.
    if (m !== undefined) expect((m as Role.RoleRequest).generationId).toBe(17294086455919964160n)
  })

  it("request() encodes role and generation id", () => {
    expect(hex(encodeOk(Role.request(Role.Role.MASTER, 0xf000_0000_0000_0001n)))).toBe(
      hex(message(4, 24, "00000002 00000000 f000000000000001"))
    )
    expect(Role.request(Role.Role.NOCHANGE).generationId).toBe(0n)
  })

  it("isStale compares generation ids as the spec's wrapping 64-bit counter", () => {
    expect(Role.isStale(5n, 6n)).toBe(true)
    expect(Role.isStale(6n, 6n)).toBe(false)
    expect(Role.isStale(7n, 6n)).toBe(false)
    // 1 comes after 0xffff...ff once the counter wraps.
    expect(Role.isStale(1n, 0xffff_ffff_ffff_ffffn)).toBe(false)
    expect(Role.isStale(0xffff_ffff_ffff_ffffn, 1n)).toBe(true)
  })

  it("is not encoded for OpenFlow 1.5, whose layout differs", () => {
    expect(Message.isEncodable("RoleRequest", 5)).toBe(true)
    expect(Message.isEncodable("RoleRequest", 6)).toBe(false)
  })

  it.each([
    ["ROLE_REQUEST short", message(4, 24, "00000002 00000000 f0000000000000")],
    ["ROLE_REPLY long", message(4, 25, "00000002 00000000 f000000000000001 00")]
  ])("%s is OFPBRC_BAD_LEN", (_name, input) => {
    decodeError(input, "OFPBRC_BAD_LEN")
  })
})
