/**
 * Masked comparison of OXM field values, and the packet key a flow table matches.
 *
 * OXM values come in three shapes (OpenFlow 1.3 §7.2.3.7): integers up to 32 bits, 48-bit
 * MAC addresses (numbers, so JavaScript's 32-bit bitwise operators cannot mask them in one
 * go) and 64/128-bit fields (bigints). Every comparison a flow table makes (does a packet
 * match an entry, is an entry at least as specific as a filter, could two entries match
 * the same packet) reduces to "and with a mask, compare", done here once per shape.
 */
import { Match } from "@switchyard/openflow"
import { type FlowKey, Ipv4Address, MacAddress } from "@switchyard/packet"

/** A field's value or mask: a number (up to 48 bits) or a bigint (64/128 bits). */
export type Value = number | bigint

/** What the table needs to know about a field: its kind and its significant bits. */
export interface FieldInfo {
  readonly name: Match.FieldName
  readonly number: number
  readonly kind: string
  readonly bits: number
  readonly writable: boolean
  readonly prerequisite: string
  /** All ones over the significant bits. */
  readonly full: Value
}

const TWO_32 = 0x1_0000_0000

const fullMask = (kind: string, bits: number): Value =>
  kind === "u64" || kind === "ipv6" ? (1n << BigInt(bits)) - 1n : bits === 48 ? 0xffff_ffff_ffff : bits === 32 ? 0xffff_ffff : 2 ** bits - 1

/** Field rows by name, from the codec's table. */
export const fieldInfo: ReadonlyMap<string, FieldInfo> = new Map(
  Match.fields.map((row) => [
    row.name,
    {
      name: row.name as Match.FieldName,
      number: row.number,
      kind: row.kind,
      bits: row.bits,
      writable: row.writable,
      prerequisite: row.prerequisite,
      full: fullMask(row.kind, row.bits)
    }
  ])
)

/**
 * `a & b` for values of one field. MAC addresses are split into their high 16 and low 32
 * bits, because `&` on a number works on 32 bits only.
 */
export const and = (a: Value, b: Value): Value => {
  if (typeof a === "bigint") return a & (b as bigint)
  const bn = b as number
  if (a <= 0xffff_ffff && bn <= 0xffff_ffff) return (a & bn) >>> 0
  const hi = (Math.floor(a / TWO_32) & Math.floor(bn / TWO_32)) >>> 0
  const lo = ((a >>> 0) & (bn >>> 0)) >>> 0
  return hi * TWO_32 + lo
}

/** A field of a flow entry's match, normalized: `mask` is absent for an exact match and `value` has no bits outside the mask. */
export interface NormalizedField {
  readonly info: FieldInfo
  readonly value: Value
  /** The mask, or `undefined` when every significant bit is matched. */
  readonly mask: Value | undefined
}

/**
 * Normalizes one basic OXM field: a mask of all ones becomes an exact match, and value
 * bits outside the mask are cleared (the codec already refuses them in a flow mod; a
 * probe or a filter may carry them).
 */
export const normalize = (field: Match.BasicField): NormalizedField => {
  const info = fieldInfo.get(field.field)!
  const mask = field.mask as Value | undefined
  if (mask === undefined || mask === info.full) return { info, value: field.value as Value, mask: undefined }
  return { info, value: and(field.value as Value, mask), mask }
}

/** The effective mask of a normalized field. */
export const maskOf = (f: NormalizedField): Value => f.mask ?? f.info.full

/** `true` when `packet` (a value of the packet, or `undefined` when it lacks the field) matches `f`. */
export const matchesValue = (f: NormalizedField, packet: Value | undefined): boolean => {
  if (packet === undefined) return false
  if (f.mask === undefined) return packet === f.value
  return and(packet, f.mask) === f.value
}

/**
 * `true` when `entry` is at least as specific as `filter` on this field (OpenFlow 1.3
 * §6.4, non-strict MODIFY/DELETE and flow statistics): every bit the filter matches, the
 * entry matches too, with the same value.
 */
export const covers = (entry: NormalizedField, filter: NormalizedField): boolean => {
  const fm = maskOf(filter)
  return and(maskOf(entry), fm) === fm && and(entry.value, fm) === filter.value
}

/** `true` when some value satisfies both fields (they agree on the bits both match). */
export const intersects = (a: NormalizedField, b: NormalizedField): boolean => {
  const common = and(maskOf(a), maskOf(b))
  return and(a.value, common) === and(b.value, common)
}

/** The same normalized value with equal masks: identical fields. */
export const sameField = (a: NormalizedField, b: NormalizedField): boolean =>
  a.info === b.info && a.value === b.value && a.mask === b.mask

/**
 * Everything a flow table matches on: the frame's fields (`FlowKey`, as Open vSwitch's
 * flow extraction computes them) plus the pipeline fields that do not come from the
 * frame (OpenFlow 1.3 §7.2.3.7: `in_port`, `in_phy_port`, `metadata`, `tunnel_id`).
 */
export interface PacketKey extends FlowKey.FlowKey {
  readonly inPort: number
  readonly inPhyPort?: number
  readonly metadata: bigint
  readonly tunnelId?: bigint
}

/** The value of field `name` in `key`, or `undefined` when the packet does not have it. */
export const valueOf = (key: PacketKey, name: string): Value | undefined => (key as unknown as Record<string, Value | undefined>)[name]

const formatValue = (kind: string, v: Value): string => {
  if (typeof v === "bigint") return `0x${v.toString(16)}`
  if (kind === "mac") return MacAddress.format(v)
  if (kind === "ipv4") return Ipv4Address.format(v)
  return String(v)
}

/**
 * A stable text form of a normalized field, for table hashes and messages, in the
 * notation Open vSwitch prints: `ethDst=00:00:00:00:00:01`, `ipv4Dst=10.0.0.0/255.0.0.0`.
 */
export const formatField = (f: NormalizedField): string =>
  `${f.info.name}=${formatValue(f.info.kind, f.value)}${f.mask === undefined ? "" : `/${formatValue(f.info.kind, f.mask)}`}`
