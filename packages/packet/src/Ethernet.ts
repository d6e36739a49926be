/**
 * The Ethernet header: destination and source MAC addresses and the type field.
 *
 * Every OpenFlow PACKET_IN carries an Ethernet frame without preamble and FCS, and most
 * apps read nothing but its first 14 bytes: a learning switch looks at the two addresses
 * thousands of times a second. So besides the decoded {@link Ethernet} value this module
 * offers {@link view}, which reads the addresses as numbers straight from the caller's
 * bytes. The awkward part of the header is its last field, which is an EtherType in
 * Ethernet II frames and a length in IEEE 802.3 frames (see `EtherType.isLength`).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as EtherType from "./EtherType.ts"
import { Uint16 } from "./internal/schemas.ts"
import { u16 } from "./internal/wire.ts"
import * as MacAddress from "./MacAddress.ts"

/**
 * The Ethernet header as decoded.
 *
 * **Details**
 *
 * `etherType` is the raw type field: 0x8100 when a VLAN tag follows, an 802.3 length
 * below 0x0600. The EtherType after any VLAN tags is `frame.etherType`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Ethernet = Schema.TaggedStruct("Ethernet", {
  dst: MacAddress.MacAddress,
  src: MacAddress.MacAddress,
  etherType: Uint16
})

/**
 * A decoded Ethernet header.
 *
 * @category models
 * @since 0.1.0
 */
export type Ethernet = typeof Ethernet.Type

/**
 * What `Frame.build` accepts for an Ethernet header.
 *
 * **Details**
 *
 * `etherType` may be omitted when a layer this package knows follows: the builder writes
 * that layer's EtherType (or, before an `Llc` layer, the 802.3 length). It is needed only
 * when an opaque `Payload` follows; a value up to 1500 there marks an 802.3 frame, and the
 * builder writes the payload's length in its place.
 *
 * @category models
 * @since 0.1.0
 */
export interface Input {
  readonly _tag: "Ethernet"
  readonly dst: MacAddress.MacAddress
  readonly src: MacAddress.MacAddress
  readonly etherType?: number | undefined
}

/**
 * The size of the header in bytes.
 *
 * @category constants
 * @since 0.1.0
 */
export const HEADER_LENGTH = 14

/**
 * The smallest frame Ethernet carries without its 4-byte FCS (64 - 4); shorter frames are
 * padded by the sender, and the padding shows up as a `Padding` layer.
 *
 * @category constants
 * @since 0.1.0
 */
export const MIN_FRAME_LENGTH = 60

/**
 * Makes an Ethernet header for `Frame.build`.
 *
 * **Example** (An Ethernet header for an IPv4 packet)
 *
 * ```ts
 * import { Ethernet, MacAddress } from "@switchyard/packet"
 *
 * const eth = Ethernet.make({
 *   dst: MacAddress.BROADCAST,
 *   src: MacAddress.fromStringUnsafe("02:00:00:00:00:01")
 * })
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: {
  readonly dst: MacAddress.MacAddress
  readonly src: MacAddress.MacAddress
  readonly etherType?: number | undefined
}): Input => ({ _tag: "Ethernet", dst: options.dst, src: options.src, etherType: options.etherType })

/**
 * A zero-copy, read-only view of the Ethernet header at the start of a frame.
 *
 * **When to use**
 *
 * On the hot path, when an app needs only the MAC addresses and the EtherType of each
 * packet-in: a learning switch, a MAC-based ACL. Anything deeper goes through
 * `Frame.decode`.
 *
 * **Details**
 *
 * Each getter reads the bytes when called; nothing is decoded or cached. The view keeps a
 * reference to the caller's bytes: it reflects later writes into them, and it must not be
 * kept after the buffer is reused (copy the numbers out instead).
 *
 * @category models
 * @since 0.1.0
 */
export interface View {
  /** The frame the view reads from (the caller's bytes, not a copy). */
  readonly bytes: Uint8Array
  /** Destination MAC address as a number. */
  readonly dst: MacAddress.MacAddress
  /** Source MAC address as a number. */
  readonly src: MacAddress.MacAddress
  /** The raw type field at offset 12 (0x8100 for a tagged frame). */
  readonly etherType: number
  /**
   * The EtherType after any VLAN tags (skipping 0x8100, 0x88a8 and 0x9100 tags), or the
   * last type field present when the frame ends inside a tag.
   */
  readonly innerEtherType: number
  /** The VLAN ID of the outermost tag, or `undefined` for an untagged frame. */
  readonly vlanId: number | undefined
}

class EthernetView implements View {
  constructor(readonly bytes: Uint8Array) {}
  get dst(): MacAddress.MacAddress {
    return MacAddress.read(this.bytes, 0)
  }
  get src(): MacAddress.MacAddress {
    return MacAddress.read(this.bytes, 6)
  }
  get etherType(): number {
    return u16(this.bytes, 12)
  }
  get innerEtherType(): number {
    const b = this.bytes
    let offset = 12
    let type = u16(b, offset)
    while (EtherType.isVlan(type) && offset + 6 <= b.length) {
      offset += 4
      type = u16(b, offset)
    }
    return type
  }
  get vlanId(): number | undefined {
    const b = this.bytes
    return b.length >= 16 && EtherType.isVlan(u16(b, 12)) ? u16(b, 14) & 0x0fff : undefined
  }
}

/**
 * Returns a {@link View} of the frame's Ethernet header, or `undefined` when the frame is
 * shorter than 14 bytes.
 *
 * **Details**
 *
 * One small object is allocated; no layer is decoded. For a typed error on short frames
 * use `Frame.decode(bytes).error`.
 *
 * **Example** (Learning the source MAC of a packet-in)
 *
 * ```ts
 * import { Ethernet } from "@switchyard/packet"
 *
 * declare const data: Uint8Array // PACKET_IN data, a view into the socket buffer
 * declare const learned: Map<number, number>
 * const eth = Ethernet.view(data)
 * if (eth !== undefined) learned.set(eth.src, 1)
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const view = (bytes: Uint8Array): View | undefined =>
  bytes.length >= HEADER_LENGTH ? new EthernetView(bytes) : undefined
