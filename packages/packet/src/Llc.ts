/**
 * IEEE 802.2 LLC headers, and the SNAP extension, found in IEEE 802.3 length frames.
 *
 * When the Ethernet type field is a length (below 0x0600) the payload starts with an LLC
 * header: destination and source service access points and a control field that is one
 * byte for unnumbered (U-format) frames and two bytes otherwise. Spanning tree BPDUs
 * (DSAP 0x42) and some Cisco protocols travel this way. With DSAP = SSAP = 0xAA and
 * control 0x03 a SNAP header follows: a 3-byte OUI and a 2-byte protocol ID, which is an
 * EtherType when the OUI is 000000 (RFC 1042), in which case decoding continues with that
 * EtherType.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { uint, Uint16, Uint8 } from "./internal/schemas.ts"

/**
 * The SNAP extension of an LLC header.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Snap = Schema.Struct({ oui: uint(24), protocolId: Uint16 })

/**
 * A SNAP extension.
 *
 * @category models
 * @since 0.1.0
 */
export type Snap = typeof Snap.Type

/**
 * An LLC header as decoded.
 *
 * **Details**
 *
 * `control` holds the first control octet in its low 8 bits and, for two-octet (I- and
 * S-format) control fields, the second octet in bits 8..15, the order 802.2 transmits
 * them in. A control field whose two low bits are both set is a U-format field and is one
 * octet long; any other value is two octets. `snap` is present only for SNAP frames.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Llc = Schema.TaggedStruct("Llc", {
  dsap: Uint8,
  ssap: Uint8,
  control: Uint16,
  snap: Schema.optionalKey(Snap)
})

/**
 * A decoded LLC header.
 *
 * @category models
 * @since 0.1.0
 */
export type Llc = typeof Llc.Type

/**
 * What `Frame.build` accepts; with OUI 000000 the SNAP protocol ID follows the next layer
 * like an EtherType.
 *
 * @category models
 * @since 0.1.0
 */
export type Input = Llc

/**
 * The SAP value that announces a SNAP header.
 *
 * @category constants
 * @since 0.1.0
 */
export const SAP_SNAP = 0xaa

/**
 * The SAP of the spanning tree protocols (IEEE 802.1D).
 *
 * @category constants
 * @since 0.1.0
 */
export const SAP_STP = 0x42

/**
 * The U-format "unnumbered information" control value.
 *
 * @category constants
 * @since 0.1.0
 */
export const CONTROL_UI = 0x03

/**
 * `true` when a control value is a one-octet U-format field.
 *
 * @category predicates
 * @since 0.1.0
 */
export const isUnnumbered = (control: number): boolean => control <= 0xff && (control & 3) === 3

/**
 * Makes an LLC header; with `snap` the SAPs default to 0xAA and the control to UI.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: {
  readonly dsap?: number | undefined
  readonly ssap?: number | undefined
  readonly control?: number | undefined
  readonly snap?: Snap | undefined
}): Input => {
  const base = {
    _tag: "Llc" as const,
    dsap: options.dsap ?? (options.snap ? SAP_SNAP : 0),
    ssap: options.ssap ?? (options.snap ? SAP_SNAP : 0),
    control: options.control ?? CONTROL_UI
  }
  return options.snap === undefined ? base : { ...base, snap: options.snap }
}
