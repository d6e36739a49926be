/**
 * OFPT_PORT_MOD: the controller changes a port's administrative configuration.
 *
 * Only the `config` bits selected by `mask` change, so one message can bring a port
 * down without touching its NO_PACKET_IN setting. The switch checks `hwAddr` against
 * the port (OFPPMFC_BAD_HW_ADDR when they differ), a guard against a port number that
 * was reused for another interface; the easiest correct value is the one from the
 * port's latest description, which {@link setConfig} takes. OpenFlow 1.4 carries
 * `advertise` in an Ethernet property and can also configure optical ports.
 *
 * @since 0.1.0
 */
import { MacAddress } from "@switchyard/packet"
import { Schema } from "effect"
import * as Port from "./Port.ts"
import { ExperimenterProperty, unknownProperty } from "./Property.ts"
import * as Uint from "./Uint.ts"

/**
 * The optical port-mod property (`ofp_port_mod_prop_optical`, OpenFlow 1.4+).
 *
 * @category models
 * @since 0.1.0
 */
export const PortModPropOptical = Schema.TaggedStruct("PortModPropOptical", {
  /** Bitmap of `Port.OpticalFeature`: what to configure. */
  configure: Uint.Uint32,
  /** The frequency or wavelength to use. */
  freqLmda: Uint.Uint32,
  /** Offset from the grid frequency (signed). */
  flOffset: Schema.Int.check(Schema.isBetween({ minimum: -0x8000_0000, maximum: 0x7fff_ffff })),
  /** The grid span. */
  gridSpan: Uint.Uint32,
  /** The transmit power, dBm * 10. */
  txPwr: Uint.Uint32
})
/** @category models @since 0.1.0 */
export type PortModPropOptical = typeof PortModPropOptical.Type

/**
 * A port-mod property other than Ethernet (OpenFlow 1.4+; `OFPPMPT_*`).
 *
 * @category models
 * @since 0.1.0
 */
export const Property = Schema.Union([PortModPropOptical, ExperimenterProperty, unknownProperty("port mod", [0, 1, 0xffff])])
/** @category models @since 0.1.0 */
export type Property = typeof Property.Type

/**
 * OFPT_PORT_MOD (OpenFlow 1.3 §7.3.4.3; 1.4 §7.3.4.3 with properties).
 *
 * **Details**
 *
 * From OpenFlow 1.4 `advertise` travels as the Ethernet property, sent only when it is
 * not 0 (0 leaves advertising unchanged, as a missing property does; Open vSwitch sends
 * it the same way); `properties` holds the others, in wire order.
 *
 * @category models
 * @since 0.1.0
 */
export const PortMod = Schema.TaggedStruct("PortMod", {
  portNo: Port.PortNumber,
  /** Must be the port's hardware address. */
  hwAddr: MacAddress.MacAddress,
  /** New values of the {@link Port.Config} bits selected by `mask`. */
  config: Uint.Uint32,
  /** The {@link Port.Config} bits to change. */
  mask: Uint.Uint32,
  /** {@link Port.Feature} bits to advertise; 0 leaves advertising unchanged. */
  advertise: Uint.Uint32,
  /** OpenFlow 1.4+: the properties other than Ethernet, in wire order; absent when none. */
  properties: Schema.optional(Schema.Array(Property))
})
/** @category models @since 0.1.0 */
export type PortMod = typeof PortMod.Type

/**
 * A PORT_MOD that sets the {@link Port.Config} bits in `mask` to their values in
 * `config`, for a port as last described by the switch.
 *
 * @example
 * ```ts
 * import { Port, PortMod } from "@switchyard/openflow"
 *
 * // Administratively down, leaving the other config bits alone.
 * const down = (port: Port.Port) => PortMod.setConfig(port, Port.Config.PORT_DOWN, Port.Config.PORT_DOWN)
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const setConfig = (port: Port.Port, config: number, mask: number): PortMod => ({
  _tag: "PortMod",
  portNo: port.portNo,
  hwAddr: port.hwAddr,
  config,
  mask,
  advertise: 0
})
