/**
 * The packet-editing actions of OpenFlow 1.3 (§7.2.5: set-field, push/pop VLAN and MPLS,
 * TTL changes) applied to real frame bytes through the packet library.
 *
 * A fake switch that only pretends to rewrite packets lets an app test pass while the
 * frames it sends out are wrong: a NAT that forgets the checksum, a VLAN push that leaves
 * the EtherType behind. So every edit here decodes the frame into layers, changes the one
 * field, and builds the frame again, which recomputes lengths and every checksum the
 * change touches. Probes without a frame (a table lookup on named fields) edit the key
 * alone.
 */
import type { Action } from "@switchyard/openflow"
import { EtherType, FlowKey, Frame, type Ipv4, type Ipv6 } from "@switchyard/packet"
import type { PacketKey, Value } from "./fields.ts"

/** The frame-carried fields set-field can write, and the layer each lives in. */
const frameFields = new Set([
  "ethDst",
  "ethSrc",
  "vlanVid",
  "vlanPcp",
  "ipDscp",
  "ipEcn",
  "ipv4Src",
  "ipv4Dst",
  "tcpSrc",
  "tcpDst",
  "udpSrc",
  "udpDst",
  "sctpSrc",
  "sctpDst",
  "icmpv4Type",
  "icmpv4Code",
  "arpOp",
  "arpSpa",
  "arpTpa",
  "arpSha",
  "arpTha",
  "ipv6Src",
  "ipv6Dst",
  "ipv6Flabel",
  "icmpv6Type",
  "icmpv6Code",
  "mplsLabel",
  "mplsTc"
])

/** Pipeline fields set-field may write; they live in the key, not in the frame. */
const pipelineFields = new Set(["tunnelId"])

/** `true` when this fake can apply a set-field of `name`. */
export const canSet = (name: string): boolean => frameFields.has(name) || pipelineFields.has(name)

type Layers = Array<Frame.Input>

const set = (layers: Layers, name: string, value: Value): Layers | undefined => {
  const n = value as number
  switch (name) {
    case "ethDst":
      return update(layers, "Ethernet", (l) => ({ ...l, dst: n }))
    case "ethSrc":
      return update(layers, "Ethernet", (l) => ({ ...l, src: n }))
    case "vlanVid":
      // The OXM value carries OFPVID_PRESENT (0x1000); the tag holds the 12-bit id.
      return update(layers, "Vlan", (l) => ({ ...l, vid: n & 0x0fff }))
    case "vlanPcp":
      return update(layers, "Vlan", (l) => ({ ...l, pcp: n }))
    case "ipDscp":
      return updateIp(layers, (l) => ({ ...l, dscp: n }))
    case "ipEcn":
      return updateIp(layers, (l) => ({ ...l, ecn: n }))
    case "ipv4Src":
      return update(layers, "Ipv4", (l) => ({ ...l, src: n }))
    case "ipv4Dst":
      return update(layers, "Ipv4", (l) => ({ ...l, dst: n }))
    case "tcpSrc":
      return update(layers, "Tcp", (l) => ({ ...l, srcPort: n }))
    case "tcpDst":
      return update(layers, "Tcp", (l) => ({ ...l, dstPort: n }))
    case "udpSrc":
      return update(layers, "Udp", (l) => ({ ...l, srcPort: n }))
    case "udpDst":
      return update(layers, "Udp", (l) => ({ ...l, dstPort: n }))
    case "sctpSrc":
      return update(layers, "Sctp", (l) => ({ ...l, srcPort: n }))
    case "sctpDst":
      return update(layers, "Sctp", (l) => ({ ...l, dstPort: n }))
    case "icmpv4Type":
      return update(layers, "Icmp", (l) => ({ ...l, type: n }))
    case "icmpv4Code":
      return update(layers, "Icmp", (l) => ({ ...l, code: n }))
    case "icmpv6Type":
      return update(layers, "Icmp6", (l) => ({ ...l, type: n }))
    case "icmpv6Code":
      return update(layers, "Icmp6", (l) => ({ ...l, code: n }))
    case "arpOp":
      return update(layers, "Arp", (l) => ({ ...l, operation: n }))
    case "arpSpa":
      return update(layers, "Arp", (l) => ({ ...l, senderIp: n }))
    case "arpTpa":
      return update(layers, "Arp", (l) => ({ ...l, targetIp: n }))
    case "arpSha":
      return update(layers, "Arp", (l) => ({ ...l, senderMac: n }))
    case "arpTha":
      return update(layers, "Arp", (l) => ({ ...l, targetMac: n }))
    case "ipv6Src":
      return update(layers, "Ipv6", (l) => ({ ...l, src: value as bigint }))
    case "ipv6Dst":
      return update(layers, "Ipv6", (l) => ({ ...l, dst: value as bigint }))
    case "ipv6Flabel":
      return update(layers, "Ipv6", (l) => ({ ...l, flowLabel: n }))
    case "mplsLabel":
      return update(layers, "Mpls", (l) => ({ ...l, label: n }))
    case "mplsTc":
      return update(layers, "Mpls", (l) => ({ ...l, tc: n }))
    default:
      return undefined
  }
}

type InputOf<T extends Frame.Input["_tag"]> = Extract<Frame.Input, { readonly _tag: T }>

/** Replaces the first layer tagged `tag`; `undefined` when the frame has none. */
const update = <T extends Frame.Input["_tag"]>(layers: Layers, tag: T, f: (layer: InputOf<T>) => InputOf<T>): Layers | undefined => {
  const i = layers.findIndex((l) => l._tag === tag)
  if (i < 0) return undefined
  const out = layers.slice()
  out[i] = f(layers[i] as InputOf<T>)
  return out
}

const updateIp = (layers: Layers, f: <L extends Ipv4.Input | Ipv6.Input>(l: L) => L): Layers | undefined =>
  update(layers, "Ipv4", f) ?? update(layers, "Ipv6", f)

/** A packet being processed: its bytes (absent for a probe) and the key matched against. */
export interface Packet {
  frame: Uint8Array | undefined
  key: PacketKey
}

/** The key of a frame plus the pipeline fields of `from`. */
export const keyOf = (
  frame: Uint8Array,
  from: { readonly inPort: number; readonly inPhyPort?: number | undefined; readonly metadata: bigint; readonly tunnelId?: bigint | undefined }
): PacketKey => {
  const key: Record<string, unknown> = { ...FlowKey.extract(Frame.decode(frame)) }
  key.inPort = from.inPort
  if (from.inPhyPort !== undefined) key.inPhyPort = from.inPhyPort
  key.metadata = from.metadata
  if (from.tunnelId !== undefined) key.tunnelId = from.tunnelId
  return key as unknown as PacketKey
}

/**
 * Rebuilds the frame from edited layers and recomputes the key; returns why it failed,
 * or `undefined`.
 */
const rebuild = (packet: Packet, layers: Layers): string | undefined => {
  const built = Frame.build(layers)
  if (built._tag === "Failure") return `the edited frame cannot be built: ${built.failure.message}`
  packet.frame = built.success
  packet.key = keyOf(built.success, packet.key)
  return undefined
}

const layersOf = (frame: Uint8Array): Layers => Frame.decode(frame).layers.slice() as Layers

/**
 * Applies one packet-editing action to `packet` in place. Returns `undefined` when done,
 * or a sentence saying why the action could not apply (the packet lacks the header it
 * edits, or the action is one this fake does not model).
 */
export const apply = (packet: Packet, action: Action.Action): string | undefined => {
  switch (action._tag) {
    case "SetField": {
      const field = action.field
      if (field.field === "opaque") return "set-field of a non-OpenFlow-basic field"
      const name = field.field
      const value = field.value as Value
      if (pipelineFields.has(name)) {
        packet.key = { ...packet.key, [name]: value }
        return undefined
      }
      if ((packet.key as unknown as Record<string, unknown>)[name] === undefined) {
        return `set-field ${name} on a packet without that field`
      }
      if (packet.frame === undefined) {
        packet.key = { ...packet.key, [name]: value }
        return undefined
      }
      const layers = set(layersOf(packet.frame), name, value)
      if (layers === undefined) return `set-field ${name} is not modelled by the fake switch`
      return rebuild(packet, layers)
    }
    case "PushVlan": {
      // §7.2.5: the new tag copies the VID and PCP of the existing outer tag, if any,
      // else they are zero.
      const outer = packet.key.vlanVid !== undefined && packet.key.vlanVid !== 0 ? packet.key.vlanVid & 0x0fff : 0
      const pcp = packet.key.vlanPcp ?? 0
      if (packet.frame === undefined) {
        packet.key = { ...packet.key, vlanVid: 0x1000 | outer, vlanPcp: pcp }
        return undefined
      }
      return rebuild(packet, Frame.pushVlan(layersOf(packet.frame), { vid: outer, pcp, tpid: action.ethertype }))
    }
    case "PopVlan": {
      if (packet.key.vlanVid === undefined || packet.key.vlanVid === 0) return "pop-vlan on an untagged packet"
      if (packet.frame === undefined) {
        const { vlanPcp: _, ...rest } = packet.key
        packet.key = { ...rest, vlanVid: 0 }
        return undefined
      }
      return rebuild(packet, Frame.popVlan(layersOf(packet.frame)))
    }
    case "PushMpls": {
      if (packet.frame === undefined) return "push-mpls on a probe without a frame"
      const ttl = ipTtl(packet.frame) ?? 64
      return rebuild(
        packet,
        Frame.pushMpls(layersOf(packet.frame), { _tag: "Mpls", label: packet.key.mplsLabel ?? 0, tc: packet.key.mplsTc ?? 0, ttl }, action.ethertype)
      )
    }
    case "PopMpls": {
      if (packet.key.mplsLabel === undefined) return "pop-mpls on a packet without MPLS"
      if (packet.frame === undefined) return "pop-mpls on a probe without a frame"
      return rebuild(packet, Frame.popMpls(layersOf(packet.frame), action.ethertype))
    }
    case "SetNwTtl":
    case "DecNwTtl": {
      if (packet.frame === undefined) return undefined
      const layers = layersOf(packet.frame)
      const edit = <L extends { readonly ttl?: number; readonly hopLimit?: number }>(l: L, ttl: number): L => ({ ...l, ...("hopLimit" in l ? { hopLimit: ttl } : { ttl }) })
      const ip = layers.find((l) => l._tag === "Ipv4" || l._tag === "Ipv6") as Ipv4.Input | Ipv6.Input | undefined
      if (ip === undefined) return `${action._tag === "SetNwTtl" ? "set" : "dec"}-nw-ttl on a packet without IP`
      const current = ip._tag === "Ipv4" ? ip.ttl ?? 64 : ip.hopLimit ?? 64
      const next = action._tag === "SetNwTtl" ? action.nwTtl : Math.max(0, current - 1)
      const out = layers.map((l) => (l === ip ? edit(l as Ipv4.Input, next) : l))
      return rebuild(packet, out)
    }
    case "SetMplsTtl":
    case "DecMplsTtl": {
      if (packet.frame === undefined) return undefined
      const layers = layersOf(packet.frame)
      const i = layers.findIndex((l) => l._tag === "Mpls")
      if (i < 0) return "an MPLS TTL action on a packet without MPLS"
      const mpls = layers[i] as Extract<Frame.Input, { readonly _tag: "Mpls" }>
      layers[i] = { ...mpls, ttl: action._tag === "SetMplsTtl" ? action.mplsTtl : Math.max(0, mpls.ttl - 1) }
      return rebuild(packet, layers)
    }
    case "CopyTtlIn":
    case "CopyTtlOut":
    case "SetQueue":
      // No queues, and TTL copies between MPLS and IP are not modelled: these leave the
      // packet as it is, which is what a switch without those features would forward.
      return undefined
    default:
      return `${action._tag} is not a packet-editing action`
  }
}

const ipTtl = (frame: Uint8Array): number | undefined => {
  const decoded = Frame.decode(frame)
  return decoded.ipv4?.ttl ?? decoded.ipv6?.hopLimit
}

/** `true` for EtherTypes that carry IP, for set-field prerequisite checks. */
export const isIpEtherType = (t: number): boolean => t === EtherType.IPV4 || t === EtherType.IPV6
