/**
 * The typed error for a frame that cannot be decoded or built as described.
 *
 * Frames reach a controller from the wire, so anything can be in them: a header cut short
 * by the switch's `miss_send_len`, a length field pointing past the end, a checksum that
 * does not add up, an IPv4 header that says it is version 5. Ryu answered those with
 * exceptions whose types callers had to guess; here every problem is a value that names
 * the layer, a `reason` from a small fixed set and the byte offset where it was found.
 * Decoders return these errors, they never throw them.
 *
 * @since 0.1.0
 */
import { Data, Schema } from "effect"

/**
 * The layers an error can be reported on: every protocol this package decodes.
 *
 * @category models
 * @since 0.1.0
 */
export const LayerName = Schema.Literals([
  "Ethernet",
  "Vlan",
  "Mpls",
  "Llc",
  "Arp",
  "Ipv4",
  "Ipv6",
  "Icmp",
  "Icmp6",
  "Tcp",
  "Udp",
  "Sctp",
  "Lldp",
  "Payload",
  "Padding"
])

/**
 * The name of a layer, as in {@link LayerName}.
 *
 * @category models
 * @since 0.1.0
 */
export type LayerName = typeof LayerName.Type

/**
 * Why a layer was rejected.
 *
 * **Details**
 *
 * - `Truncated`: fewer bytes remain than the header (or a length field) needs.
 * - `BadLength`: a length field is impossible: smaller than its own header, larger than
 *   its enclosing layer, or (when building) too large for its field.
 * - `BadChecksum`: a checksum does not verify. The layer is still decoded.
 * - `BadVersion`: an IP header with the wrong version number for its EtherType.
 * - `BadValue`: a field holds a value the protocol forbids, or (when building) one that
 *   does not fit its field.
 * - `Unsupported`: a well-formed header this package does not decode, such as ARP for
 *   hardware addresses other than 6 bytes. The bytes are kept as a payload.
 *
 * @category models
 * @since 0.1.0
 */
export const Reason = Schema.Literals(["Truncated", "BadLength", "BadChecksum", "BadVersion", "BadValue", "Unsupported"])

/**
 * One of the {@link Reason} strings.
 *
 * @category models
 * @since 0.1.0
 */
export type Reason = typeof Reason.Type

/**
 * A problem found in one layer of a frame.
 *
 * **Details**
 *
 * `offset` is the byte offset from the start of the frame where the problem was found
 * (for build errors: where the layer would have started). `message` is one line meant for
 * people and logs; match on `layer` and `reason` in code. The JSON form is {@link Json}.
 *
 * **Gotchas**
 *
 * Decoding never constructs these eagerly: `Frame.decode` records the facts and builds
 * the error objects only when `frame.errors` is read, without a stack trace (it would
 * point at the getter, not at the bytes), because a hostile peer can send malformed
 * frames at line rate.
 *
 * **Example** (Reacting to a truncated frame)
 *
 * ```ts
 * import { Frame } from "@switchyard/packet"
 *
 * const frame = Frame.decode(Uint8Array.of(0xff, 0xff))
 * const error = frame.error
 * if (error?.reason === "Truncated") console.log(error.message)
 * ```
 *
 * @category errors
 * @since 0.1.0
 */
export class PacketError extends Data.TaggedError("PacketError")<{
  readonly layer: LayerName
  readonly reason: Reason
  readonly offset: number
  readonly message: string
}> {}

/**
 * The JSON form of a {@link PacketError}, as `Frame.toJson` and the CLI print it.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Json = Schema.TaggedStruct("PacketError", {
  layer: LayerName,
  reason: Reason,
  offset: Schema.Int,
  message: Schema.String
})

/**
 * A {@link PacketError} as plain data.
 *
 * @category models
 * @since 0.1.0
 */
export type Json = typeof Json.Type

/**
 * Builds a {@link PacketError}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (layer: LayerName, reason: Reason, offset: number, message: string): PacketError =>
  new PacketError({ layer, reason, offset, message })

/**
 * The plain-data form of an error, for {@link Json}.
 *
 * @category conversions
 * @since 0.1.0
 */
export const toJson = (error: PacketError): Json => ({
  _tag: "PacketError",
  layer: error.layer,
  reason: error.reason,
  offset: error.offset,
  message: error.message
})
