/**
 * The UDP header (RFC 768).
 *
 * Eight bytes: ports, a length that repeats what IP already says, and a checksum over an
 * IP pseudo-header and the datagram. Over IPv4 a zero checksum means the sender did not
 * compute one (tunnels such as VXLAN do this), and a computed checksum of zero is sent as
 * 0xffff; over IPv6 the checksum is mandatory. The builder keeps an explicit zero checksum
 * over IPv4, as a switch rewriting the packet would, and computes it otherwise.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Uint16 } from "./internal/schemas.ts"

/**
 * The UDP header as decoded; `length` and `checksum` are the wire values.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Udp = Schema.TaggedStruct("Udp", {
  srcPort: Uint16,
  dstPort: Uint16,
  length: Uint16,
  checksum: Uint16
})

/**
 * A decoded UDP header.
 *
 * @category models
 * @since 0.1.0
 */
export type Udp = typeof Udp.Type

/**
 * What `Frame.build` accepts.
 *
 * **Details**
 *
 * `length` is always computed. `checksum` is computed unless it is exactly 0 and the
 * datagram is carried over IPv4, which keeps the "no checksum" of the original; leave it
 * out (as {@link make} does) to have it computed.
 *
 * @category models
 * @since 0.1.0
 */
export interface Input {
  readonly _tag: "Udp"
  readonly srcPort: number
  readonly dstPort: number
  readonly length?: number | undefined
  readonly checksum?: number | undefined
}

/**
 * The size of the header.
 *
 * @category constants
 * @since 0.1.0
 */
export const HEADER_LENGTH = 8

/**
 * Makes a UDP header whose length and checksum the builder computes.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: { readonly srcPort: number; readonly dstPort: number }): Input => ({
  _tag: "Udp",
  srcPort: options.srcPort,
  dstPort: options.dstPort
})
