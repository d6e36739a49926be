/**
 * OFPT_FLOW_REMOVED: the switch reports that a flow entry is gone, with its final
 * counters.
 *
 * A switch sends it only for entries installed with `FlowMod.Flags.SEND_FLOW_REM`, when
 * they time out or are deleted. It is the cheapest way to collect per-flow statistics at
 * the end of a flow's life, and the way a controller learns that state it relied on (a
 * learned MAC, say) has expired on the switch. The match is the entry's match, decoded
 * loosely (the switch reports what it holds); the entry's instructions are not included.
 * OpenFlow 1.5 sends the counters as OXS statistics (see `Stats`), only those the
 * switch keeps.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Match from "./Match.ts"
import * as Stats from "./Stats.ts"
import * as Uint from "./Uint.ts"

/**
 * Why the entry was removed (`OFPRR_*`; 1.4 adds METER_DELETE and EVICTION).
 *
 * @category constants
 * @since 0.1.0
 */
export const Reason = {
  IDLE_TIMEOUT: 0,
  HARD_TIMEOUT: 1,
  DELETE: 2,
  GROUP_DELETE: 3,
  /** OpenFlow 1.4+: the entry's meter was deleted. */
  METER_DELETE: 4,
  /** OpenFlow 1.4+: the switch evicted the entry to make room. */
  EVICTION: 5
} as const

/**
 * OFPT_FLOW_REMOVED (OpenFlow 1.3 §7.4.2; 1.5 §7.4.2 with OXS statistics).
 *
 * **Details**
 *
 * In OpenFlow 1.5 the counters come as OXS fields. Decoding sets `durationSec`,
 * `durationNsec`, `packetCount` and `byteCount` from them (0 for a counter the switch did
 * not send) and keeps the list in `stats` only when it is not exactly duration, packet
 * count, byte count in that order, which is what 1.5 encoding writes when `stats` is
 * absent. A given `stats` is encoded as it is and must agree with those four fields (an
 * `EncodeError` otherwise); before 1.5 it may only hold counters the fixed fields carry.
 *
 * An OpenFlow 1.0 FLOW_REMOVED has no table id and no hard timeout: they decode as 0 and
 * must be 0 to encode in 1.0.
 *
 * @category models
 * @since 0.1.0
 */
export const FlowRemoved = Schema.TaggedStruct("FlowRemoved", {
  cookie: Uint.Uint64,
  priority: Uint.Uint16,
  /** One of {@link Reason}. */
  reason: Uint.Uint8,
  tableId: Uint.Uint8,
  /** How long the entry lived: seconds, plus nanoseconds beyond them. */
  durationSec: Uint.Uint32,
  durationNsec: Uint.Uint32,
  idleTimeout: Uint.Uint16,
  hardTimeout: Uint.Uint16,
  packetCount: Uint.Uint64,
  byteCount: Uint.Uint64,
  match: Match.Match,
  /** OpenFlow 1.5+: the OXS counters exactly as sent, when they are not the canonical three. */
  stats: Schema.optional(Stats.Stats)
})

/** @category models @since 0.1.0 */
export type FlowRemoved = typeof FlowRemoved.Type

/**
 * How long the entry lived, in seconds (with the nanoseconds as a fraction).
 *
 * @category accessors
 * @since 0.1.0
 */
export const duration = (m: FlowRemoved): number => m.durationSec + m.durationNsec / 1e9
