/**
 * OFPT_PORT_MOD: the controller changes a port's administrative configuration.
 *
 * Only the `config` bits selected by `mask` change, so one message can bring a port
 * down without touching its NO_PACKET_IN setting. The switch checks `hwAddr` against
 * the port (OFPPMFC_BAD_HW_ADDR when they differ), a guard against a port number that
 * was reused for another interface; the easiest correct value is the one from the
 * port's latest description, which {@link setConfig} takes.
 *
 * @since 0.1.0
 */
import { MacAddress } from "@switchyard/packet"
import { Schema } from "effect"
import * as Port from "./Port.ts"
import * as Uint from "./Uint.ts"

/**
 * OFPT_PORT_MOD (OpenFlow 1.3 §7.3.4.3).
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
  advertise: Uint.Uint32
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
