/**
 * The frame builder behind `Frame.build`.
 *
 * Three passes over the layer list. The first validates every field against its width,
 * works out each layer's size and the "next protocol" value each layer must carry (an
 * EtherType, an IP protocol, the MPLS bottom-of-stack bit), and fails early with a
 * `PacketError` on anything that cannot be encoded. The second allocates the frame once
 * and writes the headers front to back with every length filled in and every checksum
 * zero. The third computes checksums back to front, so that a checksum covering a later
 * layer sees that layer's final bytes.
 *
 * Lengths (`totalLength`, `payloadLength`, UDP `length`, TCP data offset, IPv4 IHL, 802.3
 * lengths, TLV lengths) and checksums are always computed; the values in the input are
 * ignored, with two exceptions: a UDP checksum of exactly 0 over IPv4 stays 0, as the
 * "no checksum" of the original datagram; and inside an IP fragment the transport
 * checksum and UDP length, which describe the whole datagram, are kept as given (and
 * computed over the fragment only when absent). `Padding` layers must come last; their
 * bytes are excluded from every length.
 */
import { Result } from "effect"
import * as Checksum from "../Checksum.ts"
import * as EtherType from "../EtherType.ts"
import type * as Icmp6 from "../Icmp6.ts"
import * as IpProtocol from "../IpProtocol.ts"
import type * as Ipv4 from "../Ipv4.ts"
import * as Ipv4Address from "../Ipv4Address.ts"
import * as Ipv6 from "../Ipv6.ts"
import * as Ipv6Address from "../Ipv6Address.ts"
import type * as Lldp from "../Lldp.ts"
import * as MacAddress from "../MacAddress.ts"
import * as PacketError from "../PacketError.ts"
import type * as Tcp from "../Tcp.ts"
import type { AnyInput } from "./inputs.ts"
import { withoutStack } from "./quiet.ts"
import { put16, put24, put32, utf8Encode } from "./wire.ts"

type LayerName = PacketError.LayerName

/**
 * Thrown inside this module only, to unwind from a validation failure deep in a size
 * computation; `build` catches it and returns the failure as a value. It is not an Error,
 * so throwing it captures no stack.
 */
class BuildFailure {
  constructor(
    readonly layer: LayerName,
    readonly reason: PacketError.Reason,
    readonly message: string
  ) {}
}

const fail = (layer: LayerName, reason: PacketError.Reason, message: string): never => {
  throw new BuildFailure(layer, reason, message)
}

const MAX_UINT: ReadonlyArray<number> = Array.from({ length: 33 }, (_, bits) => 2 ** bits - 1)

// `x >>> 0 === x` holds exactly for integers in [0, 2^32); the table bounds narrower fields.
const isUint = (value: unknown, bits: number): boolean =>
  typeof value === "number" && value >>> 0 === value && value <= MAX_UINT[bits]!

const uint = (layer: LayerName, name: string, value: unknown, bits: number): number => {
  if (!isUint(value, bits)) {
    fail(layer, "BadValue", `${layer}.${name} must be an integer in [0, ${2 ** bits - 1}], got ${String(value)}`)
  }
  return value as number
}

const bool = (layer: LayerName, name: string, value: unknown): boolean => {
  if (typeof value !== "boolean") fail(layer, "BadValue", `${layer}.${name} must be a boolean, got ${String(value)}`)
  return value as boolean
}

const mac = (layer: LayerName, name: string, value: unknown): number => {
  if (!MacAddress.isValid(value)) fail(layer, "BadValue", `${layer}.${name} must be a MAC address, got ${String(value)}`)
  return value as number
}

const ipv4 = (layer: LayerName, name: string, value: unknown): number => {
  if (!Ipv4Address.isValid(value)) fail(layer, "BadValue", `${layer}.${name} must be an IPv4 address, got ${String(value)}`)
  return value as number
}

const ipv6 = (layer: LayerName, name: string, value: unknown): bigint => {
  if (!Ipv6Address.isValid(value)) fail(layer, "BadValue", `${layer}.${name} must be an IPv6 address, got ${String(value)}`)
  return value as bigint
}

const bytes = (layer: LayerName, name: string, value: unknown, max: number): Uint8Array => {
  if (!(value instanceof Uint8Array)) fail(layer, "BadValue", `${layer}.${name} must be a Uint8Array`)
  const b = value as Uint8Array
  if (b.length > max) fail(layer, "BadLength", `${layer}.${name} has ${b.length} bytes, at most ${max} fit`)
  return b
}

const list = <A>(layer: LayerName, name: string, value: unknown): ReadonlyArray<A> => {
  if (!Array.isArray(value)) fail(layer, "BadValue", `${layer}.${name} must be an array`)
  return value as ReadonlyArray<A>
}

/** The EtherType announcing `next`, or the stored value when `next` is opaque. */
const etherTypeFor = (next: AnyInput | undefined, stored: number | undefined): number | undefined => {
  switch (next?._tag) {
    case "Vlan":
      return next.tpid
    case "Mpls":
      return stored === EtherType.MPLS_MULTICAST ? stored : EtherType.MPLS
    case "Arp":
      return stored === EtherType.RARP ? stored : EtherType.ARP
    case "Ipv4":
      return EtherType.IPV4
    case "Ipv6":
      return EtherType.IPV6
    case "Lldp":
      return EtherType.LLDP
    default:
      return stored
  }
}

/** The IP protocol number announcing `next`, or the stored value when `next` is opaque. */
const protocolFor = (next: AnyInput | undefined, stored: number | undefined): number | undefined => {
  switch (next?._tag) {
    case "Tcp":
      return IpProtocol.TCP
    case "Udp":
      return IpProtocol.UDP
    case "Icmp":
      return IpProtocol.ICMP
    case "Icmp6":
      return IpProtocol.ICMPV6
    case "Sctp":
      return IpProtocol.SCTP
    case "Ipv4":
      return IpProtocol.IPIP
    case "Ipv6":
      return IpProtocol.IPV6
    default:
      return stored
  }
}

const ipv4OptionsSize = (options: ReadonlyArray<Ipv4.Option>): number => {
  let size = 0
  for (const option of options) {
    const type = uint("Ipv4", "options.type", option.type, 8)
    size += type <= 1 ? 1 : 2 + bytes("Ipv4", "options.data", option.data, 253).length
  }
  return size
}

const ipv6OptionsSize = (options: ReadonlyArray<Ipv6.Option>): number => {
  let size = 0
  for (const option of options) {
    const type = uint("Ipv6", "options.type", option.type, 8)
    size += type === 0 ? 1 : 2 + bytes("Ipv6", "options.data", option.data, 255).length
  }
  return size
}

const extensionSize = (extension: Ipv6.ExtensionInput): number => {
  if (extension.nextHeader !== undefined) uint("Ipv6", "extensions.nextHeader", extension.nextHeader, 8)
  switch (extension._tag) {
    case "HopByHop":
    case "DestinationOptions": {
      const size = (2 + ipv6OptionsSize(list("Ipv6", "extensions.options", extension.options)) + 7) & ~7
      if (size > 2048) fail("Ipv6", "BadLength", `an IPv6 options header of ${size} bytes exceeds 2048`)
      return size
    }
    case "Routing": {
      uint("Ipv6", "routingType", extension.routingType, 8)
      uint("Ipv6", "segmentsLeft", extension.segmentsLeft, 8)
      const size = 4 + bytes("Ipv6", "routing data", extension.data, 2044).length
      if (size % 8 !== 0) fail("Ipv6", "BadLength", `routing header data of ${size - 4} bytes is not 4 plus a multiple of 8`)
      return size
    }
    case "Fragment":
      uint("Ipv6", "fragmentOffset", extension.fragmentOffset, 13)
      bool("Ipv6", "moreFragments", extension.moreFragments)
      uint("Ipv6", "identification", extension.identification, 32)
      return 8
    default:
      return fail("Ipv6", "BadValue", `unknown IPv6 extension header ${String((extension as { _tag: unknown })._tag)}`)
  }
}

const tcpOptionsSize = (options: ReadonlyArray<Tcp.Option>): number => {
  let size = 0
  for (const option of options) {
    switch (option._tag) {
      case "End":
      case "Nop":
        size += 1
        break
      case "Mss":
        uint("Tcp", "Mss.value", option.value, 16)
        size += 4
        break
      case "WindowScale":
        uint("Tcp", "WindowScale.shift", option.shift, 8)
        size += 3
        break
      case "SackPermitted":
        size += 2
        break
      case "Sack": {
        const blocks = list<{ left: number; right: number }>("Tcp", "Sack.blocks", option.blocks)
        for (const block of blocks) {
          uint("Tcp", "Sack.left", block.left, 32)
          uint("Tcp", "Sack.right", block.right, 32)
        }
        size += 2 + 8 * blocks.length
        break
      }
      case "Timestamps":
        uint("Tcp", "Timestamps.value", option.value, 32)
        uint("Tcp", "Timestamps.echoReply", option.echoReply, 32)
        size += 10
        break
      case "UnknownOption":
        uint("Tcp", "UnknownOption.kind", option.kind, 8)
        size += 2 + bytes("Tcp", "UnknownOption.data", option.data, 38).length
        break
      default:
        fail("Tcp", "BadValue", `unknown TCP option ${String((option as { _tag: unknown })._tag)}`)
    }
  }
  return size
}

const ndOptionsSize = (options: ReadonlyArray<Icmp6.NdOption>): number => {
  let size = 0
  for (const option of list<Icmp6.NdOption>("Icmp6", "options", options)) {
    switch (option._tag) {
      case "SourceLinkLayerAddress":
      case "TargetLinkLayerAddress":
        mac("Icmp6", `${option._tag}.address`, option.address)
        size += 8
        break
      case "PrefixInformation":
        uint("Icmp6", "prefixLength", option.prefixLength, 8)
        bool("Icmp6", "onLink", option.onLink)
        bool("Icmp6", "autonomous", option.autonomous)
        uint("Icmp6", "validLifetime", option.validLifetime, 32)
        uint("Icmp6", "preferredLifetime", option.preferredLifetime, 32)
        ipv6("Icmp6", "prefix", option.prefix)
        size += 32
        break
      case "Mtu":
        uint("Icmp6", "mtu", option.mtu, 32)
        size += 8
        break
      case "UnknownOption": {
        uint("Icmp6", "UnknownOption.type", option.type, 8)
        const length = 2 + bytes("Icmp6", "UnknownOption.data", option.data, 2038).length
        if (length % 8 !== 0) {
          fail("Icmp6", "BadLength", `a neighbour discovery option of ${length} bytes is not a multiple of 8`)
        }
        size += length
        break
      }
      default:
        fail("Icmp6", "BadValue", `unknown neighbour discovery option ${String((option as { _tag: unknown })._tag)}`)
    }
  }
  return size
}

const icmp6BodySize = (body: Icmp6.Body): number => {
  switch (body?._tag) {
    case "Echo":
      uint("Icmp6", "identifier", body.identifier, 16)
      uint("Icmp6", "sequence", body.sequence, 16)
      return 8
    case "Other":
      uint("Icmp6", "rest", body.rest, 32)
      return 8
    case "RouterSolicitation":
      return 8 + ndOptionsSize(body.options)
    case "RouterAdvertisement":
      uint("Icmp6", "curHopLimit", body.curHopLimit, 8)
      bool("Icmp6", "managed", body.managed)
      bool("Icmp6", "other", body.other)
      uint("Icmp6", "routerLifetime", body.routerLifetime, 16)
      uint("Icmp6", "reachableTime", body.reachableTime, 32)
      uint("Icmp6", "retransTimer", body.retransTimer, 32)
      return 16 + ndOptionsSize(body.options)
    case "NeighborSolicitation":
      ipv6("Icmp6", "target", body.target)
      return 24 + ndOptionsSize(body.options)
    case "NeighborAdvertisement":
      bool("Icmp6", "router", body.router)
      bool("Icmp6", "solicited", body.solicited)
      bool("Icmp6", "override", body.override)
      ipv6("Icmp6", "target", body.target)
      return 24 + ndOptionsSize(body.options)
    case "Redirect":
      ipv6("Icmp6", "target", body.target)
      ipv6("Icmp6", "destination", body.destination)
      return 40 + ndOptionsSize(body.options)
    default:
      return fail("Icmp6", "BadValue", "Icmp6.body must be one of the ICMPv6 bodies")
  }
}

/** Encodes a TLV's value, or returns its text encoded, for the LLDP size pass. */
const lldpValue = (tlv: Lldp.Tlv): Uint8Array | number => {
  switch (tlv._tag) {
    case "End":
      return 0
    case "ChassisId":
    case "PortId":
      uint("Lldp", `${tlv._tag}.subtype`, tlv.subtype, 8)
      return 1 + bytes("Lldp", `${tlv._tag}.id`, tlv.id, 510).length
    case "Ttl":
      uint("Lldp", "Ttl.seconds", tlv.seconds, 16)
      return 2
    case "PortDescription":
    case "SystemName":
    case "SystemDescription":
      if (typeof tlv.text !== "string") fail("Lldp", "BadValue", `${tlv._tag}.text must be a string`)
      return utf8Encode(tlv.text)
    case "SystemCapabilities":
      uint("Lldp", "capabilities", tlv.capabilities, 16)
      uint("Lldp", "enabled", tlv.enabled, 16)
      return 4
    case "ManagementAddress":
      uint("Lldp", "addressSubtype", tlv.addressSubtype, 8)
      uint("Lldp", "interfaceSubtype", tlv.interfaceSubtype, 8)
      uint("Lldp", "interfaceNumber", tlv.interfaceNumber, 32)
      if (bytes("Lldp", "address", tlv.address, 31).length === 0) {
        fail("Lldp", "BadLength", "ManagementAddress.address must not be empty")
      }
      return 1 + 1 + tlv.address.length + 1 + 4 + 1 + bytes("Lldp", "oid", tlv.oid, 128).length
    case "OrganizationallySpecific":
      uint("Lldp", "oui", tlv.oui, 24)
      uint("Lldp", "subtype", tlv.subtype, 8)
      return 4 + bytes("Lldp", "info", tlv.info, 507).length
    case "UnknownTlv":
      uint("Lldp", "UnknownTlv.type", tlv.type, 7)
      return bytes("Lldp", "UnknownTlv.value", tlv.value, 511).length
    default:
      return fail("Lldp", "BadValue", `unknown LLDP TLV ${String((tlv as { _tag: unknown })._tag)}`)
  }
}

/** Per-layer facts the write pass needs. */
interface Plan {
  readonly size: number
  /** The next-protocol value: EtherType, IP protocol, or 1/0 for MPLS bottom of stack. */
  readonly code: number
  /** Encoded LLDP text TLVs, by TLV index. */
  readonly texts: ReadonlyArray<Uint8Array | number> | undefined
  /** Index of the enclosing IP layer, for upper-layer checksums. */
  readonly ip: number
}

const plan = (layers: ReadonlyArray<AnyInput>, i: number, lastIp: number): Plan => {
  const layer = layers[i]!
  const next = layers[i + 1]
  const needCode = (name: LayerName, field: string, code: number | undefined, bits: number): number => {
    if (code === undefined) {
      return fail(name, "BadValue", `${name}.${field} is needed when ${next === undefined ? "nothing" : `a ${next._tag}`} follows`)
    }
    return uint(name, field, code, bits)
  }
  switch (layer._tag) {
    case "Ethernet": {
      mac("Ethernet", "dst", layer.dst)
      mac("Ethernet", "src", layer.src)
      const code = next?._tag === "Llc" ? 0 : needCode("Ethernet", "etherType", etherTypeFor(next, layer.etherType), 16)
      return { size: 14, code, texts: undefined, ip: -1 }
    }
    case "Vlan": {
      if (!EtherType.isVlan(uint("Vlan", "tpid", layer.tpid, 16))) {
        fail("Vlan", "BadValue", `Vlan.tpid 0x${layer.tpid.toString(16)} is not a VLAN TPID (0x8100, 0x88a8, 0x9100)`)
      }
      uint("Vlan", "pcp", layer.pcp, 3)
      bool("Vlan", "dei", layer.dei)
      uint("Vlan", "vid", layer.vid, 12)
      const code = next?._tag === "Llc" ? 0 : needCode("Vlan", "etherType", etherTypeFor(next, layer.etherType), 16)
      return { size: 4, code, texts: undefined, ip: -1 }
    }
    case "Mpls": {
      uint("Mpls", "label", layer.label, 20)
      uint("Mpls", "tc", layer.tc, 3)
      uint("Mpls", "ttl", layer.ttl, 8)
      // The bottom-of-stack bit is set exactly on the last entry of a run of labels.
      return { size: 4, code: next?._tag === "Mpls" ? 0 : 1, texts: undefined, ip: -1 }
    }
    case "Llc": {
      uint("Llc", "dsap", layer.dsap, 8)
      uint("Llc", "ssap", layer.ssap, 8)
      const control = uint("Llc", "control", layer.control, 16)
      if (control > 0xff && (control & 3) === 3) {
        fail("Llc", "BadValue", `Llc.control 0x${control.toString(16)}: a U-format control field is one byte`)
      }
      let size = (control & 3) === 3 ? 3 : 4
      let code = 0
      if (layer.snap !== undefined) {
        if (layer.dsap !== 0xaa || layer.ssap !== 0xaa || control !== 3) {
          fail("Llc", "BadValue", "an LLC header with SNAP must have DSAP and SSAP 0xaa and control 0x03")
        }
        const oui = uint("Llc", "snap.oui", layer.snap.oui, 24)
        code = oui === 0
          ? needCode("Llc", "snap.protocolId", etherTypeFor(next, layer.snap.protocolId), 16)
          : uint("Llc", "snap.protocolId", layer.snap.protocolId, 16)
        size = 8
      }
      return { size, code, texts: undefined, ip: -1 }
    }
    case "Arp":
      uint("Arp", "hardwareType", layer.hardwareType, 16)
      uint("Arp", "protocolType", layer.protocolType, 16)
      uint("Arp", "operation", layer.operation, 16)
      mac("Arp", "senderMac", layer.senderMac)
      ipv4("Arp", "senderIp", layer.senderIp)
      mac("Arp", "targetMac", layer.targetMac)
      ipv4("Arp", "targetIp", layer.targetIp)
      return { size: 28, code: 0, texts: undefined, ip: -1 }
    case "Ipv4": {
      uint("Ipv4", "dscp", layer.dscp, 6)
      uint("Ipv4", "ecn", layer.ecn, 2)
      uint("Ipv4", "identification", layer.identification, 16)
      bool("Ipv4", "dontFragment", layer.dontFragment)
      bool("Ipv4", "moreFragments", layer.moreFragments)
      uint("Ipv4", "fragmentOffset", layer.fragmentOffset, 13)
      uint("Ipv4", "ttl", layer.ttl, 8)
      ipv4("Ipv4", "src", layer.src)
      ipv4("Ipv4", "dst", layer.dst)
      const optionBytes = ipv4OptionsSize(list("Ipv4", "options", layer.options))
      if (optionBytes > 40) fail("Ipv4", "BadLength", `IPv4 options take ${optionBytes} bytes, at most 40 fit`)
      const code = needCode("Ipv4", "protocol", protocolFor(next, layer.protocol), 8)
      return { size: 20 + ((optionBytes + 3) & ~3), code, texts: undefined, ip: -1 }
    }
    case "Ipv6": {
      uint("Ipv6", "dscp", layer.dscp, 6)
      uint("Ipv6", "ecn", layer.ecn, 2)
      uint("Ipv6", "flowLabel", layer.flowLabel, 20)
      uint("Ipv6", "hopLimit", layer.hopLimit, 8)
      ipv6("Ipv6", "src", layer.src)
      ipv6("Ipv6", "dst", layer.dst)
      let size = 40
      const extensions = list<Ipv6.ExtensionInput>("Ipv6", "extensions", layer.extensions)
      for (const extension of extensions) size += extensionSize(extension)
      const last = extensions[extensions.length - 1]
      const code = needCode(
        "Ipv6",
        last === undefined ? "nextHeader" : "extensions.nextHeader",
        protocolFor(next, last === undefined ? layer.nextHeader : last.nextHeader),
        8
      )
      return { size, code, texts: undefined, ip: -1 }
    }
    case "Icmp":
      uint("Icmp", "type", layer.type, 8)
      uint("Icmp", "code", layer.code, 8)
      if (layer.checksum !== undefined) uint("Icmp", "checksum", layer.checksum, 16)
      if (layer.body?._tag === "Echo") {
        uint("Icmp", "identifier", layer.body.identifier, 16)
        uint("Icmp", "sequence", layer.body.sequence, 16)
      } else if (layer.body?._tag === "Other") {
        uint("Icmp", "rest", layer.body.rest, 32)
      } else {
        fail("Icmp", "BadValue", "Icmp.body must be an Echo or Other body")
      }
      return { size: 8, code: 0, texts: undefined, ip: lastIp }
    case "Icmp6":
      uint("Icmp6", "type", layer.type, 8)
      uint("Icmp6", "code", layer.code, 8)
      if (layer.checksum !== undefined) uint("Icmp6", "checksum", layer.checksum, 16)
      if (lastIp < 0) fail("Icmp6", "BadValue", "an Icmp6 layer needs an Ipv6 layer before it for its pseudo-header")
      return { size: icmp6BodySize(layer.body), code: 0, texts: undefined, ip: lastIp }
    case "Tcp": {
      uint("Tcp", "srcPort", layer.srcPort, 16)
      uint("Tcp", "dstPort", layer.dstPort, 16)
      uint("Tcp", "seq", layer.seq, 32)
      uint("Tcp", "ack", layer.ack, 32)
      uint("Tcp", "flags", layer.flags, 12)
      uint("Tcp", "window", layer.window, 16)
      uint("Tcp", "urgentPointer", layer.urgentPointer, 16)
      if (layer.checksum !== undefined) uint("Tcp", "checksum", layer.checksum, 16)
      const optionBytes = tcpOptionsSize(list("Tcp", "options", layer.options))
      if (optionBytes > 40) fail("Tcp", "BadLength", `TCP options take ${optionBytes} bytes, at most 40 fit`)
      if (lastIp < 0) fail("Tcp", "BadValue", "a Tcp layer needs an Ipv4 or Ipv6 layer before it")
      return { size: 20 + ((optionBytes + 3) & ~3), code: 0, texts: undefined, ip: lastIp }
    }
    case "Udp":
      uint("Udp", "srcPort", layer.srcPort, 16)
      uint("Udp", "dstPort", layer.dstPort, 16)
      if (layer.checksum !== undefined) uint("Udp", "checksum", layer.checksum, 16)
      if (layer.length !== undefined) uint("Udp", "length", layer.length, 16)
      if (lastIp < 0) fail("Udp", "BadValue", "a Udp layer needs an Ipv4 or Ipv6 layer before it")
      return { size: 8, code: 0, texts: undefined, ip: lastIp }
    case "Sctp":
      uint("Sctp", "srcPort", layer.srcPort, 16)
      uint("Sctp", "dstPort", layer.dstPort, 16)
      uint("Sctp", "verificationTag", layer.verificationTag, 32)
      if (layer.checksum !== undefined) uint("Sctp", "checksum", layer.checksum, 32)
      return { size: 12, code: 0, texts: undefined, ip: lastIp }
    case "Lldp": {
      const tlvs = list<Lldp.Tlv>("Lldp", "tlvs", layer.tlvs)
      const texts: Array<Uint8Array | number> = []
      let size = 0
      for (const tlv of tlvs) {
        const value = lldpValue(tlv)
        const length = typeof value === "number" ? value : value.length
        if (length > 511) fail("Lldp", "BadLength", `an LLDP ${tlv._tag} TLV of ${length} bytes exceeds 511`)
        texts.push(value)
        size += 2 + length
      }
      return { size, code: 0, texts, ip: -1 }
    }
    case "Payload":
      return { size: bytes("Payload", "bytes", layer.bytes, Infinity).length, code: 0, texts: undefined, ip: -1 }
    case "Padding":
      return { size: bytes("Padding", "bytes", layer.bytes, Infinity).length, code: 0, texts: undefined, ip: -1 }
    default:
      return fail("Payload", "BadValue", `unknown layer ${String((layer as { _tag: unknown })?._tag)}`)
  }
}

const writeIpv6Options = (out: Uint8Array, o: number, end: number, options: ReadonlyArray<Ipv6.Option>): void => {
  for (const option of options) {
    out[o++] = option.type
    if (option.type !== 0) {
      out[o++] = option.data.length
      out.set(option.data, o)
      o += option.data.length
    }
  }
  // RFC 8200 §4.2: fill the header to its 8-byte boundary with Pad1 or PadN.
  const gap = end - o
  if (gap === 1) out[o] = 0
  else if (gap >= 2) {
    out[o] = 1
    out[o + 1] = gap - 2
  }
}

const writeNdOptions = (out: Uint8Array, o: number, options: ReadonlyArray<Icmp6.NdOption>): void => {
  for (const option of options) {
    switch (option._tag) {
      case "SourceLinkLayerAddress":
      case "TargetLinkLayerAddress":
        out[o] = option._tag === "SourceLinkLayerAddress" ? 1 : 2
        out[o + 1] = 1
        MacAddress.write(out, o + 2, option.address)
        o += 8
        break
      case "PrefixInformation":
        out[o] = 3
        out[o + 1] = 4
        out[o + 2] = option.prefixLength
        out[o + 3] = (option.onLink ? 0x80 : 0) | (option.autonomous ? 0x40 : 0)
        put32(out, o + 4, option.validLifetime)
        put32(out, o + 8, option.preferredLifetime)
        Ipv6Address.write(out, o + 16, option.prefix)
        o += 32
        break
      case "Mtu":
        out[o] = 5
        out[o + 1] = 1
        put32(out, o + 4, option.mtu)
        o += 8
        break
      case "UnknownOption":
        out[o] = option.type
        out[o + 1] = (2 + option.data.length) / 8
        out.set(option.data, o + 2)
        o += 2 + option.data.length
        break
    }
  }
}

const writeTcpOptions = (out: Uint8Array, o: number, options: ReadonlyArray<Tcp.Option>): void => {
  for (const option of options) {
    switch (option._tag) {
      case "End":
        out[o++] = 0
        break
      case "Nop":
        out[o++] = 1
        break
      case "Mss":
        out[o] = 2
        out[o + 1] = 4
        put16(out, o + 2, option.value)
        o += 4
        break
      case "WindowScale":
        out[o] = 3
        out[o + 1] = 3
        out[o + 2] = option.shift
        o += 3
        break
      case "SackPermitted":
        out[o] = 4
        out[o + 1] = 2
        o += 2
        break
      case "Sack":
        out[o] = 5
        out[o + 1] = 2 + 8 * option.blocks.length
        o += 2
        for (const block of option.blocks) {
          put32(out, o, block.left)
          put32(out, o + 4, block.right)
          o += 8
        }
        break
      case "Timestamps":
        out[o] = 8
        out[o + 1] = 10
        put32(out, o + 2, option.value)
        put32(out, o + 6, option.echoReply)
        o += 10
        break
      case "UnknownOption":
        out[o] = option.kind
        out[o + 1] = 2 + option.data.length
        out.set(option.data, o + 2)
        o += 2 + option.data.length
        break
    }
  }
}

const writeLayer = (
  out: Uint8Array,
  layers: ReadonlyArray<AnyInput>,
  plans: ReadonlyArray<Plan>,
  i: number,
  o: number,
  dataEnd: number
): void => {
  const layer = layers[i]!
  const p = plans[i]!
  const after = dataEnd - o - p.size
  switch (layer._tag) {
    case "Ethernet":
    case "Vlan": {
      let code = p.code
      // Before LLC, or with a stored value up to 1500, the type field is an 802.3 length.
      // Values 1501..1535 are neither lengths nor EtherTypes; they are written as given.
      if (layers[i + 1]?._tag === "Llc" || code <= EtherType.MAX_LENGTH) {
        if (after > EtherType.MAX_LENGTH) {
          fail(layer._tag, "BadLength", `an 802.3 frame carries at most 1500 bytes, this one ${after}`)
        }
        code = after
      }
      if (layer._tag === "Ethernet") {
        MacAddress.write(out, o, layer.dst)
        MacAddress.write(out, o + 6, layer.src)
        put16(out, o + 12, code)
      } else {
        put16(out, o, (layer.pcp << 13) | (layer.dei ? 0x1000 : 0) | layer.vid)
        put16(out, o + 2, code)
      }
      return
    }
    case "Mpls":
      put32(out, o, ((layer.label << 12) | (layer.tc << 9) | (p.code << 8) | layer.ttl) >>> 0)
      return
    case "Llc":
      out[o] = layer.dsap
      out[o + 1] = layer.ssap
      out[o + 2] = layer.control & 0xff
      if (p.size === 4) out[o + 3] = layer.control >>> 8
      if (layer.snap !== undefined) {
        put24(out, o + 3, layer.snap.oui)
        put16(out, o + 6, p.code)
      }
      return
    case "Arp":
      put16(out, o, layer.hardwareType)
      put16(out, o + 2, layer.protocolType)
      out[o + 4] = 6
      out[o + 5] = 4
      put16(out, o + 6, layer.operation)
      MacAddress.write(out, o + 8, layer.senderMac)
      Ipv4Address.write(out, o + 14, layer.senderIp)
      MacAddress.write(out, o + 18, layer.targetMac)
      Ipv4Address.write(out, o + 24, layer.targetIp)
      return
    case "Ipv4": {
      const total = dataEnd - o
      if (total > 0xffff) fail("Ipv4", "BadLength", `an IPv4 datagram of ${total} bytes exceeds 65535`)
      out[o] = 0x40 | (p.size >>> 2)
      out[o + 1] = (layer.dscp << 2) | layer.ecn
      put16(out, o + 2, total)
      put16(out, o + 4, layer.identification)
      put16(out, o + 6, (layer.dontFragment ? 0x4000 : 0) | (layer.moreFragments ? 0x2000 : 0) | layer.fragmentOffset)
      out[o + 8] = layer.ttl
      out[o + 9] = p.code
      Ipv4Address.write(out, o + 12, layer.src)
      Ipv4Address.write(out, o + 16, layer.dst)
      let q = o + 20
      for (const option of layer.options) {
        out[q++] = option.type
        if (option.type > 1) {
          out[q++] = 2 + option.data.length
          out.set(option.data, q)
          q += option.data.length
        }
      }
      return
    }
    case "Ipv6": {
      const payloadLength = dataEnd - o - 40
      if (payloadLength > 0xffff) fail("Ipv6", "BadLength", `an IPv6 payload of ${payloadLength} bytes exceeds 65535`)
      const extensions = layer.extensions
      put32(out, o, (0x6000_0000 | (layer.dscp << 22) | (layer.ecn << 20) | layer.flowLabel) >>> 0)
      put16(out, o + 4, payloadLength)
      out[o + 6] = extensions.length > 0 ? Ipv6.extensionProtocol(extensions[0]!) : p.code
      out[o + 7] = layer.hopLimit
      Ipv6Address.write(out, o + 8, layer.src)
      Ipv6Address.write(out, o + 24, layer.dst)
      let q = o + 40
      for (let k = 0; k < extensions.length; k++) {
        const extension = extensions[k]!
        const following = extensions[k + 1]
        out[q] = following !== undefined ? Ipv6.extensionProtocol(following) : p.code
        switch (extension._tag) {
          case "Fragment":
            put16(out, q + 2, (extension.fragmentOffset << 3) | (extension.moreFragments ? 1 : 0))
            put32(out, q + 4, extension.identification)
            q += 8
            break
          case "Routing":
            out[q + 1] = (4 + extension.data.length) / 8 - 1
            out[q + 2] = extension.routingType
            out[q + 3] = extension.segmentsLeft
            out.set(extension.data, q + 4)
            q += 4 + extension.data.length
            break
          case "HopByHop":
          case "DestinationOptions": {
            const size = (2 + ipv6OptionsSize(extension.options) + 7) & ~7
            out[q + 1] = size / 8 - 1
            writeIpv6Options(out, q + 2, q + size, extension.options)
            q += size
            break
          }
        }
      }
      return
    }
    case "Icmp":
      out[o] = layer.type
      out[o + 1] = layer.code
      if (layer.body._tag === "Echo") {
        put16(out, o + 4, layer.body.identifier)
        put16(out, o + 6, layer.body.sequence)
      } else {
        put32(out, o + 4, layer.body.rest)
      }
      return
    case "Icmp6": {
      out[o] = layer.type
      out[o + 1] = layer.code
      const body = layer.body
      switch (body._tag) {
        case "Echo":
          put16(out, o + 4, body.identifier)
          put16(out, o + 6, body.sequence)
          return
        case "Other":
          put32(out, o + 4, body.rest)
          return
        case "RouterSolicitation":
          writeNdOptions(out, o + 8, body.options)
          return
        case "RouterAdvertisement":
          out[o + 4] = body.curHopLimit
          out[o + 5] = (body.managed ? 0x80 : 0) | (body.other ? 0x40 : 0)
          put16(out, o + 6, body.routerLifetime)
          put32(out, o + 8, body.reachableTime)
          put32(out, o + 12, body.retransTimer)
          writeNdOptions(out, o + 16, body.options)
          return
        case "NeighborSolicitation":
          Ipv6Address.write(out, o + 8, body.target)
          writeNdOptions(out, o + 24, body.options)
          return
        case "NeighborAdvertisement":
          out[o + 4] = (body.router ? 0x80 : 0) | (body.solicited ? 0x40 : 0) | (body.override ? 0x20 : 0)
          Ipv6Address.write(out, o + 8, body.target)
          writeNdOptions(out, o + 24, body.options)
          return
        case "Redirect":
          Ipv6Address.write(out, o + 8, body.target)
          Ipv6Address.write(out, o + 24, body.destination)
          writeNdOptions(out, o + 40, body.options)
          return
      }
      return
    }
    case "Tcp":
      put16(out, o, layer.srcPort)
      put16(out, o + 2, layer.dstPort)
      put32(out, o + 4, layer.seq)
      put32(out, o + 8, layer.ack)
      put16(out, o + 12, ((p.size >>> 2) << 12) | layer.flags)
      put16(out, o + 14, layer.window)
      put16(out, o + 18, layer.urgentPointer)
      writeTcpOptions(out, o + 20, layer.options)
      return
    case "Udp": {
      // In a fragment the length is the whole datagram's: keep the one given.
      const ip = p.ip
      const length = layer.length !== undefined && ip >= 0 && isFragmented(layers, ip) ? layer.length : dataEnd - o
      if (length > 0xffff) fail("Udp", "BadLength", `a UDP datagram of ${length} bytes exceeds 65535`)
      put16(out, o, layer.srcPort)
      put16(out, o + 2, layer.dstPort)
      put16(out, o + 4, length)
      return
    }
    case "Sctp":
      put16(out, o, layer.srcPort)
      put16(out, o + 2, layer.dstPort)
      put32(out, o + 4, layer.verificationTag)
      return
    case "Lldp": {
      let q = o
      const tlvs = layer.tlvs
      for (let k = 0; k < tlvs.length; k++) {
        const tlv = tlvs[k]!
        const value = p.texts![k]!
        const length = typeof value === "number" ? value : value.length
        const type = tlvTypes[tlv._tag] ?? (tlv._tag === "UnknownTlv" ? tlv.type : 0)
        put16(out, q, (type << 9) | length)
        q += 2
        switch (tlv._tag) {
          case "ChassisId":
          case "PortId":
            out[q] = tlv.subtype
            out.set(tlv.id, q + 1)
            break
          case "Ttl":
            put16(out, q, tlv.seconds)
            break
          case "SystemCapabilities":
            put16(out, q, tlv.capabilities)
            put16(out, q + 2, tlv.enabled)
            break
          case "ManagementAddress": {
            out[q] = 1 + tlv.address.length
            out[q + 1] = tlv.addressSubtype
            out.set(tlv.address, q + 2)
            const r = q + 2 + tlv.address.length
            out[r] = tlv.interfaceSubtype
            put32(out, r + 1, tlv.interfaceNumber)
            out[r + 5] = tlv.oid.length
            out.set(tlv.oid, r + 6)
            break
          }
          case "OrganizationallySpecific":
            put24(out, q, tlv.oui)
            out[q + 3] = tlv.subtype
            out.set(tlv.info, q + 4)
            break
          case "UnknownTlv":
            out.set(tlv.value, q)
            break
          default:
            if (typeof value !== "number") out.set(value, q)
        }
        q += length
      }
      return
    }
    case "Payload":
    case "Padding":
      out.set(layer.bytes, o)
      return
  }
}

const tlvTypes: Partial<Record<Lldp.Tlv["_tag"], number>> = {
  End: 0,
  ChassisId: 1,
  PortId: 2,
  Ttl: 3,
  PortDescription: 4,
  SystemName: 5,
  SystemDescription: 6,
  SystemCapabilities: 7,
  ManagementAddress: 8,
  OrganizationallySpecific: 127
}

/**
 * `true` when the IP layer at `ip` carries a fragment of a larger datagram: its transport
 * header's checksum (and UDP's length) then describe the whole datagram, which the
 * fragment does not hold, so they cannot be recomputed.
 */
const isFragmented = (layers: ReadonlyArray<AnyInput>, ip: number): boolean => {
  const layer = layers[ip]
  if (layer?._tag === "Ipv4") return layer.moreFragments || layer.fragmentOffset !== 0
  if (layer?._tag === "Ipv6") {
    for (const extension of layer.extensions) {
      if (extension._tag === "Fragment" && (extension.moreFragments || extension.fragmentOffset !== 0)) return true
    }
  }
  return false
}

const writeChecksum = (
  out: Uint8Array,
  layers: ReadonlyArray<AnyInput>,
  plans: ReadonlyArray<Plan>,
  offsets: ReadonlyArray<number>,
  i: number,
  dataEnd: number
): void => {
  const layer = layers[i]!
  const o = offsets[i]!
  const length = dataEnd - o
  const ip = plans[i]!.ip
  const pseudo = (protocol: number): number =>
    layers[ip]!._tag === "Ipv4"
      ? Checksum.pseudoHeaderIpv4(out, offsets[ip]!, protocol, length)
      : Checksum.pseudoHeaderIpv6(out, offsets[ip]!, protocol, length)
  if (layer._tag === "Ipv4") {
    put16(out, o + 10, Checksum.compute(out, o, plans[i]!.size))
    return
  }
  if (layer._tag !== "Icmp" && layer._tag !== "Icmp6" && layer._tag !== "Tcp" && layer._tag !== "Udp" && layer._tag !== "Sctp") {
    return
  }
  if (ip >= 0 && layer.checksum !== undefined && isFragmented(layers, ip)) {
    // The checksum covers the whole datagram: keep the one given.
    if (layer._tag === "Sctp") put32(out, o + 8, layer.checksum)
    else put16(out, o + (layer._tag === "Tcp" ? 16 : layer._tag === "Udp" ? 6 : 2), layer.checksum)
    return
  }
  switch (layer._tag) {
    case "Icmp":
      put16(out, o + 2, Checksum.compute(out, o, length))
      return
    case "Icmp6":
      put16(out, o + 2, Checksum.finish(Checksum.add(pseudo(IpProtocol.ICMPV6), out, o, length)))
      return
    case "Tcp":
      put16(out, o + 16, Checksum.finish(Checksum.add(pseudo(IpProtocol.TCP), out, o, length)))
      return
    case "Udp": {
      if (layers[ip]!._tag === "Ipv4" && layer.checksum === 0) return
      const sum = Checksum.finish(Checksum.add(pseudo(IpProtocol.UDP), out, o, length))
      // RFC 768: a computed zero is sent as all ones; zero means "no checksum".
      put16(out, o + 6, sum === 0 ? 0xffff : sum)
      return
    }
    case "Sctp":
      put32(out, o + 8, Checksum.sctp(out, o, length))
      return
  }
}

// Allocating a small typed array costs close to a microsecond in V8 (each one gets its own
// ArrayBuffer), more than building the frame. Frames of up to 4 KiB are therefore carved
// out of a shared 8 KiB slab, the way Node's Buffer pool works: a fresh slab is zeroed, and
// no region is ever handed out twice, so every frame starts zeroed. A frame keeps its slab
// alive; callers that keep many frames for long can `slice()` them.
const SLAB_SIZE = 8192
let slab = new Uint8Array(SLAB_SIZE)
let slabUsed = 0

const allocate = (size: number): Uint8Array => {
  if (size > SLAB_SIZE >>> 1) return new Uint8Array(size)
  if (slabUsed + size > SLAB_SIZE) {
    slab = new Uint8Array(SLAB_SIZE)
    slabUsed = 0
  }
  const out = slab.subarray(slabUsed, slabUsed + size)
  slabUsed = (slabUsed + size + 7) & ~7
  return out
}

/** Builds a frame; see the module comment for the rules. */
export const build = (layers: ReadonlyArray<AnyInput>): Result.Result<Uint8Array, PacketError.PacketError> => {
  if (!Array.isArray(layers)) {
    return Result.fail(PacketError.make("Payload", "BadValue", 0, "Frame.build takes an array of layers"))
  }
  const count = layers.length
  const plans: Array<Plan> = []
  const offsets: Array<number> = []
  let total = 0
  let padding = 0
  let lastIp = -1
  let i = 0
  try {
    for (; i < count; i++) {
      const layer = layers[i]
      if (layer === null || typeof layer !== "object") fail("Payload", "BadValue", `layer ${i} is not a layer`)
      if (padding > 0 && layer!._tag !== "Padding") fail("Padding", "BadValue", "Padding layers must come last")
      const p = plan(layers, i, lastIp)
      if (layer!._tag === "Ipv4" || layer!._tag === "Ipv6") lastIp = i
      if (layer!._tag === "Padding") padding += p.size
      plans.push(p)
      offsets.push(total)
      total += p.size
    }
    const dataEnd = total - padding
    const out = allocate(total)
    for (i = 0; i < count; i++) writeLayer(out, layers, plans, i, offsets[i]!, dataEnd)
    for (i = count - 1; i >= 0; i--) writeChecksum(out, layers, plans, offsets, i, dataEnd)
    return Result.succeed(out)
  } catch (e) {
    const offset = offsets[i] ?? total
    if (e instanceof BuildFailure) return Result.fail(withoutStack(() => PacketError.make(e.layer, e.reason, offset, e.message)))
    // Anything else is a bug in this file; report it as a value all the same.
    return Result.fail(withoutStack(() => PacketError.make("Payload", "BadValue", offset, `cannot build layer ${i}: ${String(e)}`)))
  }
}
