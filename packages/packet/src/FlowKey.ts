/**
 * The OpenFlow 1.3 match fields of a frame, extracted in one call.
 *
 * A switch classifies a packet by the values of up to forty OXM fields, each with its
 * own prerequisite (TCP ports only when `ip_proto` is 6, the neighbour discovery target
 * only in ICMPv6 types 135 and 136, ...). This module computes them the way Open vSwitch's
 * flow extraction does, so that a fake switch can match its flow table against a frame
 * and an app can see which flow a packet-in would hit. Fields whose prerequisites do not
 * hold are absent, which is exactly when an OXM match on them cannot apply.
 *
 * @since 0.1.0
 */
import type * as Frame from "./Frame.ts"
import * as Icmp6 from "./Icmp6.ts"
import * as IpProtocol from "./IpProtocol.ts"
import type * as Ipv4Address from "./Ipv4Address.ts"
import type * as Ipv6 from "./Ipv6.ts"
import type * as Ipv6Address from "./Ipv6Address.ts"
import type * as MacAddress from "./MacAddress.ts"

/**
 * The match fields of one frame, named after the OXM fields (`OFPXMT_OFB_ETH_DST` is
 * `ethDst`).
 *
 * **Details**
 *
 * - `vlanVid` follows OXM: `0x1000 | vid` (OFPVID_PRESENT) for a tagged frame, 0
 *   (OFPVID_NONE) for an untagged one; the tag is the outermost. `vlanPcp` exists only
 *   for tagged frames.
 * - `ethType` is the EtherType after the VLAN tags (0x05ff for 802.3 frames without a
 *   SNAP EtherType).
 * - `ipProto` is the upper-layer protocol, after any IPv6 extension headers.
 * - Ports, ICMP type/code and TCP flags exist only when the transport header was
 *   decoded (not for later fragments or truncated headers).
 * - `ipv6NdSll` (types 135) and `ipv6NdTll` (136) are 0 when the option is absent, as in
 *   Open vSwitch.
 * - `ipv6Exthdr` is the OFPIEH_* bit set of OpenFlow 1.3 §7.2.3.8.
 * - `tcpFlags` is the OpenFlow 1.5 / Open vSwitch 12-bit field.
 * - Match fields that do not come from the frame (`in_port`, `metadata`, `tunnel_id`)
 *   are not here.
 *
 * @category models
 * @since 0.1.0
 */
export interface FlowKey {
  readonly ethDst?: MacAddress.MacAddress
  readonly ethSrc?: MacAddress.MacAddress
  readonly ethType?: number
  readonly vlanVid?: number
  readonly vlanPcp?: number
  readonly mplsLabel?: number
  readonly mplsTc?: number
  readonly mplsBos?: number
  readonly ipDscp?: number
  readonly ipEcn?: number
  readonly ipProto?: number
  readonly ipv4Src?: Ipv4Address.Ipv4Address
  readonly ipv4Dst?: Ipv4Address.Ipv4Address
  readonly ipv6Src?: Ipv6Address.Ipv6Address
  readonly ipv6Dst?: Ipv6Address.Ipv6Address
  readonly ipv6Flabel?: number
  readonly ipv6Exthdr?: number
  readonly tcpSrc?: number
  readonly tcpDst?: number
  readonly tcpFlags?: number
  readonly udpSrc?: number
  readonly udpDst?: number
  readonly sctpSrc?: number
  readonly sctpDst?: number
  readonly icmpv4Type?: number
  readonly icmpv4Code?: number
  readonly icmpv6Type?: number
  readonly icmpv6Code?: number
  readonly ipv6NdTarget?: Ipv6Address.Ipv6Address
  readonly ipv6NdSll?: MacAddress.MacAddress
  readonly ipv6NdTll?: MacAddress.MacAddress
  readonly arpOp?: number
  readonly arpSpa?: Ipv4Address.Ipv4Address
  readonly arpTpa?: Ipv4Address.Ipv4Address
  readonly arpSha?: MacAddress.MacAddress
  readonly arpTha?: MacAddress.MacAddress
}

/** OFPIEH_NONEXT: "no next header" encountered. @category constants @since 0.1.0 */
export const IEH_NONEXT = 1 << 0
/** OFPIEH_ESP: encrypted security payload present. @category constants @since 0.1.0 */
export const IEH_ESP = 1 << 1
/** OFPIEH_AUTH: authentication header present. @category constants @since 0.1.0 */
export const IEH_AUTH = 1 << 2
/** OFPIEH_DEST: one or two destination options headers present. @category constants @since 0.1.0 */
export const IEH_DEST = 1 << 3
/** OFPIEH_FRAG: fragment header present. @category constants @since 0.1.0 */
export const IEH_FRAG = 1 << 4
/** OFPIEH_ROUTER: routing header present. @category constants @since 0.1.0 */
export const IEH_ROUTER = 1 << 5
/** OFPIEH_HOP: hop-by-hop header present. @category constants @since 0.1.0 */
export const IEH_HOP = 1 << 6
/** OFPIEH_UNREP: unexpected repeats encountered. @category constants @since 0.1.0 */
export const IEH_UNREP = 1 << 7
/** OFPIEH_UNSEQ: headers not in the order RFC 8200 §4.1 recommends. @category constants @since 0.1.0 */
export const IEH_UNSEQ = 1 << 8

/**
 * The OFPIEH_* flags of an IPv6 header chain ending in upper-layer protocol `protocol`.
 *
 * **Details**
 *
 * Order follows RFC 8200 §4.1: hop-by-hop (first), destination options (before
 * routing), routing, fragment, AH, ESP, destination options (final). A header out of that
 * order sets `IEH_UNSEQ`; a header seen twice (destination options may appear once in
 * each of its two places) sets `IEH_UNREP`.
 *
 * @category getters
 * @since 0.1.0
 */
export const ipv6ExtensionFlags = (extensions: ReadonlyArray<Ipv6.Extension>, protocol: number | undefined): number => {
  let flags = 0
  let lastRank = -1
  let seen = 0
  const step = (rank: number) => {
    if (rank < lastRank) flags |= IEH_UNSEQ
    if (seen & (1 << rank)) flags |= IEH_UNREP
    seen |= 1 << rank
    lastRank = rank
  }
  for (let i = 0; i < extensions.length; i++) {
    const extension = extensions[i]!
    switch (extension._tag) {
      case "HopByHop":
        flags |= IEH_HOP
        if (i !== 0) flags |= IEH_UNSEQ
        step(0)
        break
      case "DestinationOptions": {
        flags |= IEH_DEST
        let routingFollows = false
        for (let j = i + 1; j < extensions.length; j++) if (extensions[j]!._tag === "Routing") routingFollows = true
        step(routingFollows ? 1 : 6)
        break
      }
      case "Routing":
        flags |= IEH_ROUTER
        step(2)
        break
      case "Fragment":
        flags |= IEH_FRAG
        step(3)
        break
    }
  }
  if (protocol === IpProtocol.AH) {
    flags |= IEH_AUTH
    step(4)
  } else if (protocol === IpProtocol.ESP) {
    flags |= IEH_ESP
    step(5)
  } else if (protocol === IpProtocol.IPV6_NONXT) {
    flags |= IEH_NONEXT
  }
  return flags
}

/**
 * Extracts the match fields of a decoded frame.
 *
 * **Details**
 *
 * Decodes the frame through its transport layer. Every field present has its OXM
 * prerequisites satisfied by the frame; see {@link FlowKey} for the conventions.
 *
 * **Example** (Which TCP port did the packet-in go to?)
 *
 * ```ts
 * import { FlowKey, Frame } from "@switchyard/packet"
 *
 * declare const data: Uint8Array
 * const key = FlowKey.extract(Frame.decode(data))
 * if (key.tcpDst === 22) console.log("ssh")
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const extract = (frame: Frame.Frame): FlowKey => {
  const key: { -readonly [K in keyof FlowKey]: FlowKey[K] } = {}
  const eth = frame.ethernet
  if (eth === undefined) return key
  key.ethDst = eth.dst
  key.ethSrc = eth.src
  const ethType = frame.etherType
  if (ethType !== undefined) key.ethType = ethType
  const vlan = frame.vlans[0]
  if (vlan !== undefined) {
    key.vlanVid = 0x1000 | vlan.vid
    key.vlanPcp = vlan.pcp
  } else {
    key.vlanVid = 0
  }
  const mpls = frame.mpls[0]
  if (mpls !== undefined) {
    key.mplsLabel = mpls.label
    key.mplsTc = mpls.tc
    key.mplsBos = mpls.bos ? 1 : 0
    return key
  }
  const arp = frame.arp
  if (arp !== undefined) {
    key.arpOp = arp.operation
    key.arpSpa = arp.senderIp
    key.arpTpa = arp.targetIp
    key.arpSha = arp.senderMac
    key.arpTha = arp.targetMac
    return key
  }
  const ipv4 = frame.ipv4
  const ipv6 = frame.ipv6
  if (ipv4 !== undefined) {
    key.ipDscp = ipv4.dscp
    key.ipEcn = ipv4.ecn
    key.ipProto = ipv4.protocol
    key.ipv4Src = ipv4.src
    key.ipv4Dst = ipv4.dst
  } else if (ipv6 !== undefined) {
    key.ipDscp = ipv6.dscp
    key.ipEcn = ipv6.ecn
    const protocol = frame.ipProtocol
    if (protocol !== undefined) key.ipProto = protocol
    key.ipv6Src = ipv6.src
    key.ipv6Dst = ipv6.dst
    key.ipv6Flabel = ipv6.flowLabel
    key.ipv6Exthdr = ipv6ExtensionFlags(ipv6.extensions, protocol)
  } else {
    return key
  }
  const tcp = frame.tcp
  if (tcp !== undefined) {
    key.tcpSrc = tcp.srcPort
    key.tcpDst = tcp.dstPort
    key.tcpFlags = tcp.flags
    return key
  }
  const udp = frame.udp
  if (udp !== undefined) {
    key.udpSrc = udp.srcPort
    key.udpDst = udp.dstPort
    return key
  }
  const sctp = frame.sctp
  if (sctp !== undefined) {
    key.sctpSrc = sctp.srcPort
    key.sctpDst = sctp.dstPort
    return key
  }
  const icmp = frame.icmp
  if (icmp !== undefined) {
    key.icmpv4Type = icmp.type
    key.icmpv4Code = icmp.code
    return key
  }
  const icmp6 = frame.icmp6
  if (icmp6 !== undefined) {
    key.icmpv6Type = icmp6.type
    key.icmpv6Code = icmp6.code
    if (icmp6.code === 0 && (icmp6.type === Icmp6.NEIGHBOR_SOLICITATION || icmp6.type === Icmp6.NEIGHBOR_ADVERTISEMENT)) {
      const target = Icmp6.ndTarget(icmp6)
      if (target !== undefined) key.ipv6NdTarget = target
      if (icmp6.type === Icmp6.NEIGHBOR_SOLICITATION) key.ipv6NdSll = Icmp6.sourceLinkLayerAddress(icmp6) ?? 0
      else key.ipv6NdTll = Icmp6.targetLinkLayerAddress(icmp6) ?? 0
    }
  }
  return key
}
