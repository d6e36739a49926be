/**
 * Ryu's view of Nicira (Open vSwitch) experimenter actions, decoded here in the test.
 *
 * The codec keeps experimenter actions opaque: `ExperimenterAction { experimenter:
 * 0x2320, data }`, where `data` starts at the 16-bit Nicira subtype. Ryu decodes them
 * into `NXAction*` classes. To compare with Ryu's JSON field by field, this file reads
 * the payload of the subtypes that occur in the vectors, with the layouts of Open
 * vSwitch's `lib/ofp-actions.c`, and spells the fields as Ryu does (including Ryu's
 * quirks: the stack actions' `n_bits` is called `end`; absent NAT ranges are `""` for
 * addresses and `null` for ports). An unknown subtype fails the test, naming it.
 */
import { Match } from "@switchyard/openflow"
import { Ipv4Address, Ipv6Address } from "@switchyard/packet"
import { decodeActions } from "../../src/internal/action.ts"
import { Reader } from "../../src/internal/reader.ts"
import { wrap, type Json, type RyuObject } from "./common.ts"
import { action } from "./flow.ts"

class Bytes {
  pos = 0
  constructor(readonly b: Uint8Array) {}
  u8(): number {
    return this.b[this.pos++]!
  }
  u16(): number {
    return (this.u8() << 8) | this.u8()
  }
  u32(): number {
    return this.u16() * 0x1_0000 + this.u16()
  }
  u64(): number | bigint {
    const v = (BigInt(this.u32()) << 32n) | BigInt(this.u32())
    return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v
  }
  skip(n: number): void {
    this.pos += n
  }
  take(n: number): Uint8Array {
    const out = this.b.subarray(this.pos, this.pos + n)
    this.pos += n
    return out
  }
  get left(): number {
    return this.b.length - this.pos
  }
}

const NXM0: Record<number, string> = { 0: "in_port_nxm", 1: "eth_dst_nxm", 2: "eth_src_nxm", 3: "eth_type_nxm", 4: "vlan_tci" }
const NXM1: Record<number, string> = {
  16: "tunnel_id_nxm",
  31: "tun_ipv4_src",
  32: "tun_ipv4_dst",
  33: "pkt_mark",
  37: "conj_id",
  105: "ct_state",
  106: "ct_zone",
  107: "ct_mark"
}
for (let i = 0; i < 16; i++) NXM1[i] = `reg${i}`
const basicByNumber = new Map(Match.fields.map((row) => [row.number, row.oxmName]))

/** Ryu's name of the field an NXM/OXM header names (as used by reg_load, learn, ...). */
const fieldName = (header: number): string => {
  const oxmClass = Math.floor(header / 0x1_0000)
  const field = (header >>> 9) & 0x7f
  const name = oxmClass === 0x8000 ? basicByNumber.get(field) : oxmClass === 0 ? NXM0[field] : oxmClass === 1 ? NXM1[field] : undefined
  if (name === undefined) throw new Error(`nicira mapping: no Ryu name for NXM header 0x${header.toString(16)}`)
  return name
}

const nx = (className: string, subtype: number, body: { readonly [k: string]: Json }): RyuObject =>
  wrap(className, { type: 0xffff, experimenter: 0x2320, subtype, ...body })

/** One learn flow spec (OVS `struct nx_flow_mod_spec`), or `undefined` at the zero terminator. */
const learnSpec = (r: Bytes): RyuObject | undefined => {
  const header = r.u16()
  if (header === 0) return undefined
  const immediate = (header & 0x2000) !== 0
  const dstType = (header >>> 11) & 3
  const nBits = header & 0x7ff
  const src: Json = immediate ? Number(bigValue(r.take(Math.ceil(nBits / 16) * 2))) : [fieldName(r.u32()), r.u16()]
  if (dstType === 2) return wrap("NXFlowSpecOutput", { src, dst: "", n_bits: nBits })
  const dst: Json = [fieldName(r.u32()), r.u16()]
  return wrap(dstType === 0 ? "NXFlowSpecMatch" : "NXFlowSpecLoad", { src, dst, n_bits: nBits })
}

const bigValue = (b: Uint8Array): bigint => b.reduce((v, x) => (v << 8n) | BigInt(x), 0n)

/** Controller2 properties (`NXAC2PT_*`): TLVs padded to 8, u16 values followed by 2 pad bytes. */
const controller2 = (r: Bytes): { [k: string]: Json } => {
  const out: { [k: string]: Json } = { max_len: 0xffff, controller_id: 0, reason: 1, userdata: null, pause: false }
  while (r.left >= 4) {
    const type = r.u16()
    const len = r.u16()
    const value = r.take(len - 4)
    r.skip(((len + 7) & ~7) - len)
    if (type === 0) out["max_len"] = (value[0]! << 8) | value[1]!
    else if (type === 1) out["controller_id"] = (value[0]! << 8) | value[1]!
    else if (type === 2) out["reason"] = value[0]!
    else if (type === 3) out["userdata"] = Array.from(value)
    else if (type === 4) out["pause"] = true
    else throw new Error(`nicira mapping: unknown controller2 property ${type}`)
  }
  return out
}

/** `NXActionNAT`: flags, then the ranges `range_present` announces, in a fixed order. */
const nat = (r: Bytes): { [k: string]: Json } => {
  r.skip(2)
  const flags = r.u16()
  const present = r.u16()
  const ipv4 = (bit: number) => (present & bit ? Ipv4Address.format(r.u32()) : "")
  const ipv6 = (bit: number) => (present & bit ? Ipv6Address.format(bigValue(r.take(16))) : "")
  const proto = (bit: number) => (present & bit ? r.u16() : null)
  const range_ipv4_min = ipv4(1)
  const range_ipv4_max = ipv4(2)
  const range_ipv6_min = ipv6(4)
  const range_ipv6_max = ipv6(8)
  const range_proto_min = proto(16)
  const range_proto_max = proto(32)
  return { flags, range_ipv4_min, range_ipv4_max, range_ipv6_min, range_ipv6_max, range_proto_min, range_proto_max }
}

/**
 * Ryu's `NXAction*` for the `data` of a Nicira experimenter action (starting at the
 * subtype).
 */
export const nicira = (data: Uint8Array): RyuObject => {
  const r = new Bytes(data)
  const subtype = r.u16()
  switch (subtype) {
    case 6: {
      const n_bits = r.u16()
      const src_ofs = r.u16()
      const dst_ofs = r.u16()
      const src_field = fieldName(r.u32())
      const dst_field = fieldName(r.u32())
      return nx("NXActionRegMove", subtype, { n_bits, src_ofs, dst_ofs, src_field, dst_field })
    }
    case 7: {
      const ofs_nbits = r.u16()
      const dst = fieldName(r.u32())
      return nx("NXActionRegLoad", subtype, { ofs_nbits, dst, value: r.u64() })
    }
    case 8:
      return nx("NXActionNote", subtype, { note: Array.from(r.take(r.left)) })
    case 16: {
      const idle_timeout = r.u16()
      const hard_timeout = r.u16()
      const priority = r.u16()
      const cookie = r.u64()
      const flags = r.u16()
      const table_id = r.u8()
      r.skip(1)
      const fin_idle_timeout = r.u16()
      const fin_hard_timeout = r.u16()
      const specs: Array<RyuObject> = []
      while (r.left >= 2) {
        const spec = learnSpec(r)
        if (spec === undefined) break
        specs.push(spec)
      }
      return nx("NXActionLearn", subtype, {
        idle_timeout,
        hard_timeout,
        priority,
        cookie,
        flags,
        table_id,
        fin_idle_timeout,
        fin_hard_timeout,
        specs
      })
    }
    case 19: {
      const fin_idle_timeout = r.u16()
      return nx("NXActionFinTimeout", subtype, { fin_idle_timeout, fin_hard_timeout: r.u16() })
    }
    case 20: {
      const max_len = r.u16()
      const controller_id = r.u16()
      return nx("NXActionController", subtype, { max_len, controller_id, reason: r.u8() })
    }
    case 27:
    case 28: {
      const start = r.u16()
      const field = fieldName(r.u32())
      return nx(subtype === 27 ? "NXActionStackPush" : "NXActionStackPop", subtype, { start, field, end: r.u16() })
    }
    case 29:
    case 38: {
      const probability = r.u16()
      const collector_set_id = r.u32()
      const obs_domain_id = r.u32()
      const obs_point_id = r.u32()
      if (subtype === 29) return nx("NXActionSample", subtype, { probability, collector_set_id, obs_domain_id, obs_point_id })
      return nx("NXActionSample2", subtype, { probability, collector_set_id, obs_domain_id, obs_point_id, sampling_port: r.u16() })
    }
    case 34: {
      const clause = r.u8()
      const n_clauses = r.u8()
      return nx("NXActionConjunction", subtype, { clause, n_clauses, id: r.u32() })
    }
    case 35: {
      const flags = r.u16()
      const zoneHeader = r.u32()
      const zone_ofs_nbits = r.u16()
      const recirc_table = r.u8()
      r.skip(3)
      const alg = r.u16()
      // The nested actions are ordinary OpenFlow actions: decode them with the codec.
      const nested = r.take(r.left)
      const actions = decodeActions(new Reader(nested, 0, nested.length, 4), nested.length)
      if (!Array.isArray(actions)) throw new Error(`nicira mapping: ct actions do not decode: ${String(actions)}`)
      return nx("NXActionCT", subtype, {
        flags,
        zone_src: zoneHeader === 0 ? "" : fieldName(zoneHeader),
        zone_ofs_nbits,
        recirc_table,
        alg,
        actions: actions.map(action)
      })
    }
    case 36:
      return nx("NXActionNAT", subtype, nat(r))
    case 37:
      r.skip(6)
      return nx("NXActionController2", subtype, controller2(r))
    case 39: {
      const port = r.u16()
      return nx("NXActionOutputTrunc", subtype, { port, max_len: r.u32() })
    }
    case 43:
      return nx("NXActionCTClear", subtype, {})
    default:
      throw new Error(`nicira mapping: no Ryu mapping for Nicira subtype ${subtype}`)
  }
}
