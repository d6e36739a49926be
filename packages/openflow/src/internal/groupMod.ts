/**
 * Wire codec for OFPT_GROUP_MOD in its OpenFlow 1.1-1.4 layout (1.3 §7.3.4.2): command,
 * type and group id, then buckets (`len u16, weight u16, watch_port u32, watch_group u32,
 * pad[4]`, actions). OpenFlow 1.5 changed the layout (bucket ids and properties) and
 * gets its own row when it is added.
 *
 * Errors follow Open vSwitch's `ofputil_pull_ofp11_buckets` and the spec: a bucket that
 * does not fit, is shorter than its 16-byte header or not a multiple of 8 is
 * OFPGMFC_BAD_BUCKET; an unknown command or type is OFPGMFC_BAD_COMMAND / BAD_TYPE; a
 * reserved group id is OFPGMFC_INVALID_GROUP.
 */
import { type Bucket, type GroupMod, isValidGroupId } from "../GroupMod.ts"
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import { decodeActions, encodeActions } from "./action.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const BUCKET_HEADER = 16

const checkHeader = (command: number, groupType: number, groupId: number): OpenFlowError | undefined => {
  if (command > 2) return OFE.make("OFPGMFC_BAD_COMMAND", `group mod command ${command} is not one of 0-2`)
  if (groupType > 3) return OFE.make("OFPGMFC_BAD_TYPE", `group type ${groupType} is not one of 0-3`)
  if (!isValidGroupId(command, groupId)) {
    return OFE.make("OFPGMFC_INVALID_GROUP", `group id 0x${groupId.toString(16)} is reserved for this command`)
  }
  return undefined
}

/**
 * Decodes the bucket list that fills the rest of the reader (also used for the buckets
 * of GROUP_DESC replies).
 */
export const decodeBuckets = (r: Reader, length: number): ReadonlyArray<Bucket> | OpenFlowError => {
  if (!r.has(length)) {
    return OFE.make("OFPGMFC_BAD_BUCKET", `bucket list of ${length} bytes exceeds the ${r.remaining()} bytes left`)
  }
  const end = r.pos + length
  const buckets: Array<Bucket> = []
  while (r.pos < end) {
    const left = end - r.pos
    if (left < BUCKET_HEADER) return OFE.make("OFPGMFC_BAD_BUCKET", `buckets end with ${left} leftover bytes`)
    const len = r.u16()
    if (len < BUCKET_HEADER) return OFE.make("OFPGMFC_BAD_BUCKET", `bucket length ${len} is shorter than its 16-byte header`)
    if (len > left) return OFE.make("OFPGMFC_BAD_BUCKET", `bucket length ${len} exceeds the ${left} bytes of buckets left`)
    if ((len & 7) !== 0) return OFE.make("OFPGMFC_BAD_BUCKET", `bucket length ${len} is not a multiple of 8`)
    const weight = r.u16()
    const watchPort = r.u32()
    const watchGroup = r.u32()
    r.skip(4)
    const actions = decodeActions(r, len - BUCKET_HEADER)
    if (OFE.isOpenFlowError(actions)) return actions
    buckets.push({ weight, watchPort, watchGroup, actions })
  }
  return buckets
}

/** Encodes buckets (also used for GROUP_DESC replies). */
export const encodeBuckets = (w: Writer, buckets: ReadonlyArray<Bucket>): OpenFlowError | undefined => {
  for (const b of buckets) {
    const start = w.mark()
    w.u16(0)
    w.u16(b.weight)
    w.u32(b.watchPort)
    w.u32(b.watchGroup)
    w.zeros(4)
    const error = encodeActions(w, b.actions)
    if (error !== undefined) return error
    const length = w.pos - start
    if (length > 0xffff) return OFE.make("OFPGMFC_BAD_BUCKET", `bucket of ${length} bytes exceeds 65535`)
    w.patchU16(start, length)
  }
  return undefined
}

const decode = (r: Reader): GroupMod | OpenFlowError => {
  const command = r.u16()
  const groupType = r.u8()
  r.skip(1)
  const groupId = r.u32()
  const error = checkHeader(command, groupType, groupId)
  if (error !== undefined) return error
  const buckets = decodeBuckets(r, r.remaining())
  if (OFE.isOpenFlowError(buckets)) return buckets
  return {
    _tag: "GroupMod",
    command: command as GroupMod["command"],
    groupType: groupType as GroupMod["groupType"],
    groupId,
    buckets
  }
}

const encode = (w: Writer, m: GroupMod): OpenFlowError | undefined => {
  const error = checkHeader(m.command, m.groupType, m.groupId)
  if (error !== undefined) return error
  w.u16(m.command)
  w.u8(m.groupType)
  w.zeros(1)
  w.u32(m.groupId)
  return encodeBuckets(w, m.buckets)
}

export const rows = [row<GroupMod>({ tag: "GroupMod", type: 15, since: 4, until: 5, minBody: 8, element: 8, decode, encode })]
