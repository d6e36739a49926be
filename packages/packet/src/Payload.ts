/**
 * Opaque bytes in a frame: the payload that no decoder here claims, and the padding after
 * the last length-delimited layer.
 *
 * Decoding stops where this package stops knowing the protocol (GRE, VXLAN, application
 * data, the labelled packet under MPLS) or where a layer is broken; whatever remains of the
 * datagram is a `Payload`. Bytes beyond the datagram's own length (Ethernet pads frames to
 * 60 bytes; some capture tools keep the FCS) are `Padding`, so that `Frame.build` on the
 * decoded layers reproduces the frame exactly.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Bytes } from "./internal/schemas.ts"

/**
 * Undecoded bytes of the innermost layer; the JSON form is hex.
 *
 * **Gotchas**
 *
 * A decoded payload is a view into the frame's bytes (`subarray`), not a copy.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Payload = Schema.TaggedStruct("Payload", { bytes: Bytes })

/**
 * Undecoded payload bytes.
 *
 * @category models
 * @since 0.1.0
 */
export type Payload = typeof Payload.Type

/**
 * Bytes after the end of the outermost length-delimited layer; the builder appends them
 * after everything else and excludes them from every length and checksum.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Padding = Schema.TaggedStruct("Padding", { bytes: Bytes })

/**
 * Trailing padding.
 *
 * @category models
 * @since 0.1.0
 */
export type Padding = typeof Padding.Type

/**
 * Makes a payload layer.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (bytes: Uint8Array): Payload => ({ _tag: "Payload", bytes })

/**
 * Makes a padding layer of `length` zero bytes, or of the given bytes.
 *
 * @category constructors
 * @since 0.1.0
 */
export const padding = (bytesOrLength: Uint8Array | number): Padding => ({
  _tag: "Padding",
  bytes: typeof bytesOrLength === "number" ? new Uint8Array(Math.max(0, bytesOrLength)) : bytesOrLength
})
