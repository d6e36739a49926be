/**
 * Port numbers and the reserved ports of OpenFlow.
 *
 * OpenFlow 1.1+ numbers ports with 32 bits and reserves the top of the range for
 * pseudo-ports (CONTROLLER, FLOOD, ...); OpenFlow 1.0 used 16 bits with the reserved
 * ports at 0xfff8-0xffff. Switchyard uses the 32-bit space everywhere and converts 1.0
 * numbers at the edge, as Open vSwitch's `ofputil_port_from_ofp11` does.
 *
 * @since 0.1.0
 */

/**
 * A port number in the 32-bit space of OpenFlow 1.1+.
 *
 * @category models
 * @since 0.1.0
 */
export type PortNo = number

/** Maximum number of a physical or logical port (`OFPP_MAX`). @category constants @since 0.1.0 */
export const MAX = 0xffff_ff00
/** Send the packet out the input port (`OFPP_IN_PORT`). @category constants @since 0.1.0 */
export const IN_PORT = 0xffff_fff8
/** Submit the packet to the first flow table (`OFPP_TABLE`, packet-out only). @category constants @since 0.1.0 */
export const TABLE = 0xffff_fff9
/** Forward using the switch's non-OpenFlow pipeline (`OFPP_NORMAL`). @category constants @since 0.1.0 */
export const NORMAL = 0xffff_fffa
/** Flood along the spanning tree, excluding the input port (`OFPP_FLOOD`). @category constants @since 0.1.0 */
export const FLOOD = 0xffff_fffb
/** All ports except the input port (`OFPP_ALL`). @category constants @since 0.1.0 */
export const ALL = 0xffff_fffc
/** Send to the controller (`OFPP_CONTROLLER`). @category constants @since 0.1.0 */
export const CONTROLLER = 0xffff_fffd
/** The switch's local networking stack (`OFPP_LOCAL`). @category constants @since 0.1.0 */
export const LOCAL = 0xffff_fffe
/** Wildcard port in requests and flow mod filters (`OFPP_ANY`). @category constants @since 0.1.0 */
export const ANY = 0xffff_ffff

const reserved: Record<number, string> = {
  [IN_PORT]: "IN_PORT",
  [TABLE]: "TABLE",
  [NORMAL]: "NORMAL",
  [FLOOD]: "FLOOD",
  [ALL]: "ALL",
  [CONTROLLER]: "CONTROLLER",
  [LOCAL]: "LOCAL",
  [ANY]: "ANY"
}

/** `true` for a reserved (pseudo) port. @category predicates @since 0.1.0 */
export const isReserved = (port: PortNo): boolean => port > MAX

/**
 * Formats a port number, naming reserved ports as the spec does (`CONTROLLER`).
 *
 * @category formatting
 * @since 0.1.0
 */
export const format = (port: PortNo): string => reserved[port] ?? String(port)

/**
 * Maps an OpenFlow 1.0 16-bit port number into the 32-bit space: reserved ports
 * 0xfff8-0xffff move to 0xfffffff8-0xffffffff, others keep their value.
 *
 * @category conversions
 * @since 0.1.0
 */
export const fromOf10 = (port: number): PortNo => (port >= 0xfff8 ? port + 0xffff_0000 : port)

/**
 * Maps a 32-bit port number to OpenFlow 1.0's 16 bits, or `undefined` when it has no
 * 1.0 equivalent (physical ports above 0xff00, or the 1.1+-only reserved range gap).
 *
 * @category conversions
 * @since 0.1.0
 */
export const toOf10 = (port: PortNo): number | undefined =>
  port < 0xff00 ? port : port >= 0xffff_fff8 ? port - 0xffff_0000 : undefined
