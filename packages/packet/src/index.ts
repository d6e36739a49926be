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

/** A decoded frame as a lazy stack of typed layers, and the frame builder. @since 0.1.0 */
export * as Frame from "./Frame.ts"

/** The typed error for frames that cannot be decoded or built. @since 0.1.0 */
export * as PacketError from "./PacketError.ts"

/** The OpenFlow 1.3 match fields of a frame. @since 0.1.0 */
export * as FlowKey from "./FlowKey.ts"

/** The Ethernet header, and a zero-copy view of it for the hot path. @since 0.1.0 */
export * as Ethernet from "./Ethernet.ts"

/** IEEE 802.1Q / 802.1ad VLAN tags. @since 0.1.0 */
export * as Vlan from "./Vlan.ts"

/** MPLS label stack entries. @since 0.1.0 */
export * as Mpls from "./Mpls.ts"

/** IEEE 802.2 LLC and SNAP headers of 802.3 length frames. @since 0.1.0 */
export * as Llc from "./Llc.ts"

/** ARP for IPv4 over Ethernet. @since 0.1.0 */
export * as Arp from "./Arp.ts"

/** The IPv4 header with options and fragmentation fields. @since 0.1.0 */
export * as Ipv4 from "./Ipv4.ts"

/** The IPv6 header and its extension headers. @since 0.1.0 */
export * as Ipv6 from "./Ipv6.ts"

/** ICMP for IPv4. @since 0.1.0 */
export * as Icmp from "./Icmp.ts"

/** ICMPv6 and neighbour discovery. @since 0.1.0 */
export * as Icmp6 from "./Icmp6.ts"

/** The TCP header with its options. @since 0.1.0 */
export * as Tcp from "./Tcp.ts"

/** The UDP header. @since 0.1.0 */
export * as Udp from "./Udp.ts"

/** The SCTP common header. @since 0.1.0 */
export * as Sctp from "./Sctp.ts"

/** LLDP, for topology discovery. @since 0.1.0 */
export * as Lldp from "./Lldp.ts"

/** Opaque payload and trailing padding. @since 0.1.0 */
export * as Payload from "./Payload.ts"

/** The Internet checksum and CRC32c. @since 0.1.0 */
export * as Checksum from "./Checksum.ts"

/** EtherType numbers. @since 0.1.0 */
export * as EtherType from "./EtherType.ts"

/** IP protocol numbers. @since 0.1.0 */
export * as IpProtocol from "./IpProtocol.ts"

/** Hex text to bytes and back. @since 0.1.0 */
export * as Hex from "./Hex.ts"

/** Classic libpcap capture files. @since 0.1.0 */
export * as Pcap from "./Pcap.ts"
