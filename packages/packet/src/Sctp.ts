/**
 * The SCTP common header (RFC 9260 §3.1): ports, verification tag and checksum.
 *
 * OpenFlow matches SCTP ports, so the header is decoded; the chunks after it are left as
 * a payload. Unlike TCP and UDP, SCTP does not use the Internet checksum but CRC32c over
 * the whole packet, without a pseudo-header, stored least significant byte first; see
 * `Checksum.sctp`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Uint16, Uint32 } from "./internal/schemas.ts"

/**
 * The SCTP common header as decoded; `checksum` is the field read big-endian.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Sctp = Schema.TaggedStruct("Sctp", {
  srcPort: Uint16,
  dstPort: Uint16,
  verificationTag: Uint32,
  checksum: Uint32
})

/**
 * A decoded SCTP common header.
 *
 * @category models
 * @since 0.1.0
 */
export type Sctp = typeof Sctp.Type

/**
 * What `Frame.build` accepts: the checksum is always computed and may be omitted.
 *
 * @category models
 * @since 0.1.0
 */
export interface Input {
  readonly _tag: "Sctp"
  readonly srcPort: number
  readonly dstPort: number
  readonly verificationTag: number
  readonly checksum?: number | undefined
}

/**
 * The size of the common header.
 *
 * @category constants
 * @since 0.1.0
 */
export const HEADER_LENGTH = 12

/**
 * Makes an SCTP common header; put the chunks in a `Payload` after it.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: {
  readonly srcPort: number
  readonly dstPort: number
  readonly verificationTag?: number | undefined
}): Input => ({
  _tag: "Sctp",
  srcPort: options.srcPort,
  dstPort: options.dstPort,
  verificationTag: options.verificationTag ?? 0
})
