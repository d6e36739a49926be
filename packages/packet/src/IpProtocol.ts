/**
 * IP protocol numbers: the IPv4 `protocol` field and the IPv6 `next header` values.
 *
 * IPv6 uses one number space for both extension headers and upper-layer protocols, so a
 * decoder has to know which numbers are extension headers to find the transport header
 * at all; {@link isIpv6Extension} lists the ones this package walks.
 *
 * @since 0.1.0
 */

/** IPv6 hop-by-hop options header (RFC 8200 §4.3). @category constants @since 0.1.0 */
export const HOPOPT = 0
/** ICMP for IPv4 (RFC 792). @category constants @since 0.1.0 */
export const ICMP = 1
/** IGMP (RFC 3376). @category constants @since 0.1.0 */
export const IGMP = 2
/** IPv4 encapsulated in IP (RFC 2003). @category constants @since 0.1.0 */
export const IPIP = 4
/** TCP (RFC 9293). @category constants @since 0.1.0 */
export const TCP = 6
/** UDP (RFC 768). @category constants @since 0.1.0 */
export const UDP = 17
/** IPv6 encapsulated in IP (RFC 2473). @category constants @since 0.1.0 */
export const IPV6 = 41
/** IPv6 routing header (RFC 8200 §4.4). @category constants @since 0.1.0 */
export const IPV6_ROUTE = 43
/** IPv6 fragment header (RFC 8200 §4.5). @category constants @since 0.1.0 */
export const IPV6_FRAG = 44
/** GRE (RFC 2784). @category constants @since 0.1.0 */
export const GRE = 47
/** IPsec ESP (RFC 4303). @category constants @since 0.1.0 */
export const ESP = 50
/** IPsec AH (RFC 4302). @category constants @since 0.1.0 */
export const AH = 51
/** ICMPv6 (RFC 4443). @category constants @since 0.1.0 */
export const ICMPV6 = 58
/** IPv6 "no next header" (RFC 8200 §4.7). @category constants @since 0.1.0 */
export const IPV6_NONXT = 59
/** IPv6 destination options header (RFC 8200 §4.6). @category constants @since 0.1.0 */
export const IPV6_OPTS = 60
/** SCTP (RFC 9260). @category constants @since 0.1.0 */
export const SCTP = 132

/**
 * `true` for the IPv6 extension headers this package walks: hop-by-hop options, routing,
 * fragment and destination options.
 *
 * **Gotchas**
 *
 * AH and ESP are extension headers too, but they are not walked: ESP is encrypted, and a
 * packet behind AH is reported with `protocol` 51 and its bytes as payload.
 *
 * @category predicates
 * @since 0.1.0
 */
export const isIpv6Extension = (nextHeader: number): boolean =>
  nextHeader === HOPOPT || nextHeader === IPV6_ROUTE || nextHeader === IPV6_FRAG || nextHeader === IPV6_OPTS
