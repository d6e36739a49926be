/**
 * The PORT_DESC multipart request and reply. The 1.3 reply vector is checked against
 * Ryu in `conformance.test.ts`; Ryu has no 1.3 request vector, but the 1.4 request is
 * also empty and is checked here.
 */
import { describe, expect, it } from "@effect/vitest"
import { Message, PortDesc } from "@switchyard/openflow"
import { agreesWithRyu, decodeError, encodeOk, hex, multipart, roundTrip, vector } from "./families.ts"
import { vectorsPresent } from "./vectors.ts"

describe("PortDesc", () => {
  it("of14/5-51-ofp_port_desc_request.packet (empty, as in 1.3) agrees with Ryu", () => {
    const m = agreesWithRyu("of14", "5-51-ofp_port_desc_request.packet")
    if (m !== undefined) expect(m).toEqual(PortDesc.request)
    expect(hex(encodeOk(PortDesc.request))).toBe(hex(multipart(4, false, 13, "")))
  })

  it("decodes Ryu's 1.3 reply into two ports", () => {
    const v = vector("of13", "4-54-ofp_port_desc_reply.packet")
    if (!vectorsPresent || v === undefined) return
    const m = roundTrip(v.bytes) as PortDesc.PortDescReply
    expect(m.ports.map((p) => [p.portNo, p.name])).toEqual([[7, "Port7"], [6, "Port6"]])
  })

  it("the reply is OpenFlow 1.3 only (1.4 ports carry properties)", () => {
    expect(Message.isEncodable("PortDescReply", 4)).toBe(true)
    expect(Message.isEncodable("PortDescReply", 5)).toBe(false)
  })

  it.each([
    ["a reply of 63 bytes", multipart(4, true, 13, "00".repeat(63))],
    ["a reply of 65 bytes", multipart(4, true, 13, "00".repeat(65))],
    ["a request with a body", multipart(4, false, 13, "00000000")]
  ])("%s is OFPBRC_BAD_LEN", (_name, input) => {
    decodeError(input, "OFPBRC_BAD_LEN")
  })
})
