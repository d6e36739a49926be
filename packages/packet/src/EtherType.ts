/**
 * EtherType numbers: what the 16-bit type field after the MAC addresses (or after a VLAN
 * tag) says comes next.
 *
 * The same field has two meanings. Values of 0x0600 and above are EtherTypes (Ethernet II);
 * values up to 1500 are the length of an IEEE 802.3 frame whose payload starts with an
 * 802.2 LLC header. Values in between are undefined. {@link isLength} tells them apart.
 *
 * @since 0.1.0
 */

/** IPv4 (RFC 894). @category constants @since 0.1.0 */
export const IPV4 = 0x0800
/** ARP (RFC 826). @category constants @since 0.1.0 */
export const ARP = 0x0806
/** Reverse ARP (RFC 903); same packet format as ARP. @category constants @since 0.1.0 */
export const RARP = 0x8035
/** IEEE 802.1Q customer VLAN tag (C-tag). @category constants @since 0.1.0 */
export const VLAN = 0x8100
/** IEEE 802.1ad service VLAN tag (S-tag, "QinQ"). @category constants @since 0.1.0 */
export const QINQ = 0x88a8
/** Pre-standard QinQ S-tag used by older switches. @category constants @since 0.1.0 */
export const QINQ_9100 = 0x9100
/** IPv6 (RFC 2464). @category constants @since 0.1.0 */
export const IPV6 = 0x86dd
/** MPLS unicast (RFC 3032). @category constants @since 0.1.0 */
export const MPLS = 0x8847
/** MPLS multicast (RFC 5332). @category constants @since 0.1.0 */
export const MPLS_MULTICAST = 0x8848
/** LLDP (IEEE 802.1AB). @category constants @since 0.1.0 */
export const LLDP = 0x88cc

/**
 * The smallest value that is an EtherType rather than an 802.3 length.
 *
 * @category constants
 * @since 0.1.0
 */
export const MIN_ETHERTYPE = 0x0600

/**
 * The largest 802.3 payload length (and so the largest valid length value).
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_LENGTH = 1500

/**
 * `true` when a type field is an 802.3 length rather than an EtherType.
 *
 * **Details**
 *
 * Follows Open vSwitch (`flow.c`): anything below 0x0600 is treated as a length, so the
 * undefined range 1501..1535 decodes as an 802.3 frame whose length is then rejected.
 *
 * @category predicates
 * @since 0.1.0
 */
export const isLength = (typeField: number): boolean => typeField < MIN_ETHERTYPE

/**
 * `true` for the TPIDs this package decodes as VLAN tags: 0x8100, 0x88a8 and 0x9100.
 *
 * @category predicates
 * @since 0.1.0
 */
export const isVlan = (typeField: number): boolean => typeField === VLAN || typeField === QINQ || typeField === QINQ_9100

/**
 * `true` for the two MPLS EtherTypes.
 *
 * @category predicates
 * @since 0.1.0
 */
export const isMpls = (typeField: number): boolean => typeField === MPLS || typeField === MPLS_MULTICAST
