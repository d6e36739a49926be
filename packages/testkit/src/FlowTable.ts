/**
 * A real OpenFlow 1.3 flow table in memory: it applies FLOW_MOD and GROUP_MOD messages,
 * matches packets, runs instructions and actions on real frames, and answers "where does
 * this packet go?".
 *
 * Testing a controller app by checking which messages it sent says little: two different
 * flow mods can program the same forwarding, and one wrong priority or mask can make a
 * correct-looking message forward nothing. So, like Faucet's `FakeOFTable`, this table
 * applies the messages with the semantics of OpenFlow 1.3 §5 and §6.4 (priorities, masked
 * matches, identical-entry replacement, CHECK_OVERLAP, strict and non-strict
 * modify/delete with cookie and out_port/out_group filters, idle and hard timeouts,
 * instructions in their fixed order, the action set, groups) and lets tests ask about
 * forwarding. It is stricter than a real switch where leniency would hide an app bug:
 * output to the ingress port without IN_PORT is dropped, a set-field whose prerequisite
 * the match does not guarantee is refused (as Open vSwitch refuses it), two entries of the
 * same priority matching one packet are reported, and a flow mod it cannot model
 * (NORMAL, experimenter actions, PBB) is refused with the error a switch would send.
 *
 * Time is an argument (milliseconds), as in Faucet's tests: `FakeSwitch` passes the
 * Effect `Clock`, so timeouts run in `TestClock`'s virtual time.
 *
 * @since 0.1.0
 */
import type { Action, FlowMod, FlowRemoved, FlowStats, GroupMod, Instruction, Match, OpenFlowError } from "@switchyard/openflow"
import { Port } from "@switchyard/openflow"
import type { FlowKey } from "@switchyard/packet"
import { flowRemoved as flowRemovedInternal } from "./internal/flowTable.ts"
import { engineOf, makeTable } from "./internal/table.ts"

/**
 * One flow entry as the table holds it.
 *
 * **Details**
 *
 * `match` is normalized: fields in field-number order, a mask of all ones dropped, value
 * bits outside the mask cleared. `installedAt` and `lastUsedAt` are milliseconds of the
 * clock the table was driven with; the counters are live.
 *
 * @category models
 * @since 0.1.0
 */
export interface FlowEntry {
  readonly tableId: number
  readonly priority: number
  readonly match: Match.Match
  readonly instructions: ReadonlyArray<Instruction.Instruction>
  readonly cookie: bigint
  readonly idleTimeout: number
  readonly hardTimeout: number
  /** Bitmap of `FlowMod.Flags`. */
  readonly flags: number
  readonly installedAt: number
  readonly lastUsedAt: number
  readonly packetCount: number
  readonly byteCount: number
  /** `true` for priority 0 with an empty match: the table-miss entry of §5.4. */
  readonly isTableMiss: boolean
}

/**
 * One group (§5.6).
 *
 * @category models
 * @since 0.1.0
 */
export interface Group {
  readonly groupId: number
  /** One of `GroupMod.Type`. */
  readonly groupType: number
  readonly buckets: ReadonlyArray<GroupMod.Bucket>
  readonly installedAt: number
  readonly packetCount: number
  readonly byteCount: number
}

/**
 * An entry the table removed, and why (one of `FlowRemoved.Reason`).
 *
 * @category models
 * @since 0.1.0
 */
export interface Removal {
  readonly entry: FlowEntry
  readonly reason: number
}

/**
 * A packet to look up: an ingress port and either a frame, or the packet's match fields
 * by name.
 *
 * **Details**
 *
 * With `frame`, the fields are extracted from it (`FlowKey.extract`) and actions edit
 * the real bytes. Without it, the named fields are the packet: a field not given is one
 * the packet does not have (so an entry matching on it does not match), except `vlanVid`,
 * which defaults to 0 (untagged). `metadata` starts at 0.
 *
 * @category models
 * @since 0.1.0
 */
export interface Probe extends FlowKey.FlowKey {
  readonly inPort: number
  readonly inPhyPort?: number | undefined
  readonly metadata?: bigint | undefined
  readonly tunnelId?: bigint | undefined
  readonly frame?: Uint8Array | undefined
}

/**
 * A copy of a packet sent to the controller by an output action.
 *
 * @category models
 * @since 0.1.0
 */
export interface ToController {
  /** One of `PacketIn.Reason`: NO_MATCH from the table-miss entry, ACTION otherwise. */
  readonly reason: number
  readonly tableId: number
  /** The cookie of the entry whose action sent it. */
  readonly cookie: bigint
  /** The output action's `max_len` (`Action.NO_BUFFER`: the whole packet, unbuffered). */
  readonly maxLen: number
  readonly frame: Uint8Array | undefined
  readonly inPort: number
  readonly metadata: bigint
  readonly tunnelId: bigint | undefined
}

/**
 * What running a packet through the table did.
 *
 * @category models
 * @since 0.1.0
 */
export interface PacketResult {
  /** Frames transmitted, in order: physical ports and `Port.LOCAL`. */
  readonly outputs: ReadonlyArray<{ readonly port: number; readonly frame: Uint8Array | undefined }>
  /** Copies sent to the controller, in order. */
  readonly toController: ReadonlyArray<ToController>
  /** The entries the packet matched, table by table. */
  readonly path: ReadonlyArray<FlowEntry>
  /** Why copies of the packet were dropped (table miss, port down, output to the ingress port, ...). */
  readonly drops: ReadonlyArray<string>
  /**
   * Behaviour the spec leaves undefined or that an app should not rely on: two entries
   * of one priority matching, a set-field on a packet without that header. A strict
   * `FakeSwitch` fails the test on these.
   */
  readonly problems: ReadonlyArray<string>
}

/**
 * Counters of one table (`ofp_table_stats`).
 *
 * @category models
 * @since 0.1.0
 */
export interface TableStats {
  readonly tableId: number
  readonly activeCount: number
  readonly lookupCount: number
  readonly matchedCount: number
}

/**
 * A flow table: the tables, groups and ports of one switch.
 *
 * @category models
 * @since 0.1.0
 */
export interface FlowTable {
  /** Number of tables (`n_tables`); valid table ids are 0 to `nTables - 1`. */
  readonly nTables: number
  /**
   * The switch's ports, by number. FLOOD and ALL go to these; an output to a port not
   * here, or down (`Port.isLive`), or configured NO_FWD, is dropped. Mutable: a
   * `FakeSwitch` shares it with the table.
   */
  readonly ports: Map<number, Port.Port>
  /** The entries of one table, or of all tables; highest priority first within a table. */
  readonly entries: (tableId?: number) => ReadonlyArray<FlowEntry>
  readonly groups: ReadonlyMap<number, Group>
  /**
   * Applies a FLOW_MOD at time `now` (ms). Returns the error a switch would send (and
   * then nothing changed), and the entries removed (by DELETE).
   */
  readonly applyFlowMod: (
    mod: FlowMod.FlowMod,
    now: number
  ) => { readonly error: OpenFlowError.OpenFlowError | undefined; readonly removed: ReadonlyArray<Removal> }
  /** Applies a GROUP_MOD; deleting a group removes the entries that forward to it. */
  readonly applyGroupMod: (
    mod: GroupMod.GroupMod,
    now: number
  ) => { readonly error: OpenFlowError.OpenFlowError | undefined; readonly removed: ReadonlyArray<Removal> }
  /** The entry a probe matches in one table (default 0), without running any action. */
  readonly lookup: (probe: Probe, tableId?: number) => FlowEntry | undefined
  /** Runs a probe through the pipeline without touching counters or idle times. */
  readonly trace: (probe: Probe) => PacketResult
  /** Runs a packet through the pipeline at time `now`, updating counters and idle times. */
  readonly process: (probe: Probe, now: number) => PacketResult
  /**
   * The ports a probe leaves through, in first-seen order, without duplicates;
   * `Port.CONTROLLER` for a copy sent to the controller. `[]` means dropped.
   */
  readonly outputs: (probe: Probe) => ReadonlyArray<number>
  /** `true` when a probe leaves through `port` (Faucet's `is_output`). */
  readonly isOutput: (probe: Probe, port: number) => boolean
  /** Removes the entries whose idle or hard timeout has passed at `now`. */
  readonly expire: (now: number) => ReadonlyArray<Removal>
  /** The earliest time at which an entry may time out, or `undefined`. */
  readonly nextDeadline: () => number | undefined
  /** The entries a FLOW (or AGGREGATE) statistics request selects, as `FlowStats`. */
  readonly flowStats: (
    request: Pick<FlowStats.FlowStatsRequest, "tableId" | "outPort" | "outGroup" | "cookie" | "cookieMask" | "match">,
    now: number
  ) => ReadonlyArray<FlowStats.FlowStats> | OpenFlowError.OpenFlowError
  readonly tableStats: () => ReadonlyArray<TableStats>
  /**
   * The table as canonical text, one sorted line per entry and group, without counters
   * or times: what to print when two tables that should forward alike differ.
   */
  readonly state: () => string
  /** A 64-bit hash of {@link FlowTable.state}, as 16 hex digits: equal tables hash alike. */
  readonly hash: () => string
  /** An independent copy (entries, groups, counters; ports copied too unless given). */
  readonly clone: (ports?: Map<number, Port.Port>) => FlowTable
}

/**
 * Options of {@link make}.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  /** Tables (default 254, as Open vSwitch). */
  readonly nTables?: number | undefined
  /** Entries a table holds before ADD fails with OFPFMFC_TABLE_FULL (default 100000). */
  readonly maxEntries?: number | undefined
  /** Port numbers, or full descriptions (default: none). */
  readonly ports?: ReadonlyArray<number | Port.Port> | Map<number, Port.Port> | undefined
}

/**
 * A port description for a fake: up, 1 Gb/s copper, named `eth<n>`, with a locally
 * administered MAC derived from the number.
 *
 * @category constructors
 * @since 0.1.0
 */
export const port = (portNo: number, overrides?: Partial<Port.Port>): Port.Port => ({
  portNo,
  hwAddr: 0x0200_0000_0000 + (portNo & 0xffff_ffff),
  name: `eth${portNo}`,
  config: 0,
  state: Port.State.LIVE,
  curr: Port.Feature["1GB_FD"] | Port.Feature.COPPER,
  advertised: 0,
  supported: 0,
  peer: 0,
  currSpeed: 1_000_000,
  maxSpeed: 1_000_000,
  ...overrides
})

/**
 * Makes an empty flow table.
 *
 * **Example** (Where does a packet go?)
 *
 * ```ts
 * import { FlowTable } from "@switchyard/testkit"
 * import { Action, FlowMod, Port } from "@switchyard/openflow"
 *
 * const table = FlowTable.make({ ports: [1, 2, 3] })
 * table.applyFlowMod(FlowMod.tableMiss(), 0)
 * table.applyFlowMod(FlowMod.add({ priority: 10, match: { inPort: 1 }, actions: [Action.output(2)] }), 0)
 * table.outputs({ inPort: 1 }) // [2]
 * table.outputs({ inPort: 3 }) // [Port.CONTROLLER]
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: Options = {}): FlowTable => {
  const given = options.ports
  const ports = given instanceof Map
    ? given
    : new Map((given ?? []).map((p) => (typeof p === "number" ? [p, port(p)] as const : [p.portNo, p] as const)))
  return makeTable({ nTables: options.nTables ?? 254, maxEntries: options.maxEntries ?? 100_000, ports })
}

/**
 * The FLOW_REMOVED message a switch sends for a removal at time `now` (§7.4.2): the
 * entry's match, cookie, priority and timeouts, its final counters and its lifetime.
 *
 * **Gotchas**
 *
 * A switch sends it only for entries installed with `FlowMod.Flags.SEND_FLOW_REM`; check
 * `removal.entry.flags` first.
 *
 * @category constructors
 * @since 0.1.0
 */
export const flowRemoved = (removal: Removal, now: number): FlowRemoved.FlowRemoved => flowRemovedInternal(removal, now)

/**
 * Applies the same messages to a copy of `table` and tells whether the copy ends up
 * with the same state: the convergence check of Faucet's tests (an app that re-sends its
 * flows on reconnect must not change the table). Returns `undefined` when it converges,
 * or the two states when it does not.
 *
 * @example
 * ```ts
 * import { FlowTable } from "@switchyard/testkit"
 * import { FlowMod } from "@switchyard/openflow"
 *
 * const table = FlowTable.make({ ports: [1, 2] })
 * const batch = [FlowMod.tableMiss()]
 * for (const m of batch) table.applyFlowMod(m, 0)
 * FlowTable.divergence(table, batch) // undefined: applying it again changes nothing
 * ```
 *
 * @category combinators
 * @since 0.1.0
 */
export const divergence = (
  table: FlowTable,
  messages: ReadonlyArray<FlowMod.FlowMod | GroupMod.GroupMod>,
  now = 0
): { readonly before: string; readonly after: string } | undefined => {
  const copy = table.clone()
  for (const m of messages) {
    if (m._tag === "FlowMod") copy.applyFlowMod(m, now)
    else copy.applyGroupMod(m, now)
  }
  const before = table.state()
  const after = copy.state()
  return before === after ? undefined : { before, after }
}

/**
 * Checks a PACKET_OUT's action list the way the fake switch does before running it.
 *
 * @category validation
 * @since 0.1.0
 */
export const validatePacketOutActions = (table: FlowTable, actions: ReadonlyArray<Action.Action>): OpenFlowError.OpenFlowError | undefined =>
  engineOf(table).validateActions(actions, undefined, true)
