/**
 * Wire codec for OFPT_BUNDLE_CONTROL, OFPT_BUNDLE_ADD_MESSAGE (OpenFlow 1.4 §7.3.9; the
 * same in 1.5) and the OFPMP_BUNDLE_FEATURES request and reply (1.5 §7.3.5.22).
 *
 * BUNDLE_CONTROL is `bundle_id, type u16, flags u16` and properties. BUNDLE_ADD_MESSAGE
 * is `bundle_id, pad[2], flags u16`, a whole message with its header, and properties;
 * when properties follow, the inner message is padded to 8 bytes (the 1.4 spec's
 * `ofp_bundle_add_msg` comment). The inner message is checked as Open vSwitch's
 * `ofputil_decode_bundle_add` does: at least a header, a length within what remains
 * (OFPBFC_MSG_BAD_LEN), the outer version (OFPBRC_BAD_VERSION) and xid
 * (OFPBFC_MSG_BAD_XID); then it is decoded with the whole catalog, and one that does not
 * decode, or is itself a BUNDLE_ADD_MESSAGE, is OFPBFC_MSG_UNSUP. Control types outside
 * 0-7 are OFPBFC_BAD_TYPE, flags the version does not define OFPBFC_BAD_FLAGS.
 */
import type {
  BundleAddMessage,
  BundleControl,
  BundleFeaturesProperty,
  BundleFeaturesReply,
  BundleFeaturesRequest,
  BundleProperty,
  Time
} from "../Bundle.ts"
import type { Message } from "../Message.ts"
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import { invalid } from "./invalid.ts"
import { nested } from "./nested.ts"
import {
  begin,
  decodeExperimenter,
  decodeProperties,
  decodeUnknown,
  encodeExperimenter,
  encodeUnknown,
  end,
  expectLength,
  EXPERIMENTER
} from "./property.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const OFPBPT_TIME = 1
const OFPTMPBF_TIME_CAPABILITY = 1
const OFPMP_BUNDLE_FEATURES = 19

/** The bundle flags each version defines: 1.4 ATOMIC and ORDERED, 1.5 also TIME. */
const flagsOf = (version: number): number => (version >= 6 ? 0x7 : 0x3)

const checkFlags = (flags: number, version: number, what: string): OpenFlowError | undefined =>
  (flags & ~flagsOf(version)) !== 0
    ? OFE.make("OFPBFC_BAD_FLAGS", `${what} flags 0x${flags.toString(16)} set bits outside 0x${flagsOf(version).toString(16)}`)
    : undefined

const readTime = (r: Reader): Time => {
  const seconds = r.u64()
  const nanoseconds = r.u32()
  r.skip(4)
  return { seconds, nanoseconds }
}

const writeTime = (w: Writer, t: Time): void => {
  w.u64(t.seconds)
  w.u32(t.nanoseconds)
  w.zeros(4)
}

const bundleProperty = (r: Reader, type: number, length: number): BundleProperty | OpenFlowError => {
  switch (type) {
    case OFPBPT_TIME: {
      const error = expectLength("bundle", "time", length, 24)
      if (error !== undefined) return error
      r.skip(4)
      return { _tag: "BundlePropTime", scheduledTime: readTime(r) }
    }
    case EXPERIMENTER:
      return decodeExperimenter(r, length, "bundle")
    default:
      return decodeUnknown(r, type, length)
  }
}

const encodeBundleProperties = (w: Writer, properties: ReadonlyArray<BundleProperty>): void => {
  for (const p of properties) {
    switch (p._tag) {
      case "BundlePropTime": {
        const at = begin(w, OFPBPT_TIME)
        w.zeros(4)
        writeTime(w, p.scheduledTime)
        end(w, at, "bundle time property")
        break
      }
      case "ExperimenterProperty":
        encodeExperimenter(w, p, "bundle")
        break
      case "UnknownProperty":
        encodeUnknown(w, p, "bundle")
        break
    }
  }
}

const decodeControl = (r: Reader): BundleControl | OpenFlowError => {
  const bundleId = r.u32()
  const type = r.u16()
  const flags = r.u16()
  if (type > 7) return OFE.make("OFPBFC_BAD_TYPE", `bundle ${bundleId}: control type ${type} is not one of 0-7`)
  const error = checkFlags(flags, r.version, `bundle ${bundleId}`)
  if (error !== undefined) return error
  const properties = decodeProperties(r, r.end, "BUNDLE_CONTROL", bundleProperty)
  return OFE.isOpenFlowError(properties) ? properties : { _tag: "BundleControl", bundleId, type, flags, properties }
}

const encodeControl = (w: Writer, m: BundleControl): OpenFlowError | undefined => {
  if (m.type > 7) return OFE.make("OFPBFC_BAD_TYPE", `bundle ${m.bundleId}: control type ${m.type} is not one of 0-7`)
  const error = checkFlags(m.flags, w.version, `bundle ${m.bundleId}`)
  if (error !== undefined) return error
  w.u32(m.bundleId)
  w.u16(m.type)
  w.u16(m.flags)
  encodeBundleProperties(w, m.properties)
  return undefined
}

const decodeAdd = (r: Reader): BundleAddMessage | OpenFlowError => {
  const bundleId = r.u32()
  r.skip(2)
  const flags = r.u16()
  const flagError = checkFlags(flags, r.version, `bundle ${bundleId}`)
  if (flagError !== undefined) return flagError
  const left = r.remaining()
  if (left < 8) return OFE.make("OFPBFC_MSG_BAD_LEN", `bundle ${bundleId}: ${left} bytes left, short of the added message's header`)
  const b = r.bytes
  const p = r.pos
  const innerLength = (b[p + 2]! << 8) | b[p + 3]!
  if (innerLength < 8 || innerLength > left) {
    return OFE.make("OFPBFC_MSG_BAD_LEN", `bundle ${bundleId}: added message length ${innerLength} is not between 8 and the ${left} bytes that remain`)
  }
  if (b[p] !== r.version) {
    return OFE.make("OFPBRC_BAD_VERSION", `bundle ${bundleId}: added message of version 0x${b[p]!.toString(16)} in a version ${r.version} bundle`)
  }
  // The outer header is at the start of the reader's bytes.
  for (let i = 4; i < 8; i++) {
    if (b[p + i] !== b[i]) return OFE.make("OFPBFC_MSG_BAD_XID", `bundle ${bundleId}: the added message's xid differs from the BUNDLE_ADD_MESSAGE's`)
  }
  const inner = nested.decode(b.subarray(p, p + innerLength), r.lenient)
  if (OFE.isOpenFlowError(inner)) return OFE.make("OFPBFC_MSG_UNSUP", `bundle ${bundleId}: the added message does not decode: ${inner.toLine()}`)
  if (inner._tag === "BundleAddMessage") return OFE.make("OFPBFC_MSG_UNSUP", `bundle ${bundleId}: a BUNDLE_ADD_MESSAGE cannot be added to a bundle`)
  r.skip(innerLength)
  let properties: Array<BundleProperty> = []
  if (r.pos < r.end) {
    const pad = ((innerLength + 7) & ~7) - innerLength
    if (r.remaining() < pad) return OFE.make("OFPBRC_BAD_LEN", `bundle ${bundleId}: ${r.remaining()} bytes after the added message, short of its padding`)
    r.skip(pad)
    const decoded = decodeProperties(r, r.end, "BUNDLE_ADD_MESSAGE", bundleProperty)
    if (OFE.isOpenFlowError(decoded)) return decoded
    properties = decoded
  }
  return { _tag: "BundleAddMessage", bundleId, flags, message: inner as Message, properties }
}

const encodeAdd = (w: Writer, m: BundleAddMessage): OpenFlowError | undefined => {
  // The body starts right after the outer header, whose xid the added message repeats.
  const outer = w.pos - 8
  const xid = ((w.buf[outer + 4]! << 24) >>> 0) + ((w.buf[outer + 5]! << 16) | (w.buf[outer + 6]! << 8) | w.buf[outer + 7]!)
  const flagError = checkFlags(m.flags, w.version, `bundle ${m.bundleId}`)
  if (flagError !== undefined) return flagError
  if (m.message._tag === "BundleAddMessage") return OFE.make("OFPBFC_MSG_UNSUP", `bundle ${m.bundleId}: a BUNDLE_ADD_MESSAGE cannot be added to a bundle`)
  w.u32(m.bundleId)
  w.zeros(2)
  w.u16(m.flags)
  const innerStart = w.pos
  const error = nested.encode(w, m.message, xid)
  if (error !== undefined) {
    if (OFE.isOpenFlowError(error)) return error
    invalid(w, `bundle ${m.bundleId}: the added message: ${error.message}`)
    return undefined
  }
  if (m.properties.length > 0) {
    w.pad8(innerStart)
    encodeBundleProperties(w, m.properties)
  }
  return undefined
}

const featuresProperty = (r: Reader, type: number, length: number): BundleFeaturesProperty | OpenFlowError => {
  switch (type) {
    case OFPTMPBF_TIME_CAPABILITY: {
      const error = expectLength("BUNDLE_FEATURES", "time", length, 72)
      if (error !== undefined) return error
      r.skip(4)
      const schedAccuracy = readTime(r)
      const schedMaxFuture = readTime(r)
      const schedMaxPast = readTime(r)
      return { _tag: "BundleFeaturesPropTime", schedAccuracy, schedMaxFuture, schedMaxPast, timestamp: readTime(r) }
    }
    case EXPERIMENTER:
      return decodeExperimenter(r, length, "BUNDLE_FEATURES")
    default:
      return decodeUnknown(r, type, length)
  }
}

const encodeFeaturesProperties = (w: Writer, properties: ReadonlyArray<BundleFeaturesProperty>): void => {
  for (const p of properties) {
    switch (p._tag) {
      case "BundleFeaturesPropTime": {
        const at = begin(w, OFPTMPBF_TIME_CAPABILITY)
        w.zeros(4)
        writeTime(w, p.schedAccuracy)
        writeTime(w, p.schedMaxFuture)
        writeTime(w, p.schedMaxPast)
        writeTime(w, p.timestamp)
        end(w, at, "BUNDLE_FEATURES time property")
        break
      }
      case "ExperimenterProperty":
        encodeExperimenter(w, p, "BUNDLE_FEATURES")
        break
      case "UnknownProperty":
        encodeUnknown(w, p, "BUNDLE_FEATURES")
        break
    }
  }
}

export const rows = [
  row<BundleControl>({ tag: "BundleControl", type: 33, since: 5, minBody: 8, element: 8, decode: decodeControl, encode: encodeControl }),
  row<BundleAddMessage>({ tag: "BundleAddMessage", type: 34, since: 5, minBody: 16, element: 1, decode: decodeAdd, encode: encodeAdd }),
  row<BundleFeaturesRequest>({
    tag: "BundleFeaturesRequest",
    type: 18,
    multipart: OFPMP_BUNDLE_FEATURES,
    since: 6,
    minBody: 8,
    element: 8,
    decode: (r: Reader, flags) => {
      const featureRequestFlags = r.u32()
      r.skip(4)
      const properties = decodeProperties(r, r.end, "BUNDLE_FEATURES request", featuresProperty)
      return OFE.isOpenFlowError(properties) ? properties : { _tag: "BundleFeaturesRequest", flags, featureRequestFlags, properties }
    },
    encode: (w: Writer, m) => {
      w.u32(m.featureRequestFlags)
      w.zeros(4)
      encodeFeaturesProperties(w, m.properties)
      return undefined
    }
  }),
  row<BundleFeaturesReply>({
    tag: "BundleFeaturesReply",
    type: 19,
    multipart: OFPMP_BUNDLE_FEATURES,
    since: 6,
    minBody: 8,
    element: 8,
    decode: (r: Reader, flags) => {
      const capabilities = r.u16()
      r.skip(6)
      const properties = decodeProperties(r, r.end, "BUNDLE_FEATURES reply", featuresProperty)
      return OFE.isOpenFlowError(properties) ? properties : { _tag: "BundleFeaturesReply", flags, capabilities, properties }
    },
    encode: (w: Writer, m) => {
      w.u16(m.capabilities)
      w.zeros(6)
      encodeFeaturesProperties(w, m.properties)
      return undefined
    }
  })
]
