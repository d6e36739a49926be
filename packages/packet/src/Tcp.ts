/**
 * The TCP header (RFC 9293) with its options.
 *
 * TCP's header length is a 4-bit count of 32-bit words, so options fill at most 40 bytes,
 * as a sequence of kind/length/value entries with two single-byte kinds (end of list and
 * no-op) mixed in. Real stacks send MSS, window scale, SACK and timestamps; the decoder
 * types those and keeps any other kind, or a known kind with an unexpected length, as
 * bytes. A length below two would stall a naive parser; here it ends option parsing with
 * a `BadLength` error while the ports and flags stay readable. The checksum covers an IP
 * pseudo-header and the whole segment and is verified on request
 * (`Frame.verifyChecksums`), computed on build.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { bytesUpTo, uint, Uint16, Uint32, Uint8 } from "./internal/schemas.ts"

/** End of option list (kind 0). @category schemas @since 0.1.0 */
export const End = Schema.TaggedStruct("End", {})
/** No-operation (kind 1), used for alignment. @category schemas @since 0.1.0 */
export const Nop = Schema.TaggedStruct("Nop", {})
/** Maximum segment size (kind 2). @category schemas @since 0.1.0 */
export const Mss = Schema.TaggedStruct("Mss", { value: Uint16 })
/** Window scale shift count (kind 3, RFC 7323). @category schemas @since 0.1.0 */
export const WindowScale = Schema.TaggedStruct("WindowScale", { shift: Uint8 })
/** SACK permitted (kind 4, RFC 2018). @category schemas @since 0.1.0 */
export const SackPermitted = Schema.TaggedStruct("SackPermitted", {})
/** One SACK block: the left and right edges of a received range. @category schemas @since 0.1.0 */
export const SackBlock = Schema.Struct({ left: Uint32, right: Uint32 })
/** Selective acknowledgement (kind 5, RFC 2018), one to four blocks. @category schemas @since 0.1.0 */
export const Sack = Schema.TaggedStruct("Sack", { blocks: Schema.Array(SackBlock).check(Schema.isBetweenLength(1, 4)) })
/** Timestamps (kind 8, RFC 7323). @category schemas @since 0.1.0 */
export const Timestamps = Schema.TaggedStruct("Timestamps", { value: Uint32, echoReply: Uint32 })
/**
 * Any other option, or a known kind with an unexpected length: kind and the bytes after
 * the length byte.
 *
 * @category schemas
 * @since 0.1.0
 */
export const UnknownOption = Schema.TaggedStruct("UnknownOption", { kind: Uint8, data: bytesUpTo(38) })

/**
 * A TCP option.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Option = Schema.Union([End, Nop, Mss, WindowScale, SackPermitted, Sack, Timestamps, UnknownOption])

/**
 * A decoded TCP option.
 *
 * @category models
 * @since 0.1.0
 */
export type Option = typeof Option.Type

/**
 * The TCP header as decoded.
 *
 * **Details**
 *
 * `flags` holds the low 12 bits of the 13th and 14th header bytes: the eight classic
 * flags, the NS/AE bit (0x100) and the three reserved bits above it, exactly as the
 * OpenFlow/Open vSwitch `tcp_flags` field does. The data offset is not stored: it follows
 * from `options`. Options stop at the first `End`, which is kept.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Tcp = Schema.TaggedStruct("Tcp", {
  srcPort: Uint16,
  dstPort: Uint16,
  seq: Uint32,
  ack: Uint32,
  flags: uint(12),
  window: Uint16,
  checksum: Uint16,
  urgentPointer: Uint16,
  options: Schema.Array(Option).check(Schema.isMaxLength(40))
})

/**
 * A decoded TCP header.
 *
 * @category models
 * @since 0.1.0
 */
export type Tcp = typeof Tcp.Type

/**
 * What `Frame.build` accepts: the checksum is always computed and may be omitted.
 *
 * @category models
 * @since 0.1.0
 */
export interface Input {
  readonly _tag: "Tcp"
  readonly srcPort: number
  readonly dstPort: number
  readonly seq: number
  readonly ack: number
  readonly flags: number
  readonly window: number
  readonly checksum?: number | undefined
  readonly urgentPointer: number
  readonly options: ReadonlyArray<Option>
}

/** FIN flag. @category constants @since 0.1.0 */
export const FIN = 0x001
/** SYN flag. @category constants @since 0.1.0 */
export const SYN = 0x002
/** RST flag. @category constants @since 0.1.0 */
export const RST = 0x004
/** PSH flag. @category constants @since 0.1.0 */
export const PSH = 0x008
/** ACK flag. @category constants @since 0.1.0 */
export const ACK = 0x010
/** URG flag. @category constants @since 0.1.0 */
export const URG = 0x020
/** ECE flag (RFC 3168). @category constants @since 0.1.0 */
export const ECE = 0x040
/** CWR flag (RFC 3168). @category constants @since 0.1.0 */
export const CWR = 0x080
/** NS / AE flag (RFC 3540, accurate ECN). @category constants @since 0.1.0 */
export const NS = 0x100

/**
 * The size of a header without options.
 *
 * @category constants
 * @since 0.1.0
 */
export const MIN_HEADER_LENGTH = 20

/**
 * Makes a TCP header; defaults: sequence and acknowledgement 0, no flags, window 65535,
 * no options.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: {
  readonly srcPort: number
  readonly dstPort: number
  readonly seq?: number | undefined
  readonly ack?: number | undefined
  readonly flags?: number | undefined
  readonly window?: number | undefined
  readonly urgentPointer?: number | undefined
  readonly options?: ReadonlyArray<Option> | undefined
}): Input => ({
  _tag: "Tcp",
  srcPort: options.srcPort,
  dstPort: options.dstPort,
  seq: options.seq ?? 0,
  ack: options.ack ?? 0,
  flags: options.flags ?? 0,
  window: options.window ?? 65535,
  urgentPointer: options.urgentPointer ?? 0,
  options: options.options ?? []
})

/**
 * The number of bytes an option takes on the wire.
 *
 * @category getters
 * @since 0.1.0
 */
export const optionLength = (option: Option): number => {
  switch (option._tag) {
    case "End":
    case "Nop":
      return 1
    case "Mss":
      return 4
    case "WindowScale":
      return 3
    case "SackPermitted":
      return 2
    case "Sack":
      return 2 + 8 * option.blocks.length
    case "Timestamps":
      return 10
    case "UnknownOption":
      return 2 + option.data.length
  }
}

/**
 * The header length in bytes: 20 plus the options padded to a multiple of four.
 *
 * @category getters
 * @since 0.1.0
 */
export const headerLength = (header: { readonly options: ReadonlyArray<Option> }): number => {
  let length = 0
  for (const option of header.options) length += optionLength(option)
  return MIN_HEADER_LENGTH + ((length + 3) & ~3)
}
