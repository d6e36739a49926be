/**
 * OFPT_FLOW_MOD: every OpenFlow 1.3 FLOW_MOD vector of Ryu's (Open vSwitch's `ovs-ofctl`
 * and `libofproto` ones included) decodes, re-encodes byte for byte and agrees with Ryu's
 * JSON; the truncation marker; builders; the exact error for each malformed part;
 * generated flow mods round-trip.
 */
import { describe, expect, it } from "@effect/vitest"
import { Action, FlowMod, Instruction, Match, Message, Port } from "@switchyard/openflow"
import { MacAddress } from "@switchyard/packet"
import { Result } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { agreesWithRyu, decodeError, encodeFailure, encodeOk, hex, message, roundTrip, vector } from "./families.ts"
import { packets, parseJsonBigInt, vectorsDir, vectorsPresent } from "./vectors.ts"
import { project } from "./versions.ts"

const flowMods = packets("of13").filter((v) => v.bytes[1] === 14)

describe("Ryu's OpenFlow 1.3 FLOW_MOD vectors", () => {
  it("are all 25 there (6 Erlang/libofproto, 19 ovs-ofctl)", () => {
    if (!vectorsPresent) return console.warn(`Ryu vectors not found at ${vectorsDir}`)
    expect(flowMods.length).toBe(25)
    expect(flowMods.filter((v) => v.name.startsWith("ovs-ofctl-of13-")).length).toBe(19)
  })

  it.each(flowMods.filter((v) => v.name !== "4-60-ofp_flow_mod.packet").map((v) => [v.name] as const))(
    "%s decodes, re-encodes identically and agrees with Ryu",
    (name) => {
      const m = agreesWithRyu("of13", name)
      expect(m?._tag).toBe("FlowMod")
    }
  )

  it("4-60 is refused with OFPBMC_BAD_PREREQ, as Open vSwitch refuses it", () => {
    // Ryu's Erlang generator put one of every OXM field into this match under
    // eth_type=0x0806 (ARP). A switch validates a flow mod's match strictly (§7.2.3.8):
    // ip_dscp needs an IP eth_type. `match.test.ts` checks the same match decodes loosely
    // (as in a PACKET_IN, where vector 4-59 carries it) and agrees with Ryu there.
    const v = vector("of13", "4-60-ofp_flow_mod.packet")
    if (v === undefined) return
    expect(decodeError(v.bytes, "OFPBMC_BAD_PREREQ")).toMatch(/ip_dscp requires/)
  })
})

describe("the truncation marker (libofproto-OFP13-flow_mod.truncated64)", () => {
  // The marker means: decode the first 64 bytes of the 256-byte libofproto FLOW_MOD.
  // Ryu's answer (json/of13/libofproto-OFP13-flow_mod.packet.truncated64.json) is
  // {"OFPTruncatedMessage": {"OFPFlowMod": ...}}: half a flow mod. A controller must never
  // act on half a flow mod, and a switch answers with an error, so the codec returns the
  // typed error a switch would send, never a partial message and never a throw.
  const v = vector("of13", "libofproto-OFP13-flow_mod.packet")

  it("the header still says 256 bytes: OFPBRC_BAD_LEN", () => {
    if (v === undefined) return
    expect(fs.statSync(path.join(vectorsDir, "packet_data/of13/libofproto-OFP13-flow_mod.truncated64")).size).toBe(0)
    const json = parseJsonBigInt(fs.readFileSync(path.join(vectorsDir, "json/of13/libofproto-OFP13-flow_mod.packet.truncated64.json"), "utf8"))
    expect(Object.keys((json as Record<string, object>)["OFPTruncatedMessage"]!)).toEqual(["OFPFlowMod"])
    expect(decodeError(v.bytes.subarray(0, 64), "OFPBRC_BAD_LEN")).toMatch(/256.*64/)
  })

  const reheadered = (length: number): Uint8Array => {
    const out = Uint8Array.from(v!.bytes.subarray(0, length))
    out[2] = length >> 8
    out[3] = length & 0xff
    return out
  }

  it("re-headered to 64 bytes, the 70-byte match does not fit: OFPBMC_BAD_LEN", () => {
    if (v === undefined) return
    // 48 bytes of fixed part leave 16 for a match whose length field says 70 (72 padded).
    expect(decodeError(reheadered(64), "OFPBMC_BAD_LEN")).toMatch(/match length 70 \(72 with padding\) exceeds the 16 bytes/)
  })

  it("re-headered to 128 or 200 bytes, the match fits but the 128-byte apply-actions does not: OFPBIC_BAD_LEN", () => {
    if (v === undefined) return
    expect(decodeError(reheadered(128), "OFPBIC_BAD_LEN")).toMatch(/length 128 but only 8 bytes remain/)
    expect(decodeError(reheadered(200), "OFPBIC_BAD_LEN")).toMatch(/length 128 but only 80 bytes remain/)
  })

  it("re-headered to a length that is not a multiple of 8: OFPBRC_BAD_LEN", () => {
    if (v === undefined) return
    decodeError(reheadered(100), "OFPBRC_BAD_LEN")
  })
})

describe("builders", () => {
  const mac = MacAddress.fromStringUnsafe("aa:bb:cc:dd:ee:ff")

  it("a flow with a match and apply-actions in a few lines, byte for byte", () => {
    const flow = FlowMod.add({
      match: { inPort: 1, ethDst: mac },
      actions: [Action.output(2)],
      priority: 100,
      idleTimeout: 60,
      flags: FlowMod.Flags.SEND_FLOW_REM
    })
    const bytes = encodeOk(flow)
    expect(hex(bytes)).toBe(
      "040e0060" + "00000000" + // header: FLOW_MOD, 96 bytes
        "0000000000000000" + "0000000000000000" + // cookie, cookie_mask
        "00" + "00" + "003c" + "0000" + "0064" + // table 0, ADD, idle 60, hard 0, priority 100
        "ffffffff" + "ffffffff" + "ffffffff" + // buffer_id, out_port, out_group
        "0001" + "0000" + // flags, pad
        "0001" + "0016" + "80000004" + "00000001" + "80000606" + "aabbccddeeff" + "0000" + // match, padded
        "0004" + "0018" + "00000000" + "0000" + "0010" + "00000002" + "0000" + "000000000000" // apply-actions
    )
    expect(roundTrip(bytes)).toEqual(flow)
    expect(FlowMod.sendsFlowRemoved(flow)).toBe(true)
  })

  it("actions and instructions combine, apply-actions first", () => {
    const flow = FlowMod.add({ actions: [Action.popVlan], instructions: [Instruction.gotoTable(1)] })
    expect(flow.instructions.map((i) => i._tag)).toEqual(["ApplyActions", "GotoTable"])
    expect(flow.priority).toBe(FlowMod.DEFAULT_PRIORITY)
  })

  it("a Match value is used as given; a spec goes through Match.make", () => {
    const given = [Match.field("ethType", 0x0800)]
    expect(FlowMod.add({ match: given }).match).toBe(given)
    expect(FlowMod.modify({ match: { ethType: 0x0800 } }).match).toEqual(given)
  })

  it("delete defaults to every table and no port or group filter", () => {
    const del = FlowMod.delete()
    expect([del.command, del.tableId, del.outPort, del.outGroup]).toEqual([FlowMod.Command.DELETE, FlowMod.TABLE_ALL, Port.ANY, FlowMod.GROUP_ANY])
    expect(hex(encodeOk(del))).toBe(
      "040e00380000000000000000000000000000000000000000ff030000000080" + "00ffffffffffffffffffffffff00000000" + "0001000400000000"
    )
    expect(FlowMod.deleteStrict({ priority: 5, match: { inPort: 3 } }).command).toBe(FlowMod.Command.DELETE_STRICT)
    expect(FlowMod.modifyStrict().command).toBe(FlowMod.Command.MODIFY_STRICT)
  })

  it("tableMiss is Ryu's simple_switch_13 table-miss entry", () => {
    const miss = FlowMod.tableMiss()
    expect(miss.priority).toBe(0)
    expect(miss.match).toEqual([])
    expect(Instruction.appliedActions(miss.instructions)).toEqual([Action.output(Port.CONTROLLER)])
    expect(roundTrip(encodeOk(miss))).toEqual(miss)
  })
})

/** FLOW_MOD bodies with one field broken; the fixed part is 40 bytes, then match and instructions. */
const fixed = (opts: { command?: string; flags?: string } = {}) =>
  "0000000000000000 0000000000000000 00" + (opts.command ?? "00") + "0000 0000 8000 ffffffff ffffffff ffffffff" + (opts.flags ?? "0000") + "0000"
const emptyMatch = "0001000400000000"

describe("hostile flow mods: the exact error", () => {
  const cases: ReadonlyArray<readonly [string, string, string]> = [
    ["body shorter than the 40-byte fixed part", "0000000000000000 0000000000000000", "OFPBRC_BAD_LEN"],
    ["body not a multiple of 8", fixed() + emptyMatch + "0000", "OFPBRC_BAD_LEN"],
    ["no match at all", fixed(), "OFPBMC_BAD_LEN"],
    ["command 5", fixed({ command: "05" }) + emptyMatch, "OFPFMFC_BAD_COMMAND"],
    ["flag bit 5", fixed({ flags: "0020" }) + emptyMatch, "OFPFMFC_BAD_FLAGS"],
    ["match of type OFPMT_STANDARD", fixed() + "0000000400000000", "OFPBMC_BAD_TYPE"],
    ["ipv4_src without eth_type (strict)", fixed() + "0001000c 80001604 0a000001 00000000", "OFPBMC_BAD_PREREQ"],
    ["unknown OXM field (strict)", fixed() + "00010009 80005001 01 00000000000000", "OFPBMC_BAD_FIELD"],
    ["instruction of length 0", fixed() + emptyMatch + "0001000000000000", "OFPBIC_BAD_LEN"],
    ["unknown instruction 7", fixed() + emptyMatch + "0007000800000000", "OFPBIC_UNKNOWN_INST"],
    ["two clear-actions", fixed() + emptyMatch + "0005000800000000 0005000800000000", "OFPBIC_DUP_INST"],
    ["apply-actions with an unknown action", fixed() + emptyMatch + "0004001000000000 0001000800000000", "OFPBAC_BAD_TYPE"]
  ]
  it.each(cases)("%s", (_, body, code) => {
    decodeError(message(4, 14, body), code)
  })

  it("every prefix of a real flow mod is an error, except those ending between instructions", () => {
    const v = vector("of13", "ovs-ofctl-of13-action_learn.packet")
    if (v === undefined) return
    // The places a prefix is itself a complete flow mod: after the match, and after each
    // instruction (each starts with its type and length).
    const b = v.bytes
    const boundaries = new Set<number>()
    let at = 48 + ((((b[50]! << 8) | b[51]!) + 7) & ~7)
    boundaries.add(at)
    while (at < b.length) boundaries.add(at += (b[at + 2]! << 8) | b[at + 3]!)
    expect([...boundaries]).toEqual([120, 248, 256])
    for (let n = 0; n < b.length; n++) {
      const cut = Uint8Array.from(b.subarray(0, n))
      if (n >= 4) {
        cut[2] = n >> 8
        cut[3] = n & 0xff
      }
      const decoded = Message.decode(cut)
      expect(Result.isSuccess(decoded), `prefix of ${n} bytes`).toBe(boundaries.has(n))
    }
  })
})

describe("encoding refuses what a switch refuses", () => {
  it.each([
    ["a match field without its prerequisite", FlowMod.add({ match: { tcpDst: 80 } }), "OFPBMC_BAD_PREREQ"],
    ["a duplicated field", FlowMod.add({ match: [Match.field("inPort", 1), Match.field("inPort", 1)] }), "OFPBMC_DUP_FIELD"],
    ["flags outside 1.3's", FlowMod.add({ flags: 0x40 }), "OFPFMFC_BAD_FLAGS"],
    ["command 7", { ...FlowMod.add(), command: 7 as 0 }, "OFPFMFC_BAD_COMMAND"],
    ["two goto-table instructions", FlowMod.add({ instructions: [Instruction.gotoTable(1), Instruction.gotoTable(2)] }), "OFPBIC_DUP_INST"],
    ["output to OFPP_ANY", FlowMod.add({ actions: [Action.output(Port.ANY)] }), "OFPBAC_BAD_OUT_PORT"]
  ] as const)("%s", (_, m, code) => {
    expect(encodeFailure(m).code).toBe(code)
  })

  it("a priority of 70000 is an EncodeError (no switch could receive it)", () => {
    expect(encodeFailure(FlowMod.add({ priority: 70000 })).tag).toBe("EncodeError")
  })

  it("importance needs OpenFlow 1.4: a 1.3 flow mod cannot carry it", () => {
    const failure = encodeFailure(FlowMod.add({ importance: 7 }), 4)
    expect(failure.tag).toBe("EncodeError")
    expect(failure.text).toMatch(/importance 7 needs OpenFlow 1.4/)
    // Importance 0 is what every version carries: the same flow mod without it encodes.
    expect(hex(encodeOk(FlowMod.add({ importance: 0 }), 4))).toBe(hex(encodeOk(FlowMod.add(), 4)))
  })

  it("OpenFlow 1.4 and 1.5 put importance in the two bytes 1.3 pads after the flags", () => {
    const m = FlowMod.add({ importance: 0x1234, flags: FlowMod.Flags.SEND_FLOW_REM })
    for (const version of [5, 6]) {
      const bytes = encodeOk(m, version)
      expect(bytes[0]).toBe(version)
      expect(hex(bytes.subarray(44, 48))).toBe("00011234")
      expect(roundTrip(bytes)).toEqual(m)
    }
    const { importance: _, ...without } = m
    expect(hex(encodeOk(without, 4).subarray(44, 48))).toBe("00010000")
    // Decoding leaves importance 0 out, so a 1.4 flow mod without importance reads as 1.3's.
    expect(roundTrip(encodeOk(without, 5))).toEqual(without)
  })
})

describe("properties", () => {
  it.prop("generated flow mods round-trip (in 1.3, without the 1.4 importance)", [FlowMod.FlowMod], ([m]) => {
    const v = project(m, 4)
    expect(roundTrip(encodeOk(v))).toEqual(v)
  }, { arbitrary: { runs: 200, seed: 14 } })
})
