/**
 * Ryu mappings of the multipart requests and replies (FLOW and AGGREGATE are in
 * `flowStats.ts`, TABLE_FEATURES in `tableFeatures.ts`).
 *
 * Ryu's classes are `OFP<Kind>StatsRequest` / `OFP<Kind>StatsReply` with the multipart
 * `type` number and `flags`; a reply's entries are in `body`, each wrapped in its own
 * class (`OFPTableStats`, `OFPQueueStats`, ...), and a reply with a single body (DESC,
 * GROUP_FEATURES) has `body` as one object. METER_FEATURES is the exception: Ryu shows
 * its single body as a one-element list. PORT_DESC entries are `OFPPort`, the same as
 * PORT_STATUS. GROUP_DESC entries are `OFPGroupDescStats` (group type as `type`) with
 * `OFPBucket`s, mapped as the flow family maps GROUP_MOD's. Experimenter multipart
 * messages are `OFPExperimenterStatsRequest` and `OFPExperimenterStatsReply`, the
 * reply's fields wrapped in `OFPExperimenterMultipart`, except the one experimenter
 * request Ryu decodes: ONF's flow monitor request (OpenFlow 1.3 extension 187,
 * experimenter 0x4f4e4600, type 1870), `ONFFlowMonitorStatsRequest`, whose body
 * {@link onfFlowMonitorBody} decodes here, in the test, as Ryu does.
 */
import type { Message, MeterStats, Multipart } from "@switchyard/openflow"
import { Port } from "@switchyard/openflow"
import { decodeMatch } from "../../src/internal/match.ts"
import { Reader } from "../../src/internal/reader.ts"
import { fields, wrap, type Json, type RyuObject } from "./common.ts"
import { meterBand, port, tableDesc } from "./config.ts"
import { experimenterProperty, unknownProperty } from "./properties.ts"
import { bucket, bucket15, bucketArrayLength, groupProperty, match } from "./flow.ts"

type Of<T extends Message.Tag> = Message.Of<T>

/** A request without a body: `OFP<name> { flags, type }`. */
const bare = <M extends { readonly flags: number }>(className: string, type: number) => (m: M): RyuObject =>
  wrap(className, { flags: m.flags, type })

/** A request or reply: its fields plus the multipart `type` number. */
const typed = <M extends object>(className: string, type: number, body?: (m: M) => { readonly [k: string]: Json }) => (m: M): RyuObject =>
  wrap(className, { ...(body !== undefined ? body(m) : fields(m)), type })

/** A reply whose entries are in `body`, each wrapped in `entryClass`. */
const list = <M extends { readonly flags: number }, E extends object>(
  className: string,
  type: number,
  entries: (m: M) => ReadonlyArray<E>,
  entry: (e: E) => RyuObject
) => (m: M): RyuObject => wrap(className, { flags: m.flags, type, body: entries(m).map(entry) })

const ONF = 0x4f4e_4600
const ONFMP_FLOW_MONITOR = 1870

const u16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!
const u32 = (b: Uint8Array, at: number) => ((b[at]! << 24) >>> 0) + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!)

/**
 * The body of ONF's flow monitor request as Ryu shows it: entries of `id u32, flags u16,
 * match_len u16, out_port u32, table_id u8, pad[3]` followed by `match_len` bytes of OXM
 * fields padded to 8, each shown as an `OFPMatch` (decoded loosely by the match codec).
 */
const onfFlowMonitorBody = (data: Uint8Array): Array<Json> => {
  const out: Array<Json> = []
  let at = 0
  while (at < data.length) {
    const matchLen = u16(data, at + 6)
    const oxm = new Uint8Array(((matchLen + 4 + 7) & ~7))
    oxm.set([0, 1, (matchLen + 4) >> 8, (matchLen + 4) & 0xff])
    oxm.set(data.subarray(at + 16, at + 16 + matchLen), 4)
    const decoded = decodeMatch(new Reader(oxm, 0, oxm.length, 4), false)
    if (!Array.isArray(decoded)) throw new Error(`ryu mapping: ONF flow monitor match does not decode: ${String(decoded)}`)
    out.push(wrap("ONFFlowMonitorRequest", {
      id: u32(data, at),
      flags: u16(data, at + 4),
      match_len: matchLen,
      out_port: u32(data, at + 8),
      table_id: data[at + 12]!,
      match: match(decoded)
    }))
    at += 16 + ((matchLen + 7) & ~7)
  }
  return out
}

const experimenterRequest = (m: Multipart.ExperimenterMultipartRequest): RyuObject =>
  m.experimenter === ONF && m.expType === ONFMP_FLOW_MONITOR
    ? wrap("ONFFlowMonitorStatsRequest", { flags: m.flags, type: 0xffff, experimenter: m.experimenter, exp_type: m.expType, body: onfFlowMonitorBody(m.data) })
    : wrap("OFPExperimenterStatsRequest", { ...fields(m), type: 0xffff })

/** Ryu 1.5 calls a meter's `flow_count` `ref_count`. */
const meterStats = (version: number) => (s: MeterStats.MeterStats): RyuObject =>
  wrap(
    "OFPMeterStats",
    fields(s, {
      ...(version >= 6 ? { rename: { flowCount: "ref_count" } } : {}),
      convert: { bandStats: (b) => b.map((x) => wrap("OFPMeterBandStats", fields(x))) }
    })
  )

export const multipart = {
  DescRequest: bare<Of<"DescRequest">>("OFPDescStatsRequest", 0),
  DescReply: (m: Of<"DescReply">) =>
    wrap("OFPDescStatsReply", { flags: m.flags, type: 0, body: wrap("OFPDescStats", fields(m, { omit: ["flags"] })) }),
  TableStatsRequest: bare<Of<"TableStatsRequest">>("OFPTableStatsRequest", 3),
  TableStatsReply: list("OFPTableStatsReply", 3, (m: Of<"TableStatsReply">) => m.stats, (s) => wrap("OFPTableStats", fields(s))),
  PortStatsRequest: typed<Of<"PortStatsRequest">>("OFPPortStatsRequest", 4),
  // From OpenFlow 1.4 the Ethernet error counters are the `OFPPortStatsPropEthernet` property.
  PortStatsReply: (m: Of<"PortStatsReply">, version: number) =>
    wrap("OFPPortStatsReply", {
      flags: m.flags,
      type: 4,
      body: m.stats.map((s) =>
        version < 5 ? wrap("OFPPortStats", fields(s)) : wrap("OFPPortStats", {
          ...fields(s, { omit: ["rxFrameErr", "rxOverErr", "rxCrcErr", "collisions", "properties"] }),
          properties: [
            wrap("OFPPortStatsPropEthernet", {
              type: 0,
              rx_frame_err: s.rxFrameErr,
              rx_over_err: s.rxOverErr,
              rx_crc_err: s.rxCrcErr,
              collisions: s.collisions
            }),
            ...(s.properties ?? []).map((p) =>
              p._tag === "PortStatsPropOptical"
                ? wrap("OFPPortStatsPropOptical", { type: 1, ...fields(p) })
                : p._tag === "ExperimenterProperty"
                ? experimenterProperty("OFPPortStatsPropExperimenter", p)
                : unknownProperty(p)
            )
          ]
        })
      )
    }),
  PortDescRequest: (m: Of<"PortDescRequest">, version: number) =>
    wrap("OFPPortDescStatsRequest", version >= 6 ? { flags: m.flags, type: 13, port_no: m.portNo ?? Port.ANY } : { flags: m.flags, type: 13 }),
  PortDescReply: (m: Of<"PortDescReply">, version: number) =>
    wrap("OFPPortDescStatsReply", { flags: m.flags, type: 13, body: m.ports.map((p) => port(p, version)) }),
  QueueStatsRequest: typed<Of<"QueueStatsRequest">>("OFPQueueStatsRequest", 5),
  // From OpenFlow 1.4 queue statistics have properties (experimenter only).
  QueueStatsReply: (m: Of<"QueueStatsReply">, version: number) =>
    wrap("OFPQueueStatsReply", {
      flags: m.flags,
      type: 5,
      body: m.stats.map((s) =>
        wrap("OFPQueueStats", {
          ...fields(s, { omit: ["properties"] }),
          ...(version >= 5
            ? {
              properties: (s.properties ?? []).map((p) =>
                p._tag === "ExperimenterProperty" ? experimenterProperty("OFPQueueStatsPropExperimenter", p) : unknownProperty(p)
              )
            }
            : {})
        })
      )
    }),
  QueueDescRequest: typed<Of<"QueueDescRequest">>("OFPQueueDescStatsRequest", 15),
  QueueDescReply: (m: Of<"QueueDescReply">) =>
    wrap("OFPQueueDescStatsReply", {
      flags: m.flags,
      type: 15,
      body: m.queues.map((q) =>
        wrap("OFPQueueDesc", {
          port_no: q.portNo,
          queue_id: q.queueId,
          properties: q.properties.map((p) => {
            switch (p._tag) {
              case "QueueDescPropMinRate":
                return wrap("OFPQueueDescPropMinRate", { type: 1, rate: p.rate })
              case "QueueDescPropMaxRate":
                return wrap("OFPQueueDescPropMaxRate", { type: 2, rate: p.rate })
              case "ExperimenterProperty":
                return experimenterProperty("OFPQueueDescPropExperimenter", p)
              case "UnknownProperty":
                return unknownProperty(p)
            }
          })
        })
      )
    }),
  GroupStatsRequest: typed<Of<"GroupStatsRequest">>("OFPGroupStatsRequest", 6),
  GroupStatsReply: list("OFPGroupStatsReply", 6, (m: Of<"GroupStatsReply">) => m.stats, (s) =>
    wrap("OFPGroupStats", fields(s, { convert: { bucketStats: (b) => b.map((x) => wrap("OFPBucketCounter", fields(x))) } }))),
  // OpenFlow 1.5: the request names a group; entries have 1.5 buckets and properties.
  GroupDescRequest: (m: Of<"GroupDescRequest">, version: number) =>
    wrap("OFPGroupDescStatsRequest", { flags: m.flags, type: 7, ...(version >= 6 ? { group_id: m.groupId ?? 0xffff_fffc } : {}) }),
  GroupDescReply: (m: Of<"GroupDescReply">, version: number) =>
    wrap("OFPGroupDescStatsReply", {
      flags: m.flags,
      type: 7,
      body: m.groups.map((g) =>
        version < 6
          ? wrap("OFPGroupDescStats", fields(g, { rename: { groupType: "type" }, convert: { buckets: (b) => b.map(bucket) } }))
          : wrap("OFPGroupDescStats", {
            type: g.groupType,
            group_id: g.groupId,
            bucket_array_len: bucketArrayLength(g.buckets, g.groupType),
            buckets: g.buckets.map((b, i) => bucket15(b, i, g.groupType)),
            properties: (g.properties ?? []).map(groupProperty)
          })
      )
    }),
  GroupFeaturesRequest: bare<Of<"GroupFeaturesRequest">>("OFPGroupFeaturesStatsRequest", 8),
  GroupFeaturesReply: (m: Of<"GroupFeaturesReply">) =>
    wrap("OFPGroupFeaturesStatsReply", { flags: m.flags, type: 8, body: wrap("OFPGroupFeaturesStats", fields(m, { omit: ["flags"] })) }),
  MeterStatsRequest: typed<Of<"MeterStatsRequest">>("OFPMeterStatsRequest", 9),
  MeterStatsReply: (m: Of<"MeterStatsReply">, version: number) =>
    wrap("OFPMeterStatsReply", { flags: m.flags, type: 9, body: m.stats.map(meterStats(version)) }),
  // OpenFlow 1.5 renamed METER_CONFIG to METER_DESC (same number and layout).
  MeterConfigRequest: (m: Of<"MeterConfigRequest">, version: number) =>
    wrap(version >= 6 ? "OFPMeterDescStatsRequest" : "OFPMeterConfigStatsRequest", { ...fields(m), type: 10 }),
  MeterConfigReply: (m: Of<"MeterConfigReply">, version: number) =>
    wrap(version >= 6 ? "OFPMeterDescStatsReply" : "OFPMeterConfigStatsReply", {
      flags: m.flags,
      type: 10,
      body: m.meters.map((c) =>
        wrap(version >= 6 ? "OFPMeterDescStats" : "OFPMeterConfigStats", fields(c, { convert: { bands: (bands) => bands.map(meterBand) } }))
      )
    }),
  MeterFeaturesRequest: bare<Of<"MeterFeaturesRequest">>("OFPMeterFeaturesStatsRequest", 11),
  // From OpenFlow 1.5 Ryu shows `features` (0 when we leave it out).
  MeterFeaturesReply: (m: Of<"MeterFeaturesReply">, version: number) =>
    wrap("OFPMeterFeaturesStatsReply", {
      flags: m.flags,
      type: 11,
      body: [wrap("OFPMeterFeaturesStats", { ...fields(m, { omit: ["flags"] }), ...(version >= 6 ? { features: m.features ?? 0 } : {}) })]
    }),
  TableDescRequest: bare<Of<"TableDescRequest">>("OFPTableDescStatsRequest", 14),
  TableDescReply: (m: Of<"TableDescReply">) => wrap("OFPTableDescStatsReply", { flags: m.flags, type: 14, body: m.tables.map(tableDesc) }),
  ExperimenterMultipartRequest: experimenterRequest,
  ExperimenterMultipartReply: (m: Of<"ExperimenterMultipartReply">) =>
    wrap("OFPExperimenterStatsReply", { flags: m.flags, type: 0xffff, body: wrap("OFPExperimenterMultipart", fields(m, { omit: ["flags"] })) })
}
