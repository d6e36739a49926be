/**
 * The IPv6 header (RFC 8200) and the extension headers between it and the transport
 * header.
 *
 * IPv6 moved options into a chain of extension headers, each naming the next, in the same
 * number space as the transport protocols. To find the TCP ports a decoder must walk the
 * chain; to build a packet it must fill in every link of it. The decoder walks
 * hop-by-hop options, routing, fragment and destination options headers, which together
 * with the base header form one `Ipv6` layer; AH, ESP and unknown headers end the walk
 * and what follows is payload. Packets without an upper layer (next header 59) end there
 * too.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as IpProtocol from "./IpProtocol.ts"
import { Bytes, bytesUpTo, uint, Uint16, Uint32, Uint8 } from "./internal/schemas.ts"
import * as Ipv6Address from "./Ipv6Address.ts"

/**
 * One option of a hop-by-hop or destination options header.
 *
 * **Details**
 *
 * Type 0 (Pad1) is a single byte and has empty `data`; every other option is written as
 * type, length and data. PadN (type 1) options are kept as decoded, and the builder adds
 * Pad1/PadN options itself when the options do not fill the header to a multiple of eight
 * bytes.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Option = Schema.Struct({ type: Uint8, data: bytesUpTo(255) })

/**
 * An IPv6 option.
 *
 * @category models
 * @since 0.1.0
 */
export type Option = typeof Option.Type

/**
 * Hop-by-hop options header (next header 0). It may only directly follow the base header.
 *
 * @category schemas
 * @since 0.1.0
 */
export const HopByHop = Schema.TaggedStruct("HopByHop", {
  nextHeader: Uint8,
  options: Schema.Array(Option)
})

/**
 * Destination options header (next header 60).
 *
 * @category schemas
 * @since 0.1.0
 */
export const DestinationOptions = Schema.TaggedStruct("DestinationOptions", {
  nextHeader: Uint8,
  options: Schema.Array(Option)
})

/**
 * Routing header (next header 43). `data` is everything after the segments-left byte;
 * its length plus 4 must be a multiple of 8.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Routing = Schema.TaggedStruct("Routing", {
  nextHeader: Uint8,
  routingType: Uint8,
  segmentsLeft: Uint8,
  data: Bytes
})

/**
 * Fragment header (next header 44). The reserved bits are not kept.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Fragment = Schema.TaggedStruct("Fragment", {
  nextHeader: Uint8,
  fragmentOffset: uint(13),
  moreFragments: Schema.Boolean,
  identification: Uint32
})

/**
 * Any of the extension headers this package walks.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Extension = Schema.Union([HopByHop, Routing, Fragment, DestinationOptions])

/**
 * A decoded extension header.
 *
 * @category models
 * @since 0.1.0
 */
export type Extension = typeof Extension.Type

/**
 * The IPv6 header as decoded, with its walked extension headers.
 *
 * **Details**
 *
 * - `dscp` and `ecn` are the two parts of the traffic class.
 * - `nextHeader` is the base header's field: the first extension header's number when
 *   there are extensions. The upper-layer protocol is `frame.ipProtocol`.
 * - `payloadLength` is the wire value (extension headers included); the builder
 *   recomputes it.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Ipv6 = Schema.TaggedStruct("Ipv6", {
  dscp: uint(6),
  ecn: uint(2),
  flowLabel: uint(20),
  payloadLength: Uint16,
  nextHeader: Uint8,
  hopLimit: Uint8,
  src: Ipv6Address.Ipv6Address,
  dst: Ipv6Address.Ipv6Address,
  extensions: Schema.Array(Extension)
})

/**
 * A decoded IPv6 header.
 *
 * @category models
 * @since 0.1.0
 */
export type Ipv6 = typeof Ipv6.Type

type Loosen<A extends { readonly nextHeader: number }> = Omit<A, "nextHeader"> & {
  readonly nextHeader?: number | undefined
}

/**
 * An extension header as `Frame.build` accepts it: `nextHeader` may be omitted.
 *
 * @category models
 * @since 0.1.0
 */
export type ExtensionInput =
  | Loosen<typeof HopByHop.Type>
  | Loosen<typeof Routing.Type>
  | Loosen<typeof Fragment.Type>
  | Loosen<typeof DestinationOptions.Type>

/**
 * What `Frame.build` accepts: `payloadLength` is always computed; the next-header fields
 * of the base header and of each extension may be omitted when a known header follows.
 *
 * @category models
 * @since 0.1.0
 */
export interface Input {
  readonly _tag: "Ipv6"
  readonly dscp: number
  readonly ecn: number
  readonly flowLabel: number
  readonly payloadLength?: number | undefined
  readonly nextHeader?: number | undefined
  readonly hopLimit: number
  readonly src: Ipv6Address.Ipv6Address
  readonly dst: Ipv6Address.Ipv6Address
  readonly extensions: ReadonlyArray<ExtensionInput>
}

/**
 * The size of the base header.
 *
 * @category constants
 * @since 0.1.0
 */
export const HEADER_LENGTH = 40

/**
 * Makes an IPv6 header; defaults: hop limit 64, traffic class and flow label 0, no
 * extension headers.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: {
  readonly src: Ipv6Address.Ipv6Address
  readonly dst: Ipv6Address.Ipv6Address
  readonly nextHeader?: number | undefined
  readonly hopLimit?: number | undefined
  readonly dscp?: number | undefined
  readonly ecn?: number | undefined
  readonly flowLabel?: number | undefined
  readonly extensions?: ReadonlyArray<ExtensionInput> | undefined
}): Input => ({
  _tag: "Ipv6",
  dscp: options.dscp ?? 0,
  ecn: options.ecn ?? 0,
  flowLabel: options.flowLabel ?? 0,
  nextHeader: options.nextHeader,
  hopLimit: options.hopLimit ?? 64,
  src: options.src,
  dst: options.dst,
  extensions: options.extensions ?? []
})

/**
 * The IP protocol number of an extension header.
 *
 * @category getters
 * @since 0.1.0
 */
export const extensionProtocol = (extension: { readonly _tag: Extension["_tag"] }): number => {
  switch (extension._tag) {
    case "HopByHop":
      return IpProtocol.HOPOPT
    case "Routing":
      return IpProtocol.IPV6_ROUTE
    case "Fragment":
      return IpProtocol.IPV6_FRAG
    case "DestinationOptions":
      return IpProtocol.IPV6_OPTS
  }
}

/**
 * The fragment header of a packet, if it has one.
 *
 * @category getters
 * @since 0.1.0
 */
export const fragment = (header: Ipv6): typeof Fragment.Type | undefined => {
  for (const extension of header.extensions) if (extension._tag === "Fragment") return extension
  return undefined
}

/**
 * The solicited-node multicast address of an address (RFC 4291 §2.7.1), the destination of
 * neighbour solicitations for it.
 *
 * @category constructors
 * @since 0.1.0
 */
export const solicitedNodeAddress = (address: Ipv6Address.Ipv6Address): Ipv6Address.Ipv6Address =>
  0xff02_0000_0000_0000_0000_0001_ff00_0000n | (address & 0xff_ffffn)

/**
 * The Ethernet multicast address of an IPv6 multicast address (RFC 2464 §7): 33:33 and
 * the low 32 bits.
 *
 * @category constructors
 * @since 0.1.0
 */
export const multicastMac = (address: Ipv6Address.Ipv6Address): number =>
  0x3333_0000_0000 + Number(address & 0xffff_ffffn)
