/**
 * Fixed-width, NUL-padded text fields (port names, switch descriptions, table names).
 *
 * The spec calls these "null-terminated" character arrays and says nothing about their
 * encoding. Linux interface names and what switches send in practice are UTF-8 (Ryu
 * decodes them as UTF-8; one of its OpenFlow 1.3 vectors names a port in Japanese), so
 * the text is decoded as UTF-8, with an ASCII fast path because almost every name is
 * ASCII.
 *
 * A field is bytes, though, and not every byte string is UTF-8. A controller must be
 * able to re-encode what it decoded to the same bytes (to log it, forward it, or answer
 * with it), so invalid bytes are not replaced: each byte that is not part of a valid
 * UTF-8 sequence becomes the lone surrogate U+DC80..U+DCFF (Python's "surrogateescape"),
 * and the encoder turns such a surrogate back into its byte. Valid names read as text;
 * broken ones stay lossless.
 *
 * A switch that fills the whole field without a terminating NUL is tolerated on decode
 * and re-encoded the same way, so the encoder accepts up to `width` bytes (the spec asks
 * for at most `width - 1`).
 */
import { Schema } from "effect"
import type { Reader } from "./reader.ts"
import type { Writer } from "./writer.ts"

/** Decodes `bytes[start, stop)` as UTF-8, escaping invalid bytes as U+DC80..U+DCFF. */
const decodeUtf8 = (b: Uint8Array, start: number, stop: number): string => {
  let s = ""
  let i = start
  while (i < stop) {
    const b0 = b[i]!
    if (b0 < 0x80) {
      s += String.fromCharCode(b0)
      i++
      continue
    }
    // The ranges of RFC 3629 §4: no overlong forms, no encoded surrogates, nothing
    // above U+10FFFF. The second byte's range depends on the first.
    let n = 0
    let lo = 0x80
    let hi = 0xbf
    if (b0 >= 0xc2 && b0 <= 0xdf) n = 2
    else if (b0 >= 0xe0 && b0 <= 0xef) {
      n = 3
      if (b0 === 0xe0) lo = 0xa0
      if (b0 === 0xed) hi = 0x9f
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      n = 4
      if (b0 === 0xf0) lo = 0x90
      if (b0 === 0xf4) hi = 0x8f
    }
    let valid = n > 0 && i + n <= stop
    if (valid) {
      const b1 = b[i + 1]!
      valid = b1 >= lo && b1 <= hi
      for (let k = 2; valid && k < n; k++) valid = (b[i + k]! & 0xc0) === 0x80
    }
    if (!valid) {
      s += String.fromCharCode(0xdc00 + b0)
      i++
      continue
    }
    let cp = b0 & (n === 2 ? 0x1f : n === 3 ? 0x0f : 0x07)
    for (let k = 1; k < n; k++) cp = (cp << 6) | (b[i + k]! & 0x3f)
    s += String.fromCodePoint(cp)
    i += n
  }
  return s
}

/**
 * The bytes of `s` (UTF-8, with U+DC80..U+DCFF standing for raw bytes), or a string
 * explaining why `s` cannot be a field's text.
 */
export const encodeText = (s: string): Uint8Array | string => {
  const out: Array<number> = []
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 0) return "contains a NUL character"
    if (c < 0x80) out.push(c)
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f))
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0
      if (d < 0xdc00 || d > 0xdfff) return "contains an unpaired surrogate"
      const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00)
      out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f))
      i++
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      // A lone low surrogate: an escaped raw byte, if it is in the escape range.
      if (c < 0xdc80 || c > 0xdcff) return "contains an unpaired surrogate"
      out.push(c - 0xdc00)
    } else out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f))
  }
  return Uint8Array.from(out)
}

/** Reads a `width`-byte text field; the text ends at the first NUL or at `width`. */
export const readText = (r: Reader, width: number): string => {
  const b = r.bytes
  const start = r.pos
  const limit = start + width
  let stop = start
  let ascii = true
  while (stop < limit && b[stop] !== 0) {
    if (b[stop]! >= 0x80) ascii = false
    stop++
  }
  r.pos = limit
  if (!ascii) return decodeUtf8(b, start, stop)
  let s = ""
  for (let i = start; i < stop; i++) s += String.fromCharCode(b[i]!)
  return s
}

/**
 * Writes `s` NUL-padded into `width` bytes. Text that does not fit, or that no field's
 * bytes could decode to, is recorded as the writer's first invalid value, so the
 * central encoder reports an `EncodeError` instead of silently truncating a name.
 */
export const writeText = (w: Writer, s: string, width: number, what: string): void => {
  let ascii = s.length <= width
  for (let i = 0; ascii && i < s.length; i++) {
    const c = s.charCodeAt(i)
    ascii = c !== 0 && c < 0x80
  }
  if (ascii) {
    w.ensure(width)
    const b = w.buf
    const p = w.pos
    for (let i = 0; i < s.length; i++) b[p + i] = s.charCodeAt(i)
    b.fill(0, p + s.length, p + width)
    w.pos = p + width
    return
  }
  const bytes = encodeText(s)
  const problem = problemOf(s, bytes, width)
  if (problem !== undefined) {
    if (w.invalid === undefined) w.invalid = `${what} ${JSON.stringify(s)} ${problem}`
    w.zeros(width)
    return
  }
  w.bytes(bytes as Uint8Array)
  w.zeros(width - (bytes as Uint8Array).length)
}

const problemOf = (s: string, bytes: Uint8Array | string, width: number): string | undefined => {
  if (typeof bytes === "string") return bytes
  if (bytes.length > width) return `is ${bytes.length} bytes in UTF-8, over its ${width}-byte field`
  if (decodeUtf8(bytes, 0, bytes.length) !== s) return "uses byte escapes (U+DC80..U+DCFF) for bytes that form valid UTF-8"
  return undefined
}

/**
 * Why `s` cannot be the text of a `width`-byte field, or `undefined` when it can: it
 * must encode to at most `width` bytes without NUL, and decode back to itself (an
 * escaped byte next to others must not form a valid UTF-8 sequence with them).
 */
export const textProblem = (s: string, width: number): string | undefined => problemOf(s, encodeText(s), width)

/**
 * Schema of a text field `width` bytes wide: a string whose bytes fit the field and
 * read back as the same string. The string length bound lets arbitraries generate
 * fitting values directly.
 */
export const fixedText = (width: number, identifier: string) =>
  Schema.String.check(
    Schema.isMaxLength(width),
    Schema.makeFilter((s: string) => {
      const problem = textProblem(s, width)
      return problem === undefined ? undefined : `a text of at most ${width} UTF-8 bytes that reads back unchanged (this one ${problem})`
    })
  ).annotate({ identifier })
