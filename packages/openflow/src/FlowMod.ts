/**
 * OFPT_FLOW_MOD: add, change or delete flow entries in a switch's tables.
 *
 * A flow mod is how a controller programs the datapath. What makes it awkward is that
 * its fields mean different things per command: for ADD the match, priority and
 * instructions define a new entry; for MODIFY and DELETE the match is a filter (loose,
 * or exact with the `_STRICT` variants), DELETE also filters on `outPort`/`outGroup`, and
 * the cookie with `cookieMask` selects entries for MODIFY and DELETE but only labels the
 * entry on ADD. `bufferId` lets an ADD also release a packet the switch buffered for a
 * PACKET_IN. Switches check the match strictly: a field without its prerequisite or a
 * repeated field is refused, and so encoding refuses it first.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import type * as Action from "./Action.ts"
import * as Instruction from "./Instruction.ts"
import * as Match from "./Match.ts"
import * as Port from "./Port.ts"
import * as Uint from "./Uint.ts"

/**
 * Flow mod commands (`OFPFC_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const Command = {
  ADD: 0,
  MODIFY: 1,
  MODIFY_STRICT: 2,
  DELETE: 3,
  DELETE_STRICT: 4
} as const

/**
 * Flow mod flag bits (`OFPFF_*`, OpenFlow 1.3).
 *
 * @category constants
 * @since 0.1.0
 */
export const Flags = {
  /** Send a FLOW_REMOVED when the entry expires or is deleted. */
  SEND_FLOW_REM: 1 << 0,
  /** Refuse an ADD that overlaps an entry of the same priority (OFPFMFC_OVERLAP). */
  CHECK_OVERLAP: 1 << 1,
  /** Reset the counters of the entries a MODIFY changes. */
  RESET_COUNTS: 1 << 2,
  /** Do not keep a packet count. */
  NO_PKT_COUNTS: 1 << 3,
  /** Do not keep a byte count. */
  NO_BYT_COUNTS: 1 << 4
} as const

/** `OFP_NO_BUFFER`: the flow mod releases no buffered packet. @category constants @since 0.1.0 */
export const NO_BUFFER = 0xffff_ffff

/** `OFPTT_ALL`: every table, for DELETE. @category constants @since 0.1.0 */
export const TABLE_ALL = 0xff

/** `OFP_DEFAULT_PRIORITY`, the priority Open vSwitch and Ryu use when none is given. @category constants @since 0.1.0 */
export const DEFAULT_PRIORITY = 0x8000

/** `OFPG_ANY`: no group filter for DELETE. @category constants @since 0.1.0 */
export const GROUP_ANY = 0xffff_ffff

/**
 * OFPT_FLOW_MOD (OpenFlow 1.3 §7.3.4.1).
 *
 * **Details**
 *
 * `flags` is a bitmask of {@link Flags}; OpenFlow 1.3 defines bits 0-4 and switches
 * refuse others with OFPFMFC_BAD_FLAGS, so the Schema admits 0-31 only. `command` is
 * one of {@link Command}.
 *
 * The same value encodes in OpenFlow 1.0, whose flow mod has a fixed 40-byte match and
 * a flat action list, when 1.0 can say it: `instructions` empty or one apply-actions
 * (its actions as 1.0 has them, see `Action`), a match 1.0 can express (see `Match`),
 * `cookieMask` 0, `outGroup` {@link GROUP_ANY}, `tableId` 0 (or {@link TABLE_ALL} for a
 * delete) and only SEND_FLOW_REM and CHECK_OVERLAP in `flags`. Anything else fails
 * rather than being dropped. A decoded 1.0 delete has `tableId` {@link TABLE_ALL}, any
 * other command 0.
 *
 * @category models
 * @since 0.1.0
 */
export const FlowMod = Schema.TaggedStruct("FlowMod", {
  /** Opaque controller-chosen id of the entry (ADD), or the filter value (MODIFY, DELETE). */
  cookie: Uint.Uint64,
  /** Which cookie bits MODIFY/DELETE compare; 0 matches every cookie. */
  cookieMask: Uint.Uint64,
  /** The table; {@link TABLE_ALL} for a DELETE in every table. */
  tableId: Uint.Uint8,
  command: Schema.Literals([0, 1, 2, 3, 4]),
  /** Seconds without a matching packet before the entry expires; 0 never. */
  idleTimeout: Uint.Uint16,
  /** Seconds after which the entry expires regardless; 0 never. */
  hardTimeout: Uint.Uint16,
  priority: Uint.Uint16,
  /** A packet buffered by the switch to run through the new entry, or {@link NO_BUFFER}. */
  bufferId: Uint.Uint32,
  /** DELETE only: entries must output to this port; `Port.ANY` for no filter. */
  outPort: Uint.Uint32,
  /** DELETE only: entries must output to this group; {@link GROUP_ANY} for no filter. */
  outGroup: Uint.Uint32,
  flags: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 0x1f })),
  match: Match.Match,
  instructions: Instruction.Instructions,
  /**
   * OpenFlow 1.4+: how important the entry is when the switch must evict entries (higher
   * is kept longer). Absent means 0, the only value earlier versions can carry; decoding
   * leaves it out when it is 0.
   */
  importance: Schema.optional(Uint.Uint16),
  /**
   * OpenFlow 1.0 only: the bits of a decoded 1.0 flow mod's `wildcards` word that carry
   * no meaning but differ from what encoding writes, in their places: the count of an
   * IPv4 address the match leaves unmatched when it is 33 to 63 rather than 32 (any count
   * from 32 up wildcards the whole address), and the unused bits 22-31. Absent when there
   * are none. It lets a decoded flow mod re-encode byte for byte; encoding takes only
   * these bits from it and everything else from `match`, so it can never change what the
   * flow matches. Other versions ignore it.
   */
  of10Wildcards: Schema.optional(Uint.Uint32)
})

/** @category models @since 0.1.0 */
export type FlowMod = typeof FlowMod.Type

/** A flow mod command number. @category models @since 0.1.0 */
export type CommandNumber = FlowMod["command"]

/**
 * What the builders take. Everything is optional; see each builder for its defaults.
 *
 * **Details**
 *
 * `match` is a {@link Match.Match} or a {@link Match.Spec} object passed to
 * `Match.make`. `actions` is shorthand for an apply-actions instruction, placed before
 * any `instructions` given.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  readonly match?: Match.Match | Match.Spec | undefined
  readonly actions?: ReadonlyArray<Action.Action> | undefined
  readonly instructions?: ReadonlyArray<Instruction.Instruction> | undefined
  readonly priority?: number | undefined
  readonly tableId?: number | undefined
  readonly cookie?: bigint | undefined
  readonly cookieMask?: bigint | undefined
  readonly idleTimeout?: number | undefined
  readonly hardTimeout?: number | undefined
  readonly flags?: number | undefined
  readonly bufferId?: number | undefined
  readonly outPort?: number | undefined
  readonly outGroup?: number | undefined
  /** OpenFlow 1.4+ eviction importance; left out (0) by default. */
  readonly importance?: number | undefined
}

const build = (command: CommandNumber, o: Options, defaultTable: number): FlowMod => {
  const m: FlowMod = {
    _tag: "FlowMod",
    cookie: o.cookie ?? 0n,
    cookieMask: o.cookieMask ?? 0n,
    tableId: o.tableId ?? defaultTable,
    command,
    idleTimeout: o.idleTimeout ?? 0,
    hardTimeout: o.hardTimeout ?? 0,
    priority: o.priority ?? DEFAULT_PRIORITY,
    bufferId: o.bufferId ?? NO_BUFFER,
    outPort: o.outPort ?? Port.ANY,
    outGroup: o.outGroup ?? GROUP_ANY,
    flags: o.flags ?? 0,
    match: o.match === undefined ? Match.empty : Array.isArray(o.match) ? (o.match as Match.Match) : Match.make(o.match as Match.Spec),
    instructions: o.actions === undefined
      ? (o.instructions ?? [])
      : [Instruction.applyActions(o.actions), ...(o.instructions ?? [])]
  }
  // Importance 0 is the default every version carries: leave the key out, as decoding does.
  return o.importance === undefined || o.importance === 0 ? m : { ...m, importance: o.importance }
}

/**
 * An ADD: install a flow entry.
 *
 * **Details**
 *
 * Defaults: table 0, priority {@link DEFAULT_PRIORITY}, no timeouts, cookie 0, no
 * buffered packet, no flags, the empty match (every packet).
 *
 * @example
 * ```ts
 * import { Action, FlowMod } from "@switchyard/openflow"
 * import { MacAddress } from "@switchyard/packet"
 *
 * const flow = FlowMod.add({
 *   match: { inPort: 1, ethDst: MacAddress.fromStringUnsafe("aa:bb:cc:dd:ee:ff") },
 *   actions: [Action.output(2)],
 *   priority: 100,
 *   idleTimeout: 60
 * })
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const add = (options: Options = {}): FlowMod => build(Command.ADD, options, 0)

/**
 * A MODIFY: replace the instructions of every entry the match (as a filter) and cookie
 * select. Defaults as {@link add}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const modify = (options: Options = {}): FlowMod => build(Command.MODIFY, options, 0)

/**
 * A MODIFY_STRICT: replace the instructions of the entry with exactly this match and
 * priority. Defaults as {@link add}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const modifyStrict = (options: Options = {}): FlowMod => build(Command.MODIFY_STRICT, options, 0)

/**
 * A DELETE: remove every entry the match (as a filter), cookie, `outPort` and
 * `outGroup` select.
 *
 * **Gotchas**
 *
 * The table defaults to {@link TABLE_ALL}, as `ovs-ofctl del-flows` does: with no
 * options this deletes every flow in every table.
 *
 * @example
 * ```ts
 * import { FlowMod } from "@switchyard/openflow"
 *
 * const clearAll = FlowMod.delete()
 * const clearPort1 = FlowMod.delete({ match: { inPort: 1 }, tableId: 0 })
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
const delete_ = (options: Options = {}): FlowMod => build(Command.DELETE, options, TABLE_ALL)
export { delete_ as delete }

/**
 * A DELETE_STRICT: remove the entry with exactly this match and priority. The table
 * defaults to {@link TABLE_ALL}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const deleteStrict = (options: Options = {}): FlowMod => build(Command.DELETE_STRICT, options, TABLE_ALL)

/**
 * The table-miss entry of `tableId`: priority 0, the empty match, and output of the whole
 * packet to the controller, as Ryu's `simple_switch_13` installs on connect.
 *
 * @category constructors
 * @since 0.1.0
 */
export const tableMiss = (tableId = 0): FlowMod =>
  build(Command.ADD, {
    priority: 0,
    actions: [{ _tag: "Output", port: Port.CONTROLLER, maxLen: 0xffff }]
  }, tableId)

/**
 * `true` when the entry asks for a FLOW_REMOVED on expiry or deletion.
 *
 * @category predicates
 * @since 0.1.0
 */
export const sendsFlowRemoved = (m: FlowMod): boolean => (m.flags & Flags.SEND_FLOW_REM) !== 0
