/**
 * A forward-only cursor over the bytes of one OpenFlow message.
 *
 * Decoders trust only what the central length check established (the message is exactly
 * `header.length` bytes, at least the body minimum for its type); every variable-length
 * part must call {@link Reader.has} before reading. Reads past `end` never throw (typed
 * arrays return `undefined`), but the decoders check first so they can report the exact
 * OpenFlow error.
 *
 * The reader does not copy: {@link Reader.bytesView} returns a subarray of the input, so
 * decoded byte fields (packet data, opaque experimenter payloads) point into the caller's
 * buffer.
 */
import type { Version } from "../Version.ts"

const TWO_32 = 0x1_0000_0000

export class Reader {
  bytes: Uint8Array
  pos: number
  end: number
  version: Version
  /**
   * Structural decoding only: when set, matches a controller sends (flow mods, flow-stats
   * requests) are not checked for OXM prerequisites or unknown fields. See `Message.decode`.
   */
  lenient = false

  constructor(bytes: Uint8Array, pos: number, end: number, version: Version) {
    this.bytes = bytes
    this.pos = pos
    this.end = end
    this.version = version
  }

  /** Re-points this reader, so one instance can serve many messages without allocating. */
  reset(bytes: Uint8Array, pos: number, end: number, version: Version): this {
    this.bytes = bytes
    this.pos = pos
    this.end = end
    this.version = version
    return this
  }

  /** `true` when at least `n` bytes remain before `end`. */
  has(n: number): boolean {
    return this.end - this.pos >= n
  }

  remaining(): number {
    return this.end - this.pos
  }

  u8(): number {
    return this.bytes[this.pos++]!
  }

  u16(): number {
    const b = this.bytes
    const p = this.pos
    this.pos = p + 2
    return (b[p]! << 8) | b[p + 1]!
  }

  u24(): number {
    const b = this.bytes
    const p = this.pos
    this.pos = p + 3
    return (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!
  }

  u32(): number {
    const b = this.bytes
    const p = this.pos
    this.pos = p + 4
    return ((b[p]! << 24) >>> 0) + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!)
  }

  /** Reads a 64-bit unsigned integer; zero, the common cookie, is returned without allocating. */
  u64(): bigint {
    const hi = this.u32()
    const lo = this.u32()
    if (hi === 0) return lo === 0 ? 0n : BigInt(lo)
    return hi < 0x20_0000 ? BigInt(hi * TWO_32 + lo) : (BigInt(hi) << 32n) | BigInt(lo)
  }

  /** Reads a 48-bit unsigned integer (a MAC address) as a number. */
  u48(): number {
    const hi = this.u16()
    return hi * TWO_32 + this.u32()
  }

  skip(n: number): void {
    this.pos += n
  }

  /** A view (no copy) of the next `n` bytes. */
  bytesView(n: number): Uint8Array {
    const p = this.pos
    this.pos = p + n
    return this.bytes.subarray(p, p + n)
  }

  /**
   * Reads a NUL-padded fixed-width string field (port names, descriptions): the text up
   * to the first NUL, as ASCII/Latin-1, which is what switches send in practice.
   */
  fixedString(width: number): string {
    const b = this.bytes
    const start = this.pos
    let stop = start
    const limit = start + width
    while (stop < limit && b[stop] !== 0) stop++
    this.pos = limit
    let s = ""
    for (let i = start; i < stop; i++) s += String.fromCharCode(b[i]!)
    return s
  }
}
