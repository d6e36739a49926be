/**
 * ICMPv6 (RFC 4443) and the neighbour discovery messages built on it (RFC 4861).
 *
 * IPv6 has no ARP: hosts find each other's MAC addresses with neighbour solicitations and
 * advertisements, and routers announce prefixes with router advertisements. These are
 * ICMPv6 messages with a fixed part per type followed by options in units of eight bytes,
 * the most important being the source and target link-layer addresses (the MACs a
 * controller learns from). An option of length zero would make a naive parser loop
 * forever; RFC 4861 says to drop such packets, and here the options decoded before it are
 * kept, the error is reported and the rest of the message is kept as a payload. The
 * checksum covers an IPv6 pseudo-header, so it changes whenever an address is rewritten.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { bytesUpTo, Uint16, Uint32, Uint8 } from "./internal/schemas.ts"
import * as Ipv6Address from "./Ipv6Address.ts"
import * as MacAddress from "./MacAddress.ts"

/**
 * Source link-layer address option (type 1) for Ethernet.
 *
 * @category schemas
 * @since 0.1.0
 */
export const SourceLinkLayerAddress = Schema.TaggedStruct("SourceLinkLayerAddress", { address: MacAddress.MacAddress })

/**
 * Target link-layer address option (type 2) for Ethernet.
 *
 * @category schemas
 * @since 0.1.0
 */
export const TargetLinkLayerAddress = Schema.TaggedStruct("TargetLinkLayerAddress", { address: MacAddress.MacAddress })

/**
 * Prefix information option (type 3). The reserved fields are not kept.
 *
 * @category schemas
 * @since 0.1.0
 */
export const PrefixInformation = Schema.TaggedStruct("PrefixInformation", {
  prefixLength: Uint8,
  onLink: Schema.Boolean,
  autonomous: Schema.Boolean,
  validLifetime: Uint32,
  preferredLifetime: Uint32,
  prefix: Ipv6Address.Ipv6Address
})

/**
 * MTU option (type 5).
 *
 * @category schemas
 * @since 0.1.0
 */
export const Mtu = Schema.TaggedStruct("Mtu", { mtu: Uint32 })

/**
 * Any other option, or a known option with an unexpected length, kept as bytes.
 * `data` excludes the type and length bytes; its length plus 2 must be a multiple of 8.
 *
 * @category schemas
 * @since 0.1.0
 */
export const UnknownOption = Schema.TaggedStruct("UnknownOption", { type: Uint8, data: bytesUpTo(2038) })

/**
 * A neighbour discovery option.
 *
 * @category schemas
 * @since 0.1.0
 */
export const NdOption = Schema.Union([SourceLinkLayerAddress, TargetLinkLayerAddress, PrefixInformation, Mtu, UnknownOption])

/**
 * A decoded neighbour discovery option.
 *
 * @category models
 * @since 0.1.0
 */
export type NdOption = typeof NdOption.Type

/**
 * Echo request or reply (types 128, 129): identifier and sequence; the data follows as a
 * payload.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Echo = Schema.TaggedStruct("Echo", { identifier: Uint16, sequence: Uint16 })

/**
 * Router solicitation (type 133).
 *
 * @category schemas
 * @since 0.1.0
 */
export const RouterSolicitation = Schema.TaggedStruct("RouterSolicitation", { options: Schema.Array(NdOption) })

/**
 * Router advertisement (type 134). `managed` and `other` are the M and O flags; the
 * other flag bits are not kept.
 *
 * @category schemas
 * @since 0.1.0
 */
export const RouterAdvertisement = Schema.TaggedStruct("RouterAdvertisement", {
  curHopLimit: Uint8,
  managed: Schema.Boolean,
  other: Schema.Boolean,
  routerLifetime: Uint16,
  reachableTime: Uint32,
  retransTimer: Uint32,
  options: Schema.Array(NdOption)
})

/**
 * Neighbour solicitation (type 135).
 *
 * @category schemas
 * @since 0.1.0
 */
export const NeighborSolicitation = Schema.TaggedStruct("NeighborSolicitation", {
  target: Ipv6Address.Ipv6Address,
  options: Schema.Array(NdOption)
})

/**
 * Neighbour advertisement (type 136) with its R, S and O flags.
 *
 * @category schemas
 * @since 0.1.0
 */
export const NeighborAdvertisement = Schema.TaggedStruct("NeighborAdvertisement", {
  router: Schema.Boolean,
  solicited: Schema.Boolean,
  override: Schema.Boolean,
  target: Ipv6Address.Ipv6Address,
  options: Schema.Array(NdOption)
})

/**
 * Redirect (type 137).
 *
 * @category schemas
 * @since 0.1.0
 */
export const Redirect = Schema.TaggedStruct("Redirect", {
  target: Ipv6Address.Ipv6Address,
  destination: Ipv6Address.Ipv6Address,
  options: Schema.Array(NdOption)
})

/**
 * Any other message: the second word undecoded; the rest follows as a payload.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Other = Schema.TaggedStruct("Other", { rest: Uint32 })

/**
 * The type-specific part of an ICMPv6 message.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Body = Schema.Union([
  Echo,
  RouterSolicitation,
  RouterAdvertisement,
  NeighborSolicitation,
  NeighborAdvertisement,
  Redirect,
  Other
])

/**
 * A decoded message body.
 *
 * @category models
 * @since 0.1.0
 */
export type Body = typeof Body.Type

/**
 * An ICMPv6 message as decoded.
 *
 * **Details**
 *
 * The body follows the type: `Echo` for 128/129, the neighbour discovery bodies for
 * 133..137 and `Other` for the rest. The builder writes the body it is given, so a body
 * that does not fit the type decodes back differently.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Icmp6 = Schema.TaggedStruct("Icmp6", {
  type: Uint8,
  code: Uint8,
  checksum: Uint16,
  body: Body
})

/**
 * A decoded ICMPv6 message.
 *
 * @category models
 * @since 0.1.0
 */
export type Icmp6 = typeof Icmp6.Type

/**
 * What `Frame.build` accepts: the checksum is always computed and may be omitted.
 *
 * @category models
 * @since 0.1.0
 */
export interface Input {
  readonly _tag: "Icmp6"
  readonly type: number
  readonly code: number
  readonly checksum?: number | undefined
  readonly body: Body
}

/** Destination unreachable. @category constants @since 0.1.0 */
export const DESTINATION_UNREACHABLE = 1
/** Packet too big. @category constants @since 0.1.0 */
export const PACKET_TOO_BIG = 2
/** Time exceeded. @category constants @since 0.1.0 */
export const TIME_EXCEEDED = 3
/** Parameter problem. @category constants @since 0.1.0 */
export const PARAMETER_PROBLEM = 4
/** Echo request. @category constants @since 0.1.0 */
export const ECHO_REQUEST = 128
/** Echo reply. @category constants @since 0.1.0 */
export const ECHO_REPLY = 129
/** Router solicitation. @category constants @since 0.1.0 */
export const ROUTER_SOLICITATION = 133
/** Router advertisement. @category constants @since 0.1.0 */
export const ROUTER_ADVERTISEMENT = 134
/** Neighbour solicitation. @category constants @since 0.1.0 */
export const NEIGHBOR_SOLICITATION = 135
/** Neighbour advertisement. @category constants @since 0.1.0 */
export const NEIGHBOR_ADVERTISEMENT = 136
/** Redirect. @category constants @since 0.1.0 */
export const REDIRECT = 137

/** Option type: source link-layer address. @category constants @since 0.1.0 */
export const OPTION_SOURCE_LINK_LAYER_ADDRESS = 1
/** Option type: target link-layer address. @category constants @since 0.1.0 */
export const OPTION_TARGET_LINK_LAYER_ADDRESS = 2
/** Option type: prefix information. @category constants @since 0.1.0 */
export const OPTION_PREFIX_INFORMATION = 3
/** Option type: redirected header. @category constants @since 0.1.0 */
export const OPTION_REDIRECTED_HEADER = 4
/** Option type: MTU. @category constants @since 0.1.0 */
export const OPTION_MTU = 5

/**
 * Makes an ICMPv6 message.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: { readonly type: number; readonly code?: number | undefined; readonly body: Body }): Input => ({
  _tag: "Icmp6",
  type: options.type,
  code: options.code ?? 0,
  body: options.body
})

/**
 * Makes a neighbour solicitation for `target`, announcing the sender's MAC when given.
 *
 * **Details**
 *
 * Send it to `Ipv6.solicitedNodeAddress(target)` with hop limit 255 (RFC 4861 §7.1.1 makes
 * receivers drop neighbour discovery packets with any other hop limit).
 *
 * @category constructors
 * @since 0.1.0
 */
export const neighborSolicitation = (options: {
  readonly target: Ipv6Address.Ipv6Address
  readonly sourceMac?: MacAddress.MacAddress | undefined
}): Input => ({
  _tag: "Icmp6",
  type: NEIGHBOR_SOLICITATION,
  code: 0,
  body: {
    _tag: "NeighborSolicitation",
    target: options.target,
    options: options.sourceMac === undefined ? [] : [{ _tag: "SourceLinkLayerAddress", address: options.sourceMac }]
  }
})

/**
 * Makes a neighbour advertisement: "`target` is at `targetMac`". Solicited and override
 * default to `true`, router to `false`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const neighborAdvertisement = (options: {
  readonly target: Ipv6Address.Ipv6Address
  readonly targetMac: MacAddress.MacAddress
  readonly router?: boolean | undefined
  readonly solicited?: boolean | undefined
  readonly override?: boolean | undefined
}): Input => ({
  _tag: "Icmp6",
  type: NEIGHBOR_ADVERTISEMENT,
  code: 0,
  body: {
    _tag: "NeighborAdvertisement",
    router: options.router ?? false,
    solicited: options.solicited ?? true,
    override: options.override ?? true,
    target: options.target,
    options: [{ _tag: "TargetLinkLayerAddress", address: options.targetMac }]
  }
})

/**
 * The neighbour discovery options of a message (empty for non-ND messages).
 *
 * @category getters
 * @since 0.1.0
 */
export const ndOptions = (message: { readonly body: Body }): ReadonlyArray<NdOption> =>
  "options" in message.body ? message.body.options : []

/**
 * The target address of a neighbour solicitation, advertisement or redirect (OpenFlow
 * `ipv6_nd_target`).
 *
 * @category getters
 * @since 0.1.0
 */
export const ndTarget = (message: { readonly body: Body }): Ipv6Address.Ipv6Address | undefined =>
  "target" in message.body ? message.body.target : undefined

/**
 * The first source link-layer address option's MAC (OpenFlow `ipv6_nd_sll`).
 *
 * @category getters
 * @since 0.1.0
 */
export const sourceLinkLayerAddress = (message: { readonly body: Body }): MacAddress.MacAddress | undefined => {
  for (const option of ndOptions(message)) if (option._tag === "SourceLinkLayerAddress") return option.address
  return undefined
}

/**
 * The first target link-layer address option's MAC (OpenFlow `ipv6_nd_tll`).
 *
 * @category getters
 * @since 0.1.0
 */
export const targetLinkLayerAddress = (message: { readonly body: Body }): MacAddress.MacAddress | undefined => {
  for (const option of ndOptions(message)) if (option._tag === "TargetLinkLayerAddress") return option.address
  return undefined
}

/**
 * The fixed size of a message body before its options or payload, by type.
 *
 * @category getters
 * @since 0.1.0
 */
export const fixedLength = (type: number): number => {
  switch (type) {
    case ROUTER_SOLICITATION:
      return 8
    case ROUTER_ADVERTISEMENT:
      return 16
    case NEIGHBOR_SOLICITATION:
    case NEIGHBOR_ADVERTISEMENT:
      return 24
    case REDIRECT:
      return 40
    default:
      return 8
  }
}
