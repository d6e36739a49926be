/**
 * @switchyard/packet: parse and build the frames OpenFlow apps see.
 *
 * @since 0.1.0
 */

/** 48-bit Ethernet MAC addresses as plain numbers. @since 0.1.0 */
export * as MacAddress from "./MacAddress.ts"

/** IPv4 addresses as unsigned 32-bit numbers. @since 0.1.0 */
export * as Ipv4Address from "./Ipv4Address.ts"

/** IPv6 addresses as unsigned 128-bit bigints. @since 0.1.0 */
export * as Ipv6Address from "./Ipv6Address.ts"
