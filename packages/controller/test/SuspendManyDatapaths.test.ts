// Many datapaths sharing one subscription under the default overflow policy ("suspend"),
// each sending bursts larger than the subscription's buffer: every packet-in reaches the
// app, in each switch's order, and no switch is starved. This is what the benchmark's
// learning phase does (every switch sends a whole window at once); with "dropping" as the
// default, all but the first few switches lost their packet-ins there.
import { assert, describe, it } from "@effect/vitest"
import { PacketIn } from "@switchyard/openflow"
import { Effect, Fiber, Stream } from "effect"
import * as Controller from "../src/Controller.ts"
import type * as Events from "../src/Events.ts"
import * as ScriptedSwitch from "./support/ScriptedSwitch.ts"

const SWITCHES = 24
const BURSTS = 3
const BURST = 20
const BUFFER = 8

// A broadcast frame whose source MAC names the switch and the packet, so an event can be
// traced back to what was sent even without its xid.
const packetIn = (dpid: number, n: number) =>
  PacketIn.make({
    inPort: 1 + (n % 4),
    data: Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, dpid, 0, 0, n >> 8, n & 0xff, 0x08, 0x00)
  })

/** One burst: BURST packet-ins in one write, so the controller reads them as one batch. */
const burst = (dpid: number, b: number) =>
  Array.from({ length: BURST }, (_, i) => ScriptedSwitch.encode(packetIn(dpid, b * BURST + i), b * BURST + i))

interface Seen {
  readonly dpid: bigint
  readonly xid: number
  readonly tag: number
}

const connectAll = (controller: Controller.Service) =>
  Effect.forEach(
    Array.from({ length: SWITCHES }, (_, i) => BigInt(i + 1)),
    (dpid) => ScriptedSwitch.connectUp(controller, { dpid }),
    { concurrency: 1 }
  )

const record = (seen: Array<Seen>, chunks: Array<ReadonlyArray<bigint>>, batch: ReadonlyArray<Events.MessageEvent<PacketIn.PacketIn>>) =>
  Effect.sync(() => {
    chunks.push(batch.map((e) => e.datapath.dpid))
    for (const e of batch) seen.push({ dpid: e.datapath.dpid, xid: e.xid, tag: (e.message.data[10]! << 8) | e.message.data[11]! })
  })

const assertEverySwitchComplete = (seen: ReadonlyArray<Seen>, chunks: ReadonlyArray<ReadonlyArray<bigint>>) => {
  for (const chunk of chunks) assert.strictEqual(new Set(chunk).size, 1, "a chunk holds one datapath's events")
  const expected = Array.from({ length: BURSTS * BURST }, (_, i) => i)
  for (let d = 1; d <= SWITCHES; d++) {
    const mine = seen.filter((s) => s.dpid === BigInt(d))
    assert.deepStrictEqual(mine.map((s) => s.xid), expected, `datapath ${d}: every packet-in, in order`)
    assert.deepStrictEqual(mine.map((s) => s.tag), expected, `datapath ${d}: the frames are the ones it sent`)
  }
  assert.strictEqual(seen.length, SWITCHES * BURSTS * BURST)
}

describe("one suspend subscription, many datapaths, bursts larger than its buffer", () => {
  it.effect("the default policy is suspend: nothing is dropped while the app is not reading, and all of it arrives in order", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      // No overflow given: the controller's default applies.
      const events = yield* controller.messages("PacketIn", { bufferSize: BUFFER, name: "l2" })
      const switches = yield* connectAll(controller)
      // Every switch sends all of its bursts, interleaved with the others', before the app
      // reads anything: the first batch fills the buffer, the rest is held per datapath.
      for (let b = 0; b < BURSTS; b++) {
        for (let d = 0; d < SWITCHES; d++) yield* switches[d]!.sw.write(...burst(d + 1, b))
        yield* ScriptedSwitch.settle
      }
      const holding = switches.filter(({ datapath }) => datapath.stats.heldBytes > 0).length
      assert.isAtLeast(holding, SWITCHES - 1, "all but the switch whose batch went into the buffer hold theirs back")
      const seen: Array<Seen> = []
      const chunks: Array<ReadonlyArray<bigint>> = []
      yield* events.pipe(
        Stream.take(SWITCHES * BURSTS * BURST),
        Stream.runForEachArray((batch) => record(seen, chunks, batch))
      )
      assertEverySwitchComplete(seen, chunks)
      for (const { datapath } of switches) {
        assert.strictEqual(datapath.stats.eventsDropped, 0)
        assert.strictEqual(datapath.stats.heldBytes, 0, "nothing left held once the app has taken everything")
      }
    }).pipe(Effect.scoped, Effect.provide(Controller.layer({ subscriberBufferSize: BUFFER }))))

  it.effect("switches sending while a slow app consumes: every packet-in arrives, in order, none dropped", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const events = yield* controller.messages("PacketIn", { bufferSize: BUFFER, overflow: "suspend", name: "l2" })
      const switches = yield* connectAll(controller)
      const seen: Array<Seen> = []
      const chunks: Array<ReadonlyArray<bigint>> = []
      // The app yields to the scheduler after every batch, so sends and takes interleave.
      const app = yield* events.pipe(
        Stream.take(SWITCHES * BURSTS * BURST),
        Stream.runForEachArray((batch) => Effect.andThen(record(seen, chunks, batch), Effect.yieldNow)),
        Effect.forkChild
      )
      yield* Effect.forEach(
        switches,
        ({ sw }, d) =>
          Effect.forEach(
            Array.from({ length: BURSTS }, (_, b) => b),
            (b) => Effect.andThen(sw.write(...burst(d + 1, b)), Effect.yieldNow),
            { discard: true }
          ),
        { concurrency: "unbounded", discard: true }
      )
      yield* Fiber.join(app)
      assertEverySwitchComplete(seen, chunks)
      for (const { datapath } of switches) assert.strictEqual(datapath.stats.eventsDropped, 0)
    }).pipe(Effect.scoped, Effect.provide(Controller.layer({ subscriberBufferSize: BUFFER }))))
})
