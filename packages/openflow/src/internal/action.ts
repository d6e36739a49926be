/**
 * Wire codec for OpenFlow actions (OpenFlow 1.3 §7.2.5): action lists as they appear in
 * instructions, packet-outs and group buckets.
 *
 * Each action is a TLV (`type u16, len u16, body`) whose length includes the header and is
 * a multiple of 8. The fixed-size actions are rows of {@link actionRows} (type, tag,
 * length, versions); SET_FIELD carries one OXM TLV padded to 8 bytes; experimenter
 * actions (Nicira's, among them) are kept opaque so they re-encode byte for byte.
 * Errors follow Open vSwitch's `ofpacts_decode`: OFPBAC_BAD_LEN for any length problem,
 * OFPBAC_BAD_TYPE for an unknown type, OFPBAC_BAD_SET_* for a bad set-field.
 */
import type { Action } from "../Action.ts"
import type { OxmField } from "../Match.ts"
import * as OFE from "../OpenFlowError.ts"
import type { ErrorName, OpenFlowError } from "../OpenFlowError.ts"
import { decodeOxm, decodeOxmId, encodeOxm, encodeOxmId, rowByName } from "./match.ts"
import type { Reader } from "./reader.ts"
import type { Writer } from "./writer.ts"

/** Action type numbers (`OFPAT_*`) of OpenFlow 1.1+. */
export const OFPAT = {
  OUTPUT: 0,
  COPY_TTL_OUT: 11,
  COPY_TTL_IN: 12,
  SET_MPLS_TTL: 15,
  DEC_MPLS_TTL: 16,
  PUSH_VLAN: 17,
  POP_VLAN: 18,
  PUSH_MPLS: 19,
  POP_MPLS: 20,
  SET_QUEUE: 21,
  GROUP: 22,
  SET_NW_TTL: 23,
  DEC_NW_TTL: 24,
  SET_FIELD: 25,
  PUSH_PBB: 26,
  POP_PBB: 27,
  COPY_FIELD: 28,
  METER: 29,
  EXPERIMENTER: 0xffff
} as const

/**
 * One action kind on the wire. `length` is the exact length of a fixed-size action, 0
 * for the variable-length ones (SET_FIELD, EXPERIMENTER), which have their own checks.
 */
export interface ActionRow {
  readonly tag: Action["_tag"]
  readonly type: number
  readonly length: number
  readonly since: number
  readonly until?: number
}

/** The action kinds of OpenFlow 1.1-1.5 (1.1's SET_* actions, types 1-10, are not modelled). */
export const actionRows: ReadonlyArray<ActionRow> = [
  { tag: "Output", type: OFPAT.OUTPUT, length: 16, since: 2 },
  { tag: "CopyTtlOut", type: OFPAT.COPY_TTL_OUT, length: 8, since: 2 },
  { tag: "CopyTtlIn", type: OFPAT.COPY_TTL_IN, length: 8, since: 2 },
  { tag: "SetMplsTtl", type: OFPAT.SET_MPLS_TTL, length: 8, since: 2 },
  { tag: "DecMplsTtl", type: OFPAT.DEC_MPLS_TTL, length: 8, since: 2 },
  { tag: "PushVlan", type: OFPAT.PUSH_VLAN, length: 8, since: 2 },
  { tag: "PopVlan", type: OFPAT.POP_VLAN, length: 8, since: 2 },
  { tag: "PushMpls", type: OFPAT.PUSH_MPLS, length: 8, since: 2 },
  { tag: "PopMpls", type: OFPAT.POP_MPLS, length: 8, since: 2 },
  { tag: "SetQueue", type: OFPAT.SET_QUEUE, length: 8, since: 2 },
  { tag: "Group", type: OFPAT.GROUP, length: 8, since: 2 },
  { tag: "SetNwTtl", type: OFPAT.SET_NW_TTL, length: 8, since: 2 },
  { tag: "DecNwTtl", type: OFPAT.DEC_NW_TTL, length: 8, since: 2 },
  { tag: "SetField", type: OFPAT.SET_FIELD, length: 0, since: 3 },
  { tag: "PushPbb", type: OFPAT.PUSH_PBB, length: 8, since: 4 },
  { tag: "PopPbb", type: OFPAT.POP_PBB, length: 8, since: 4 },
  { tag: "CopyField", type: OFPAT.COPY_FIELD, length: 0, since: 6 },
  { tag: "MeterAction", type: OFPAT.METER, length: 8, since: 6 },
  { tag: "ExperimenterAction", type: OFPAT.EXPERIMENTER, length: 0, since: 2 }
]

const byType = new Map<number, ActionRow>(actionRows.map((row) => [row.type, row]))
const byTag = new Map<string, ActionRow>(actionRows.map((row) => [row.tag, row]))

const inVersion = (row: ActionRow, version: number): boolean => row.since <= version && (row.until === undefined || version <= row.until)

const bad = (name: ErrorName, message: string): OpenFlowError => OFE.make(name, message)

/** The reserved-port range no action may output to: 0xffffff01..0xfffffff7, and ANY. */
const isBadOutPort = (port: number): boolean => (port > 0xffff_ff00 && port < 0xffff_fff8) || port === 0xffff_ffff

const checkOutPort = (port: number): OpenFlowError | undefined =>
  isBadOutPort(port)
    ? bad("OFPBAC_BAD_OUT_PORT", `output port 0x${port.toString(16)} is neither a port number nor a reserved port an action may use`)
    : undefined

const checkPushVlan = (ethertype: number): OpenFlowError | undefined =>
  ethertype === 0x8100 || ethertype === 0x88a8
    ? undefined
    : bad("OFPBAC_BAD_ARGUMENT", `push_vlan ethertype 0x${ethertype.toString(16)} is neither 0x8100 nor 0x88a8`)

const checkPushMpls = (ethertype: number): OpenFlowError | undefined =>
  ethertype === 0x8847 || ethertype === 0x8848
    ? undefined
    : bad("OFPBAC_BAD_ARGUMENT", `push_mpls ethertype 0x${ethertype.toString(16)} is neither 0x8847 nor 0x8848`)

/** Maps a match error on a set-field's OXM to the set-field error Open vSwitch sends. */
const setFieldError = (error: OpenFlowError): OpenFlowError => {
  const name: ErrorName = error.code === "OFPBMC_BAD_LEN"
    ? "OFPBAC_BAD_SET_LEN"
    : error.code === "OFPBMC_BAD_FIELD"
    ? "OFPBAC_BAD_SET_TYPE"
    : "OFPBAC_BAD_SET_ARGUMENT"
  return bad(name, `set_field: ${error.message}`)
}

/**
 * Checks what a set-field may carry beyond the OXM's own validity: no mask before
 * OpenFlow 1.5, a writable field, and (OpenFlow 1.5) OFPVID_PRESENT in a VLAN id.
 */
const checkSetField = (field: OxmField, version: number): OpenFlowError | undefined => {
  if (field.field === "opaque") {
    if (field.hasMask && version < 6) return bad("OFPBAC_BAD_SET_ARGUMENT", "set_field cannot carry a mask before OpenFlow 1.5")
    return undefined
  }
  const row = rowByName.get(field.field)
  if (row === undefined) return undefined
  if (field.mask !== undefined && version < 6) {
    return bad("OFPBAC_BAD_SET_ARGUMENT", `set_field ${row.oxmName} cannot carry a mask before OpenFlow 1.5`)
  }
  if (!row.writable) return bad("OFPBAC_BAD_SET_ARGUMENT", `set_field cannot write ${row.oxmName}`)
  if (
    row.number === 6 && version >= 6 &&
    (((field.value as number) & 0x1000) === 0 || (field.mask !== undefined && ((field.mask as number) & 0x1000) === 0))
  ) {
    return bad("OFPBAC_BAD_SET_ARGUMENT", "set_field vlan_vid must have OFPVID_PRESENT (0x1000) set in OpenFlow 1.5")
  }
  return undefined
}

/**
 * Decodes one action whose header (type, length) was read; the reader is at its body
 * and `end` is where the action ends (already checked to be within the list).
 */
const decodeOne = (r: Reader, type: number, length: number, end: number): Action | OpenFlowError => {
  const row = byType.get(type)
  if (row === undefined || !inVersion(row, r.version)) {
    return bad("OFPBAC_BAD_TYPE", `unknown action type ${type}`)
  }
  if (row.length !== 0 && length !== row.length) {
    return bad("OFPBAC_BAD_LEN", `${row.tag} action has length ${length}, expected ${row.length}`)
  }
  switch (type) {
    case OFPAT.OUTPUT: {
      const port = r.u32()
      const maxLen = r.u16()
      r.skip(6)
      return checkOutPort(port) ?? { _tag: "Output", port, maxLen }
    }
    case OFPAT.COPY_TTL_OUT:
      r.skip(4)
      return { _tag: "CopyTtlOut" }
    case OFPAT.COPY_TTL_IN:
      r.skip(4)
      return { _tag: "CopyTtlIn" }
    case OFPAT.SET_MPLS_TTL: {
      const mplsTtl = r.u8()
      r.skip(3)
      return { _tag: "SetMplsTtl", mplsTtl }
    }
    case OFPAT.DEC_MPLS_TTL:
      r.skip(4)
      return { _tag: "DecMplsTtl" }
    case OFPAT.PUSH_VLAN: {
      const ethertype = r.u16()
      r.skip(2)
      return checkPushVlan(ethertype) ?? { _tag: "PushVlan", ethertype: ethertype as 0x8100 | 0x88a8 }
    }
    case OFPAT.POP_VLAN:
      r.skip(4)
      return { _tag: "PopVlan" }
    case OFPAT.PUSH_MPLS: {
      const ethertype = r.u16()
      r.skip(2)
      return checkPushMpls(ethertype) ?? { _tag: "PushMpls", ethertype: ethertype as 0x8847 | 0x8848 }
    }
    case OFPAT.POP_MPLS: {
      const ethertype = r.u16()
      r.skip(2)
      return { _tag: "PopMpls", ethertype }
    }
    case OFPAT.SET_QUEUE:
      return { _tag: "SetQueue", queueId: r.u32() }
    case OFPAT.GROUP:
      return { _tag: "Group", groupId: r.u32() }
    case OFPAT.SET_NW_TTL: {
      const nwTtl = r.u8()
      r.skip(3)
      return { _tag: "SetNwTtl", nwTtl }
    }
    case OFPAT.DEC_NW_TTL:
      r.skip(4)
      return { _tag: "DecNwTtl" }
    case OFPAT.SET_FIELD: {
      const start = r.pos - 4
      const field = decodeOxm(r, end)
      if (OFE.isOpenFlowError(field)) return setFieldError(field)
      // The action is exactly the OXM padded to 8 bytes (§7.2.5); anything longer could
      // not be re-encoded as sent.
      const expected = (r.pos - start + 7) & ~7
      if (length !== expected) {
        return bad("OFPBAC_BAD_SET_LEN", `set_field action has length ${length}, expected ${expected} for its OXM`)
      }
      r.pos = end
      return checkSetField(field, r.version) ?? { _tag: "SetField", field }
    }
    case OFPAT.PUSH_PBB: {
      const ethertype = r.u16()
      r.skip(2)
      return { _tag: "PushPbb", ethertype }
    }
    case OFPAT.POP_PBB:
      r.skip(4)
      return { _tag: "PopPbb" }
    case OFPAT.METER:
      return { _tag: "MeterAction", meterId: r.u32() }
    case OFPAT.COPY_FIELD: {
      // n_bits, src_offset, dst_offset, pad[2], then the source and destination OXM ids,
      // padded to 8: the action is exactly that long.
      if (length < 20) return bad("OFPBAC_BAD_LEN", `copy_field action of length ${length} has no room for two OXM ids`)
      const nBits = r.u16()
      const srcOffset = r.u16()
      const dstOffset = r.u16()
      r.skip(2)
      const src = decodeOxmId(r, end)
      if (OFE.isOpenFlowError(src)) return bad("OFPBAC_BAD_LEN", `copy_field source: ${src.message}`)
      const dst = decodeOxmId(r, end)
      if (OFE.isOpenFlowError(dst)) return bad("OFPBAC_BAD_LEN", `copy_field destination: ${dst.message}`)
      const expected = (r.pos - (end - length) + 7) & ~7
      if (length !== expected) return bad("OFPBAC_BAD_LEN", `copy_field action has length ${length}, expected ${expected} for its OXM ids`)
      r.pos = end
      return { _tag: "CopyField", nBits, srcOffset, dstOffset, src, dst }
    }
    default: {
      // Experimenter: the only remaining row. Its 4-byte id follows the header.
      const experimenter = r.u32()
      return { _tag: "ExperimenterAction", experimenter, data: r.bytesView(end - r.pos) }
    }
  }
}

/**
 * Decodes an action list of exactly `length` bytes at `r.pos`. Fails with OFPBAC_BAD_LEN
 * when the list does not fit the reader, when an action is shorter than 8 bytes, not a
 * multiple of 8, or runs past the list; OFPBAC_BAD_TYPE for an unknown type; other
 * OFPBAC_* codes for bad arguments. On success the reader is past the list.
 */
export const decodeActions = (r: Reader, length: number): ReadonlyArray<Action> | OpenFlowError => {
  if (!r.has(length)) {
    return bad("OFPBAC_BAD_LEN", `action list of ${length} bytes exceeds the ${r.remaining()} bytes left in the message`)
  }
  const end = r.pos + length
  const actions: Array<Action> = []
  while (r.pos < end) {
    const left = end - r.pos
    if (left < 8) return bad("OFPBAC_BAD_LEN", `${left} bytes left at the end of the action list, too short for an action`)
    const type = r.u16()
    const len = r.u16()
    if (len < 8 || (len & 7) !== 0) {
      return bad("OFPBAC_BAD_LEN", `action of type ${type} has length ${len}, not a multiple of 8 of at least 8`)
    }
    if (len > left) return bad("OFPBAC_BAD_LEN", `action of type ${type} has length ${len} but only ${left} bytes remain in the list`)
    const action = decodeOne(r, type, len, r.pos - 4 + len)
    if (OFE.isOpenFlowError(action)) return action
    actions.push(action)
  }
  return actions
}

/**
 * Appends an action list. Fails with the error a switch would send for an action it
 * cannot accept (an unknown kind, a bad set-field, a push_vlan with the wrong
 * EtherType, ...). Returns nothing on success; the caller computes the list length from
 * the writer position.
 */
export const encodeActions = (w: Writer, actions: ReadonlyArray<Action>): OpenFlowError | undefined => {
  for (let i = 0; i < actions.length; i++) {
    const error = encodeAction(w, actions[i]!)
    if (error !== undefined) return error
  }
  return undefined
}

/**
 * The number of bytes `actions` take on the wire (without validating them; a set-field
 * of an unknown field counts as its bare header).
 */
export const actionsLength = (actions: ReadonlyArray<Action>): number => {
  let length = 0
  for (const a of actions) {
    switch (a._tag) {
      case "Output":
        length += 16
        break
      case "SetField": {
        const f = a.field
        const oxm = f.field === "opaque"
          ? 4 + f.payload.length
          : 4 + (rowByName.get(f.field)?.bytes ?? 0) * (f.mask === undefined ? 1 : 2)
        length += (4 + oxm + 7) & ~7
        break
      }
      case "ExperimenterAction":
        length += 8 + a.data.length
        break
      case "CopyField":
        length += (12 + oxmIdLength(a.src) + oxmIdLength(a.dst) + 7) & ~7
        break
      default:
        length += 8
    }
  }
  return length
}

/** The size of an OXM id on the wire: its header, and the experimenter id of class 0xffff. */
const oxmIdLength = (id: { readonly field: string; readonly experimenter?: number | undefined }): number =>
  id.field === "opaque" && id.experimenter !== undefined ? 8 : 4

/** Writes the 8-byte header-only action `type` with its 4 bytes of padding. */
const headerOnly = (w: Writer, type: number): void => {
  w.ensure(8)
  const b = w.buf
  const p = w.pos
  b[p] = type >>> 8
  b[p + 1] = type
  b[p + 2] = 0
  b[p + 3] = 8
  b[p + 4] = 0
  b[p + 5] = 0
  b[p + 6] = 0
  b[p + 7] = 0
  w.pos = p + 8
}

/** Writes an 8-byte action whose body is a 16-bit EtherType and 2 bytes of padding. */
const ethertypeAction = (w: Writer, type: number, ethertype: number): void => {
  w.u16(type)
  w.u16(8)
  w.u16(ethertype)
  w.zeros(2)
}

const encodeAction = (w: Writer, a: Action): OpenFlowError | undefined => {
  // Output, by far the most common action, exists in every version: no row lookup.
  if (a._tag === "Output") {
    const error = checkOutPort(a.port)
    if (error !== undefined) return error
    w.u16(OFPAT.OUTPUT)
    w.u16(16)
    w.u32(a.port)
    w.u16(a.maxLen)
    w.zeros(6)
    return undefined
  }
  const row = byTag.get(a._tag)
  if (row === undefined || !inVersion(row, w.version)) {
    return bad("OFPBAC_BAD_TYPE", `action ${JSON.stringify(a._tag)} does not exist in this OpenFlow version`)
  }
  switch (a._tag) {
    case "CopyTtlOut":
    case "CopyTtlIn":
    case "DecMplsTtl":
    case "PopVlan":
    case "DecNwTtl":
    case "PopPbb":
      headerOnly(w, row.type)
      return undefined
    case "SetMplsTtl":
    case "SetNwTtl":
      w.u16(row.type)
      w.u16(8)
      w.u8(a._tag === "SetMplsTtl" ? a.mplsTtl : a.nwTtl)
      w.zeros(3)
      return undefined
    case "PushVlan": {
      const error = checkPushVlan(a.ethertype)
      if (error !== undefined) return error
      ethertypeAction(w, OFPAT.PUSH_VLAN, a.ethertype)
      return undefined
    }
    case "PushMpls": {
      const error = checkPushMpls(a.ethertype)
      if (error !== undefined) return error
      ethertypeAction(w, OFPAT.PUSH_MPLS, a.ethertype)
      return undefined
    }
    case "PopMpls":
    case "PushPbb":
      ethertypeAction(w, row.type, a.ethertype)
      return undefined
    case "SetQueue":
      w.u16(OFPAT.SET_QUEUE)
      w.u16(8)
      w.u32(a.queueId)
      return undefined
    case "Group":
      w.u16(OFPAT.GROUP)
      w.u16(8)
      w.u32(a.groupId)
      return undefined
    case "SetField": {
      const start = w.pos
      w.u16(OFPAT.SET_FIELD)
      w.u16(0)
      const error = encodeOxm(w, a.field)
      if (error !== undefined) return setFieldError(error)
      const semantic = checkSetField(a.field, w.version)
      if (semantic !== undefined) return semantic
      w.pad8(start)
      w.patchU16(start + 2, w.pos - start)
      return undefined
    }
    case "MeterAction":
      w.u16(OFPAT.METER)
      w.u16(8)
      w.u32(a.meterId)
      return undefined
    case "CopyField": {
      const start = w.pos
      w.u16(OFPAT.COPY_FIELD)
      w.u16(0)
      w.u16(a.nBits)
      w.u16(a.srcOffset)
      w.u16(a.dstOffset)
      w.zeros(2)
      const error = encodeOxmId(w, a.src) ?? encodeOxmId(w, a.dst)
      if (error !== undefined) return bad("OFPBAC_BAD_ARGUMENT", `copy_field: ${error.message}`)
      w.pad8(start)
      w.patchU16(start + 2, w.pos - start)
      return undefined
    }
    case "ExperimenterAction": {
      const length = 8 + a.data.length
      if ((length & 7) !== 0 || length > 0xfff8) {
        return bad("OFPBAC_BAD_LEN", `experimenter action of ${length} bytes is not a multiple of 8 up to 65528`)
      }
      w.u16(OFPAT.EXPERIMENTER)
      w.u16(length)
      w.u32(a.experimenter)
      w.bytes(a.data)
      return undefined
    }
  }
}
