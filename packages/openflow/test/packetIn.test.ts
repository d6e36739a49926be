/**
 * OFPT_PACKET_IN: Ryu's OpenFlow 1.3 vectors decode, re-encode byte for byte and agree
 * with Ryu's JSON (4-59 carries a match that breaks prerequisites: a switch's report is
 * decoded loosely); `inPort`; `data` is a view; the fake-switch builder; the exact error
 * for each malformed part; generated packet-ins round-trip.
 */
import { describe, expect, it } from "@effect/vitest"
import { Match, Message, PacketIn } from "@switchyard/openflow"
import { Result } from "effect"
import { agreesWithRyu, bytes, decodeError, decodeOk, encodeOk, hex, message, roundTrip } from "./families.ts"
import { packets, vectorsDir, vectorsPresent } from "./vectors.ts"

describe("Ryu's OpenFlow 1.3 PACKET_IN vectors", () => {
  it("are both there", () => {
    if (!vectorsPresent) return console.warn(`Ryu vectors not found at ${vectorsDir}`)
    expect(packets("of13").filter((v) => v.bytes[1] === 10).map((v) => v.name)).toEqual([
      "4-59-ofp_packet_in.packet",
      "libofproto-OFP13-packet_in.packet"
    ])
  })

  it("libofproto-OFP13-packet_in: buffered, with tunnel metadata (Nicira NXM_1 fields kept opaque)", () => {
    const m = agreesWithRyu("of13", "libofproto-OFP13-packet_in.packet") as PacketIn.PacketIn | undefined
    if (m === undefined) return
    expect(PacketIn.inPort(m)).toBe(43981)
    expect(PacketIn.isBuffered(m)).toBe(true)
    expect(m.bufferId).toBe(200)
    expect(m.totalLen).toBe(1000)
    expect(new TextDecoder().decode(m.data)).toBe("hoge")
    expect(m.match.filter((f) => f.field === "opaque").length).toBe(2)
  })

  it("4-59: every OXM field, prerequisites or not, with a 64-bit cookie", () => {
    const m = agreesWithRyu("of13", "4-59-ofp_packet_in.packet") as PacketIn.PacketIn | undefined
    if (m === undefined) return
    expect(m.match.length).toBe(42)
    expect(m.cookie).toBe(283686884868096n)
    expect(Match.validate(m.match, { strict: false })).toBeUndefined()
    expect(Match.validate(m.match)?.code).toBe("OFPBMC_BAD_PREREQ")
  })

  it("also decode as OpenFlow 1.4, whose PACKET_IN has the same layout", () => {
    for (const v of packets("of14").filter((p) => p.bytes[1] === 10)) expect(roundTrip(v.bytes)._tag).toBe("PacketIn")
  })
})

/** A typical Open vSwitch packet-in: unbuffered, table miss, match with in_port only. */
const ovsPacketIn = (port: number, frame: Uint8Array): Uint8Array =>
  message(
    4,
    10,
    "ffffffff" + frame.length.toString(16).padStart(4, "0") + "00" + "00" + "0000000000000000" +
      "0001000c80000004" + port.toString(16).padStart(8, "0") + "00000000" + "0000" + hex(frame)
  )

describe("the hot path's typical message", () => {
  const frame = Uint8Array.from({ length: 64 }, (_, i) => i)
  const input = ovsPacketIn(7, frame)

  it("decodes to the fields, with data as a view into the input", () => {
    const m = decodeOk(input).message as PacketIn.PacketIn
    expect(m).toEqual({
      _tag: "PacketIn",
      bufferId: PacketIn.NO_BUFFER,
      totalLen: 64,
      reason: PacketIn.Reason.NO_MATCH,
      tableId: 0,
      cookie: 0n,
      match: [{ field: "inPort", value: 7, mask: undefined }],
      data: frame
    })
    expect(PacketIn.inPort(m)).toBe(7)
    expect(PacketIn.isBuffered(m)).toBe(false)
    expect(m.data.buffer).toBe(input.buffer)
    expect(m.data.byteOffset).toBe(input.length - 64)
  })

  it("the fake-switch builder makes exactly that message", () => {
    const m = PacketIn.make({ inPort: 7, data: frame, cookie: 0n })
    expect(hex(encodeOk(m))).toBe(hex(input))
  })

  it("inPort is undefined when the switch sent no in_port", () => {
    const m = decodeOk(message(4, 10, "ffffffff 0000 00 00 0000000000000000 0001000400000000 0000")).message as PacketIn.PacketIn
    expect(PacketIn.inPort(m)).toBeUndefined()
    expect(m.data.length).toBe(0)
  })
})

describe("hostile packet-ins: the exact error", () => {
  const fixedPart = "ffffffff 0040 00 00 0000000000000000"
  const cases: ReadonlyArray<readonly [string, string, string]> = [
    ["body shorter than the 16-byte fixed part", "ffffffff 0040 00 00 00000000", "OFPBRC_BAD_LEN"],
    ["no match", fixedPart, "OFPBMC_BAD_LEN"],
    ["match longer than the message", fixedPart + "0001 0040 80000004 00000001", "OFPBMC_BAD_LEN"],
    ["match ends the message: the 2 padding bytes are missing", fixedPart + "0001000c 80000004 00000001 00000000", "OFPBRC_BAD_LEN"],
    ["one padding byte only", fixedPart + "0001000c 80000004 00000001 00000000 00", "OFPBRC_BAD_LEN"],
    ["match type 0", fixedPart + "0000000c 80000004 00000001 00000000 0000", "OFPBMC_BAD_TYPE"],
    ["in_port with a mask", fixedPart + "00010010 80000108 00000001 ffffffff 0000", "OFPBMC_BAD_MASK"],
    ["in_port twice", fixedPart + "00010014 80000004 00000001 80000004 00000002 00000000 0000", "OFPBMC_DUP_FIELD"],
    ["OXM of length 0 that would not advance", fixedPart + "00010008 80000000 0000", "OFPBMC_BAD_LEN"]
  ]
  it.each(cases)("%s", (_, body, code) => {
    decodeError(message(4, 10, body), code)
  })

  it("a match that breaks prerequisites is accepted (loose), and so are unknown fields", () => {
    const m = decodeOk(message(4, 10, "ffffffff 0000 00 00 0000000000000000 00010011 80001604 0a000001 80005001 01 00000000000000 0000"))
      .message as PacketIn.PacketIn
    expect(m.match).toEqual([
      { field: "ipv4Src", value: 0x0a000001, mask: undefined },
      { field: "opaque", oxmClass: 0x8000, oxmField: 40, hasMask: false, payload: Uint8Array.of(1) }
    ])
  })

  it("never throws on any truncation of a real packet-in", () => {
    const input = ovsPacketIn(1, bytes("aabbccddeeff"))
    for (let n = 8; n < 34; n++) {
      const cut = Uint8Array.from(input.subarray(0, n))
      cut[3] = n
      expect(Result.isFailure(Message.decode(cut)), `prefix of ${n} bytes`).toBe(true)
    }
  })
})

describe("properties", () => {
  it.prop("generated packet-ins round-trip", [PacketIn.PacketIn], ([m]) => {
    expect(roundTrip(encodeOk(m))).toEqual(m)
  }, { arbitrary: { runs: 200, seed: 10 } })
})
