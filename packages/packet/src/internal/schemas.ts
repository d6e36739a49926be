/**
 * Field schemas shared by the layer modules: unsigned integers of a given bit width and
 * byte strings whose JSON form is hex.
 *
 * Effect ships `isUint32` but no narrower widths; every header field here is 1 to 32 bits
 * wide, and the bounds matter twice: they reject bad JSON, and they keep Schema-derived
 * arbitraries inside what the wire can carry.
 */
import { Schema } from "effect"

const cache = new Map<number, Schema.Int>()

/** An integer in [0, 2^bits), for header fields of that width. */
export const uint = (bits: number): Schema.Int => {
  let schema = cache.get(bits)
  if (schema === undefined) {
    schema = Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 2 ** bits - 1 })).annotate({
      identifier: `Uint${bits}`
    })
    cache.set(bits, schema)
  }
  return schema
}

/** 8-bit field. */
export const Uint8 = uint(8)
/** 16-bit field. */
export const Uint16 = uint(16)
/** 32-bit field. */
export const Uint32 = uint(32)

/** Raw bytes; the JSON form is lower-case hex without separators. */
export const Bytes = Schema.Uint8ArrayFromHex

/** Raw bytes of at most `max` octets (for fields a length byte bounds). */
export const bytesUpTo = (max: number) => Schema.Uint8ArrayFromHex.check(Schema.isMaxLength(max))
