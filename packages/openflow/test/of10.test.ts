/**
 * OpenFlow 1.0 (wire version 1): the same version-free values as OpenFlow 1.3, encoded
 * to and decoded from 1.0's layouts. Ryu's thirteen 1.0 vectors are checked by the
 * conformance test; this file covers what they do not: the fixed `ofp_match` and its
 * conversion to OXM (what maps, what is refused and with which error), 1.0's action list,
 * every 1.0 message family built by hand from the 1.0.0 spec's layouts, the errors for
 * hostile 1.0 input, and the OpenFlow 1.0 error numbering of the replies.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  Action,
  Desc,
  Features,
  FlowMod,
  FlowStats,
  Match,
  Message,
  OpenFlowError,
  PacketIn,
  PacketOut,
  Port,
  PortMod,
  PortStats,
  QueueConfig,
  QueueStats,
  TableStats,
  Version
} from "@switchyard/openflow"
import { Ipv4Address, MacAddress } from "@switchyard/packet"
import { Result } from "effect"
import { decodeError, decodeOk, encodeFailure, encodeOk, hex, message, roundTrip } from "./families.ts"

const OF10 = Version.OF10

/** The 1.0 slots of `ofp_match`, all 0 unless given (the spec's layout, written independently of the codec). */
interface Slots {
  readonly wildcards: number
  readonly inPort?: number
  readonly dlSrc?: string
  readonly dlDst?: string
  readonly dlVlan?: number
  readonly dlVlanPcp?: number
  readonly dlType?: number
  readonly nwTos?: number
  readonly nwProto?: number
  readonly nwSrc?: string
  readonly nwDst?: string
  readonly tpSrc?: number
  readonly tpDst?: number
}

const u16 = (v: number) => v.toString(16).padStart(4, "0")
const u32 = (v: number) => (v >>> 0).toString(16).padStart(8, "0")
const macHex = (s = "00:00:00:00:00:00") => s.replace(/:/g, "")
const ipHex = (s = "0.0.0.0") => s.split(".").map((x) => Number(x).toString(16).padStart(2, "0")).join("")

/** Hex of a 40-byte 1.0 `ofp_match`. */
const match10 = (s: Slots): string =>
  u32(s.wildcards) + u16(s.inPort ?? 0) + macHex(s.dlSrc) + macHex(s.dlDst) + u16(s.dlVlan ?? 0) +
  (s.dlVlanPcp ?? 0).toString(16).padStart(2, "0") + "00" + u16(s.dlType ?? 0) + (s.nwTos ?? 0).toString(16).padStart(2, "0") +
  (s.nwProto ?? 0).toString(16).padStart(2, "0") + "0000" + ipHex(s.nwSrc) + ipHex(s.nwDst) + u16(s.tpSrc ?? 0) + u16(s.tpDst ?? 0)

// OFPFW_* of OpenFlow 1.0.0 §5.2.3.
const W = {
  IN_PORT: 1,
  DL_VLAN: 2,
  DL_SRC: 4,
  DL_DST: 8,
  DL_TYPE: 16,
  NW_PROTO: 32,
  TP_SRC: 64,
  TP_DST: 128,
  NW_SRC_ALL: 32 << 8,
  NW_DST_ALL: 32 << 14,
  DL_VLAN_PCP: 1 << 20,
  NW_TOS: 1 << 21
}
/** Everything wildcarded, addresses with the count 32, as the codec writes it. */
const ALL = W.IN_PORT | W.DL_VLAN | W.DL_SRC | W.DL_DST | W.DL_TYPE | W.NW_PROTO | W.TP_SRC | W.TP_DST | W.NW_SRC_ALL |
  W.NW_DST_ALL | W.DL_VLAN_PCP | W.NW_TOS
const exact = (...bits: ReadonlyArray<number>) => bits.reduce((w, b) => w & ~b, ALL)
const nwBits = (src: number, dst: number, base = ALL) =>
  ((base & ~(0x3f << 8) & ~(0x3f << 14)) | (src << 8) | (dst << 14)) >>> 0

/** A 1.0 FLOW_MOD (ADD, priority 0x8000, no buffer, out_port NONE) with `match` hex and `actions` hex. */
const flowMod10 = (matchHex: string, actions = "", tail = { command: 0, flags: 0, idle: 0, hard: 0 }): Uint8Array =>
  message(OF10, 14, matchHex + "0000000000000000" + u16(tail.command) + u16(tail.idle) + u16(tail.hard) + "8000" + "ffffffff" + "ffff" + u16(tail.flags) + actions)

const mac = MacAddress.fromStringUnsafe
const ip = Ipv4Address.fromStringUnsafe
const f = Match.field

const flowModOf = (m: Message.Message): FlowMod.FlowMod => {
  expect(m._tag).toBe("FlowMod")
  return m as FlowMod.FlowMod
}

/** Decodes a 1.0 FLOW_MOD with the given match hex and returns its match. */
const decodedMatch = (matchHex: string): Match.Match => flowModOf(decodeOk(flowMod10(matchHex)).message).match

/** The 40 match bytes a 1.0 FLOW_MOD with `match` encodes to. */
const encodedMatch = (match: Match.Match): string => hex(encodeOk(FlowMod.add({ match }), OF10)).slice(16, 16 + 80)

describe("ofp_match: 1.0 slots to OXM fields", () => {
  const cases: ReadonlyArray<readonly [string, Slots, Match.Match]> = [
    ["everything wildcarded: the empty match", { wildcards: ALL }, []],
    ["OFPFW_ALL with count 63 is also the empty match", { wildcards: (1 << 22) - 1 }, []],
    [
      "in_port, MACs and EtherType",
      { wildcards: exact(W.IN_PORT, W.DL_SRC, W.DL_DST, W.DL_TYPE), inPort: 3, dlSrc: "00:00:00:00:00:01", dlDst: "ff:ff:ff:ff:ff:ff", dlType: 0x0806 },
      [f("inPort", 3), f("ethDst", mac("ff:ff:ff:ff:ff:ff")), f("ethSrc", mac("00:00:00:00:00:01")), f("ethType", 0x0806)]
    ],
    ["a 1.0 reserved in_port is folded into the 32-bit space", { wildcards: exact(W.IN_PORT), inPort: 0xfffe }, [f("inPort", Port.LOCAL)]],
    [
      "IPv4 with prefixes, DSCP and TCP ports",
      {
        wildcards: nwBits(8, 0, exact(W.DL_TYPE, W.NW_PROTO, W.NW_TOS, W.TP_SRC, W.TP_DST)),
        dlType: 0x0800,
        nwTos: 46 << 2,
        nwProto: 6,
        nwSrc: "10.1.2.0",
        nwDst: "192.168.1.1",
        tpSrc: 1234,
        tpDst: 80
      },
      [
        f("ethType", 0x0800),
        f("ipDscp", 46),
        f("ipProto", 6),
        f("ipv4Src", ip("10.1.2.0"), Ipv4Address.prefixMask(24)),
        f("ipv4Dst", ip("192.168.1.1")),
        f("tcpSrc", 1234),
        f("tcpDst", 80)
      ]
    ],
    [
      "UDP ports",
      { wildcards: exact(W.DL_TYPE, W.NW_PROTO, W.TP_DST), dlType: 0x0800, nwProto: 17, tpDst: 53 },
      [f("ethType", 0x0800), f("ipProto", 17), f("udpDst", 53)]
    ],
    [
      "ICMP type and code travel in tp_src/tp_dst",
      { wildcards: exact(W.DL_TYPE, W.NW_PROTO, W.TP_SRC, W.TP_DST), dlType: 0x0800, nwProto: 1, tpSrc: 8, tpDst: 0 },
      [f("ethType", 0x0800), f("ipProto", 1), f("icmpv4Type", 8), f("icmpv4Code", 0)]
    ],
    [
      "ARP: nw_proto is the opcode, nw_src/nw_dst the protocol addresses",
      { wildcards: nwBits(0, 0, exact(W.DL_TYPE, W.NW_PROTO)), dlType: 0x0806, nwProto: 1, nwSrc: "10.0.0.1", nwDst: "10.0.0.2" },
      [f("ethType", 0x0806), f("arpOp", 1), f("arpSpa", ip("10.0.0.1")), f("arpTpa", ip("10.0.0.2"))]
    ],
    ["dl_vlan OFP_VLAN_NONE: untagged packets", { wildcards: exact(W.DL_VLAN), dlVlan: 0xffff }, [f("vlanVid", Match.VID_NONE)]],
    [
      "a VLAN id and priority",
      { wildcards: exact(W.DL_VLAN, W.DL_VLAN_PCP), dlVlan: 10, dlVlanPcp: 5 },
      [f("vlanVid", Match.vlanVid(10)), f("vlanPcp", 5)]
    ],
    [
      "a priority alone matches tagged packets of any id",
      { wildcards: exact(W.DL_VLAN_PCP), dlVlanPcp: 3 },
      [Match.anyVlan, f("vlanPcp", 3)]
    ]
  ]

  it.each(cases)("%s", (_name, slots, expected) => {
    expect(decodedMatch(match10(slots))).toEqual(expected)
  })

  it.each(cases.filter(([name]) => !name.startsWith("OFPFW_ALL")))("%s, and back to the same 40 bytes", (_name, slots, expected) => {
    expect(encodedMatch(expected)).toBe(match10(slots))
  })

  // §5.2.3: "Protocol-specific fields within ofp_match will be ignored ... when the
  // corresponding protocol is not specified in the match." The decoded match says what
  // the switch matches, so these slots are not in it.
  const ignored: ReadonlyArray<readonly [string, Slots, Match.Match]> = [
    [
      "nw_* and tp_* without dl_type",
      { wildcards: nwBits(0, 0, exact(W.NW_PROTO, W.NW_TOS, W.TP_SRC)), nwProto: 6, nwTos: 4, nwSrc: "1.2.3.4", tpSrc: 22 },
      []
    ],
    [
      "nw_* for IPv6, which 1.0 cannot match",
      { wildcards: nwBits(0, 32, exact(W.DL_TYPE, W.NW_PROTO)), dlType: 0x86dd, nwProto: 6, nwSrc: "1.2.3.4" },
      [f("ethType", 0x86dd)]
    ],
    [
      "tp_* without nw_proto",
      { wildcards: exact(W.DL_TYPE, W.TP_SRC, W.TP_DST), dlType: 0x0800, tpSrc: 1, tpDst: 2 },
      [f("ethType", 0x0800)]
    ],
    [
      "tp_* of a protocol without ports (GRE)",
      { wildcards: exact(W.DL_TYPE, W.NW_PROTO, W.TP_SRC), dlType: 0x0800, nwProto: 47, tpSrc: 1 },
      [f("ethType", 0x0800), f("ipProto", 47)]
    ],
    [
      "nw_tos and tp_* of an ARP match",
      { wildcards: exact(W.DL_TYPE, W.NW_TOS, W.TP_SRC), dlType: 0x0806, nwTos: 8, tpSrc: 9 },
      [f("ethType", 0x0806)]
    ],
    [
      "the ECN bits of nw_tos, host bits under the wildcard count, values of wildcarded slots",
      { wildcards: nwBits(16, 32, exact(W.DL_TYPE, W.NW_TOS)), dlType: 0x0800, nwTos: (10 << 2) | 3, nwSrc: "10.9.8.7", inPort: 77, tpSrc: 5 },
      [f("ethType", 0x0800), f("ipDscp", 10), f("ipv4Src", ip("10.9.0.0"), Ipv4Address.prefixMask(16))]
    ],
    [
      "a priority next to OFP_VLAN_NONE (Open vSwitch reads the pair as untagged)",
      { wildcards: exact(W.DL_VLAN, W.DL_VLAN_PCP), dlVlan: 0xffff, dlVlanPcp: 7 },
      [f("vlanVid", Match.VID_NONE)]
    ]
  ]

  it.each(ignored)("ignored by a 1.0 switch, so not in the match: %s", (_name, slots, expected) => {
    expect(decodedMatch(match10(slots))).toEqual(expected)
  })

  it("decoding a 1.0 match never fails: 200 random structures give matches that re-encode to themselves", () => {
    let seed = 12345
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0)
    for (let i = 0; i < 200; i++) {
      const bytes = new Uint8Array(40)
      for (let k = 0; k < 40; k++) bytes[k] = next() >>> 24
      // Half of them get a real EtherType so the IPv4 and ARP paths run.
      if (i % 2 === 0) {
        bytes[0] = 0
        bytes[3] &= ~W.DL_TYPE
        bytes[22] = 8
        bytes[23] = i % 4 === 0 ? 0 : 6
      }
      const m = decodedMatch(hex(bytes))
      expect(Match.validate(m)).toBeUndefined()
      expect(decodedMatch(encodedMatch(m))).toEqual(m)
    }
  })
})

describe("ofp_match: OXM matches 1.0 cannot express are refused", () => {
  const refused: ReadonlyArray<readonly [string, Match.Match, string]> = [
    ["an IPv6 field", [f("ethType", 0x86dd), f("ipv6Src", 1n)], "OFPBMC_BAD_FIELD"],
    ["metadata", [f("metadata", 1n)], "OFPBMC_BAD_FIELD"],
    ["a tunnel id", [f("tunnelId", 7n)], "OFPBMC_BAD_FIELD"],
    ["an ARP hardware address", [f("ethType", 0x0806), f("arpSha", 1)], "OFPBMC_BAD_FIELD"],
    ["the ECN bits", [f("ethType", 0x0800), f("ipEcn", 1)], "OFPBMC_BAD_FIELD"],
    ["SCTP ports (1.0 has none)", [f("ethType", 0x0800), f("ipProto", 132), f("sctpDst", 9)], "OFPBMC_BAD_FIELD"],
    ["an MPLS label", [f("ethType", 0x8847), f("mplsLabel", 5)], "OFPBMC_BAD_FIELD"],
    [
      "a Nicira register",
      [{ field: "opaque", oxmClass: Match.NXM_1, oxmField: 0, hasMask: false, payload: new Uint8Array(4) }],
      "OFPBMC_BAD_FIELD"
    ],
    ["ip_proto under IPv6 (1.0 reads nw_proto only for IPv4)", [f("ethType", 0x86dd), f("ipProto", 6)], "OFPBMC_BAD_FIELD"],
    ["ARP fields under RARP", [f("ethType", 0x8035), f("arpOp", 1)], "OFPBMC_BAD_FIELD"],
    ["a masked MAC address", [f("ethDst", mac("01:00:00:00:00:00"), mac("01:00:00:00:00:00"))], "OFPBMC_BAD_DL_ADDR_MASK"],
    ["a non-prefix IPv4 mask", [f("ethType", 0x0800), f("ipv4Dst", ip("10.0.0.1"), ip("255.0.0.255"))], "OFPBMC_BAD_NW_ADDR_MASK"],
    ["a masked transport port", [f("ethType", 0x0800), f("ipProto", 6), f("tcpDst", 0x100, 0xff00)], "OFPBMC_BAD_MASK"],
    ["every tagged packet without a priority", [Match.anyVlan], "OFPBMC_BAD_WILDCARDS"],
    ["a partial VLAN id mask", [f("vlanVid", 0x1100, 0x1f00)], "OFPBMC_BAD_MASK"],
    ["a VLAN id without OFPVID_PRESENT", [f("vlanVid", 10)], "OFPBMC_BAD_VALUE"],
    ["an ARP opcode above 255", [f("ethType", 0x0806), f("arpOp", 0x100)], "OFPBMC_BAD_VALUE"],
    ["an in_port 1.0 cannot number", [f("inPort", 0x1_0000)], "OFPBMC_BAD_VALUE"],
    ["ipv4_src without eth_type (the 1.3 prerequisite check, in a flow mod)", [f("ipv4Src", 1)], "OFPBMC_BAD_PREREQ"],
    ["a repeated field", [f("inPort", 1), f("inPort", 2)], "OFPBMC_DUP_FIELD"]
  ]

  it.each(refused)("%s", (_name, match, code) => {
    const failure = encodeFailure(FlowMod.add({ match }), OF10)
    expect(failure.tag).toBe("OpenFlowError")
    expect(failure.code).toBe(code)
  })

  it("a 1.0 switch gets OFPBRC_EPERM for a match error, which 1.0 has no type for", () => {
    // OFPET_BAD_MATCH begins with 1.1: the error falls back as OpenFlowError.toWire says.
    const error = OpenFlowError.make("OFPBMC_BAD_FIELD", "x")
    expect(OpenFlowError.toWireExact("OFPBMC_BAD_FIELD", OF10)).toBeUndefined()
    expect(OpenFlowError.toWire(error.code, OF10)).toEqual({ type: 1, code: 5 })
    const reply = OpenFlowError.reply(error, OF10, 7, Uint8Array.of(1, 14, 0, 8, 0, 0, 0, 7))
    expect(hex(reply.subarray(0, 12))).toBe("0101001400000007" + "00010005")
  })

  it("matches a switch reports (FLOW_REMOVED) are not checked for 1.3 prerequisites, but must still fit 1.0", () => {
    const removed = {
      _tag: "FlowRemoved" as const,
      cookie: 0n,
      priority: 1,
      reason: 0,
      tableId: 0,
      durationSec: 0,
      durationNsec: 0,
      idleTimeout: 0,
      hardTimeout: 0,
      packetCount: 0n,
      byteCount: 0n,
      match: [f("ethType", 0x0800), f("ipv4Src", 1)]
    }
    expect(Message.encode(removed, { version: OF10, xid: 0 })._tag).toBe("Success")
    expect(encodeFailure({ ...removed, match: [f("ipv4Src", 1)] }, OF10).code).toBe("OFPBMC_BAD_PREREQ")
    expect(encodeFailure({ ...removed, match: [f("vlanPcp", 1)] }, OF10).code).toBe("OFPBMC_BAD_PREREQ")
  })
})

describe("the wildcards of a decoded FLOW_MOD (of10Wildcards)", () => {
  // Ryu's Erlang-written 1-2-ofp_flow_mod wildcards unmatched addresses with 63 (OFPFW_ALL)
  // where Open vSwitch writes 32; both mean "any address".
  const bytes = flowMod10(match10({ wildcards: exact(W.DL_DST) | (0x3f << 8) | (0x3f << 14), dlDst: "f2:0b:a4:7d:f8:ea" }))

  it("keeps a word whose meaningless bits differ from what encoding writes, and re-encodes byte for byte", () => {
    const m = flowModOf(roundTrip(bytes))
    // The two counts of 63 in their places: everything else in the word comes from the match.
    expect(m.of10Wildcards).toBe((63 << 8) | (63 << 14))
    expect(m.match).toEqual([f("ethDst", mac("f2:0b:a4:7d:f8:ea"))])
  })

  it("is absent when the word is the one encoding writes", () => {
    const m = flowModOf(roundTrip(flowMod10(match10({ wildcards: exact(W.DL_DST), dlDst: "f2:0b:a4:7d:f8:ea" }))))
    expect("of10Wildcards" in m).toBe(false)
  })

  it("cannot change what the flow matches: a prefix added to the match wins over the kept count", () => {
    const m = flowModOf(decodeOk(bytes).message)
    const changed = { ...m, match: [...m.match, f("ethType", 0x0800), f("ipv4Src", ip("10.0.0.0"), Ipv4Address.prefixMask(8))] }
    const back = flowModOf(decodeOk(encodeOk(changed, OF10)).message)
    expect(back.match).toEqual(changed.match)
    // The source count is now 24 (a /8); the destination keeps the decoded 63.
    const wildcards = parseInt(hex(encodeOk(changed, OF10)).slice(16, 24), 16)
    expect((wildcards >>> 8) & 0x3f).toBe(24)
    expect((wildcards >>> 14) & 0x3f).toBe(63)
  })

  it("is ignored by other versions", () => {
    const m = flowModOf(decodeOk(bytes).message)
    const again = flowModOf(decodeOk(encodeOk(m, Version.OF13)).message)
    expect("of10Wildcards" in again).toBe(false)
    expect(again.match).toEqual(m.match)
  })
})

describe("1.0 actions", () => {
  const fm = (actionsHex: string, matchHex = match10({ wildcards: ALL })) => flowMod10(matchHex, actionsHex)
  const actionsOf = (m: Message.Message) => {
    const i = flowModOf(m).instructions
    return i.length === 0 ? [] : (i[0] as { readonly actions: ReadonlyArray<Action.Action> }).actions
  }
  const sf = (name: Match.FieldName, value: number) => Action.setField(name, value as never)

  const mapped: ReadonlyArray<readonly [string, string, ReadonlyArray<Action.Action>]> = [
    ["OUTPUT with a 16-bit port", "0000 0008 0002 0000", [Action.output(2)]],
    ["OUTPUT to the controller", "0000 0008 fffd ffff", [Action.output(Port.CONTROLLER)]],
    ["OUTPUT to IN_PORT, FLOOD, ALL, LOCAL", "0000 0008 fff8 0000 0000 0008 fffb 0000 0000 0008 fffc 0000 0000 0008 fffe 0000", [
      Action.output(Port.IN_PORT),
      Action.output(Port.FLOOD),
      Action.output(Port.ALL),
      Action.output(Port.LOCAL)
    ]],
    ["SET_VLAN_VID: set-field vlan_vid with OFPVID_PRESENT", "0001 0008 0064 0000", [sf("vlanVid", Match.vlanVid(100))]],
    ["SET_VLAN_PCP", "0002 0008 05 000000", [sf("vlanPcp", 5)]],
    ["STRIP_VLAN: pop_vlan", "0003 0008 00000000", [Action.popVlan]],
    ["SET_DL_SRC", "0004 0010 020000000001 000000000000", [sf("ethSrc", mac("02:00:00:00:00:01"))]],
    ["SET_DL_DST", "0005 0010 020000000002 000000000000", [sf("ethDst", mac("02:00:00:00:00:02"))]],
    ["SET_NW_SRC", "0006 0008 0a000001", [sf("ipv4Src", ip("10.0.0.1"))]],
    ["SET_NW_DST", "0007 0008 0a000002", [sf("ipv4Dst", ip("10.0.0.2"))]],
    ["SET_NW_TOS: set-field ip_dscp (the upper six bits)", "0008 0008 b8 000000", [sf("ipDscp", 46)]],
    ["SET_TP_SRC without a protocol in the match: TCP", "0009 0008 1f90 0000", [sf("tcpSrc", 8080)]],
    ["SET_TP_DST without a protocol in the match: TCP", "000a 0008 0050 0000", [sf("tcpDst", 80)]],
    ["ENQUEUE: set_queue then output", "000b 0010 0003 000000000000 00000007", [Action.setQueue(7), Action.output(3)]],
    [
      "ENQUEUE then OUTPUT: the queue applies to the one output",
      "000b 0010 0003 000000000000 00000007 0000 0008 0004 0000",
      [Action.setQueue(7), Action.output(3), Action.output(4)]
    ],
    ["VENDOR: kept byte for byte", "ffff 0010 00002320 0012000000000000", [Action.experimenter(0x2320, Uint8Array.of(0, 0x12, 0, 0, 0, 0, 0, 0))]]
  ]

  it.each(mapped)("%s", (_name, actionsHex, expected) => {
    const m = roundTrip(fm(actionsHex.replace(/\s/g, "")))
    expect(actionsOf(m)).toEqual(expected)
  })

  it("SET_TP_* follow the protocol the flow's match fixes: UDP", () => {
    const udp = match10({ wildcards: exact(W.DL_TYPE, W.NW_PROTO), dlType: 0x0800, nwProto: 17 })
    const m = roundTrip(fm("00090008003500000" + "00a0008003600" + "00", udp))
    expect(actionsOf(m)).toEqual([sf("udpSrc", 53), sf("udpDst", 54)])
  })

  it("a PACKET_OUT has no match: SET_TP_* read as TCP, and UDP ones encode the same way", () => {
    const out = PacketOut.make({ actions: [sf("udpDst", 53), Action.output(1)], data: new Uint8Array(0) })
    const bytes = encodeOk(out, OF10)
    expect(hex(bytes)).toBe("010d0020" + "00000000" + "ffffffff" + "fffd" + "0010" + "000a000800350000" + "0000000800010000")
    const back = decodeOk(bytes).message as PacketOut.PacketOut
    expect(back.actions).toEqual([sf("tcpDst", 53), Action.output(1)])
  })

  const refused: ReadonlyArray<readonly [string, ReadonlyArray<Action.Action>, string]> = [
    ["group", [Action.group(1)], "OFPBAC_BAD_TYPE"],
    ["push_vlan (1.0's SET_VLAN_VID pushes by itself)", [Action.pushVlan(), sf("vlanVid", Match.vlanVid(5))], "OFPBAC_BAD_TYPE"],
    ["push_mpls", [Action.pushMpls()], "OFPBAC_BAD_TYPE"],
    ["dec_nw_ttl", [Action.decNwTtl], "OFPBAC_BAD_TYPE"],
    ["copy_ttl_out", [Action.copyTtlOut], "OFPBAC_BAD_TYPE"],
    ["set_queue not followed by output", [Action.setQueue(1)], "OFPBAC_BAD_TYPE"],
    ["set_queue then output to a reserved port", [Action.setQueue(1), Action.output(Port.FLOOD)], "OFPBAC_BAD_OUT_PORT"],
    ["set_queue then output with a max_len", [Action.setQueue(1), Action.output(2, 128)], "OFPBAC_BAD_ARGUMENT"],
    ["set-field of a field 1.0 cannot set", [sf("arpOp", 1)], "OFPBAC_BAD_TYPE"],
    ["set-field of an IPv6 address", [Action.setField("ipv6Src", 1n)], "OFPBAC_BAD_TYPE"],
    ["set-field vlan_vid without OFPVID_PRESENT", [sf("vlanVid", 5)], "OFPBAC_BAD_ARGUMENT"],
    ["a masked set-field", [{ _tag: "SetField", field: f("ethDst", 1, 1) }], "OFPBAC_BAD_ARGUMENT"],
    ["output to a port 1.0 cannot number", [Action.output(0x1_0000)], "OFPBAC_BAD_OUT_PORT"]
  ]

  it.each(refused)("refused: %s", (_name, actions, code) => {
    const failure = encodeFailure(FlowMod.add({ actions }), OF10)
    expect(failure.code).toBe(code)
    expect(encodeFailure(PacketOut.make({ actions }), OF10).code).toBe(code)
  })

  // Errors decoding 1.0 action lists carry codes 1.0 has, so a 1.0 switch understands them.
  const hostile: ReadonlyArray<readonly [string, string, string]> = [
    ["an action of length 0", "0000 0000 0002 0000", "OFPBAC_BAD_LEN"],
    ["OUTPUT of length 16", "0000 0010 0002 0000 0000000000000000", "OFPBAC_BAD_LEN"],
    ["an action running past the list", "0004 0018 020000000001 000000000000", "OFPBAC_BAD_LEN"],
    ["a vendor action of length 12 (in a 16-byte list)", "ffff 000c 00002320 00000000 00000000", "OFPBAC_BAD_LEN"],
    ["an unknown action type (12)", "000c 0008 00000000", "OFPBAC_BAD_TYPE"],
    ["a 1.1+ action type (SET_FIELD, 25)", "0019 0008 00000000", "OFPBAC_BAD_TYPE"],
    ["OUTPUT to OFPP_NONE", "0000 0008 ffff 0000", "OFPBAC_BAD_OUT_PORT"],
    ["OUTPUT to an unassigned port (0xff01)", "0000 0008 ff01 0000", "OFPBAC_BAD_OUT_PORT"],
    ["ENQUEUE to FLOOD", "000b 0010 fffb 000000000000 00000001", "OFPBAC_BAD_OUT_PORT"],
    ["SET_VLAN_VID above 4095", "0001 0008 1000 0000", "OFPBAC_BAD_ARGUMENT"],
    ["SET_VLAN_PCP above 7", "0002 0008 08 000000", "OFPBAC_BAD_ARGUMENT"],
    ["SET_NW_TOS with ECN bits", "0008 0008 b9 000000", "OFPBAC_BAD_ARGUMENT"]
  ]

  it.each(hostile)("decoding %s fails with its 1.0 code", (_name, actionsHex, code) => {
    decodeError(fm(actionsHex.replace(/\s/g, "")), code)
    expect(OpenFlowError.toWireExact(code as OpenFlowError.ErrorName, OF10)).toBeDefined()
  })
})

describe("FLOW_MOD", () => {
  it("the builders give flow mods a 1.0 switch accepts, laid out as §5.3.3 says", () => {
    const add = FlowMod.add({
      match: { inPort: 1, ethDst: mac("aa:bb:cc:dd:ee:ff") },
      actions: [Action.output(2)],
      priority: 100,
      idleTimeout: 60,
      cookie: 0x1234n,
      flags: FlowMod.Flags.SEND_FLOW_REM
    })
    const bytes = encodeOk(add, OF10)
    expect(hex(bytes)).toBe(
      "010e0050" + "00000000" + match10({ wildcards: exact(W.IN_PORT, W.DL_DST), inPort: 1, dlDst: "aa:bb:cc:dd:ee:ff" }) +
        "0000000000001234" + "0000" + "003c" + "0000" + "0064" + "ffffffff" + "ffff" + "0001" + "0000000800020000"
    )
    expect(decodeOk(bytes).message).toEqual(add)
  })

  it("the table-miss entry and a delete-all round-trip (a decoded delete covers every table)", () => {
    const miss = FlowMod.tableMiss()
    expect(decodeOk(encodeOk(miss, OF10)).message).toEqual(miss)
    const clear = FlowMod.delete()
    expect(clear.tableId).toBe(FlowMod.TABLE_ALL)
    expect(decodeOk(encodeOk(clear, OF10)).message).toEqual(clear)
    // 1.0 has one logical flow table: a delete "in table 0" is the same delete.
    const inTable0 = FlowMod.delete({ tableId: 0, match: { inPort: 3 } })
    expect(flowModOf(decodeOk(encodeOk(inTable0, OF10)).message)).toEqual({ ...inTable0, tableId: FlowMod.TABLE_ALL })
  })

  it("an empty action list is no instruction at all (a drop flow)", () => {
    const drop = FlowMod.add({ match: { inPort: 1 }, actions: [] })
    expect(flowModOf(decodeOk(encodeOk(drop, OF10)).message).instructions).toEqual([])
  })

  it("what 1.0 cannot say is refused, never dropped", () => {
    expect(encodeFailure(FlowMod.add({ instructions: [{ _tag: "GotoTable", tableId: 1 }] }), OF10).code).toBe("OFPBIC_UNSUP_INST")
    expect(encodeFailure(FlowMod.add({ instructions: [{ _tag: "WriteActions", actions: [] }] }), OF10).code).toBe("OFPBIC_UNSUP_INST")
    expect(
      encodeFailure(FlowMod.add({ instructions: [{ _tag: "ApplyActions", actions: [] }, { _tag: "ApplyActions", actions: [] }] }), OF10).code
    ).toBe("OFPBIC_DUP_INST")
    expect(encodeFailure(FlowMod.add({ flags: FlowMod.Flags.RESET_COUNTS }), OF10).code).toBe("OFPFMFC_BAD_FLAGS")
    expect(encodeFailure(FlowMod.add({ flags: FlowMod.Flags.NO_PKT_COUNTS }), OF10).code).toBe("OFPFMFC_BAD_FLAGS")
    expect(encodeFailure(FlowMod.delete({ cookie: 1n, cookieMask: 0xffn }), OF10)).toMatchObject({ tag: "EncodeError", text: expect.stringMatching(/cookie/) })
    expect(encodeFailure(FlowMod.delete({ outGroup: 1 }), OF10)).toMatchObject({ tag: "EncodeError", text: expect.stringMatching(/groups/) })
    expect(encodeFailure(FlowMod.add({ tableId: 1 }), OF10)).toMatchObject({ tag: "EncodeError", text: expect.stringMatching(/table 1/) })
    expect(encodeFailure(FlowMod.add({ tableId: FlowMod.TABLE_ALL }), OF10).tag).toBe("EncodeError")
    expect(encodeFailure(FlowMod.add({ importance: 5 }), OF10).tag).toBe("EncodeError")
    expect(encodeFailure(FlowMod.delete({ outPort: 0x1_0000 }), OF10)).toMatchObject({ tag: "EncodeError", text: expect.stringMatching(/out_port/) })
  })

  it("OFPFF_EMERG is refused as Open vSwitch refuses it: OFPFMFC_BAD_EMERG_TIMEOUT (3,3) with timeouts, ALL_TABLES_FULL (3,0) without", () => {
    const empty = match10({ wildcards: ALL })
    decodeError(flowMod10(empty, "", { command: 0, flags: 4, idle: 10, hard: 0 }), "OFPFMFC_BAD_TIMEOUT")
    expect(OpenFlowError.toWire("OFPFMFC_BAD_TIMEOUT", OF10)).toEqual({ type: 3, code: 3 })
    decodeError(flowMod10(empty, "", { command: 0, flags: 4, idle: 0, hard: 0 }), "OFPFMFC_TABLE_FULL")
    expect(OpenFlowError.toWire("OFPFMFC_TABLE_FULL", OF10)).toEqual({ type: 3, code: 0 })
  })

  it("an unknown command is OFPFMFC_BAD_COMMAND (3,4), unknown flags OFPFMFC_BAD_FLAGS", () => {
    const empty = match10({ wildcards: ALL })
    decodeError(flowMod10(empty, "", { command: 5, flags: 0, idle: 0, hard: 0 }), "OFPFMFC_BAD_COMMAND")
    // Open vSwitch's table-id extension puts a table in the command's high byte; plain 1.0 does not.
    decodeError(flowMod10(empty, "", { command: 0x0100, flags: 0, idle: 0, hard: 0 }), "OFPFMFC_BAD_COMMAND")
    expect(OpenFlowError.toWire("OFPFMFC_BAD_COMMAND", OF10)).toEqual({ type: 3, code: 4 })
    decodeError(flowMod10(empty, "", { command: 0, flags: 8, idle: 0, hard: 0 }), "OFPFMFC_BAD_FLAGS")
  })
})

describe("PACKET_IN and PACKET_OUT", () => {
  const frame = Uint8Array.from({ length: 60 }, (_, i) => i)

  it("PACKET_IN: in_port becomes a match holding inPort; the table and cookie read as 0 and all ones", () => {
    const bytes = message(OF10, 10, "00000100" + "003c" + "0005" + "00" + "00" + hex(frame))
    const m = decodeOk(bytes).message as PacketIn.PacketIn
    expect(m).toEqual(PacketIn.make({ inPort: 5, data: frame, bufferId: 0x100 }))
    expect(PacketIn.inPort(m)).toBe(5)
    expect(hex(encodeOk(m, OF10))).toBe(hex(bytes))
  })

  it("PACKET_IN: what a 1.0 packet-in has no room for is refused", () => {
    const base = PacketIn.make({ inPort: 5, data: frame })
    expect(encodeFailure({ ...base, match: [f("inPort", 5), f("ethType", 0x0800)] }, OF10).code).toBe("OFPBMC_BAD_FIELD")
    expect(encodeFailure({ ...base, match: [] }, OF10).code).toBe("OFPBMC_BAD_WILDCARDS")
    expect(encodeFailure({ ...base, cookie: 5n }, OF10).tag).toBe("EncodeError")
    expect(encodeFailure({ ...base, tableId: 3 }, OF10).tag).toBe("EncodeError")
  })

  it("PACKET_OUT answering a 1.0 PACKET_IN: buffered, so the buffer and no data", () => {
    const pin = decodeOk(message(OF10, 10, "00000100" + "003c" + "fffe" + "00" + "00" + hex(frame))).message as PacketIn.PacketIn
    const out = PacketOut.reply(pin, [Action.output(Port.FLOOD)])
    const bytes = encodeOk(out, OF10)
    expect(hex(bytes)).toBe("010d0018" + "00000000" + "00000100" + "fffe" + "0008" + "0000" + "0008" + "fffb" + "0000")
    expect(decodeOk(bytes).message).toEqual(out)
  })

  it("PACKET_OUT: an in_port a packet cannot come in on, actions_len not a multiple of 8 or past the end", () => {
    decodeError(message(OF10, 13, "ffffffff" + "ff05" + "0000"), "OFPBRC_BAD_PORT")
    decodeError(message(OF10, 13, "ffffffff" + "fffd" + "0004" + "00000000"), "OFPBRC_BAD_LEN")
    decodeError(message(OF10, 13, "ffffffff" + "fffd" + "0010" + "0000000800010000"), "OFPBRC_BAD_LEN")
    expect(encodeFailure(PacketOut.make({ actions: [], inPort: 0x1_0000 }), OF10).tag).toBe("EncodeError")
  })
})

describe("FEATURES_REPLY, PORT_STATUS and PORT_MOD with the 48-byte ofp_phy_port", () => {
  // 1.0 feature bits: 100MB_FD 8, COPPER 0x80, AUTONEG 0x200; in the model's positions
  // COPPER is 0x800 and AUTONEG 0x2000.
  const phyPort = "0003" + "020000000003" + hex(new TextEncoder().encode("eth3")).padEnd(32, "0") + "00000001" + "00000200" +
    "00000288" + "00000280" + "00000288" + "00000000"
  const port3: Port.Port = {
    portNo: 3,
    hwAddr: mac("02:00:00:00:00:03"),
    name: "eth3",
    config: Port.Config.PORT_DOWN,
    state: 0x200,
    curr: Port.Feature["100MB_FD"] | Port.Feature.COPPER | Port.Feature.AUTONEG,
    advertised: Port.Feature.COPPER | Port.Feature.AUTONEG,
    supported: Port.Feature["100MB_FD"] | Port.Feature.COPPER | Port.Feature.AUTONEG,
    peer: 0,
    currSpeed: 0,
    maxSpeed: 0
  }

  it("FEATURES_REPLY carries the actions bitmap and the ports", () => {
    const bytes = message(OF10, 6, "0000000000000abc" + "00000100" + "fe" + "000000" + "000000c7" + "00000fff" + phyPort)
    const m = roundTrip(bytes)
    expect(m).toEqual({
      _tag: "FeaturesReply",
      datapathId: 0xabcn,
      nBuffers: 256,
      nTables: 254,
      auxiliaryId: 0,
      capabilities: Features.Capability10.FLOW_STATS | Features.Capability10.TABLE_STATS | Features.Capability10.PORT_STATS |
        Features.Capability10.QUEUE_STATS | Features.Capability10.ARP_MATCH_IP,
      reserved: 0,
      actions: 0xfff,
      ports: [port3]
    })
  })

  it("FEATURES_REPLY: the 1.0-only keys are refused in 1.3, and 1.3-only values in 1.0", () => {
    const reply: Features.FeaturesReply = {
      _tag: "FeaturesReply",
      datapathId: 1n,
      nBuffers: 0,
      nTables: 1,
      auxiliaryId: 0,
      capabilities: 0,
      reserved: 0,
      actions: 1,
      ports: []
    }
    expect(encodeFailure(reply, Version.OF13).tag).toBe("EncodeError")
    expect(encodeFailure({ ...reply, auxiliaryId: 1 }, OF10).tag).toBe("EncodeError")
    const { actions: _a, ports: _p, ...without13 } = reply
    expect(decodeOk(encodeOk(without13, Version.OF13)).message).toEqual(without13)
  })

  it("FEATURES_REPLY: a body that is not 24 bytes plus whole ports is OFPBRC_BAD_LEN", () => {
    decodeError(message(OF10, 6, "0000000000000abc" + "00000100" + "fe" + "000000" + "000000c7" + "00000fff" + phyPort.slice(0, 94)), "OFPBRC_BAD_LEN")
    decodeError(message(OF10, 6, "0000000000000abc" + "00000100" + "fe00"), "OFPBRC_BAD_LEN")
  })

  it("PORT_STATUS", () => {
    const m = roundTrip(message(OF10, 12, "02" + "00000000000000" + phyPort))
    expect(m).toEqual({ _tag: "PortStatus", reason: 2, desc: port3 })
    decodeError(message(OF10, 12, "02" + "00000000000000" + phyPort.slice(2)), "OFPBRC_BAD_LEN")
  })

  it("a port 1.0 cannot describe is an EncodeError: a speed bit it has no name for, speeds in kb/s, a big port number", () => {
    const status = (desc: Port.Port) => ({ _tag: "PortStatus" as const, reason: 0, desc })
    expect(encodeFailure(status({ ...port3, curr: Port.Feature["40GB_FD"] }), OF10).text).toMatch(/40GB_FD/)
    expect(encodeFailure(status({ ...port3, currSpeed: 1_000_000 }), OF10).text).toMatch(/speeds/)
    expect(encodeFailure(status({ ...port3, portNo: 0xff00 }), OF10).text).toMatch(/no OpenFlow 1.0 number/)
  })

  it("PORT_MOD (type 15, 32 bytes) converts the advertised features; 40 Gb/s is OFPPMFC_BAD_ADVERTISE", () => {
    const mod = PortMod.setConfig(port3, Port.Config.NO_PACKET_IN, Port.Config.NO_PACKET_IN)
    const withAdvertise = { ...mod, advertise: Port.Feature["1GB_FD"] | Port.Feature.FIBER }
    const bytes = encodeOk(withAdvertise, OF10)
    expect(hex(bytes)).toBe("010f0020" + "00000000" + "0003" + "020000000003" + "00000040" + "00000040" + "00000120" + "00000000")
    expect(decodeOk(bytes).message).toEqual(withAdvertise)
    expect(encodeFailure({ ...mod, advertise: Port.Feature["100GB_FD"] }, OF10).code).toBe("OFPPMFC_BAD_ADVERTISE")
  })
})

describe("FLOW_REMOVED", () => {
  it("is the 88-byte 1.0 layout; table and hard timeout, which 1.0 lacks, read as 0 and must be 0", () => {
    const bytes = message(
      OF10,
      11,
      match10({ wildcards: exact(W.IN_PORT), inPort: 2 }) + "00000000000000ff" + "0064" + "01" + "00" + "0000000a" + "00000005" + "001e" +
        "0000" + "0000000000000003" + "00000000000000b4"
    )
    const m = roundTrip(bytes)
    expect(m).toEqual({
      _tag: "FlowRemoved",
      cookie: 0xffn,
      priority: 100,
      reason: 1,
      tableId: 0,
      durationSec: 10,
      durationNsec: 5,
      idleTimeout: 30,
      hardTimeout: 0,
      packetCount: 3n,
      byteCount: 180n,
      match: [f("inPort", 2)]
    })
    expect(encodeFailure({ ...(m as object), hardTimeout: 60 } as Message.Message, OF10).tag).toBe("EncodeError")
    expect(encodeFailure({ ...(m as object), tableId: 1 } as Message.Message, OF10).tag).toBe("EncodeError")
    decodeError(bytes.subarray(0, 80).map((b, i) => (i === 3 ? 80 : b)), "OFPBRC_BAD_LEN")
  })
})

/** A 1.0 statistics message: header, `type u16, flags u16` (no padding in 1.0), body. */
const stats10 = (reply: boolean, type: number, body: string, flags = 0): Uint8Array =>
  message(OF10, reply ? 17 : 16, u16(type) + u16(flags) + body)

describe("STATS_REQUEST / STATS_REPLY (types 16 and 17) as the multipart kinds", () => {
  it("DESC", () => {
    const text = (s: string, width: number) => hex(new TextEncoder().encode(s)).padEnd(width * 2, "0")
    expect(roundTrip(stats10(false, 0, ""))).toEqual(Desc.request)
    const m = roundTrip(stats10(true, 0, text("Nicira", 256) + text("hw", 256) + text("sw", 256) + text("123", 32) + text("dp", 256)))
    expect(m).toMatchObject({ _tag: "DescReply", flags: 0, mfrDesc: "Nicira", serialNum: "123", dpDesc: "dp" })
  })

  it("FLOW: a selection without group or cookie, entries with 1.0 actions", () => {
    const request = FlowStats.request({ match: [f("inPort", 1)], outPort: 2 })
    const bytes = encodeOk(request, OF10)
    expect(hex(bytes)).toBe("01100038" + "00000000" + "0001" + "0000" + match10({ wildcards: exact(W.IN_PORT), inPort: 1 }) + "ff" + "00" + "0002")
    expect(decodeOk(bytes).message).toEqual(request)
    expect(encodeFailure(FlowStats.request({ cookie: 1n, cookieMask: 1n }), OF10).tag).toBe("EncodeError")
    expect(encodeFailure(FlowStats.request({ outGroup: 3 }), OF10).tag).toBe("EncodeError")

    const entry = "0060" + "00" + "00" + match10({ wildcards: exact(W.DL_TYPE, W.NW_PROTO), dlType: 0x0800, nwProto: 17 }) + "00000001" +
      "00000002" + "8000" + "000a" + "0000" + "000000000000" + "0000000000000007" + "0000000000000001" + "0000000000000040" +
      "0009000800350000"
    const reply = roundTrip(stats10(true, 1, entry + entry, 1)) as FlowStats.FlowStatsReply
    expect(reply.flags).toBe(1)
    expect(reply.stats.length).toBe(2)
    expect(reply.stats[0]).toEqual({
      tableId: 0,
      durationSec: 1,
      durationNsec: 2,
      priority: 0x8000,
      idleTimeout: 10,
      hardTimeout: 0,
      flags: 0,
      cookie: 7n,
      packetCount: 1n,
      byteCount: 64n,
      match: [f("ethType", 0x0800), f("ipProto", 17)],
      instructions: [{ _tag: "ApplyActions", actions: [Action.setField("udpSrc", 53)] }]
    })
    decodeError(stats10(true, 1, "0000" + entry.slice(4)), "OFPBRC_BAD_LEN")
    decodeError(stats10(true, 1, "0057" + entry.slice(4)), "OFPBRC_BAD_LEN")
    expect(encodeFailure({ ...reply, stats: [{ ...reply.stats[0]!, flags: 1 }] }, OF10).tag).toBe("EncodeError")
  })

  it("AGGREGATE", () => {
    const request = FlowStats.aggregateRequest({ tableId: 0 })
    expect(decodeOk(encodeOk(request, OF10)).message).toEqual(request)
    const reply = roundTrip(stats10(true, 2, "0000000000000005" + "0000000000000140" + "00000002" + "00000000"))
    expect(reply).toEqual({ _tag: "AggregateStatsReply", flags: 0, packetCount: 5n, byteCount: 320n, flowCount: 2 })
  })

  it("TABLE: a 1.0 entry names the table and gives its wildcards and size", () => {
    const name = hex(new TextEncoder().encode("classifier")).padEnd(64, "0")
    const reply = roundTrip(stats10(true, 3, "00" + "000000" + name + "003fffff" + "000f4240" + "00000003" + "0000000000000064" + "0000000000000032"))
    expect(reply).toEqual({
      _tag: "TableStatsReply",
      flags: 0,
      stats: [{ tableId: 0, activeCount: 3, lookupCount: 100n, matchedCount: 50n, name: "classifier", wildcards: 0x3fffff, maxEntries: 1_000_000 }]
    })
    const bare = { _tag: "TableStatsReply" as const, flags: 0, stats: [{ tableId: 0, activeCount: 3, lookupCount: 100n, matchedCount: 50n }] }
    expect(encodeFailure(bare, OF10).tag).toBe("EncodeError")
    expect(encodeFailure(reply, Version.OF13).tag).toBe("EncodeError")
    expect(roundTrip(stats10(false, 3, ""))).toEqual(TableStats.request)
    decodeError(stats10(true, 3, "00".repeat(63)), "OFPBRC_BAD_LEN")
  })

  it("PORT: OFPP_NONE asks for every port (Port.ANY); 104-byte entries without durations", () => {
    expect(roundTrip(stats10(false, 4, "ffff" + "000000000000"))).toEqual(PortStats.request())
    const counters = Array.from({ length: 12 }, (_, i) => (i + 1).toString(16).padStart(16, "0")).join("")
    const reply = roundTrip(stats10(true, 4, "0001" + "000000000000" + counters)) as PortStats.PortStatsReply
    expect(reply.stats[0]).toMatchObject({ portNo: 1, rxPackets: 1n, collisions: 12n, durationSec: 0, durationNsec: 0 })
    expect(encodeFailure({ ...reply, stats: [{ ...reply.stats[0]!, durationSec: 1 }] }, OF10).tag).toBe("EncodeError")
    decodeError(stats10(true, 4, "00".repeat(103)), "OFPBRC_BAD_LEN")
  })

  it("QUEUE: 1.0's OFPP_ALL for every port is Port.ANY; 32-byte entries", () => {
    const all = QueueStats.request()
    expect(hex(encodeOk(all, OF10)).slice(24)).toBe("fffc" + "0000" + "ffffffff")
    expect(decodeOk(encodeOk(all, OF10)).message).toEqual(all)
    expect(encodeFailure(QueueStats.request({ portNo: Port.ALL }), OF10).tag).toBe("EncodeError")
    const reply = roundTrip(stats10(true, 5, "0002" + "0000" + "00000001" + "00000000000003e8" + "000000000000000a" + "0000000000000000"))
    expect(reply).toEqual({
      _tag: "QueueStatsReply",
      flags: 0,
      stats: [{ portNo: 2, queueId: 1, txBytes: 1000n, txPackets: 10n, txErrors: 0n, durationSec: 0, durationNsec: 0 }]
    })
  })

  it("VENDOR: the vendor id and its body, without an experimenter type", () => {
    const m = roundTrip(stats10(true, 0xffff, "00002320" + "0000000000000001"))
    expect(m).toEqual({ _tag: "ExperimenterMultipartReply", flags: 0, experimenter: 0x2320, expType: 0, data: Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 1) })
    expect(encodeFailure({ ...(m as Message.Of<"ExperimenterMultipartReply">), expType: 1 }, OF10).code).toBe("OFPBRC_BAD_EXP_TYPE")
    decodeError(stats10(false, 0xffff, "000023"), "OFPBRC_BAD_LEN")
  })

  it("1.1+ kinds (GROUP, METER, PORT_DESC, TABLE_FEATURES) are OFPBRC_BAD_STAT (1,2) in 1.0, and do not encode", () => {
    for (const type of [6, 9, 12, 13]) decodeError(stats10(false, type, ""), "OFPBRC_BAD_MULTIPART")
    expect(OpenFlowError.toWire("OFPBRC_BAD_MULTIPART", OF10)).toEqual({ type: 1, code: 2 })
    expect(encodeFailure({ _tag: "PortDescRequest", flags: 0 }, OF10).code).toBe("OFPBRC_BAD_VERSION")
    expect(Message.isEncodable("GroupStatsRequest", OF10)).toBe(false)
  })

  it("a statistics header cut short is OFPBRC_BAD_LEN", () => {
    decodeError(message(OF10, 16, "0000"), "OFPBRC_BAD_LEN")
  })
})

describe("QUEUE_GET_CONFIG (types 20 and 21)", () => {
  it("request and reply, with queues that belong to the reply's port", () => {
    expect(roundTrip(message(OF10, 20, "0003" + "0000"))).toEqual(QueueConfig.request(3))
    const minRate = "0001" + "0010" + "00000000" + "01f4" + "000000000000"
    const reply = roundTrip(message(OF10, 21, "0003" + "000000000000" + "00000001" + "0018" + "0000" + minRate + "00000002" + "0008" + "0000"))
    expect(reply).toEqual({
      _tag: "QueueGetConfigReply",
      port: 3,
      queues: [
        { queueId: 1, port: 3, properties: [{ _tag: "QueuePropMinRate", rate: 500 }] },
        { queueId: 2, port: 3, properties: [] }
      ]
    })
    const r = reply as QueueConfig.QueueGetConfigReply
    expect(encodeFailure({ ...r, queues: [{ ...r.queues[0]!, port: 4 }] }, OF10).tag).toBe("EncodeError")
  })

  it("a queue length of 0, 7 or past the end is OFPBRC_BAD_LEN", () => {
    for (const len of ["0000", "0007", "0010"]) {
      decodeError(message(OF10, 21, "0003" + "000000000000" + "00000001" + len + "0000"), "OFPBRC_BAD_LEN")
    }
  })
})

describe("messages with the same layout in 1.0", () => {
  it("HELLO (a 1.0 HELLO's body is ignored), ECHO, ERROR, VENDOR, FEATURES_REQUEST, GET/SET_CONFIG", () => {
    expect(roundTrip(message(OF10, 0, ""))).toEqual({ _tag: "Hello", elements: [] })
    expect(roundTrip(message(OF10, 2, "abcd"))).toEqual({ _tag: "EchoRequest", data: Uint8Array.of(0xab, 0xcd) })
    expect(roundTrip(message(OF10, 1, "0003" + "0001" + "01020304"))).toMatchObject({ _tag: "ErrorMsg", errorType: 3, code: 1 })
    expect(roundTrip(message(OF10, 4, "00002320" + "0000000a"))).toMatchObject({ _tag: "Experimenter", experimenter: 0x2320, expType: 0 })
    expect(roundTrip(message(OF10, 5, ""))).toEqual(Features.request)
    expect(roundTrip(message(OF10, 9, "0000" + "0080"))).toEqual({ _tag: "SetConfig", flags: 0, missSendLen: 128 })
  })

  it("BARRIER is types 18/19 in 1.0 (20/21 in 1.1+); 1.0 has no type above 21", () => {
    expect(roundTrip(message(OF10, 18, ""))).toEqual({ _tag: "BarrierRequest" })
    expect(roundTrip(message(OF10, 19, ""))).toEqual({ _tag: "BarrierReply" })
    decodeError(message(OF10, 24, "00000000" + "00000000000000000000000000000000"), "OFPBRC_BAD_TYPE")
    expect(encodeFailure({ _tag: "RoleRequest", role: 0, generationId: 0n }, OF10).code).toBe("OFPBRC_BAD_VERSION")
  })

  it("an OpenFlow 1.0 error reply uses 1.0's type numbers (FLOW_MOD_FAILED is 3)", () => {
    const reply = OpenFlowError.reply(OpenFlowError.make("OFPFMFC_OVERLAP", "x"), OF10, 1, Uint8Array.of(1, 14, 0, 8, 0, 0, 0, 1))
    expect(hex(reply.subarray(8, 12))).toBe("00030001")
  })
})

describe("version negotiation", () => {
  it("OpenFlow 1.0 is supported and offered", () => {
    expect(Version.supported).toContain(OF10)
    expect(Version.isSupported(OF10)).toBe(true)
  })
})

describe("decoding hostile 1.0 input gives the exact error", () => {
  const table: ReadonlyArray<readonly [string, Uint8Array, string]> = [
    ["FLOW_MOD one byte short of its 72", message(OF10, 14, "00".repeat(63)), "OFPBRC_BAD_LEN"],
    ["FLOW_MOD with an action list not a multiple of 8", flowMod10(match10({ wildcards: ALL }), "00000008000100"), "OFPBRC_BAD_LEN"],
    ["PACKET_IN without its pad byte", message(OF10, 10, "ffffffff" + "0000" + "0001" + "00"), "OFPBRC_BAD_LEN"],
    ["PACKET_OUT shorter than 16 bytes", message(OF10, 13, "ffffffff" + "fffd"), "OFPBRC_BAD_LEN"],
    ["PORT_MOD of 31 bytes", message(OF10, 15, "00".repeat(23)), "OFPBRC_BAD_LEN"],
    ["FLOW_REMOVED with 8 extra bytes", message(OF10, 11, "00".repeat(88)), "OFPBRC_BAD_LEN"],
    ["FLOW stats request without out_port", stats10(false, 1, "00".repeat(42)), "OFPBRC_BAD_LEN"],
    ["QUEUE_GET_CONFIG_REQUEST with 8 bytes (the 1.3 size)", message(OF10, 20, "00".repeat(8)), "OFPBRC_BAD_LEN"],
    ["a 1.1+ type (GROUP_MOD's 15 is PORT_MOD in 1.0, TABLE_MOD's 17 is STATS_REPLY): 22", message(OF10, 22, ""), "OFPBRC_BAD_TYPE"],
    ["an unknown statistics type", stats10(true, 7, ""), "OFPBRC_BAD_MULTIPART"]
  ]

  it.each(table)("%s", (_name, bytes, code) => {
    decodeError(bytes, code)
    expect(OpenFlowError.toWireExact(code as OpenFlowError.ErrorName, OF10)).toBeDefined()
  })

  it("decoded values re-encode to bytes that decode the same (the contract of robustness.test.ts, for these kinds)", () => {
    const inputs = [
      flowMod10(match10({ wildcards: 0 }), "0000000800010000"),
      flowMod10(match10({ wildcards: 0, dlType: 0x0800, nwProto: 1, tpSrc: 0x1ff, dlVlan: 0x1abc, dlVlanPcp: 0xff })),
      message(OF10, 10, "ffffffff" + "0000" + "ff05" + "00" + "00")
    ]
    for (const input of inputs) {
      const first = decodeOk(input)
      const again = decodeOk(encodeOk(first.message, OF10))
      expect(again.message).toEqual(first.message)
    }
    expect(Result.isSuccess(Message.decode(inputs[0]!))).toBe(true)
  })
})
