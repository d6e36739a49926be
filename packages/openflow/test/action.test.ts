/**
 * Actions: every OpenFlow 1.3 action kind encodes to the bytes the spec lays out (§7.2.5)
 * and decodes back; the action lists of Ryu's PACKET_OUT vectors agree with Ryu's JSON;
 * malformed actions fail with the exact OFPBAC_* code; generated lists round-trip.
 *
 * The flow mods' action lists (Nicira actions included) are checked with their
 * instructions in `instruction.test.ts`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Action, Match, type OpenFlowError, Port } from "@switchyard/openflow"
import { Ipv6Address, MacAddress } from "@switchyard/packet"
import { Schema } from "effect"
import * as fs from "node:fs"
import { decodeActions, encodeActions } from "../src/internal/action.ts"
import { Reader } from "../src/internal/reader.ts"
import { Writer } from "../src/internal/writer.ts"
import type { Version } from "../src/Version.ts"
import { bytes, hex } from "./families.ts"
import { action as ryuAction } from "./ryu/flow.ts"
import { normalize } from "./ryu/index.ts"
import { packets, parseJsonBigInt, vectorsPresent } from "./vectors.ts"
import { projectLists } from "./versions.ts"

const isError = (u: unknown): u is OpenFlowError.OpenFlowError =>
  typeof u === "object" && u !== null && (u as { _tag?: unknown })._tag === "OpenFlowError"

const decode = (input: Uint8Array, version: Version = 4) => decodeActions(new Reader(input, 0, input.length, version), input.length)

const encode = (actions: ReadonlyArray<Action.Action>, version: Version = 4) => {
  const w = new Writer(version, 64)
  const error = encodeActions(w, actions)
  return error ?? (w.invalid !== undefined ? new Error(w.invalid) : w.copy())
}

const codeOf = (u: unknown) => (isError(u) ? u.code : undefined)

const mac = MacAddress.fromStringUnsafe("aa:bb:cc:dd:ee:ff")
const v6 = Ipv6Address.fromStringUnsafe("2001:db8::1")

/** Each action kind and its bytes, as §7.2.5 lays them out. */
const layouts: ReadonlyArray<readonly [string, Action.Action, string]> = [
  ["output to a port (max_len 0)", Action.output(2), "0000 0010 00000002 0000 000000000000"],
  ["output to the controller (max_len OFPCML_NO_BUFFER)", Action.output(Port.CONTROLLER), "0000 0010 fffffffd ffff 000000000000"],
  ["output with an explicit max_len", Action.output(Port.CONTROLLER, 128), "0000 0010 fffffffd 0080 000000000000"],
  ["copy_ttl_out", Action.copyTtlOut, "000b 0008 00000000"],
  ["copy_ttl_in", Action.copyTtlIn, "000c 0008 00000000"],
  ["set_mpls_ttl", Action.setMplsTtl(10), "000f 0008 0a 000000"],
  ["dec_mpls_ttl", Action.decMplsTtl, "0010 0008 00000000"],
  ["push_vlan (802.1Q)", Action.pushVlan(), "0011 0008 8100 0000"],
  ["push_vlan (802.1ad)", Action.pushVlan(0x88a8), "0011 0008 88a8 0000"],
  ["pop_vlan", Action.popVlan, "0012 0008 00000000"],
  ["push_mpls", Action.pushMpls(), "0013 0008 8847 0000"],
  ["pop_mpls", Action.popMpls(0x0800), "0014 0008 0800 0000"],
  ["set_queue", Action.setQueue(3), "0015 0008 00000003"],
  ["group", Action.group(99), "0016 0008 00000063"],
  ["set_nw_ttl", Action.setNwTtl(64), "0017 0008 40 000000"],
  ["dec_nw_ttl", Action.decNwTtl, "0018 0008 00000000"],
  ["set_field ipv4_dst", Action.setField("ipv4Dst", 0xc0a80209), "0019 0010 80001804 c0a80209 00000000"],
  ["set_field eth_dst", Action.setField("ethDst", mac), "0019 0010 80000606 aabbccddeeff 0000"],
  ["set_field vlan_vid", Action.setField("vlanVid", Match.vlanVid(10)), "0019 0010 80000c02 100a 000000000000"],
  ["set_field ipv6_src (24 bytes)", Action.setField("ipv6Src", v6), "0019 0018 80003410 20010db8000000000000000000000001"],
  ["set_field tunnel_id", Action.setField("tunnelId", 0x1234n), "0019 0010 80004c08 0000000000001234"],
  [
    "set_field of a Nicira register (opaque NXM_1)",
    { _tag: "SetField", field: { field: "opaque", oxmClass: Match.NXM_1, oxmField: 0, hasMask: false, payload: Uint8Array.of(0, 0, 0, 5) } },
    "0019 0010 00010004 00000005 00000000"
  ],
  ["push_pbb", Action.pushPbb(), "001a 0008 88e7 0000"],
  ["pop_pbb", Action.popPbb, "001b 0008 00000000"],
  ["experimenter (Nicira resubmit, opaque)", Action.experimenter(0x2320, bytes("0001 fffe 00000000")), "ffff 0010 00002320 0001fffe00000000"],
  ["experimenter without data", Action.experimenter(101, new Uint8Array(0)), "ffff 0008 00000065"]
]

describe("every action kind", () => {
  it.each(layouts)("%s", (_, action, text) => {
    const encoded = encode([action])
    if (!(encoded instanceof Uint8Array)) return expect.fail(String(encoded))
    expect(hex(encoded)).toBe(hex(bytes(text)))
    expect(decode(encoded)).toEqual([action])
  })

  it("a list is the concatenation of its actions", () => {
    const list = [Action.popVlan, Action.setField("ipv4Dst", 0xc0a80209), Action.output(1)]
    const encoded = encode(list) as Uint8Array
    expect(encoded.length).toBe(8 + 16 + 16)
    expect(decode(encoded)).toEqual(list)
    expect(Action.outputs(list)).toEqual([1])
  })

  it("decoded experimenter data is a view into the message", () => {
    const input = bytes("ffff 0010 00002320 0001fffe00000000")
    const [a] = decode(input) as ReadonlyArray<Action.Action>
    expect(a?._tag === "ExperimenterAction" && a.data.buffer).toBe(input.buffer)
  })
})

describe("Ryu's PACKET_OUT action lists", () => {
  const outs = packets("of13").filter((v) => v.bytes[1] === 13)
  it("are both there", () => {
    if (vectorsPresent) expect(outs.map((v) => v.name)).toEqual(["4-1-ofp_packet_out.packet", "libofproto-OFP13-ofp_packet_out_packet_library.packet"])
  })
  it.each(outs.map((v) => [v.name, v] as const))("%s", (_, v) => {
    const actionsLen = (v.bytes[16]! << 8) | v.bytes[17]!
    const region = v.bytes.subarray(24, 24 + actionsLen)
    const actions = decode(region)
    if (isError(actions)) return expect.fail(actions.toLine())
    const json = parseJsonBigInt(fs.readFileSync(v.jsonFile, "utf8")) as { OFPPacketOut: { actions: unknown } }
    expect(normalize(actions.map(ryuAction))).toEqual(normalize(json.OFPPacketOut.actions))
    expect(hex(encode(actions) as Uint8Array)).toBe(hex(region))
  })
})

/** Malformed action lists (hex of the whole list) and the code Open vSwitch answers with. */
const hostile: ReadonlyArray<readonly [string, string, string, Version?]> = [
  ["4 bytes: too short for an action", "0000 0010", "OFPBAC_BAD_LEN"],
  ["length 0 (must not loop)", "0000 0000 00000000", "OFPBAC_BAD_LEN"],
  ["length 4", "0012 0004 00000000", "OFPBAC_BAD_LEN"],
  ["length 12, not a multiple of 8", "0012 000c 00000000 00000000 00000000", "OFPBAC_BAD_LEN"],
  ["length 24 past the 16-byte list", "0000 0018 00000002 0000 000000000000", "OFPBAC_BAD_LEN"],
  ["output with length 8", "0000 0008 00000002", "OFPBAC_BAD_LEN"],
  ["pop_vlan with length 16", "0012 0010 00000000 00000000", "OFPBAC_BAD_LEN"],
  ["a good action then 4 stray bytes", "0012 0008 00000000 0000 0000", "OFPBAC_BAD_LEN"],
  ["type 1 (OpenFlow 1.1 set_vlan_vid)", "0001 0008 00010000", "OFPBAC_BAD_TYPE"],
  ["type 28 (OpenFlow 1.5 copy_field)", "001c 0008 00000000", "OFPBAC_BAD_TYPE"],
  ["type 0xfffe", "fffe 0008 00000000", "OFPBAC_BAD_TYPE"],
  ["output to port 0xffffff10 (unassigned)", "0000 0010 ffffff10 0000 000000000000", "OFPBAC_BAD_OUT_PORT"],
  ["output to OFPP_ANY", "0000 0010 ffffffff 0000 000000000000", "OFPBAC_BAD_OUT_PORT"],
  ["push_vlan with EtherType 0x0800", "0011 0008 0800 0000", "OFPBAC_BAD_ARGUMENT"],
  ["push_mpls with EtherType 0x8100", "0013 0008 8100 0000", "OFPBAC_BAD_ARGUMENT"],
  ["set_field whose OXM runs past the action", "0019 0008 80001804", "OFPBAC_BAD_SET_LEN"],
  ["set_field with an OXM header cut", "0019 0008 8000 0000", "OFPBAC_BAD_SET_LEN"],
  ["set_field ipv4_dst with OXM length 2", "0019 0010 80001802 c0a8 000000000000", "OFPBAC_BAD_SET_LEN"],
  ["set_field 8 bytes longer than its OXM", "0019 0018 80001804 c0a80209 00000000 0000000000000000", "OFPBAC_BAD_SET_LEN"],
  ["set_field of unknown basic field 40", "0019 0010 80005004 00000001 00000000", "OFPBAC_BAD_SET_TYPE"],
  ["set_field of unknown class 0x0005", "0019 0010 00050004 00000001 00000000", "OFPBAC_BAD_SET_TYPE"],
  ["set_field in_port", "0019 0010 80000004 00000001 00000000", "OFPBAC_BAD_SET_ARGUMENT"],
  ["set_field eth_type", "0019 0010 80000a02 0800 000000000000", "OFPBAC_BAD_SET_ARGUMENT"],
  ["set_field ip_proto", "0019 0010 80001401 06 00000000000000", "OFPBAC_BAD_SET_ARGUMENT"],
  ["set_field with a mask before OpenFlow 1.5", "0019 0010 80001908 0a000000 ff000000", "OFPBAC_BAD_SET_ARGUMENT"],
  ["set_field vlan_vid 0x2000", "0019 0010 80000c02 2000 000000000000", "OFPBAC_BAD_SET_ARGUMENT"],
  ["set_field vlan_vid without OFPVID_PRESENT in OpenFlow 1.5", "0019 0010 80000c02 000a 000000000000", "OFPBAC_BAD_SET_ARGUMENT", 6]
]

describe("hostile action lists: the exact OFPBAC_* code", () => {
  it.each(hostile.map(([d, h, c, v]) => [d, h, c, v ?? 4] as const))("%s", (_, text, code, version) => {
    expect(codeOf(decode(bytes(text), version as Version))).toBe(code)
  })

  it("a list longer than what is left of the message is OFPBAC_BAD_LEN", () => {
    const input = bytes("0012 0008 00000000")
    expect(codeOf(decodeActions(new Reader(input, 0, input.length, 4), 16))).toBe("OFPBAC_BAD_LEN")
  })

  it("set_field vlan_vid without OFPVID_PRESENT is fine in OpenFlow 1.3 (Ryu's 4-2 vector has one)", () => {
    expect(decode(bytes("0019 0010 80000c02 0102 000000000000"))).toEqual([Action.setField("vlanVid", 0x102)])
  })
})

describe("encoding refuses what a switch refuses", () => {
  const cases: ReadonlyArray<readonly [string, Action.Action, string, Version?]> = [
    ["output to an unassigned reserved port", Action.output(0xffff_ff10), "OFPBAC_BAD_OUT_PORT"],
    ["output to OFPP_ANY", Action.output(Port.ANY), "OFPBAC_BAD_OUT_PORT"],
    ["push_vlan 0x1234", { _tag: "PushVlan", ethertype: 0x1234 as 0x8100 }, "OFPBAC_BAD_ARGUMENT"],
    ["push_mpls 0x0800", { _tag: "PushMpls", ethertype: 0x0800 as 0x8847 }, "OFPBAC_BAD_ARGUMENT"],
    ["set_field in_port", Action.setField("inPort", 1), "OFPBAC_BAD_SET_ARGUMENT"],
    ["set_field mpls_bos", Action.setField("mplsBos", 1), "OFPBAC_BAD_SET_ARGUMENT"],
    ["masked set_field in 1.3", { _tag: "SetField", field: Match.field("ipv4Src", 0x0a000000, 0xff000000) }, "OFPBAC_BAD_SET_ARGUMENT"],
    ["set_field vlan_vid 0x2000", Action.setField("vlanVid", 0x2000), "OFPBAC_BAD_SET_ARGUMENT"],
    ["set_field of an unknown field", { _tag: "SetField", field: { field: "ethDest", value: 1 } as unknown as Match.OxmField }, "OFPBAC_BAD_SET_TYPE"],
    ["set_field of a 1.5 field in 1.3", Action.setField("tcpFlags", 2), "OFPBAC_BAD_SET_TYPE"],
    ["experimenter data of 3 bytes", Action.experimenter(0x2320, Uint8Array.of(1, 2, 3)), "OFPBAC_BAD_LEN"],
    ["unknown action kind", { _tag: "SetVlanVid" } as unknown as Action.Action, "OFPBAC_BAD_TYPE"],
    ["push_pbb before OpenFlow 1.3", Action.pushPbb(), "OFPBAC_BAD_TYPE", 3],
    ["set_field vlan_vid without OFPVID_PRESENT in 1.5", Action.setField("vlanVid", 10), "OFPBAC_BAD_SET_ARGUMENT", 6]
  ]
  it.each(cases.map(([d, a, c, v]) => [d, a, c, v ?? 4] as const))("%s", (_, action, code, version) => {
    expect(codeOf(encode([action], version as Version))).toBe(code)
  })

  it("a masked set_field is fine in OpenFlow 1.5", () => {
    const sf: Action.Action = { _tag: "SetField", field: Match.field("ipv4Src", 0x0a000000, 0xff000000) }
    const encoded = encode([sf], 6)
    if (!(encoded instanceof Uint8Array)) return expect.fail(String(encoded))
    expect(hex(encoded)).toBe("00190010" + "80001708" + "0a000000ff000000")
    expect(decode(encoded, 6)).toEqual([sf])
  })

  it("values that do not fit their field are EncodeErrors", () => {
    expect(encode([Action.setQueue(-1)])).toBeInstanceOf(Error)
    expect(encode([Action.setNwTtl(256)])).toBeInstanceOf(Error)
  })
})

describe("OpenFlow 1.5 actions: meter and copy-field", () => {
  const copy: Action.Action = {
    _tag: "CopyField",
    nBits: 32,
    srcOffset: 1,
    dstOffset: 2,
    src: { field: "ethSrc", hasMask: false, length: 6 },
    dst: { field: "opaque", oxmClass: 0xffff, oxmField: 1, hasMask: false, length: 8, experimenter: 0x2320 }
  }

  it("encode as the spec lays them out and round-trip", () => {
    expect(hex(encode([{ _tag: "MeterAction", meterId: 7 }], 6) as Uint8Array)).toBe("001d000800000007")
    // n_bits, offsets, 2 bytes of padding, the two ids (the experimenter one 8 bytes): 24 bytes.
    expect(hex(encode([copy], 6) as Uint8Array)).toBe("001c0018" + "002000010002" + "0000" + "80000806" + "ffff0208" + "00002320")
    // Two 4-byte ids: 20 bytes, padded to 24.
    const basic = { ...copy, dst: { field: "ethDst", hasMask: false, length: 6 } } as Action.Action
    expect(hex(encode([basic], 6) as Uint8Array)).toBe("001c0018" + "002000010002" + "0000" + "80000806" + "80000606" + "00000000")
    const both = encode([copy, basic, { _tag: "MeterAction", meterId: 7 }], 6) as Uint8Array
    expect(decode(both, 6)).toEqual([copy, basic, { _tag: "MeterAction", meterId: 7 }])
  })

  it("do not exist before 1.5", () => {
    expect(codeOf(encode([{ _tag: "MeterAction", meterId: 7 }], 5))).toBe("OFPBAC_BAD_TYPE")
    expect(codeOf(decode(bytes("001d000800000007"), 4))).toBe("OFPBAC_BAD_TYPE")
  })

  it.each([
    ["a meter action of length 16", "001d0010 00000007 0000000000000000", "OFPBAC_BAD_LEN"],
    ["a copy-field action of length 16", "001c0010 002000010002 0000 80000806", "OFPBAC_BAD_LEN"],
    ["a copy-field action longer than its ids and padding", "001c0020 002000010002 0000 80000806 80000606 0000000000000000", "OFPBAC_BAD_LEN"]
  ])("%s is %s", (_name, input, code) => {
    expect(codeOf(decode(bytes(input), 6))).toBe(code)
  })
})

describe("properties", () => {
  it.prop("generated action lists round-trip (in 1.3, without 1.5's meter and copy-field)", [Schema.Array(Action.Action)], ([generated]) => {
    const actions = projectLists(generated, 4)
    const encoded = encode(actions)
    if (!(encoded instanceof Uint8Array)) throw encoded
    expect(decode(encoded)).toEqual(actions)
  }, { arbitrary: { runs: 300, seed: 7 } })

  it.prop("generated action lists round-trip in 1.5", [Schema.Array(Action.Action)], ([actions]) => {
    const encoded = encode(actions, 6)
    if (!(encoded instanceof Uint8Array)) throw encoded
    expect(decode(encoded, 6)).toEqual(actions)
  }, { arbitrary: { runs: 300, seed: 8 } })
})
