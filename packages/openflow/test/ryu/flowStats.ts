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
import { instruction, match } from "./flow.ts"

type Of<T extends Message.Tag> = Message.Of<T>

export const flowStats = {
  FlowStatsRequest: (m: Of<"FlowStatsRequest">) => wrap("OFPFlowStatsRequest", { ...fields(m, { convert: { match } }), type: 1 }),
  AggregateStatsRequest: (m: Of<"AggregateStatsRequest">) =>
    wrap("OFPAggregateStatsRequest", { ...fields(m, { convert: { match } }), type: 2 }),
  FlowStatsReply: (m: Of<"FlowStatsReply">) =>
    wrap("OFPFlowStatsReply", {
      flags: m.flags,
      type: 1,
      body: m.stats.map((s) => wrap("OFPFlowStats", fields(s, { convert: { match, instructions: (is) => is.map(instruction) } })))
    }),
  AggregateStatsReply: (m: Of<"AggregateStatsReply">) =>
    wrap("OFPAggregateStatsReply", { flags: m.flags, type: 2, body: wrap("OFPAggregateStats", fields(m, { omit: ["flags"] })) })
}
