/**
 * MPLS label stack entries (RFC 3032).
 *
 * Each entry is 32 bits: a 20-bit label, a 3-bit traffic class, the bottom-of-stack bit
 * and a TTL. Nothing in the stack says what the bottom label carries (IPv4, IPv6,
 * Ethernet pseudowire...): only the label's meaning at the router does. So, as in
 * Open vSwitch and OpenFlow, decoding stops at the bottom of the stack and what follows
 * is an opaque payload.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { uint, Uint8 } from "./internal/schemas.ts"

/**
 * One label stack entry as decoded.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Mpls = Schema.TaggedStruct("Mpls", {
  label: uint(20),
  tc: uint(3),
  bos: Schema.Boolean,
  ttl: Uint8
})

/**
 * A decoded label stack entry.
 *
 * @category models
 * @since 0.1.0
 */
export type Mpls = typeof Mpls.Type

/**
 * What `Frame.build` accepts: `bos` may be omitted; the builder always sets it on the last
 * entry of a run of `Mpls` layers and clears it on the others, whatever the input says.
 *
 * @category models
 * @since 0.1.0
 */
export interface Input {
  readonly _tag: "Mpls"
  readonly label: number
  readonly tc: number
  readonly bos?: boolean | undefined
  readonly ttl: number
}

/**
 * The size of a label stack entry in bytes.
 *
 * @category constants
 * @since 0.1.0
 */
export const ENTRY_LENGTH = 4

/**
 * Makes a label stack entry; defaults: traffic class 0, TTL 64.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: {
  readonly label: number
  readonly tc?: number | undefined
  readonly ttl?: number | undefined
  readonly bos?: boolean | undefined
}): Input => ({ _tag: "Mpls", label: options.label, tc: options.tc ?? 0, bos: options.bos, ttl: options.ttl ?? 64 })
