/**
 * OpenFlow protocol versions and their wire numbers.
 *
 * The header's version byte is not the marketing number: OpenFlow 1.3 is wire version 4.
 * Everything in Switchyard speaks in wire numbers and converts only for display, so a
 * version can index tables and be compared with `<` the way the spec's "since" notes read.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * A wire version number: 1 (OpenFlow 1.0) through 6 (OpenFlow 1.5).
 *
 * @category models
 * @since 0.1.0
 */
export type Version = 1 | 2 | 3 | 4 | 5 | 6

/** OpenFlow 1.0, wire version 1. @category constants @since 0.1.0 */
export const OF10 = 1 as const
/** OpenFlow 1.1, wire version 2. @category constants @since 0.1.0 */
export const OF11 = 2 as const
/** OpenFlow 1.2, wire version 3. @category constants @since 0.1.0 */
export const OF12 = 3 as const
/** OpenFlow 1.3, wire version 4. @category constants @since 0.1.0 */
export const OF13 = 4 as const
/** OpenFlow 1.4, wire version 5. @category constants @since 0.1.0 */
export const OF14 = 5 as const
/** OpenFlow 1.5, wire version 6. @category constants @since 0.1.0 */
export const OF15 = 6 as const

/**
 * The versions whose messages this codec decodes and encodes, lowest first.
 *
 * **Details**
 *
 * OpenFlow 1.3 is complete, and so are OpenFlow 1.0, 1.4 and 1.5: the same message
 * values encode to and decode from 1.0's wire format wherever 1.0 can express them, and
 * 1.4/1.5's messages and fields are optional parts of the same models plus the kinds
 * only they have. Version negotiation offers exactly these.
 *
 * @category constants
 * @since 0.1.0
 */
export const supported: ReadonlyArray<Version> = [OF10, OF13, OF14, OF15]

/** `true` for a wire version this codec can decode. @category predicates @since 0.1.0 */
export const isSupported = (version: number): version is Version => supported.includes(version as Version)

/** `true` for any wire version 1..6 defined by the spec. @category predicates @since 0.1.0 */
export const isVersion = (version: number): version is Version => Number.isInteger(version) && version >= 1 && version <= 6

/**
 * Formats a wire version as the spec names it: `format(4)` is `"1.3"`.
 *
 * @category formatting
 * @since 0.1.0
 */
export const format = (version: number): string => isVersion(version) ? `1.${version - 1}` : `0x${version.toString(16)}`

/**
 * Schema of a wire version number.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Version = Schema.Literals([1, 2, 3, 4, 5, 6]).annotate({ identifier: "Version" })
