/**
 * IPv4 addresses as unsigned 32-bit numbers.
 *
 * The hot path reads an address as one number, masks it with `>>> 0` arithmetic and uses
 * it as a Map key; dotted-quad strings appear only in logs, JSON and configuration.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import * as NetAddress from "effect/net/NetAddress"
import { fromText } from "./internal/textSchema.ts"

/**
 * An IPv4 address: an unsigned 32-bit integer, first wire byte most significant.
 *
 * @category models
 * @since 0.1.0
 */
export type Ipv4Address = number

/** `0.0.0.0`. @category constants @since 0.1.0 */
export const ANY: Ipv4Address = 0

/** `255.255.255.255`, also the all-ones mask. @category constants @since 0.1.0 */
export const BROADCAST: Ipv4Address = 0xffff_ffff

/** Reads four bytes at `offset`. The caller guarantees the bytes exist. @category decoding @since 0.1.0 */
export const read = (bytes: Uint8Array, offset: number): Ipv4Address =>
  ((bytes[offset]! << 24) >>> 0) + ((bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!)

/** Writes four bytes at `offset`. The caller guarantees the space exists. @category encoding @since 0.1.0 */
export const write = (bytes: Uint8Array, offset: number, address: Ipv4Address): void => {
  bytes[offset] = address >>> 24
  bytes[offset + 1] = address >>> 16
  bytes[offset + 2] = address >>> 8
  bytes[offset + 3] = address
}

/** `true` for an integer in [0, 2^32). @category predicates @since 0.1.0 */
export const isValid = (u: unknown): u is Ipv4Address => Number.isInteger(u) && (u as number) >= 0 && (u as number) <= BROADCAST

/** `true` for 224.0.0.0/4. @category predicates @since 0.1.0 */
export const isMulticast = (address: Ipv4Address): boolean => address >>> 28 === 0xe

/** Formats as dotted decimal, `10.0.0.1`. @category formatting @since 0.1.0 */
export const format = (address: Ipv4Address): string =>
  `${address >>> 24}.${(address >>> 16) & 0xff}.${(address >>> 8) & 0xff}.${address & 0xff}`

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/

/**
 * Parses dotted decimal. Leading zeros are rejected (as `inet_pton` does), so `010.0.0.1`
 * can never be read as octal by one tool and decimal by another.
 *
 * @see {@link fromStringUnsafe}
 * @category parsing
 * @since 0.1.0
 */
export const fromString = (input: string): Result.Result<Ipv4Address, NetAddress.NetAddressError> => {
  const m = DOTTED.exec(input)
  if (m !== null) {
    let address = 0
    let ok = true
    for (let i = 1; i <= 4; i++) {
      const part = m[i]!
      const octet = Number(part)
      if (octet > 255 || (part.length > 1 && part[0] === "0")) ok = false
      address = address * 256 + octet
    }
    if (ok) return Result.succeed(address)
  }
  return Result.fail(new NetAddress.NetAddressError({ message: `not an IPv4 address: ${JSON.stringify(input)}`, input }))
}

/** Like {@link fromString}, but throws: for literals in code and tests. @category parsing @since 0.1.0 */
export const fromStringUnsafe = (input: string): Ipv4Address => Result.getOrThrow(fromString(input))

/**
 * The mask of a prefix length: `prefixMask(24)` is `255.255.255.0`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const prefixMask = (length: number): Ipv4Address => (length <= 0 ? 0 : (0xffff_ffff << (32 - Math.min(length, 32))) >>> 0)

/**
 * Schema for an IPv4 address: the type is the number, the encoded (JSON) form the dotted string.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Ipv4Address = fromText(
  Schema.Number.check(Schema.isInt(), Schema.isBetween({ minimum: 0, maximum: BROADCAST })).annotate({
    identifier: "Ipv4Address"
  }),
  "an IPv4 address such as 10.0.0.1",
  fromString,
  format
)
