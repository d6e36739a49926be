import { assert, describe, it } from "@effect/vitest"
import { PacketIn, PortStatus } from "@switchyard/openflow"
import type { Message } from "@switchyard/openflow"
import { Effect, Exit, Fiber, Scope, Stream } from "effect"
import * as Controller from "../src/Controller.ts"
import * as ScriptedSwitch from "./support/ScriptedSwitch.ts"

const { connectUp, settle } = ScriptedSwitch

const layer = Controller.layer({ subscriberOverflow: "suspend" })

const experimenter = (n: number): Message.Message => ({
  _tag: "Experimenter",
  experimenter: 0x2320,
  expType: n,
  data: new Uint8Array(0)
})

const packetIn = (n: number) => PacketIn.make({ inPort: 1 + (n % 4), data: Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, n & 0xff, 0x08, 0x00) })

/** Sends one message per read (a read always fits a buffer with room, so tests that fill buffers go one by one). */
const sendApart = (sw: ScriptedSwitch.ScriptedSwitch, messages: ReadonlyArray<Message.Message>, xid0 = 0) =>
  Effect.forEach(messages, (m, i) => Effect.andThen(sw.send(m, { xid: xid0 + i }), settle), { discard: true })

describe("subscriptions", () => {
  it.effect("messages(tag) yields precisely typed events of that kind only, with datapath, xid, state and bytes", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const packetIns = yield* controller.messages("PacketIn")
      const { datapath, sw } = yield* connectUp(controller, { dpid: 9n })
      yield* sw.send(experimenter(1), { xid: 1 })
      yield* sw.send(packetIn(7), { xid: 2 })
      const [event] = yield* packetIns.pipe(Stream.take(1), Stream.runCollect)
      // `message` is a PacketIn: its fields are there without narrowing.
      assert.strictEqual(PacketIn.inPort(event!.message), 4)
      assert.strictEqual(event!.message.data[11], 7)
      assert.strictEqual(event!.datapath, datapath)
      assert.strictEqual(event!.xid, 2)
      assert.strictEqual(event!.state, "MAIN")
      assert.strictEqual(event!.bytes[1], 10)
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("a state filter keeps only events received in those states", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const configOnly = yield* controller.events({ messages: "all", states: ["CONFIG"] })
      const mainOnly = yield* controller.messages(["FeaturesReply", "Experimenter"], { states: ["MAIN"] })
      const { sw } = yield* connectUp(controller)
      yield* sw.send(experimenter(3), { xid: 3 })
      const inConfig = yield* configOnly.pipe(Stream.take(2), Stream.runCollect)
      assert.deepStrictEqual(inConfig.map((e) => e._tag === "Message" ? `${e.message._tag}/${e.state}` : e._tag), [
        "FeaturesReply/CONFIG",
        "PortDescReply/CONFIG"
      ])
      const [inMain] = yield* mainOnly.pipe(Stream.take(1), Stream.runCollect)
      assert.strictEqual(inMain!.message._tag, "Experimenter")
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("each chunk holds one datapath's events, and each datapath's order is kept", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const events = yield* controller.messages("Experimenter")
      const a = yield* connectUp(controller, { dpid: 1n })
      const b = yield* connectUp(controller, { dpid: 2n })
      for (let i = 0; i < 30; i++) {
        yield* a.sw.send(experimenter(i), { xid: i })
        yield* b.sw.send(experimenter(100 + i), { xid: i })
        if (i % 7 === 0) yield* settle
      }
      const chunks: Array<ReadonlyArray<{ dpid: bigint; n: number }>> = []
      let total = 0
      yield* events.pipe(
        Stream.runForEachArray((batch) =>
          Effect.sync(() => {
            chunks.push(batch.map((e) => ({ dpid: e.datapath.dpid, n: e.message.expType })))
            total += batch.length
          })
        ),
        Effect.forkChild,
        Effect.andThen((fiber) => Effect.andThen(Effect.repeat(settle, { until: () => total >= 60 }), Fiber.interrupt(fiber)))
      )
      for (const chunk of chunks) assert.strictEqual(new Set(chunk.map((e) => e.dpid)).size, 1, "one datapath per chunk")
      const flat = chunks.flat()
      assert.deepStrictEqual(flat.filter((e) => e.dpid === 1n).map((e) => e.n), Array.from({ length: 30 }, (_, i) => i))
      assert.deepStrictEqual(flat.filter((e) => e.dpid === 2n).map((e) => e.n), Array.from({ length: 30 }, (_, i) => 100 + i))
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("dropping: a full buffer discards new message events and counts them; lifecycle events still get in", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const events = yield* controller.events({
        messages: ["Experimenter"],
        datapathEvents: ["PortChange"],
        bufferSize: 2,
        overflow: "dropping",
        name: "slow-app"
      })
      const { datapath, sw } = yield* connectUp(controller)
      yield* sendApart(sw, [1, 2, 3, 4, 5].map(experimenter))
      yield* sw.send({ _tag: "PortStatus", reason: PortStatus.Reason.ADD, desc: ScriptedSwitch.port(9) })
      yield* settle
      const got = yield* events.pipe(Stream.take(3), Stream.runCollect)
      assert.deepStrictEqual(got.map((e) => e._tag === "Message" ? (e.message as any).expType : e._tag), [1, 2, "PortChange"])
      assert.strictEqual(datapath.stats.eventsDropped, 3)
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("sliding: a full buffer discards the oldest message events", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const events = yield* controller.messages("Experimenter", { bufferSize: 2, overflow: "sliding" })
      const { datapath, sw } = yield* connectUp(controller)
      yield* sendApart(sw, [1, 2, 3, 4, 5].map(experimenter))
      const got = yield* events.pipe(Stream.take(2), Stream.runCollect)
      assert.deepStrictEqual(got.map((e) => e.message.expType), [4, 5])
      assert.strictEqual(datapath.stats.eventsDropped, 3)
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("suspend: nothing is lost; past the hold cap the switch is back-pressured, and it resumes when the app catches up", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const events = yield* controller.messages("Experimenter", { bufferSize: 1, overflow: "suspend" })
      const { datapath, sw } = yield* connectUp(controller, { highWaterMark: 1 << 16 })
      const big = (n: number): Message.Message => ({ _tag: "Experimenter", experimenter: 1, expType: n, data: new Uint8Array(30_000) })
      // 40 × 30 kB: far past the default 256 KiB hold cap.
      const writer = yield* Effect.forkChild(Effect.forEach(Array.from({ length: 40 }, (_, i) => i), (i) => sw.send(big(i), { xid: i }), { discard: true }))
      yield* settle
      yield* settle
      assert.isAtMost(datapath.stats.heldBytes, 256 * 1024 + 31_000, "holds at most one read past the cap")
      assert.isUndefined(writer.pollUnsafe(), "the switch's writes are blocked: TCP back-pressure")
      const got = yield* events.pipe(Stream.take(40), Stream.runCollect)
      assert.deepStrictEqual(got.map((e) => e.message.expType), Array.from({ length: 40 }, (_, i) => i))
      yield* Fiber.join(writer)
      assert.strictEqual(datapath.stats.eventsDropped, 0)
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("a slow subscriber does not delay a fast one (within the hold cap)", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      yield* controller.messages("Experimenter", { bufferSize: 1, overflow: "suspend", name: "never-reads" })
      const fast = yield* controller.messages("Experimenter", { name: "fast" })
      const { sw } = yield* connectUp(controller)
      yield* sendApart(sw, Array.from({ length: 20 }, (_, i) => experimenter(i)))
      const got = yield* fast.pipe(Stream.take(20), Stream.runCollect)
      assert.deepStrictEqual(got.map((e) => e.message.expType), Array.from({ length: 20 }, (_, i) => i))
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("closing a subscription releases what a datapath held for it", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const subscriptionScope = yield* Scope.make()
      yield* Scope.provide(controller.messages("Experimenter", { bufferSize: 1, overflow: "suspend" }), subscriptionScope)
      const { datapath, sw } = yield* connectUp(controller)
      yield* sendApart(sw, Array.from({ length: 5 }, (_, i) => experimenter(i)))
      assert.isAbove(datapath.stats.heldBytes, 0)
      yield* Scope.close(subscriptionScope, Exit.void)
      assert.strictEqual(datapath.stats.heldBytes, 0)
      yield* sw.send({ _tag: "EchoRequest", data: new Uint8Array(0) }, { xid: 1 })
      assert.strictEqual((yield* sw.expect("EchoReply")).xid, 1)
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("events() keeps a datapath's order across messages and lifecycle events", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const events = yield* controller.events({ messages: ["PortStatus", "Experimenter"], datapathEvents: "all" })
      const { datapath, sw } = yield* connectUp(controller)
      yield* sw.send(experimenter(1))
      yield* sw.send({ _tag: "PortStatus", reason: PortStatus.Reason.MODIFY, desc: ScriptedSwitch.port(2, { state: 1 }) })
      yield* sw.send({ _tag: "PortStatus", reason: PortStatus.Reason.DELETE, desc: ScriptedSwitch.port(3) })
      yield* sw.closeWrite
      const got = yield* events.pipe(Stream.take(9), Stream.runCollect)
      assert.deepStrictEqual(got.map((e) => (e._tag === "Message" ? e.message._tag : e._tag)), [
        "StateChange",
        "DatapathUp",
        "Experimenter",
        "PortStatus",
        "PortChange",
        "PortStatus",
        "PortChange",
        "StateChange",
        "DatapathDown"
      ])
      const change = got.find((e) => e._tag === "PortChange")!
      assert.isTrue(change._tag === "PortChange" && change.reason === "MODIFY" && change.previous?.state === 0 && change.port.state === 1)
      assert.deepStrictEqual([...datapath.ports.keys()], [1, 2])
    }).pipe(Effect.scoped, Effect.provide(layer)))
})
