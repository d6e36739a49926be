/**
 * Wire codec for OFPT_FLOW_MOD (OpenFlow 1.3 §7.3.4.1): a 40-byte fixed part, the match
 * (strict: a flow mod is what a switch validates fully) and the instruction list.
 *
 * As in Open vSwitch's `OFPRAW_OFPT11_FLOW_MOD`, the body is at least 40 bytes and a
 * multiple of 8 (the match and every instruction are padded to 8), which the central
 * decoder checks. Commands and flags are closed sets per version, read from
 * {@link flagsByVersion}: anything else is OFPFMFC_BAD_COMMAND / OFPFMFC_BAD_FLAGS, in
 * both directions.
 */
import type { FlowMod } from "../FlowMod.ts"
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import { decodeInstructions, encodeInstructions } from "./instruction.ts"
import { decodeMatch, encodeMatch } from "./match.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

/**
 * The flag bits each version defines: 1.1-1.2 SEND_FLOW_REM and CHECK_OVERLAP; 1.3+ also
 * RESET_COUNTS, NO_PKT_COUNTS, NO_BYT_COUNTS.
 */
export const flagsByVersion: ReadonlyArray<number> = [0, 0x07, 0x03, 0x07, 0x1f, 0x1f, 0x1f]

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
  r.skip(2)
  const error = checkHeader(command, flags, r.version)
  if (error !== undefined) return error
  const match = decodeMatch(r, true)
  if (OFE.isOpenFlowError(match)) return match
  const instructions = decodeInstructions(r, r.remaining())
  if (OFE.isOpenFlowError(instructions)) return instructions
  return {
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
  w.zeros(2)
  return encodeMatch(w, m.match, true) ?? encodeInstructions(w, m.instructions)
}

export const rows = [row<FlowMod>({ tag: "FlowMod", type: 14, since: 4, until: 4, minBody: 40, element: 8, decode, encode })]
