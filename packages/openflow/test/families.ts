/**
 * Helpers for the per-family tests: load one vector (of any version folder), decode it
 * expecting success or a given error code, re-encode, and build messages by hand from
 * hex with the header filled in.
 *
 * Family tests use these for what the whole-codec conformance test does not cover:
 * vectors of other versions whose layout equals OpenFlow 1.3's, bytes built by hand
 * from the spec where no vector exists, and hostile input with exact error codes.
 */
import { expect } from "@effect/vitest"
import { Message } from "@switchyard/openflow"
import { Result } from "effect"
import * as fs from "node:fs"
import { normalize, toRyu } from "./ryu/index.ts"
import { packets, parseJsonBigInt, vectorsPresent, type Vector } from "./vectors.ts"

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex")

/** Bytes from hex, ignoring whitespace and `|` separators (used to show field boundaries). */
export const bytes = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/[\s|]/g, ""), "hex"))

/** One vector by folder and file name; `undefined` when the vectors are absent. */
export const vector = (folder: string, name: string): Vector | undefined => {
  const v = packets(folder).find((p) => p.name === name)
  if (v === undefined && packets(folder).length > 0) throw new Error(`no vector ${folder}/${name}`)
  return v
}

/** Ryu's JSON for a vector, with 64-bit integers kept exact. */
export const ryuJson = (v: Vector): unknown => parseJsonBigInt(fs.readFileSync(v.jsonFile, "utf8"))

/** A whole message: header (version, type, computed length, xid 0) followed by `body` hex. */
export const message = (version: number, type: number, body: string): Uint8Array => {
  const b = bytes(body)
  const out = new Uint8Array(8 + b.length)
  out[0] = version
  out[1] = type
  out[2] = out.length >> 8
  out[3] = out.length & 0xff
  out.set(b, 8)
  return out
}

/** A whole multipart message: header, then `mpType u16, flags u16, pad[4]`, then `body` hex. */
export const multipart = (version: number, reply: boolean, mpType: number, body: string, flags = 0): Uint8Array =>
  message(version, reply ? 19 : 18, mpType.toString(16).padStart(4, "0") + flags.toString(16).padStart(4, "0") + "00000000" + body)

/** Decodes, failing the test with the error line when decoding fails. */
export const decodeOk = (input: Uint8Array): Message.Envelope => {
  const decoded = Message.decode(input)
  if (Result.isFailure(decoded)) expect.fail(`does not decode: ${decoded.failure.toLine()}`)
  return decoded.success
}

/** Decodes and re-encodes, asserting the bytes are identical; returns the message. */
export const roundTrip = (input: Uint8Array): Message.Message => {
  const envelope = decodeOk(input)
  const encoded = Message.encode(envelope.message, { version: envelope.version, xid: envelope.xid })
  if (Result.isFailure(encoded)) expect.fail(`${envelope.message._tag} does not re-encode: ${encoded.failure.toLine()}`)
  expect(hex(encoded.success)).toBe(hex(input))
  return envelope.message
}

/** Asserts that decoding fails with `code`, and returns the error's message for further checks. */
export const decodeError = (input: Uint8Array, code: string): string => {
  const decoded = Message.decode(input)
  if (Result.isSuccess(decoded)) expect.fail(`decoded to a ${decoded.success.message._tag}, expected ${code}`)
  expect(decoded.failure.code).toBe(code)
  return decoded.failure.message
}

/** Encodes in OpenFlow 1.3 with xid 0, failing the test on error. */
export const encodeOk = (m: Message.Message, version = 4): Uint8Array => {
  const encoded = Message.encode(m, { version: version as 4, xid: 0 })
  if (Result.isFailure(encoded)) expect.fail(`${m._tag} does not encode: ${encoded.failure.toLine()}`)
  return encoded.success
}

/** The failure of encoding `m`: its `_tag` (`OpenFlowError`/`EncodeError`) and code or message. */
export const encodeFailure = (m: Message.Message, version = 4): { readonly tag: string; readonly code: string | undefined; readonly text: string } => {
  const encoded = Message.encode(m, { version: version as 4, xid: 0 })
  if (Result.isSuccess(encoded)) expect.fail(`${m._tag} encoded, expected a failure`)
  const f = encoded.failure
  return { tag: f._tag, code: f._tag === "OpenFlowError" ? f.code : undefined, text: f.message }
}

/** A copy of `input` with the version byte replaced (for vectors of another version whose layout equals 1.3's). */
export const asVersion = (input: Uint8Array, version: number): Uint8Array => {
  const out = Uint8Array.from(input)
  out[0] = version
  return out
}

/**
 * Ryu's JSON for a vector of any version and our mapping of the decoded message are
 * compared in the vocabulary of Ryu's OpenFlow 1.3 files, so one mapping serves every
 * version whose layout equals 1.3's. Ryu's OpenFlow 1.2 files differ in three ways: a
 * multipart reply is always the generic `OFPStatsReply`, multipart requests have no
 * `type` key ({@link oursAs12} adjusts our side for both), and some MAC addresses are
 * printed with dashes (`dashlessMacs` adjusts Ryu's side).
 */
const dashlessMacs = (json: unknown): unknown => {
  const text = JSON.stringify(json, (_k, value) => (typeof value === "bigint" ? `${value}@bigint` : value))
    .replace(/"(\w\w)-(\w\w)-(\w\w)-(\w\w)-(\w\w)-(\w\w)"/g, '"$1:$2:$3:$4:$5:$6"')
  return JSON.parse(text, (_k, value) => (typeof value === "string" && value.endsWith("@bigint") ? BigInt(value.slice(0, -7)) : value))
}

const oursAs12 = (ours: Record<string, Record<string, unknown>>): unknown => {
  const [className, body] = Object.entries(ours)[0]!
  if (className.endsWith("StatsReply")) return { OFPStatsReply: body }
  if (className.endsWith("StatsRequest")) {
    const { type: _type, ...rest } = body
    return { [className]: rest }
  }
  return ours
}

/**
 * Decodes the vector `folder/name`, checks it re-encodes to the same bytes, and checks
 * its fields against Ryu's JSON through the conformance mappings. With `asWire`, the
 * vector's version byte is replaced first: for a vector of another version whose bytes
 * have exactly the layout of version `asWire`. Returns the message, or `undefined` when
 * the vectors are absent.
 */
export const agreesWithRyu = (folder: string, name: string, asWire?: number): Message.Message | undefined => {
  const v = vector(folder, name)
  if (!vectorsPresent || v === undefined) return undefined
  const m = roundTrip(asWire === undefined ? v.bytes : asVersion(v.bytes, asWire))
  const version = asWire ?? v.bytes[0]!
  const ours = toRyu(m, version) as unknown as Record<string, Record<string, unknown>>
  expect(normalize(version === 3 ? oursAs12(ours) : ours)).toEqual(normalize(dashlessMacs(ryuJson(v))))
  return m
}
