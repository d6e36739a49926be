/**
 * Ryu mappings for OpenFlow 1.0, whose JSON (`json/of10/`) is written in 1.0's own
 * vocabulary rather than 1.3's: Ryu's `ofproto_v1_0_parser` keeps the wire structures.
 *
 * Ryu names and how they relate to our version-free values:
 * - `OFPMatch` is the fixed 1.0 structure: `wildcards` and every slot (`in_port`,
 *   `dl_src`, `dl_dst`, `dl_vlan`, `dl_vlan_pcp`, `dl_type`, `nw_tos`, `nw_proto`,
 *   `nw_src`, `nw_dst`, `tp_src`, `tp_dst`), 0 for a wildcarded slot. It is rebuilt here
 *   from our OXM list, independently of the codec, by the rules of OpenFlow 1.0.0
 *   §5.2.3: `nw_*` from the IPv4 or ARP fields, `tp_*` from TCP, UDP or ICMP, the address
 *   wildcard counts from the prefix masks (32 when unmatched, or the count a decoded flow
 *   mod kept in `of10Wildcards`).
 * - Ports are 16-bit (`in_port` 65533 is our `Port.CONTROLLER`, 0xfffffffd).
 * - A FLOW_MOD has `actions`, our single apply-actions instruction; `OFPActionOutput`
 *   has no `type`/`len` keys in 1.0. Nicira actions are `NXAction*` with `vendor`
 *   (not `experimenter`) and `subtype`; the MPLS and TTL ones that only the 1.0 vectors
 *   use are decoded here.
 * - FEATURES_REPLY is `OFPSwitchFeatures` with `actions` and `ports`, an object keyed by
 *   port number of `OFPPhyPort`s whose feature bitmaps are in 1.0's bit positions.
 * - PACKET_IN has `in_port` where 1.3 has a match.
 */
import type { Action, Match, Message, Port } from "@switchyard/openflow"
import { base64, ipv4, mac, wrap, type Json, type RyuObject } from "./common.ts"
import { nicira } from "./nicira.ts"

type Of<T extends Message.Tag> = Message.Of<T>

/** A 32-bit port as 1.0 numbers it (the inverse of the codec's folding, written out). */
const port10 = (port: number): number => (port < 0xff00 ? port : port - 0xffff_0000)

/** Feature bits back in 1.0's positions: COPPER..PAUSE_ASYM at 7-11 instead of 11-15. */
const features10 = (bits: number): number => (bits & 0x7f) | (((bits >>> 11) & 0x1f) << 7) | (((bits >>> 16) & 0xffff) << 12)

/** The number of low bits a prefix mask leaves wildcarded. */
const wildBits = (mask: number | undefined): number => {
  if (mask === undefined) return 0
  let n = 0
  while (n < 32 && ((mask >>> n) & 1) === 0) n++
  return n
}

/** `OFPMatch` of 1.0 from our match, by the spec's rules (see the module comment). */
export const match10 = (m: Match.Match, hint?: number): RyuObject => {
  const slot: Record<string, Json> = {
    in_port: 0,
    dl_src: mac(0),
    dl_dst: mac(0),
    dl_vlan: 0,
    dl_vlan_pcp: 0,
    dl_type: 0,
    nw_tos: 0,
    nw_proto: 0,
    nw_src: ipv4(0),
    nw_dst: ipv4(0),
    tp_src: 0,
    tp_dst: 0
  }
  // OFPFW_IN_PORT=1, DL_VLAN=2, DL_SRC=4, DL_DST=8, DL_TYPE=16, NW_PROTO=32, TP_SRC=64,
  // TP_DST=128, DL_VLAN_PCP=1<<20, NW_TOS=1<<21; the address counts at bits 8 and 14.
  let wildcards = 0xff | (1 << 20) | (1 << 21)
  const hintSrc = hint === undefined ? 32 : (hint >>> 8) & 0x3f
  const hintDst = hint === undefined ? 32 : (hint >>> 14) & 0x3f
  let src = hintSrc >= 32 ? hintSrc : 32
  let dst = hintDst >= 32 ? hintDst : 32
  for (const f of m) {
    if (f.field === "opaque") throw new Error("ryu of10 mapping: an opaque OXM field in a 1.0 match")
    const value = f.value as number
    switch (f.field) {
      case "inPort":
        slot["in_port"] = port10(value)
        wildcards &= ~1
        break
      case "ethSrc":
        slot["dl_src"] = mac(value)
        wildcards &= ~4
        break
      case "ethDst":
        slot["dl_dst"] = mac(value)
        wildcards &= ~8
        break
      case "ethType":
        slot["dl_type"] = value
        wildcards &= ~16
        break
      case "vlanVid":
        if (f.mask === undefined) {
          slot["dl_vlan"] = value === 0 ? 0xffff : value & 0xfff
          wildcards &= ~2
        }
        break
      case "vlanPcp":
        slot["dl_vlan_pcp"] = value
        wildcards &= ~(1 << 20)
        break
      case "ipDscp":
        slot["nw_tos"] = value << 2
        wildcards &= ~(1 << 21)
        break
      case "ipProto":
      case "arpOp":
        slot["nw_proto"] = value
        wildcards &= ~32
        break
      case "ipv4Src":
      case "arpSpa":
        slot["nw_src"] = ipv4(value)
        src = wildBits(f.mask as number | undefined)
        break
      case "ipv4Dst":
      case "arpTpa":
        slot["nw_dst"] = ipv4(value)
        dst = wildBits(f.mask as number | undefined)
        break
      case "tcpSrc":
      case "udpSrc":
      case "icmpv4Type":
        slot["tp_src"] = value
        wildcards &= ~64
        break
      case "tcpDst":
      case "udpDst":
      case "icmpv4Code":
        slot["tp_dst"] = value
        wildcards &= ~128
        break
      default:
        throw new Error(`ryu of10 mapping: ${f.field} has no 1.0 slot`)
    }
  }
  wildcards |= (src << 8) | (dst << 14) | ((hint ?? 0) & ~((1 << 22) - 1))
  return wrap("OFPMatch", { ...slot, wildcards: wildcards >>> 0 })
}

/** Nicira actions that only the 1.0 vectors use, in Ryu's 1.0 spelling. */
const nicira10 = (data: Uint8Array): RyuObject => {
  const subtype = (data[0]! << 8) | data[1]!
  const u16 = (at: number) => (data[at]! << 8) | data[at + 1]!
  const body = (name: string, fields: { readonly [k: string]: Json } = {}) => wrap(name, { ...fields, subtype, vendor: 0x2320 })
  switch (subtype) {
    case 18:
      return body("NXActionDecTtl")
    case 23:
      return body("NXActionPushMpls", { ethertype: u16(2) })
    case 24:
      return body("NXActionPopMpls", { ethertype: u16(2) })
    case 25:
      return body("NXActionSetMplsTtl", { ttl: data[2]! })
    case 26:
      return body("NXActionDecMplsTtl")
    case 30:
      return body("NXActionSetMplsLabel", { label: u16(4) * 0x1_0000 + u16(6) })
    case 31:
      return body("NXActionSetMplsTc", { tc: data[2]! })
    default: {
      // The 1.3 mapping's view with 1.0's key names.
      const [name, fields] = Object.entries(nicira(data))[0]!
      const { experimenter, type: _type, ...rest } = fields as Record<string, Json>
      return wrap(name, { ...rest, vendor: experimenter ?? 0x2320 })
    }
  }
}

/** One 1.0 action as Ryu shows it; ENQUEUE appears as our SetQueue + Output pair. */
const actions10 = (list: ReadonlyArray<Action.Action>): Array<RyuObject> => {
  const out: Array<RyuObject> = []
  for (let i = 0; i < list.length; i++) {
    const a = list[i]!
    switch (a._tag) {
      case "Output":
        out.push(wrap("OFPActionOutput", { max_len: a.maxLen, port: port10(a.port) }))
        break
      case "SetQueue": {
        const next = list[++i] as Action.Output
        out.push(wrap("OFPActionEnqueue", { port: port10(next.port), queue_id: a.queueId }))
        break
      }
      case "PopVlan":
        out.push(wrap("OFPActionStripVlan", {}))
        break
      case "ExperimenterAction":
        out.push(a.experimenter === 0x2320 ? nicira10(a.data) : wrap("OFPActionVendor", { vendor: a.experimenter, data: base64(a.data) }))
        break
      case "SetField": {
        const f = a.field
        if (f.field === "opaque") throw new Error("ryu of10 mapping: opaque set-field")
        const v = f.value as number
        const named: Record<string, RyuObject> = {
          vlanVid: wrap("OFPActionVlanVid", { vlan_vid: v & 0xfff }),
          vlanPcp: wrap("OFPActionVlanPcp", { vlan_pcp: v }),
          ethSrc: wrap("OFPActionSetDlSrc", { dl_addr: mac(v) }),
          ethDst: wrap("OFPActionSetDlDst", { dl_addr: mac(v) }),
          ipv4Src: wrap("OFPActionSetNwSrc", { nw_addr: ipv4(v) }),
          ipv4Dst: wrap("OFPActionSetNwDst", { nw_addr: ipv4(v) }),
          ipDscp: wrap("OFPActionSetNwTos", { tos: v << 2 })
        }
        const mapped = named[f.field] ??
          (f.field.endsWith("Src") ? wrap("OFPActionSetTpSrc", { tp: v }) : wrap("OFPActionSetTpDst", { tp: v }))
        out.push(mapped)
        break
      }
      default:
        throw new Error(`ryu of10 mapping: ${a._tag} is not a 1.0 action`)
    }
  }
  return out
}

const phyPort = (p: Port.Port): RyuObject =>
  wrap("OFPPhyPort", {
    port_no: port10(p.portNo),
    hw_addr: mac(p.hwAddr),
    name: p.name,
    config: p.config,
    state: p.state,
    curr: features10(p.curr),
    advertised: features10(p.advertised),
    supported: features10(p.supported),
    peer: features10(p.peer)
  })

const flowActions = (instructions: Of<"FlowMod">["instructions"]): Array<RyuObject> =>
  instructions.length === 0 ? [] : actions10((instructions[0] as Extract<typeof instructions[number], { _tag: "ApplyActions" }>).actions)

/** The kinds of the 1.0 vectors (and PORT_STATUS, which shares the port structure). */
export const of10: { readonly [T in Message.Tag]?: (m: Of<T>) => RyuObject } = {
  FeaturesRequest: () => wrap("OFPFeaturesRequest", {}),
  FeaturesReply: (m: Of<"FeaturesReply">) =>
    wrap("OFPSwitchFeatures", {
      datapath_id: m.datapathId,
      n_buffers: m.nBuffers,
      n_tables: m.nTables,
      capabilities: m.capabilities,
      actions: m.actions ?? null,
      ports: Object.fromEntries((m.ports ?? []).map((p) => [String(port10(p.portNo)), phyPort(p)]))
    }),
  PortStatus: (m: Of<"PortStatus">) => wrap("OFPPortStatus", { reason: m.reason, desc: phyPort(m.desc) }),
  PacketIn: (m: Of<"PacketIn">) =>
    wrap("OFPPacketIn", {
      buffer_id: m.bufferId,
      total_len: m.totalLen,
      in_port: port10((m.match[0] as Match.BasicField<"inPort">).value),
      reason: m.reason,
      data: base64(m.data)
    }),
  PacketOut: (m: Of<"PacketOut">) =>
    wrap("OFPPacketOut", { buffer_id: m.bufferId, in_port: port10(m.inPort), actions: actions10(m.actions), data: base64(m.data) }),
  FlowMod: (m: Of<"FlowMod">) =>
    wrap("OFPFlowMod", {
      match: match10(m.match, m.of10Wildcards),
      cookie: m.cookie,
      command: m.command,
      idle_timeout: m.idleTimeout,
      hard_timeout: m.hardTimeout,
      priority: m.priority,
      buffer_id: m.bufferId,
      out_port: port10(m.outPort),
      flags: m.flags,
      actions: flowActions(m.instructions)
    })
}
