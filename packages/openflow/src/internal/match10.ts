/**
 * OpenFlow 1.0's `ofp_match` (OpenFlow 1.0.0 §5.2.3), converted to and from the OXM list
 * that {@link Match} models, in the way Open vSwitch's `ofputil_match_from_ofp10_match`
 * and `ofputil_match_to_ofp10_match` do.
 *
 * The 1.0 match is a fixed 40-byte structure: a wildcard bitmap, then one slot per field
 * whether it is matched or not. What makes the conversion awkward is that the slots mean
 * different things depending on other slots: `nw_src` is the IPv4 source when `dl_type`
 * is 0x0800 and the ARP sender address when it is 0x0806, `nw_proto` is the IP protocol
 * or the low byte of the ARP opcode, `tp_src` is a TCP or UDP port or the ICMP type
 * depending on `nw_proto`. Fields whose protocol is not matched are ignored by the switch
 * (§5.2.3: "fields that are ignored don't need to be wildcarded"), the IPv4 addresses are
 * wildcarded by a count of low bits rather than a mask (any count from 32 to 63 meaning
 * "all of them"), and the VLAN is one id slot with 0xffff for "no tag".
 *
 * Decoding therefore interprets the structure as a 1.0 switch does and yields only the
 * fields that take part in matching, in canonical OXM order, so that the result says
 * exactly which packets the flow matches: ignored slots, wildcarded slots' values and
 * the bits the spec says are ignored (the ECN bits of `nw_tos`, address bits under the
 * wildcard count) are not part of it. Encoding accepts exactly the OXM matches that 1.0
 * can express and refuses the others with the OFPBMC_* error that names the problem
 * (1.0 has no BAD_MATCH error type: such an error sent to a 1.0 peer falls back to
 * OFPBRC_EPERM, see `OpenFlowError.toWire`), so a flow can never silently match more or
 * fewer packets on a 1.0 switch than its match says.
 */
import type { BasicField, Match, OxmField } from "../Match.ts"
import * as OFE from "../OpenFlowError.ts"
import type { ErrorName, OpenFlowError } from "../OpenFlowError.ts"
import { fromOf10, toOf10 } from "../Port.ts"
import { validateMatch } from "./match.ts"
import type { Reader } from "./reader.ts"
import type { Writer } from "./writer.ts"

/** Size of `ofp_match` in OpenFlow 1.0. */
export const MATCH10_SIZE = 40

/** `OFPFW_*`: wildcard bits of the 1.0 match. */
export const OFPFW = {
  IN_PORT: 1 << 0,
  DL_VLAN: 1 << 1,
  DL_SRC: 1 << 2,
  DL_DST: 1 << 3,
  DL_TYPE: 1 << 4,
  NW_PROTO: 1 << 5,
  TP_SRC: 1 << 6,
  TP_DST: 1 << 7,
  NW_SRC_SHIFT: 8,
  NW_SRC_MASK: 0x3f << 8,
  NW_DST_SHIFT: 14,
  NW_DST_MASK: 0x3f << 14,
  DL_VLAN_PCP: 1 << 20,
  NW_TOS: 1 << 21,
  ALL: (1 << 22) - 1
} as const

/** `OFP_VLAN_NONE`: the `dl_vlan` value that matches packets without a VLAN tag. */
const VLAN_NONE = 0xffff
const VID_PRESENT = 0x1000
const MAC_ALL = 0xffff_ffff_ffff

const ETH_IPV4 = 0x0800
const ETH_ARP = 0x0806
const IPPROTO_ICMP = 1
const IPPROTO_TCP = 6
const IPPROTO_UDP = 17

/** The prefix mask that leaves `count` low bits wildcarded (count 1..31). */
const prefixMask = (count: number): number => (0xffff_ffff << count) >>> 0

const bad = (name: ErrorName, message: string): OpenFlowError => OFE.make(name, message)

/**
 * What the last {@link decodeMatch10} saw in the wildcard word beyond the match itself:
 * the bits that carry no meaning and differ from what encoding writes (an unmatched
 * address's count of 33 to 63 in its place, bits 22-31), 0 when there are none. A
 * FLOW_MOD keeps a non-zero value as `of10Wildcards` to re-encode byte for byte (see
 * {@link encodeMatch10}'s `hint`). Only these bits are kept, never the raw word, so that
 * decoding the re-encoded message gives the same value again.
 */
export const lastDecoded = { spare: 0 }

const field = (name: BasicField["field"], value: number, mask?: number): OxmField =>
  ({ field: name, value, mask }) as OxmField

/** Appends the IPv4-address field for a 1.0 address slot and its wildcard count. */
const pushAddress = (out: Array<OxmField>, name: "ipv4Src" | "ipv4Dst" | "arpSpa" | "arpTpa", value: number, count: number): void => {
  if (count >= 32) return
  if (count === 0) out.push(field(name, value))
  else {
    const mask = prefixMask(count)
    out.push(field(name, (value & mask) >>> 0, mask))
  }
}

/**
 * Decodes the 40-byte `ofp_match` at `r.pos` (the caller has checked that it is there)
 * into an OXM list in canonical order. Never fails: every 40-byte structure is a valid
 * 1.0 match; see the module comment for what is left out.
 */
export const decodeMatch10 = (r: Reader): Match => {
  const wildcards = r.u32()
  const inPort = r.u16()
  const dlSrc = r.u48()
  const dlDst = r.u48()
  const dlVlan = r.u16()
  const dlVlanPcp = r.u8()
  r.skip(1)
  const dlType = r.u16()
  const nwTos = r.u8()
  const nwProto = r.u8()
  r.skip(2)
  const nwSrc = r.u32()
  const nwDst = r.u32()
  const tpSrc = r.u16()
  const tpDst = r.u16()

  const srcCount = (wildcards >>> OFPFW.NW_SRC_SHIFT) & 0x3f
  const dstCount = (wildcards >>> OFPFW.NW_DST_SHIFT) & 0x3f
  lastDecoded.spare = ((srcCount > 32 ? srcCount << OFPFW.NW_SRC_SHIFT : 0) | (dstCount > 32 ? dstCount << OFPFW.NW_DST_SHIFT : 0) |
    (wildcards & ~OFPFW.ALL)) >>> 0

  const out: Array<OxmField> = []
  if ((wildcards & OFPFW.IN_PORT) === 0) out.push(field("inPort", fromOf10(inPort)))
  if ((wildcards & OFPFW.DL_DST) === 0) out.push(field("ethDst", dlDst))
  if ((wildcards & OFPFW.DL_SRC) === 0) out.push(field("ethSrc", dlSrc))
  const typeExact = (wildcards & OFPFW.DL_TYPE) === 0
  if (typeExact) out.push(field("ethType", dlType))
  const pcpExact = (wildcards & OFPFW.DL_VLAN_PCP) === 0
  if ((wildcards & OFPFW.DL_VLAN) === 0) {
    if (dlVlan === VLAN_NONE) {
      // Untagged packets only; a PCP next to it matches nothing more, and Open vSwitch
      // (followed here) reads the pair as "no tag".
      out.push(field("vlanVid", 0))
    } else {
      // The id is 12 bits: Open vSwitch ignores the others, and so does this codec.
      out.push(field("vlanVid", VID_PRESENT | (dlVlan & 0xfff)))
      if (pcpExact) out.push(field("vlanPcp", dlVlanPcp & 7))
    }
  } else if (pcpExact) {
    // A PCP without an id matches tagged packets with that priority, whatever the id.
    out.push(field("vlanVid", VID_PRESENT, VID_PRESENT))
    out.push(field("vlanPcp", dlVlanPcp & 7))
  }
  if (!typeExact) return out
  const protoExact = (wildcards & OFPFW.NW_PROTO) === 0
  if (dlType === ETH_IPV4) {
    // nw_tos holds the DSCP in its upper six bits; the ECN bits are not matched.
    if ((wildcards & OFPFW.NW_TOS) === 0) out.push(field("ipDscp", nwTos >>> 2))
    if (protoExact) out.push(field("ipProto", nwProto))
    pushAddress(out, "ipv4Src", nwSrc, srcCount)
    pushAddress(out, "ipv4Dst", nwDst, dstCount)
    if (!protoExact) return out
    const srcExact = (wildcards & OFPFW.TP_SRC) === 0
    const dstExact = (wildcards & OFPFW.TP_DST) === 0
    if (nwProto === IPPROTO_TCP || nwProto === IPPROTO_UDP) {
      const tcp = nwProto === IPPROTO_TCP
      if (srcExact) out.push(field(tcp ? "tcpSrc" : "udpSrc", tpSrc))
      if (dstExact) out.push(field(tcp ? "tcpDst" : "udpDst", tpDst))
    } else if (nwProto === IPPROTO_ICMP) {
      // The ICMP type and code travel in the transport port slots, 8 bits each.
      if (srcExact) out.push(field("icmpv4Type", tpSrc & 0xff))
      if (dstExact) out.push(field("icmpv4Code", tpDst & 0xff))
    }
  } else if (dlType === ETH_ARP) {
    if (protoExact) out.push(field("arpOp", nwProto))
    pushAddress(out, "arpSpa", nwSrc, srcCount)
    pushAddress(out, "arpTpa", nwDst, dstCount)
  }
  return out
}

/**
 * The wildcard count (0..32) for an IPv4 field with optional mask, or -1 when the mask is
 * not a prefix (1.0 can only wildcard low bits).
 */
const countOf = (mask: unknown): number => {
  if (mask === undefined) return 0
  const m = (mask as number) >>> 0
  if (m === 0) return 32
  const inverted = ~m >>> 0
  if ((inverted & (inverted + 1)) !== 0) return -1
  return 31 - Math.clz32(inverted) + 1
}

/** `true` for a mask that matches every bit of a `bits`-bit value (or no mask). */
const isExact = (mask: unknown, all: number): boolean => mask === undefined || mask === all

/**
 * The 1.0 slot that each OXM field shares with others (0 nw_proto, 1 nw_src, 2 nw_dst,
 * 3 tp_src, 4 tp_dst), for the "two fields, one slot" check.
 */
const slotOf: { readonly [name: string]: number } = {
  ipProto: 0,
  arpOp: 0,
  ipv4Src: 1,
  arpSpa: 1,
  ipv4Dst: 2,
  arpTpa: 2,
  tcpSrc: 3,
  udpSrc: 3,
  icmpv4Type: 3,
  tcpDst: 4,
  udpDst: 4,
  icmpv4Code: 4
}

const SLOT_NAMES = ["nw_proto", "nw_src", "nw_dst", "tp_src", "tp_dst"]

/** Which field filled each shared slot in the match being encoded (reset per call). */
const filled: Array<string | undefined> = [undefined, undefined, undefined, undefined, undefined]

/**
 * Encodes `match` as a 40-byte 1.0 `ofp_match`.
 *
 * `strict` is what a switch checks on a flow mod: the OXM rules (prerequisites in wire
 * order, duplicates, masks, values), as for any version. Without it (matches a switch
 * reports, or the writer's lenient mode) only the order-free rules are checked. In both
 * modes the match must then be one 1.0 expresses exactly: only its fields (in_port,
 * Ethernet addresses and type, VLAN id and priority, IPv4 DSCP, protocol and addresses,
 * ARP opcode and addresses, TCP and UDP ports, ICMP type and code), each under the
 * EtherType and protocol 1.0 reads it with (1.0 ignores `nw_*` for IPv6 and has no
 * SCTP), masks only as 1.0 has them (none on MAC addresses and transport ports, a prefix
 * on IPv4 addresses), and a VLAN match that is "no tag", one id, or a priority.
 *
 * `hint` holds the meaningless wildcard bits a decoded FLOW_MOD kept (see
 * {@link lastDecoded}): only places that cannot change what the match means are taken
 * from it (the count of an IPv4 address the match leaves unmatched, when the hint's
 * count is 32 to 63, and the unused bits 22-31). Without a hint an unmatched address is
 * written with 32, as Open vSwitch writes it.
 */
export const encodeMatch10 = (w: Writer, match: Match, strict: boolean, hint?: number): OpenFlowError | undefined => {
  strict = strict && !w.lenient
  const invalid = validateMatch(match, strict, 4)
  if (invalid !== undefined) return invalid

  let wildcards = OFPFW.ALL & ~(OFPFW.NW_SRC_MASK | OFPFW.NW_DST_MASK)
  let inPort = 0
  let dlSrc = 0
  let dlDst = 0
  let dlVlan = 0
  let dlVlanPcp = 0
  let dlType = -1
  let nwTos = 0
  let nwProto = -1
  let nwSrc = 0
  let nwDst = 0
  let srcCount = -1
  let dstCount = -1
  let tpSrc = 0
  let tpDst = 0
  let anyVlan = false
  let hasPcp = false
  // Fields that need an IPv4 or ARP EtherType in 1.0, checked once the EtherType is known.
  let needs: number = 0
  let needer = ""
  filled.fill(undefined)

  for (let i = 0; i < match.length; i++) {
    const f = match[i]!
    if (f.field === "opaque") {
      return bad("OFPBMC_BAD_FIELD", `OXM class 0x${f.oxmClass.toString(16)} field ${f.oxmField} has no OpenFlow 1.0 counterpart`)
    }
    const slot = slotOf[f.field]
    if (slot !== undefined) {
      const other = filled[slot]
      if (other !== undefined) {
        return bad("OFPBMC_BAD_FIELD", `${other} and ${f.field} would both be OpenFlow 1.0's ${SLOT_NAMES[slot]}`)
      }
      filled[slot] = f.field
    }
    const value = f.value as number
    const mask = f.mask as number | undefined
    switch (f.field) {
      case "inPort": {
        const port = toOf10(value)
        if (port === undefined) {
          return bad("OFPBMC_BAD_VALUE", `in_port 0x${Number(value).toString(16)} has no OpenFlow 1.0 number`)
        }
        inPort = port
        wildcards &= ~OFPFW.IN_PORT
        break
      }
      case "ethDst":
      case "ethSrc": {
        if (mask === 0) break
        if (!isExact(mask, MAC_ALL)) {
          return bad("OFPBMC_BAD_DL_ADDR_MASK", `OpenFlow 1.0 cannot mask ${f.field === "ethDst" ? "eth_dst" : "eth_src"}`)
        }
        if (f.field === "ethDst") {
          dlDst = value
          wildcards &= ~OFPFW.DL_DST
        } else {
          dlSrc = value
          wildcards &= ~OFPFW.DL_SRC
        }
        break
      }
      case "ethType":
        dlType = value
        wildcards &= ~OFPFW.DL_TYPE
        break
      case "vlanVid": {
        if (mask === 0) break
        if (mask === VID_PRESENT && value === VID_PRESENT) {
          anyVlan = true
          break
        }
        if (!isExact(mask, 0x1fff)) {
          return bad("OFPBMC_BAD_MASK", `OpenFlow 1.0 matches vlan_vid exactly, as "no tag", or as "tagged with a given PCP"; not with mask 0x${Number(mask).toString(16)}`)
        }
        if (value === 0) dlVlan = VLAN_NONE
        else if ((value & VID_PRESENT) === 0) {
          return bad("OFPBMC_BAD_VALUE", `vlan_vid 0x${Number(value).toString(16)} has neither OFPVID_PRESENT (0x1000) nor the value OFPVID_NONE (0)`)
        } else dlVlan = value & 0xfff
        wildcards &= ~OFPFW.DL_VLAN
        break
      }
      case "vlanPcp":
        dlVlanPcp = value
        hasPcp = true
        wildcards &= ~OFPFW.DL_VLAN_PCP
        break
      case "ipDscp":
        nwTos = value << 2
        wildcards &= ~OFPFW.NW_TOS
        needs |= 1
        needer ||= "ip_dscp"
        break
      case "ipProto":
        nwProto = value
        wildcards &= ~OFPFW.NW_PROTO
        needs |= 1
        needer ||= "ip_proto"
        break
      case "arpOp":
        if (value > 0xff) return bad("OFPBMC_BAD_VALUE", `OpenFlow 1.0 matches only the low 8 bits of arp_op, not 0x${value.toString(16)}`)
        nwProto = value
        wildcards &= ~OFPFW.NW_PROTO
        needs |= 2
        needer ||= "arp_op"
        break
      case "ipv4Src":
      case "ipv4Dst":
      case "arpSpa":
      case "arpTpa": {
        const count = countOf(mask)
        if (count < 0) {
          return bad("OFPBMC_BAD_NW_ADDR_MASK", `OpenFlow 1.0 masks ${f.field} only by a prefix, not 0x${Number(mask).toString(16)}`)
        }
        const isSrc = f.field === "ipv4Src" || f.field === "arpSpa"
        if (isSrc) {
          nwSrc = value
          srcCount = count
        } else {
          nwDst = value
          dstCount = count
        }
        const arp = f.field === "arpSpa" || f.field === "arpTpa"
        needs |= arp ? 2 : 1
        needer ||= f.field
        break
      }
      case "tcpSrc":
      case "tcpDst":
      case "udpSrc":
      case "udpDst":
      case "icmpv4Type":
      case "icmpv4Code": {
        if (mask === 0) break
        if (!isExact(mask, 0xffff)) return bad("OFPBMC_BAD_MASK", `OpenFlow 1.0 cannot mask ${f.field}`)
        if (f.field === "tcpSrc" || f.field === "udpSrc" || f.field === "icmpv4Type") {
          tpSrc = value
          wildcards &= ~OFPFW.TP_SRC
        } else {
          tpDst = value
          wildcards &= ~OFPFW.TP_DST
        }
        needs |= 1
        needer ||= f.field
        break
      }
      default:
        return bad("OFPBMC_BAD_FIELD", `${f.field} has no OpenFlow 1.0 counterpart (1.0 matches in_port, Ethernet, VLAN, IPv4, ARP, TCP, UDP and ICMP fields)`)
    }
  }

  // What follows holds in both modes: it is not the OXM prerequisite check (done above
  // in strict mode) but whether 1.0 reads the slots at all. A slot 1.0 would ignore
  // means the flow matches more than the match says, so it is refused, as are the
  // combinations 1.0 reads differently.
  if (anyVlan && !hasPcp) {
    return bad("OFPBMC_BAD_WILDCARDS", "OpenFlow 1.0 cannot match every VLAN-tagged packet whatever its id (only with a vlan_pcp)")
  }
  if (hasPcp && !anyVlan && (dlVlan === VLAN_NONE || (wildcards & OFPFW.DL_VLAN) !== 0)) {
    return bad("OFPBMC_BAD_PREREQ", "vlan_pcp requires vlan_vid with OFPVID_PRESENT (0x1000) set")
  }
  if (needs !== 0) {
    // The OXM prerequisites allow IPv6 (and RARP) where 1.0 reads these slots only for
    // IPv4 and ARP; such a flow would match every IPv6 packet on a 1.0 switch.
    const wanted = (needs & 1) !== 0 ? ETH_IPV4 : ETH_ARP
    if (dlType !== wanted) {
      return bad(
        dlType < 0 ? "OFPBMC_BAD_PREREQ" : "OFPBMC_BAD_FIELD",
        `OpenFlow 1.0 matches ${needer} only with eth_type 0x${wanted.toString(16).padStart(4, "0")}${
          dlType < 0 ? "" : `, not 0x${dlType.toString(16).padStart(4, "0")}`
        }`
      )
    }
  }
  const transport = filled[3] ?? filled[4]
  if (transport !== undefined) {
    const proto = transport.startsWith("tcp") ? IPPROTO_TCP : transport.startsWith("udp") ? IPPROTO_UDP : IPPROTO_ICMP
    if (nwProto !== proto) return bad("OFPBMC_BAD_PREREQ", `${transport} requires ip_proto=${proto}`)
  }

  const spare = hint === undefined ? 0 : hint >>> 0
  const hintSrc = (spare >>> OFPFW.NW_SRC_SHIFT) & 0x3f
  const hintDst = (spare >>> OFPFW.NW_DST_SHIFT) & 0x3f
  if (srcCount < 0) srcCount = hintSrc >= 32 ? hintSrc : 32
  if (dstCount < 0) dstCount = hintDst >= 32 ? hintDst : 32
  wildcards |= (srcCount << OFPFW.NW_SRC_SHIFT) | (dstCount << OFPFW.NW_DST_SHIFT) | (spare & ~OFPFW.ALL)

  w.u32(wildcards >>> 0)
  w.u16(inPort)
  w.u48(dlSrc)
  w.u48(dlDst)
  w.u16(dlVlan)
  w.u8(dlVlanPcp)
  w.zeros(1)
  w.u16(dlType < 0 ? 0 : dlType)
  w.u8(nwTos)
  w.u8(nwProto < 0 ? 0 : nwProto)
  w.zeros(2)
  w.u32(srcCount >= 32 ? 0 : nwSrc)
  w.u32(dstCount >= 32 ? 0 : nwDst)
  w.u16(tpSrc)
  w.u16(tpDst)
  return undefined
}

/**
 * The IP protocol a 1.0 flow's match fixes (for reading 1.0's protocol-agnostic
 * SET_TP_SRC/DST actions), or -1 when it fixes none.
 */
export const ipProtoOf = (match: Match): number => {
  for (let i = 0; i < match.length; i++) {
    const f = match[i]!
    if (f.field === "ipProto") return f.value as number
  }
  return -1
}
