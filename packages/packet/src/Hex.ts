/**
 * Hex text to bytes and back, for frames pasted from tcpdump, Wireshark or Open vSwitch
 * logs into tests and the `switchyard pkt decode` command.
 *
 * People copy hex in many shapes: `0x`-prefixed, with spaces every byte or every two,
 * with colons as `ovs-ofctl` prints them, across several lines. {@link decode} accepts
 * all of those and rejects anything else with a message that says where it went wrong.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"

/**
 * Text that is not hex.
 *
 * @category errors
 * @since 0.1.0
 */
export class HexError extends Schema.TaggedError<HexError>()("HexError", {
  position: Schema.Int,
  message: Schema.String
}) {}

const VALUE: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1)
  for (let i = 0; i < 10; i++) table[48 + i] = i
  for (let i = 0; i < 6; i++) {
    table[65 + i] = 10 + i
    table[97 + i] = 10 + i
  }
  return table
})()

const isSeparator = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 58

/**
 * Decodes hex text.
 *
 * **Details**
 *
 * Accepts upper- and lower-case digits, an optional `0x` prefix, and whitespace or `:`
 * between bytes (never inside one). An empty input decodes to zero bytes.
 *
 * **Example** (Decoding a pasted frame)
 *
 * ```ts
 * import { Hex } from "@switchyard/packet"
 *
 * const bytes = Hex.decode("ff:ff:ff:ff:ff:ff 02:00:00:00:00:01 08 06")
 * ```
 *
 * @category decoding
 * @since 0.1.0
 */
export const decode = (text: string): Result.Result<Uint8Array, HexError> => {
  let start = 0
  while (start < text.length && isSeparator(text.charCodeAt(start))) start++
  if (text.charCodeAt(start) === 48 && (text.charCodeAt(start + 1) | 0x20) === 120) start += 2
  const out = new Uint8Array(text.length >>> 1)
  let n = 0
  for (let i = start; i < text.length;) {
    const c = text.charCodeAt(i)
    if (isSeparator(c)) {
      i++
      continue
    }
    const hi = c < 128 ? VALUE[c]! : -1
    if (hi < 0) {
      return Result.fail(new HexError({ position: i, message: `not a hex digit at position ${i}: ${JSON.stringify(text[i])}` }))
    }
    const d = i + 1 < text.length ? text.charCodeAt(i + 1) : -1
    const lo = d >= 0 && d < 128 ? VALUE[d]! : -1
    if (lo < 0) {
      return Result.fail(
        new HexError({
          position: i + 1,
          message: d < 0
            ? "odd number of hex digits"
            : `a byte needs two hex digits, position ${i + 1} has ${JSON.stringify(text[i + 1])}`
        })
      )
    }
    out[n++] = (hi << 4) | lo
    i += 2
  }
  return Result.succeed(out.slice(0, n))
}

/**
 * Like {@link decode}, but throws: for literals in code and tests.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeUnsafe = (text: string): Uint8Array => Result.getOrThrow(decode(text))

const DIGITS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"))

/**
 * Encodes bytes as lower-case hex, optionally with a separator between bytes.
 *
 * @category encoding
 * @since 0.1.0
 */
export const encode = (bytes: Uint8Array, separator: string = ""): string => {
  const parts = new Array<string>(bytes.length)
  for (let i = 0; i < bytes.length; i++) parts[i] = DIGITS[bytes[i]!]!
  return parts.join(separator)
}
