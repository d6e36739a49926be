/**
 * OFPT_PACKET_IN: the switch hands a packet to the controller.
 *
 * This is the controller's hot path: every table miss and every output to CONTROLLER
 * arrives here, often tens of thousands per second per switch. The awkward parts: the
 * ingress port is not a field of its own but the `inPort` OXM of the match (use
 * {@link inPort}); the packet may be buffered on the switch (`bufferId` is then what a
 * PACKET_OUT or FLOW_MOD must name to release it) with only its first bytes in `data`, or
 * sent whole with `bufferId` = {@link NO_BUFFER}. The match is decoded loosely: a switch
 * reports the packet's fields as it parsed them, prerequisites or not.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Match from "./Match.ts"
import * as Uint from "./Uint.ts"

/**
 * Why the packet was sent (`OFPR_*`). OpenFlow 1.4 renamed NO_MATCH to TABLE_MISS and
 * ACTION to APPLY_ACTION and added ACTION_SET, GROUP and PACKET_OUT.
 *
 * @category constants
 * @since 0.1.0
 */
export const Reason = {
  /** No flow matched (table-miss flow entry in 1.3). */
  NO_MATCH: 0,
  /** OpenFlow 1.4's name for {@link Reason.NO_MATCH}. */
  TABLE_MISS: 0,
  /** An output-to-controller action. */
  ACTION: 1,
  /** OpenFlow 1.4's name for {@link Reason.ACTION}: output to controller in apply-actions. */
  APPLY_ACTION: 1,
  /** The packet's TTL was invalid. */
  INVALID_TTL: 2,
  /** OpenFlow 1.4+: output to controller in the action set. */
  ACTION_SET: 3,
  /** OpenFlow 1.4+: output to controller in a group bucket. */
  GROUP: 4,
  /** OpenFlow 1.4+: output to controller in a packet-out. */
  PACKET_OUT: 5
} as const

/** `OFP_NO_BUFFER`: the whole packet is in `data`, nothing is buffered on the switch. @category constants @since 0.1.0 */
export const NO_BUFFER = 0xffff_ffff

/**
 * OFPT_PACKET_IN (OpenFlow 1.3 §7.4.1).
 *
 * **Details**
 *
 * An OpenFlow 1.0 PACKET_IN has an ingress port field instead of a match, and no table
 * or cookie: it decodes with `match` holding `inPort` alone, `tableId` 0 and `cookie` all
 * ones (what {@link make} builds), and only such a value encodes in 1.0.
 *
 * **Gotchas**
 *
 * In a decoded message, `data` is a view into the received bytes, not a copy: copy it
 * (`data.slice()`) if you keep it after the handler returns, since the receive buffer is
 * reused. `cookie` is the cookie of the flow entry that sent the packet (all ones for a
 * table miss without entry).
 *
 * @category models
 * @since 0.1.0
 */
export const PacketIn = Schema.TaggedStruct("PacketIn", {
  /** The switch's buffer holding the packet, or {@link NO_BUFFER}. */
  bufferId: Uint.Uint32,
  /** The full length of the packet; `data` may be shorter when buffered. */
  totalLen: Uint.Uint16,
  /** One of {@link Reason}. */
  reason: Uint.Uint8,
  /** The table the packet was in. */
  tableId: Uint.Uint8,
  cookie: Uint.Uint64,
  /** The packet's pipeline fields, `inPort` among them. */
  match: Match.Match,
  /** The packet (or its first bytes, when buffered), Ethernet frame first. */
  data: Schema.Uint8Array
}).check(
  Schema.makeFilter((m) =>
    8 + 16 + Match.encodedLength(m.match) + 2 + m.data.length <= 0xffff
      ? undefined
      : "a PACKET_IN of at most 65535 bytes (header, match and data)"
  )
)

/** @category models @since 0.1.0 */
export type PacketIn = typeof PacketIn.Type

/**
 * The ingress port (the match's `inPort`), or `undefined` when the switch did not send one.
 *
 * @example
 * ```ts
 * import { PacketIn } from "@switchyard/openflow"
 *
 * const onPacketIn = (msg: PacketIn.PacketIn) => {
 *   const port = PacketIn.inPort(msg) // e.g. 3
 *   return port
 * }
 * ```
 *
 * @category accessors
 * @since 0.1.0
 */
export const inPort = (msg: PacketIn): number | undefined => {
  const match = msg.match
  for (let i = 0; i < match.length; i++) {
    const f = match[i]!
    if (f.field === "inPort") return f.value
  }
  return undefined
}

/** `true` when the switch buffered the packet (so `data` may be partial). @category predicates @since 0.1.0 */
export const isBuffered = (msg: PacketIn): boolean => msg.bufferId !== NO_BUFFER

/**
 * A PACKET_IN as a switch sends it for a table miss, for fake switches and tests.
 *
 * **Details**
 *
 * The match holds `inPort` only (plus `extraMatch`), the packet is unbuffered and whole,
 * `totalLen` is `data.length`, the reason NO_MATCH, table 0 and cookie all ones (the
 * "no flow entry" cookie Open vSwitch reports for a miss without table-miss entry),
 * unless given.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: {
  readonly inPort: number
  readonly data: Uint8Array
  readonly reason?: number | undefined
  readonly tableId?: number | undefined
  readonly cookie?: bigint | undefined
  readonly bufferId?: number | undefined
  readonly totalLen?: number | undefined
  readonly extraMatch?: Match.Match | undefined
}): PacketIn => ({
  _tag: "PacketIn",
  bufferId: options.bufferId ?? NO_BUFFER,
  totalLen: options.totalLen ?? options.data.length,
  reason: options.reason ?? Reason.NO_MATCH,
  tableId: options.tableId ?? 0,
  cookie: options.cookie ?? Uint.UINT64_MAX,
  match: [{ field: "inPort", value: options.inPort, mask: undefined }, ...(options.extraMatch ?? [])],
  data: options.data
})
