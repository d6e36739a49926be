/**
 * Frame builders for tests: Ethernet, ARP, IPv4/IPv6 with UDP, TCP and ICMP, and LLDP,
 * with correct lengths and checksums, in one call each.
 *
 * A test about forwarding needs frames that a switch parses the way a real host's frames
 * are parsed: an IPv4 total length that disagrees with the frame, or a bad checksum, makes
 * a real switch see different fields than the test meant. These builders sit on the
 * packet library's `Frame.build`, which computes every length and checksum, and pad to
 * the 60-byte Ethernet minimum as a NIC does, so the frame a fake port transmits can be
 * compared byte for byte with the frame injected. Addresses may be given as text
 * (`"00:00:00:00:00:01"`, `"10.0.0.1"`, `"fe80::1"`) or as the packet library's numbers.
 *
 * @since 0.1.0
 */
import {
  Arp,
  Ethernet,
  Frame,
  Icmp,
  Icmp6,
  IpProtocol,
  Ipv4,
  Ipv4Address,
  Ipv6,
  Ipv6Address,
  Lldp,
  MacAddress,
  Payload,
  Tcp,
  Udp,
  Vlan
} from "@switchyard/packet"

/**
 * A MAC address as a number or as text (`"aa:bb:cc:dd:ee:ff"`).
 *
 * @category models
 * @since 0.1.0
 */
export type MacInput = MacAddress.MacAddress | string

/**
 * An IP address: IPv4 as a number or dotted text, IPv6 as a bigint or text with colons.
 *
 * @category models
 * @since 0.1.0
 */
export type IpInput = number | bigint | string

/**
 * Reads a MAC address given as text or number; throws on malformed text (these are
 * literals in tests).
 *
 * @category constructors
 * @since 0.1.0
 */
export const mac = (input: MacInput): MacAddress.MacAddress => (typeof input === "string" ? MacAddress.fromStringUnsafe(input) : input)

/**
 * Reads an IPv4 address given as text or number.
 *
 * @category constructors
 * @since 0.1.0
 */
export const ipv4 = (input: number | string): Ipv4Address.Ipv4Address =>
  typeof input === "string" ? Ipv4Address.fromStringUnsafe(input) : input

/**
 * Reads an IPv6 address given as text or bigint.
 *
 * @category constructors
 * @since 0.1.0
 */
export const ipv6 = (input: bigint | string): Ipv6Address.Ipv6Address =>
  typeof input === "string" ? Ipv6Address.fromStringUnsafe(input) : input

/** `ff:ff:ff:ff:ff:ff`. @category constants @since 0.1.0 */
export const BROADCAST: MacAddress.MacAddress = MacAddress.BROADCAST

/**
 * Options common to every builder: an 802.1Q tag, and the frame size.
 *
 * @category models
 * @since 0.1.0
 */
export interface Common {
  /** An 802.1Q tag: the VLAN id, or the id and priority. */
  readonly vlan?: number | { readonly vid: number; readonly pcp?: number } | undefined
  /**
   * The frame's length in bytes: the payload is padded with zeros up to it. Frames are
   * at least 60 bytes (the Ethernet minimum without FCS) unless `pad` is `false`.
   */
  readonly size?: number | undefined
  /** Pad short frames to 60 bytes, as a NIC does (default `true`). */
  readonly pad?: boolean | undefined
}

const textEncoder = new TextEncoder()

const bytesOf = (payload: Uint8Array | string | undefined): Uint8Array =>
  payload === undefined ? new Uint8Array(0) : typeof payload === "string" ? textEncoder.encode(payload) : payload

const vlanLayer = (vlan: Common["vlan"]): ReadonlyArray<Frame.Input> =>
  vlan === undefined ? [] : [Vlan.make(typeof vlan === "number" ? { vid: vlan } : { vid: vlan.vid, pcp: vlan.pcp })]

/**
 * Builds `layers` with a payload grown so the frame is `size` bytes, then pads to 60.
 * The payload (if any) is the last layer.
 */
const finish = (layers: ReadonlyArray<Frame.Input>, payload: Uint8Array, common: Common): Uint8Array => {
  const first = Frame.buildUnsafe([...layers, Payload.make(payload)])
  let frame = first
  if (common.size !== undefined && common.size > first.length) {
    const grown = new Uint8Array(payload.length + (common.size - first.length))
    grown.set(payload)
    frame = Frame.buildUnsafe([...layers, Payload.make(grown)])
  }
  if (common.pad !== false && frame.length < Ethernet.MIN_FRAME_LENGTH) {
    const padded = new Uint8Array(Ethernet.MIN_FRAME_LENGTH)
    padded.set(frame)
    return padded
  }
  return frame
}

/**
 * An Ethernet II frame carrying `payload` under `etherType` (default 0x88b5, the IEEE
 * "local experimental" EtherType, which no switch or host interprets).
 *
 * @example
 * ```ts
 * import { Frames } from "@switchyard/testkit"
 *
 * const frame = Frames.ethernet({ src: "00:00:00:00:00:01", dst: "00:00:00:00:00:02", etherType: 0x88b5 })
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const ethernet = (
  options: Common & {
    readonly src: MacInput
    readonly dst: MacInput
    readonly etherType?: number | undefined
    readonly payload?: Uint8Array | string | undefined
  }
): Uint8Array => {
  const vlans = vlanLayer(options.vlan)
  const etherType = options.etherType ?? 0x88b5
  const eth = Ethernet.make({ src: mac(options.src), dst: mac(options.dst), etherType: vlans.length > 0 ? undefined : etherType })
  const tagged = vlans.map((v) => ({ ...(v as Vlan.Input), etherType }))
  return finish([eth, ...tagged], bytesOf(options.payload), options)
}

/**
 * Addresses and ports of an IP packet.
 *
 * @category models
 * @since 0.1.0
 */
export interface IpOptions extends Common {
  readonly src: MacInput
  readonly dst: MacInput
  /** Source IP (default `10.0.0.1`, or `fe80::1` when `dstIp` is IPv6). */
  readonly srcIp?: IpInput | undefined
  /** Destination IP (default `10.0.0.2`, or `fe80::2` when `srcIp` is IPv6). */
  readonly dstIp?: IpInput | undefined
  /** IPv4 TTL or IPv6 hop limit (default 64). */
  readonly ttl?: number | undefined
  readonly dscp?: number | undefined
  /** Bytes after the transport header; text is UTF-8 encoded. */
  readonly payload?: Uint8Array | string | undefined
}

const isV6 = (ip: IpInput | undefined): boolean => typeof ip === "bigint" || (typeof ip === "string" && ip.includes(":"))

const ipLayer = (options: IpOptions, protocol: number): Frame.Input => {
  const v6 = isV6(options.srcIp) || isV6(options.dstIp)
  if (v6) {
    return Ipv6.make({
      src: ipv6((options.srcIp as bigint | string | undefined) ?? "fe80::1"),
      dst: ipv6((options.dstIp as bigint | string | undefined) ?? "fe80::2"),
      nextHeader: protocol,
      hopLimit: options.ttl ?? 64,
      dscp: options.dscp
    })
  }
  return Ipv4.make({
    src: ipv4((options.srcIp as number | string | undefined) ?? "10.0.0.1"),
    dst: ipv4((options.dstIp as number | string | undefined) ?? "10.0.0.2"),
    protocol,
    ttl: options.ttl ?? 64,
    dscp: options.dscp
  })
}

const ipFrame = (options: IpOptions, protocol: number, transport: ReadonlyArray<Frame.Input>): Uint8Array =>
  finish(
    [Ethernet.make({ src: mac(options.src), dst: mac(options.dst) }), ...vlanLayer(options.vlan), ipLayer(options, protocol), ...transport],
    bytesOf(options.payload),
    options
  )

/**
 * An IPv4 (or IPv6) UDP datagram in an Ethernet frame.
 *
 * @example
 * ```ts
 * import { Frames } from "@switchyard/testkit"
 *
 * const frame = Frames.udp({ src: "00:00:00:00:00:01", dst: "00:00:00:00:00:02", dstPort: 53, payload: "query" })
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const udp = (options: IpOptions & { readonly srcPort?: number | undefined; readonly dstPort?: number | undefined }): Uint8Array =>
  ipFrame(options, IpProtocol.UDP, [Udp.make({ srcPort: options.srcPort ?? 40000, dstPort: options.dstPort ?? 9 })])

/**
 * An IPv4 (or IPv6) TCP segment in an Ethernet frame (default flags: SYN).
 *
 * @category constructors
 * @since 0.1.0
 */
export const tcp = (
  options: IpOptions & {
    readonly srcPort?: number | undefined
    readonly dstPort?: number | undefined
    readonly flags?: number | undefined
    readonly seq?: number | undefined
  }
): Uint8Array =>
  ipFrame(options, IpProtocol.TCP, [
    Tcp.make({ srcPort: options.srcPort ?? 40000, dstPort: options.dstPort ?? 80, flags: options.flags ?? 0x002, seq: options.seq })
  ])

/**
 * An ICMP echo request (or reply) over IPv4, or ICMPv6 echo over IPv6.
 *
 * @category constructors
 * @since 0.1.0
 */
export const icmpEcho = (
  options: IpOptions & { readonly reply?: boolean | undefined; readonly identifier?: number | undefined; readonly sequence?: number | undefined }
): Uint8Array => {
  const identifier = options.identifier ?? 1
  const sequence = options.sequence ?? 1
  if (isV6(options.srcIp) || isV6(options.dstIp)) {
    return ipFrame(options, IpProtocol.ICMPV6, [
      Icmp6.make({ type: options.reply === true ? Icmp6.ECHO_REPLY : Icmp6.ECHO_REQUEST, body: { _tag: "Echo", identifier, sequence } })
    ])
  }
  const echo = Icmp.echoRequest({ identifier, sequence })
  return ipFrame(options, IpProtocol.ICMP, [options.reply === true ? { ...echo, type: Icmp.ECHO_REPLY } : echo])
}

/**
 * A broadcast ARP request: who has `targetIp`? tell `senderIp` (at `src`).
 *
 * @category constructors
 * @since 0.1.0
 */
export const arpRequest = (
  options: Common & { readonly src: MacInput; readonly senderIp: number | string; readonly targetIp: number | string }
): Uint8Array =>
  finish(
    [
      Ethernet.make({ src: mac(options.src), dst: BROADCAST }),
      ...vlanLayer(options.vlan),
      Arp.make({ operation: Arp.REQUEST, senderMac: mac(options.src), senderIp: ipv4(options.senderIp), targetIp: ipv4(options.targetIp) })
    ],
    new Uint8Array(0),
    options
  )

/**
 * A unicast ARP reply: `senderIp` is at `src`, sent to `dst` (who has `targetIp`).
 *
 * @category constructors
 * @since 0.1.0
 */
export const arpReply = (
  options: Common & {
    readonly src: MacInput
    readonly dst: MacInput
    readonly senderIp: number | string
    readonly targetIp: number | string
  }
): Uint8Array =>
  finish(
    [
      Ethernet.make({ src: mac(options.src), dst: mac(options.dst) }),
      ...vlanLayer(options.vlan),
      Arp.make({
        operation: Arp.REPLY,
        senderMac: mac(options.src),
        senderIp: ipv4(options.senderIp),
        targetMac: mac(options.dst),
        targetIp: ipv4(options.targetIp)
      })
    ],
    new Uint8Array(0),
    options
  )

/**
 * An LLDP frame to the nearest-bridge group address, as a switch's link discovery sends.
 *
 * @category constructors
 * @since 0.1.0
 */
export const lldp = (
  options: Common & {
    readonly src: MacInput
    readonly chassisId?: string | undefined
    readonly portId?: string | undefined
    readonly ttl?: number | undefined
  }
): Uint8Array =>
  finish(
    [
      Ethernet.make({ src: mac(options.src), dst: Lldp.NEAREST_BRIDGE }),
      ...vlanLayer(options.vlan),
      Lldp.make({ chassisId: options.chassisId ?? MacAddress.format(mac(options.src)), portId: options.portId ?? "1", ttl: options.ttl ?? 120 })
    ],
    new Uint8Array(0),
    options
  )

/**
 * A one-line description of a frame for assertion messages:
 * `00:00:00:00:00:01 > 00:00:00:00:00:02 udp 10.0.0.1:40000 > 10.0.0.2:9 (60 bytes)`.
 *
 * @category formatting
 * @since 0.1.0
 */
export const describe = (frame: Uint8Array): string => {
  const f = Frame.decode(frame)
  const eth = f.ethernet
  if (eth === undefined) return `runt frame (${frame.length} bytes)`
  const parts = [`${MacAddress.format(eth.src)} > ${MacAddress.format(eth.dst)}`]
  const vlan = f.vlans[0]
  if (vlan !== undefined) parts.push(`vlan ${vlan.vid}`)
  const ip = f.ipv4 !== undefined ? [Ipv4Address.format(f.ipv4.src), Ipv4Address.format(f.ipv4.dst)] : f.ipv6 !== undefined ? [Ipv6Address.format(f.ipv6.src), Ipv6Address.format(f.ipv6.dst)] : undefined
  const l4 = f.udp ?? f.tcp
  if (f.arp !== undefined) {
    parts.push(`arp ${f.arp.operation === Arp.REQUEST ? "who-has" : "reply"} ${Ipv4Address.format(f.arp.targetIp)} tell ${Ipv4Address.format(f.arp.senderIp)}`)
  } else if (f.lldp !== undefined) {
    parts.push("lldp")
  } else if (ip !== undefined && l4 !== undefined) {
    parts.push(`${f.udp !== undefined ? "udp" : "tcp"} ${ip[0]}:${l4.srcPort} > ${ip[1]}:${l4.dstPort}`)
  } else if (ip !== undefined) {
    parts.push(`${f.icmp !== undefined || f.icmp6 !== undefined ? "icmp" : `ip proto ${f.ipProtocol}`} ${ip[0]} > ${ip[1]}`)
  } else {
    parts.push(`type 0x${(f.etherType ?? 0).toString(16).padStart(4, "0")}`)
  }
  return `${parts.join(" ")} (${frame.length} bytes)`
}
