/**
 * What one wire version makes of a version-free message: the value that
 * `decode(encode(m, version))` gives back.
 *
 * The model is written once for every version, with optional fields for what later
 * versions add (a flow mod's `importance`, a port's `properties`, a 1.5 packet-out's
 * `match`, ...). A version without such a field cannot carry a non-default value (the
 * encoder refuses it), and every decoder leaves an optional field out when it holds its
 * default, so a message that uses no later feature looks the same whichever version
 * carried it. {@link project} applies exactly these two rules to a generated value, so
 * a property test can encode any Schema value in any version and compare. Each rule is
 * the codec's documented behaviour, not a tolerance.
 */
import type { Message } from "@switchyard/openflow"
import {
  aggregateCounters,
  canonicalAggregate,
  canonicalFlow,
  flowCounters,
  sameStats
} from "../src/internal/stats.ts"

type Any = any

/** Drops `key` from `o` (a copy) when `drop` says so. */
const without = <T extends object>(o: T, key: string, drop: boolean): T => {
  if (!drop || !(key in o)) return o
  const copy: Record<string, unknown> = { ...o }
  delete copy[key]
  return copy as T
}

/** `true` for the default of an optional field: absent, 0, or an empty list. */
const isDefault = (v: unknown): boolean => v === undefined || v === 0 || (Array.isArray(v) && v.length === 0)

/** Keeps an optional field only from `since` on, and only when it is not its default. */
const later = <T extends object>(o: T, key: string, version: number, since: number): T =>
  without(o, key, version < since || isDefault((o as Any)[key]))

/** A port as `version` carries it. */
export const projectPort = (p: Any, version: number): Any => later(p, "properties", version, 5)

/**
 * Fixed counters and OXS `stats` as `version` carries them: before 1.5 only the fixed
 * counters; in 1.5 the counters `stats` implies, and `stats` only when it is not the
 * canonical list (so a generated `stats` that disagrees with the generated counters is
 * taken as the truth, which is what a 1.5 switch's list is).
 */
export const projectCounters = (m: Any, version: number, kind: "flow" | "aggregate"): Any => {
  if (m.stats === undefined) return m
  if (version < 6) return without(m, "stats", true)
  if (kind === "flow") {
    const c = flowCounters(m.stats, { durationSec: 0, durationNsec: 0, packetCount: 0n, byteCount: 0n })
    return without({ ...m, ...c }, "stats", sameStats(m.stats, canonicalFlow(c)))
  }
  const c = aggregateCounters(m.stats, { packetCount: 0n, byteCount: 0n, flowCount: 0 })
  return without({ ...m, ...c }, "stats", sameStats(m.stats, canonicalAggregate(c)))
}

/**
 * Drops an OpenFlow 1.0-only field outside 1.0 (FEATURES_REPLY's `actions` and `ports`,
 * a table statistics entry's description, a flow mod's `of10Wildcards`): other versions
 * refuse it, except the wildcards hint, which they ignore.
 */
const only10 = <T extends object>(o: T, key: string, version: number): T => without(o, key, version !== 1)

const projections: { readonly [tag: string]: (m: Any, version: number) => Any } = {
  FlowMod: (m, v) => only10(later(m, "importance", v, 5), "of10Wildcards", v),
  FeaturesReply: (m, v) => only10(only10(m, "actions", v), "ports", v),
  TableStatsReply: (m, v) => ({
    ...m,
    stats: m.stats.map((s: Any) => only10(only10(only10(s, "name", v), "wildcards", v), "maxEntries", v))
  }),
  PacketOut: (m, v) => later(m, "match", v, 6),
  FlowRemoved: (m, v) => projectCounters(m, v, "flow"),
  MeterFeaturesReply: (m, v) => later(m, "features", v, 6),
  RoleRequest: (m, v) => later(m, "shortId", v, 6),
  RoleReply: (m, v) => later(m, "shortId", v, 6),
  PortStatus: (m, v) => ({ ...m, desc: projectPort(m.desc, v) }),
  PortMod: (m, v) => later(m, "properties", v, 5),
  TableMod: (m, v) => later(m, "properties", v, 5),
  QueueStatsReply: (m, v) => ({ ...m, stats: m.stats.map((s: Any) => later(s, "properties", v, 5)) }),
  PortStatsReply: (m, v) => ({ ...m, stats: m.stats.map((s: Any) => later(s, "properties", v, 5)) }),
  PortDescRequest: (m, v) => without(m, "portNo", v < 6 || m.portNo === undefined || m.portNo === 0xffff_ffff),
  PortDescReply: (m, v) => ({ ...m, ports: m.ports.map((p: Any) => projectPort(p, v)) })
}

/**
 * `m` as `version` carries it: later-version fields dropped before their version, and
 * optional fields holding their default left out.
 */
export const project = <M extends Message.Message>(m: M, version: number): M => (projections[m._tag]?.(m, version) ?? m) as M
