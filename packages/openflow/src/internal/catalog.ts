/**
 * The wire catalog: every row of every family, and the central decode and encode steps
 * that use it.
 *
 * Decoding checks, once and in one place, what every family would otherwise check on its
 * own (as Open vSwitch's `ofpraw_pull` does): the header's length against the buffer, the
 * version, the type (and multipart type), and the body length against the row's minimum
 * and element size. Family decoders run only on bodies that passed.
 */
import { EncodeError } from "../EncodeError.ts"
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import * as Version from "../Version.ts"
import { rows as barrier } from "./barrier.ts"
import { rows as echo } from "./echo.ts"
import { rows as errorMsg } from "./errorMsg.ts"
import { rows as experimenter } from "./experimenter.ts"
import { rows as features } from "./features.ts"
import { rows as hello } from "./hello.ts"
import { rows as async } from "./async.ts"
import { rows as desc } from "./desc.ts"
import { rows as flowStats } from "./flowStats.ts"
import { rows as groupStats } from "./groupStats.ts"
import { rows as meterMod } from "./meterMod.ts"
import { rows as meterStats } from "./meterStats.ts"
import { rows as multipart } from "./multipart.ts"
import { rows as portDesc } from "./portDesc.ts"
import { rows as portMod } from "./portMod.ts"
import { rows as portStats } from "./portStats.ts"
import { rows as portStatus } from "./portStatus.ts"
import { rows as queueConfig } from "./queueConfig.ts"
import { rows as queueStats } from "./queueStats.ts"
import { rows as role } from "./role.ts"
import { rows as switchConfig } from "./switchConfig.ts"
import { rows as tableFeatures } from "./tableFeatures.ts"
import { rows as tableMod } from "./tableMod.ts"
import { rows as tableDesc } from "./tableDesc.ts"
import { rows as queueDesc } from "./queueDesc.ts"
import { rows as flowMonitor } from "./flowMonitor.ts"
import { rows as controllerStatus } from "./controllerStatus.ts"
import { rows as bundle } from "./bundle.ts"
import { rows as requestForward } from "./requestForward.ts"
import { rows as tableStats } from "./tableStats.ts"
import { rows as flowMod } from "./flowMod.ts"
import { rows as flowRemoved } from "./flowRemoved.ts"
import { rows as groupMod } from "./groupMod.ts"
import { rows as packetIn } from "./packetIn.ts"
import { rows as packetOut } from "./packetOut.ts"
import { nested } from "./nested.ts"
import { Reader } from "./reader.ts"
import type { Row } from "./row.ts"
import type { Writer } from "./writer.ts"

/** Every row; families register here. */
export const allRows: ReadonlyArray<Row<any>> = [
  ...hello,
  ...errorMsg,
  ...echo,
  ...experimenter,
  ...features,
  ...barrier,
  ...switchConfig,
  ...portStatus,
  ...portMod,
  ...tableMod,
  ...tableDesc,
  ...queueDesc,
  ...flowMonitor,
  ...controllerStatus,
  ...bundle,
  ...requestForward,
  ...meterMod,
  ...role,
  ...async,
  ...queueConfig,
  ...desc,
  ...flowStats,
  ...tableStats,
  ...portStats,
  ...portDesc,
  ...queueStats,
  ...groupStats,
  ...meterStats,
  ...tableFeatures,
  ...multipart,
  ...flowMod,
  ...packetIn,
  ...packetOut,
  ...flowRemoved,
  ...groupMod
]

/** The multipart request/reply header type numbers per version: [request, reply]. */
const multipartTypes = (version: number): readonly [number, number] => version === 1 ? [16, 17] : [18, 19]

/** Size of the multipart (stats) header after the OpenFlow header: 1.0 has no padding. */
export const multipartHeaderSize = (version: number): number => version === 1 ? 4 : 8

// Dispatch tables, built once: by version then type; multipart rows by version, direction
// and multipart type. An experimenter multipart row is keyed by 0xffff.
const byType: Array<Array<Row<any> | undefined>> = []
const byMultipart: Array<[Map<number, Row<any>>, Map<number, Row<any>>]> = []
const byTag = new Map<string, Array<Row<any> | undefined>>()

for (let v = 1; v <= 6; v++) {
  byType[v] = []
  byMultipart[v] = [new Map(), new Map()]
}
for (const r of allRows) {
  const until = r.until ?? 6
  for (let v = r.since; v <= until; v++) {
    if (r.encodeOnly) {
      // Decoded by the row that owns the wire type.
    } else if (r.multipart !== undefined) {
      const [request, reply] = multipartTypes(v)
      if (r.type !== request && r.type !== reply) {
        throw new Error(`catalog: multipart row ${r.tag} has type ${r.type} in version ${v}`)
      }
      const table = byMultipart[v]![r.type === request ? 0 : 1]
      if (table.has(r.multipart)) throw new Error(`catalog: duplicate multipart row ${r.tag} in version ${v}`)
      table.set(r.multipart, r)
    } else {
      if (byType[v]![r.type] !== undefined) throw new Error(`catalog: duplicate row ${r.tag}/${byType[v]![r.type]!.tag} in version ${v}`)
      byType[v]![r.type] = r
    }
    let versions = byTag.get(r.tag)
    if (versions === undefined) byTag.set(r.tag, versions = [])
    if (versions[v] !== undefined) throw new Error(`catalog: duplicate encoder for ${r.tag} in version ${v}`)
    versions[v] = r
  }
}

const reader = new Reader(new Uint8Array(0), 0, 0, 4)

/**
 * Decodes one complete message (`bytes` is exactly the message, header included).
 * Never throws; returns the message or the error to send back.
 *
 * Uses one shared reader: decoding is synchronous and never re-entered.
 */
export const decodeBody = (bytes: Uint8Array, lenient = false, into: Reader = reader): { readonly _tag: string } | OpenFlowError => {
  if (bytes.length < 8) return OFE.make("OFPBRC_BAD_LEN", `message of ${bytes.length} bytes is shorter than the 8-byte header`)
  const version = bytes[0]!
  const type = bytes[1]!
  const length = (bytes[2]! << 8) | bytes[3]!
  if (length !== bytes.length) {
    return OFE.make("OFPBRC_BAD_LEN", `header length ${length} does not match the ${bytes.length} bytes of the message`)
  }
  if (!Version.isVersion(version)) return OFE.make("OFPBRC_BAD_VERSION", `unknown OpenFlow version 0x${version.toString(16)}`)
  let r: Row<any> | undefined
  let start = 8
  let flags = 0
  const [request, reply] = multipartTypes(version)
  if (type === request || type === reply) {
    const mpHeader = multipartHeaderSize(version)
    if (length < 8 + mpHeader) {
      return OFE.make("OFPBRC_BAD_LEN", `multipart message of ${length} bytes is shorter than its ${8 + mpHeader}-byte header`)
    }
    const mpType = (bytes[8]! << 8) | bytes[9]!
    flags = (bytes[10]! << 8) | bytes[11]!
    r = byMultipart[version]![type === request ? 0 : 1].get(mpType)
    if (r === undefined) {
      return OFE.make(
        "OFPBRC_BAD_MULTIPART",
        `multipart type ${mpType} is not supported in OpenFlow ${Version.format(version)}`
      )
    }
    start = 8 + mpHeader
  } else {
    r = byType[version]![type]
    if (r === undefined) {
      return OFE.make("OFPBRC_BAD_TYPE", `message type ${type} is not supported in OpenFlow ${Version.format(version)}`)
    }
  }
  const body = length - start
  if (body < r.minBody) {
    return OFE.make("OFPBRC_BAD_LEN", `${r.tag} body of ${body} bytes is shorter than the minimum ${r.minBody}`)
  }
  const extra = body - r.minBody
  if (r.element === 0 ? extra !== 0 : r.element > 1 && extra % r.element !== 0) {
    return OFE.make(
      "OFPBRC_BAD_LEN",
      r.element === 0
        ? `${r.tag} body of ${body} bytes, expected exactly ${r.minBody}`
        : `${r.tag} body of ${body} bytes is not ${r.minBody} plus a multiple of ${r.element}`
    )
  }
  into.lenient = lenient
  return r.decode(into.reset(bytes, start, length, version), flags)
}

// A message inside a message (BUNDLE_ADD_MESSAGE, REQUESTFORWARD) is decoded while the
// shared reader is in the middle of the outer one, so it gets a reader of its own. When
// it is encoded, the outer message's first misfit (if any) must survive the inner
// `encodeInto`, which starts by clearing it.
nested.decode = (bytes, lenient) => decodeBody(bytes, lenient, new Reader(bytes, 0, 0, 4))
nested.encode = (w, message, xid) => {
  const outer = w.invalid
  const error = encodeInto(w, message, xid)
  if (outer !== undefined) w.invalid = outer
  return error
}

/**
 * Appends one message to `w` (in `w.version`) with `xid`. On failure nothing is left in
 * the writer and the error is returned.
 */
export const encodeInto = (
  w: Writer,
  message: { readonly _tag: string; readonly flags?: number },
  xid: number
): OpenFlowError | EncodeError | undefined => {
  const version = w.version
  const r = byTag.get(message._tag)?.[version]
  if (r === undefined) {
    return byTag.has(message._tag)
      ? OFE.make("OFPBRC_BAD_VERSION", `${message._tag} cannot be encoded in OpenFlow ${Version.format(version)}`)
      : OFE.make("OFPBRC_BAD_TYPE", `unknown message kind ${JSON.stringify(message._tag)}`)
  }
  const start = w.pos
  w.clearInvalid()
  w.u8(version)
  w.u8(r.type)
  w.u16(0)
  w.u32(xid)
  if (r.multipart !== undefined) {
    w.u16(r.multipart)
    w.u16(message.flags ?? 0)
    if (version !== 1) w.zeros(4)
  }
  let error: OpenFlowError | EncodeError | undefined
  try {
    error = r.encode(w, message)
  } catch (cause) {
    // Typed callers cannot get here; a value built by untyped code (JSON that skipped the
    // Schema, a missing field) can make a family encoder read `undefined`. That is still a
    // message that cannot be put on the wire, not a crash of the sender's fiber.
    w.clearInvalid()
    error = new EncodeError({
      messageTag: message._tag,
      message: `not a valid ${message._tag} value (${cause instanceof Error ? cause.message : String(cause)}); validate untyped input with the Message schema`
    })
  }
  if (error !== undefined) {
    w.pos = start
    return error
  }
  const length = w.pos - start
  if (w.invalid !== undefined || length > 0xffff) {
    const detail = w.invalid ?? `the message is ${length} bytes, over the 65535 its length field can hold`
    w.pos = start
    w.clearInvalid()
    return new EncodeError({ messageTag: message._tag, message: detail })
  }
  w.patchU16(start + 2, length)
  return undefined
}

/** `true` when the catalog can encode `tag` in `version`. */
export const canEncode = (tag: string, version: number): boolean => byTag.get(tag)?.[version] !== undefined
