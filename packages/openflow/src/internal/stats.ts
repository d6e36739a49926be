/**
 * Wire codec for OXS statistics (`ofp_stats`, OpenFlow 1.5 §7.2.4): `reserved u16,
 * length u16`, OXS TLVs, padding to 8; and the mapping between a stats list and the
 * fixed counter fields of the version-free messages.
 *
 * Like a match, the list is length-checked entry by entry before anything is read: an
 * entry must fit the list, and a field OpenFlow 1.5 defines must have its exact size.
 * Length problems are OFPBRC_BAD_LEN (the spec defines no OXS error type; Open vSwitch
 * reports the match codes, which would name the wrong structure).
 *
 * The counters: a 1.5 message says which counters it carries, an earlier one always
 * carries the same set in fixed fields. Decoding a 1.5 message sets the fixed fields
 * from the list (0 for absent counters) and keeps the list only when it differs from
 * the canonical one the fixed fields imply ({@link canonical}); encoding writes the
 * canonical list unless a list is given, which must then agree with the fixed fields.
 */
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import { EXPERIMENTER, FieldNumber, OPENFLOW_BASIC, type OxsField, type Stats } from "../Stats.ts"
import { invalid, patchLength } from "./invalid.ts"
import type { Reader } from "./reader.ts"
import type { Writer } from "./writer.ts"

const SIZES: ReadonlyArray<number | undefined> = [8, 8, undefined, 4, 8, 8]

const badLen = (what: string, detail: string): OpenFlowError => OFE.make("OFPBRC_BAD_LEN", `${what}: ${detail}`)

/** Reads an `ofp_stats` at `r.pos` (header, fields, padding); `what` names it in errors. */
export const decodeStats = (r: Reader, what: string): Stats | OpenFlowError => {
  if (!r.has(4)) return badLen(what, `${r.remaining()} bytes left, short of the 4-byte OXS stats header`)
  r.skip(2)
  const length = r.u16()
  const padded = (length + 7) & ~7
  if (length < 4 || !r.has(padded - 4)) {
    return badLen(what, `OXS stats length ${length} (${padded} with padding) does not fit the ${r.remaining() + 4} bytes left`)
  }
  const end = r.pos + length - 4
  const out: Array<OxsField> = []
  while (r.pos < end) {
    if (end - r.pos < 4) return badLen(what, `${end - r.pos} bytes left in the OXS stats, short of a 4-byte field header`)
    const oxsClass = r.u16()
    const fieldByte = r.u8()
    const len = r.u8()
    const number = fieldByte >>> 1
    const reserved = (fieldByte & 1) === 1
    if (len > end - r.pos) return badLen(what, `OXS field ${number} has a ${len}-byte payload but ${end - r.pos} bytes remain`)
    const size = oxsClass === OPENFLOW_BASIC && !reserved ? SIZES[number] : undefined
    if (size !== undefined) {
      if (len !== size) return badLen(what, `OXS field ${number} has length ${len}, expected ${size}`)
      switch (number) {
        case FieldNumber.duration:
        case FieldNumber.idleTime: {
          const sec = r.u32()
          out.push({ field: number === FieldNumber.duration ? "duration" : "idleTime", sec, nsec: r.u32() })
          break
        }
        case FieldNumber.flowCount:
          out.push({ field: "flowCount", value: r.u32() })
          break
        default:
          out.push({ field: number === FieldNumber.packetCount ? "packetCount" : "byteCount", value: r.u64() })
      }
      continue
    }
    if (oxsClass === EXPERIMENTER && len < 4) return badLen(what, `experimenter OXS field of length ${len} has no room for its experimenter id`)
    out.push({ field: "opaque", oxsClass, oxsField: number, reserved, payload: r.bytesView(len) })
  }
  r.pos = end + (padded - length)
  return out
}

/** Writes an `ofp_stats` with its padding. */
export const encodeStats = (w: Writer, stats: Stats, what: string): void => {
  const start = w.mark()
  w.u16(0)
  w.u16(0)
  for (const f of stats) {
    if (f.field === "opaque") {
      w.u16(f.oxsClass)
      w.u8(((f.oxsField << 1) | (f.reserved ? 1 : 0)) & 0xff)
      w.u8(f.payload.length)
      w.bytes(f.payload)
      continue
    }
    const number = FieldNumber[f.field]
    w.u16(OPENFLOW_BASIC)
    w.u8(number << 1)
    w.u8(SIZES[number]!)
    switch (f.field) {
      case "duration":
      case "idleTime":
        w.u32(f.sec)
        w.u32(f.nsec)
        break
      case "flowCount":
        w.u32(f.value)
        break
      default:
        w.u64(f.value)
    }
  }
  patchLength(w, start + 2, w.pos - start, `${what} OXS stats`)
  w.pad8(start)
}

/** The size of `stats` on the wire, padding included. */
export const statsLength = (stats: Stats): number => {
  let n = 4
  for (const f of stats) n += 4 + (f.field === "opaque" ? f.payload.length : SIZES[FieldNumber[f.field]]!)
  return (n + 7) & ~7
}

/** The fixed counters of a flow entry (FLOW_REMOVED, flow statistics). */
export interface FlowCounters {
  durationSec: number
  durationNsec: number
  packetCount: bigint
  byteCount: bigint
}

/** The fixed counters of an aggregate reply. */
export interface AggregateCounters {
  packetCount: bigint
  byteCount: bigint
  flowCount: number
}

/** Fills `out` from `stats`: the last occurrence of each counter, 0 for absent ones. */
export const flowCounters = (stats: Stats, out: FlowCounters): FlowCounters => {
  out.durationSec = 0
  out.durationNsec = 0
  out.packetCount = 0n
  out.byteCount = 0n
  for (const f of stats) {
    if (f.field === "duration") {
      out.durationSec = f.sec
      out.durationNsec = f.nsec
    } else if (f.field === "packetCount") out.packetCount = f.value
    else if (f.field === "byteCount") out.byteCount = f.value
  }
  return out
}

/** Fills `out` from `stats`: the last occurrence of each counter, 0 for absent ones. */
export const aggregateCounters = (stats: Stats, out: AggregateCounters): AggregateCounters => {
  out.packetCount = 0n
  out.byteCount = 0n
  out.flowCount = 0
  for (const f of stats) {
    if (f.field === "flowCount") out.flowCount = f.value
    else if (f.field === "packetCount") out.packetCount = f.value
    else if (f.field === "byteCount") out.byteCount = f.value
  }
  return out
}

/** The canonical 1.5 list of a flow entry's fixed counters: duration, packet count, byte count. */
export const canonicalFlow = (c: FlowCounters): Stats => [
  { field: "duration", sec: c.durationSec, nsec: c.durationNsec },
  { field: "packetCount", value: c.packetCount },
  { field: "byteCount", value: c.byteCount }
]

/** The canonical 1.5 list of an aggregate reply's fixed counters: flow, packet, byte count. */
export const canonicalAggregate = (c: AggregateCounters): Stats => [
  { field: "flowCount", value: c.flowCount },
  { field: "packetCount", value: c.packetCount },
  { field: "byteCount", value: c.byteCount }
]

const sameField = (a: OxsField, b: OxsField): boolean => {
  if (a.field !== b.field) return false
  switch (a.field) {
    case "duration":
    case "idleTime":
      return a.sec === (b as typeof a).sec && a.nsec === (b as typeof a).nsec
    case "opaque": {
      const o = b as typeof a
      if (a.oxsClass !== o.oxsClass || a.oxsField !== o.oxsField || a.reserved !== o.reserved || a.payload.length !== o.payload.length) {
        return false
      }
      for (let i = 0; i < a.payload.length; i++) if (a.payload[i] !== o.payload[i]) return false
      return true
    }
    default:
      return a.value === (b as typeof a).value
  }
}

/** `true` when two lists are the same fields in the same order. */
export const sameStats = (a: Stats, b: Stats): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (!sameField(a[i]!, b[i]!)) return false
  return true
}

/**
 * The list to encode for a flow entry in 1.5: `stats` when given (after checking that the
 * fixed counters agree with it), otherwise the canonical list. Disagreement is recorded
 * as an `EncodeError`.
 */
export const flowStatsToEncode = (w: Writer, m: FlowCounters & { readonly stats?: Stats | undefined }, what: string): Stats => {
  if (m.stats === undefined) return canonicalFlow(m)
  const c = flowCounters(m.stats, { durationSec: 0, durationNsec: 0, packetCount: 0n, byteCount: 0n })
  if (c.durationSec !== m.durationSec || c.durationNsec !== m.durationNsec || c.packetCount !== m.packetCount || c.byteCount !== m.byteCount) {
    invalid(w, `${what}: the fixed counters disagree with \`stats\` (a counter stats leaves out must be 0)`)
  }
  return m.stats
}

/** As {@link flowStatsToEncode}, for an aggregate reply. */
export const aggregateStatsToEncode = (w: Writer, m: AggregateCounters & { readonly stats?: Stats | undefined }, what: string): Stats => {
  if (m.stats === undefined) return canonicalAggregate(m)
  const c = aggregateCounters(m.stats, { packetCount: 0n, byteCount: 0n, flowCount: 0 })
  if (c.flowCount !== m.flowCount || c.packetCount !== m.packetCount || c.byteCount !== m.byteCount) {
    invalid(w, `${what}: the fixed counters disagree with \`stats\` (a counter stats leaves out must be 0)`)
  }
  return m.stats
}

/**
 * `true` when a 1.1-1.4 message carries everything `stats` says: only counters the
 * fixed fields hold (of `kind`), agreeing with them. Otherwise encoding in those
 * versions would drop what `stats` adds.
 */
export const fitsFixed = (stats: Stats, kind: "flow" | "aggregate"): boolean => {
  for (const f of stats) {
    if (f.field === "opaque" || f.field === "idleTime") return false
    if (kind === "flow" ? f.field === "flowCount" : f.field === "duration") return false
  }
  return true
}
