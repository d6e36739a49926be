/**
 * Schemas for the unsigned integer widths of the OpenFlow wire format.
 *
 * Effect ships signed/unsigned 32-bit checks only; OpenFlow fields are 8, 16, 24, 32 and
 * 64 bits wide. Values up to 32 bits are numbers; 64-bit values (cookies, datapath ids,
 * counters, metadata) are bigints, whose JSON form is a decimal string so they survive
 * JavaScript's `JSON.parse`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

const uint = (bits: number, identifier: string) =>
  Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 2 ** bits - 1 })).annotate({ identifier })

/** An unsigned 8-bit integer. @category schemas @since 0.1.0 */
export const Uint8 = uint(8, "Uint8")
/** An unsigned 16-bit integer. @category schemas @since 0.1.0 */
export const Uint16 = uint(16, "Uint16")
/** An unsigned 24-bit integer. @category schemas @since 0.1.0 */
export const Uint24 = uint(24, "Uint24")
/** An unsigned 32-bit integer. @category schemas @since 0.1.0 */
export const Uint32 = uint(32, "Uint32")

/** The largest 64-bit unsigned value, `0xffffffffffffffff`. @category constants @since 0.1.0 */
export const UINT64_MAX = 0xffff_ffff_ffff_ffffn

/** An unsigned 64-bit integer as a bigint (JSON: a decimal string). @category schemas @since 0.1.0 */
export const Uint64 = Schema.BigInt.check(Schema.isBetweenBigInt({ minimum: 0n, maximum: UINT64_MAX })).annotate({
  identifier: "Uint64"
})

/** `true` for an integer in [0, 2^bits). @category predicates @since 0.1.0 */
export const isUint = (value: unknown, bits: number): value is number =>
  typeof value === "number" && Number.isInteger(value) && value >= 0 && value < 2 ** bits

/** `true` for a bigint in [0, 2^64). @category predicates @since 0.1.0 */
export const isUint64 = (value: unknown): value is bigint => typeof value === "bigint" && value >= 0n && value <= UINT64_MAX
