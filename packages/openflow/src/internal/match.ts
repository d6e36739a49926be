/**
 * Wire codec for OXM matches (OpenFlow 1.3 §7.2.3): `ofp_match`, single OXM TLVs and
 * OXM ids, driven by one table of fields.
 *
 * Every OpenFlow-basic field is one row of {@link fieldRows}: its number, width, value
 * kind, whether it may be masked or written by set-field, its prerequisite and the first
 * version that has it. Decode, encode, validation and the public Schemas are all derived
 * from that table, in the way Open vSwitch derives its `mf_field` and `nxm_field` tables
 * from `meta-flow.h`. Fields of other classes (Nicira's NXM_0/NXM_1 registers, packet
 * marks, tunnel fields; experimenter class 0xffff) are kept opaque, byte for byte.
 *
 * Validation follows Open vSwitch's `nx_pull_raw`: per entry, the length, then the mask,
 * the value bits outside the mask, the value range, then (strict mode only) the
 * prerequisites of §7.2.3.8 checked against the fields seen so far, then duplicates.
 * Prerequisites are order-dependent, as in Open vSwitch and the spec ("the prerequisite
 * must appear before the field that needs it"): the canonical order that `Match.make`
 * produces (field number order) always satisfies it.
 */
import type { BasicField, FieldName, Match, OpaqueOxm, OxmField, OxmId } from "../Match.ts"
import * as OFE from "../OpenFlowError.ts"
import type { ErrorName, OpenFlowError } from "../OpenFlowError.ts"
import type { Reader } from "./reader.ts"
import type { Writer } from "./writer.ts"

/**
 * How a field's value looks on the wire and in the model: unsigned integers of 1-4 bytes
 * and IPv4 addresses are numbers, MAC addresses are 48-bit numbers, 64-bit fields and
 * IPv6 addresses are bigints.
 */
export type ValueKind = "u8" | "u16" | "u24" | "u32" | "ipv4" | "mac" | "u64" | "ipv6"

/**
 * The prerequisite of a field (OpenFlow 1.3 §7.2.3.8, Table 12), named after Open
 * vSwitch's `enum mf_prereqs`:
 *
 * - `inPort`: IN_PORT present (for IN_PHY_PORT)
 * - `vlan`: VLAN_VID present with OFPVID_PRESENT set (for VLAN_PCP)
 * - `ip`: ETH_TYPE 0x0800 or 0x86dd; `ipv4`: 0x0800; `ipv6`: 0x86dd
 * - `arp`: ETH_TYPE 0x0806 (or RARP 0x8035, as Open vSwitch accepts)
 * - `tcp`/`udp`/`sctp`: IP_PROTO 6/17/132
 * - `icmpv4`: ETH_TYPE 0x0800 and IP_PROTO 1; `icmpv6`: ETH_TYPE 0x86dd and IP_PROTO 58
 * - `nd`: ICMPV6_TYPE 135 or 136; `ndSll`: 135; `ndTll`: 136 (and ICMPV6_CODE, if
 *   matched, 0, as Open vSwitch's `is_nd` requires)
 * - `mpls`: ETH_TYPE 0x8847 or 0x8848; `pbb`: ETH_TYPE 0x88e7
 */
export type Prerequisite =
  | "none"
  | "inPort"
  | "vlan"
  | "ip"
  | "ipv4"
  | "ipv6"
  | "arp"
  | "tcp"
  | "udp"
  | "sctp"
  | "icmpv4"
  | "icmpv6"
  | "nd"
  | "ndSll"
  | "ndTll"
  | "mpls"
  | "pbb"

/** One OpenFlow-basic OXM field. */
export interface FieldRow {
  /** The model's name (`ethDst`). */
  readonly name: string
  /** The spec's name without the `OXM_OF_` prefix, lower case, as Open vSwitch and Ryu print it (`eth_dst`). */
  readonly oxmName: string
  /** `oxm_field` in class OFPXMC_OPENFLOW_BASIC (0x8000). */
  readonly number: number
  readonly kind: ValueKind
  /** Significant bits of the value; a value with higher bits set is OFPBMC_BAD_VALUE. */
  readonly bits: number
  /**
   * `true` when the field may carry a mask: the spec's maskable fields plus the ones
   * Open vSwitch also accepts masked (TCP/UDP/SCTP ports, IPv6 ND fields, TCP flags).
   */
  readonly maskable: boolean
  /** `false` for fields a set-field action may not write (Open vSwitch's `writable`). */
  readonly writable: boolean
  readonly prerequisite: Prerequisite
  /** First wire version with this field (3 = OpenFlow 1.2, where OXM began). */
  readonly since: number
}

const f = <const N extends string, const K extends ValueKind, const M extends boolean>(
  name: N,
  oxmName: string,
  number: number,
  kind: K,
  bits: number,
  maskable: M,
  writable: boolean,
  prerequisite: Prerequisite,
  since: number
) => ({ name, oxmName, number, kind, bits, maskable, writable, prerequisite, since })

/**
 * Every OpenFlow-basic field through OpenFlow 1.5, in field-number order. Field 40 is
 * unassigned in every version.
 */
export const fieldRows = [
  f("inPort", "in_port", 0, "u32", 32, false, false, "none", 3),
  f("inPhyPort", "in_phy_port", 1, "u32", 32, false, false, "inPort", 3),
  f("metadata", "metadata", 2, "u64", 64, true, true, "none", 3),
  f("ethDst", "eth_dst", 3, "mac", 48, true, true, "none", 3),
  f("ethSrc", "eth_src", 4, "mac", 48, true, true, "none", 3),
  f("ethType", "eth_type", 5, "u16", 16, false, false, "none", 3),
  f("vlanVid", "vlan_vid", 6, "u16", 13, true, true, "none", 3),
  f("vlanPcp", "vlan_pcp", 7, "u8", 3, false, true, "vlan", 3),
  f("ipDscp", "ip_dscp", 8, "u8", 6, false, true, "ip", 3),
  f("ipEcn", "ip_ecn", 9, "u8", 2, false, true, "ip", 3),
  f("ipProto", "ip_proto", 10, "u8", 8, false, false, "ip", 3),
  f("ipv4Src", "ipv4_src", 11, "ipv4", 32, true, true, "ipv4", 3),
  f("ipv4Dst", "ipv4_dst", 12, "ipv4", 32, true, true, "ipv4", 3),
  f("tcpSrc", "tcp_src", 13, "u16", 16, true, true, "tcp", 3),
  f("tcpDst", "tcp_dst", 14, "u16", 16, true, true, "tcp", 3),
  f("udpSrc", "udp_src", 15, "u16", 16, true, true, "udp", 3),
  f("udpDst", "udp_dst", 16, "u16", 16, true, true, "udp", 3),
  f("sctpSrc", "sctp_src", 17, "u16", 16, true, true, "sctp", 3),
  f("sctpDst", "sctp_dst", 18, "u16", 16, true, true, "sctp", 3),
  f("icmpv4Type", "icmpv4_type", 19, "u8", 8, false, true, "icmpv4", 3),
  f("icmpv4Code", "icmpv4_code", 20, "u8", 8, false, true, "icmpv4", 3),
  f("arpOp", "arp_op", 21, "u16", 16, false, true, "arp", 3),
  f("arpSpa", "arp_spa", 22, "ipv4", 32, true, true, "arp", 3),
  f("arpTpa", "arp_tpa", 23, "ipv4", 32, true, true, "arp", 3),
  f("arpSha", "arp_sha", 24, "mac", 48, true, true, "arp", 3),
  f("arpTha", "arp_tha", 25, "mac", 48, true, true, "arp", 3),
  f("ipv6Src", "ipv6_src", 26, "ipv6", 128, true, true, "ipv6", 3),
  f("ipv6Dst", "ipv6_dst", 27, "ipv6", 128, true, true, "ipv6", 3),
  f("ipv6Flabel", "ipv6_flabel", 28, "u32", 20, true, true, "ipv6", 3),
  f("icmpv6Type", "icmpv6_type", 29, "u8", 8, false, true, "icmpv6", 3),
  f("icmpv6Code", "icmpv6_code", 30, "u8", 8, false, true, "icmpv6", 3),
  f("ipv6NdTarget", "ipv6_nd_target", 31, "ipv6", 128, true, true, "nd", 3),
  f("ipv6NdSll", "ipv6_nd_sll", 32, "mac", 48, true, true, "ndSll", 3),
  f("ipv6NdTll", "ipv6_nd_tll", 33, "mac", 48, true, true, "ndTll", 3),
  f("mplsLabel", "mpls_label", 34, "u32", 20, false, true, "mpls", 3),
  f("mplsTc", "mpls_tc", 35, "u8", 3, false, true, "mpls", 3),
  f("mplsBos", "mpls_bos", 36, "u8", 1, false, false, "mpls", 4),
  f("pbbIsid", "pbb_isid", 37, "u24", 24, true, true, "pbb", 4),
  f("tunnelId", "tunnel_id", 38, "u64", 64, true, true, "none", 4),
  f("ipv6Exthdr", "ipv6_exthdr", 39, "u16", 9, true, false, "ipv6", 4),
  f("pbbUca", "pbb_uca", 41, "u8", 1, false, true, "pbb", 5),
  f("tcpFlags", "tcp_flags", 42, "u16", 12, true, false, "tcp", 6),
  f("actsetOutput", "actset_output", 43, "u32", 32, false, false, "none", 6),
  f("packetType", "packet_type", 44, "u32", 32, false, false, "none", 6)
] as const satisfies ReadonlyArray<FieldRow>

/** The OXM class of OpenFlow-basic fields. */
export const OFPXMC_OPENFLOW_BASIC = 0x8000
/** The OXM class of experimenter fields: the payload starts with a 32-bit experimenter id. */
export const OFPXMC_EXPERIMENTER = 0xffff
/** Nicira's original NXM classes, which Open vSwitch still uses for its extension fields. */
export const OFPXMC_NXM_0 = 0x0000
export const OFPXMC_NXM_1 = 0x0001
/** OpenFlow 1.5's packet-register class. */
export const OFPXMC_PACKET_REGS = 0x8001

const BYTES: Record<ValueKind, number> = { u8: 1, u16: 2, u24: 3, u32: 4, ipv4: 4, mac: 6, u64: 8, ipv6: 16 }

// Kind codes for the switches in the hot loops (a small integer compares faster than a
// string and keeps the switch a jump table).
const K_U8 = 0
const K_U16 = 1
const K_U24 = 2
const K_U32 = 3
const K_MAC = 4
const K_U64 = 5
const K_IPV6 = 6

const KIND_CODE: Record<ValueKind, number> = { u8: K_U8, u16: K_U16, u24: K_U24, u32: K_U32, ipv4: K_U32, mac: K_MAC, u64: K_U64, ipv6: K_IPV6 }

const PREREQ_CODE: Record<Prerequisite, number> = {
  none: 0,
  inPort: 1,
  vlan: 2,
  ip: 3,
  ipv4: 4,
  ipv6: 5,
  arp: 6,
  tcp: 7,
  udp: 8,
  sctp: 9,
  icmpv4: 10,
  icmpv6: 11,
  nd: 12,
  ndSll: 13,
  ndTll: 14,
  mpls: 15,
  pbb: 16
}

const PREREQ_TEXT: Record<Prerequisite, string> = {
  none: "",
  inPort: "in_port",
  vlan: "vlan_vid with OFPVID_PRESENT (0x1000) set",
  ip: "eth_type=0x0800 or eth_type=0x86dd",
  ipv4: "eth_type=0x0800",
  ipv6: "eth_type=0x86dd",
  arp: "eth_type=0x0806",
  tcp: "ip_proto=6",
  udp: "ip_proto=17",
  sctp: "ip_proto=132",
  icmpv4: "eth_type=0x0800 and ip_proto=1",
  icmpv6: "eth_type=0x86dd and ip_proto=58",
  nd: "icmpv6_type=135 or icmpv6_type=136 (with icmpv6_code 0 if matched)",
  ndSll: "icmpv6_type=135 (with icmpv6_code 0 if matched)",
  ndTll: "icmpv6_type=136 (with icmpv6_code 0 if matched)",
  mpls: "eth_type=0x8847 or eth_type=0x8848",
  pbb: "eth_type=0x88e7"
}

/** A field row with what the loops need precomputed. */
export interface Compiled extends FieldRow {
  readonly bytes: number
  readonly kindCode: number
  readonly prereqCode: number
  /** Largest valid value for number kinds (2^bits - 1). */
  readonly max: number
}

const compiled: ReadonlyArray<Compiled> = fieldRows.map((row) => ({
  ...row,
  bytes: BYTES[row.kind],
  kindCode: KIND_CODE[row.kind],
  prereqCode: PREREQ_CODE[row.prerequisite],
  max: row.bits >= 53 ? Number.MAX_SAFE_INTEGER : 2 ** row.bits - 1
}))

/** Rows by field number (sparse: 40 and anything past 44 are undefined). */
export const rowByNumber: ReadonlyArray<Compiled | undefined> = (() => {
  const out: Array<Compiled | undefined> = new Array(128).fill(undefined)
  for (const row of compiled) out[row.number] = row
  return out
})()

/** Rows by model name. */
export const rowByName: ReadonlyMap<string, Compiled> = new Map(compiled.map((row) => [row.name, row]))

/** `true` for the classes kept opaque in every mode. */
const isKnownOpaqueClass = (oxmClass: number, version: number): boolean =>
  oxmClass === OFPXMC_NXM_0 || oxmClass === OFPXMC_NXM_1 || oxmClass === OFPXMC_EXPERIMENTER ||
  (oxmClass === OFPXMC_PACKET_REGS && version >= 6)

const hex = (n: number, digits: number) => `0x${n.toString(16).padStart(digits, "0")}`

const describeHeader = (oxmClass: number, field: number): string => {
  if (oxmClass === OFPXMC_OPENFLOW_BASIC) {
    const row = rowByNumber[field]
    return row !== undefined ? row.oxmName : `OXM field ${field}`
  }
  return `OXM class ${hex(oxmClass, 4)} field ${field}`
}

const TWO_32 = 0x1_0000_0000

/**
 * What the prerequisite and duplicate checks remember about the fields seen so far in
 * one match. A fresh state per match; the checks never allocate.
 */
class State {
  seenLo = 0
  seenHi = 0
  /** ETH_TYPE when matched exactly, -1 when absent or masked. */
  ethType = -1
  ipProto = -1
  icmpv6Type = -1
  icmpv6Code = -1
  vlanPresent = false

  reset(): void {
    this.seenLo = 0
    this.seenHi = 0
    this.ethType = -1
    this.ipProto = -1
    this.icmpv6Type = -1
    this.icmpv6Code = -1
    this.vlanPresent = false
  }

  seen(number: number): boolean {
    return number < 32 ? (this.seenLo & (1 << number)) !== 0 : (this.seenHi & (1 << (number - 32))) !== 0
  }

  prereqOk(code: number): boolean {
    switch (code) {
      case 0:
        return true
      case 1:
        return this.seen(0)
      case 2:
        return this.vlanPresent
      case 3:
        return this.ethType === 0x0800 || this.ethType === 0x86dd
      case 4:
        return this.ethType === 0x0800
      case 5:
        return this.ethType === 0x86dd
      case 6:
        return this.ethType === 0x0806 || this.ethType === 0x8035
      case 7:
        return this.ipProto === 6
      case 8:
        return this.ipProto === 17
      case 9:
        return this.ipProto === 132
      case 10:
        return this.ethType === 0x0800 && this.ipProto === 1
      case 11:
        return this.ethType === 0x86dd && this.ipProto === 58
      case 12:
        return (this.icmpv6Type === 135 || this.icmpv6Type === 136) && this.icmpv6Code <= 0
      case 13:
        return this.icmpv6Type === 135 && this.icmpv6Code <= 0
      case 14:
        return this.icmpv6Type === 136 && this.icmpv6Code <= 0
      case 15:
        return this.ethType === 0x8847 || this.ethType === 0x8848
      default:
        return this.ethType === 0x88e7
    }
  }

  /**
   * Admits one basic field: checks its prerequisite (strict only) and that it is not a
   * duplicate, then records it. `value`/`mask` are numbers for the fields whose value
   * later prerequisites read (all of them at most 16 bits).
   */
  admit(row: Compiled, value: unknown, mask: unknown, strict: boolean): OpenFlowError | undefined {
    if (strict && !this.prereqOk(row.prereqCode)) {
      return OFE.make("OFPBMC_BAD_PREREQ", `${row.oxmName} requires ${PREREQ_TEXT[row.prerequisite]} earlier in the match`)
    }
    const n = row.number
    if (this.seen(n)) return OFE.make("OFPBMC_DUP_FIELD", `${row.oxmName} appears more than once in the match`)
    if (n < 32) this.seenLo |= 1 << n
    else this.seenHi |= 1 << (n - 32)
    switch (n) {
      case 5:
        this.ethType = mask === undefined ? (value as number) : -1
        break
      case 6:
        this.vlanPresent = ((value as number) & 0x1000) !== 0 && (mask === undefined || ((mask as number) & 0x1000) !== 0)
        break
      case 10:
        this.ipProto = value as number
        break
      case 29:
        this.icmpv6Type = value as number
        break
      case 30:
        this.icmpv6Code = value as number
        break
    }
    return undefined
  }
}

const decodeState = new State()
const encodeState = new State()

const bad = (name: ErrorName, message: string): OpenFlowError => OFE.make(name, message)

const readU128 = (b: Uint8Array, p: number): bigint => {
  let hi = 0n
  let lo = 0n
  for (let i = 0; i < 8; i++) hi = (hi << 8n) | BigInt(b[p + i]!)
  for (let i = 8; i < 16; i++) lo = (lo << 8n) | BigInt(b[p + i]!)
  return (hi << 64n) | lo
}

const readU64 = (b: Uint8Array, p: number): bigint => {
  const hi = ((b[p]! << 24) >>> 0) + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!)
  const lo = ((b[p + 4]! << 24) >>> 0) + ((b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!)
  if (hi === 0) return lo === 0 ? 0n : BigInt(lo)
  return hi < 0x20_0000 ? BigInt(hi * TWO_32 + lo) : (BigInt(hi) << 32n) | BigInt(lo)
}

const readMac = (b: Uint8Array, p: number): number =>
  ((b[p]! << 8) | b[p + 1]!) * TWO_32 + ((b[p + 2]! << 24) >>> 0) + ((b[p + 3]! << 16) | (b[p + 4]! << 8) | b[p + 5]!)

/**
 * Reads the value (or mask) of `row` at byte `p`: a number for widths up to 48 bits, a
 * bigint for 64 and 128.
 */
const readValue = (b: Uint8Array, p: number, kindCode: number): number | bigint => {
  switch (kindCode) {
    case K_U8:
      return b[p]!
    case K_U16:
      return (b[p]! << 8) | b[p + 1]!
    case K_U24:
      return (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!
    case K_U32:
      return ((b[p]! << 24) >>> 0) + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!)
    case K_MAC:
      return readMac(b, p)
    case K_U64:
      return readU64(b, p)
    default:
      return readU128(b, p)
  }
}

/** `true` when `value` has a 1-bit where `mask` has a 0-bit (OFPBMC_BAD_WILDCARDS). */
const outsideMask = (kindCode: number, value: number | bigint, mask: number | bigint): boolean => {
  if (kindCode === K_U64 || kindCode === K_IPV6) return ((value as bigint) & ~(mask as bigint)) !== 0n
  if (kindCode === K_MAC) {
    const v = value as number
    const m = mask as number
    return ((Math.floor(v / TWO_32) & ~Math.floor(m / TWO_32)) & 0xffff) !== 0 || ((v >>> 0) & ~(m >>> 0)) !== 0
  }
  return ((value as number) & ~(mask as number)) !== 0
}

/** The row of the basic field {@link decodeEntry} returned last, saving the match loop a lookup. */
let lastRow: Compiled | undefined = undefined

/**
 * Decodes one OXM TLV at `r.pos`, which must lie before `end`. Checks the entry alone
 * (length, mask, value bits outside the mask, value range), not prerequisites or
 * duplicates. `strict` rejects unknown fields with OFPBMC_BAD_FIELD; otherwise they are
 * kept opaque. On success the reader is past the entry.
 */
const decodeEntry = (r: Reader, end: number, strict: boolean): OxmField | OpenFlowError => {
  const b = r.bytes
  const p = r.pos
  if (end - p < 4) return bad("OFPBMC_BAD_LEN", `OXM header truncated: ${end - p} bytes left in the match, 4 needed`)
  const oxmClass = (b[p]! << 8) | b[p + 1]!
  const fieldByte = b[p + 2]!
  const length = b[p + 3]!
  const number = fieldByte >>> 1
  const hasMask = (fieldByte & 1) === 1
  if (end - p - 4 < length) {
    return bad(
      "OFPBMC_BAD_LEN",
      `${describeHeader(oxmClass, number)} has a ${length}-byte payload but only ${end - p - 4} bytes remain in the match`
    )
  }
  if (oxmClass === OFPXMC_OPENFLOW_BASIC) {
    const row = rowByNumber[number]
    // Loose mode also accepts fields of later versions: a switch's report is taken as sent.
    if (row !== undefined && (row.since <= r.version || !strict)) {
      const expected = hasMask ? row.bytes * 2 : row.bytes
      if (length !== expected) {
        return bad(
          "OFPBMC_BAD_LEN",
          `${row.oxmName}${hasMask ? " (masked)" : ""} has length ${length}, expected ${expected}`
        )
      }
      if (hasMask && !row.maskable) return bad("OFPBMC_BAD_MASK", `${row.oxmName} cannot be masked`)
      const value = readValue(b, p + 4, row.kindCode)
      let mask: number | bigint | undefined = undefined
      if (hasMask) {
        mask = readValue(b, p + 4 + row.bytes, row.kindCode)
        if (outsideMask(row.kindCode, value, mask)) {
          return bad("OFPBMC_BAD_WILDCARDS", `${row.oxmName} value has 1-bits where its mask has 0-bits`)
        }
      }
      if (row.kindCode <= K_U32 && (value as number) > row.max) {
        return bad("OFPBMC_BAD_VALUE", `${row.oxmName} value ${hex(value as number, 1)} exceeds its ${row.bits} bits`)
      }
      r.pos = p + 4 + length
      lastRow = row
      return { field: row.name as FieldName, value, mask } as OxmField
    }
    if (strict) {
      return bad(
        "OFPBMC_BAD_FIELD",
        row !== undefined
          ? `${row.oxmName} is not defined in this OpenFlow version`
          : `unknown OpenFlow-basic OXM field ${number}`
      )
    }
  } else if (oxmClass === OFPXMC_EXPERIMENTER) {
    if (length < 4) return bad("OFPBMC_BAD_LEN", `experimenter OXM of length ${length} has no room for its experimenter id`)
  } else if (strict && !isKnownOpaqueClass(oxmClass, r.version)) {
    return bad("OFPBMC_BAD_FIELD", `unknown OXM class ${hex(oxmClass, 4)}`)
  }
  r.pos = p + 4
  const payload = r.bytesView(length)
  return { field: "opaque", oxmClass, oxmField: number, hasMask, payload }
}

/**
 * Decodes an `ofp_match` (header, OXM TLVs, padding to 8) at `r.pos`.
 *
 * `strict` is Open vSwitch's `oxm_pull_match`: for matches a controller sends (flow
 * mods, flow-stats requests), unknown fields and missing prerequisites are errors.
 * Non-strict is `oxm_pull_match_loose`: for matches a switch reports (PACKET_IN,
 * FLOW_REMOVED, stats replies), prerequisites are not checked and unknown basic fields
 * are kept opaque instead of rejected. Both modes check lengths, masks, values and
 * duplicates. On success the reader is past the padding.
 */
export const decodeMatch = (r: Reader, strict: boolean): Match | OpenFlowError => {
  strict = strict && !r.lenient
  if (!r.has(4)) return bad("OFPBMC_BAD_LEN", `match header truncated: ${r.remaining()} bytes left, 4 needed`)
  const type = r.u16()
  const length = r.u16()
  if (length < 4) return bad("OFPBMC_BAD_LEN", `match length ${length} is shorter than its 4-byte header`)
  if (type !== 1) return bad("OFPBMC_BAD_TYPE", `match type ${type} is not OFPMT_OXM (1)`)
  const padded = (length + 7) & ~7
  if (!r.has(padded - 4)) {
    return bad(
      "OFPBMC_BAD_LEN",
      `match length ${length} (${padded} with padding) exceeds the ${r.remaining() + 4} bytes left in the message`
    )
  }
  const end = r.pos + length - 4
  const fields: Array<OxmField> = []
  const state = decodeState
  state.reset()
  while (r.pos < end) {
    const field = decodeEntry(r, end, strict)
    if (OFE.isOpenFlowError(field)) return field
    if (field.field !== "opaque") {
      const error = state.admit(lastRow!, field.value, field.mask, strict)
      if (error !== undefined) return error
    }
    fields.push(field)
  }
  r.pos = end + (padded - length)
  return fields
}

/**
 * Decodes a single OXM TLV (as in a set-field action) that must end by `end`. Checks the
 * entry alone: unknown basic fields are OFPBMC_BAD_FIELD, other classes stay opaque.
 */
export const decodeOxm = (r: Reader, end: number): OxmField | OpenFlowError => decodeEntry(r, end, true)

/**
 * Decodes an OXM id: a bare OXM header (8 bytes for experimenter class, whose id follows),
 * as in table-features OXM properties. The length field is kept as sent: some switches
 * send 0 there. Never fails for an unknown field; fails with OFPBMC_BAD_LEN when the
 * header does not fit before `end`.
 */
export const decodeOxmId = (r: Reader, end: number): OxmId | OpenFlowError => {
  if (end - r.pos < 4) return bad("OFPBMC_BAD_LEN", `OXM id truncated: ${end - r.pos} bytes left, 4 needed`)
  const oxmClass = r.u16()
  const fieldByte = r.u8()
  const length = r.u8()
  const number = fieldByte >>> 1
  const hasMask = (fieldByte & 1) === 1
  if (oxmClass === OFPXMC_OPENFLOW_BASIC) {
    const row = rowByNumber[number]
    if (row !== undefined) return { field: row.name as FieldName, hasMask, length }
  }
  let experimenter: number | undefined = undefined
  if (oxmClass === OFPXMC_EXPERIMENTER) {
    if (end - r.pos < 4) return bad("OFPBMC_BAD_LEN", `experimenter OXM id truncated before its experimenter id`)
    experimenter = r.u32()
  }
  return { field: "opaque", oxmClass, oxmField: number, hasMask, length, experimenter }
}

/** Encodes an OXM id (see {@link decodeOxmId}). */
export const encodeOxmId = (w: Writer, id: OxmId): OpenFlowError | undefined => {
  if (id.field === "opaque") {
    if ((id.oxmClass === OFPXMC_EXPERIMENTER) !== (id.experimenter !== undefined)) {
      return bad("OFPBMC_BAD_LEN", "an OXM id has an experimenter id exactly when its class is 0xffff")
    }
    w.u16(id.oxmClass)
    w.u8(((id.oxmField << 1) | (id.hasMask ? 1 : 0)) >>> 0)
    w.u8(id.length)
    if (id.experimenter !== undefined) w.u32(id.experimenter)
    return undefined
  }
  const row = rowByName.get(id.field)
  if (row === undefined) return bad("OFPBMC_BAD_FIELD", `unknown OXM field ${JSON.stringify(id.field)}`)
  w.u16(OFPXMC_OPENFLOW_BASIC)
  w.u8((row.number << 1) | (id.hasMask ? 1 : 0))
  w.u8(id.length)
  return undefined
}

/**
 * The number of bytes `match` takes on the wire, padding included (without validating
 * it; unknown field names count as 4-byte headers).
 */
export const encodedLength = (match: Match): number => {
  let length = 4
  for (let i = 0; i < match.length; i++) {
    const f = match[i]!
    if (f.field === "opaque") {
      length += 4 + f.payload.length
    } else {
      const row = rowByName.get(f.field)
      length += 4 + (row === undefined ? 0 : f.mask === undefined ? row.bytes : row.bytes * 2)
    }
  }
  return (length + 7) & ~7
}

/** The OXM length byte of a basic field: the value width, doubled when masked. */
export const oxmLength = (name: FieldName, hasMask: boolean): number => {
  const row = rowByName.get(name)!
  return hasMask ? row.bytes * 2 : row.bytes
}

const writeU128 = (w: Writer, v: bigint): void => {
  w.ensure(16)
  const b = w.buf
  const p = w.pos
  let x = v
  for (let i = 15; i >= 0; i--) {
    b[p + i] = Number(x & 0xffn)
    x >>= 8n
  }
  w.pos = p + 16
}

const misfit = (w: Writer, message: string): void => {
  if (w.invalid === undefined) w.invalid = message
}

/**
 * Writes one value of `row`. Values of the wrong JavaScript type or out of the wire
 * width are recorded in `w.invalid` (an EncodeError), as every Writer method does.
 */
const writeValue = (w: Writer, row: Compiled, v: unknown): void => {
  switch (row.kindCode) {
    case K_U8:
      w.u8(v as number)
      return
    case K_U16:
      w.u16(v as number)
      return
    case K_U24:
      w.u24(v as number)
      return
    case K_U32:
      w.u32(v as number)
      return
    case K_MAC:
      w.u48(v as number)
      return
    case K_U64:
      w.u64(v as bigint)
      return
    default:
      if (typeof v !== "bigint" || v < 0n || v >> 128n !== 0n) {
        misfit(w, `${row.oxmName} value ${String(v)} is not a 128-bit unsigned bigint`)
        w.zeros(16)
      } else {
        writeU128(w, v)
      }
  }
}

/** `true` when `v` has the JavaScript type `row` expects (number or bigint). */
const typeFits = (row: Compiled, v: unknown): boolean =>
  row.kindCode >= K_U64 ? typeof v === "bigint" : typeof v === "number"

/**
 * Validates one basic field alone (mask allowed, value bits inside the mask, value
 * range), the checks {@link decodeEntry} makes on the way in.
 */
const checkField = (row: Compiled, value: unknown, mask: unknown): OpenFlowError | undefined => {
  if (mask !== undefined && !row.maskable) return bad("OFPBMC_BAD_MASK", `${row.oxmName} cannot be masked`)
  // Wrong JavaScript types are left to the writer, which reports them as an EncodeError.
  if (!typeFits(row, value) || (mask !== undefined && !typeFits(row, mask))) return undefined
  if (mask !== undefined && outsideMask(row.kindCode, value as number | bigint, mask as number | bigint)) {
    return bad("OFPBMC_BAD_WILDCARDS", `${row.oxmName} value has 1-bits where its mask has 0-bits`)
  }
  if (row.kindCode <= K_U32 && (value as number) > row.max && (value as number) <= 2 ** (row.bytes * 8) - 1) {
    return bad("OFPBMC_BAD_VALUE", `${row.oxmName} value ${hex(value as number, 1)} exceeds its ${row.bits} bits`)
  }
  return undefined
}

/** Validates an opaque field alone: what it may carry and where it may appear. */
const checkOpaque = (field: OpaqueOxm, strict: boolean, version: number): OpenFlowError | undefined => {
  if (field.oxmClass === OFPXMC_OPENFLOW_BASIC && rowByNumber[field.oxmField] !== undefined) {
    return bad(
      "OFPBMC_BAD_FIELD",
      `an opaque OXM with class 0x8000 and field ${field.oxmField} is ${rowByNumber[field.oxmField]!.oxmName}; use that field`
    )
  }
  if (strict && !isKnownOpaqueClass(field.oxmClass, version)) {
    return bad("OFPBMC_BAD_FIELD", `${describeHeader(field.oxmClass, field.oxmField)} is not a field this version accepts`)
  }
  if (field.payload.length > 255) return bad("OFPBMC_BAD_LEN", `OXM payload of ${field.payload.length} bytes exceeds 255`)
  if (field.oxmClass === OFPXMC_EXPERIMENTER && field.payload.length < 4) {
    return bad("OFPBMC_BAD_LEN", `experimenter OXM payload of ${field.payload.length} bytes has no room for its experimenter id`)
  }
  return undefined
}

const encodeOpaque = (w: Writer, field: OpaqueOxm, strict: boolean): OpenFlowError | undefined => {
  const error = checkOpaque(field, strict, w.version)
  if (error !== undefined) return error
  w.u16(field.oxmClass)
  w.u8(((field.oxmField << 1) | (field.hasMask ? 1 : 0)) >>> 0)
  w.u8(field.payload.length)
  w.bytes(field.payload)
  return undefined
}

const encodeBasic = (w: Writer, row: Compiled, field: BasicField): void => {
  const mask = field.mask
  const length = mask === undefined ? row.bytes : row.bytes * 2
  w.ensure(4)
  const b = w.buf
  const p = w.pos
  b[p] = 0x80
  b[p + 1] = 0
  b[p + 2] = (row.number << 1) | (mask === undefined ? 0 : 1)
  b[p + 3] = length
  w.pos = p + 4
  writeValue(w, row, field.value)
  if (mask !== undefined) writeValue(w, row, mask)
}

/** The row of a field name usable in `version` (any version when not `strict`), or `undefined`. */
const lookup = (name: string, strict: boolean, version: number): Compiled | undefined => {
  const row = rowByName.get(name)
  return row === undefined || (strict && row.since > version) ? undefined : row
}

const unknownField = (name: string): OpenFlowError => {
  const row = rowByName.get(name)
  return row === undefined
    ? bad("OFPBMC_BAD_FIELD", `unknown OXM field ${JSON.stringify(name)}`)
    : bad("OFPBMC_BAD_FIELD", `${row.oxmName} is not defined in this OpenFlow version`)
}

/**
 * Encodes a single OXM TLV (as in a set-field action), validating it alone as
 * {@link decodeOxm} does.
 */
export const encodeOxm = (w: Writer, field: OxmField): OpenFlowError | undefined => {
  if (field.field === "opaque") return encodeOpaque(w, field, true)
  const row = lookup(field.field, true, w.version)
  if (row === undefined) return unknownField(field.field)
  const error = checkField(row, field.value, field.mask)
  if (error !== undefined) return error
  encodeBasic(w, row, field)
  return undefined
}

/**
 * Encodes an `ofp_match` with its padding. Validates as {@link decodeMatch} does in the
 * same mode, so a match the switch would refuse fails here with the switch's error
 * (missing prerequisite: OFPBMC_BAD_PREREQ, repeated field: OFPBMC_DUP_FIELD, ...).
 * On failure the writer may hold a partial match; the central encoder discards it.
 */
export const encodeMatch = (w: Writer, match: Match, strict: boolean): OpenFlowError | undefined => {
  strict = strict && !w.lenient
  const start = w.pos
  w.u16(1)
  w.u16(0)
  const state = encodeState
  state.reset()
  for (let i = 0; i < match.length; i++) {
    const field = match[i]!
    if (field.field === "opaque") {
      const error = encodeOpaque(w, field, strict)
      if (error !== undefined) return error
      continue
    }
    const row = lookup(field.field, strict, w.version)
    if (row === undefined) return unknownField(field.field)
    const error = checkField(row, field.value, field.mask) ?? state.admit(row, field.value, field.mask, strict)
    if (error !== undefined) return error
    encodeBasic(w, row, field)
  }
  const length = w.pos - start
  if (length > 0xffff) return bad("OFPBMC_BAD_LEN", `match of ${length} bytes exceeds its 16-bit length`)
  w.patchU16(start + 2, length)
  w.pad8(start)
  return undefined
}

/**
 * Checks a match as {@link encodeMatch} would, without writing it.
 */
export const validateMatch = (match: Match, strict: boolean, version: number): OpenFlowError | undefined => {
  const state = new State()
  for (const field of match) {
    if (field.field === "opaque") {
      const error = checkOpaque(field, strict, version)
      if (error !== undefined) return error
      continue
    }
    const row = lookup(field.field, strict, version)
    if (row === undefined) return unknownField(field.field)
    const error = checkField(row, field.value, field.mask) ?? state.admit(row, field.value, field.mask, strict)
    if (error !== undefined) return error
  }
  return undefined
}
