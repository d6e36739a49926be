/**
 * The Internet checksum (RFC 1071) and the CRC32c that SCTP uses (RFC 9260 Appendix A).
 *
 * The Internet checksum is the ones' complement of the ones' complement sum of 16-bit
 * words. IPv4 covers only its header with it; TCP, UDP and ICMPv6 also cover a
 * "pseudo-header" built from the enclosing IP header (addresses, protocol and length), so
 * the checksum of an upper layer changes when a router or a set-field action rewrites an
 * IP address. The functions here work on byte ranges so that neither verification nor
 * building has to copy or allocate: the pseudo-header is summed straight from the IP
 * header's bytes.
 *
 * **Example** (Verifying an IPv4 header checksum)
 *
 * ```ts
 * import { Checksum } from "@switchyard/packet"
 *
 * declare const header: Uint8Array // a 20-byte IPv4 header
 * const ok = Checksum.compute(header, 0, 20) === 0
 * ```
 *
 * @since 0.1.0
 */
import { u32 } from "./internal/wire.ts"

/**
 * Adds `bytes[offset, offset + length)` as big-endian 16-bit words to a running sum.
 *
 * **Details**
 *
 * The sum is kept unfolded (a plain number, exact up to 2^53), so partial sums over
 * several ranges can be added in any order and folded once by {@link finish}. An odd
 * trailing byte is padded with a zero byte, as RFC 1071 says; only the last range of a
 * checksum may have odd length.
 *
 * @category combinators
 * @since 0.1.0
 */
export const add = (sum: number, bytes: Uint8Array, offset: number, length: number): number => {
  const end = offset + length
  let i = offset
  // Four bytes per step halves the loop count; each step adds at most 2 * 0xffff.
  for (; i + 3 < end; i += 4) sum += ((bytes[i]! << 8) | bytes[i + 1]!) + ((bytes[i + 2]! << 8) | bytes[i + 3]!)
  for (; i + 1 < end; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!
  if (i < end) sum += bytes[i]! << 8
  return sum
}

/**
 * Folds a running sum to 16 bits and complements it: the value to store in a checksum
 * field, or 0 when verifying a range that already contains a correct checksum.
 *
 * @category combinators
 * @since 0.1.0
 */
export const finish = (sum: number): number => {
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000)
  return ~sum & 0xffff
}

/**
 * The Internet checksum of one byte range: `finish(add(0, bytes, offset, length))`.
 *
 * **Details**
 *
 * Over a range whose checksum field holds the right value the result is 0; over a range
 * whose checksum field is zeroed it is the value to store.
 *
 * @category constructors
 * @since 0.1.0
 */
export const compute = (bytes: Uint8Array, offset: number, length: number): number =>
  finish(add(0, bytes, offset, length))

/**
 * The partial sum of the IPv4 pseudo-header (RFC 9293 §3.1, RFC 768) for an upper layer
 * of `length` bytes with protocol `protocol`, taking the addresses from the IPv4 header
 * that starts at `ipOffset`.
 *
 * @category combinators
 * @since 0.1.0
 */
export const pseudoHeaderIpv4 = (bytes: Uint8Array, ipOffset: number, protocol: number, length: number): number =>
  add(0, bytes, ipOffset + 12, 8) + protocol + length

/**
 * The partial sum of the IPv6 pseudo-header (RFC 8200 §8.1) for an upper layer of
 * `length` bytes with next header `nextHeader`, taking the addresses from the IPv6 header
 * that starts at `ipOffset`.
 *
 * **Gotchas**
 *
 * With a routing header the destination in the pseudo-header is the final destination,
 * not the one in the IPv6 header; this function uses the header's, as Open vSwitch does
 * when it rewrites packets.
 *
 * @category combinators
 * @since 0.1.0
 */
export const pseudoHeaderIpv6 = (bytes: Uint8Array, ipOffset: number, nextHeader: number, length: number): number =>
  add(0, bytes, ipOffset + 8, 32) + Math.floor(length / 0x10000) + (length & 0xffff) + nextHeader

/**
 * Updates an Internet checksum for a change of the bytes it covers, without the rest of
 * the data (RFC 1624, equation 3: HC' = ~(~HC + ~m + m')).
 *
 * **When to use**
 *
 * When only part of the covered data is at hand: rewriting the addresses of a first IP
 * fragment, whose transport checksum covers the whole datagram.
 *
 * **Details**
 *
 * `removed` and `added` are the old and new contents of the same even-aligned span (for
 * example the 4-byte IPv4 destination address); they must have the same even length.
 *
 * **Example** (Rewriting an IPv4 destination covered by a TCP checksum)
 *
 * ```ts
 * import { Checksum } from "@switchyard/packet"
 *
 * const updated = Checksum.adjust(0x1c46, Uint8Array.of(10, 0, 0, 2), Uint8Array.of(10, 0, 0, 3))
 * ```
 *
 * @category combinators
 * @since 0.1.0
 */
export const adjust = (checksum: number, removed: Uint8Array, added: Uint8Array): number => {
  let sum = ~checksum & 0xffff
  for (let i = 0; i + 1 < removed.length; i += 2) sum += ~((removed[i]! << 8) | removed[i + 1]!) & 0xffff
  return finish(add(sum, added, 0, added.length))
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

/**
 * CRC32c (Castagnoli) of a byte range, as an unsigned 32-bit number.
 *
 * **Details**
 *
 * SCTP stores this value least significant byte first (RFC 9260 Appendix A), so the
 * checksum field read as a big-endian number is the byte-swapped CRC; see
 * {@link sctp}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const crc32c = (bytes: Uint8Array, offset: number, length: number): number => {
  let crc = 0xffffffff
  const end = offset + length
  for (let i = offset; i < end; i++) crc = CRC32C_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

/**
 * The SCTP checksum of a packet (common header and chunks) of `length` bytes at `offset`,
 * as the big-endian number the checksum field holds, computed with the field taken as zero.
 *
 * @category constructors
 * @since 0.1.0
 */
export const sctp = (bytes: Uint8Array, offset: number, length: number): number => {
  let crc = 0xffffffff
  const end = offset + length
  for (let i = offset; i < end; i++) {
    // Bytes 8..11 of the common header are the checksum field itself, taken as zero.
    const byte = i - offset >= 8 && i - offset < 12 ? 0 : bytes[i]!
    crc = CRC32C_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8)
  }
  crc = (crc ^ 0xffffffff) >>> 0
  return (((crc & 0xff) << 24) >>> 0) + (((crc >>> 8) & 0xff) << 16) + (((crc >>> 16) & 0xff) << 8) + (crc >>> 24)
}

/**
 * `true` when the SCTP checksum field of the packet at `offset` matches its content.
 *
 * @category predicates
 * @since 0.1.0
 */
export const verifySctp = (bytes: Uint8Array, offset: number, length: number): boolean =>
  length >= 12 && sctp(bytes, offset, length) === u32(bytes, offset + 8)
