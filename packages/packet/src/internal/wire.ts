/**
 * Byte-level helpers for the codecs: big-endian reads and writes on plain `Uint8Array`s,
 * and the UTF-8 coders.
 *
 * Reads never check bounds: every caller has checked the length first, which keeps the
 * checks in one place per header and the reads branch-free. `DataView` is avoided on
 * purpose: its out-of-range reads throw, and a decoder must never throw.
 */

/** Reads a big-endian 16-bit value. */
export const u16 = (b: Uint8Array, o: number): number => (b[o]! << 8) | b[o + 1]!

/** Reads a big-endian 24-bit value. */
export const u24 = (b: Uint8Array, o: number): number => (b[o]! << 16) | (b[o + 1]! << 8) | b[o + 2]!

/** Reads a big-endian 32-bit value as an unsigned number. */
export const u32 = (b: Uint8Array, o: number): number =>
  ((b[o]! << 24) >>> 0) + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!)

/** Writes a big-endian 16-bit value. */
export const put16 = (b: Uint8Array, o: number, v: number): void => {
  b[o] = v >>> 8
  b[o + 1] = v
}

/** Writes a big-endian 24-bit value. */
export const put24 = (b: Uint8Array, o: number, v: number): void => {
  b[o] = v >>> 16
  b[o + 1] = v >>> 8
  b[o + 2] = v
}

/** Writes a big-endian 32-bit value. */
export const put32 = (b: Uint8Array, o: number, v: number): void => {
  b[o] = v >>> 24
  b[o + 1] = v >>> 16
  b[o + 2] = v >>> 8
  b[o + 3] = v
}

const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true })
const encoder = new TextEncoder()

/** Decodes UTF-8; malformed sequences become U+FFFD instead of throwing. */
export const utf8Decode = (bytes: Uint8Array): string => decoder.decode(bytes)

/** Encodes UTF-8; lone surrogates become U+FFFD. */
export const utf8Encode = (text: string): Uint8Array => encoder.encode(text)

/** An empty byte string, shared so decoders do not allocate one per header. */
export const EMPTY: Uint8Array = new Uint8Array(0)
