/**
 * A fake OpenFlow 1.3 switch connected to the controller under test in-process: every
 * message crosses an in-memory socket through the real codec, in both directions, and a
 * real flow table decides what happens to the frames a test injects.
 *
 * The switch does what a controller needs from a switch: the handshake (HELLO, FEATURES
 * with its datapath id and buffer count, PORT_DESC), echo, barrier, role and switch
 * config, the statistics apps read (DESC, PORT_DESC, FLOW and AGGREGATE from its table,
 * TABLE, PORT, GROUP and GROUP_DESC), FLOW_MOD and GROUP_MOD with the semantics of
 * `FlowTable`, PACKET_OUT (buffered and not), PORT_MOD, and, on its own initiative,
 * PACKET_IN for what its table sends to the controller, FLOW_REMOVED on timeouts and
 * deletes, and PORT_STATUS when a test takes a port down, brings it up, adds or removes
 * one. It records every frame it transmits, per port, and every message in both
 * directions.
 *
 * It is strict, like Faucet's `FakeOFTable`: a message the switch refuses (it answers
 * with OFPT_ERROR, as a switch would) or behaviour the spec leaves undefined makes the
 * test's next settle fail with a `FakeSwitchError` that quotes it. Tests that exercise
 * refusals on purpose connect with `strict: false` and read `refused`.
 *
 * Operations that make the switch act (`inject`, `packetIn`, port changes, `disconnect`)
 * settle before they return: the controller and every fake have handled everything in
 * flight, deterministically, with no sleep. Time is the Effect `Clock`: under
 * `it.effect` flow timeouts and the controller's echo keepalive run in `TestClock`'s
 * virtual time.
 *
 * @since 0.1.0
 */
import type { Datapath } from "@switchyard/controller"
import type { Message, Port } from "@switchyard/openflow"
import * as Effect from "effect/Effect"
import * as Scope from "effect/Scope"
import type * as FakeSwitchError from "./FakeSwitchError.ts"
import type * as FlowTable from "./FlowTable.ts"
import { engineOf } from "./internal/table.ts"
import { SwitchImpl } from "./internal/fakeSwitch.ts"
import { TestController } from "./internal/harness.ts"

/**
 * Options of {@link connect}.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  /** The datapath id it reports in FEATURES_REPLY. */
  readonly dpid: bigint
  /** Its ports: numbers, or full descriptions (default 1-4, up, 1 Gb/s). */
  readonly ports?: ReadonlyArray<number | Port.Port> | undefined
  /**
   * Packets it can buffer for PACKET_IN (default 0, as Open vSwitch since 2.7). With
   * buffers, an output to the controller with a `max_len` other than `NO_BUFFER` buffers
   * the packet and sends its first `max_len` bytes with a buffer id.
   */
  readonly nBuffers?: number | undefined
  /** Flow tables (default 254). */
  readonly nTables?: number | undefined
  /** Entries per table before OFPFMFC_TABLE_FULL (default 100000). */
  readonly maxEntries?: number | undefined
  /**
   * Fail the next settle when the switch refuses a message or sees undefined behaviour
   * (default `true`).
   */
  readonly strict?: boolean | undefined
  /** Its `dp_desc` in the DESC reply. */
  readonly name?: string | undefined
}

/**
 * What left the switch's ports because of one action of a test (an injected frame, a
 * packet-in), once everything settled: including what the controller's answers made it
 * send.
 *
 * @category models
 * @since 0.1.0
 */
export interface Delivery {
  /** The ports that transmitted anything, ascending. */
  readonly ports: ReadonlyArray<number>
  /** Every frame transmitted, in order. */
  readonly frames: ReadonlyArray<{ readonly port: number; readonly frame: Uint8Array }>
  /** The frames one port transmitted. */
  readonly on: (port: number) => ReadonlyArray<Uint8Array>
  /** PACKET_INs the switch sent to the controller. */
  readonly packetIns: number
}

/**
 * Options of {@link FakeSwitch.packetIn}: a PACKET_IN sent directly, as if the table had
 * sent the frame to the controller.
 *
 * @category models
 * @since 0.1.0
 */
export interface PacketInOptions {
  readonly inPort: number
  readonly frame: Uint8Array
  /**
   * Buffer the frame and send a buffer id (needs `nBuffers > 0`); the controller can then
   * release it with a PACKET_OUT or a FLOW_MOD naming the buffer. The whole frame is
   * still sent unless `maxLen` is given, as `ofbench -B` does.
   */
  readonly buffered?: boolean | undefined
  /** Send only the first `maxLen` bytes. */
  readonly maxLen?: number | undefined
  /** One of `PacketIn.Reason` (default NO_MATCH). */
  readonly reason?: number | undefined
  readonly tableId?: number | undefined
  readonly cookie?: bigint | undefined
}

/**
 * A fake switch.
 *
 * @category models
 * @since 0.1.0
 */
export interface FakeSwitch {
  readonly dpid: bigint
  /** The datapath id as 16 hex digits. */
  readonly id: string
  /** Its flow table (live): ask it where packets go, read entries, compare hashes. */
  readonly table: FlowTable.FlowTable
  /** Its ports, by number (live). */
  readonly ports: ReadonlyMap<number, Port.Port>
  /** Buffers it offers in FEATURES_REPLY. */
  readonly nBuffers: number

  /**
   * A frame arrives on `port`: the table decides (forward, send to the controller, drop),
   * the controller answers, and once everything has settled the result says what every
   * port transmitted because of it.
   */
  readonly inject: (port: number, frame: Uint8Array) => Effect.Effect<Delivery, FakeSwitchError.FakeSwitchError>
  /**
   * The synchronous core of `inject`, without settling: for feeding many frames before
   * one `settle`.
   */
  readonly injectUnsafe: (port: number, frame: Uint8Array) => void
  /** Sends a PACKET_IN directly (bypassing the table), then settles. */
  readonly packetIn: (options: PacketInOptions) => Effect.Effect<Delivery, FakeSwitchError.FakeSwitchError>

  /** Every frame `port` transmitted since the switch was made (or `clearOutputs`). */
  readonly outputs: (port: number) => ReadonlyArray<Uint8Array>
  /** Every frame transmitted, in order. */
  readonly transmitted: ReadonlyArray<{ readonly port: number; readonly frame: Uint8Array }>
  /** Forgets the transmitted frames. */
  readonly clearOutputs: () => void
  /** Messages received from the controller (decoded), optionally of one kind. */
  readonly received: <T extends Message.Tag = Message.Tag>(tag?: T) => ReadonlyArray<Message.Of<T>>
  /** Messages sent to the controller, optionally of one kind. */
  readonly sent: <T extends Message.Tag = Message.Tag>(tag?: T) => ReadonlyArray<Message.Of<T>>
  /** Messages the switch refused with OFPT_ERROR. */
  readonly refused: ReadonlyArray<FakeSwitchError.RefusedMessage>
  /** Undefined behaviour the switch saw (see `FlowTable.PacketResult.problems`). */
  readonly problems: ReadonlyArray<string>
  /** Packets held in buffers. */
  readonly bufferedPackets: number

  /** Takes a port's link down (PORT_STATUS MODIFY), then settles. */
  readonly portDown: (portNo: number) => Effect.Effect<void, FakeSwitchError.FakeSwitchError>
  /** Brings a port's link up (PORT_STATUS MODIFY), then settles. */
  readonly portUp: (portNo: number) => Effect.Effect<void, FakeSwitchError.FakeSwitchError>
  /** Changes a port's config and/or state bits (PORT_STATUS MODIFY), then settles. */
  readonly setPort: (portNo: number, change: Partial<Pick<Port.Port, "config" | "state">>) => Effect.Effect<void, FakeSwitchError.FakeSwitchError>
  /** Adds a port (PORT_STATUS ADD), then settles. */
  readonly addPort: (port: number | Port.Port) => Effect.Effect<void, FakeSwitchError.FakeSwitchError>
  /** Removes a port (PORT_STATUS DELETE), then settles. */
  readonly removePort: (portNo: number) => Effect.Effect<void, FakeSwitchError.FakeSwitchError>

  /**
   * With `false`, the switch plays dead: it keeps the connection open but ignores every
   * message from the controller (no echo replies, no flow mods applied), as a hung switch
   * does; the controller's keepalive drops it after its echo timeout (`TestClock.adjust`).
   * `true` makes it answer again. Settles first.
   */
  readonly setResponsive: (responsive: boolean) => Effect.Effect<void, FakeSwitchError.FakeSwitchError>

  /** Closes the connection (the flow table stays, as on a real switch), then settles. */
  readonly disconnect: Effect.Effect<void, FakeSwitchError.FakeSwitchError>
  /** Connects again (after `disconnect`, or replacing the current connection), handshake included. */
  readonly reconnect: Effect.Effect<void, FakeSwitchError.FakeSwitchError>
  /** `true` while the connection is up and past HELLO. */
  readonly isConnected: Effect.Effect<boolean>
  /** The controller's handle of this datapath. */
  readonly datapath: Effect.Effect<Datapath.Datapath, FakeSwitchError.FakeSwitchError>
  /** Waits until the controller and every fake have handled everything in flight. */
  readonly settle: Effect.Effect<void, FakeSwitchError.FakeSwitchError>
}

/**
 * Makes a fake switch, connects it to the test's controller and completes the handshake;
 * returns once the controller has registered it and the apps have reacted (for a
 * learning switch: the table-miss flow is in the table).
 *
 * **Details**
 *
 * Needs a `TestController` (provide `TestController.layer(app)`); the switch lives until
 * that layer is released. Fails with `HandshakeFailed` when the controller does not
 * accept the switch.
 *
 * **Example** (A learning switch floods, then learns)
 *
 * ```ts
 * import { assert, it } from "@effect/vitest"
 * import { Effect } from "effect"
 * import { FakeSwitch, Frames, TestController } from "@switchyard/testkit"
 * import * as L2Switch from "./L2Switch.ts"
 *
 * it.effect("floods an unknown destination", () =>
 *   Effect.gen(function*() {
 *     const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2, 3] })
 *     const delivery = yield* sw.inject(1, Frames.udp({ src: "00:00:00:00:00:01", dst: "00:00:00:00:00:02" }))
 *     assert.deepStrictEqual(delivery.ports, [2, 3])
 *   }).pipe(Effect.provide(TestController.layer(L2Switch.layer()))))
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const connect = (options: Options): Effect.Effect<FakeSwitch, FakeSwitchError.FakeSwitchError, TestController> =>
  Effect.flatMap(make(options), (sw) => Effect.as((sw as SwitchImpl).connect, sw))

/**
 * Makes a fake switch without connecting it, for tests of what happens before a
 * controller is reachable or of a connection made later with `reconnect`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: Options): Effect.Effect<FakeSwitch, never, TestController> =>
  TestController.use((harness) =>
    Effect.suspend(() => {
      const sw = new SwitchImpl(harness, options, engineOf)
      harness.participants.add(sw)
      return Effect.as(Scope.addFinalizer(harness.scope, Effect.sync(() => sw.stopTimers())), sw as FakeSwitch)
    })
  )
