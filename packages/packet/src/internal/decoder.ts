/**
 * The lazy frame decoder behind `Frame.decode`.
 *
 * Decoding runs in three stages, each started by the first getter that needs it: the
 * link stage (Ethernet, VLAN tags, MPLS labels, LLC/SNAP), the network stage (ARP, IPv4,
 * IPv6 with its extension headers, LLDP) and the transport stage (ICMP, ICMPv6, TCP,
 * UDP, SCTP). A learning switch that reads `frame.ethernet` pays for fourteen bytes.
 *
 * Every read is preceded by a length check against `end`, the end of the innermost
 * length-delimited region found so far (the frame, an 802.3 length, the IPv4 total
 * length, the IPv6 payload length, a UDP length). Problems are recorded as plain issue
 * records and turned into `PacketError` objects only when someone asks for them. Two
 * kinds of problem exist:
 *
 * - A broken fixed header (too short, impossible length, wrong version) ends decoding
 *   before that layer: the layer is absent and its bytes, and everything after, become
 *   the payload. Rebuilding the decoded layers reproduces the input.
 * - A problem inside a layer whose fixed header is sound (a bad checksum, a malformed
 *   option, a datagram cut short by the switch) keeps the layer and records the issue;
 *   decoding goes on where it still can.
 *
 * Ownership: every `Uint8Array` in a decoded layer is a `subarray` of the caller's bytes.
 */
import type * as Arp from "../Arp.ts"
import * as Checksum from "../Checksum.ts"
import type * as Ethernet from "../Ethernet.ts"
import * as EtherType from "../EtherType.ts"
import type * as Icmp from "../Icmp.ts"
import type * as Icmp6 from "../Icmp6.ts"
import * as IpProtocol from "../IpProtocol.ts"
import type * as Ipv4 from "../Ipv4.ts"
import * as Ipv4Address from "../Ipv4Address.ts"
import type * as Ipv6 from "../Ipv6.ts"
import * as Ipv6Address from "../Ipv6Address.ts"
import type * as Llc from "../Llc.ts"
import type * as Lldp from "../Lldp.ts"
import * as MacAddress from "../MacAddress.ts"
import type * as Mpls from "../Mpls.ts"
import * as PacketError from "../PacketError.ts"
import type * as Payload from "../Payload.ts"
import type * as Sctp from "../Sctp.ts"
import type * as Tcp from "../Tcp.ts"
import type * as Udp from "../Udp.ts"
import type * as Vlan from "../Vlan.ts"
import { withoutStack } from "./quiet.ts"
import { EMPTY, u16, u24, u32, utf8Decode } from "./wire.ts"

/** A decoded layer of any kind. */
export type AnyLayer =
  | Ethernet.Ethernet
  | Vlan.Vlan
  | Mpls.Mpls
  | Llc.Llc
  | Arp.Arp
  | Ipv4.Ipv4
  | Ipv6.Ipv6
  | Icmp.Icmp
  | Icmp6.Icmp6
  | Tcp.Tcp
  | Udp.Udp
  | Sctp.Sctp
  | Lldp.Lldp
  | Payload.Payload
  | Payload.Padding

/** A problem found while decoding, before it becomes a `PacketError`. */
export interface Issue {
  readonly layer: PacketError.LayerName
  readonly reason: PacketError.Reason
  readonly offset: number
  readonly message: string
}

/** Fragment state: not a fragment, the first fragment, or a later one. */
export type FragmentKind = "none" | "first" | "later"

const NO_LIST: ReadonlyArray<never> = []

/** The EtherType Open vSwitch reports for 802.3 frames without a SNAP EtherType. */
export const ETH_TYPE_NONE = 0x05ff

const STAGE_LINK = 1
const STAGE_NETWORK = 2
const STAGE_TRANSPORT = 3
const STAGE_DONE = 4

/**
 * The decoded frame. Fields without a leading `get` are written by the stages; the
 * public `Frame` interface exposes them through getters that run the stages on demand.
 */
export class FrameDecoder {
  readonly bytes: Uint8Array
  private stage = 0

  /** Start of the bytes no stage has consumed yet. */
  private offset = 0
  /** End of the innermost length-delimited region; bytes after it are padding. */
  private end = 0
  /** Set by a hard error: no later stage runs, and `offset..end` is the payload. */
  private stopped = false
  /** Set when an IP layer says it is longer than the bytes present. */
  private truncated = false

  private eth: Ethernet.Ethernet | undefined = undefined
  private vlanList: Array<Vlan.Vlan> | ReadonlyArray<never> = NO_LIST
  private mplsList: Array<Mpls.Mpls> | ReadonlyArray<never> = NO_LIST
  private llcHeader: Llc.Llc | undefined = undefined
  private innerType: number | undefined = undefined

  private arpPacket: Arp.Arp | undefined = undefined
  private ipv4Header: Ipv4.Ipv4 | undefined = undefined
  private ipv6Header: Ipv6.Ipv6 | undefined = undefined
  private lldpPdu: Lldp.Lldp | undefined = undefined
  private protocol: number | undefined = undefined
  private fragmentKind: FragmentKind = "none"
  private ipOffset = -1

  private tcpHeader: Tcp.Tcp | undefined = undefined
  private udpHeader: Udp.Udp | undefined = undefined
  private icmpHeader: Icmp.Icmp | undefined = undefined
  private icmp6Message: Icmp6.Icmp6 | undefined = undefined
  private sctpHeader: Sctp.Sctp | undefined = undefined
  private l4Offset = -1
  private l4End = -1

  private payloadBytes: Uint8Array = EMPTY
  private paddingBytes: Uint8Array = EMPTY
  private issueList: Array<Issue> | undefined = undefined
  private layerList: ReadonlyArray<AnyLayer> | undefined = undefined
  private errorList: ReadonlyArray<PacketError.PacketError> | undefined = undefined

  constructor(bytes: Uint8Array) {
    this.bytes = bytes
  }

  // ---------------------------------------------------------------------------------
  // Getters used by Frame
  // ---------------------------------------------------------------------------------

  get ethernet(): Ethernet.Ethernet | undefined {
    if (this.stage < STAGE_LINK) this.link()
    return this.eth
  }
  get vlans(): ReadonlyArray<Vlan.Vlan> {
    if (this.stage < STAGE_LINK) this.link()
    return this.vlanList
  }
  get mpls(): ReadonlyArray<Mpls.Mpls> {
    if (this.stage < STAGE_LINK) this.link()
    return this.mplsList
  }
  get llc(): Llc.Llc | undefined {
    if (this.stage < STAGE_LINK) this.link()
    return this.llcHeader
  }
  get etherType(): number | undefined {
    if (this.stage < STAGE_LINK) this.link()
    return this.innerType
  }
  get arp(): Arp.Arp | undefined {
    if (this.stage < STAGE_NETWORK) this.network()
    return this.arpPacket
  }
  get ipv4(): Ipv4.Ipv4 | undefined {
    if (this.stage < STAGE_NETWORK) this.network()
    return this.ipv4Header
  }
  get ipv6(): Ipv6.Ipv6 | undefined {
    if (this.stage < STAGE_NETWORK) this.network()
    return this.ipv6Header
  }
  get lldp(): Lldp.Lldp | undefined {
    if (this.stage < STAGE_NETWORK) this.network()
    return this.lldpPdu
  }
  get ipProtocol(): number | undefined {
    if (this.stage < STAGE_NETWORK) this.network()
    return this.protocol
  }
  get fragment(): FragmentKind {
    if (this.stage < STAGE_NETWORK) this.network()
    return this.fragmentKind
  }
  get tcp(): Tcp.Tcp | undefined {
    if (this.stage < STAGE_TRANSPORT) this.transport()
    return this.tcpHeader
  }
  get udp(): Udp.Udp | undefined {
    if (this.stage < STAGE_TRANSPORT) this.transport()
    return this.udpHeader
  }
  get icmp(): Icmp.Icmp | undefined {
    if (this.stage < STAGE_TRANSPORT) this.transport()
    return this.icmpHeader
  }
  get icmp6(): Icmp6.Icmp6 | undefined {
    if (this.stage < STAGE_TRANSPORT) this.transport()
    return this.icmp6Message
  }
  get sctp(): Sctp.Sctp | undefined {
    if (this.stage < STAGE_TRANSPORT) this.transport()
    return this.sctpHeader
  }
  get payload(): Uint8Array {
    if (this.stage < STAGE_DONE) this.finish()
    return this.payloadBytes
  }
  get padding(): Uint8Array {
    if (this.stage < STAGE_DONE) this.finish()
    return this.paddingBytes
  }
  get truncatedDatagram(): boolean {
    if (this.stage < STAGE_DONE) this.finish()
    return this.truncated
  }
  get issues(): ReadonlyArray<Issue> {
    if (this.stage < STAGE_DONE) this.finish()
    return this.issueList ?? NO_LIST
  }
  get errors(): ReadonlyArray<PacketError.PacketError> {
    if (this.errorList === undefined) {
      const issues = this.issues
      this.errorList = issues.length === 0
        ? NO_LIST
        : withoutStack(() => issues.map((i) => PacketError.make(i.layer, i.reason, i.offset, i.message)))
    }
    return this.errorList
  }
  get error(): PacketError.PacketError | undefined {
    return this.errors[0]
  }
  get layers(): ReadonlyArray<AnyLayer> {
    if (this.layerList === undefined) {
      if (this.stage < STAGE_DONE) this.finish()
      const list: Array<AnyLayer> = []
      if (this.eth !== undefined) list.push(this.eth)
      for (const tag of this.vlanList) list.push(tag)
      if (this.llcHeader !== undefined) list.push(this.llcHeader)
      for (const entry of this.mplsList) list.push(entry)
      const network = this.arpPacket ?? this.ipv4Header ?? this.ipv6Header ?? this.lldpPdu
      if (network !== undefined) list.push(network)
      const transport = this.tcpHeader ?? this.udpHeader ?? this.icmpHeader ?? this.icmp6Message ?? this.sctpHeader
      if (transport !== undefined) list.push(transport)
      if (this.payloadBytes.length > 0) list.push({ _tag: "Payload", bytes: this.payloadBytes })
      if (this.paddingBytes.length > 0) list.push({ _tag: "Padding", bytes: this.paddingBytes })
      this.layerList = list
    }
    return this.layerList
  }
  /** Where checksum verification needs to look; valid after the transport stage. */
  get checksumSpans(): { readonly ipOffset: number; readonly l4Offset: number; readonly l4End: number } {
    if (this.stage < STAGE_DONE) this.finish()
    return { ipOffset: this.ipOffset, l4Offset: this.l4Offset, l4End: this.l4End }
  }

  // ---------------------------------------------------------------------------------
  // Issue recording
  // ---------------------------------------------------------------------------------

  private issue(layer: PacketError.LayerName, reason: PacketError.Reason, offset: number, message: string): void {
    const issue: Issue = { layer, reason, offset, message }
    if (this.issueList === undefined) this.issueList = [issue]
    else this.issueList.push(issue)
  }

  /** Records a hard error: the layer at `offset` is not decoded and decoding ends. */
  private fail(layer: PacketError.LayerName, reason: PacketError.Reason, offset: number, message: string): void {
    this.issue(layer, reason, offset, message)
    this.offset = offset
    this.stopped = true
  }

  // ---------------------------------------------------------------------------------
  // Link stage
  // ---------------------------------------------------------------------------------

  private link(): void {
    this.stage = STAGE_LINK
    const b = this.bytes
    const n = b.length
    this.end = n
    if (n < 14) {
      this.fail("Ethernet", "Truncated", 0, `an Ethernet header needs 14 bytes, the frame has ${n}`)
      return
    }
    let type = u16(b, 12)
    this.eth = { _tag: "Ethernet", dst: MacAddress.read(b, 0), src: MacAddress.read(b, 6), etherType: type }
    let o = 14
    while (EtherType.isVlan(type)) {
      if (n - o < 4) {
        this.fail("Vlan", "Truncated", o, `a VLAN tag needs 4 bytes, ${n - o} remain`)
        this.innerType = type
        return
      }
      const tci = u16(b, o)
      const inner = u16(b, o + 2)
      const tag: Vlan.Vlan = {
        _tag: "Vlan",
        tpid: type,
        pcp: tci >>> 13,
        dei: (tci & 0x1000) !== 0,
        vid: tci & 0x0fff,
        etherType: inner
      }
      if (this.vlanList === NO_LIST) this.vlanList = [tag]
      else (this.vlanList as Array<Vlan.Vlan>).push(tag)
      type = inner
      o += 4
    }
    this.offset = o
    if (EtherType.isLength(type)) {
      this.innerType = ETH_TYPE_NONE
      this.llc8023(o, type)
    } else if (EtherType.isMpls(type)) {
      this.innerType = type
      this.mplsStack(o)
    } else {
      this.innerType = type
    }
  }

  private llc8023(o: number, length: number): void {
    const b = this.bytes
    if (length > EtherType.MAX_LENGTH) {
      // 1501..1535 is neither a length 802.3 allows nor an EtherType.
      this.fail("Llc", "BadLength", o, `the 802.3 length ${length} exceeds 1500`)
      return
    }
    if (length > this.end - o) {
      this.fail("Llc", "BadLength", o, `the 802.3 length ${length} exceeds the ${this.end - o} bytes after the header`)
      return
    }
    this.end = o + length
    const end = this.end
    if (end - o < 3) {
      this.fail("Llc", "Truncated", o, `an LLC header needs 3 bytes, the 802.3 length is ${length}`)
      return
    }
    const dsap = b[o]!
    const ssap = b[o + 1]!
    const c0 = b[o + 2]!
    let control = c0
    let size = 3
    if ((c0 & 3) !== 3) {
      if (end - o < 4) {
        this.fail("Llc", "Truncated", o, "an LLC header with a two-byte control field needs 4 bytes")
        return
      }
      control = c0 | (b[o + 3]! << 8)
      size = 4
    }
    if (dsap === 0xaa && ssap === 0xaa && control === 0x03) {
      if (end - o < 8) {
        this.fail("Llc", "Truncated", o, `an LLC/SNAP header needs 8 bytes, ${end - o} remain`)
        return
      }
      const snap = { oui: u24(b, o + 3), protocolId: u16(b, o + 6) }
      this.llcHeader = { _tag: "Llc", dsap, ssap, control, snap }
      // RFC 1042: with OUI 000000 the protocol ID is an EtherType and decoding goes on.
      if (snap.oui === 0) this.innerType = snap.protocolId
      size = 8
    } else {
      this.llcHeader = { _tag: "Llc", dsap, ssap, control }
    }
    this.offset = o + size
  }

  private mplsStack(o: number): void {
    const b = this.bytes
    const end = this.end
    for (;;) {
      if (end - o < 4) {
        this.fail("Mpls", "Truncated", o, `an MPLS label stack entry needs 4 bytes, ${end - o} remain`)
        return
      }
      const word = u32(b, o)
      const entry: Mpls.Mpls = {
        _tag: "Mpls",
        label: word >>> 12,
        tc: (word >>> 9) & 7,
        bos: (word & 0x100) !== 0,
        ttl: word & 0xff
      }
      if (this.mplsList === NO_LIST) this.mplsList = [entry]
      else (this.mplsList as Array<Mpls.Mpls>).push(entry)
      o += 4
      this.offset = o
      if (entry.bos) return
    }
  }

  // ---------------------------------------------------------------------------------
  // Network stage
  // ---------------------------------------------------------------------------------

  private network(): void {
    if (this.stage < STAGE_LINK) this.link()
    this.stage = STAGE_NETWORK
    if (this.stopped) return
    switch (this.innerType) {
      case EtherType.IPV4:
        return this.decodeIpv4()
      case EtherType.IPV6:
        return this.decodeIpv6()
      case EtherType.ARP:
      case EtherType.RARP:
        return this.decodeArp()
      case EtherType.LLDP:
        return this.decodeLldp()
    }
  }

  private decodeArp(): void {
    const b = this.bytes
    const o = this.offset
    const end = this.end
    if (end - o < 8) {
      this.fail("Arp", "Truncated", o, `an ARP header needs 8 bytes, ${end - o} remain`)
      return
    }
    const hlen = b[o + 4]!
    const plen = b[o + 5]!
    if (hlen !== 6 || plen !== 4) {
      this.fail("Arp", "Unsupported", o, `ARP with ${hlen}-byte hardware and ${plen}-byte protocol addresses is not decoded`)
      return
    }
    if (end - o < 28) {
      this.fail("Arp", "Truncated", o, `an Ethernet/IPv4 ARP packet needs 28 bytes, ${end - o} remain`)
      return
    }
    this.arpPacket = {
      _tag: "Arp",
      hardwareType: u16(b, o),
      protocolType: u16(b, o + 2),
      operation: u16(b, o + 6),
      senderMac: MacAddress.read(b, o + 8),
      senderIp: Ipv4Address.read(b, o + 14),
      targetMac: MacAddress.read(b, o + 18),
      targetIp: Ipv4Address.read(b, o + 24)
    }
    // ARP has no length field of its own: anything after the 28 bytes is padding.
    this.offset = o + 28
    this.end = o + 28
  }

  private decodeIpv4(): void {
    const b = this.bytes
    const o = this.offset
    let end = this.end
    if (end - o < 20) {
      this.fail("Ipv4", "Truncated", o, `an IPv4 header needs 20 bytes, ${end - o} remain`)
      return
    }
    const version = b[o]! >>> 4
    if (version !== 4) {
      this.fail("Ipv4", "BadVersion", o, `the IPv4 header says version ${version}`)
      return
    }
    const ihl = (b[o]! & 0x0f) * 4
    if (ihl < 20) {
      this.fail("Ipv4", "BadLength", o, `the IPv4 header length ${ihl} is below 20`)
      return
    }
    if (end - o < ihl) {
      this.fail("Ipv4", "Truncated", o, `the IPv4 header length is ${ihl}, ${end - o} bytes remain`)
      return
    }
    const totalLength = u16(b, o + 2)
    if (totalLength < ihl) {
      this.fail("Ipv4", "BadLength", o, `the IPv4 total length ${totalLength} is below the header length ${ihl}`)
      return
    }
    if (totalLength > end - o) {
      // A switch truncates packet-ins to miss_send_len: keep the header and go on with
      // the bytes that are there.
      this.issue("Ipv4", "Truncated", o, `the IPv4 total length is ${totalLength}, ${end - o} bytes remain`)
      this.truncated = true
    } else {
      end = o + totalLength
    }
    const checksum = u16(b, o + 10)
    if (Checksum.compute(b, o, ihl) !== 0) {
      this.issue("Ipv4", "BadChecksum", o + 10, `the IPv4 header checksum 0x${checksum.toString(16).padStart(4, "0")} is wrong`)
    }
    const frag = u16(b, o + 6)
    const fragmentOffset = frag & 0x1fff
    const moreFragments = (frag & 0x2000) !== 0
    this.ipv4Header = {
      _tag: "Ipv4",
      dscp: b[o + 1]! >>> 2,
      ecn: b[o + 1]! & 3,
      totalLength,
      identification: u16(b, o + 4),
      dontFragment: (frag & 0x4000) !== 0,
      moreFragments,
      fragmentOffset,
      ttl: b[o + 8]!,
      protocol: b[o + 9]!,
      checksum,
      src: Ipv4Address.read(b, o + 12),
      dst: Ipv4Address.read(b, o + 16),
      options: ihl === 20 ? NO_LIST : this.ipv4Options(o + 20, o + ihl)
    }
    this.protocol = b[o + 9]!
    this.fragmentKind = fragmentOffset !== 0 ? "later" : moreFragments ? "first" : "none"
    this.ipOffset = o
    this.offset = o + ihl
    this.end = end
  }

  private ipv4Options(start: number, end: number): Array<Ipv4.Option> {
    const b = this.bytes
    const options: Array<Ipv4.Option> = []
    let i = start
    while (i < end) {
      const type = b[i]!
      if (type === 0) {
        options.push({ type, data: EMPTY })
        break
      }
      if (type === 1) {
        options.push({ type, data: EMPTY })
        i++
        continue
      }
      const length = i + 1 < end ? b[i + 1]! : 0
      if (length < 2 || end - i < length) {
        this.issue("Ipv4", "BadLength", i, `IPv4 option ${type} has length ${length} with ${end - i} option bytes left`)
        break
      }
      options.push({ type, data: this.bytes.subarray(i + 2, i + length) })
      i += length
    }
    return options
  }

  private decodeIpv6(): void {
    const b = this.bytes
    const o = this.offset
    let end = this.end
    if (end - o < 40) {
      this.fail("Ipv6", "Truncated", o, `an IPv6 header needs 40 bytes, ${end - o} remain`)
      return
    }
    const version = b[o]! >>> 4
    if (version !== 6) {
      this.fail("Ipv6", "BadVersion", o, `the IPv6 header says version ${version}`)
      return
    }
    const word = u32(b, o)
    const payloadLength = u16(b, o + 4)
    if (payloadLength > end - o - 40) {
      this.issue("Ipv6", "Truncated", o, `the IPv6 payload length is ${payloadLength}, ${end - o - 40} bytes remain`)
      this.truncated = true
    } else {
      end = o + 40 + payloadLength
    }
    this.end = end
    const nextHeader = b[o + 6]!
    let next = nextHeader
    let p = o + 40
    let extensions: Array<Ipv6.Extension> | ReadonlyArray<never> = NO_LIST
    while (IpProtocol.isIpv6Extension(next)) {
      if (end - p < 8) {
        this.issue("Ipv6", "Truncated", p, `IPv6 extension header ${next} needs 8 bytes, ${end - p} remain`)
        this.stopped = true
        break
      }
      const extNext = b[p]!
      let extension: Ipv6.Extension
      let size = 8
      if (next === IpProtocol.IPV6_FRAG) {
        const field = u16(b, p + 2)
        extension = {
          _tag: "Fragment",
          nextHeader: extNext,
          fragmentOffset: field >>> 3,
          moreFragments: (field & 1) !== 0,
          identification: u32(b, p + 4)
        }
        // An atomic fragment (offset 0, no more fragments) is a whole datagram.
        this.fragmentKind = field >>> 3 !== 0 ? "later" : (field & 1) !== 0 ? "first" : "none"
      } else {
        size = (b[p + 1]! + 1) * 8
        if (end - p < size) {
          this.issue("Ipv6", "Truncated", p, `IPv6 extension header ${next} has length ${size}, ${end - p} bytes remain`)
          this.stopped = true
          break
        }
        if (next === IpProtocol.IPV6_ROUTE) {
          extension = {
            _tag: "Routing",
            nextHeader: extNext,
            routingType: b[p + 2]!,
            segmentsLeft: b[p + 3]!,
            data: b.subarray(p + 4, p + size)
          }
        } else {
          const options = this.ipv6Options(p + 2, p + size)
          extension = next === IpProtocol.HOPOPT
            ? { _tag: "HopByHop", nextHeader: extNext, options }
            : { _tag: "DestinationOptions", nextHeader: extNext, options }
        }
      }
      if (extensions === NO_LIST) extensions = [extension]
      else (extensions as Array<Ipv6.Extension>).push(extension)
      p += size
      next = extNext
    }
    this.ipv6Header = {
      _tag: "Ipv6",
      dscp: (word >>> 22) & 0x3f,
      ecn: (word >>> 20) & 3,
      flowLabel: word & 0xfffff,
      payloadLength,
      nextHeader,
      hopLimit: b[o + 7]!,
      src: Ipv6Address.read(b, o + 8),
      dst: Ipv6Address.read(b, o + 24),
      extensions
    }
    this.protocol = next
    this.ipOffset = o
    this.offset = p
  }

  private ipv6Options(start: number, end: number): Array<Ipv6.Option> {
    const b = this.bytes
    const options: Array<Ipv6.Option> = []
    let i = start
    while (i < end) {
      const type = b[i]!
      if (type === 0) {
        options.push({ type, data: EMPTY })
        i++
        continue
      }
      const length = i + 1 < end ? b[i + 1]! : -1
      if (length < 0 || end - i - 2 < length) {
        this.issue("Ipv6", "BadLength", i, `IPv6 option ${type} overruns its extension header`)
        break
      }
      options.push({ type, data: b.subarray(i + 2, i + 2 + length) })
      i += 2 + length
    }
    return options
  }

  private decodeLldp(): void {
    const b = this.bytes
    const o = this.offset
    const end = this.end
    const tlvs: Array<Lldp.Tlv> = []
    let p = o
    let sawEnd = false
    while (p < end) {
      if (end - p < 2) {
        this.issue("Lldp", "Truncated", p, "an LLDP TLV header needs 2 bytes, 1 remains")
        this.stopped = true
        break
      }
      const header = u16(b, p)
      const type = header >>> 9
      const length = header & 0x1ff
      const v = p + 2
      if (end - v < length) {
        this.issue("Lldp", "Truncated", p, `LLDP TLV ${type} has length ${length}, ${end - v} bytes remain`)
        this.stopped = true
        break
      }
      p = v + length
      if (type === 0) {
        if (length !== 0) this.issue("Lldp", "BadLength", v - 2, `the LLDP End TLV has length ${length}`)
        tlvs.push({ _tag: "End" })
        sawEnd = true
        break
      }
      tlvs.push(this.lldpTlv(type, v, length))
    }
    if (!sawEnd && !this.stopped) this.issue("Lldp", "BadValue", p, "the LLDPDU has no End TLV")
    if (tlvs[0]?._tag !== "ChassisId" || tlvs[1]?._tag !== "PortId" || tlvs[2]?._tag !== "Ttl") {
      this.issue("Lldp", "BadValue", o, "an LLDPDU must start with Chassis ID, Port ID and TTL TLVs")
    }
    this.lldpPdu = { _tag: "Lldp", tlvs }
    this.offset = p
    // The LLDPDU ends at its End TLV; what follows is padding.
    if (!this.stopped) this.end = p
  }

  private lldpTlv(type: number, v: number, length: number): Lldp.Tlv {
    const b = this.bytes
    switch (type) {
      case 1:
      case 2:
        if (length >= 2) {
          return { _tag: type === 1 ? "ChassisId" : "PortId", subtype: b[v]!, id: b.subarray(v + 1, v + length) }
        }
        break
      case 3:
        if (length === 2) return { _tag: "Ttl", seconds: u16(b, v) }
        break
      case 4:
        return { _tag: "PortDescription", text: utf8Decode(b.subarray(v, v + length)) }
      case 5:
        return { _tag: "SystemName", text: utf8Decode(b.subarray(v, v + length)) }
      case 6:
        return { _tag: "SystemDescription", text: utf8Decode(b.subarray(v, v + length)) }
      case 7:
        if (length === 4) return { _tag: "SystemCapabilities", capabilities: u16(b, v), enabled: u16(b, v + 2) }
        break
      case 8: {
        // Address string length (subtype + address), subtype, address, interface
        // subtype, interface number, OID length, OID (IEEE 802.1AB §8.5.9).
        const addressLength = length >= 1 ? b[v]! : 0
        const q = v + 1 + addressLength
        if (addressLength >= 2 && addressLength <= 32 && 1 + addressLength + 6 <= length) {
          const oidLength = b[q + 5]!
          // IEEE 802.1AB §8.5.9.8: an OID string is at most 128 bytes.
          if (oidLength <= 128 && 1 + addressLength + 6 + oidLength === length) {
            return {
              _tag: "ManagementAddress",
              addressSubtype: b[v + 1]!,
              address: b.subarray(v + 2, q),
              interfaceSubtype: b[q]!,
              interfaceNumber: u32(b, q + 1),
              oid: b.subarray(q + 6, q + 6 + oidLength)
            }
          }
        }
        break
      }
      case 127:
        if (length >= 4) {
          return { _tag: "OrganizationallySpecific", oui: u24(b, v), subtype: b[v + 3]!, info: b.subarray(v + 4, v + length) }
        }
        break
      default:
        return { _tag: "UnknownTlv", type, value: b.subarray(v, v + length) }
    }
    this.issue("Lldp", "BadLength", v - 2, `LLDP TLV ${type} cannot have length ${length}; kept as an unknown TLV`)
    return { _tag: "UnknownTlv", type, value: b.subarray(v, v + length) }
  }

  // ---------------------------------------------------------------------------------
  // Transport stage
  // ---------------------------------------------------------------------------------

  private transport(): void {
    if (this.stage < STAGE_NETWORK) this.network()
    this.stage = STAGE_TRANSPORT
    // A later fragment starts in the middle of the transport payload: nothing to decode.
    if (this.stopped || this.fragmentKind === "later") return
    const v4 = this.ipv4Header !== undefined
    if (!v4 && this.ipv6Header === undefined) return
    const o = this.offset
    switch (this.protocol) {
      case IpProtocol.TCP:
        this.decodeTcp()
        break
      case IpProtocol.UDP:
        this.decodeUdp()
        break
      case IpProtocol.SCTP:
        this.decodeSctp()
        break
      case IpProtocol.ICMP:
        if (v4) this.decodeIcmp()
        break
      case IpProtocol.ICMPV6:
        if (!v4) this.decodeIcmp6()
        break
      default:
        return
    }
    if (!this.stopped) {
      this.l4Offset = o
      this.l4End = this.end
    }
  }

  private decodeTcp(): void {
    const b = this.bytes
    const o = this.offset
    const end = this.end
    if (end - o < 20) {
      this.fail("Tcp", "Truncated", o, `a TCP header needs 20 bytes, ${end - o} remain`)
      return
    }
    const headerLength = (b[o + 12]! >>> 4) * 4
    if (headerLength < 20) {
      this.fail("Tcp", "BadLength", o, `the TCP data offset ${headerLength} is below 20`)
      return
    }
    if (end - o < headerLength) {
      this.fail("Tcp", "Truncated", o, `the TCP header length is ${headerLength}, ${end - o} bytes remain`)
      return
    }
    this.tcpHeader = {
      _tag: "Tcp",
      srcPort: u16(b, o),
      dstPort: u16(b, o + 2),
      seq: u32(b, o + 4),
      ack: u32(b, o + 8),
      flags: u16(b, o + 12) & 0x0fff,
      window: u16(b, o + 14),
      checksum: u16(b, o + 16),
      urgentPointer: u16(b, o + 18),
      options: headerLength === 20 ? NO_LIST : this.tcpOptions(o + 20, o + headerLength)
    }
    this.offset = o + headerLength
  }

  private tcpOptions(start: number, end: number): Array<Tcp.Option> {
    const b = this.bytes
    const options: Array<Tcp.Option> = []
    let i = start
    while (i < end) {
      const kind = b[i]!
      if (kind === 0) {
        options.push({ _tag: "End" })
        break
      }
      if (kind === 1) {
        options.push({ _tag: "Nop" })
        i++
        continue
      }
      const length = i + 1 < end ? b[i + 1]! : 0
      if (length < 2 || end - i < length) {
        this.issue("Tcp", "BadLength", i, `TCP option ${kind} has length ${length} with ${end - i} option bytes left`)
        break
      }
      options.push(this.tcpOption(kind, i, length))
      i += length
    }
    return options
  }

  private tcpOption(kind: number, i: number, length: number): Tcp.Option {
    const b = this.bytes
    switch (kind) {
      case 2:
        if (length === 4) return { _tag: "Mss", value: u16(b, i + 2) }
        break
      case 3:
        if (length === 3) return { _tag: "WindowScale", shift: b[i + 2]! }
        break
      case 4:
        if (length === 2) return { _tag: "SackPermitted" }
        break
      case 5:
        if (length >= 10 && (length - 2) % 8 === 0) {
          const blocks: Array<{ left: number; right: number }> = []
          for (let j = i + 2; j < i + length; j += 8) blocks.push({ left: u32(b, j), right: u32(b, j + 4) })
          return { _tag: "Sack", blocks }
        }
        break
      case 8:
        if (length === 10) return { _tag: "Timestamps", value: u32(b, i + 2), echoReply: u32(b, i + 6) }
        break
    }
    return { _tag: "UnknownOption", kind, data: b.subarray(i + 2, i + length) }
  }

  private decodeUdp(): void {
    const b = this.bytes
    const o = this.offset
    const end = this.end
    if (end - o < 8) {
      this.fail("Udp", "Truncated", o, `a UDP header needs 8 bytes, ${end - o} remain`)
      return
    }
    const length = u16(b, o + 4)
    if (length < 8) {
      this.issue("Udp", "BadLength", o + 4, `the UDP length ${length} is below 8`)
    } else if (length > end - o) {
      // A first fragment holds only the start of the datagram the length describes.
      if (this.truncated) this.issue("Udp", "Truncated", o + 4, `the UDP length is ${length}, ${end - o} bytes remain`)
      else if (this.fragmentKind === "none") {
        this.issue("Udp", "BadLength", o + 4, `the UDP length ${length} exceeds the ${end - o} bytes the IP layer carries`)
      }
    } else if (this.fragmentKind === "none") {
      this.end = o + length
    }
    this.udpHeader = {
      _tag: "Udp",
      srcPort: u16(b, o),
      dstPort: u16(b, o + 2),
      length,
      checksum: u16(b, o + 6)
    }
    this.offset = o + 8
  }

  private decodeSctp(): void {
    const b = this.bytes
    const o = this.offset
    if (this.end - o < 12) {
      this.fail("Sctp", "Truncated", o, `an SCTP common header needs 12 bytes, ${this.end - o} remain`)
      return
    }
    this.sctpHeader = {
      _tag: "Sctp",
      srcPort: u16(b, o),
      dstPort: u16(b, o + 2),
      verificationTag: u32(b, o + 4),
      checksum: u32(b, o + 8)
    }
    this.offset = o + 12
  }

  private decodeIcmp(): void {
    const b = this.bytes
    const o = this.offset
    if (this.end - o < 8) {
      this.fail("Icmp", "Truncated", o, `an ICMP header needs 8 bytes, ${this.end - o} remain`)
      return
    }
    const type = b[o]!
    this.icmpHeader = {
      _tag: "Icmp",
      type,
      code: b[o + 1]!,
      checksum: u16(b, o + 2),
      body: type === 0 || type === 8
        ? { _tag: "Echo", identifier: u16(b, o + 4), sequence: u16(b, o + 6) }
        : { _tag: "Other", rest: u32(b, o + 4) }
    }
    this.offset = o + 8
  }

  private decodeIcmp6(): void {
    const b = this.bytes
    const o = this.offset
    const end = this.end
    const type = end - o >= 1 ? b[o]! : 0
    const fixed = type === 133 ? 8 : type === 134 ? 16 : type === 135 || type === 136 ? 24 : type === 137 ? 40 : 8
    if (end - o < fixed) {
      this.fail("Icmp6", "Truncated", o, `an ICMPv6 type ${type} message needs ${fixed} bytes, ${end - o} remain`)
      return
    }
    let body: Icmp6.Body
    let next = o + fixed
    switch (type) {
      case 128:
      case 129:
        body = { _tag: "Echo", identifier: u16(b, o + 4), sequence: u16(b, o + 6) }
        break
      case 133: {
        const options = this.ndOptions(o + 8)
        body = { _tag: "RouterSolicitation", options }
        next = this.offset
        break
      }
      case 134: {
        const flags = b[o + 5]!
        const options = this.ndOptions(o + 16)
        body = {
          _tag: "RouterAdvertisement",
          curHopLimit: b[o + 4]!,
          managed: (flags & 0x80) !== 0,
          other: (flags & 0x40) !== 0,
          routerLifetime: u16(b, o + 6),
          reachableTime: u32(b, o + 8),
          retransTimer: u32(b, o + 12),
          options
        }
        next = this.offset
        break
      }
      case 135: {
        const options = this.ndOptions(o + 24)
        body = { _tag: "NeighborSolicitation", target: Ipv6Address.read(b, o + 8), options }
        next = this.offset
        break
      }
      case 136: {
        const flags = b[o + 4]!
        const options = this.ndOptions(o + 24)
        body = {
          _tag: "NeighborAdvertisement",
          router: (flags & 0x80) !== 0,
          solicited: (flags & 0x40) !== 0,
          override: (flags & 0x20) !== 0,
          target: Ipv6Address.read(b, o + 8),
          options
        }
        next = this.offset
        break
      }
      case 137: {
        const options = this.ndOptions(o + 40)
        body = { _tag: "Redirect", target: Ipv6Address.read(b, o + 8), destination: Ipv6Address.read(b, o + 24), options }
        next = this.offset
        break
      }
      default:
        body = { _tag: "Other", rest: u32(b, o + 4) }
    }
    this.icmp6Message = { _tag: "Icmp6", type, code: b[o + 1]!, checksum: u16(b, o + 2), body }
    this.offset = next
  }

  /**
   * Decodes neighbour discovery options from `start` to the end of the message and
   * leaves `offset` after the last good one: a malformed option and everything after it
   * stay in the payload.
   */
  private ndOptions(start: number): Array<Icmp6.NdOption> {
    const b = this.bytes
    const end = this.end
    const options: Array<Icmp6.NdOption> = []
    let p = start
    while (p < end) {
      if (end - p < 2) {
        this.issue("Icmp6", "Truncated", p, "a neighbour discovery option needs 2 bytes, 1 remains")
        break
      }
      const type = b[p]!
      const length = b[p + 1]! * 8
      if (length === 0) {
        // RFC 4861 §4.6: a zero length must not be processed (it would never advance).
        this.issue("Icmp6", "BadLength", p, `neighbour discovery option ${type} has length 0`)
        break
      }
      if (end - p < length) {
        this.issue("Icmp6", "Truncated", p, `neighbour discovery option ${type} has length ${length}, ${end - p} bytes remain`)
        break
      }
      options.push(this.ndOption(type, p, length))
      p += length
    }
    this.offset = p
    return options
  }

  private ndOption(type: number, p: number, length: number): Icmp6.NdOption {
    const b = this.bytes
    switch (type) {
      case 1:
        if (length === 8) return { _tag: "SourceLinkLayerAddress", address: MacAddress.read(b, p + 2) }
        break
      case 2:
        if (length === 8) return { _tag: "TargetLinkLayerAddress", address: MacAddress.read(b, p + 2) }
        break
      case 3:
        if (length === 32) {
          return {
            _tag: "PrefixInformation",
            prefixLength: b[p + 2]!,
            onLink: (b[p + 3]! & 0x80) !== 0,
            autonomous: (b[p + 3]! & 0x40) !== 0,
            validLifetime: u32(b, p + 4),
            preferredLifetime: u32(b, p + 8),
            prefix: Ipv6Address.read(b, p + 16)
          }
        }
        break
      case 5:
        if (length === 8) return { _tag: "Mtu", mtu: u32(b, p + 4) }
        break
    }
    return { _tag: "UnknownOption", type, data: b.subarray(p + 2, p + length) }
  }

  // ---------------------------------------------------------------------------------
  // Finish
  // ---------------------------------------------------------------------------------

  private finish(): void {
    if (this.stage < STAGE_TRANSPORT) this.transport()
    this.stage = STAGE_DONE
    const n = this.bytes.length
    const end = Math.min(this.end, n)
    if (this.offset < end) this.payloadBytes = this.bytes.subarray(this.offset, end)
    if (end < n) this.paddingBytes = this.bytes.subarray(end, n)
  }
}
