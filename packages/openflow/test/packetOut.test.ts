/**
 * OFPT_PACKET_OUT: Ryu's OpenFlow 1.3 vectors decode, re-encode byte for byte and agree
 * with Ryu's JSON; `reply` uses the switch's buffer when there is one and the packet
 * otherwise; the exact error for each malformed part; the OpenFlow 1.5 layout (in_port
 * in a match); generated packet-outs round-trip.
 */
import { describe, expect, it } from "@effect/vitest"
import { Action, PacketIn, PacketOut, Port } from "@switchyard/openflow"
import { Ipv4Address, MacAddress } from "@switchyard/packet"
import { agreesWithRyu, decodeError, decodeOk, encodeFailure, encodeOk, hex, message, roundTrip, ryuJson, vector } from "./families.ts"
import { toRyu } from "./ryu/index.ts"
import { normalize } from "./ryu/index.ts"
import { vectorsDir, vectorsPresent } from "./vectors.ts"
import { project } from "./versions.ts"

describe("Ryu's OpenFlow 1.3 PACKET_OUT vectors", () => {
  it("4-1: flood a frame from the controller", () => {
    if (!vectorsPresent) return console.warn(`Ryu vectors not found at ${vectorsDir}`)
    const m = agreesWithRyu("of13", "4-1-ofp_packet_out.packet") as PacketOut.PacketOut
    expect(m.inPort).toBe(Port.CONTROLLER)
    expect(m.actions).toEqual([Action.output(Port.ALL, 0xffff)])
  })

  it("libofproto packet_library: all fields agree; the frame agrees with Ryu's decoded packet", () => {
    // Ryu's JSON for this vector holds the frame as a decoded `Packet` (it is the input
    // of Ryu's serializer test, PACKET_OUT being encode-only there), so the frame is
    // compared field by field with its Ethernet, IPv4 and ICMP echo headers, read here
    // at their fixed offsets.
    const v = vector("of13", "libofproto-OFP13-ofp_packet_out_packet_library.packet")
    if (v === undefined) return
    const m = roundTrip(v.bytes) as PacketOut.PacketOut
    const expected = ryuJson(v) as { OFPPacketOut: Record<string, unknown> & { data: { Packet: { protocols: ReadonlyArray<Record<string, any>> } } } }
    const ours = toRyu(m, 4) as unknown as { OFPPacketOut: Record<string, unknown> }
    const { data: _ours, ...oursRest } = ours.OFPPacketOut
    const { data: theirs, ...theirsRest } = expected.OFPPacketOut
    expect(normalize(oursRest)).toEqual(normalize(theirsRest))

    const f = m.data
    const u16 = (at: number) => (f[at]! << 8) | f[at + 1]!
    const [eth, ip, icmp] = theirs.Packet.protocols.map((p) => Object.values(p)[0]) as [any, any, any]
    expect({ dst: MacAddress.format(MacAddress.read(f, 0)), src: MacAddress.format(MacAddress.read(f, 6)), ethertype: u16(12) }).toEqual(eth)
    expect({
      version: f[14]! >> 4,
      header_length: f[14]! & 15,
      tos: f[15],
      total_length: u16(16),
      identification: u16(18),
      flags: f[20]! >> 5,
      offset: u16(20) & 0x1fff,
      ttl: f[22],
      proto: f[23],
      csum: u16(24),
      src: Ipv4Address.format(Ipv4Address.read(f, 26)),
      dst: Ipv4Address.format(Ipv4Address.read(f, 30)),
      option: null
    }).toEqual(ip)
    expect({
      type: f[34],
      code: f[35],
      csum: u16(36),
      data: { echo: { id: u16(38), seq: u16(40), data: Buffer.from(f.subarray(42)).toString("base64") } }
    }).toEqual(icmp)
  })
})

describe("reply to a packet-in", () => {
  const frame = Uint8Array.from({ length: 60 }, (_, i) => i)

  it("unbuffered: carries the packet, from the packet-in's port", () => {
    const pin = PacketIn.make({ inPort: 3, data: frame })
    const out = PacketOut.reply(pin, [Action.output(Port.FLOOD)])
    expect(out).toEqual({ _tag: "PacketOut", bufferId: PacketOut.NO_BUFFER, inPort: 3, actions: [Action.output(Port.FLOOD)], data: frame })
    expect(hex(encodeOk(out))).toBe(
      "040d" + "0064" + "00000000" + "ffffffff" + "00000003" + "0010" + "000000000000" +
        "0000" + "0010" + "fffffffb" + "0000" + "000000000000" + hex(frame)
    )
  })

  it("buffered: names the buffer and carries no data", () => {
    const pin = PacketIn.make({ inPort: 3, data: frame.subarray(0, 32), bufferId: 77, totalLen: 60 })
    const out = PacketOut.reply(pin, [Action.output(1)])
    expect(out.bufferId).toBe(77)
    expect(out.data.length).toBe(0)
    expect(hex(encodeOk(out))).toBe("040d0028" + "00000000" + "0000004d" + "00000003" + "0010" + "000000000000" + "0000001000000001" + "0000000000000000")
  })

  it("without an in_port in the packet-in, from CONTROLLER", () => {
    const pin: PacketIn.PacketIn = { ...PacketIn.make({ inPort: 1, data: frame }), match: [] }
    expect(PacketOut.reply(pin, []).inPort).toBe(Port.CONTROLLER)
  })

  it("make defaults to an unbuffered packet from the controller", () => {
    const out = PacketOut.make({ actions: [Action.output(2)], data: frame })
    expect(roundTrip(encodeOk(out))).toEqual(out)
    expect(PacketOut.make({ actions: [] }).data.length).toBe(0)
  })
})

describe("hostile packet-outs: the exact error", () => {
  const cases: ReadonlyArray<readonly [string, string, string]> = [
    ["body shorter than the 16-byte fixed part", "ffffffff fffffffd 0000 0000", "OFPBRC_BAD_LEN"],
    ["actions_len past the message", "ffffffff fffffffd 0010 000000000000 0012000800000000", "OFPBRC_BAD_LEN"],
    ["actions_len not a multiple of 8", "ffffffff fffffffd 000c 000000000000 0012000800000000 00000000", "OFPBRC_BAD_LEN"],
    ["in_port FLOOD", "ffffffff fffffffb 0000 000000000000", "OFPBRC_BAD_PORT"],
    ["in_port 0xffffff10", "ffffffff ffffff10 0000 000000000000", "OFPBRC_BAD_PORT"],
    ["an action of length 0 inside", "ffffffff fffffffd 0008 000000000000 0012000000000000", "OFPBAC_BAD_LEN"],
    ["an unknown action inside", "ffffffff fffffffd 0008 000000000000 0001000800000000", "OFPBAC_BAD_TYPE"],
    ["output to OFPP_ANY", "ffffffff fffffffd 0010 000000000000 0000 0010 ffffffff 0000 000000000000", "OFPBAC_BAD_OUT_PORT"]
  ]
  it.each(cases)("%s", (_, body, code) => {
    decodeError(message(4, 13, body), code)
  })

  it("LOCAL, CONTROLLER, ANY and port numbers are valid input ports", () => {
    for (const port of [1, Port.MAX, Port.LOCAL, Port.CONTROLLER, Port.ANY]) {
      const m = decodeOk(message(4, 13, `ffffffff ${port.toString(16).padStart(8, "0")} 0000 000000000000`)).message
      expect((m as PacketOut.PacketOut).inPort).toBe(port)
    }
  })

  it("encoding refuses an input port a switch refuses", () => {
    expect(encodeFailure(PacketOut.make({ actions: [], inPort: Port.FLOOD })).code).toBe("OFPBRC_BAD_PORT")
  })
})

describe("OpenFlow 1.5: a match carries in_port and the pipeline fields", () => {
  const frame = Uint8Array.of(0xde, 0xad)
  const out = PacketOut.make({ actions: [Action.output(2)], inPort: 1, data: frame })

  it("buffer_id, actions_len, pad, the match with in_port first, actions, data", () => {
    const bytes = message(6, 13, "ffffffff 0010 0000 | 0001 000c 80000004 00000001 00000000 | 0000 0010 00000002 0000 000000000000 | dead")
    expect(hex(encodeOk(out, 6))).toBe(hex(bytes))
    expect(roundTrip(bytes)).toEqual(out)
  })

  it("the other match fields are kept in `match`; 1.3 and 1.4 cannot carry them", () => {
    const m = { ...out, match: [{ field: "metadata" as const, value: 5n, mask: undefined }] }
    const bytes = encodeOk(m, 6)
    expect(roundTrip(bytes)).toEqual(m)
    expect(encodeFailure(m, 5).tag).toBe("EncodeError")
    // The same packet-out without extra fields is the same value in every version.
    expect(roundTrip(encodeOk(out, 5))).toEqual(out)
  })

  it.each([
    ["a match without in_port", "ffffffff 0000 0000 | 0001 0004 00000000", "OFPBRC_BAD_PORT"],
    ["in_port FLOOD", "ffffffff 0000 0000 | 0001 000c 80000004 fffffffb 00000000", "OFPBRC_BAD_PORT"],
    ["actions_len past the message", "ffffffff 0010 0000 | 0001 000c 80000004 00000001 00000000", "OFPBRC_BAD_LEN"],
    ["a match length past the message", "ffffffff 0000 0000 | 0001 0040 80000004 00000001 00000000", "OFPBMC_BAD_LEN"]
  ])("%s is %s", (_name, body, code) => {
    decodeError(message(6, 13, body), code)
  })
})

describe("properties", () => {
  it.prop("generated packet-outs round-trip (in 1.3, without the 1.5 match)", [PacketOut.PacketOut], ([m]) => {
    const v = project(m, 4)
    expect(roundTrip(encodeOk(v))).toEqual(v)
  }, { arbitrary: { runs: 200, seed: 12 } })
})
