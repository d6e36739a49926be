/**
 * Wire codec for OFPT_FLOW_MOD (OpenFlow 1.3 §7.3.4.1): a 40-byte fixed part, the match
 * (strict: a flow mod is what a switch validates fully) and the instruction list. The
 * same layout serves 1.4 and 1.5, where the two bytes after `flags` are `importance`.
 *
 * As in Open vSwitch's `OFPRAW_OFPT11_FLOW_MOD`, the body is at least 40 bytes and a
 * multiple of 8 (the match and every instruction are padded to 8), which the central
 * decoder checks. Commands and flags are closed sets per version, read from
 * {@link flagsByVersion}: anything else is OFPFMFC_BAD_COMMAND / OFPFMFC_BAD_FLAGS, in
 * both directions.
 */
import { GROUP_ANY, TABLE_ALL, type FlowMod } from "../FlowMod.ts"
import type { ApplyActions } from "../Instruction.ts"
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import { fromOf10 } from "../Port.ts"
import { decodeActions10, encodeActions10 } from "./action10.ts"
import { decodeInstructions, encodeInstructions } from "./instruction.ts"
import { invalid } from "./invalid.ts"
import { decodeMatch, encodeMatch } from "./match.ts"
import { decodeMatch10, encodeMatch10, ipProtoOf, lastDecoded } from "./match10.ts"
import { writePort10 } from "./port.ts"
import { needsVersion } from "./property.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

/**
 * The flag bits each version defines, in the model's meaning: 1.0 and 1.1 SEND_FLOW_REM
 * and CHECK_OVERLAP (1.0's third bit is EMERG, not RESET_COUNTS, and is refused as Open
 * vSwitch refuses it); 1.2 also RESET_COUNTS; 1.3+ also NO_PKT_COUNTS, NO_BYT_COUNTS.
 */
export const flagsByVersion: ReadonlyArray<number> = [0, 0x03, 0x03, 0x07, 0x1f, 0x1f, 0x1f]

const LAST_COMMAND = 4

const checkHeader = (command: number, flags: number, version: number): OpenFlowError | undefined => {
  if (command > LAST_COMMAND) return OFE.make("OFPFMFC_BAD_COMMAND", `flow mod command ${command} is not one of 0-${LAST_COMMAND}`)
  const allowed = flagsByVersion[version]!
  if ((flags & ~allowed) !== 0) {
    return OFE.make("OFPFMFC_BAD_FLAGS", `flow mod flags 0x${flags.toString(16)} set bits outside 0x${allowed.toString(16)}`)
  }
  return undefined
}

const decode = (r: Reader): FlowMod | OpenFlowError => {
  const cookie = r.u64()
  const cookieMask = r.u64()
  const tableId = r.u8()
  const command = r.u8()
  const idleTimeout = r.u16()
  const hardTimeout = r.u16()
  const priority = r.u16()
  const bufferId = r.u32()
  const outPort = r.u32()
  const outGroup = r.u32()
  const flags = r.u16()
  // OpenFlow 1.4 put `importance` in what 1.1-1.3 had as padding.
  const importance = r.version >= 5 ? r.u16() : (r.skip(2), 0)
  const error = checkHeader(command, flags, r.version)
  if (error !== undefined) return error
  const match = decodeMatch(r, true)
  if (OFE.isOpenFlowError(match)) return match
  const instructions = decodeInstructions(r, r.remaining())
  if (OFE.isOpenFlowError(instructions)) return instructions
  const m: { -readonly [K in keyof FlowMod]: FlowMod[K] } = {
    _tag: "FlowMod",
    cookie,
    cookieMask,
    tableId,
    command: command as FlowMod["command"],
    idleTimeout,
    hardTimeout,
    priority,
    bufferId,
    outPort,
    outGroup,
    flags,
    match,
    instructions
  }
  if (importance !== 0) m.importance = importance
  return m
}

const encode = (w: Writer, m: FlowMod): OpenFlowError | undefined => {
  const error = checkHeader(m.command, m.flags, w.version)
  if (error !== undefined) return error
  w.u64(m.cookie)
  w.u64(m.cookieMask)
  w.u8(m.tableId)
  w.u8(m.command)
  w.u16(m.idleTimeout)
  w.u16(m.hardTimeout)
  w.u16(m.priority)
  w.u32(m.bufferId)
  w.u32(m.outPort)
  w.u32(m.outGroup)
  w.u16(m.flags)
  const importance = m.importance ?? 0
  if (w.version >= 5) w.u16(importance)
  else {
    if (importance !== 0) needsVersion(w, `flow mod importance ${importance}`, 5)
    w.zeros(2)
  }
  return encodeMatch(w, m.match, true) ?? encodeInstructions(w, m.instructions)
}

// ---------------------------------------------------------------------------------------
// OpenFlow 1.0 (§5.3.3): `ofp_match` (40 bytes) first, then cookie, command, timeouts,
// priority, buffer id, a 16-bit out_port and flags (24 bytes), then a flat action list.
// 1.0 has no table id, no cookie mask, no groups and no instructions: the action list is
// the model's single apply-actions instruction (none when the list is empty), a delete
// covers the one logical flow table (decoded as table OFPTT_ALL, encoded from 0 or
// OFPTT_ALL), and what 1.0 cannot say is refused rather than dropped.
// ---------------------------------------------------------------------------------------

/** OpenFlow 1.0's OFPFF_EMERG: the emergency flow cache, which 1.0.1 made optional and 1.1 removed. */
const OFPFF10_EMERG = 1 << 2

/** The model's flag bits 1.0 has: SEND_FLOW_REM and CHECK_OVERLAP (1.0's bit 2 is EMERG, not RESET_COUNTS). */
const FLAGS10 = flagsByVersion[1]!

const decode10 = (r: Reader): FlowMod | OpenFlowError => {
  const match = decodeMatch10(r)
  const spare = lastDecoded.spare
  const cookie = r.u64()
  const command = r.u16()
  const idleTimeout = r.u16()
  const hardTimeout = r.u16()
  const priority = r.u16()
  const bufferId = r.u32()
  const outPort = fromOf10(r.u16())
  const flags = r.u16()
  if (command > LAST_COMMAND) return OFE.make("OFPFMFC_BAD_COMMAND", `flow mod command ${command} is not one of 0-${LAST_COMMAND}`)
  if ((flags & OFPFF10_EMERG) !== 0) {
    // As Open vSwitch answers: the code 1.0 defines for an emergency flow with timeouts,
    // and "table full" for the emergency table this codec does not have.
    return idleTimeout !== 0 || hardTimeout !== 0
      ? OFE.make("OFPFMFC_BAD_TIMEOUT", "an emergency flow (OFPFF_EMERG) must not have timeouts")
      : OFE.make("OFPFMFC_TABLE_FULL", "emergency flows (OFPFF_EMERG) are not supported")
  }
  if ((flags & ~FLAGS10) !== 0) {
    return OFE.make("OFPFMFC_BAD_FLAGS", `flow mod flags 0x${flags.toString(16)} set bits OpenFlow 1.0 does not define`)
  }
  const actions = decodeActions10(r, r.remaining(), ipProtoOf(match))
  if (OFE.isOpenFlowError(actions)) return actions
  const m: { -readonly [K in keyof FlowMod]: FlowMod[K] } = {
    _tag: "FlowMod",
    cookie,
    cookieMask: 0n,
    tableId: command >= 3 ? TABLE_ALL : 0,
    command: command as FlowMod["command"],
    idleTimeout,
    hardTimeout,
    priority,
    bufferId,
    outPort,
    outGroup: GROUP_ANY,
    flags,
    match,
    instructions: actions.length === 0 ? [] : [{ _tag: "ApplyActions", actions }]
  }
  if (spare !== 0) m.of10Wildcards = spare
  return m
}

/** The 1.0 action list of a flow's instructions: none, or one apply-actions. */
export const actionsOf10 = (instructions: FlowMod["instructions"]): ApplyActions | OpenFlowError | undefined => {
  if (instructions.length === 0) return undefined
  for (const i of instructions) {
    if (i._tag !== "ApplyActions") {
      return OFE.make("OFPBIC_UNSUP_INST", `OpenFlow 1.0 has no ${i._tag} instruction, only a list of actions applied at once`)
    }
  }
  if (instructions.length > 1) return OFE.make("OFPBIC_DUP_INST", "OpenFlow 1.0 has one action list, not several apply-actions")
  return instructions[0] as ApplyActions
}

const encode10 = (w: Writer, m: FlowMod): OpenFlowError | undefined => {
  if (m.command > LAST_COMMAND) return OFE.make("OFPFMFC_BAD_COMMAND", `flow mod command ${m.command} is not one of 0-${LAST_COMMAND}`)
  if ((m.flags & ~FLAGS10) !== 0) {
    return OFE.make("OFPFMFC_BAD_FLAGS", `flow mod flags 0x${m.flags.toString(16)} use bits OpenFlow 1.0 does not have (it has 0x${FLAGS10.toString(16)})`)
  }
  const apply = actionsOf10(m.instructions)
  if (OFE.isOpenFlowError(apply)) return apply
  if (m.cookieMask !== 0n) invalid(w, `cookieMask ${m.cookieMask}: OpenFlow 1.0 flow mods cannot select entries by cookie`)
  if (m.outGroup !== GROUP_ANY) invalid(w, `outGroup ${m.outGroup}: OpenFlow 1.0 has no groups`)
  if (m.tableId !== 0 && !(m.tableId === TABLE_ALL && m.command >= 3)) {
    invalid(w, `table ${m.tableId}: an OpenFlow 1.0 flow mod has no table id (use 0, or OFPTT_ALL for a delete)`)
  }
  if ((m.importance ?? 0) !== 0) needsVersion(w, `flow mod importance ${m.importance}`, 5)
  const error = encodeMatch10(w, m.match, true, m.of10Wildcards)
  if (error !== undefined) return error
  w.u64(m.cookie)
  w.u16(m.command)
  w.u16(m.idleTimeout)
  w.u16(m.hardTimeout)
  w.u16(m.priority)
  w.u32(m.bufferId)
  writePort10(w, m.outPort, "flow mod out_port")
  w.u16(m.flags)
  return apply === undefined ? undefined : encodeActions10(w, apply.actions)
}

// OpenFlow 1.4 and 1.5 keep the 1.3 layout, with `importance` in the former padding.
export const rows = [
  row<FlowMod>({ tag: "FlowMod", type: 14, since: 1, until: 1, minBody: 64, element: 8, decode: decode10, encode: encode10 }),
  row<FlowMod>({ tag: "FlowMod", type: 14, since: 4, minBody: 40, element: 8, decode, encode })
]
