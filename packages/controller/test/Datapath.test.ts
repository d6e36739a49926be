import { assert, describe, it } from "@effect/vitest"
import { Barrier, Desc, Echo, ErrorMsg, Multipart, OpenFlowError, PortDesc, Version } from "@switchyard/openflow"
import type { Message } from "@switchyard/openflow"
import { Effect, Exit, Fiber, Metric, Stream } from "effect"
import * as TestClock from "effect/testing/TestClock"
import * as Controller from "../src/Controller.ts"
import type * as DatapathError from "../src/DatapathError.ts"
import * as ScriptedSwitch from "./support/ScriptedSwitch.ts"

const { connectUp, encode, settle } = ScriptedSwitch

const layer = Controller.layer({
  echoRequestInterval: "15 seconds",
  maximumUnrepliedEchoRequests: 2,
  requestTimeout: "5 seconds",
  subscriberOverflow: "suspend"
})

const experimenter = (n: number): Message.Message => ({
  _tag: "Experimenter",
  experimenter: 0x2320,
  expType: n,
  data: Uint8Array.of(n & 0xff, (n >> 8) & 0xff)
})

const errorName = (frame: ScriptedSwitch.Frame) =>
  frame.message?._tag === "ErrorMsg" ? ErrorMsg.errorName(frame.message, frame.version) : undefined

const reasonOf = (exit: Exit.Exit<unknown, DatapathError.DatapathError>) => {
  if (exit._tag === "Success") return "success"
  const fail = exit.cause.reasons.find((r) => r._tag === "Fail")
  return fail !== undefined && fail._tag === "Fail" ? fail.error.reason._tag : "no failure"
}

describe("framing", () => {
  it.effect("several messages in one read, and one message split across reads", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const events = yield* controller.messages("Experimenter")
      const { sw } = yield* connectUp(controller)
      const three = [1, 2, 3].map((n) => encode(experimenter(n), n))
      const joined = new Uint8Array(three.reduce((a, b) => a + b.length, 0))
      let at = 0
      for (const m of three) {
        joined.set(m, at)
        at += m.length
      }
      yield* sw.write(joined)
      const fourth = encode(experimenter(4), 4)
      // Header split in two, then the body: three separate reads.
      yield* sw.write(fourth.subarray(0, 3))
      yield* settle
      yield* sw.write(fourth.subarray(3, 10))
      yield* settle
      yield* sw.write(fourth.subarray(10))
      const got = yield* events.pipe(Stream.take(4), Stream.runCollect)
      assert.deepStrictEqual(got.map((e) => [e.xid, e.message.expType]), [[1, 1], [2, 2], [3, 3], [4, 4]])
      assert.deepStrictEqual([...got[3]!.message.data], [4, 0])
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("a header length below 8 is answered with OFPBRC_BAD_LEN and closes only that connection", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const a = yield* connectUp(controller, { dpid: 1n })
      const b = yield* connectUp(controller, { dpid: 2n })
      const bad = Uint8Array.of(4, 4, 0, 4, 0, 0, 0, 42)
      yield* a.sw.write(encode(experimenter(1), 1), bad)
      const error = yield* a.sw.expect("ErrorMsg")
      assert.strictEqual(errorName(error), "OFPBRC_BAD_LEN")
      assert.strictEqual(error.xid, 42)
      assert.deepStrictEqual([...error.message.data], [...bad])
      yield* a.sw.awaitClosed
      const reason = yield* a.datapath.awaitClose
      assert.include(reason.detail, "below the 8-byte header")
      // The other switch carries on.
      yield* b.sw.send(Echo.request(Uint8Array.of(7)), { xid: 5 })
      const reply = yield* b.sw.expect("EchoReply")
      assert.strictEqual(reply.xid, 5)
      assert.strictEqual(b.datapath.state, "MAIN")
      assert.deepStrictEqual((yield* controller.datapaths).map((d) => d.dpid), [2n])
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("a message cut off by a disconnect closes the connection and says so", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const downs = yield* controller.datapathEvents("DatapathDown")
      const { sw } = yield* connectUp(controller)
      yield* sw.write(encode(experimenter(1), 1).subarray(0, 12))
      yield* sw.closeWrite
      const [down] = yield* downs.pipe(Stream.take(1), Stream.runCollect)
      assert.include(down!.reason.detail, "middle of a message")
      yield* sw.awaitClosed
      assert.strictEqual(yield* controller.connectionCount, 0)
    }).pipe(Effect.scoped, Effect.provide(layer)))
})

describe("malformed messages", () => {
  it.effect("an unknown message type gets OFPBRC_BAD_TYPE with its bytes; the connection stays up", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const events = yield* controller.messages("Experimenter")
      const { datapath, sw } = yield* connectUp(controller)
      const unknown = Uint8Array.of(4, 200, 0, 12, 0, 0, 0, 77, 1, 2, 3, 4)
      yield* sw.write(unknown)
      const error = yield* sw.expect("ErrorMsg")
      assert.strictEqual(errorName(error), "OFPBRC_BAD_TYPE")
      assert.strictEqual(error.xid, 77)
      assert.deepStrictEqual([...error.message.data], [...unknown])
      yield* sw.send(experimenter(9), { xid: 9 })
      const [event] = yield* events.pipe(Stream.take(1), Stream.runCollect)
      assert.strictEqual(event!.message.expType, 9)
      assert.strictEqual(datapath.state, "MAIN")
      assert.strictEqual(datapath.stats.errorsSent, 1)
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("a truncated message gets OFPBRC_BAD_LEN; a wrong version gets OFPBRC_BAD_VERSION; both keep the connection", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const { datapath, sw } = yield* connectUp(controller)
      // PORT_STATUS whose body is 8 bytes instead of 72.
      const truncated = Uint8Array.of(4, 12, 0, 16, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0)
      yield* sw.write(truncated)
      const e1 = yield* sw.expect("ErrorMsg")
      assert.strictEqual(errorName(e1), "OFPBRC_BAD_LEN")
      assert.deepStrictEqual([...e1.message.data], [...truncated])
      const v10 = encode(Echo.request(), 8, Version.OF13)
      v10[0] = Version.OF10
      yield* sw.write(v10)
      const e2 = yield* sw.expect("ErrorMsg")
      assert.strictEqual(errorName(e2), "OFPBRC_BAD_VERSION")
      assert.strictEqual(e2.xid, 8)
      yield* sw.send(Echo.request(), { xid: 10 })
      assert.strictEqual((yield* sw.expect("EchoReply")).xid, 10)
      assert.strictEqual(datapath.state, "MAIN")
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("a malformed ERROR is not answered with another error", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const { datapath, sw } = yield* connectUp(controller)
      yield* sw.write(Uint8Array.of(4, 1, 0, 10, 0, 0, 0, 1, 0, 1))
      yield* sw.send(Echo.request(), { xid: 2 })
      const next = yield* sw.receive
      assert.strictEqual(next.message?._tag, "EchoReply")
      assert.strictEqual(datapath.stats.errorsSent, 0)
    }).pipe(Effect.scoped, Effect.provide(layer)))
})

describe("echo", () => {
  it.effect("the switch's echo request is answered at once with its xid and payload, even when no app reads", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      // A subscriber that never consumes, with a buffer of one batch.
      yield* controller.messages("Experimenter", { bufferSize: 1, overflow: "suspend" })
      const { datapath, sw } = yield* connectUp(controller)
      for (let i = 0; i < 20; i++) {
        yield* sw.send(experimenter(i), { xid: i })
        yield* settle
      }
      yield* sw.send(Echo.request(Uint8Array.of(1, 2, 3)), { xid: 0xdead })
      const reply = yield* sw.expect("EchoReply")
      assert.strictEqual(reply.xid, 0xdead)
      assert.deepStrictEqual([...reply.message.data], [1, 2, 3])
      assert.isAbove(datapath.stats.heldBytes, 0)
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("an idle switch gets ECHO_REQUEST and stays up while it answers; the round trip is measured", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const { datapath, sw } = yield* connectUp(controller)
      yield* TestClock.adjust("15 seconds") // activity (the handshake) since start: no echo yet
      yield* settle
      assert.deepStrictEqual((yield* sw.drain).map((f) => f.message?._tag), [])
      for (let round = 0; round < 4; round++) {
        // The reply to the previous round is traffic, so an idle switch is probed every
        // other tick: the tick after a reply sees activity.
        if (round > 0) {
          yield* TestClock.adjust("15 seconds")
          yield* settle
          assert.deepStrictEqual((yield* sw.drain).map((f) => f.message?._tag), [])
        }
        yield* TestClock.adjust("15 seconds")
        const request = yield* sw.expect("EchoRequest")
        yield* TestClock.adjust("20 millis")
        yield* sw.send({ _tag: "EchoReply", data: request.message.data }, { xid: request.xid })
        yield* settle
        // Ticks keep their 15-second grid while the test's clock drifts 20 ms a round.
        assert.strictEqual(datapath.stats.echoRttMillis, 20 * (round + 1))
      }
      assert.strictEqual(datapath.state, "MAIN")
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("a switch that stops answering is dropped after the allowed misses", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const downs = yield* controller.datapathEvents("DatapathDown")
      const { datapath, sw } = yield* connectUp(controller)
      yield* TestClock.adjust("15 seconds")
      yield* TestClock.adjust("15 seconds")
      yield* sw.expect("EchoRequest")
      yield* TestClock.adjust("15 seconds")
      yield* sw.expect("EchoRequest")
      assert.strictEqual(datapath.state, "MAIN")
      yield* TestClock.adjust("15 seconds")
      const [down] = yield* downs.pipe(Stream.take(1), Stream.runCollect)
      assert.include(down!.reason.detail, "echo")
      yield* sw.awaitClosed
      assert.strictEqual(datapath.state, "DEAD")
      assert.deepStrictEqual(yield* controller.datapaths, [])
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("time the controller spends not reading (a full subscriber) does not count against the switch", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const stuck = yield* controller.messages("Experimenter", { bufferSize: 1, overflow: "suspend" })
      const { datapath, sw } = yield* connectUp(controller, { highWaterMark: 1 << 20 })
      // Push well past the hold cap (256 KiB): the read loop stops pulling.
      const big: Message.Message = { _tag: "Experimenter", experimenter: 1, expType: 1, data: new Uint8Array(60_000) }
      // One read each (a whole read always goes into a buffer with room, so the test
      // sends them apart).
      for (let i = 0; i < 8; i++) {
        yield* sw.send(big, { xid: i })
        yield* settle
      }
      assert.isAbove(datapath.stats.heldBytes, 256 * 1024)
      for (let i = 0; i < 6; i++) yield* TestClock.adjust("15 seconds")
      yield* settle
      assert.strictEqual(datapath.state, "MAIN", "not dropped while we were the ones not reading")
      // The app catches up; everything held arrives, in order.
      const got = yield* stuck.pipe(Stream.take(8), Stream.runCollect)
      assert.deepStrictEqual(got.map((e) => e.xid), [0, 1, 2, 3, 4, 5, 6, 7])
    }).pipe(Effect.scoped, Effect.provide(layer)))
})

describe("requests", () => {
  it.effect("barrier: the reply is correlated by xid and goes to the requester only", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const replies = yield* controller.messages("BarrierReply")
      const { datapath, sw } = yield* connectUp(controller)
      const fiber = yield* Effect.forkChild(datapath.barrier)
      const request = yield* sw.expect("BarrierRequest")
      // An unsolicited reply with another xid first: published, not taken as the answer.
      yield* sw.send(Barrier.reply, { xid: request.xid + 1000 })
      yield* settle
      assert.isUndefined(fiber.pollUnsafe())
      yield* sw.send(Barrier.reply, { xid: request.xid })
      yield* Fiber.join(fiber)
      const [published] = yield* replies.pipe(Stream.take(1), Stream.runCollect)
      assert.strictEqual(published!.xid, request.xid + 1000)
      yield* settle
      assert.strictEqual(datapath.stats.pendingRequests, 0)
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("a request without reply fails with RequestTimeout, in virtual time", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const { datapath, sw } = yield* connectUp(controller)
      const fiber = yield* Effect.forkChild(Effect.exit(datapath.request(Desc.request, { timeout: "2 seconds" })))
      yield* sw.expect("DescRequest")
      yield* TestClock.adjust("1999 millis")
      assert.isUndefined(fiber.pollUnsafe())
      yield* TestClock.adjust("1 millis")
      const exit = yield* Fiber.join(fiber)
      assert.strictEqual(reasonOf(exit), "RequestTimeout")
      assert.strictEqual(datapath.stats.pendingRequests, 0)
      const barrier = yield* Effect.forkChild(Effect.exit(datapath.barrier))
      yield* sw.expect("BarrierRequest")
      yield* TestClock.adjust("5 seconds")
      assert.strictEqual(reasonOf(yield* Fiber.join(barrier)), "RequestTimeout")
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("a disconnect fails a waiting request with Closed, not a hang", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const { datapath, sw } = yield* connectUp(controller)
      const fiber = yield* Effect.forkChild(Effect.exit(datapath.barrier))
      yield* sw.expect("BarrierRequest")
      yield* sw.closeWrite
      assert.strictEqual(reasonOf(yield* Fiber.join(fiber)), "Closed")
      assert.strictEqual(reasonOf(yield* Effect.exit(datapath.barrier)), "Closed")
      assert.strictEqual(reasonOf(yield* Effect.exit(datapath.send(Barrier.request))), "Closed")
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("an OFPT_ERROR answering a request fails it with ErrorReply naming the error", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const { datapath, sw } = yield* connectUp(controller)
      const fiber = yield* Effect.forkChild(Effect.flip(datapath.request(Desc.request)))
      const request = yield* sw.expect("DescRequest")
      yield* sw.send(ErrorMsg.fromError(OpenFlowError.make("OFPBRC_BAD_MULTIPART", "x"), Version.OF13, request.bytes), {
        xid: request.xid
      })
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error.reason._tag, "ErrorReply")
      if (error.reason._tag === "ErrorReply") assert.strictEqual(error.reason.name, "OFPBRC_BAD_MULTIPART")
      assert.strictEqual(error.dpid, 1n)
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("a multipart reply in parts is reassembled; concurrent requests are matched by xid", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const { datapath, sw } = yield* connectUp(controller)
      const ports = yield* Effect.forkChild(datapath.request(PortDesc.request))
      const barrier = yield* Effect.forkChild(datapath.barrier)
      const pd = yield* sw.expect("PortDescRequest")
      const br = yield* sw.expect("BarrierRequest")
      const part = (n: Array<number>, more: boolean): Message.Message => ({
        _tag: "PortDescReply",
        flags: more ? Multipart.Flags.REPLY_MORE : 0,
        ports: n.map((p) => ScriptedSwitch.port(p))
      })
      yield* sw.send(part([1, 2], true), { xid: pd.xid })
      yield* sw.send(Barrier.reply, { xid: br.xid })
      yield* sw.send(part([3], true), { xid: pd.xid })
      yield* sw.send(part([4, 5], false), { xid: pd.xid })
      yield* Fiber.join(barrier)
      const reply = yield* Fiber.join(ports)
      assert.deepStrictEqual(reply.ports.map((p) => p.portNo), [1, 2, 3, 4, 5])
      assert.strictEqual(reply.flags, 0)
    }).pipe(Effect.scoped, Effect.provide(layer)))
})

describe("sending", () => {
  it.effect("sendAll costs one write; sends from one fiber arrive in order", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const { datapath, sw } = yield* connectUp(controller)
      yield* sw.drain
      const before = sw.chunkSizes.length
      const batch = Array.from({ length: 50 }, (_, i) => experimenter(i))
      yield* datapath.sendAll(batch)
      const frames = yield* sw.drain
      assert.strictEqual(sw.chunkSizes.length - before, 1, "one chunk for the whole batch")
      assert.deepStrictEqual(frames.map((f) => (f.message as any).expType), batch.map((_, i) => i))
      const xids = frames.map((f) => f.xid)
      assert.strictEqual(new Set(xids).size, 50, "fresh xid per message")
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("a burst of sendUnsafe from one loop is coalesced into one write", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const { datapath, sw } = yield* connectUp(controller)
      yield* sw.drain
      const before = sw.chunkSizes.length
      for (let i = 0; i < 10; i++) assert.strictEqual(datapath.sendUnsafe(experimenter(i)), true)
      const frames = yield* sw.drain
      assert.deepStrictEqual(frames.map((f) => (f.message as any).expType), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
      assert.strictEqual(sw.chunkSizes.length - before, 1, "one chunk for the burst")
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("a switch that does not read back-pressures senders through the bounded queue; order is kept", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const { datapath, sw } = yield* connectUp(controller, { highWaterMark: 256 })
      yield* sw.drain
      const big = (i: number): Message.Message => ({ _tag: "Experimenter", experimenter: 1, expType: i, data: new Uint8Array(200) })
      const senders = yield* Effect.forEach(
        Array.from({ length: 4 }, (_, s) => s),
        (s) => Effect.forkChild(Effect.forEach(Array.from({ length: 30 }, (_, i) => i), (i) => datapath.send(big(s * 1000 + i)), { discard: true })),
      )
      yield* settle
      // The socket holds little and the queue 16 batches: senders must be waiting.
      assert.isTrue(senders.some((f) => f.pollUnsafe() === undefined))
      assert.isAtMost(datapath.stats.sendQueueDepth, 16)
      assert.isFalse(datapath.sendUnsafe(big(99999)) === true && datapath.stats.sendQueueDepth > 16)
      // The switch reads everything; every message arrives, each sender's in order.
      const received: Array<number> = []
      while (received.length < 120) {
        const f = yield* sw.receive
        const exp = f.message as any
        if (exp.expType !== 99999) received.push(exp.expType)
      }
      yield* Fiber.joinAll(senders)
      for (let s = 0; s < 4; s++) {
        const mine = received.filter((x) => Math.floor(x / 1000) === s)
        assert.deepStrictEqual(mine, Array.from({ length: 30 }, (_, i) => s * 1000 + i))
      }
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("sendUnsafe returns false when the queue is full and true when accepted", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const { datapath, sw } = yield* connectUp(controller, { highWaterMark: 64 })
      yield* sw.drain
      const m: Message.Message = { _tag: "Experimenter", experimenter: 1, expType: 1, data: new Uint8Array(100) }
      const results: Array<unknown> = []
      for (let i = 0; i < 40; i++) results.push(datapath.sendUnsafe(m))
      assert.strictEqual(results[0], true)
      assert.include(results, false)
      const accepted = results.filter((r) => r === true).length
      let got = 0
      while (got < accepted) {
        yield* sw.receive
        got++
      }
      assert.strictEqual(got, accepted)
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("a message that cannot be encoded fails with EncodeFailed and nothing of the batch is sent", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const { datapath, sw } = yield* connectUp(controller)
      yield* sw.drain
      const bad = { _tag: "Experimenter", experimenter: -1, expType: 0, data: new Uint8Array(0) } as Message.Message
      const exit = yield* Effect.exit(datapath.sendAll([experimenter(1), bad]))
      assert.strictEqual(reasonOf(exit), "EncodeFailed")
      yield* datapath.send(experimenter(2))
      const frames = yield* sw.drain
      assert.deepStrictEqual(frames.map((f) => (f.message as any).expType), [2])
    }).pipe(Effect.scoped, Effect.provide(layer)))
})

describe("duplicate datapath id", () => {
  it.effect("the new connection takes over; the old one is closed, with events saying so", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const lifecycle = yield* controller.datapathEvents(["DatapathUp", "DatapathDown"])
      const first = yield* connectUp(controller, { dpid: 5n, remoteAddress: "memory:old" })
      const second = yield* connectUp(controller, { dpid: 5n, remoteAddress: "memory:new" })
      const events = yield* lifecycle.pipe(Stream.take(3), Stream.runCollect)
      assert.deepStrictEqual(events.map((e) => `${e._tag}:${e.datapath.remoteAddress}`), [
        "DatapathUp:memory:old",
        "DatapathDown:memory:old",
        "DatapathUp:memory:new"
      ])
      const down = events[1]!
      const up = events[2]!
      assert.isTrue(down._tag === "DatapathDown" && down.replacedBy === second.datapath)
      assert.isTrue(up._tag === "DatapathUp" && up.replaced === first.datapath)
      yield* first.sw.awaitClosed
      assert.strictEqual(first.datapath.state, "DEAD")
      assert.strictEqual(reasonOf(yield* Effect.exit(first.datapath.send(Barrier.request))), "Closed")
      const current = yield* controller.datapath(5n)
      assert.isTrue(current._tag === "Some" && current.value === second.datapath)
      assert.strictEqual(yield* controller.connectionCount, 1)
    }).pipe(Effect.scoped, Effect.provide(layer)))
  it.effect("an auxiliary connection (same datapath id, auxiliary id not 0) is refused, not taken for a reconnect", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const main = yield* connectUp(controller, { dpid: 6n })
      const aux = yield* ScriptedSwitch.connect(controller, { remoteAddress: "memory:aux" })
      yield* aux.write(encode({ _tag: "Hello", elements: [{ _tag: "VersionBitmap", versions: [Version.OF13] }] }, 1))
      yield* aux.expect("Hello")
      const request = yield* aux.expect("FeaturesRequest")
      yield* aux.send(
        { _tag: "FeaturesReply", datapathId: 6n, nBuffers: 0, nTables: 1, auxiliaryId: 1, capabilities: 0, reserved: 0 },
        { xid: request.xid }
      )
      yield* aux.awaitClosed
      assert.strictEqual(main.datapath.state, "MAIN")
      const current = yield* controller.datapath(6n)
      assert.isTrue(current._tag === "Some" && current.value === main.datapath)
    }).pipe(Effect.scoped, Effect.provide(layer)))
})

describe("resources", () => {
  it.effect("many connect/disconnect cycles leave no connection, fiber, socket, subscription or metric behind", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const events = yield* controller.events({ messages: "all", datapathEvents: "all", overflow: "dropping", bufferSize: 64 })
      const consumer = yield* events.pipe(Stream.runDrain, Effect.forkScoped)
      const sockets: Array<ScriptedSwitch.ScriptedSwitch> = []
      for (let i = 0; i < 150; i++) {
        yield* Effect.scoped(Effect.gen(function*() {
          const { datapath, sw } = yield* connectUp(controller, { dpid: BigInt(1 + (i % 7)) })
          sockets.push(sw)
          yield* sw.send(experimenter(i), { xid: i })
          const pending = yield* Effect.forkChild(Effect.exit(datapath.barrier))
          if (i % 3 === 0) yield* sw.closeWrite
          else if (i % 3 === 1) yield* datapath.close()
          else yield* sw.write(Uint8Array.of(4, 0, 0, 1, 0, 0, 0, 0))
          assert.strictEqual(reasonOf(yield* Fiber.join(pending)), "Closed")
          yield* sw.awaitClosed
        }))
      }
      yield* settle
      assert.strictEqual(yield* controller.connectionCount, 0)
      assert.deepStrictEqual(yield* controller.datapaths, [])
      for (const sw of sockets) {
        assert.isDefined(sw.serveFiber.pollUnsafe(), "serve fiber finished")
        assert.isTrue(sw.controllerSocket.isClosedUnsafe(), "controller end closed")
      }
      const series = (yield* Metric.snapshot).filter((s) => s.attributes?.["dpid"] !== undefined)
      assert.deepStrictEqual(series, [])
      assert.isUndefined(consumer.pollUnsafe())
    }).pipe(Effect.scoped, Effect.provide(layer)))
})

