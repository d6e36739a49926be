/**
 * Wire codec for OpenFlow instructions (OpenFlow 1.3 §7.2.4): what a flow entry does
 * when it matches — go to another table, write metadata, apply or write actions, clear
 * the action set, pass through a meter.
 *
 * Each instruction is a TLV (`type u16, len u16, body`) whose length is a multiple of 8.
 * A flow entry has at most one instruction of each type; Open vSwitch rejects a repeat
 * with OFPBIC_DUP_INST, and so does this codec (that code exists on the wire from
 * OpenFlow 1.4; an OpenFlow 1.3 error reply falls back to OFPBRC_EPERM).
 */
import type { Instruction } from "../Instruction.ts"
import * as OFE from "../OpenFlowError.ts"
import type { ErrorName, OpenFlowError } from "../OpenFlowError.ts"
import { decodeActions, encodeActions } from "./action.ts"
import type { Reader } from "./reader.ts"
import { decodeStats, encodeStats } from "./stats.ts"
import type { Writer } from "./writer.ts"

/** Instruction type numbers (`OFPIT_*`). */
export const OFPIT = {
  GOTO_TABLE: 1,
  WRITE_METADATA: 2,
  WRITE_ACTIONS: 3,
  APPLY_ACTIONS: 4,
  CLEAR_ACTIONS: 5,
  METER: 6,
  STAT_TRIGGER: 7,
  EXPERIMENTER: 0xffff
} as const

/** One instruction kind on the wire; `length` 0 means variable (at least 8). */
export interface InstructionRow {
  readonly tag: Instruction["_tag"]
  readonly type: number
  readonly length: number
  readonly since: number
  readonly until?: number
}

/**
 * The instruction kinds; METER exists in OpenFlow 1.3 and 1.4 only (1.5 made it an action),
 * STAT_TRIGGER in 1.5.
 */
export const instructionRows: ReadonlyArray<InstructionRow> = [
  { tag: "GotoTable", type: OFPIT.GOTO_TABLE, length: 8, since: 2 },
  { tag: "WriteMetadata", type: OFPIT.WRITE_METADATA, length: 24, since: 2 },
  { tag: "WriteActions", type: OFPIT.WRITE_ACTIONS, length: 0, since: 2 },
  { tag: "ApplyActions", type: OFPIT.APPLY_ACTIONS, length: 0, since: 2 },
  { tag: "ClearActions", type: OFPIT.CLEAR_ACTIONS, length: 8, since: 2 },
  { tag: "Meter", type: OFPIT.METER, length: 8, since: 4, until: 5 },
  { tag: "StatTrigger", type: OFPIT.STAT_TRIGGER, length: 0, since: 6 },
  { tag: "ExperimenterInstruction", type: OFPIT.EXPERIMENTER, length: 0, since: 2 }
]

const byType = new Map<number, InstructionRow>(instructionRows.map((row) => [row.type, row]))
const byTag = new Map<string, InstructionRow>(instructionRows.map((row) => [row.tag, row]))

const inVersion = (row: InstructionRow, version: number): boolean =>
  row.since <= version && (row.until === undefined || version <= row.until)

const bad = (name: ErrorName, message: string): OpenFlowError => OFE.make(name, message)

/** Bit of an instruction type in a "seen" set; experimenter instructions may repeat. */
const bit = (type: number): number => (type === OFPIT.EXPERIMENTER ? 0 : 1 << type)

/**
 * Decodes an instruction list of exactly `length` bytes at `r.pos`. Fails with
 * OFPBIC_BAD_LEN for length problems (list past the message, instruction shorter than 8,
 * not a multiple of 8, past the list, wrong size for its type), OFPBIC_UNKNOWN_INST for
 * an unknown type, OFPBIC_DUP_INST for a repeated type, and the OFPBAC_* error of a bad
 * action inside.
 */
export const decodeInstructions = (r: Reader, length: number): ReadonlyArray<Instruction> | OpenFlowError => {
  if (!r.has(length)) {
    return bad("OFPBIC_BAD_LEN", `instruction list of ${length} bytes exceeds the ${r.remaining()} bytes left in the message`)
  }
  const end = r.pos + length
  const out: Array<Instruction> = []
  let seen = 0
  while (r.pos < end) {
    const left = end - r.pos
    if (left < 8) return bad("OFPBIC_BAD_LEN", `${left} bytes left at the end of the instruction list, too short for an instruction`)
    const type = r.u16()
    const len = r.u16()
    if (len < 8 || (len & 7) !== 0) {
      return bad("OFPBIC_BAD_LEN", `instruction of type ${type} has length ${len}, not a multiple of 8 of at least 8`)
    }
    if (len > left) return bad("OFPBIC_BAD_LEN", `instruction of type ${type} has length ${len} but only ${left} bytes remain`)
    const row = byType.get(type)
    if (row === undefined || !inVersion(row, r.version)) return bad("OFPBIC_UNKNOWN_INST", `unknown instruction type ${type}`)
    if (row.length !== 0 && len !== row.length) {
      return bad("OFPBIC_BAD_LEN", `${row.tag} instruction has length ${len}, expected ${row.length}`)
    }
    if ((seen & bit(type)) !== 0) return bad("OFPBIC_DUP_INST", `more than one ${row.tag} instruction`)
    seen |= bit(type)
    const instEnd = r.pos - 4 + len
    let inst: Instruction
    switch (type) {
      case OFPIT.GOTO_TABLE: {
        const tableId = r.u8()
        r.skip(3)
        inst = { _tag: "GotoTable", tableId }
        break
      }
      case OFPIT.WRITE_METADATA: {
        r.skip(4)
        const metadata = r.u64()
        const metadataMask = r.u64()
        inst = { _tag: "WriteMetadata", metadata, metadataMask }
        break
      }
      case OFPIT.WRITE_ACTIONS:
      case OFPIT.APPLY_ACTIONS: {
        r.skip(4)
        const actions = decodeActions(r, instEnd - r.pos)
        if (OFE.isOpenFlowError(actions)) return actions
        inst = type === OFPIT.WRITE_ACTIONS ? { _tag: "WriteActions", actions } : { _tag: "ApplyActions", actions }
        break
      }
      case OFPIT.CLEAR_ACTIONS:
        r.skip(4)
        inst = { _tag: "ClearActions" }
        break
      case OFPIT.METER:
        inst = { _tag: "Meter", meterId: r.u32() }
        break
      case OFPIT.STAT_TRIGGER: {
        // flags, then an ofp_stats that must fill the instruction exactly.
        const flags = r.u32()
        const saved = r.end
        r.end = instEnd
        const thresholds = decodeStats(r, "stat_trigger thresholds")
        const rest = instEnd - r.pos
        r.end = saved
        if (OFE.isOpenFlowError(thresholds)) return bad("OFPBIC_BAD_LEN", thresholds.message)
        if (rest !== 0) return bad("OFPBIC_BAD_LEN", `stat_trigger instruction has ${rest} bytes after its thresholds`)
        inst = { _tag: "StatTrigger", flags, thresholds }
        break
      }
      default: {
        const experimenter = r.u32()
        inst = { _tag: "ExperimenterInstruction", experimenter, data: r.bytesView(instEnd - r.pos) }
      }
    }
    out.push(inst)
  }
  return out
}

/**
 * Appends an instruction list, with the checks of {@link decodeInstructions} (a repeated
 * type, an experimenter payload that is not a multiple of 8, a bad action inside).
 */
export const encodeInstructions = (w: Writer, instructions: ReadonlyArray<Instruction>): OpenFlowError | undefined => {
  let seen = 0
  for (let i = 0; i < instructions.length; i++) {
    const inst = instructions[i]!
    const row = byTag.get(inst._tag)
    if (row === undefined || !inVersion(row, w.version)) {
      return bad("OFPBIC_UNKNOWN_INST", `instruction ${JSON.stringify(inst._tag)} does not exist in this OpenFlow version`)
    }
    if ((seen & bit(row.type)) !== 0) return bad("OFPBIC_DUP_INST", `more than one ${row.tag} instruction`)
    seen |= bit(row.type)
    switch (inst._tag) {
      case "GotoTable":
        w.u16(OFPIT.GOTO_TABLE)
        w.u16(8)
        w.u8(inst.tableId)
        w.zeros(3)
        break
      case "WriteMetadata":
        w.u16(OFPIT.WRITE_METADATA)
        w.u16(24)
        w.zeros(4)
        w.u64(inst.metadata)
        w.u64(inst.metadataMask)
        break
      case "WriteActions":
      case "ApplyActions": {
        const start = w.pos
        w.u16(row.type)
        w.u16(0)
        w.zeros(4)
        const error = encodeActions(w, inst.actions)
        if (error !== undefined) return error
        const length = w.pos - start
        if (length > 0xffff) return bad("OFPBIC_BAD_LEN", `${inst._tag} instruction of ${length} bytes exceeds 65535`)
        w.patchU16(start + 2, length)
        break
      }
      case "ClearActions":
        w.u16(OFPIT.CLEAR_ACTIONS)
        w.u16(8)
        w.zeros(4)
        break
      case "Meter":
        w.u16(OFPIT.METER)
        w.u16(8)
        w.u32(inst.meterId)
        break
      case "StatTrigger": {
        const start = w.pos
        w.u16(OFPIT.STAT_TRIGGER)
        w.u16(0)
        w.u32(inst.flags)
        encodeStats(w, inst.thresholds, "stat_trigger thresholds")
        const length = w.pos - start
        if (length > 0xffff) return bad("OFPBIC_BAD_LEN", `stat_trigger instruction of ${length} bytes exceeds 65535`)
        w.patchU16(start + 2, length)
        break
      }
      case "ExperimenterInstruction": {
        const length = 8 + inst.data.length
        if ((length & 7) !== 0 || length > 0xfff8) {
          return bad("OFPBIC_BAD_LEN", `experimenter instruction of ${length} bytes is not a multiple of 8 up to 65528`)
        }
        w.u16(OFPIT.EXPERIMENTER)
        w.u16(length)
        w.u32(inst.experimenter)
        w.bytes(inst.data)
        break
      }
    }
  }
  return undefined
}
