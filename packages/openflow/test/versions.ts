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
import { Async, Message, type Version } from "@switchyard/openflow"
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
  const copy: Record<string, unknown> = { ...(o as Record<string, unknown>) }
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

/** Buckets as `version` carries them: 1.5 numbers buckets without an id by position. */
const projectBuckets = (buckets: ReadonlyArray<Any>, version: number): Array<Any> =>
  buckets.map((b, i) =>
    version < 6
      ? without(without(b, "bucketId", true), "properties", true)
      : later({ ...b, bucketId: b.bucketId ?? i }, "properties", version, 6)
  )

/** Table-features properties 1.3 does not have (1.4's TABLE_SYNC_FROM, 1.5's copy-field and packet types). */
const laterTableProperties = new Set([
  "TableFeaturePropTableSyncFrom",
  "TableFeaturePropWriteCopyfield",
  "TableFeaturePropApplyCopyfield",
  "TableFeaturePropPacketTypes"
])

const projectTable = (t: Any, version: number): Any =>
  later(
    later({ ...t, properties: version < 5 ? t.properties.filter((p: Any) => !laterTableProperties.has(p._tag)) : t.properties }, "command", version, 6),
    "features",
    version,
    6
  )

/**
 * An async configuration as `version` carries it: 1.3 has the three mask pairs only; 1.4
 * the kinds up to REQUESTFORWARD; a later kind both of whose properties are left out is
 * not sent at all, so it decodes as absent.
 */
const maskFields = Async.maskFields

const projectAsync = (m: Any, version: number): Any => {
  if (version < 5) {
    return { _tag: m._tag, packetInMask: m.packetInMask, portStatusMask: m.portStatusMask, flowRemovedMask: m.flowRemovedMask }
  }
  const out: Any = { ...m }
  let omitted = m.omitted ?? 0
  for (let k = 3; k < maskFields.length; k++) {
    const both = 3 << (2 * k)
    if (k >= 6 && version < 6) {
      delete out[maskFields[k]]
      omitted &= ~both
    } else if ((omitted & both) === both) {
      delete out[maskFields[k]]
      omitted &= ~both
    }
  }
  return later(later({ ...out, omitted }, "omitted", version, 5), "experimenter", version, 5)
}

/** A bundled or forwarded message as `version` carries it, or a stand-in when the version lacks its kind. */
const projectInner = (inner: Any, version: number): Any =>
  Message.isEncodable(inner._tag, version as Version.Version) ? project(inner, version) : { _tag: "EchoRequest", data: new Uint8Array(0) }

/** Bundle flags 1.4 does not have (1.5's TIME). */
const bundleFlags = (flags: number, version: number): number => (version < 6 ? flags & 0x3 : flags)

const projections: { readonly [tag: string]: (m: Any, version: number) => Any } = {
  GetAsyncReply: projectAsync,
  SetAsync: projectAsync,
  FlowStatsReply: (m, v) => ({ ...m, stats: m.stats.map((s: Any) => projectCounters(later(s, "importance", v, 5), v, "flow")) }),
  AggregateStatsReply: (m, v) => projectCounters(m, v, "aggregate"),
  BundleControl: (m, v) => ({ ...m, flags: bundleFlags(m.flags, v) }),
  BundleAddMessage: (m, v) => ({ ...m, flags: bundleFlags(m.flags, v), message: projectInner(m.message, v) }),
  RequestForward: (m, v) => ({ ...m, request: project(m.request, v) }),
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
  // INSERT_BUCKET and REMOVE_BUCKET exist only in 1.5: earlier versions get a MODIFY.
  GroupMod: (m, v) =>
    later(
      without({ ...m, command: v < 6 && m.command > 2 ? 1 : m.command, buckets: projectBuckets(m.buckets, v) }, "commandBucketId", v < 6 || m.commandBucketId === undefined || m.commandBucketId === 0xffff_ffff),
      "properties",
      v,
      6
    ),
  TableFeaturesRequest: (m, v) => ({ ...m, tables: m.tables.map((t: Any) => projectTable(t, v)) }),
  TableFeaturesReply: (m, v) => ({ ...m, tables: m.tables.map((t: Any) => projectTable(t, v)) }),
  GroupDescRequest: (m, v) => without(m, "groupId", v < 6 || m.groupId === undefined || m.groupId === 0xffff_fffc),
  GroupDescReply: (m, v) => ({ ...m, groups: m.groups.map((g: Any) => later({ ...g, buckets: projectBuckets(g.buckets, v) }, "properties", v, 6)) }),
  PortDescRequest: (m, v) => without(m, "portNo", v < 6 || m.portNo === undefined || m.portNo === 0xffff_ffff),
  PortDescReply: (m, v) => ({ ...m, ports: m.ports.map((p: Any) => projectPort(p, v)) })
}

/**
 * Action and instruction kinds that exist only in some versions: 1.5's meter and
 * copy-field actions and stat-trigger instruction, and the meter instruction 1.5 dropped.
 * A list loses those its version does not have (the encoder refuses them with
 * OFPBAC_BAD_TYPE / OFPBIC_UNKNOWN_INST).
 */
const onlyFrom15 = new Set(["MeterAction", "CopyField", "StatTrigger"])
const until14 = new Set(["Meter"])

/** `value` with every action and instruction `version` lacks removed from every list in it. */
export const projectLists = (value: Any, version: number): Any => {
  if (value instanceof Uint8Array || value === null || typeof value !== "object") return value
  if (Array.isArray(value)) {
    return value
      .filter((x) => !(x !== null && typeof x === "object" && typeof x._tag === "string" &&
        (version < 6 ? onlyFrom15.has(x._tag) : until14.has(x._tag)) && ("meterId" in x || "nBits" in x || "thresholds" in x)))
      .map((x) => projectLists(x, version))
  }
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k] = projectLists(v, version)
  // OpenFlow 1.5 requires OFPVID_PRESENT in a set-field VLAN id (the encoder refuses it otherwise).
  if (version >= 6 && value._tag === "SetField" && value.field.field === "vlanVid") {
    const f = value.field
    out["field"] = { ...f, value: f.value | 0x1000, ...(f.mask === undefined ? {} : { mask: f.mask | 0x1000 }) }
  }
  return out
}

/**
 * `m` as `version` carries it: later-version fields dropped before their version,
 * optional fields holding their default left out, actions and instructions the version
 * lacks removed, and 1.5 set-field VLAN ids given OFPVID_PRESENT.
 */
export const project = <M extends Message.Message>(m: M, version: number): M =>
  projectLists(projections[m._tag]?.(m, version) ?? m, version) as M
