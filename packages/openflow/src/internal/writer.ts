/**
 * A growable byte buffer that encoders append to.
 *
 * One writer is meant to be reused for many messages: the controller encodes a whole
 * batch of outgoing messages into one writer and hands one buffer to the socket. Lengths
 * that are known only after a nested part is written (match, action list, message length)
 * are reserved with {@link Writer.mark} and filled in with {@link Writer.patchU16}.
 *
 * Every integer write checks that the value fits its width. A misfit does not throw and
 * does not stop the encoder: the first one is recorded in {@link Writer.invalid} and the
 * central encoder turns it into an `EncodeError`. A well-predicted branch per field is far
 * cheaper than validating every message against its Schema before encoding it.
 */
import type { Version } from "../Version.ts"

const TWO_32 = 0x1_0000_0000

export class Writer {
  buf: Uint8Array
  pos = 0
  version: Version
  /** When set, encode matches without prerequisite checks; see `Message.encode`. */
  lenient = false
  /** The first value that did not fit its field since the last {@link clearInvalid}. */
  invalid: string | undefined = undefined

  constructor(version: Version, capacity = 1024) {
    this.buf = new Uint8Array(capacity)
    this.version = version
  }

  /** Makes room for `n` more bytes, doubling the buffer as needed. */
  ensure(n: number): void {
    const need = this.pos + n
    if (need <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < need) size *= 2
    const next = new Uint8Array(size)
    next.set(this.buf.subarray(0, this.pos))
    this.buf = next
  }

  /** Starts over, keeping the allocated buffer. */
  reset(version: Version): this {
    this.pos = 0
    this.invalid = undefined
    this.version = version
    return this
  }

  /** Records the first out-of-range value; see the module comment. */
  private misfit(v: unknown, bits: number): void {
    if (this.invalid === undefined) this.invalid = `value ${String(v)} does not fit ${bits} bits (at byte ${this.pos})`
  }

  clearInvalid(): void {
    this.invalid = undefined
  }

  u8(v: number): void {
    if ((v & 0xff) !== v) this.misfit(v, 8)
    this.ensure(1)
    this.buf[this.pos++] = v
  }

  u16(v: number): void {
    if ((v & 0xffff) !== v) this.misfit(v, 16)
    this.ensure(2)
    const b = this.buf
    const p = this.pos
    b[p] = v >>> 8
    b[p + 1] = v
    this.pos = p + 2
  }

  u24(v: number): void {
    if ((v & 0xff_ffff) !== v) this.misfit(v, 24)
    this.ensure(3)
    const b = this.buf
    const p = this.pos
    b[p] = v >>> 16
    b[p + 1] = v >>> 8
    b[p + 2] = v
    this.pos = p + 3
  }

  u32(v: number): void {
    if (v >>> 0 !== v) this.misfit(v, 32)
    this.ensure(4)
    const b = this.buf
    const p = this.pos
    b[p] = v >>> 24
    b[p + 1] = v >>> 16
    b[p + 2] = v >>> 8
    b[p + 3] = v
    this.pos = p + 4
  }

  u48(v: number): void {
    if (!(Number.isInteger(v) && v >= 0 && v < 2 ** 48)) {
      this.misfit(v, 48)
      v = 0
    }
    this.u16(Math.floor(v / TWO_32))
    this.u32(v >>> 0)
  }

  u64(v: bigint): void {
    // Zero (the usual cookie) first: one comparison instead of three bigint range checks.
    if (v === 0n) {
      this.zeros(8)
      return
    }
    if (typeof v !== "bigint" || v < 0n || v > 0xffff_ffff_ffff_ffffn) {
      this.misfit(v, 64)
      v = 0n
    }
    if (v === 0n) {
      this.zeros(8)
      return
    }
    this.u32(Number(v >> 32n))
    this.u32(Number(v & 0xffff_ffffn))
  }

  zeros(n: number): void {
    this.ensure(n)
    const b = this.buf
    const p = this.pos
    // Padding is a few bytes; a plain loop beats the call into `fill` for those.
    if (n <= 16) {
      for (let i = 0; i < n; i++) b[p + i] = 0
    } else {
      b.fill(0, p, p + n)
    }
    this.pos = p + n
  }

  bytes(data: Uint8Array): void {
    this.ensure(data.length)
    this.buf.set(data, this.pos)
    this.pos += data.length
  }

  /** Writes `s` as ASCII/Latin-1 into a NUL-padded field of `width` bytes (truncating to width - 1). */
  fixedString(s: string, width: number): void {
    this.ensure(width)
    const n = Math.min(s.length, width - 1)
    const b = this.buf
    const p = this.pos
    for (let i = 0; i < n; i++) b[p + i] = s.charCodeAt(i)
    b.fill(0, p + n, p + width)
    this.pos = p + width
  }

  /** Pads with zeros to the next multiple of 8 counted from `start`. */
  pad8(start: number): void {
    const rem = (this.pos - start) & 7
    if (rem !== 0) this.zeros(8 - rem)
  }

  /** The current position, for a later {@link patchU16}. */
  mark(): number {
    return this.pos
  }

  patchU16(at: number, v: number): void {
    this.buf[at] = v >>> 8
    this.buf[at + 1] = v
  }

  patchU32(at: number, v: number): void {
    this.buf[at] = v >>> 24
    this.buf[at + 1] = v >>> 16
    this.buf[at + 2] = v >>> 8
    this.buf[at + 3] = v
  }

  /** A copy of the bytes written since `start`. */
  copy(start = 0): Uint8Array {
    return this.buf.slice(start, this.pos)
  }
}
