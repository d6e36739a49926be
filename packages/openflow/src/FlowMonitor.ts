/**
 * The FLOW_MONITOR multipart request and reply (OpenFlow 1.4+): watching a switch's flow
 * tables change.
 *
 * Instead of polling FLOW statistics, a controller registers monitors: each selects
 * flows (by table, output port or group, and match) and says which changes to report
 * (initial contents, additions, removals, modifications) and how much of each flow to
 * include. The switch first answers with the flows that match, then keeps sending
 * replies with the request's xid as the tables change: full updates, abbreviated ones
 * for changes this controller made itself (naming the xid of its flow mod), and
 * PAUSED/RESUMED when it had to stop reporting for lack of buffer space.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Instruction from "./Instruction.ts"
import * as Match from "./Match.ts"
import * as Port from "./Port.ts"
import * as Uint from "./Uint.ts"

/**
 * One monitor of a FLOW_MONITOR request (`ofp_flow_monitor_request`).
 *
 * @category models
 * @since 0.1.0
 */
export const Monitor = Schema.Struct({
  /** The controller-chosen id of the monitor. */
  monitorId: Uint.Uint32,
  /** Only flows that output to this port; `Port.ANY` for no filter. */
  outPort: Port.PortNumber,
  /** Only flows that output to this group; 0xffffffff (`OFPG_ANY`) for no filter. */
  outGroup: Uint.Uint32,
  /** Bitmap of {@link MonitorFlag}: what to report. */
  monitorFlags: Uint.Uint16,
  /** The table to watch, or 0xff for every table. */
  tableId: Uint.Uint8,
  /** One of {@link Command}. */
  command: Schema.Literals([0, 1, 2]),
  /** Only flows whose match is at least as specific as this one. */
  match: Match.Match
})
/** @category models @since 0.1.0 */
export type Monitor = typeof Monitor.Type

/**
 * OFPMP_FLOW_MONITOR request (OpenFlow 1.4 §7.3.5.19).
 *
 * @category models
 * @since 0.1.0
 */
export const FlowMonitorRequest = Schema.TaggedStruct("FlowMonitorRequest", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  /** The monitors to add, change or remove, in wire order. */
  monitors: Schema.Array(Monitor)
})
/** @category models @since 0.1.0 */
export type FlowMonitorRequest = typeof FlowMonitorRequest.Type

/**
 * A full flow update (`ofp_flow_update_full`): a flow that was there initially, added,
 * removed or modified.
 *
 * @category models
 * @since 0.1.0
 */
export const FlowUpdateFull = Schema.TaggedStruct("FlowUpdateFull", {
  /** One of {@link Event} INITIAL, ADDED, REMOVED, MODIFIED. */
  event: Schema.Literals([0, 1, 2, 3]),
  tableId: Uint.Uint8,
  /** For REMOVED, the `FlowRemoved.Reason`. */
  reason: Uint.Uint8,
  idleTimeout: Uint.Uint16,
  hardTimeout: Uint.Uint16,
  priority: Uint.Uint16,
  cookie: Uint.Uint64,
  /** The flow's match as the switch reports it. */
  match: Match.Match,
  /** Included when the monitor asked for them (`MonitorFlag.INSTRUCTIONS`). */
  instructions: Instruction.Instructions
})
/** @category models @since 0.1.0 */
export type FlowUpdateFull = typeof FlowUpdateFull.Type

/**
 * An abbreviated update (`ofp_flow_update_abbrev`): a change this controller made, named
 * by the xid of its flow mod.
 *
 * @category models
 * @since 0.1.0
 */
export const FlowUpdateAbbrev = Schema.TaggedStruct("FlowUpdateAbbrev", {
  xid: Uint.Uint32
})
/** @category models @since 0.1.0 */
export type FlowUpdateAbbrev = typeof FlowUpdateAbbrev.Type

/**
 * Monitoring stopped or restarted (`ofp_flow_update_paused`, events PAUSED and RESUMED).
 *
 * @category models
 * @since 0.1.0
 */
export const FlowUpdatePaused = Schema.TaggedStruct("FlowUpdatePaused", {
  /** {@link Event} PAUSED (5) or RESUMED (6). */
  event: Schema.Literals([5, 6])
})
/** @category models @since 0.1.0 */
export type FlowUpdatePaused = typeof FlowUpdatePaused.Type

/**
 * An update of an event this codec does not know, kept byte for byte.
 *
 * @category models
 * @since 0.1.0
 */
export const FlowUpdateUnknown = Schema.TaggedStruct("FlowUpdateUnknown", {
  /** Any event but 0-6, which decode as the kinds above. */
  event: Uint.Uint16.check(Schema.makeFilter((e: number) => (e <= 6 ? "an event other than 0-6" : undefined))),
  /** The update after its 4-byte header; a view in decoded messages. */
  data: Schema.Uint8Array.check(Schema.isMaxLength(0xffff - 4))
})
/** @category models @since 0.1.0 */
export type FlowUpdateUnknown = typeof FlowUpdateUnknown.Type

/** One update of a FLOW_MONITOR reply. @category models @since 0.1.0 */
export const FlowUpdate = Schema.Union([FlowUpdateFull, FlowUpdateAbbrev, FlowUpdatePaused, FlowUpdateUnknown])
/** @category models @since 0.1.0 */
export type FlowUpdate = typeof FlowUpdate.Type

/**
 * OFPMP_FLOW_MONITOR reply.
 *
 * @category models
 * @since 0.1.0
 */
export const FlowMonitorReply = Schema.TaggedStruct("FlowMonitorReply", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  updates: Schema.Array(FlowUpdate)
})
/** @category models @since 0.1.0 */
export type FlowMonitorReply = typeof FlowMonitorReply.Type

/**
 * Monitor commands (`OFPFMC_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const Command = {
  ADD: 0,
  MODIFY: 1,
  DELETE: 2
} as const

/**
 * Monitor flags (`OFPFMF_*`): which changes to report, and what to include.
 *
 * @category constants
 * @since 0.1.0
 */
export const MonitorFlag = {
  /** The flows that match when the monitor is added. */
  INITIAL: 1 << 0,
  /** Flows as they are added. */
  ADD: 1 << 1,
  /** Flows as they are removed. */
  REMOVED: 1 << 2,
  /** Flows as they change. */
  MODIFY: 1 << 3,
  /** Include the instructions. */
  INSTRUCTIONS: 1 << 4,
  /** Report this controller's own changes in full, not abbreviated. */
  NO_ABBREV: 1 << 5,
  /** Report only this controller's own changes. */
  ONLY_OWN: 1 << 6
} as const

/**
 * Update events (`OFPFME_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const Event = {
  INITIAL: 0,
  ADDED: 1,
  REMOVED: 2,
  MODIFIED: 3,
  ABBREV: 4,
  PAUSED: 5,
  RESUMED: 6
} as const

/**
 * A FLOW_MONITOR request adding one monitor that reports every change to the flows of
 * `tableId` (default every table), with instructions.
 *
 * @example
 * ```ts
 * import { FlowMonitor } from "@switchyard/openflow"
 *
 * const watch = FlowMonitor.add(1)
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const add = (monitorId: number, options?: { readonly tableId?: number; readonly match?: Match.Match }): FlowMonitorRequest => ({
  _tag: "FlowMonitorRequest",
  flags: 0,
  monitors: [{
    monitorId,
    outPort: Port.ANY,
    outGroup: 0xffff_ffff,
    monitorFlags: MonitorFlag.INITIAL | MonitorFlag.ADD | MonitorFlag.REMOVED | MonitorFlag.MODIFY | MonitorFlag.INSTRUCTIONS,
    tableId: options?.tableId ?? 0xff,
    command: Command.ADD,
    match: options?.match ?? Match.empty
  }]
})
