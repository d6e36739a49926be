/**
 * ROLE_REQUEST/REPLY (OpenFlow 1.2-1.4 layout; 1.5 put a short id in the padding). The
 * 1.2 and 1.4 vectors are checked against Ryu here, the 1.3 ones in `conformance.test.ts`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Role } from "@switchyard/openflow"
import { agreesWithRyu, decodeError, encodeFailure, encodeOk, hex, message, roundTrip } from "./families.ts"

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

  it("OpenFlow 1.5 puts the short id in the first two bytes of the padding; 0 is left out", () => {
    const m = { ...Role.request(Role.Role.MASTER, 7n), shortId: 0xaaaa }
    expect(hex(encodeOk(m, 6))).toBe(hex(message(6, 24, "00000002 aaaa 0000 0000000000000007")))
    expect(roundTrip(encodeOk(m, 6))).toEqual(m)
    expect(roundTrip(encodeOk(Role.request(Role.Role.SLAVE, 7n), 6))).toEqual(Role.request(Role.Role.SLAVE, 7n))
    // Earlier versions have no short id: a non-zero one is an EncodeError, never dropped.
    expect(encodeFailure(m, 5).text).toMatch(/short id 43690 needs OpenFlow 1.5/)
  })

  it.each([
    ["of14", "5-65-ofp_role_status.packet"],
    ["of15", "libofproto-OFP15-role_status.packet"]
  ])("ROLE_STATUS %s/%s agrees with Ryu", (folder, name) => {
    const m = agreesWithRyu(folder, name) as Role.RoleStatus | undefined
    if (m !== undefined) expect(m._tag).toBe("RoleStatus")
  })

  it.each([
    ["ROLE_STATUS short", message(5, 30, "00000002 00 000000 00000000000007"), "OFPBRC_BAD_LEN"],
    ["ROLE_STATUS with a property of length 2", message(5, 30, "00000002 00 000000 0000000000000007 ffff 0002 00000000"), "OFPBPC_BAD_LEN"],
    ["ROLE_STATUS in OpenFlow 1.3", message(4, 30, "00000002 00 000000 0000000000000007"), "OFPBRC_BAD_TYPE"]
  ])("%s is %s", (_name, input, code) => {
    decodeError(input, code)
  })

  it.each([
    ["ROLE_REQUEST short", message(4, 24, "00000002 00000000 f0000000000000")],
    ["ROLE_REPLY long", message(4, 25, "00000002 00000000 f000000000000001 00")]
  ])("%s is OFPBRC_BAD_LEN", (_name, input) => {
    decodeError(input, "OFPBRC_BAD_LEN")
  })
})
