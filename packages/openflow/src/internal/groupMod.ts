/**
 * Wire codec for OFPT_GROUP_MOD in its OpenFlow 1.1-1.4 layout (1.3 §7.3.4.2): command,
 * type and group id, then buckets (`len u16, weight u16, watch_port u32, watch_group u32,
 * pad[4]`, actions). OpenFlow 1.5 (§7.3.4.2) has `command, type, pad, group_id,
 * bucket_array_len, pad[2], command_bucket_id`, buckets of `len u16, action_array_len
 * u16, bucket_id u32`, actions and properties (weight, watch port, watch group,
 * experimenter), then group properties.
 *
 * Errors follow Open vSwitch's `ofputil_pull_ofp11_buckets` and the spec: a bucket that
 * does not fit, is shorter than its 16-byte header or not a multiple of 8 is
 * OFPGMFC_BAD_BUCKET; an unknown command or type is OFPGMFC_BAD_COMMAND / BAD_TYPE; a
 * reserved group id is OFPGMFC_INVALID_GROUP.
 */
import { type Bucket, type BucketProperty, type GroupMod, type GroupProperty, isValidGroupId } from "../GroupMod.ts"
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import { ANY as PORT_ANY } from "../Port.ts"
import { decodeActions, encodeActions } from "./action.ts"
import {
  begin,
  decodeExperimenter,
  decodeProperties,
  decodeUnknown,
  encodeExperimenter,
  encodeUnknown,
  end,
  expectLength,
  EXPERIMENTER,
  needsVersion
} from "./property.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const BUCKET_HEADER = 16

const checkHeader = (command: number, groupType: number, groupId: number, version: number): OpenFlowError | undefined => {
  if (command > 2 && !(version >= 6 && (command === 3 || command === 5))) {
    return OFE.make(
      "OFPGMFC_BAD_COMMAND",
      version >= 6 ? `group mod command ${command} is not one of 0-3, 5` : `group mod command ${command} is not one of 0-2`
    )
  }
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

/** Encodes buckets (also used for GROUP_DESC replies); 1.5's ids and properties cannot be carried. */
export const encodeBuckets = (w: Writer, buckets: ReadonlyArray<Bucket>): OpenFlowError | undefined => {
  for (const b of buckets) {
    if (b.bucketId !== undefined) needsVersion(w, `bucket id ${b.bucketId}`, 6)
    if (b.properties !== undefined && b.properties.length > 0) needsVersion(w, "bucket properties", 6)
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
  const error = checkHeader(command, groupType, groupId, r.version)
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
  const error = checkHeader(m.command, m.groupType, m.groupId, w.version)
  if (error !== undefined) return error
  if (m.commandBucketId !== undefined && m.commandBucketId !== BUCKET_ALL) needsVersion(w, `command bucket id ${m.commandBucketId}`, 6)
  if (m.properties !== undefined && m.properties.length > 0) needsVersion(w, "group properties", 6)
  w.u16(m.command)
  w.u8(m.groupType)
  w.zeros(1)
  w.u32(m.groupId)
  return encodeBuckets(w, m.buckets)
}

// ---------------------------------------------------------------------------------------
// OpenFlow 1.5.
// ---------------------------------------------------------------------------------------

const BUCKET_ALL = 0xffff_ffff
const BUCKET15_HEADER = 8
const SELECT = 1
const OFPGBPT_WEIGHT = 0
const OFPGBPT_WATCH_PORT = 1
const OFPGBPT_WATCH_GROUP = 2
const GROUP_ANY = 0xffff_ffff

/** What one bucket's properties set, collected while they are read (never re-entered). */
const seen = { weight: false, watchPort: false, watchGroup: false }
const values = { weight: 0, watchPort: 0, watchGroup: 0 }

const bucketProperty = (r: Reader, type: number, length: number): BucketProperty | null | OpenFlowError => {
  switch (type) {
    case OFPGBPT_WEIGHT: {
      const error = expectLength("bucket", "weight", length, 8)
      if (error !== undefined) return error
      if (seen.weight) return OFE.make("OFPBPC_DUP_TYPE", "bucket has more than one weight property")
      seen.weight = true
      values.weight = r.u16()
      return null
    }
    case OFPGBPT_WATCH_PORT:
    case OFPGBPT_WATCH_GROUP: {
      const port = type === OFPGBPT_WATCH_PORT
      const error = expectLength("bucket", port ? "watch-port" : "watch-group", length, 8)
      if (error !== undefined) return error
      if (port ? seen.watchPort : seen.watchGroup) return OFE.make("OFPBPC_DUP_TYPE", `bucket has more than one ${port ? "watch-port" : "watch-group"} property`)
      if (port) {
        seen.watchPort = true
        values.watchPort = r.u32()
      } else {
        seen.watchGroup = true
        values.watchGroup = r.u32()
      }
      return null
    }
    case EXPERIMENTER:
      return decodeExperimenter(r, length, "bucket")
    default:
      return decodeUnknown(r, type, length)
  }
}

/**
 * Decodes an OpenFlow 1.5 bucket list of exactly `length` bytes (also used for GROUP_DESC
 * replies). A bucket that does not fit, is shorter than its 8-byte header, or whose
 * action list does not fit it is OFPGMFC_BAD_BUCKET.
 */
export const decodeBuckets15 = (r: Reader, length: number): ReadonlyArray<Bucket> | OpenFlowError => {
  if (!r.has(length)) return OFE.make("OFPGMFC_BAD_BUCKET", `bucket list of ${length} bytes exceeds the ${r.remaining()} bytes left`)
  const listEnd = r.pos + length
  const buckets: Array<Bucket> = []
  while (r.pos < listEnd) {
    const left = listEnd - r.pos
    if (left < BUCKET15_HEADER) return OFE.make("OFPGMFC_BAD_BUCKET", `buckets end with ${left} leftover bytes`)
    const start = r.pos
    const len = r.u16()
    const actionsLen = r.u16()
    if (len < BUCKET15_HEADER || len > left) return OFE.make("OFPGMFC_BAD_BUCKET", `bucket length ${len} is not between 8 and the ${left} bytes of buckets left`)
    if ((len & 7) !== 0) return OFE.make("OFPGMFC_BAD_BUCKET", `bucket length ${len} is not a multiple of 8`)
    if (actionsLen > len - BUCKET15_HEADER) {
      return OFE.make("OFPGMFC_BAD_BUCKET", `bucket action_array_len ${actionsLen} exceeds the ${len - BUCKET15_HEADER} bytes after its header`)
    }
    const bucketId = r.u32()
    const actions = decodeActions(r, actionsLen)
    if (OFE.isOpenFlowError(actions)) return actions
    seen.weight = seen.watchPort = seen.watchGroup = false
    values.weight = 0
    values.watchPort = PORT_ANY
    values.watchGroup = GROUP_ANY
    const decoded = decodeProperties(r, start + len, `bucket ${bucketId}`, bucketProperty)
    if (OFE.isOpenFlowError(decoded)) return decoded
    const properties: Array<BucketProperty> = []
    for (const p of decoded) if (p !== null) properties.push(p)
    const { watchGroup, watchPort, weight } = values
    buckets.push(
      properties.length === 0
        ? { weight, watchPort, watchGroup, actions, bucketId }
        : { weight, watchPort, watchGroup, actions, bucketId, properties }
    )
  }
  return buckets
}

/**
 * Encodes OpenFlow 1.5 buckets of a group of type `groupType`: weight for SELECT groups
 * and whenever not 0, watches when not ANY (as Open vSwitch does), then the other
 * properties. A bucket without an id gets its position in the list.
 */
export const encodeBuckets15 = (w: Writer, buckets: ReadonlyArray<Bucket>, groupType: number): OpenFlowError | undefined => {
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i]!
    const start = w.mark()
    w.u16(0)
    w.u16(0)
    w.u32(b.bucketId ?? i)
    const actionsStart = w.pos
    const error = encodeActions(w, b.actions)
    if (error !== undefined) return error
    w.patchU16(start + 2, w.pos - actionsStart)
    const what = `bucket ${b.bucketId ?? i}`
    if (groupType === SELECT || b.weight !== 0) {
      const at = begin(w, OFPGBPT_WEIGHT)
      w.u16(b.weight)
      w.zeros(2)
      end(w, at, what)
    }
    if (b.watchPort !== PORT_ANY) {
      const at = begin(w, OFPGBPT_WATCH_PORT)
      w.u32(b.watchPort)
      end(w, at, what)
    }
    if (b.watchGroup !== GROUP_ANY) {
      const at = begin(w, OFPGBPT_WATCH_GROUP)
      w.u32(b.watchGroup)
      end(w, at, what)
    }
    for (const p of b.properties ?? []) {
      if (p._tag === "ExperimenterProperty") encodeExperimenter(w, p, what)
      else encodeUnknown(w, p, what)
    }
    const length = w.pos - start
    if (length > 0xffff) return OFE.make("OFPGMFC_BAD_BUCKET", `bucket of ${length} bytes exceeds 65535`)
    w.patchU16(start, length)
  }
  return undefined
}

const groupProperty = (r: Reader, type: number, length: number): GroupProperty | OpenFlowError =>
  type === EXPERIMENTER ? decodeExperimenter(r, length, "group") : decodeUnknown(r, type, length)

/** Reads group properties (GROUP_MOD and GROUP_DESC entries, OpenFlow 1.5) up to `limit`. */
export const decodeGroupProperties = (r: Reader, limit: number, what: string): Array<GroupProperty> | OpenFlowError =>
  decodeProperties(r, limit, what, groupProperty)

/** Writes group properties. */
export const encodeGroupProperties = (w: Writer, properties: ReadonlyArray<GroupProperty>, what: string): void => {
  for (const p of properties) {
    if (p._tag === "ExperimenterProperty") encodeExperimenter(w, p, what)
    else encodeUnknown(w, p, what)
  }
}

const decode15 = (r: Reader): GroupMod | OpenFlowError => {
  const command = r.u16()
  const groupType = r.u8()
  r.skip(1)
  const groupId = r.u32()
  const bucketsLen = r.u16()
  r.skip(2)
  const commandBucketId = r.u32()
  const error = checkHeader(command, groupType, groupId, r.version)
  if (error !== undefined) return error
  if (bucketsLen > r.remaining()) {
    return OFE.make("OFPGMFC_BAD_BUCKET", `bucket_array_len ${bucketsLen} exceeds the ${r.remaining()} bytes after the group mod header`)
  }
  const buckets = decodeBuckets15(r, bucketsLen)
  if (OFE.isOpenFlowError(buckets)) return buckets
  const properties = decodeGroupProperties(r, r.end, `group ${groupId}`)
  if (OFE.isOpenFlowError(properties)) return properties
  const m: { -readonly [K in keyof GroupMod]: GroupMod[K] } = {
    _tag: "GroupMod",
    command: command as GroupMod["command"],
    groupType: groupType as GroupMod["groupType"],
    groupId,
    buckets
  }
  if (commandBucketId !== BUCKET_ALL) m.commandBucketId = commandBucketId
  if (properties.length > 0) m.properties = properties
  return m
}

const encode15 = (w: Writer, m: GroupMod): OpenFlowError | undefined => {
  const error = checkHeader(m.command, m.groupType, m.groupId, w.version)
  if (error !== undefined) return error
  w.u16(m.command)
  w.u8(m.groupType)
  w.zeros(1)
  w.u32(m.groupId)
  const lengthAt = w.mark()
  w.u16(0)
  w.zeros(2)
  w.u32(m.commandBucketId ?? BUCKET_ALL)
  const start = w.pos
  const bucketError = encodeBuckets15(w, m.buckets, m.groupType)
  if (bucketError !== undefined) return bucketError
  const length = w.pos - start
  if (length > 0xffff) return OFE.make("OFPGMFC_BAD_BUCKET", `bucket list of ${length} bytes exceeds 65535`)
  w.patchU16(lengthAt, length)
  encodeGroupProperties(w, m.properties ?? [], `group ${m.groupId}`)
  return undefined
}

export const rows = [
  row<GroupMod>({ tag: "GroupMod", type: 15, since: 4, until: 5, minBody: 8, element: 8, decode, encode }),
  row<GroupMod>({ tag: "GroupMod", type: 15, since: 6, minBody: 16, element: 8, decode: decode15, encode: encode15 })
]
