/**
 * The PORT_DESC multipart request and reply. The 1.3 reply vector is checked against
 * Ryu in `conformance.test.ts`; Ryu has no 1.3 request vector, but the 1.4 request is
 * also empty and is checked here.
 */
import { describe, expect, it } from "@effect/vitest"
import { PortDesc } from "@switchyard/openflow"
import { agreesWithRyu, decodeError, encodeFailure, encodeOk, hex, multipart, roundTrip, vector } from "./families.ts"
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

  it.each([
    ["of14", "5-52-ofp_port_desc_reply.packet"],
    ["of15", "libofproto-OFP15-port_desc_reply.packet"]
  ])("the 1.4+ reply %s/%s agrees with Ryu: Ethernet in the fixed fields, the rest in properties", (folder, name) => {
    const m = agreesWithRyu(folder, name) as PortDesc.PortDescReply | undefined
    if (m === undefined) return
    expect(m.ports.map((p) => [p.portNo, p.curr, p.currSpeed, p.properties?.map((q) => q._tag)])).toEqual([
      [7, 10248, 5000, ["PortDescPropOptical", "ExperimenterProperty", "ExperimenterProperty", "ExperimenterProperty"]],
      [6, 10248, 5000, undefined]
    ])
  })

  it("a 1.4 port with only its Ethernet property reads as the 1.3 port and encodes with one property", () => {
    const port = { portNo: 1, hwAddr: 0x0200_0000_0001, name: "eth1", config: 0, state: 4, curr: 0x828, advertised: 0, supported: 0, peer: 0, currSpeed: 10_000_000, maxSpeed: 10_000_000 }
    const reply: PortDesc.PortDescReply = { _tag: "PortDescReply", flags: 0, ports: [port] }
    const bytes = encodeOk(reply, 5)
    expect(bytes.length).toBe(16 + 40 + 32)
    expect(roundTrip(bytes)).toEqual(reply)
    // The same value in 1.3: only the layout differs.
    expect(roundTrip(encodeOk(reply, 4))).toEqual(reply)
    // Properties need 1.4.
    const optical: PortDesc.PortDescReply = { ...reply, ports: [{ ...port, properties: [{ _tag: "ExperimenterProperty", experimenter: 1, expType: 2, data: new Uint8Array(0) }] }] }
    expect(encodeFailure(optical, 4).text).toMatch(/port 1 properties needs OpenFlow 1.4/)
    expect(roundTrip(encodeOk(optical, 5))).toEqual(optical)
  })

  it("the 1.5 request names a port (ANY, every port, is left out)", () => {
    const m = agreesWithRyu("of15", "libofproto-OFP15-port_desc_request.packet") as PortDesc.PortDescRequest | undefined
    if (m !== undefined) expect(m).toEqual({ _tag: "PortDescRequest", flags: 0, portNo: 48346 })
    expect(hex(encodeOk(PortDesc.request, 6))).toBe(hex(multipart(6, false, 13, "ffffffff 00000000")))
    expect(roundTrip(encodeOk(PortDesc.request, 6))).toEqual(PortDesc.request)
    expect(encodeFailure({ ...PortDesc.request, portNo: 3 }, 5).text).toMatch(/needs OpenFlow 1.5/)
  })

  it.each([
    ["a port of length 0", multipart(5, true, 13, "00000001 0000 0000" + "00".repeat(32)), "OFPBRC_BAD_LEN"],
    ["a port longer than the reply", multipart(5, true, 13, "00000001 0030 0000" + "00".repeat(32)), "OFPBRC_BAD_LEN"],
    ["a reply with 8 bytes left over", multipart(5, true, 13, "00000001 0028 0000" + "00".repeat(32) + "00".repeat(8)), "OFPBRC_BAD_LEN"],
    [
      "an Ethernet property of length 28",
      multipart(5, true, 13, "00000001 0048 0000" + "00".repeat(32) + "0000 001c" + "00".repeat(28)),
      "OFPBPC_BAD_LEN"
    ],
    [
      "two Ethernet properties",
      multipart(5, true, 13, "00000001 0068 0000" + "00".repeat(32) + ("0000 0020" + "00".repeat(28)).repeat(2)),
      "OFPBPC_DUP_TYPE"
    ],
    ["a property of length 0", multipart(5, true, 13, "00000001 0030 0000" + "00".repeat(32) + "0001 0000 00000000"), "OFPBPC_BAD_LEN"]
  ])("1.4: %s is %s", (_name, input, code) => {
    decodeError(input, code)
  })

  it.each([
    ["a reply of 63 bytes", multipart(4, true, 13, "00".repeat(63))],
    ["a reply of 65 bytes", multipart(4, true, 13, "00".repeat(65))],
    ["a request with a body", multipart(4, false, 13, "00000000")]
  ])("%s is OFPBRC_BAD_LEN", (_name, input) => {
    decodeError(input, "OFPBRC_BAD_LEN")
  })
})
