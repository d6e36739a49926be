/**
 * 48-bit Ethernet MAC addresses as plain numbers.
 *
 * A MAC address fits exactly in a JavaScript number (2^48 < 2^53), so the hot path keys
 * learning tables by number, compares with `===` and never allocates. Strings appear only
 * at the edges: logs, JSON and configuration. Use `NetAddress.MacAddress` from
 * `effect/net` where an app wants Effect's richer address type; {@link toNetAddress} and
 * {@link fromNetAddress} convert.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import * as NetAddress from "effect/net/NetAddress"
import { fromText } from "./internal/textSchema.ts"

/**
 * A MAC address: an integer in [0, 2^48) whose most significant byte is the first on the wire.
 *
 * @category models
 * @since 0.1.0
 */
export type MacAddress = number

/** `ff:ff:ff:ff:ff:ff`. @category constants @since 0.1.0 */
export const BROADCAST: MacAddress = 0xffff_ffff_ffff

/** `00:00:00:00:00:00`. @category constants @since 0.1.0 */
export const ZERO: MacAddress = 0

/** The largest value a MAC address can hold; also the all-ones mask. @category constants @since 0.1.0 */
export const MAX: MacAddress = 0xffff_ffff_ffff

const TWO_32 = 0x1_0000_0000

/**
 * Reads six bytes at `offset` as a MAC address. The caller guarantees the bytes exist.
 *
 * @category decoding
 * @since 0.1.0
 */
export const read = (bytes: Uint8Array, offset: number): MacAddress =>
  ((bytes[offset]! << 8) | bytes[offset + 1]!) * TWO_32 +
  ((bytes[offset + 2]! << 24) >>> 0) + ((bytes[offset + 3]! << 16) | (bytes[offset + 4]! << 8) | bytes[offset + 5]!)

/**
 * Writes `mac` as six bytes at `offset`. The caller guarantees the space exists.
 *
 * @category encoding
 * @since 0.1.0
 */
export const write = (bytes: Uint8Array, offset: number, mac: MacAddress): void => {
  const hi = Math.floor(mac / TWO_32)
  const lo = mac >>> 0
  bytes[offset] = hi >>> 8
  bytes[offset + 1] = hi
  bytes[offset + 2] = lo >>> 24
  bytes[offset + 3] = lo >>> 16
  bytes[offset + 4] = lo >>> 8
  bytes[offset + 5] = lo
}

/**
 * `true` for the group (multicast) bit, which broadcast also has.
 *
 * @category predicates
 * @since 0.1.0
 */
export const isMulticast = (mac: MacAddress): boolean => (Math.floor(mac / 0x100_0000_0000) & 1) === 1

/** `true` only for `ff:ff:ff:ff:ff:ff`. @category predicates @since 0.1.0 */
export const isBroadcast = (mac: MacAddress): boolean => mac === BROADCAST

/** `true` for an integer in [0, 2^48). @category predicates @since 0.1.0 */
export const isValid = (u: unknown): u is MacAddress => Number.isInteger(u) && (u as number) >= 0 && (u as number) <= MAX

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"))

/**
 * Formats as lower-case colon-separated hex, `aa:bb:cc:dd:ee:ff`, as Open vSwitch and Ryu print it.
 *
 * @category formatting
 * @since 0.1.0
 */
export const format = (mac: MacAddress): string => {
  const hi = Math.floor(mac / TWO_32)
  const lo = mac >>> 0
  return `${HEX[(hi >>> 8) & 0xff]}:${HEX[hi & 0xff]}:${HEX[lo >>> 24]}:${HEX[(lo >>> 16) & 0xff]}:${
    HEX[(lo >>> 8) & 0xff]
  }:${HEX[lo & 0xff]}`
}

const MAC_RE = /^([0-9a-fA-F]{1,2})[:-]([0-9a-fA-F]{1,2})[:-]([0-9a-fA-F]{1,2})[:-]([0-9a-fA-F]{1,2})[:-]([0-9a-fA-F]{1,2})[:-]([0-9a-fA-F]{1,2})$/

/**
 * Parses `aa:bb:cc:dd:ee:ff` (or with `-` separators, one- or two-digit groups).
 *
 * **Details**
 *
 * Returns a failure carrying Effect's `NetAddressError` for anything else; never throws.
 *
 * @see {@link fromStringUnsafe}
 * @category parsing
 * @since 0.1.0
 */
export const fromString = (input: string): Result.Result<MacAddress, NetAddress.NetAddressError> => {
  const m = MAC_RE.exec(input)
  if (m === null) {
    return Result.fail(new NetAddress.NetAddressError({ message: `not a MAC address: ${JSON.stringify(input)}`, input }))
  }
  let mac = 0
  for (let i = 1; i <= 6; i++) mac = mac * 256 + parseInt(m[i]!, 16)
  return Result.succeed(mac)
}

/**
 * Like {@link fromString}, but throws on bad input: for literals in code and tests.
 *
 * @category parsing
 * @since 0.1.0
 */
export const fromStringUnsafe = (input: string): MacAddress => Result.getOrThrow(fromString(input))

/** Converts to Effect's `NetAddress.MacAddress`. @category conversions @since 0.1.0 */
export const toNetAddress = (mac: MacAddress): NetAddress.MacAddress => NetAddress.macAddressFromStringUnsafe(format(mac))

/** Converts from Effect's `NetAddress.MacAddress`. @category conversions @since 0.1.0 */
export const fromNetAddress = (mac: NetAddress.MacAddress): MacAddress =>
  NetAddress.macAddressToOctets(mac).reduce((acc, octet) => acc * 256 + octet, 0)

/**
 * Schema for a MAC address: the type is the number, the encoded (JSON) form the
 * `aa:bb:cc:dd:ee:ff` string.
 *
 * @category schemas
 * @since 0.1.0
 */
export const MacAddress = fromText(
  Schema.Number.check(Schema.isInt(), Schema.isBetween({ minimum: 0, maximum: MAX })).annotate({ identifier: "MacAddress" }),
  "a MAC address such as aa:bb:cc:dd:ee:ff",
  fromString,
  format
)
