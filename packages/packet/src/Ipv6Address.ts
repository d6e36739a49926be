/**
 * IPv6 addresses as unsigned 128-bit bigints.
 *
 * A bigint compares with `===`, masks with `&` and keys a Map, which is what flow tables and
 * neighbour caches need; the canonical text form (RFC 5952) is produced only for logs and JSON.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import * as NetAddress from "effect/net/NetAddress"
import { fromText } from "./internal/textSchema.ts"

/**
 * An IPv6 address: a bigint in [0, 2^128), first wire byte most significant.
 *
 * @category models
 * @since 0.1.0
 */
export type Ipv6Address = bigint

/** `::`. @category constants @since 0.1.0 */
export const ANY: Ipv6Address = 0n

/** The all-ones address, used as a full mask. @category constants @since 0.1.0 */
export const MAX: Ipv6Address = (1n << 128n) - 1n

/** Reads sixteen bytes at `offset`. The caller guarantees the bytes exist. @category decoding @since 0.1.0 */
export const read = (bytes: Uint8Array, offset: number): Ipv6Address => {
  let value = 0n
  for (let i = 0; i < 16; i += 4) {
    const word = ((bytes[offset + i]! << 24) >>> 0) +
      ((bytes[offset + i + 1]! << 16) | (bytes[offset + i + 2]! << 8) | bytes[offset + i + 3]!)
    value = (value << 32n) | BigInt(word)
  }
  return value
}

/** Writes sixteen bytes at `offset`. The caller guarantees the space exists. @category encoding @since 0.1.0 */
export const write = (bytes: Uint8Array, offset: number, address: Ipv6Address): void => {
  for (let i = 12; i >= 0; i -= 4) {
    const word = Number(address & 0xffff_ffffn)
    address >>= 32n
    bytes[offset + i] = word >>> 24
    bytes[offset + i + 1] = word >>> 16
    bytes[offset + i + 2] = word >>> 8
    bytes[offset + i + 3] = word
  }
}

/** Returns the sixteen wire bytes of an address. @category conversions @since 0.1.0 */
export const toBytes = (address: Ipv6Address): Uint8Array => {
  const bytes = new Uint8Array(16)
  write(bytes, 0, address)
  return bytes
}

/** `true` for a bigint in [0, 2^128). @category predicates @since 0.1.0 */
export const isValid = (u: unknown): u is Ipv6Address => typeof u === "bigint" && u >= 0n && u <= MAX

/** `true` for ff00::/8. @category predicates @since 0.1.0 */
export const isMulticast = (address: Ipv6Address): boolean => address >> 120n === 0xffn

/** Formats in the canonical RFC 5952 form, e.g. `fe80::1`. @category formatting @since 0.1.0 */
export const format = (address: Ipv6Address): string => NetAddress.formatIp(NetAddress.ipv6FromBytesUnsafe(toBytes(address)))

/**
 * Parses any RFC 4291 text form, including `::` compression and an embedded IPv4 tail.
 *
 * @see {@link fromStringUnsafe}
 * @category parsing
 * @since 0.1.0
 */
export const fromString = (input: string): Result.Result<Ipv6Address, NetAddress.NetAddressError> =>
  Result.map(NetAddress.ipv6FromString(input), (address) => read(Uint8Array.from(NetAddress.ipv6ToOctets(address)), 0))

/** Like {@link fromString}, but throws: for literals in code and tests. @category parsing @since 0.1.0 */
export const fromStringUnsafe = (input: string): Ipv6Address => Result.getOrThrow(fromString(input))

/**
 * The mask of a prefix length: `prefixMask(64)` is `ffff:ffff:ffff:ffff::`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const prefixMask = (length: number): Ipv6Address =>
  length <= 0 ? 0n : (MAX << BigInt(128 - Math.min(length, 128))) & MAX

/**
 * Schema for an IPv6 address: the type is the bigint, the encoded (JSON) form the text.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Ipv6Address = fromText(
  Schema.BigInt.check(Schema.isBetweenBigInt({ minimum: 0n, maximum: MAX })).annotate({ identifier: "Ipv6Address" }),
  "an IPv6 address such as fe80::1",
  fromString,
  format
)
