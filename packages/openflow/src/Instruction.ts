/**
 * OpenFlow instructions (OpenFlow 1.3 §7.2.4): what a flow entry does when a packet
 * matches it.
 *
 * OpenFlow 1.1 replaced the flat action list of 1.0 with instructions: apply actions now,
 * add actions to the packet's action set (executed when the pipeline ends), clear that
 * set, write metadata, send the packet through a meter, or continue in a later table. The
 * switch executes them in a fixed order whatever their order on the wire, and a flow
 * entry may hold at most one of each kind, which is why encoding refuses a repeat.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Action from "./Action.ts"
import { withArbitrary } from "./internal/arbitrary.ts"
import * as Stats from "./Stats.ts"
import * as Uint from "./Uint.ts"

/**
 * OFPIT_GOTO_TABLE: continue matching in table `tableId`, which must be greater than the
 * current table (switches refuse the flow with OFPBIC_BAD_TABLE_ID otherwise).
 *
 * @category models
 * @since 0.1.0
 */
export const GotoTable = Schema.TaggedStruct("GotoTable", { tableId: Uint.Uint8 })
/** @category models @since 0.1.0 */
export type GotoTable = typeof GotoTable.Type

/**
 * OFPIT_WRITE_METADATA: set the bits of the pipeline metadata selected by `metadataMask`.
 *
 * @category models
 * @since 0.1.0
 */
export const WriteMetadata = Schema.TaggedStruct("WriteMetadata", { metadata: Uint.Uint64, metadataMask: Uint.Uint64 })
/** @category models @since 0.1.0 */
export type WriteMetadata = typeof WriteMetadata.Type

/**
 * OFPIT_WRITE_ACTIONS: merge actions into the packet's action set, executed when the
 * pipeline ends.
 *
 * @category models
 * @since 0.1.0
 */
export const WriteActions = Schema.TaggedStruct("WriteActions", { actions: Schema.Array(Action.Action) })
/** @category models @since 0.1.0 */
export type WriteActions = typeof WriteActions.Type

/**
 * OFPIT_APPLY_ACTIONS: apply actions immediately, in order.
 *
 * @category models
 * @since 0.1.0
 */
export const ApplyActions = Schema.TaggedStruct("ApplyActions", { actions: Schema.Array(Action.Action) })
/** @category models @since 0.1.0 */
export type ApplyActions = typeof ApplyActions.Type

/** OFPIT_CLEAR_ACTIONS: empty the packet's action set. @category models @since 0.1.0 */
export const ClearActions = Schema.TaggedStruct("ClearActions", {})
/** @category models @since 0.1.0 */
export type ClearActions = typeof ClearActions.Type

/**
 * OFPIT_METER (OpenFlow 1.3 and 1.4): pass the packet through meter `meterId`. OpenFlow
 * 1.5 replaced it with the `Action.MeterAction` action.
 *
 * @category models
 * @since 0.1.0
 */
export const Meter = Schema.TaggedStruct("Meter", { meterId: Uint.Uint32 })
/** @category models @since 0.1.0 */
export type Meter = typeof Meter.Type

/**
 * OFPIT_STAT_TRIGGER (OpenFlow 1.5): have the switch send a FLOW_STATS entry (reason
 * STAT_TRIGGER) when the flow's counters reach `thresholds`.
 *
 * @category models
 * @since 0.1.0
 */
export const StatTrigger = Schema.TaggedStruct("StatTrigger", {
  /** Bitmap of {@link StatTriggerFlag}. */
  flags: Uint.Uint32,
  /** The counter values that trigger, as OXS fields. */
  thresholds: Stats.Stats
})
/** @category models @since 0.1.0 */
export type StatTrigger = typeof StatTrigger.Type

/**
 * Stat-trigger flags (`OFPSTF_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const StatTriggerFlag = {
  /** Trigger at every multiple of the thresholds. */
  PERIODIC: 1 << 0,
  /** Trigger only the first time a threshold is reached. */
  ONLY_FIRST: 1 << 1
} as const

const ExperimenterData = withArbitrary(
  Schema.Uint8Array.check(
    Schema.makeFilter((data) =>
      data.length % 8 === 0 && data.length <= 0xfff0 ? undefined : "a multiple of 8 bytes (the instruction is padded to 8)"
    )
  ),
  Schema.Uint8Array,
  (data) => {
    const out = new Uint8Array((data.length + 7) & ~7)
    out.set(data)
    return out
  }
)

/**
 * OFPIT_EXPERIMENTER: a vendor instruction, kept opaque (`data` follows the experimenter
 * id, a multiple of 8 bytes; a view into the message bytes when decoded).
 *
 * @category models
 * @since 0.1.0
 */
export const ExperimenterInstruction = Schema.TaggedStruct("ExperimenterInstruction", {
  experimenter: Uint.Uint32,
  data: ExperimenterData
})
/** @category models @since 0.1.0 */
export type ExperimenterInstruction = typeof ExperimenterInstruction.Type

const InstructionUnion = Schema.Union([
  GotoTable,
  WriteMetadata,
  WriteActions,
  ApplyActions,
  ClearActions,
  Meter,
  StatTrigger,
  ExperimenterInstruction
])

/**
 * Any instruction.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Instruction = InstructionUnion

/**
 * Any instruction.
 *
 * @category models
 * @since 0.1.0
 */
export type Instruction = typeof InstructionUnion.Type

/** The instruction kind names. @category models @since 0.1.0 */
export type Tag = Instruction["_tag"]

/**
 * Schema of a flow entry's instruction list.
 *
 * **Details**
 *
 * The Schema accepts any list; encoding refuses two instructions of the same kind
 * (experimenter instructions excepted) with OFPBIC_DUP_INST. Generated values (for
 * property tests) keep the first instruction of each kind.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Instructions = withArbitrary(Schema.Array(InstructionUnion), Schema.Array(InstructionUnion), (list) => {
  const seen = new Set<string>()
  return list.filter((i) => {
    if (i._tag === "ExperimenterInstruction") return true
    if (seen.has(i._tag)) return false
    seen.add(i._tag)
    return true
  })
})

/**
 * Continue in table `tableId`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const gotoTable = (tableId: number): GotoTable => ({ _tag: "GotoTable", tableId })

/**
 * Write `metadata` under `mask` (all 64 bits by default).
 *
 * @category constructors
 * @since 0.1.0
 */
export const writeMetadata = (metadata: bigint, mask: bigint = Uint.UINT64_MAX): WriteMetadata => ({
  _tag: "WriteMetadata",
  metadata,
  metadataMask: mask
})

/**
 * Add `actions` to the action set.
 *
 * @category constructors
 * @since 0.1.0
 */
export const writeActions = (actions: ReadonlyArray<Action.Action>): WriteActions => ({ _tag: "WriteActions", actions })

/**
 * Apply `actions` now, in order: the usual way to forward a matched packet.
 *
 * @example
 * ```ts
 * import { Action, Instruction } from "@switchyard/openflow"
 *
 * const instructions = [Instruction.applyActions([Action.output(2)])]
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const applyActions = (actions: ReadonlyArray<Action.Action>): ApplyActions => ({ _tag: "ApplyActions", actions })

/** Empty the action set. @category constructors @since 0.1.0 */
export const clearActions: ClearActions = { _tag: "ClearActions" }

/** Pass through meter `meterId`. @category constructors @since 0.1.0 */
export const meter = (meterId: number): Meter => ({ _tag: "Meter", meterId })

/**
 * A vendor instruction with raw `data` (after the experimenter id; a multiple of 8 bytes).
 *
 * @category constructors
 * @since 0.1.0
 */
export const experimenter = (experimenterId: number, data: Uint8Array): ExperimenterInstruction => ({
  _tag: "ExperimenterInstruction",
  experimenter: experimenterId,
  data
})

/**
 * The actions of the apply-actions instruction, or an empty list when there is none.
 *
 * @category accessors
 * @since 0.1.0
 */
export const appliedActions = (instructions: ReadonlyArray<Instruction>): ReadonlyArray<Action.Action> => {
  for (const i of instructions) if (i._tag === "ApplyActions") return i.actions
  return []
}
