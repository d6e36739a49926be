/**
 * The typed events a controller publishes, and the options of a subscription to them.
 *
 * Every message a switch sends becomes a {@link MessageEvent} carrying the decoded
 * message and the datapath it came from; connections coming and going, dispatcher
 * state changes and port changes become {@link DatapathEvent}s. Apps subscribe by
 * message kind and get a `Stream` of precisely typed values: subscribing to
 * `"PacketIn"` yields events whose `message` is a `PacketIn`, not a union to narrow.
 *
 * The awkward part is pace. Switches produce events at wire speed and apps consume
 * them at their own; Ryu gives each app an unbounded-looking queue of 128 and blocks the
 * switch's receive loop when it fills, which stops echo replies and gets the switch to
 * drop the controller. Here each subscription has its own bounded buffer and an
 * explicit {@link Overflow} policy, and the connection's read loop keeps answering echo
 * requests while a subscriber is full (see the package README, "Back-pressure and echo").
 *
 * @since 0.1.0
 */
import type { Message, Port } from "@switchyard/openflow"
import type { Datapath } from "./Datapath.ts"
import type * as DatapathError from "./DatapathError.ts"
import type { State } from "./Handshake.ts"

/**
 * A message received from a switch.
 *
 * **Details**
 *
 * Published for every message a datapath receives once its id is known (from its
 * FEATURES_REPLY on), except replies that answer a pending `Datapath.request`: those go
 * to the requester only. Messages before that point (the HELLO, early echoes) are
 * handled by the connection itself.
 *
 * **Gotchas**
 *
 * `bytes` and every byte field of `message` (packet data, payloads) are views into the
 * buffer the socket delivered. They stay valid (the runtime never reuses them) but keep
 * that whole buffer alive: copy what you keep for long, e.g. a packet you buffer.
 *
 * @category models
 * @since 0.1.0
 */
export interface MessageEvent<M extends Message.Message = Message.Message> {
  readonly _tag: "Message"
  /** The datapath the message came from. */
  readonly datapath: Datapath
  readonly message: M
  /** The message's transaction id. */
  readonly xid: number
  /** The dispatcher state when the message arrived. */
  readonly state: State
  /** The message as received, header included (a view; see Gotchas). */
  readonly bytes: Uint8Array
}

/**
 * A datapath finished its handshake and is registered under its id (state `MAIN`).
 *
 * @category models
 * @since 0.1.0
 */
export interface DatapathUp {
  readonly _tag: "DatapathUp"
  readonly datapath: Datapath
  /** The previous connection with the same datapath id, closed in favour of this one. */
  readonly replaced: Datapath | undefined
}

/**
 * A datapath that was up is gone (state `DEAD`).
 *
 * @category models
 * @since 0.1.0
 */
export interface DatapathDown {
  readonly _tag: "DatapathDown"
  readonly datapath: Datapath
  /** Why it closed. */
  readonly reason: DatapathError.Closed
  /** The new connection with the same datapath id that replaced this one, if that is why. */
  readonly replacedBy: Datapath | undefined
}

/**
 * A datapath changed dispatcher state (`CONFIG` → `MAIN`, `MAIN` → `DEAD`, ...).
 *
 * **Details**
 *
 * Published only once the datapath id is known, so the first one a subscriber sees for a
 * connection is `CONFIG` → `MAIN` (or `CONFIG` → `DEAD` when the handshake fails late).
 *
 * @category models
 * @since 0.1.0
 */
export interface StateChange {
  readonly _tag: "StateChange"
  readonly datapath: Datapath
  readonly from: State
  readonly to: State
}

/**
 * Why a port changed: the PORT_STATUS reason.
 *
 * @category models
 * @since 0.1.0
 */
export type PortChangeReason = "ADD" | "DELETE" | "MODIFY"

/**
 * A port was added, removed or changed (from PORT_STATUS), after the datapath's port
 * table was updated.
 *
 * @category models
 * @since 0.1.0
 */
export interface PortChange {
  readonly _tag: "PortChange"
  readonly datapath: Datapath
  readonly reason: PortChangeReason
  /** The port as described by the switch after the change (for DELETE: as it was). */
  readonly port: Port.Port
  /** The description the table held before, if the port was known. */
  readonly previous: Port.Port | undefined
}

/**
 * Any lifecycle event of a datapath.
 *
 * @category models
 * @since 0.1.0
 */
export type DatapathEvent = DatapathUp | DatapathDown | StateChange | PortChange

/**
 * The lifecycle event kinds.
 *
 * @category models
 * @since 0.1.0
 */
export type DatapathEventTag = DatapathEvent["_tag"]

/**
 * Every lifecycle event kind.
 *
 * @category constants
 * @since 0.1.0
 */
export const datapathEventTags: ReadonlyArray<DatapathEventTag> = ["DatapathUp", "DatapathDown", "StateChange", "PortChange"]

/**
 * Any event.
 *
 * @category models
 * @since 0.1.0
 */
export type Event = MessageEvent | DatapathEvent

/**
 * What a subscription does when its buffer is full (the names of `Queue`'s strategies,
 * and of the `--subscriber-overflow` flag).
 *
 * - `"suspend"`: back-pressure. Keep the events; the datapath holds them back, in order,
 *   and past a per-datapath byte cap (`holdBytes`) stops reading from that switch until
 *   the subscriber catches up. Nothing is lost; a stalled subscriber eventually stalls
 *   the switches it listens to, but only after the cap, and the switch's echo requests
 *   keep being answered until then.
 * - `"dropping"`: discard the new message events that do not fit, and count them.
 * - `"sliding"`: make room by discarding the oldest buffered message events, and count
 *   them.
 *
 * Dropped events are counted in `Datapath.stats.eventsDropped` and the
 * `switchyard_events_dropped_total` metric (by subscription name). Lifecycle events
 * ({@link DatapathEvent}) are never dropped: they go in even when the buffer is full.
 *
 * @category models
 * @since 0.1.0
 */
export type Overflow = "suspend" | "dropping" | "sliding"

/**
 * Options of one subscription.
 *
 * @category models
 * @since 0.1.0
 */
export interface SubscribeOptions {
  /** Only events of datapaths in these states (default: every state). */
  readonly states?: ReadonlyArray<State> | undefined
  /** Buffered events before {@link Overflow} applies (default: the controller's `subscriberBuffer`). */
  readonly bufferSize?: number | undefined
  /** What to do when the buffer is full (default: the controller's `overflow`). */
  readonly overflow?: Overflow | undefined
  /** A name for logs and metrics (default `"subscriber-<n>"`). */
  readonly name?: string | undefined
}

/**
 * What a general subscription listens to: message kinds and lifecycle kinds together,
 * in one stream that keeps each datapath's order across both.
 *
 * @category models
 * @since 0.1.0
 */
export interface Filter extends SubscribeOptions {
  /** Message kinds to receive; `"all"` for every kind. */
  readonly messages?: ReadonlyArray<Message.Tag> | "all" | undefined
  /** Lifecycle event kinds to receive; `"all"` for every kind. */
  readonly datapathEvents?: ReadonlyArray<DatapathEventTag> | "all" | undefined
}

/**
 * The event type a {@link Filter} selects.
 *
 * @category models
 * @since 0.1.0
 */
export type Selected<F extends Filter> =
  | (F["messages"] extends "all" ? MessageEvent
    : F["messages"] extends ReadonlyArray<infer T extends Message.Tag> ? MessageEvent<Message.Of<T>>
    : never)
  | (F["datapathEvents"] extends "all" ? DatapathEvent
    : F["datapathEvents"] extends ReadonlyArray<infer T extends DatapathEventTag> ? Extract<DatapathEvent, { readonly _tag: T }>
    : never)
