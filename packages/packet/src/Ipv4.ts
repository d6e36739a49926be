/**
 * The IPv4 header (RFC 791), with options and fragmentation fields.
 *
 * IPv4 is where inconsistent length fields bite: the header length (IHL) counts 32-bit
 * words and may include up to 40 bytes of options, the total length may be shorter than
 * what the frame carries (Ethernet pads short frames to 60 bytes) or longer (a switch
 * that truncated the packet-in to `miss_send_len`). The decoder stops the datagram at its
 * total length and reports a truncated datagram without losing its header. Non-first
 * fragments carry no transport header, so decoding stops there; the header checksum is
 * verified on decode and always computed on build.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { bytesUpTo, uint, Uint16, Uint8 } from "./internal/schemas.ts"
import * as Ipv4Address from "./Ipv4Address.ts"

/**
 * One IPv4 option.
 *
 * **Details**
 *
 * Types 0 (end of option list) and 1 (no operation) are single bytes and have empty
 * `data`. Every other option is written as type, length (2 + data length) and data; the
 * `type` byte includes the copied flag and class bits (for example 0x94 is Router Alert).
 *
 * @category schemas
 * @since 0.1.0
 */
export const Option = Schema.Struct({ type: Uint8, data: bytesUpTo(38) })

/**
 * An IPv4 option.
 *
 * @category models
 * @since 0.1.0
 */
export type Option = typeof Option.Type

/**
 * The IPv4 header as decoded.
 *
 * **Details**
 *
 * - `dscp` and `ecn` are the two parts of the old TOS byte (OpenFlow `ip_dscp`,
 *   `ip_ecn`).
 * - `totalLength` and `checksum` are the values on the wire; the builder recomputes both.
 * - `fragmentOffset` is in units of 8 bytes, as on the wire.
 * - `options` stop at the first end-of-list option (which is kept); the zero padding
 *   after it is not.
 * - The header length is not stored: it follows from `options`.
 * - The reserved flag bit is not stored and is written as zero.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Ipv4 = Schema.TaggedStruct("Ipv4", {
  dscp: uint(6),
  ecn: uint(2),
  totalLength: Uint16,
  identification: Uint16,
  dontFragment: Schema.Boolean,
  moreFragments: Schema.Boolean,
  fragmentOffset: uint(13),
  ttl: Uint8,
  protocol: Uint8,
  checksum: Uint16,
  src: Ipv4Address.Ipv4Address,
  dst: Ipv4Address.Ipv4Address,
  options: Schema.Array(Option).check(Schema.isMaxLength(40))
})

/**
 * A decoded IPv4 header.
 *
 * @category models
 * @since 0.1.0
 */
export type Ipv4 = typeof Ipv4.Type

/**
 * What `Frame.build` accepts: `totalLength` and `checksum` are always computed and may be
 * omitted; `protocol` may be omitted when a known layer follows.
 *
 * @category models
 * @since 0.1.0
 */
export interface Input {
  readonly _tag: "Ipv4"
  readonly dscp: number
  readonly ecn: number
  readonly totalLength?: number | undefined
  readonly identification: number
  readonly dontFragment: boolean
  readonly moreFragments: boolean
  readonly fragmentOffset: number
  readonly ttl: number
  readonly protocol?: number | undefined
  readonly checksum?: number | undefined
  readonly src: Ipv4Address.Ipv4Address
  readonly dst: Ipv4Address.Ipv4Address
  readonly options: ReadonlyArray<Option>
}

/**
 * The size of a header without options.
 *
 * @category constants
 * @since 0.1.0
 */
export const MIN_HEADER_LENGTH = 20

/**
 * The most option bytes a header can hold (IHL is at most 15 words).
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_OPTIONS_LENGTH = 40

/** Option type: end of option list. @category constants @since 0.1.0 */
export const OPTION_END = 0
/** Option type: no operation. @category constants @since 0.1.0 */
export const OPTION_NOP = 1
/** Option type: record route. @category constants @since 0.1.0 */
export const OPTION_RECORD_ROUTE = 7
/** Option type: router alert (RFC 2113). @category constants @since 0.1.0 */
export const OPTION_ROUTER_ALERT = 0x94

/**
 * Makes an IPv4 header; defaults: TTL 64, no options, not fragmented, DSCP/ECN 0,
 * identification 0.
 *
 * **Example** (A UDP datagram)
 *
 * ```ts
 * import { Ethernet, Frame, Ipv4, Ipv4Address, Payload, Udp } from "@switchyard/packet"
 *
 * const bytes = Frame.buildUnsafe([
 *   Ethernet.make({ dst: 0x020000000002, src: 0x020000000001 }),
 *   Ipv4.make({ src: Ipv4Address.fromStringUnsafe("10.0.0.1"), dst: Ipv4Address.fromStringUnsafe("10.0.0.2") }),
 *   Udp.make({ srcPort: 5000, dstPort: 53 }),
 *   Payload.make(new TextEncoder().encode("hello"))
 * ])
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: {
  readonly src: Ipv4Address.Ipv4Address
  readonly dst: Ipv4Address.Ipv4Address
  readonly protocol?: number | undefined
  readonly ttl?: number | undefined
  readonly dscp?: number | undefined
  readonly ecn?: number | undefined
  readonly identification?: number | undefined
  readonly dontFragment?: boolean | undefined
  readonly moreFragments?: boolean | undefined
  readonly fragmentOffset?: number | undefined
  readonly options?: ReadonlyArray<Option> | undefined
}): Input => ({
  _tag: "Ipv4",
  dscp: options.dscp ?? 0,
  ecn: options.ecn ?? 0,
  identification: options.identification ?? 0,
  dontFragment: options.dontFragment ?? false,
  moreFragments: options.moreFragments ?? false,
  fragmentOffset: options.fragmentOffset ?? 0,
  ttl: options.ttl ?? 64,
  protocol: options.protocol,
  src: options.src,
  dst: options.dst,
  options: options.options ?? []
})

/**
 * `true` for any fragment: more fragments follow, or this one is not the first.
 *
 * @category predicates
 * @since 0.1.0
 */
export const isFragment = (header: { readonly moreFragments: boolean; readonly fragmentOffset: number }): boolean =>
  header.moreFragments || header.fragmentOffset !== 0

/**
 * The number of bytes the options take on the wire, padded to a multiple of four.
 *
 * @category getters
 * @since 0.1.0
 */
export const optionsLength = (options: ReadonlyArray<Option>): number => {
  let length = 0
  for (const option of options) length += option.type <= OPTION_NOP ? 1 : 2 + option.data.length
  return (length + 3) & ~3
}

/**
 * The header length in bytes: 20 plus the padded options.
 *
 * @category getters
 * @since 0.1.0
 */
export const headerLength = (header: { readonly options: ReadonlyArray<Option> }): number =>
  MIN_HEADER_LENGTH + optionsLength(header.options)
