/**
 * OXM matches (OpenFlow 1.3 §7.2.3): which packets a flow entry applies to, and what a
 * switch reports about a packet it sends to the controller.
 *
 * A match is a list of OXM fields in wire order: `ethDst`, `ipv4Src` with an optional
 * mask, and so on. The awkward parts of the domain are the rules between fields. A field
 * needs its prerequisite earlier in the same match (`ipv4Src` needs `ethType` 0x0800,
 * `tcpDst` needs `ipProto` 6, which itself needs an IP `ethType`); a field appears at
 * most once; a mask may not cover fewer bits than the value sets; some fields are only a
 * few bits wide inside a wider wire field (`vlanVid` is 13 bits in 16, with the 0x1000
 * bit meaning "a VLAN tag is present"). Switches refuse a flow entry that breaks these
 * rules, so the codec checks them when it encodes a flow mod, as Open vSwitch does when
 * it decodes one. Matches a switch reports (PACKET_IN, FLOW_REMOVED, stats) are decoded
 * loosely: prerequisites are not checked there.
 *
 * Fields of classes other than OpenFlow-basic (Nicira's registers and packet marks, ONF
 * and other experimenter fields) are kept as {@link OpaqueOxm}, byte for byte.
 *
 * OpenFlow 1.0 has no OXM: its match is a fixed structure with a wildcard bitmap. The
 * same `Match` encodes to it when 1.0 can express it exactly: `inPort`, `ethDst`,
 * `ethSrc`, `ethType`, `vlanVid` (one id, {@link VID_NONE}, or {@link anyVlan} next to a
 * `vlanPcp`), `vlanPcp`, and under `ethType` 0x0800 `ipDscp`, `ipProto`, `ipv4Src` and
 * `ipv4Dst` (exact or with a prefix mask), `tcp*`/`udp*` ports and `icmpv4Type`/`Code`
 * (exact), or under 0x0806 `arpOp` (8 bits), `arpSpa`, `arpTpa`. Anything else (IPv6,
 * MPLS, metadata, masked MAC addresses or ports, SCTP, opaque fields, ...) fails with
 * the OFPBMC_* error that names it, which a 1.0 peer, having no BAD_MATCH type, would be
 * sent as OFPBRC_EPERM. A decoded 1.0 match holds the fields a 1.0 switch matches on, in
 * canonical order: slots the switch ignores (an IP field without an IP EtherType, a port
 * without a protocol) are left out.
 *
 * @since 0.1.0
 */
import { Ipv4Address, Ipv6Address, MacAddress } from "@switchyard/packet"
import { Schema } from "effect"
import { withArbitrary } from "./internal/arbitrary.ts"
import {
  encodedLength as encodedLengthInternal,
  type FieldRow,
  fieldRows,
  OFPXMC_EXPERIMENTER,
  OFPXMC_NXM_0,
  OFPXMC_NXM_1,
  OFPXMC_OPENFLOW_BASIC,
  rowByName,
  rowByNumber,
  validateMatch
} from "./internal/match.ts"
import type { OpenFlowError } from "./OpenFlowError.ts"
import * as Uint from "./Uint.ts"
import type { Version } from "./Version.ts"

type Row = (typeof fieldRows)[number]

/**
 * The name of an OpenFlow-basic OXM field: `"inPort"`, `"ethDst"`, `"ipv4Src"`, ...
 *
 * @category models
 * @since 0.1.0
 */
export type FieldName = Row["name"]

type RowOf<N extends FieldName> = Extract<Row, { readonly name: N }>

/**
 * The value type of a field: `number` for fields up to 48 bits (ports, EtherTypes, MAC
 * addresses as 48-bit numbers, IPv4 addresses), `bigint` for `metadata`, `tunnelId` and
 * IPv6 addresses.
 *
 * @category models
 * @since 0.1.0
 */
export type ValueOf<N extends FieldName> = RowOf<N>["kind"] extends "u64" | "ipv6" ? bigint : number

/** `true` when field `N` may carry a mask. @category models @since 0.1.0 */
export type IsMaskable<N extends FieldName> = RowOf<N>["maskable"]

/**
 * One OpenFlow-basic field with its value and, for maskable fields, an optional mask
 * (1-bits are matched, 0-bits are wildcards).
 *
 * **Details**
 *
 * `mask` is `undefined` for an exact match; decoded fields always have the key, so all
 * field objects share one shape.
 *
 * @category models
 * @since 0.1.0
 */
export type BasicField<N extends FieldName = FieldName> = N extends FieldName ? {
    readonly field: N
    readonly value: ValueOf<N>
    readonly mask?: (IsMaskable<N> extends true ? ValueOf<N> : never) | undefined
  }
  : never

/**
 * An OXM field of a class this codec does not interpret, kept byte for byte: Nicira's
 * NXM_0/NXM_1 fields (`reg0`..`reg15`, `pkt_mark`, `tun_ipv4_src`, `conj_id`, ...),
 * experimenter fields (class 0xffff, whose payload starts with the experimenter id), and,
 * in matches a switch reports, OpenFlow-basic field numbers this codec does not know.
 *
 * **Details**
 *
 * `payload` is everything after the 4-byte OXM header (value, then mask when `hasMask`).
 * In decoded messages it is a view into the message bytes.
 *
 * @category models
 * @since 0.1.0
 */
export interface OpaqueOxm {
  readonly field: "opaque"
  /** `oxm_class`: 0x0000/0x0001 Nicira NXM, 0xffff experimenter, ... */
  readonly oxmClass: number
  /** `oxm_field`, 7 bits. */
  readonly oxmField: number
  readonly hasMask: boolean
  readonly payload: Uint8Array
}

/**
 * One OXM field.
 *
 * @category models
 * @since 0.1.0
 */
export type OxmField = BasicField | OpaqueOxm

/**
 * A match: OXM fields in wire order.
 *
 * **Details**
 *
 * Order is kept exactly as decoded, so re-encoding is byte-identical. {@link make}
 * builds the canonical order (field numbers ascending), in which every prerequisite
 * precedes the fields that need it. The empty match matches every packet.
 *
 * @category models
 * @since 0.1.0
 */
export type Match = ReadonlyArray<OxmField>

/**
 * An OXM id: a bare OXM header naming a field without a value, as in table-features
 * properties. `length` is kept as sent (some switches send 0).
 *
 * @category models
 * @since 0.1.0
 */
export type OxmId =
  | { readonly field: FieldName; readonly hasMask: boolean; readonly length: number }
  | {
    readonly field: "opaque"
    readonly oxmClass: number
    readonly oxmField: number
    readonly hasMask: boolean
    readonly length: number
    /** The experimenter id that follows the header, present exactly for class 0xffff. */
    readonly experimenter: number | undefined
  }

/** The JSON form of a field, as the Schemas read and write it. */
type Encoded = { readonly field: string; readonly [key: string]: unknown }

const uint = (bits: number) => Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 2 ** bits - 1 }))

const valueSchema = (row: FieldRow, mask: boolean): Schema.Top => {
  switch (row.kind) {
    case "mac":
      return MacAddress.MacAddress
    case "ipv4":
      return Ipv4Address.Ipv4Address
    case "ipv6":
      return Ipv6Address.Ipv6Address
    case "u64":
      return Uint.Uint64
    default:
      // Values are limited to the field's significant bits; a mask may use the whole
      // wire width (Open vSwitch accepts, for example, an all-ones 32-bit IPv6 flow
      // label mask).
      return uint(mask ? BYTES[row.kind] * 8 : row.bits)
  }
}

const BYTES = { u8: 1, u16: 2, u24: 3, u32: 4 } as const

const basicSchema = (row: FieldRow) =>
  Schema.Struct({
    field: Schema.Literal(row.name),
    value: valueSchema(row, false),
    mask: Schema.optional(row.maskable ? valueSchema(row, true) : Schema.Undefined)
  }).annotate({ identifier: `Oxm.${row.name}` })

/**
 * Schema of {@link OpaqueOxm}.
 *
 * **Details**
 *
 * An experimenter-class field (0xffff) needs at least the 4 bytes of its experimenter
 * id; class 0x8000 with a field number this codec knows is refused, because the same
 * bytes decode as that named field.
 *
 * @category schemas
 * @since 0.1.0
 */
export const OpaqueOxm: Schema.Codec<OpaqueOxm, Encoded> = Schema.Struct({
  field: Schema.Literal("opaque"),
  oxmClass: Uint.Uint16,
  oxmField: uint(7),
  hasMask: Schema.Boolean,
  payload: Schema.Uint8Array.check(Schema.isMaxLength(255))
}).check(
  Schema.makeFilter((f) =>
    f.oxmClass === OFPXMC_EXPERIMENTER && f.payload.length < 4
      ? "an experimenter OXM payload starts with a 4-byte experimenter id"
      : f.oxmClass === OFPXMC_OPENFLOW_BASIC && rowByNumber[f.oxmField] !== undefined
      ? `class 0x8000 field ${f.oxmField} is ${rowByNumber[f.oxmField]!.name}; use that field`
      : undefined
  )
).annotate({ identifier: "OpaqueOxm" }) as unknown as Schema.Codec<OpaqueOxm, Encoded>

const OxmFieldUnion = Schema.Union([...fieldRows.map(basicSchema), OpaqueOxm]) as unknown as Schema.Codec<OxmField, Encoded>

/**
 * Schema of one {@link OxmField}. Its JSON form names the field and writes addresses as
 * text: `{ "field": "ethDst", "value": "aa:bb:cc:dd:ee:ff" }`.
 *
 * **Gotchas**
 *
 * Generated values (for property tests) are OpenFlow 1.3 fields that a set-field action
 * may carry: writable, without a mask.
 *
 * @category schemas
 * @since 0.1.0
 */
export const OxmField: Schema.Codec<OxmField, Encoded> = withArbitrary(OxmFieldUnion, OxmFieldUnion, (f) => settable(f))

/**
 * Schema of a {@link Match}: a list of {@link OxmField}.
 *
 * **Details**
 *
 * The Schema accepts every list the wire can carry, including lists that break
 * prerequisites (a switch may report such a match). Generated values (for property
 * tests) are valid OpenFlow 1.3 flow-mod matches in canonical order: fields missing a
 * prerequisite get it added, or are dropped when they conflict with one already present.
 * Use {@link validate} to check a match.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Match: Schema.Codec<Match, ReadonlyArray<Encoded>> = withArbitrary(
  Schema.Array(OxmFieldUnion),
  Schema.Array(OxmFieldUnion),
  (fields) => repair(fields)
)

/**
 * Schema of an {@link OxmId}.
 *
 * @category schemas
 * @since 0.1.0
 */
export const OxmId: Schema.Codec<OxmId, Encoded> = Schema.Union([
  Schema.Struct({
    field: Schema.Literals(fieldRows.map((row) => row.name)),
    hasMask: Schema.Boolean,
    length: Uint.Uint8
  }),
  Schema.Struct({
    field: Schema.Literal("opaque"),
    oxmClass: Uint.Uint16,
    oxmField: uint(7),
    hasMask: Schema.Boolean,
    length: Uint.Uint8,
    experimenter: Schema.optional(Uint.Uint32)
  }).check(
    Schema.makeFilter((id) =>
      (id.oxmClass === OFPXMC_EXPERIMENTER) !== (id.experimenter !== undefined)
        ? "an OXM id carries an experimenter id exactly when its class is 0xffff"
        : id.oxmClass === OFPXMC_OPENFLOW_BASIC && rowByNumber[id.oxmField] !== undefined
        ? `class 0x8000 field ${id.oxmField} is ${rowByNumber[id.oxmField]!.name}; use that field`
        : undefined
    )
  )
]).annotate({ identifier: "OxmId" }) as unknown as Schema.Codec<OxmId, Encoded>

/** `OFPVID_PRESENT`: set in a `vlanVid` value when the packet has a VLAN tag. @category constants @since 0.1.0 */
export const VID_PRESENT = 0x1000

/** `OFPVID_NONE`: the `vlanVid` value that matches packets without a VLAN tag. @category constants @since 0.1.0 */
export const VID_NONE = 0

/**
 * The `vlanVid` wire value for VLAN id `vid` (0..4095): `vid` plus OFPVID_PRESENT.
 *
 * **Gotchas**
 *
 * OpenFlow 1.3 matches a tagged packet's VLAN only when the value has OFPVID_PRESENT
 * (0x1000) set: `vlanVid: 10` would mean "no VLAN tag, and also id 10", which matches
 * nothing useful. Always go through this helper. A `vid` above 4095 gives a value above
 * 0x1fff, which encoding refuses with OFPBMC_BAD_VALUE.
 *
 * @example
 * ```ts
 * import { Match } from "@switchyard/openflow"
 *
 * const match = Match.make({ inPort: 1, vlanVid: Match.vlanVid(10) })
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const vlanVid = (vid: number): number => VID_PRESENT + vid

/**
 * A `vlanVid` field matching every packet that has a VLAN tag, whatever its id.
 *
 * @category constants
 * @since 0.1.0
 */
export const anyVlan: BasicField<"vlanVid"> = { field: "vlanVid", value: VID_PRESENT, mask: VID_PRESENT }

/**
 * What {@link make} takes: each field either as its value (exact match) or, for maskable
 * fields, as `{ value, mask }`.
 *
 * @category models
 * @since 0.1.0
 */
export type Spec = {
  readonly [N in FieldName]?:
    | ValueOf<N>
    | (IsMaskable<N> extends true ? { readonly value: ValueOf<N>; readonly mask?: ValueOf<N> | undefined } : never)
}

/**
 * Builds a match from named fields, in canonical order (field numbers ascending, so
 * every prerequisite comes before the fields that need it).
 *
 * **Details**
 *
 * `make` does not invent prerequisites: a match with `tcpDst` needs `ethType` and
 * `ipProto` too, and encoding a flow mod without them fails with OFPBMC_BAD_PREREQ
 * (call {@link validate} to check earlier). Values are wire values: use
 * {@link vlanVid} for VLAN ids.
 *
 * @example
 * ```ts
 * import { Match } from "@switchyard/openflow"
 * import { Ipv4Address, MacAddress } from "@switchyard/packet"
 *
 * const match = Match.make({
 *   inPort: 1,
 *   ethDst: MacAddress.fromStringUnsafe("aa:bb:cc:dd:ee:ff"),
 *   ethType: 0x0800,
 *   ipv4Dst: { value: Ipv4Address.fromStringUnsafe("10.0.0.0"), mask: Ipv4Address.prefixMask(8) }
 * })
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (spec: Spec): Match => {
  const out: Array<OxmField> = []
  for (const row of fieldRows) {
    const v = (spec as Record<string, unknown>)[row.name]
    if (v === undefined) continue
    if (typeof v === "object" && v !== null) {
      const { mask, value } = v as { readonly value: unknown; readonly mask?: unknown }
      out.push({ field: row.name, value, mask } as OxmField)
    } else {
      out.push({ field: row.name, value: v, mask: undefined } as OxmField)
    }
  }
  return out
}

/**
 * One field: `field("tcpDst", 80)`, `field("ipv4Src", addr, mask)`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const field = <N extends FieldName>(
  name: N,
  value: ValueOf<N>,
  mask?: IsMaskable<N> extends true ? ValueOf<N> : never
): BasicField<N> => ({ field: name, value, mask }) as unknown as BasicField<N>

/**
 * The empty match, which matches every packet (a table-miss flow's match).
 *
 * @category constants
 * @since 0.1.0
 */
export const empty: Match = []

/**
 * The field named `name`, or `undefined` when the match does not have it.
 *
 * @category accessors
 * @since 0.1.0
 */
export const getField = <N extends FieldName>(match: Match, name: N): BasicField<N> | undefined => {
  for (let i = 0; i < match.length; i++) {
    const f = match[i]!
    if (f.field === name) return f as BasicField<N>
  }
  return undefined
}

/**
 * The value of field `name` (its mask is ignored), or `undefined` when the match does
 * not have it.
 *
 * @example
 * ```ts
 * import { Match } from "@switchyard/openflow"
 *
 * Match.get(Match.make({ inPort: 3 }), "inPort") // 3
 * ```
 *
 * @category accessors
 * @since 0.1.0
 */
export const get = <N extends FieldName>(match: Match, name: N): ValueOf<N> | undefined => {
  for (let i = 0; i < match.length; i++) {
    const f = match[i]!
    if (f.field === name) return (f as BasicField<N>).value as ValueOf<N>
  }
  return undefined
}

/**
 * The match in canonical order: OpenFlow-basic fields by field number, then opaque
 * fields in their original order.
 *
 * @category combinators
 * @since 0.1.0
 */
export const sort = (match: Match): Match => {
  const basic = match.filter((f): f is BasicField => f.field !== "opaque")
  const opaque = match.filter((f) => f.field === "opaque")
  basic.sort((a, b) => rowByName.get(a.field)!.number - rowByName.get(b.field)!.number)
  return [...basic, ...opaque]
}

/**
 * Checks a match the way the codec does when it encodes one: lengths, masks, value
 * ranges, duplicates and (when `strict`, the default) prerequisites.
 *
 * **When to use**
 *
 * To report a bad match where it is built (a config file, an API call) rather than when
 * the flow mod is sent. `strict: false` is what applies to matches a switch reports.
 *
 * @category validation
 * @since 0.1.0
 */
export const validate = (
  match: Match,
  options?: { readonly strict?: boolean | undefined; readonly version?: Version | undefined }
): OpenFlowError | undefined => validateMatch(match, options?.strict ?? true, options?.version ?? 4)

/**
 * The size of the match on the wire: the `ofp_match` header, the OXM fields and the
 * padding to 8 bytes.
 *
 * @category accessors
 * @since 0.1.0
 */
export const encodedLength = (match: Match): number => encodedLengthInternal(match)

/**
 * The spec's name of a field as Open vSwitch and Ryu print it: `oxmName("ethDst")` is
 * `"eth_dst"`.
 *
 * @category formatting
 * @since 0.1.0
 */
export const oxmName = (name: FieldName): string => rowByName.get(name)!.oxmName

/**
 * The field table: for each OpenFlow-basic field its number, value kind, significant
 * bits, whether it is maskable and writable by set-field, its prerequisite and the first
 * wire version that has it.
 *
 * @category constants
 * @since 0.1.0
 */
export const fields: ReadonlyArray<FieldRow> = fieldRows

/** Nicira's NXM_0 OXM class. @category constants @since 0.1.0 */
export const NXM_0 = OFPXMC_NXM_0
/** Nicira's NXM_1 OXM class (Open vSwitch registers, packet mark, tunnel fields). @category constants @since 0.1.0 */
export const NXM_1 = OFPXMC_NXM_1
/** The experimenter OXM class. @category constants @since 0.1.0 */
export const EXPERIMENTER = OFPXMC_EXPERIMENTER

// ---------------------------------------------------------------------------------------
// Generation support: turns arbitrary fields into valid OpenFlow 1.3 matches and
// set-field values (see internal/arbitrary.ts for why the Schemas work this way).
// ---------------------------------------------------------------------------------------

const OPAQUE_CLASSES = [OFPXMC_NXM_0, OFPXMC_NXM_1, OFPXMC_EXPERIMENTER] as const

/** An opaque field moved to a class every version accepts, padded for experimenters. */
const fixOpaque = (f: OpaqueOxm): OpaqueOxm => {
  const oxmClass = OPAQUE_CLASSES[f.oxmClass % 3]!
  const payload = oxmClass === OFPXMC_EXPERIMENTER && f.payload.length < 4 ? new Uint8Array(4) : f.payload
  return { field: "opaque", oxmClass, oxmField: f.oxmField, hasMask: f.hasMask, payload }
}

/** The value with its bits outside the mask cleared, so it is a valid masked value. */
const fixMask = (f: BasicField): BasicField => {
  if (f.mask === undefined) return { field: f.field, value: f.value, mask: undefined } as BasicField
  const value = typeof f.value === "bigint"
    ? f.value & (f.mask as bigint)
    : rowByName.get(f.field)!.kind === "mac"
    ? andMac(f.value, f.mask as number)
    : (f.value & (f.mask as number)) >>> 0
  return { field: f.field, value, mask: f.mask } as BasicField
}

const andMac = (a: number, b: number): number =>
  ((Math.floor(a / 2 ** 32) & Math.floor(b / 2 ** 32)) * 2 ** 32) + (((a >>> 0) & (b >>> 0)) >>> 0)

const settable = (f: OxmField): OxmField => {
  if (f.field === "opaque") return { ...fixOpaque(f), hasMask: false }
  const row = rowByName.get(f.field)!
  if (row.writable && row.since <= 4) return { field: f.field, value: f.value, mask: undefined } as OxmField
  return { field: "ethDst", value: 0, mask: undefined }
}

const ETH: Record<string, ReadonlyArray<number>> = {
  ip: [0x0800, 0x86dd],
  ipv4: [0x0800],
  ipv6: [0x86dd],
  arp: [0x0806],
  mpls: [0x8847, 0x8848],
  pbb: [0x88e7],
  icmpv4: [0x0800],
  icmpv6: [0x86dd]
}
const PROTO: Record<string, number> = { tcp: 6, udp: 17, sctp: 132, icmpv4: 1, icmpv6: 58 }

/**
 * Repairs a list of arbitrary fields into a valid OpenFlow 1.3 flow-mod match in
 * canonical order.
 */
const repair = (input: ReadonlyArray<OxmField>): Match => {
  const byName = new Map<string, BasicField>()
  const opaque: Array<OpaqueOxm> = []
  for (const f of input) {
    if (f.field === "opaque") opaque.push(fixOpaque(f))
    else if (!byName.has(f.field) && rowByName.get(f.field)!.since <= 4) byName.set(f.field, fixMask(f))
  }
  // `require` makes field `name` equal one of `allowed`, adding it when absent; it fails
  // when the field is present with another value or masked.
  const require = (name: FieldName, allowed: ReadonlyArray<number>): boolean => {
    const cur = byName.get(name)
    if (cur === undefined) {
      byName.set(name, { field: name, value: allowed[0]!, mask: undefined } as BasicField)
      return true
    }
    return cur.mask === undefined && allowed.includes(cur.value as number)
  }
  const ensure = (prerequisite: string): boolean => {
    switch (prerequisite) {
      case "none":
        return true
      case "inPort":
        return require("inPort", [1])
      case "vlan": {
        const vid = byName.get("vlanVid")
        if (vid === undefined) return require("vlanVid", [VID_PRESENT])
        return ((vid.value as number) & VID_PRESENT) !== 0 && (vid.mask === undefined || ((vid.mask as number) & VID_PRESENT) !== 0)
      }
      case "tcp":
      case "udp":
      case "sctp":
        return ensure("ip") && require("ipProto", [PROTO[prerequisite]!])
      case "icmpv4":
      case "icmpv6":
        return require("ethType", ETH[prerequisite]!) && require("ipProto", [PROTO[prerequisite]!])
      case "nd":
      case "ndSll":
      case "ndTll": {
        const types = prerequisite === "nd" ? [135, 136] : prerequisite === "ndSll" ? [135] : [136]
        const code = byName.get("icmpv6Code")
        return ensure("icmpv6") && require("icmpv6Type", types) && (code === undefined || code.value === 0)
      }
      default:
        return require("ethType", ETH[prerequisite]!)
    }
  }
  for (const row of fieldRows) {
    if (!byName.has(row.name)) continue
    if (!ensure(row.prerequisite)) byName.delete(row.name)
  }
  const out: Array<OxmField> = []
  for (const row of fieldRows) {
    const f = byName.get(row.name)
    if (f !== undefined) out.push(f)
  }
  return [...out, ...opaque]
}
