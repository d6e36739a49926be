/**
 * OFPT_HELLO: the first message each side sends, used for version negotiation.
 *
 * Before OpenFlow 1.3.1 a HELLO only carried the sender's highest version in its header.
 * Since then it may carry a version bitmap element listing every version the sender
 * speaks; the negotiated version is then the highest one both bitmaps share, and when
 * either side sends no bitmap it is the lower of the two header versions. Unknown
 * element types must be ignored, so they are kept as opaque bytes.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Uint from "./Uint.ts"
import * as Version from "./Version.ts"

/**
 * A version bitmap element: the wire versions the sender supports.
 *
 * @category models
 * @since 0.1.0
 */
export const VersionBitmap = Schema.TaggedStruct("VersionBitmap", {
  /** Wire version numbers, ascending (bit positions in the bitmap). */
  versions: Schema.Array(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 255 })))
})
/** @category models @since 0.1.0 */
export type VersionBitmap = typeof VersionBitmap.Type

/**
 * A HELLO element of a type this codec does not interpret, kept byte for byte.
 *
 * @category models
 * @since 0.1.0
 */
export const UnknownElement = Schema.TaggedStruct("UnknownHelloElement", {
  /** Any element type but OFPHET_VERSIONBITMAP (1), which decodes as {@link VersionBitmap}. */
  type: Uint.Uint16.check(Schema.makeFilter((type: number) => type !== 1, { expected: "an element type other than 1 (VERSIONBITMAP)" })),
  data: Schema.Uint8Array
})
/** @category models @since 0.1.0 */
export type UnknownElement = typeof UnknownElement.Type

/** A HELLO element. @category models @since 0.1.0 */
export const Element = Schema.Union([VersionBitmap, UnknownElement])
/** @category models @since 0.1.0 */
export type Element = typeof Element.Type

/**
 * OFPT_HELLO.
 *
 * @category models
 * @since 0.1.0
 */
export const Hello = Schema.TaggedStruct("Hello", {
  elements: Schema.Array(Element)
})
/** @category models @since 0.1.0 */
export type Hello = typeof Hello.Type

/**
 * A HELLO offering `versions` (wire numbers) in a version bitmap.
 *
 * **Details**
 *
 * Send it with the highest offered version in the header. Pass an empty list for a plain
 * HELLO without elements, as OpenFlow 1.0 peers send.
 *
 * @example
 * ```ts
 * import { Hello, Version } from "@switchyard/openflow"
 *
 * const hello = Hello.make([Version.OF10, Version.OF13])
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (versions: ReadonlyArray<number>): Hello => ({
  _tag: "Hello",
  elements: versions.length === 0 ? [] : [{ _tag: "VersionBitmap", versions: [...new Set(versions)].sort((a, b) => a - b) }]
})

/**
 * The versions a HELLO offers: its bitmap if it has one, otherwise every version up to
 * the header's, as the spec says for peers without bitmaps.
 *
 * @category accessors
 * @since 0.1.0
 */
export const offeredVersions = (hello: Hello, headerVersion: number): ReadonlyArray<number> => {
  for (const element of hello.elements) {
    if (element._tag === "VersionBitmap") return element.versions
  }
  const all: Array<number> = []
  for (let v = 1; v <= headerVersion; v++) all.push(v)
  return all
}

/**
 * Negotiates a version per OpenFlow 1.3.1 §6.3.1: the highest version in both bitmaps
 * when both sides sent one; otherwise the lower header version, provided the side with a
 * bitmap (if any) offers it. `undefined` means there is no common version and the
 * connection must fail with OFPHFC_INCOMPATIBLE.
 *
 * @category negotiation
 * @since 0.1.0
 */
export const negotiate = (
  ours: { readonly hello: Hello; readonly version: number },
  theirs: { readonly hello: Hello; readonly version: number }
): number | undefined => {
  const ourBitmap = bitmapOf(ours.hello)
  const theirBitmap = bitmapOf(theirs.hello)
  if (ourBitmap !== undefined && theirBitmap !== undefined) {
    let best: number | undefined
    for (const v of ourBitmap) if (theirBitmap.includes(v) && (best === undefined || v > best)) best = v
    return best
  }
  const v = Math.min(ours.version, theirs.version)
  if (ourBitmap !== undefined && !ourBitmap.includes(v)) return undefined
  if (theirBitmap !== undefined && !theirBitmap.includes(v)) return undefined
  return Version.isVersion(v) ? v : undefined
}

const bitmapOf = (hello: Hello): ReadonlyArray<number> | undefined => {
  for (const element of hello.elements) {
    if (element._tag === "VersionBitmap") return element.versions
  }
  return undefined
}
