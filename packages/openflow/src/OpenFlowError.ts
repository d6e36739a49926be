/**
 * Typed OpenFlow errors: what the codec returns for malformed input and what a switch
 * sends back in OFPT_ERROR.
 *
 * Every failure to decode peer input becomes an {@link OpenFlowError} naming the error
 * type and code the spec prescribes (`OFPET_BAD_REQUEST/OFPBRC_BAD_LEN`, ...), so the
 * controller can answer the switch precisely, as Open vSwitch does, instead of logging an
 * exception and dropping the connection as Ryu does. The catalog of types and codes is
 * data (see `internal/errorCatalog.ts`); the per-version wire numbers are derived from it
 * once at load. OpenFlow 1.0 numbers its error types differently from 1.1+, and some codes
 * exist only in some versions, which is why lookups take a version.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { catalog, type CodeRow, type TypeRow } from "./internal/errorCatalog.ts"

type Catalog = typeof catalog

/**
 * The name of an error code as the spec spells it, e.g. `"OFPBRC_BAD_LEN"`.
 *
 * @category models
 * @since 0.1.0
 */
export type ErrorName = Catalog[number]["codes"][number]["name"]

/**
 * The name of an error type as the spec spells it, e.g. `"OFPET_BAD_REQUEST"`.
 *
 * @category models
 * @since 0.1.0
 */
export type ErrorTypeName = Catalog[number]["name"]

/**
 * The reason of an {@link OpenFlowError}: tagged by error type (`BadRequest`, `BadMatch`,
 * `FlowModFailed`, ...), carrying the code name, so `Effect.catchReason("OpenFlowError",
 * "BadMatch", ...)` handles one type.
 *
 * @category models
 * @since 0.1.0
 */
export type Reason = {
  [K in keyof Catalog & `${number}`]: {
    readonly _tag: Catalog[K]["reason"]
    readonly code: Catalog[K]["codes"][number]["name"]
  }
}[keyof Catalog & `${number}`]

/**
 * The reason tags, one per error type.
 *
 * @category models
 * @since 0.1.0
 */
export type ReasonTag = Reason["_tag"]

// The union is assembled from the catalog at load; its precise type is `Reason`, which
// TypeScript cannot infer through `map`, hence the one cast.
const ReasonSchema = Schema.Union(
  catalog.map((t: TypeRow) =>
    Schema.TaggedStruct(t.reason, { code: Schema.Literals(t.codes.map((c) => c.name)) })
  )
) as unknown as Schema.Codec<Reason>

interface Entry {
  readonly typeRow: TypeRow
  readonly codeRow: CodeRow
}

const byName = new Map<string, Entry>()
for (const typeRow of catalog as ReadonlyArray<TypeRow>) {
  for (const codeRow of typeRow.codes) byName.set(codeRow.name, { typeRow, codeRow })
}

/**
 * A malformed or refused OpenFlow message, with the error type and code that
 * describe it on the wire.
 *
 * **Details**
 *
 * `reason._tag` is the error type (`BadRequest`), `reason.code` the code name
 * (`OFPBRC_BAD_LEN`), `message` a human explanation of what was wrong. {@link toWire}
 * gives the numbers for a version; {@link reply} builds the OFPT_ERROR to send back.
 *
 * @category errors
 * @since 0.1.0
 */
export class OpenFlowError extends Schema.TaggedError<OpenFlowError>()("OpenFlowError", {
  reason: ReasonSchema,
  message: Schema.String
}) {
  /** The code name, e.g. `OFPBRC_BAD_LEN`. */
  get code(): ErrorName {
    return this.reason.code
  }

  /** The type name, e.g. `OFPET_BAD_REQUEST`. */
  get type(): ErrorTypeName {
    return byName.get(this.reason.code)!.typeRow.name as ErrorTypeName
  }

  /** One line for logs and the CLI: `OFPET_BAD_REQUEST/OFPBRC_BAD_LEN: <message>`. */
  toLine(): string {
    return `${this.type}/${this.code}: ${this.message}`
  }
}

/**
 * Makes an {@link OpenFlowError} from a code name and an explanation.
 *
 * @example
 * ```ts
 * import { OpenFlowError } from "@switchyard/openflow"
 *
 * const e = OpenFlowError.make("OFPBMC_DUP_FIELD", "eth_type appears twice")
 * e.toLine() // "OFPET_BAD_MATCH/OFPBMC_DUP_FIELD: eth_type appears twice"
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (name: ErrorName, message: string): OpenFlowError => {
  // The error describes peer input, not a place in our code, so its stack trace is
  // worthless; capturing one costs ~40 µs, which a hostile switch could make us pay per
  // message. Suppress it for this construction only.
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    return new OpenFlowError({ reason: { _tag: byName.get(name)!.typeRow.reason, code: name } as Reason, message })
  } finally {
    Error.stackTraceLimit = limit
  }
}

/** `true` when `u` is an {@link OpenFlowError}. @category guards @since 0.1.0 */
export const isOpenFlowError = (u: unknown): u is OpenFlowError => u instanceof OpenFlowError

/**
 * The (type, code) numbers of an error in a wire version, or `undefined` when that
 * version has no such code.
 *
 * @category conversions
 * @since 0.1.0
 */
export const toWireExact = (name: ErrorName, version: number): { readonly type: number; readonly code: number } | undefined => {
  const entry = byName.get(name)
  if (entry === undefined) return undefined
  const { codeRow, typeRow } = entry
  if (version === 1) {
    return typeRow.of10 !== undefined && codeRow.of10 !== undefined ? { type: typeRow.of10, code: codeRow.of10 } : undefined
  }
  const since = Math.max(codeRow.since ?? typeRow.since, 2)
  if (version < since || (codeRow.until !== undefined && version > codeRow.until)) return undefined
  return { type: typeRow.type, code: codeRow.code }
}

/**
 * The error sent in place of one that has no code in the negotiated version.
 *
 * **Details**
 *
 * Open vSwitch substitutes a Nicira extension error here; a standard-only peer would not
 * understand that, so Switchyard falls back to `OFPBRC_EPERM`, which every version has.
 *
 * @category constants
 * @since 0.1.0
 */
export const FALLBACK: ErrorName = "OFPBRC_EPERM"

/**
 * The (type, code) numbers to send for an error in a wire version, falling back to
 * {@link FALLBACK} when the version has no such code.
 *
 * @category conversions
 * @since 0.1.0
 */
export const toWire = (name: ErrorName, version: number): { readonly type: number; readonly code: number } =>
  toWireExact(name, version) ?? toWireExact(FALLBACK, version)!

const byWire = new Map<number, Map<number, ErrorName>>()
for (const name of byName.keys()) {
  for (let version = 1; version <= 6; version++) {
    const wire = toWireExact(name as ErrorName, version)
    if (wire === undefined) continue
    const key = (version << 16) | wire.type
    let codes = byWire.get(key)
    if (codes === undefined) byWire.set(key, codes = new Map())
    if (!codes.has(wire.code)) codes.set(wire.code, name as ErrorName)
  }
}

/**
 * The code name for (type, code) numbers received in a wire version, or `undefined`
 * for numbers the spec does not define there (including experimenter errors).
 *
 * @category conversions
 * @since 0.1.0
 */
export const fromWire = (version: number, type: number, code: number): ErrorName | undefined =>
  byWire.get((version << 16) | type)?.get(code)

/**
 * The spec's one-line description of an error code.
 *
 * @category formatting
 * @since 0.1.0
 */
export const describe = (name: ErrorName): string => byName.get(name)!.codeRow.description

/**
 * Every error code name in the catalog.
 *
 * @category constants
 * @since 0.1.0
 */
export const names: ReadonlyArray<ErrorName> = [...byName.keys()] as Array<ErrorName>

/**
 * Largest amount of the offending message echoed back in an error reply: the whole
 * message when it fits in one OpenFlow message, as Open vSwitch does, so the peer can
 * decode what it sent.
 */
const MAX_DATA = 0xffff - 12

/**
 * Builds the OFPT_ERROR message answering `request` (the raw bytes of the offending
 * message, header included) with the request's version and xid.
 *
 * **Details**
 *
 * The spec asks for at least the first 64 bytes of the request; Switchyard echoes all of
 * it that fits. When the version has no code for `error`, {@link FALLBACK} is sent.
 *
 * @category encoding
 * @since 0.1.0
 */
export const reply = (error: OpenFlowError, version: number, xid: number, request: Uint8Array): Uint8Array => {
  const data = request.length > MAX_DATA ? request.subarray(0, MAX_DATA) : request
  const out = new Uint8Array(12 + data.length)
  const { type, code } = toWire(error.code, version)
  out[0] = version
  out[1] = 1
  out[2] = out.length >>> 8
  out[3] = out.length
  out[4] = xid >>> 24
  out[5] = xid >>> 16
  out[6] = xid >>> 8
  out[7] = xid
  out[8] = type >>> 8
  out[9] = type
  out[10] = code >>> 8
  out[11] = code
  out.set(data, 12)
  return out
}
