/**
 * Helpers shared by the mappings from Switchyard's message model to the JSON that Ryu's
 * `to_jsondict` writes (the expected side of Ryu's golden vectors).
 *
 * Ryu's JSON and our model describe the same wire bytes in two vocabularies: Ryu wraps
 * every structure in `{ "<ClassName>": { ... } }`, spells fields in snake_case, writes
 * byte strings as base64 and addresses as text, and keeps length fields that we compute.
 * These helpers do the mechanical part of the translation so that each per-kind mapping
 * only states what is genuinely different.
 */
import { Ipv4Address, Ipv6Address, MacAddress } from "@switchyard/packet"

/** A JSON value as our bigint-safe parser returns it (64-bit integers may be bigints). */
export type Json = null | boolean | number | bigint | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

/** Ryu's wrapper: a one-key object naming the Python class. */
export type RyuObject = { readonly [className: string]: { readonly [field: string]: Json } }

/** `{ [name]: body }`, Ryu's way of tagging every structure with its class. */
export const wrap = (name: string, body: { readonly [field: string]: Json }): RyuObject => ({ [name]: body })

/** camelCase -> snake_case: `datapathId` -> `datapath_id`, `ipv4Src` -> `ipv4_src`. */
export const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

/** Base64 of a byte string, as Python's `base64.b64encode(...).decode()` writes it. */
export const base64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64")

/** MAC as Ryu prints it: lower-case `aa:bb:cc:dd:ee:ff`. */
export const mac = (value: number): string => MacAddress.format(value)

/** IPv4 as dotted quad. */
export const ipv4 = (value: number): string => Ipv4Address.format(value)

/** IPv6 in the compressed form Python's `ipaddress`/netaddr print (RFC 5952). */
export const ipv6 = (value: bigint): string => Ipv6Address.format(value)

/**
 * Converts a model value generically: byte strings to base64, arrays element-wise, plain
 * numbers/bigints/strings/booleans as they are. Nested tagged structures must be mapped
 * by the caller (Ryu's class names are not derivable from our tags), so meeting one here
 * is a mapping bug and throws with the path.
 */
export const plain = (value: unknown, path = "value"): Json => {
  if (value instanceof Uint8Array) return base64(value)
  if (Array.isArray(value)) return value.map((v, i) => plain(v, `${path}[${i}]`))
  if (value === null || typeof value === "number" || typeof value === "bigint" || typeof value === "string" || typeof value === "boolean") {
    return value
  }
  if (value === undefined) return null
  if (typeof value === "object" && "_tag" in value) {
    throw new Error(`ryu mapping: nested ${String((value as { _tag: unknown })._tag)} at ${path} needs an explicit mapping`)
  }
  if (typeof value === "object") {
    const out: Record<string, Json> = {}
    for (const [k, v] of Object.entries(value)) out[snake(k)] = plain(v, `${path}.${k}`)
    return out
  }
  throw new Error(`ryu mapping: cannot map ${typeof value} at ${path}`)
}

/**
 * Options of {@link fields}: which of our fields Ryu does not show (`omit`), which it
 * names differently (`rename`, our name -> Ryu's), which need a conversion (`convert`,
 * keyed by our name), and fields Ryu shows that we do not model (`extra`, constant or
 * derived, e.g. the `type` number of a TLV whose meaning is our `_tag`).
 */
export interface FieldOptions<M> {
  readonly omit?: ReadonlyArray<keyof M & string>
  readonly rename?: { readonly [K in keyof M & string]?: string }
  readonly convert?: { readonly [K in keyof M & string]?: (value: M[K], message: M) => Json }
  readonly extra?: (message: M) => { readonly [field: string]: Json }
}

/**
 * The body of a Ryu object from one of our structures: every field except `_tag`, in
 * snake_case, converted with {@link plain} unless `convert` says otherwise.
 */
export const fields = <M extends object>(m: M, options: FieldOptions<M> = {}): { [field: string]: Json } => {
  const out: Record<string, Json> = {}
  const omit = new Set<string>(options.omit ?? [])
  for (const [key, value] of Object.entries(m)) {
    if (key === "_tag" || omit.has(key)) continue
    const name = (options.rename as Record<string, string> | undefined)?.[key] ?? snake(key)
    const convert = (options.convert as Record<string, ((v: unknown, m: M) => Json) | undefined> | undefined)?.[key]
    out[name] = convert !== undefined ? convert(value, m) : plain(value, key)
  }
  if (options.extra !== undefined) Object.assign(out, options.extra(m))
  return out
}

/** A mapping for a structure whose Ryu form is {@link fields} under one class name. */
export const simple = <M extends object>(className: string, options: FieldOptions<M> = {}) => (m: M): RyuObject =>
  wrap(className, fields(m, options))

/**
 * Normalises a JSON value for comparison: drops every `len` / `length` key (lengths are
 * computed on encode, and Ryu's own test also serialises without them) and turns
 * bigints in the safe integer range into numbers, so that a 64-bit field parsed from
 * Ryu's JSON as a number compares equal to our bigint.
 */
export const normalize = (value: unknown): unknown => {
  if (typeof value === "bigint") return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value
  if (Array.isArray(value)) return value.map(normalize)
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      if (key === "len" || key === "length") continue
      out[key] = normalize((value as Record<string, unknown>)[key])
    }
    return out
  }
  return value
}
