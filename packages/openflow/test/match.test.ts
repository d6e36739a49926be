/**
 * OXM matches: the Ryu vectors' matches decode, re-encode byte for byte and agree with
 * Ryu's JSON; builders and accessors; validation in strict and loose mode with the exact
 * OFPBMC_* code for each rule; properties over generated matches.
 *
 * The matches are read straight out of the vectors' FLOW_MOD (body offset 40), PACKET_IN
 * (offset 16) and FLOW_REMOVED (offset 40) messages with the internal `decodeMatch`, so
 * this file tests the match codec on its own; the message tests cover the rest.
 */
import { describe, expect, it } from "@effect/vitest"
import { Match, type OpenFlowError } from "@switchyard/openflow"
import { Ipv4Address, Ipv6Address, MacAddress } from "@switchyard/packet"
import * as fs from "node:fs"
import { decodeMatch, decodeOxm, decodeOxmId, encodeMatch, encodeOxm, encodeOxmId } from "../src/internal/match.ts"
import { Reader } from "../src/internal/reader.ts"
import { Writer } from "../src/internal/writer.ts"
import { bytes, hex } from "./families.ts"
import { match as ryuMatch } from "./ryu/flow.ts"
import { normalize } from "./ryu/index.ts"
import { packets, parseJsonBigInt, vectorsDir, vectorsPresent } from "./vectors.ts"

const isError = (u: unknown): u is OpenFlowError.OpenFlowError =>
  typeof u === "object" && u !== null && (u as { _tag?: unknown })._tag === "OpenFlowError"

/** Decodes a match from `input` (version 4 unless given); returns the match or the error. */
const decode = (input: Uint8Array, strict: boolean, version: 4 | 5 | 6 = 4) => {
  const r = new Reader(input, 0, input.length, version)
  const m = decodeMatch(r, strict)
  return isError(m) ? m : { match: m, consumed: r.pos }
}

const encode = (m: Match.Match, strict: boolean, version: 4 | 5 | 6 = 4) => {
  const w = new Writer(version, 64)
  const error = encodeMatch(w, m, strict)
  return error ?? (w.invalid !== undefined ? new Error(w.invalid) : w.copy())
}

const codeOf = (u: unknown): string | undefined => (isError(u) ? u.code : undefined)

describe("Ryu vectors", () => {
  if (!vectorsPresent) {
    it("are absent: match vectors not checked", () => {
      console.warn(`Ryu vectors not found at ${vectorsDir}`)
      expect(vectorsPresent).toBe(false)
    })
    return
  }
  // Where the ofp_match starts in each message kind that has one.
  const offsets: Record<number, { readonly at: number; readonly key: string }> = {
    10: { at: 8 + 16, key: "OFPPacketIn" },
    11: { at: 8 + 40, key: "OFPFlowRemoved" },
    14: { at: 8 + 40, key: "OFPFlowMod" }
  }
  const withMatch = packets("of13").filter((v) => offsets[v.bytes[1]!] !== undefined)

  it("cover every FLOW_MOD, PACKET_IN and FLOW_REMOVED of OpenFlow 1.3 (25 + 2 + 2)", () => {
    expect(withMatch.length).toBe(29)
  })

  it.each(withMatch.map((v) => [v.name, v] as const))("%s: decodes loosely, re-encodes identically, agrees with Ryu", (_, v) => {
    const { at, key } = offsets[v.bytes[1]!]!
    const region = v.bytes.subarray(at)
    const decoded = decode(region, false)
    if (isError(decoded)) return expect.fail(decoded.toLine())
    const json = parseJsonBigInt(fs.readFileSync(v.jsonFile, "utf8")) as Record<string, Record<string, unknown>>
    expect(normalize(ryuMatch(decoded.match))).toEqual(normalize(json[key]!["match"]))
    const encoded = encode(decoded.match, false)
    expect(hex(encoded as Uint8Array)).toBe(hex(region.subarray(0, decoded.consumed)))
  })

  it.each(withMatch.filter((v) => v.bytes[1] === 14).map((v) => [v.name, v] as const))(
    "%s: the flow mod's match passes strict validation (except 4-60)",
    (name, v) => {
      const decoded = decode(v.bytes.subarray(48), true)
      if (name === "4-60-ofp_flow_mod.packet") {
        // Ryu's Erlang generator put one of every field into this match, under
        // eth_type=0x0806 (ARP): ip_dscp needs an IP eth_type (§7.2.3.8), so Open vSwitch
        // refuses the flow mod with OFPBMC_BAD_PREREQ, and so does strict decoding. The
        // same match decodes loosely above, as it must in a PACKET_IN (4-59 has it too).
        expect(codeOf(decoded)).toBe("OFPBMC_BAD_PREREQ")
        expect((decoded as OpenFlowError.OpenFlowError).message).toMatch(/ip_dscp requires eth_type=0x0800 or eth_type=0x86dd/)
      } else {
        expect(isError(decoded) ? decoded.toLine() : "ok").toBe("ok")
      }
    }
  )
})

describe("builders and accessors", () => {
  const mac = MacAddress.fromStringUnsafe("aa:bb:cc:dd:ee:ff")
  const net = Ipv4Address.fromStringUnsafe("10.1.0.0")

  it("make puts fields in canonical order, prerequisites first", () => {
    const m = Match.make({ tcpDst: 80, ipv4Dst: { value: net, mask: Ipv4Address.prefixMask(16) }, ipProto: 6, ethType: 0x0800, inPort: 1, ethDst: mac })
    expect(m.map((f) => f.field)).toEqual(["inPort", "ethDst", "ethType", "ipProto", "ipv4Dst", "tcpDst"])
    expect(Match.get(m, "tcpDst")).toBe(80)
    expect(Match.get(m, "ipv4Dst")).toBe(net)
    expect(Match.getField(m, "ipv4Dst")?.mask).toBe(0xffff0000)
    expect(Match.get(m, "udpDst")).toBeUndefined()
    expect(Match.validate(m)).toBeUndefined()
    expect(hex(encode(m, true) as Uint8Array)).toBe(
      "0001" + "0033" + "80000004" + "00000001" + "80000606" + "aabbccddeeff" + "80000a02" + "0800" + "80001401" + "06" +
        "80001908" + "0a010000" + "ffff0000" + "80001c02" + "0050" + "0000000000"
    )
  })

  it("vlanVid sets OFPVID_PRESENT; anyVlan matches any tagged packet", () => {
    expect(Match.vlanVid(10)).toBe(0x100a)
    const tagged = Match.make({ vlanVid: Match.vlanVid(10), vlanPcp: 5 })
    expect(Match.validate(tagged)).toBeUndefined()
    expect(hex(encode(tagged, true) as Uint8Array)).toBe("0001000f" + "80000c02100a" + "80000e0105" + "00")
    expect(Match.validate([Match.anyVlan, Match.field("vlanPcp", 1)])).toBeUndefined()
    // A VLAN id of 0x1000 or more does not fit: encoding says so instead of wrapping.
    expect(codeOf(encode(Match.make({ vlanVid: Match.vlanVid(4096) }), true))).toBe("OFPBMC_BAD_VALUE")
  })

  it("the empty match is 8 bytes: header and padding", () => {
    expect(hex(encode(Match.empty, true) as Uint8Array)).toBe("0001000400000000")
  })

  it("metadata, tunnel id and IPv6 fields are bigints", () => {
    const v6 = Ipv6Address.fromStringUnsafe("2001:db8:0:1::")
    const m = Match.make({
      metadata: { value: 0x8000_0000_0000_0001n, mask: 0xffff_0000_0000_ffffn },
      ethType: 0x86dd,
      ipv6Src: { value: v6, mask: Ipv6Address.prefixMask(64) },
      tunnelId: 0xffff_ffff_ffff_ffffn
    })
    const bytesOut = encode(m, true)
    if (!(bytesOut instanceof Uint8Array)) return expect.fail(String(bytesOut))
    const back = decode(bytesOut, true)
    if (isError(back)) return expect.fail(back.toLine())
    expect(back.match).toEqual(m)
    expect(Match.get(back.match, "ipv6Src")).toBe(v6)
  })

  it("sort puts a hand-built list in canonical order, opaque fields last", () => {
    const opaque: Match.OpaqueOxm = { field: "opaque", oxmClass: Match.NXM_1, oxmField: 0, hasMask: false, payload: Uint8Array.of(0, 0, 0, 1) }
    const sorted = Match.sort([Match.field("tcpSrc", 1), opaque, Match.field("ipProto", 6), Match.field("ethType", 0x0800)])
    expect(sorted.map((f) => f.field)).toEqual(["ethType", "ipProto", "tcpSrc", "opaque"])
  })

  it("oxmName and the field table", () => {
    expect(Match.oxmName("ipv6NdTarget")).toBe("ipv6_nd_target")
    expect(Match.fields.length).toBe(44)
    expect(new Set(Match.fields.map((f) => f.number)).size).toBe(44)
  })
})

/** Hostile or invalid matches, hex of the whole ofp_match (padding included). */
const hostile: ReadonlyArray<readonly [string, string, string, boolean?]> = [
  // [description, hex, expected code in strict mode, also in loose mode?]
  ["empty input", "", "OFPBMC_BAD_LEN", true],
  ["header cut after 2 bytes", "0001", "OFPBMC_BAD_LEN", true],
  ["length 3 below the 4-byte header", "0001 0003 00000000", "OFPBMC_BAD_LEN", true],
  ["type 0 (OFPMT_STANDARD)", "0000 0004 00000000", "OFPBMC_BAD_TYPE", true],
  ["type 2", "0002 0004 00000000", "OFPBMC_BAD_TYPE", true],
  ["length 12 but padding missing", "0001 000c 80000004 00000001", "OFPBMC_BAD_LEN", true],
  ["length larger than the message", "0001 0040 80000004 00000001", "OFPBMC_BAD_LEN", true],
  ["OXM header cut (2 bytes left)", "0001 0006 8000 0000", "OFPBMC_BAD_LEN", true],
  ["OXM payload past the match", "0001 000a 80000004 0000 000000000000", "OFPBMC_BAD_LEN", true],
  ["in_port with length 2", "0001 000a 80000002 0001 000000000000", "OFPBMC_BAD_LEN", true],
  ["in_port with length 0", "0001 0008 80000000", "OFPBMC_BAD_LEN", true],
  ["eth_dst masked with length 6", "0001 000e 80000706 aabbccddeeff 0000", "OFPBMC_BAD_LEN", true],
  ["unknown basic field 40", "0001 0009 80005001 01 00000000000000", "OFPBMC_BAD_FIELD"],
  ["OpenFlow 1.5 tcp_flags in 1.3", "0001 0015 80000a02 0800 80001401 06 80005402 0012 000000", "OFPBMC_BAD_FIELD"],
  ["unknown OXM class 0x0005", "0001 000c 00050004 00000001 00000000", "OFPBMC_BAD_FIELD"],
  ["experimenter OXM too short for its id", "0001 000a ffff0002 0000 000000000000", "OFPBMC_BAD_LEN", true],
  ["mask on in_port", "0001 0010 80000108 00000001 ffffffff", "OFPBMC_BAD_MASK", true],
  ["mask on eth_type", "0001 000c 80000b04 0800 ffff 00000000", "OFPBMC_BAD_MASK", true],
  ["vlan_vid 0x2000", "0001 000a 80000c02 2000 000000000000", "OFPBMC_BAD_VALUE", true],
  ["vlan_pcp 8", "0001 000f 80000c02 1001 80000e01 08 00", "OFPBMC_BAD_VALUE", true],
  ["ip_dscp 64", "0001 000f 80000a02 0800 80001001 40 00", "OFPBMC_BAD_VALUE", true],
  ["ip_ecn 4", "0001 000f 80000a02 0800 80001201 04 00", "OFPBMC_BAD_VALUE", true],
  ["ipv6_flabel 0x100000", "0001 0012 80000a02 86dd 80003804 00100000 000000 00 0000", "OFPBMC_BAD_VALUE", true],
  ["mpls_label 0x100000", "0001 0012 80000a02 8847 80004404 00100000 000000 00 0000", "OFPBMC_BAD_VALUE", true],
  ["mpls_tc 8", "0001 000f 80000a02 8847 80004601 08 00", "OFPBMC_BAD_VALUE", true],
  ["mpls_bos 2", "0001 000f 80000a02 8847 80004801 02 00", "OFPBMC_BAD_VALUE", true],
  ["ipv6_exthdr 0x200", "0001 0010 80000a02 86dd 80004e02 0200", "OFPBMC_BAD_VALUE", true],
  ["eth_dst value bits outside its mask", "0001 0014 8000070c ffffffffffff ffffffffff00 00000000", "OFPBMC_BAD_WILDCARDS", true],
  ["ipv4_src value bits outside its mask", "0001 0016 80000a02 0800 80001708 0a000001 ffffff00 0000", "OFPBMC_BAD_WILDCARDS", true],
  ["metadata value bits outside its mask", "0001 0018 80000510 0000000000000003 0000000000000001", "OFPBMC_BAD_WILDCARDS", true],
  ["in_port twice", "0001 0014 80000004 00000001 80000004 00000002 00000000", "OFPBMC_DUP_FIELD", true],
  ["eth_type twice", "0001 0010 80000a02 0800 80000a02 0800", "OFPBMC_DUP_FIELD", true],
  ["ipv4_src without eth_type", "0001 000c 80001604 0a000001 00000000", "OFPBMC_BAD_PREREQ"],
  ["ipv4_src with eth_type=0x86dd", "0001 0012 80000a02 86dd 80001604 0a000001 000000 00 0000", "OFPBMC_BAD_PREREQ"],
  ["ipv4_src before its eth_type", "0001 0012 80001604 0a000001 80000a02 0800 000000 00 0000", "OFPBMC_BAD_PREREQ"],
  ["ip_proto without eth_type", "0001 0009 80001401 06 00000000000000", "OFPBMC_BAD_PREREQ"],
  ["tcp_dst with eth_type but no ip_proto", "0001 0010 80000a02 0800 80001c02 0050", "OFPBMC_BAD_PREREQ"],
  ["udp_dst under ip_proto=6", "0001 0015 80000a02 0800 80001401 06 80002002 0035 000000", "OFPBMC_BAD_PREREQ"],
  ["ip_proto under eth_type=ARP", "0001 000f 80000a02 0806 80001401 06 00", "OFPBMC_BAD_PREREQ"],
  ["icmpv4_type under IPv6", "0001 0014 80000a02 86dd 80001401 01 80002601 08 00000000", "OFPBMC_BAD_PREREQ"],
  ["arp_op without eth_type", "0001 000a 80002a02 0001 000000000000", "OFPBMC_BAD_PREREQ"],
  ["vlan_pcp without vlan_vid", "0001 0009 80000e01 03 00000000000000", "OFPBMC_BAD_PREREQ"],
  ["vlan_pcp with vlan_vid=OFPVID_NONE", "0001 000f 80000c02 0000 80000e01 03 00", "OFPBMC_BAD_PREREQ"],
  ["in_phy_port without in_port", "0001 000c 80000204 00000001 00000000", "OFPBMC_BAD_PREREQ"],
  [
    "ipv6_nd_target under icmpv6_type=128",
    "0001 0028 80000a02 86dd 80001401 3a 80003a01 80 80003e10 fe800000000000000000000000000001",
    "OFPBMC_BAD_PREREQ"
  ],
  [
    "ipv6_nd_sll under icmpv6_type=136",
    "0001 001e 80000a02 86dd 80001401 3a 80003a01 88 80004006 aabbccddeeff 0000",
    "OFPBMC_BAD_PREREQ"
  ],
  ["mpls_label under IPv4", "0001 0012 80000a02 0800 80004404 00000001 000000 00 0000", "OFPBMC_BAD_PREREQ"],
  ["pbb_isid without eth_type=0x88e7", "0001 000b 80004a03 000001 0000000000", "OFPBMC_BAD_PREREQ"]
]

describe("hostile and invalid matches: the exact OFPBMC_* code", () => {
  it.each(hostile.map(([d, h, c, loose]) => [d, h, c, loose ?? false] as const))(
    "%s",
    (_, text, code, alsoLoose) => {
      const input = bytes(text)
      expect(codeOf(decode(input, true))).toBe(code)
      const loose = decode(input, false)
      if (alsoLoose) expect(codeOf(loose)).toBe(code)
      else expect(isError(loose) ? loose.toLine() : "ok", "loose mode accepts it").toBe("ok")
    }
  )

  it("loose mode keeps unknown basic fields and classes opaque, byte for byte", () => {
    const input = bytes("0001 0011 80005001 01 00050004 00000001 000000 00 0000 00")
    const decoded = decode(input.subarray(0, 24), false)
    if (isError(decoded)) return expect.fail(decoded.toLine())
    expect(decoded.match).toEqual([
      { field: "opaque", oxmClass: 0x8000, oxmField: 40, hasMask: false, payload: Uint8Array.of(1) },
      { field: "opaque", oxmClass: 5, oxmField: 0, hasMask: false, payload: Uint8Array.of(0, 0, 0, 1) }
    ])
    expect(hex(encode(decoded.match, false) as Uint8Array)).toBe(hex(input.subarray(0, 24)))
    // Strict encoding refuses what strict decoding refuses.
    expect(codeOf(encode(decoded.match, true))).toBe("OFPBMC_BAD_FIELD")
  })

  it("loose mode accepts fields of later versions as themselves (a switch's report is taken as sent)", () => {
    const decoded = decode(bytes("0001 0010 80000a02 0800 80005402 0012"), false)
    if (isError(decoded)) return expect.fail(decoded.toLine())
    expect(decoded.match[1]).toEqual({ field: "tcpFlags", value: 0x12, mask: undefined })
    expect(codeOf(encode(decoded.match, true))).toBe("OFPBMC_BAD_FIELD")
    expect(isError(encode(decoded.match, true, 6))).toBe(true) // tcp_flags needs ip_proto=6 in strict 1.5
    expect(isError(encode([Match.field("ethType", 0x0800), Match.field("ipProto", 6), Match.field("tcpFlags", 0x12)], true, 6))).toBe(false)
  })
})

describe("encoding validates as decoding does", () => {
  const cases: ReadonlyArray<readonly [string, Match.Match, string]> = [
    ["missing prerequisite", Match.make({ ipv4Dst: 1 }), "OFPBMC_BAD_PREREQ"],
    ["tcp without ip_proto", Match.make({ ethType: 0x0800, tcpDst: 80 }), "OFPBMC_BAD_PREREQ"],
    ["prerequisite after the field", [Match.field("tcpDst", 80), Match.field("ethType", 0x0800), Match.field("ipProto", 6)], "OFPBMC_BAD_PREREQ"],
    ["duplicate", [Match.field("inPort", 1), Match.field("inPort", 2)], "OFPBMC_DUP_FIELD"],
    ["mask on a non-maskable field", [{ field: "inPort", value: 1, mask: 1 } as unknown as Match.OxmField], "OFPBMC_BAD_MASK"],
    ["value outside the mask", Match.make({ ethDst: { value: 0xffff_ffff_ffff, mask: 0xffff_ffff_ff00 } }), "OFPBMC_BAD_WILDCARDS"],
    ["vlan_vid above 0x1fff", Match.make({ vlanVid: 0x2000 }), "OFPBMC_BAD_VALUE"],
    ["ip_dscp 64", Match.make({ ethType: 0x0800, ipDscp: 64 }), "OFPBMC_BAD_VALUE"],
    ["unknown field name", [{ field: "ethDest", value: 1, mask: undefined } as unknown as Match.OxmField], "OFPBMC_BAD_FIELD"],
    ["a 1.4 field in 1.3", Match.make({ ethType: 0x88e7, pbbUca: 1 }), "OFPBMC_BAD_FIELD"],
    [
      "an opaque OXM that is really a basic field",
      [{ field: "opaque", oxmClass: 0x8000, oxmField: 0, hasMask: false, payload: new Uint8Array(4) }],
      "OFPBMC_BAD_FIELD"
    ],
    ["an experimenter OXM without its id", [{ field: "opaque", oxmClass: 0xffff, oxmField: 0, hasMask: false, payload: new Uint8Array(2) }], "OFPBMC_BAD_LEN"]
  ]
  it.each(cases)("%s", (_, m, code) => {
    expect(codeOf(encode(m, true))).toBe(code)
    expect(Match.validate(m)?.code).toBe(code)
  })

  it("values of the wrong width or JavaScript type are EncodeErrors, not OpenFlow errors", () => {
    expect(encode(Match.make({ inPort: -1 }), true)).toBeInstanceOf(Error)
    expect(isError(encode(Match.make({ inPort: -1 }), true))).toBe(false)
    expect(encode([{ field: "metadata", value: 5, mask: undefined } as unknown as Match.OxmField], true)).toBeInstanceOf(Error)
    expect(encode([{ field: "ipv6Src", value: 1n << 128n, mask: undefined } as unknown as Match.OxmField], false)).toBeInstanceOf(Error)
  })

  it("a 1.4 field is fine in 1.4 with its prerequisite", () => {
    expect(isError(encode(Match.make({ ethType: 0x88e7, pbbUca: 1 }), true, 5))).toBe(false)
  })
})

describe("single OXM TLVs and OXM ids", () => {
  it("decodeOxm/encodeOxm round-trip one field and check it alone", () => {
    const w = new Writer(4)
    expect(encodeOxm(w, Match.field("ipv4Dst", 0xc0a80209))).toBeUndefined()
    expect(hex(w.copy())).toBe("80001804c0a80209")
    const r = new Reader(w.copy(), 0, 8, 4)
    expect(decodeOxm(r, 8)).toEqual({ field: "ipv4Dst", value: 0xc0a80209, mask: undefined })
    expect(r.pos).toBe(8)
    // Alone, a field has no prerequisite to meet; its own checks still apply.
    const vid = bytes("80000c02 2000")
    expect(codeOf(decodeOxm(new Reader(vid, 0, 6, 4), 6))).toBe("OFPBMC_BAD_VALUE")
    expect(codeOf(decodeOxm(new Reader(vid, 0, 5, 4), 5))).toBe("OFPBMC_BAD_LEN")
  })

  it("OXM ids keep their length as sent and experimenter ids", () => {
    const input = bytes("80000600 80000f00 ffff0005 4f4e4600 00010408")
    const r = new Reader(input, 0, input.length, 4)
    const ids: Array<Match.OxmId> = []
    while (r.pos < input.length) {
      const id = decodeOxmId(r, input.length)
      if (isError(id)) return expect.fail(id.toLine())
      ids.push(id)
    }
    expect(ids).toEqual([
      { field: "ethDst", hasMask: false, length: 0 },
      { field: "vlanPcp", hasMask: true, length: 0 },
      { field: "opaque", oxmClass: 0xffff, oxmField: 0, hasMask: false, length: 5, experimenter: 0x4f4e4600 },
      { field: "opaque", oxmClass: 1, oxmField: 2, hasMask: false, length: 8, experimenter: undefined }
    ])
    const w = new Writer(4)
    for (const id of ids) expect(encodeOxmId(w, id)).toBeUndefined()
    expect(hex(w.copy())).toBe(hex(input))
    expect(codeOf(decodeOxmId(new Reader(input, 8, 14, 4), 14))).toBe("OFPBMC_BAD_LEN")
  })
})

const runs = { arbitrary: { runs: 300, seed: 13 } }

describe("properties", () => {
  it.prop("generated matches are valid and round-trip strictly", [Match.Match], ([m]) => {
    expect(Match.validate(m)?.toLine()).toBeUndefined()
    const encoded = encode(m, true)
    if (!(encoded instanceof Uint8Array)) throw encoded
    expect(encoded.length % 8).toBe(0)
    const back = decode(encoded, true)
    if (isError(back)) throw back
    expect(back.consumed).toBe(encoded.length)
    expect(back.match).toEqual(m)
  }, runs)

  it.prop("reversed, a match with any prerequisite fails strictly but still round-trips loosely", [Match.Match], ([m]) => {
    const reversed = [...m].reverse()
    const needsPrerequisite = m.some((f) => f.field !== "opaque" && Match.fields.find((row) => row.name === f.field)!.prerequisite !== "none")
    const strict = encode(reversed, true)
    expect(codeOf(strict)).toBe(needsPrerequisite ? "OFPBMC_BAD_PREREQ" : undefined)
    const loose = encode(reversed, false)
    if (!(loose instanceof Uint8Array)) throw loose
    const back = decode(loose, false)
    if (isError(back)) throw back
    expect(back.match).toEqual(reversed)
  }, runs)

  it.prop("a repeated field is OFPBMC_DUP_FIELD in both modes", [Match.Match], ([m]) => {
    const basic = m.filter((f) => f.field !== "opaque")
    if (basic.length === 0) return
    const doubled = [...m, basic[0]!]
    expect(codeOf(encode(doubled, true))).toBe("OFPBMC_DUP_FIELD")
    expect(codeOf(encode(doubled, false))).toBe("OFPBMC_DUP_FIELD")
  }, runs)
})
