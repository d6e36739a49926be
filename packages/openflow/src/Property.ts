/**
 * The property TLVs of OpenFlow 1.4 and later: the experimenter property that every
 * property list accepts, and the unknown property kept byte for byte.
 *
 * OpenFlow 1.4 replaced most fixed tails of its structures (port descriptions, port and
 * queue statistics, table configuration, async configuration, bundles, and in 1.5
 * group buckets and controller status) with lists of properties: `type u16, length u16`,
 * a body, and zero padding to a multiple of 8 that `length` does not count. Each list
 * has its own type numbers, so each family models its own properties (`Port.Property`,
 * `TableMod.Property`, ...); the two kinds here are shared by all of them. A property
 * type a list does not define is kept as an {@link UnknownProperty}, so a message from a
 * newer switch re-encodes exactly as it came.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Uint from "./Uint.ts"

/** Largest property body: the 16-bit length counts the 4-byte header. */
const MAX_BODY = 0xffff - 4

/**
 * An experimenter property (type 0xffff in every list but the async configuration's,
 * which uses 0xfffe and 0xffff for the two roles): an experimenter id, an
 * experimenter-defined type and data kept byte for byte.
 *
 * **Gotchas**
 *
 * In a decoded message `data` is a view into the received bytes. Ryu shows the data as
 * a list of 32-bit words, which is what most experimenters send; any length is kept.
 *
 * @category models
 * @since 0.1.0
 */
export const ExperimenterProperty = Schema.TaggedStruct("ExperimenterProperty", {
  experimenter: Uint.Uint32,
  expType: Uint.Uint32,
  /** The bytes after `expType`, without the padding to 8. */
  data: Schema.Uint8Array.check(Schema.isMaxLength(MAX_BODY - 8))
})
/** @category models @since 0.1.0 */
export type ExperimenterProperty = typeof ExperimenterProperty.Type

/**
 * A property of a type its list does not define (as of OpenFlow 1.5), kept byte for byte.
 *
 * @category models
 * @since 0.1.0
 */
export interface UnknownProperty {
  readonly _tag: "UnknownProperty"
  /** The property type; never one its list defines (those decode as their own kind). */
  readonly type: number
  /** The body after the 4-byte header, without the padding to 8; a view in decoded messages. */
  readonly data: Uint8Array
}

/**
 * Schema of an {@link UnknownProperty} in a list whose defined types are `known`: a
 * known type would decode as its own kind, so the Schema refuses it.
 *
 * @category schemas
 * @since 0.1.0
 */
export const unknownProperty = (list: string, known: ReadonlyArray<number>): Schema.Codec<UnknownProperty, {
  readonly _tag: "UnknownProperty"
  readonly type: number
  readonly data: Uint8Array
}> =>
  Schema.TaggedStruct("UnknownProperty", {
    type: Uint.Uint16.check(
      Schema.makeFilter((type: number) => known.includes(type) ? `a ${list} property type other than ${known.join(", ")}` : undefined)
    ),
    data: Schema.Uint8Array.check(Schema.isMaxLength(MAX_BODY))
  }) as unknown as Schema.Codec<UnknownProperty, UnknownProperty>

/**
 * An experimenter property.
 *
 * @example
 * ```ts
 * import { Property } from "@switchyard/openflow"
 *
 * const p = Property.experimenter(0x2320, 1, Uint8Array.of(0, 0, 0, 7))
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const experimenter = (experimenterId: number, expType: number, data: Uint8Array = new Uint8Array(0)): ExperimenterProperty => ({
  _tag: "ExperimenterProperty",
  experimenter: experimenterId,
  expType,
  data
})
