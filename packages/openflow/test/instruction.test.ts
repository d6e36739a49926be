/**
 * Instructions: the instruction lists of every Ryu OpenFlow 1.3 FLOW_MOD (Nicira actions
 * included) decode, re-encode byte for byte and agree with Ryu's JSON; each kind has the
 * layout of §7.2.4; malformed lists fail with the exact OFPBIC_* code; generated lists
 * round-trip.
 */
import { describe, expect, it } from "@effect/vitest"
import { Action, Instruction, type OpenFlowError } from "@switchyard/openflow"
import * as fs from "node:fs"
import { decodeInstructions, encodeInstructions } from "../src/internal/instruction.ts"
import { Reader } from "../src/internal/reader.ts"
import { Writer } from "../src/internal/writer.ts"
import type { Version } from "../src/Version.ts"
import { bytes, hex } from "./families.ts"
import { instruction as ryuInstruction } from "./ryu/flow.ts"
import { normalize } from "./ryu/index.ts"
import { packets, parseJsonBigInt, vectorsPresent } from "./vectors.ts"
import { projectLists } from "./versions.ts"

const isError = (u: unknown): u is OpenFlowError.OpenFlowError =>
  typeof u === "object" && u !== null && (u as { _tag?: unknown })._tag === "OpenFlowError"

const decode = (input: Uint8Array, version: Version = 4) =>
  decodeInstructions(new Reader(input, 0, input.length, version), input.length)

const encode = (list: ReadonlyArray<Instruction.Instruction>, version: Version = 4) => {
  const w = new Writer(version, 64)
  const error = encodeInstructions(w, list)
  return error ?? (w.invalid !== undefined ? new Error(w.invalid) : w.copy())
}

const codeOf = (u: unknown) => (isError(u) ? u.code : undefined)

describe("Ryu's FLOW_MOD instruction lists", () => {
  const flowMods = packets("of13").filter((v) => v.bytes[1] === 14)
  it("are all 25 there", () => {
    if (vectorsPresent) expect(flowMods.length).toBe(25)
  })
  it.each(flowMods.map((v) => [v.name, v] as const))("%s", (_, v) => {
    // The match starts at byte 48; the instructions follow its padding.
    const matchLength = (v.bytes[50]! << 8) | v.bytes[51]!
    const region = v.bytes.subarray(48 + ((matchLength + 7) & ~7))
    const list = decode(region)
    if (isError(list)) return expect.fail(list.toLine())
    const json = parseJsonBigInt(fs.readFileSync(v.jsonFile, "utf8")) as { OFPFlowMod: { instructions: unknown } }
    expect(normalize(list.map(ryuInstruction))).toEqual(normalize(json.OFPFlowMod.instructions))
    expect(hex(encode(list) as Uint8Array)).toBe(hex(region))
  })
})

describe("every instruction kind", () => {
  const layouts: ReadonlyArray<readonly [string, Instruction.Instruction, string]> = [
    ["goto_table", Instruction.gotoTable(5), "0001 0008 05 000000"],
    ["write_metadata", Instruction.writeMetadata(0x1234n, 0xffffn), "0002 0018 00000000 0000000000001234 000000000000ffff"],
    ["write_metadata with the default full mask", Instruction.writeMetadata(1n), "0002 0018 00000000 0000000000000001 ffffffffffffffff"],
    ["write_actions", Instruction.writeActions([Action.output(3)]), "0003 0018 00000000 0000 0010 00000003 0000 000000000000"],
    ["apply_actions", Instruction.applyActions([Action.popVlan, Action.output(1)]), "0004 0020 00000000 0012 0008 00000000 0000 0010 00000001 0000 000000000000"],
    ["apply_actions with no actions (drop)", Instruction.applyActions([]), "0004 0008 00000000"],
    ["clear_actions", Instruction.clearActions, "0005 0008 00000000"],
    ["meter", Instruction.meter(7), "0006 0008 00000007"],
    ["experimenter", Instruction.experimenter(0x00ab_cdef, bytes("0102030405060708")), "ffff 0010 00abcdef 0102030405060708"]
  ]
  it.each(layouts)("%s", (_, inst, text) => {
    const encoded = encode([inst])
    if (!(encoded instanceof Uint8Array)) return expect.fail(String(encoded))
    expect(hex(encoded)).toBe(hex(bytes(text)))
    expect(decode(encoded)).toEqual([inst])
  })

  it("appliedActions finds the apply-actions list", () => {
    const list = [Instruction.gotoTable(2), Instruction.applyActions([Action.output(4)])]
    expect(Instruction.appliedActions(list)).toEqual([Action.output(4)])
    expect(Instruction.appliedActions([])).toEqual([])
  })
})

/** Malformed instruction lists (hex of the whole list) and the code Open vSwitch answers with. */
const hostile: ReadonlyArray<readonly [string, string, string, Version?]> = [
  ["4 bytes: too short for an instruction", "0001 0008", "OFPBIC_BAD_LEN"],
  ["length 0 (must not loop)", "0001 0000 00000000", "OFPBIC_BAD_LEN"],
  ["length 4", "0005 0004 00000000", "OFPBIC_BAD_LEN"],
  ["length 12, not a multiple of 8", "0004 000c 00000000 00000000 00000000", "OFPBIC_BAD_LEN"],
  ["length 16 past the 8-byte list", "0004 0010 00000000", "OFPBIC_BAD_LEN"],
  ["goto_table of length 16", "0001 0010 05000000 00000000", "OFPBIC_BAD_LEN"],
  ["write_metadata of length 16", "0002 0010 00000000 0000000000000001", "OFPBIC_BAD_LEN"],
  ["type 7 (OpenFlow 1.5 stat_trigger)", "0007 0008 00000000", "OFPBIC_UNKNOWN_INST"],
  ["type 0", "0000 0008 00000000", "OFPBIC_UNKNOWN_INST"],
  ["meter in OpenFlow 1.5 (an action there)", "0006 0008 00000007", "OFPBIC_UNKNOWN_INST", 6],
  ["two goto_table", "0001 0008 05000000 0001 0008 06000000", "OFPBIC_DUP_INST"],
  ["two apply_actions", "0004 0008 00000000 0004 0008 00000000", "OFPBIC_DUP_INST"],
  ["apply_actions holding a bad action", "0004 0010 00000000 0012 0004 00000000", "OFPBAC_BAD_LEN"],
  ["apply_actions holding an unknown action", "0004 0010 00000000 0001 0008 00000000", "OFPBAC_BAD_TYPE"],
  ["write_actions holding an output to OFPP_ANY", "0003 0018 00000000 0000 0010 ffffffff 0000 000000000000", "OFPBAC_BAD_OUT_PORT"]
]

describe("hostile instruction lists: the exact code", () => {
  it.each(hostile.map(([d, h, c, v]) => [d, h, c, v ?? 4] as const))("%s", (_, text, code, version) => {
    expect(codeOf(decode(bytes(text), version as Version))).toBe(code)
  })

  it("experimenter instructions may repeat", () => {
    const list = decode(bytes("ffff 0008 00000001 ffff 0008 00000002"))
    expect(isError(list) ? list.toLine() : list.length).toBe(2)
  })

  it("a list longer than what is left of the message is OFPBIC_BAD_LEN", () => {
    const input = bytes("0005 0008 00000000")
    expect(codeOf(decodeInstructions(new Reader(input, 0, input.length, 4), 16))).toBe("OFPBIC_BAD_LEN")
  })

  it("OFPBIC_DUP_INST has no OpenFlow 1.3 number; its error reply falls back to OFPBRC_EPERM", () => {
    const error = decode(bytes("0005 0008 00000000 0005 0008 00000000"))
    if (!isError(error)) return expect.fail("expected an error")
    expect(error.type).toBe("OFPET_BAD_INSTRUCTION")
  })
})

describe("encoding refuses what a switch refuses", () => {
  const cases: ReadonlyArray<readonly [string, ReadonlyArray<Instruction.Instruction>, string, Version?]> = [
    ["two apply_actions", [Instruction.applyActions([]), Instruction.applyActions([])], "OFPBIC_DUP_INST"],
    ["two goto_table", [Instruction.gotoTable(1), Instruction.gotoTable(2)], "OFPBIC_DUP_INST"],
    ["meter in OpenFlow 1.5", [Instruction.meter(1)], "OFPBIC_UNKNOWN_INST", 6],
    ["unknown kind", [{ _tag: "StatTrigger" } as unknown as Instruction.Instruction], "OFPBIC_UNKNOWN_INST"],
    ["experimenter data of 5 bytes", [Instruction.experimenter(1, new Uint8Array(5))], "OFPBIC_BAD_LEN"],
    ["a bad action inside", [Instruction.applyActions([Action.output(0xffff_ffff)])], "OFPBAC_BAD_OUT_PORT"]
  ]
  it.each(cases.map(([d, l, c, v]) => [d, l, c, v ?? 4] as const))("%s", (_, list, code, version) => {
    expect(codeOf(encode(list, version as Version))).toBe(code)
  })
})

describe("OpenFlow 1.5 stat-trigger", () => {
  const trigger: Instruction.Instruction = {
    _tag: "StatTrigger",
    flags: Instruction.StatTriggerFlag.PERIODIC,
    thresholds: [{ field: "packetCount", value: 1000n }]
  }

  it("is flags and OXS thresholds, and exists only in 1.5; the meter instruction ends at 1.4", () => {
    // type 7, length 24, flags, then ofp_stats: reserved, length 16, packet_count (class 0x8002, field 4).
    expect(hex(encode([trigger], 6) as Uint8Array)).toBe("00070018" + "00000001" + "00000010" + "80020808" + "00000000000003e8")
    expect(decode(encode([trigger], 6) as Uint8Array, 6)).toEqual([trigger])
    expect(codeOf(encode([trigger], 5))).toBe("OFPBIC_UNKNOWN_INST")
    expect(codeOf(encode([Instruction.meter(1)], 6))).toBe("OFPBIC_UNKNOWN_INST")
  })

  it.each([
    ["thresholds longer than the instruction", "00070010 00000001 00000010 00000000"],
    ["bytes after the thresholds", "00070018 00000001 00000004 00000000 0000000000000000"]
  ])("%s is OFPBIC_BAD_LEN", (_name, input) => {
    expect(codeOf(decode(bytes(input), 6))).toBe("OFPBIC_BAD_LEN")
  })
})

describe("properties", () => {
  it.prop("generated instruction lists round-trip (in 1.3, without 1.5's kinds)", [Instruction.Instructions], ([generated]) => {
    const list = projectLists(generated, 4)
    const encoded = encode(list)
    if (!(encoded instanceof Uint8Array)) throw encoded
    expect(decode(encoded)).toEqual(list)
  }, { arbitrary: { runs: 200, seed: 11 } })

  it.prop("generated instruction lists round-trip in 1.5", [Instruction.Instructions], ([generated]) => {
    const list = projectLists(generated, 6)
    const encoded = encode(list, 6)
    if (!(encoded instanceof Uint8Array)) throw encoded
    expect(decode(encoded, 6)).toEqual(list)
  }, { arbitrary: { runs: 200, seed: 12 } })
})
