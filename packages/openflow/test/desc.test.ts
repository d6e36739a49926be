/**
 * The DESC multipart request and reply (the body is the same from OpenFlow 1.1 to 1.5).
 * The 1.2, 1.4 and 1.5 vectors are checked against Ryu here, the 1.3 ones in
 * `conformance.test.ts`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Desc } from "@switchyard/openflow"
import { agreesWithRyu, decodeError, encodeFailure, encodeOk, hex, multipart, roundTrip } from "./families.ts"

const text = (s: string, width: number) => Buffer.from(s).toString("hex").padEnd(width * 2, "0")

describe("Desc", () => {
  it.each([
    ["of12", "3-24-ofp_desc_stats_request.packet"],
    ["of12", "3-0-ofp_desc_stats_reply.packet"],
    ["of14", "5-24-ofp_desc_request.packet"],
    ["of14", "5-0-ofp_desc_reply.packet"],
    ["of15", "libofproto-OFP15-desc_request.packet"],
    ["of15", "libofproto-OFP15-desc_reply.packet"]
  ])("%s/%s agrees with Ryu", (folder, name) => {
    const m = agreesWithRyu(folder, name)
    if (m?._tag === "DescReply") expect(m.dpDesc).toBe("dp")
  })

  it("encodes the five text fields at their widths (256, 256, 256, 32, 256)", () => {
    const reply: Desc.DescReply = { _tag: "DescReply", flags: 0, mfrDesc: "Nicira, Inc.", hwDesc: "Open vSwitch", swDesc: "3.3.0", serialNum: "None", dpDesc: "s1" }
    const expected = multipart(4, true, 0, text("Nicira, Inc.", 256) + text("Open vSwitch", 256) + text("3.3.0", 256) + text("None", 32) + text("s1", 256))
    expect(hex(encodeOk(reply))).toBe(hex(expected))
    expect(roundTrip(expected)).toEqual(reply)
    expect(hex(encodeOk(Desc.request))).toBe(hex(multipart(4, false, 0, "")))
  })

  it("a serial number over 32 bytes is an EncodeError, not a truncation", () => {
    const f = encodeFailure({ _tag: "DescReply", flags: 0, mfrDesc: "", hwDesc: "", swDesc: "", serialNum: "x".repeat(33), dpDesc: "" })
    expect(f.tag).toBe("EncodeError")
  })

  it.each([
    ["a reply one byte short", multipart(4, true, 0, "00".repeat(1055))],
    ["a reply one byte long", multipart(4, true, 0, "00".repeat(1057))],
    ["a request with a body", multipart(4, false, 0, "00000000")]
  ])("%s is OFPBRC_BAD_LEN", (_name, input) => {
    decodeError(input, "OFPBRC_BAD_LEN")
  })
})
