/**
 * OXS statistics (OpenFlow 1.5 §7.2.4): the counters a switch reports about flow
 * entries, as a list of TLV fields.
 *
 * OpenFlow 1.5 stopped giving flow statistics fixed places in FLOW_REMOVED, the flow
 * statistics replies and the aggregate reply: each message carries an `ofp_stats` with
 * only the counters the switch keeps (duration, idle time, flow count, packet count, byte
 * count), in the order it chose, in the same TLV format as an OXM match (class 0x8002).
 * Earlier versions had the counters as fixed fields, so the version-free messages keep
 * those fields (0 for a counter a 1.5 switch did not send) and add an optional `stats`
 * that holds the exact 1.5 list when it is not the one the fixed fields imply; see each
 * message. The threshold list of a 1.5 stat-trigger instruction is a `Stats` too.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Uint from "./Uint.ts"

/**
 * A duration (`OXS_OF_DURATION`, `OXS_OF_IDLE_TIME`): seconds, and nanoseconds beyond.
 *
 * @category models
 * @since 0.1.0
 */
export interface Duration<F extends "duration" | "idleTime" = "duration" | "idleTime"> {
  readonly field: F
  readonly sec: number
  readonly nsec: number
}

/**
 * The number of flow entries (`OXS_OF_FLOW_COUNT`, 32 bits), in aggregate replies.
 *
 * @category models
 * @since 0.1.0
 */
export interface FlowCount {
  readonly field: "flowCount"
  readonly value: number
}

/**
 * A 64-bit counter (`OXS_OF_PACKET_COUNT`, `OXS_OF_BYTE_COUNT`).
 *
 * @category models
 * @since 0.1.0
 */
export interface Counter<F extends "packetCount" | "byteCount" = "packetCount" | "byteCount"> {
  readonly field: F
  readonly value: bigint
}

/**
 * An OXS field this codec does not interpret (an experimenter field, class 0xffff, whose
 * payload starts with the experimenter id; or a basic field number 1.5 does not define),
 * kept byte for byte.
 *
 * @category models
 * @since 0.1.0
 */
export interface OpaqueOxs {
  readonly field: "opaque"
  readonly oxsClass: number
  /** `oxs_field`, 7 bits. */
  readonly oxsField: number
  /** The header bit after the field number, which the spec reserves (0). */
  readonly reserved: boolean
  /** The payload after the 4-byte header; a view in decoded messages. */
  readonly payload: Uint8Array
}

/**
 * One OXS field.
 *
 * @category models
 * @since 0.1.0
 */
export type OxsField = Duration<"duration"> | Duration<"idleTime"> | FlowCount | Counter<"packetCount"> | Counter<"byteCount"> | OpaqueOxs

/**
 * An `ofp_stats`: OXS fields in wire order.
 *
 * @category models
 * @since 0.1.0
 */
export type Stats = ReadonlyArray<OxsField>

/** The OXS class of the fields OpenFlow 1.5 defines. @category constants @since 0.1.0 */
export const OPENFLOW_BASIC = 0x8002
/** The experimenter OXS class. @category constants @since 0.1.0 */
export const EXPERIMENTER = 0xffff

/**
 * OXS field numbers of class {@link OPENFLOW_BASIC} (`OXS_OF_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const FieldNumber = {
  duration: 0,
  idleTime: 1,
  flowCount: 3,
  packetCount: 4,
  byteCount: 5
} as const

const DurationSchema = Schema.Struct({
  field: Schema.Literals(["duration", "idleTime"]),
  sec: Uint.Uint32,
  nsec: Uint.Uint32
})

const FlowCountSchema = Schema.Struct({ field: Schema.Literal("flowCount"), value: Uint.Uint32 })

const CounterSchema = Schema.Struct({ field: Schema.Literals(["packetCount", "byteCount"]), value: Uint.Uint64 })

const known = new Set<number>(Object.values(FieldNumber))

const OpaqueSchema = Schema.Struct({
  field: Schema.Literal("opaque"),
  oxsClass: Uint.Uint16,
  oxsField: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 127 })),
  reserved: Schema.Boolean,
  payload: Schema.Uint8Array.check(Schema.isMaxLength(255))
}).check(
  Schema.makeFilter((f) =>
    f.oxsClass === EXPERIMENTER && f.payload.length < 4
      ? "an experimenter OXS payload starts with a 4-byte experimenter id"
      : f.oxsClass === OPENFLOW_BASIC && known.has(f.oxsField) && !f.reserved
      ? `class 0x8002 field ${f.oxsField} is a field OpenFlow 1.5 defines; use it`
      : undefined
  )
)

/**
 * Schema of one {@link OxsField}.
 *
 * @category schemas
 * @since 0.1.0
 */
export const OxsField: Schema.Codec<OxsField, unknown> = Schema.Union([
  DurationSchema,
  FlowCountSchema,
  CounterSchema,
  OpaqueSchema
]).annotate({ identifier: "OxsField" }) as unknown as Schema.Codec<OxsField, unknown>

/**
 * Schema of {@link Stats}.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Stats: Schema.Codec<Stats, unknown> = Schema.Array(OxsField) as unknown as Schema.Codec<Stats, unknown>

/**
 * The first field named `name`, or `undefined`.
 *
 * @example
 * ```ts
 * import { Stats } from "@switchyard/openflow"
 *
 * const stats: Stats.Stats = [{ field: "flowCount", value: 3 }]
 * Stats.get(stats, "flowCount") // { field: "flowCount", value: 3 }
 * ```
 *
 * @category accessors
 * @since 0.1.0
 */
export const get = <N extends Exclude<OxsField["field"], "opaque">>(stats: Stats, name: N): Extract<OxsField, { readonly field: N }> | undefined => {
  for (const f of stats) if (f.field === name) return f as Extract<OxsField, { readonly field: N }>
  return undefined
}
