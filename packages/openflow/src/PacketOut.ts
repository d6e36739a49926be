/**
 * OFPT_PACKET_OUT: the controller sends a packet out of the switch, or releases one the
 * switch buffered.
 *
 * The usual answer to a PACKET_IN. The awkward part is buffering: when the switch
 * buffered the packet (`bufferId` is not {@link NO_BUFFER}), the packet-out names that
 * buffer and carries no data; when it did not, the packet-out must carry the packet
 * itself. {@link reply} gets this right. `inPort` is the port the packet is considered to
 * have come in on (for `Port.IN_PORT` outputs and flooding), `Port.CONTROLLER` for a
 * packet the controller made up. OpenFlow 1.5 sends the ingress port, and any other
 * pipeline fields the packet should start with, as a match; the model keeps `inPort`
 * where every version has it and the other fields in `match`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Action from "./Action.ts"
import { actionsLength } from "./internal/action.ts"
import * as Match from "./Match.ts"
import * as PacketIn from "./PacketIn.ts"
import * as Port from "./Port.ts"
import * as Uint from "./Uint.ts"

/** `OFP_NO_BUFFER`: the packet is in `data`. @category constants @since 0.1.0 */
export const NO_BUFFER = 0xffff_ffff

/**
 * `true` for an `inPort` a switch accepts in a PACKET_OUT: a port number, or LOCAL,
 * CONTROLLER or ANY, as Open vSwitch checks (it refuses others with OFPBRC_BAD_PORT).
 *
 * @category predicates
 * @since 0.1.0
 */
export const isValidInPort = (port: number): boolean => !(port > Port.MAX && port < Port.CONTROLLER)

/**
 * OFPT_PACKET_OUT (OpenFlow 1.3 §7.3.7; 1.5 §7.3.7 with a match).
 *
 * **Details**
 *
 * In OpenFlow 1.5 the wire carries `inPort` as the first field of a match, followed by
 * `match`; earlier versions have only `inPort` and cannot encode a non-empty `match`
 * (an `EncodeError`).
 *
 * **Gotchas**
 *
 * In a decoded message `data` is a view into the received bytes.
 *
 * @category models
 * @since 0.1.0
 */
export const PacketOut = Schema.TaggedStruct("PacketOut", {
  /** A buffer to release (then `data` is normally empty), or {@link NO_BUFFER}. */
  bufferId: Uint.Uint32,
  /** The packet's ingress port for the actions; `Port.CONTROLLER` if there is none. */
  inPort: Uint.Uint32.check(
    Schema.makeFilter((port) => (isValidInPort(port) ? undefined : "a port number, LOCAL, CONTROLLER or ANY"))
  ),
  actions: Schema.Array(Action.Action),
  /** The packet, Ethernet frame first, when not buffered. */
  data: Schema.Uint8Array,
  /**
   * OpenFlow 1.5+: pipeline fields besides `inPort` the packet starts the pipeline with
   * (metadata, tunnel id, ...), in wire order. Absent when there are none; decoding
   * leaves it out then.
   */
  match: Schema.optional(Match.Match)
}).check(
  Schema.makeFilter((m) =>
    m.match !== undefined && Match.getField(m.match, "inPort") !== undefined
      ? "a match without inPort (the packet-out's inPort is its own field)"
      : fixedLength(m) + actionsLength(m.actions) + m.data.length <= 0xffff
      ? undefined
      : "a PACKET_OUT of at most 65535 bytes"
  )
)

/** The header and fixed part of a packet-out: 24 bytes, or in 1.5 16 plus the match with `inPort`. */
const fixedLength = (m: { readonly inPort: number; readonly match?: Match.Match | undefined }): number =>
  m.match === undefined || m.match.length === 0
    ? 24
    : 16 + Match.encodedLength([{ field: "inPort", value: m.inPort, mask: undefined }, ...m.match])

/** @category models @since 0.1.0 */
export type PacketOut = typeof PacketOut.Type

/**
 * A packet-out of `data` (unbuffered) through `actions`.
 *
 * @example
 * ```ts
 * import { Action, PacketOut, Port } from "@switchyard/openflow"
 *
 * const frame = new Uint8Array(64)
 * const out = PacketOut.make({ actions: [Action.output(Port.FLOOD)], data: frame })
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: {
  readonly actions: ReadonlyArray<Action.Action>
  readonly data?: Uint8Array | undefined
  readonly inPort?: number | undefined
  readonly bufferId?: number | undefined
}): PacketOut => ({
  _tag: "PacketOut",
  bufferId: options.bufferId ?? NO_BUFFER,
  inPort: options.inPort ?? Port.CONTROLLER,
  actions: options.actions,
  data: options.data ?? new Uint8Array(0)
})

/**
 * The packet-out answering `packetIn`: the same packet through `actions`, with the
 * packet-in's ingress port.
 *
 * **Details**
 *
 * When the switch buffered the packet, the packet-out names the buffer and carries no
 * data (sending the bytes again would be wasted, and the switch holds the whole packet
 * while `data` may be only its start). Otherwise it carries `packetIn.data`. Without an
 * `inPort` in the packet-in's match, `Port.CONTROLLER` is used.
 *
 * **Gotchas**
 *
 * The result shares `packetIn.data` (a view into the receive buffer): encode it before
 * that buffer is reused, which sending from the handler does.
 *
 * @example
 * ```ts
 * import { Action, PacketIn, PacketOut, Port } from "@switchyard/openflow"
 *
 * const flood = (msg: PacketIn.PacketIn) => PacketOut.reply(msg, [Action.output(Port.FLOOD)])
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const reply = (packetIn: PacketIn.PacketIn, actions: ReadonlyArray<Action.Action>): PacketOut => {
  const buffered = packetIn.bufferId !== NO_BUFFER
  return {
    _tag: "PacketOut",
    bufferId: packetIn.bufferId,
    inPort: PacketIn.inPort(packetIn) ?? Port.CONTROLLER,
    actions,
    data: buffered ? EMPTY : packetIn.data
  }
}

const EMPTY = new Uint8Array(0)
