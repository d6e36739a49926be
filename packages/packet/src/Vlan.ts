/**
 * IEEE 802.1Q VLAN tags, including 802.1ad service tags stacked in front of them.
 *
 * A tag is four bytes inserted after the source MAC: the TPID (which sits where the
 * EtherType was, so it is really the previous header's type field), then the priority,
 * drop-eligible bit and 12-bit VLAN ID, then the EtherType of what follows. Tags stack
 * ("QinQ"): an outer S-tag with TPID 0x88a8 carries an inner C-tag with 0x8100. Each
 * decoded tag records its own TPID so that a stack rebuilds exactly and so that
 * push/pop actions can say which kind of tag they add.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as EtherType from "./EtherType.ts"
import { uint, Uint16 } from "./internal/schemas.ts"

/**
 * One VLAN tag as decoded.
 *
 * **Details**
 *
 * - `tpid`: 0x8100 (C-tag), 0x88a8 (S-tag) or 0x9100 (pre-standard S-tag).
 * - `pcp`: priority code point, 0..7.
 * - `dei`: drop eligible indicator (formerly CFI).
 * - `vid`: VLAN ID, 0..4095 (0 means priority-tagged, no VLAN).
 * - `etherType`: the type field after the tag.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Vlan = Schema.TaggedStruct("Vlan", {
  tpid: Uint16,
  pcp: uint(3),
  dei: Schema.Boolean,
  vid: uint(12),
  etherType: Uint16
})

/**
 * A decoded VLAN tag.
 *
 * @category models
 * @since 0.1.0
 */
export type Vlan = typeof Vlan.Type

/**
 * What `Frame.build` accepts for a VLAN tag: `etherType` may be omitted when a known
 * layer follows.
 *
 * @category models
 * @since 0.1.0
 */
export interface Input {
  readonly _tag: "Vlan"
  readonly tpid: number
  readonly pcp: number
  readonly dei: boolean
  readonly vid: number
  readonly etherType?: number | undefined
}

/**
 * The size of a tag in bytes.
 *
 * @category constants
 * @since 0.1.0
 */
export const TAG_LENGTH = 4

/**
 * Makes a VLAN tag for `Frame.build`; the defaults are a C-tag (0x8100), priority 0.
 *
 * **Example** (A frame on VLAN 10)
 *
 * ```ts
 * import { Ethernet, Frame, Payload, Vlan } from "@switchyard/packet"
 *
 * const bytes = Frame.buildUnsafe([
 *   Ethernet.make({ dst: 0xffffffffffff, src: 0x020000000001 }),
 *   Vlan.make({ vid: 10, etherType: 0x88b5 }),
 *   Payload.make(new Uint8Array(46))
 * ])
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: {
  readonly vid: number
  readonly pcp?: number | undefined
  readonly dei?: boolean | undefined
  readonly tpid?: number | undefined
  readonly etherType?: number | undefined
}): Input => ({
  _tag: "Vlan",
  tpid: options.tpid ?? EtherType.VLAN,
  pcp: options.pcp ?? 0,
  dei: options.dei ?? false,
  vid: options.vid,
  etherType: options.etherType
})

/**
 * The tag control information (the 16 bits after the TPID) of a tag.
 *
 * @category getters
 * @since 0.1.0
 */
export const tci = (tag: { readonly pcp: number; readonly dei: boolean; readonly vid: number }): number =>
  (tag.pcp << 13) | (tag.dei ? 0x1000 : 0) | tag.vid
