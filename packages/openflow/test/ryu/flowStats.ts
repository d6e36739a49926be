/**
 * Ryu mappings of the FLOW and AGGREGATE multipart requests and replies.
 *
 * Ryu names: `OFPFlowStatsRequest` / `OFPAggregateStatsRequest` with the multipart
 * `type` (1, 2) and the selection's fields, the match as `OFPMatch` (mapped with the flow
 * family's mappings in `flow.ts`); FLOW reply entries are `OFPFlowStats` with their
 * instructions as `OFPInstruction*`; the AGGREGATE reply's single body is
 * `OFPAggregateStats`.
 */
import type { Message } from "@switchyard/openflow"
import { fields, wrap } from "./common.ts"
import { canonicalAggregate, canonicalFlow } from "../../src/internal/stats.ts"
import { instruction, match } from "./flow.ts"
import { stats as oxsStats } from "./stats.ts"

type Of<T extends Message.Tag> = Message.Of<T>

const flowEntry = (s: Of<"FlowStatsReply">["stats"][number], version: number) => {
  const converted = { convert: { match, instructions: (is: Of<"FlowStatsReply">["stats"][number]["instructions"]) => is.map(instruction) } }
  if (version < 5) return wrap("OFPFlowStats", fields(s, converted))
  if (version === 5) return wrap("OFPFlowStats", { ...fields(s, converted), importance: s.importance ?? 0 })
  // OpenFlow 1.5's FLOW_DESC entry: the counters are OXS statistics.
  return wrap("OFPFlowDesc", {
    ...fields(s, { ...converted, omit: ["durationSec", "durationNsec", "packetCount", "byteCount", "stats"] }),
    importance: s.importance ?? 0,
    stats: oxsStats(s.stats ?? canonicalFlow(s))
  })
}

/**
 * Ryu 1.5 names FLOW (type 1) `OFPFlowDesc...` and its FLOW_STATS (type 17), our
 * FlowCounters, `OFPFlowStats...`; from 1.4 FLOW entries show `importance`.
 */
export const flowStats = {
  FlowStatsRequest: (m: Of<"FlowStatsRequest">, version: number) =>
    wrap(version >= 6 ? "OFPFlowDescStatsRequest" : "OFPFlowStatsRequest", { ...fields(m, { convert: { match } }), type: 1 }),
  AggregateStatsRequest: (m: Of<"AggregateStatsRequest">) =>
    wrap("OFPAggregateStatsRequest", { ...fields(m, { convert: { match } }), type: 2 }),
  FlowStatsReply: (m: Of<"FlowStatsReply">, version: number) =>
    wrap(version >= 6 ? "OFPFlowDescStatsReply" : "OFPFlowStatsReply", {
      flags: m.flags,
      type: 1,
      body: m.stats.map((s) => flowEntry(s, version))
    }),
  AggregateStatsReply: (m: Of<"AggregateStatsReply">, version: number) =>
    wrap("OFPAggregateStatsReply", {
      flags: m.flags,
      type: 2,
      body: wrap(
        "OFPAggregateStats",
        version >= 6 ? { stats: oxsStats(m.stats ?? canonicalAggregate(m)) } : fields(m, { omit: ["flags"] })
      )
    }),
  // Ryu shows one monitor per request, its flags as `monitor_flags`; no vector has more.
  FlowMonitorRequest: (m: Of<"FlowMonitorRequest">) => {
    if (m.monitors.length !== 1) throw new Error("ryu mapping: Ryu shows exactly one monitor per FLOW_MONITOR request")
    return wrap("OFPFlowMonitorRequest", { flags: m.flags, type: 16, ...fields(m.monitors[0]!, { convert: { match } }) })
  },
  FlowMonitorReply: (m: Of<"FlowMonitorReply">) =>
    wrap("OFPFlowMonitorReply", {
      flags: m.flags,
      type: 16,
      body: m.updates.map((u) => {
        switch (u._tag) {
          case "FlowUpdateFull":
            return wrap("OFPFlowUpdateFull", fields(u, { convert: { match, instructions: (is) => is.map(instruction) } }))
          case "FlowUpdateAbbrev":
            return wrap("OFPFlowUpdateAbbrev", { event: 4, xid: u.xid })
          case "FlowUpdatePaused":
            return wrap("OFPFlowUpdatePaused", { event: u.event })
          case "FlowUpdateUnknown":
            // Ryu has no class for unknown events; no vector has one.
            return wrap("FlowUpdateUnknown", { event: u.event, data: [...u.data] })
        }
      })
    }),
  FlowCountersRequest: (m: Of<"FlowCountersRequest">) =>
    wrap("OFPFlowStatsRequest", { ...fields(m, { convert: { match } }), type: 17 }),
  FlowCountersReply: (m: Of<"FlowCountersReply">) =>
    wrap("OFPFlowStatsReply", {
      flags: m.flags,
      type: 17,
      body: m.flows.map((f) => wrap("OFPFlowStats", fields(f, { convert: { match, stats: oxsStats } })))
    })
}
