// The fake switch against the real controller runtime: handshake, the messages apps send and
// the replies they read, buffers, timeouts in virtual time, port changes, reconnects, and the
// strictness that turns a refused message into a failed test. The tests drive the controller
// directly (through its Datapath handle and event streams), so every byte crosses the codec.
import { assert, describe, it } from "@effect/vitest"
import { Controller, Events } from "@switchyard/controller"
import {
  Action,
  Desc,
  FlowMod,
  FlowRemoved,
  FlowStats,
  Match,
  PacketIn,
  PacketOut,
  Port,
  PortMod,
  PortStats,
  TableStats,
  Version
} from "@switchyard/openflow"
import { FakeSwitch, FakeSwitchError, Frames, TestController } from "@switchyard/testkit"
import { Effect, Exit, Layer, Stream } from "effect"
import { TestClock } from "effect/testing"

const A = "00:00:00:00:00:0a"
const B = "00:00:00:00:00:0b"

/** No app: the test itself plays the controller app. */
const bare = (options?: TestController.Options) => Effect.provide(TestController.layer(Layer.empty, options))

/** Collects events of the given kinds into an array while the test runs. */
const collect = <T extends Events.Event>(stream: Stream.Stream<T>) =>
  Effect.gen(function*() {
    const seen: Array<T> = []
    yield* stream.pipe(Stream.runForEach((e) => Effect.sync(() => seen.push(e))), Effect.forkScoped)
    return seen
  })

const failureOf = <A>(exit: Exit.Exit<A, FakeSwitchError.FakeSwitchError>): FakeSwitchError.Reason => {
  assert.isTrue(Exit.isFailure(exit), "expected a failure")
  const error = (exit as Exit.Failure<A, FakeSwitchError.FakeSwitchError>).cause.reasons.find((r) => r._tag === "Fail")
  return (error as { readonly error: FakeSwitchError.FakeSwitchError }).error.reason
}

describe("FakeSwitch: handshake and replies", () => {
  it.effect("completes the handshake: the controller sees its datapath id, buffers, tables and ports", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 0xabcn, ports: [1, 2, 5], nBuffers: 8, nTables: 4, name: "edge-1" })
      const dp = yield* sw.datapath
      assert.strictEqual(dp.id, "0000000000000abc")
      assert.strictEqual(dp.features.nBuffers, 8)
      assert.strictEqual(dp.features.nTables, 4)
      assert.deepStrictEqual([...dp.ports.keys()].sort(), [1, 2, 5])
      const desc = yield* dp.request(Desc.request)
      assert.strictEqual(desc.dpDesc, "edge-1")
      assert.strictEqual(desc.serialNum, "0000000000000abc")
      assert.isTrue(yield* sw.isConnected)
      assert.deepStrictEqual(sw.received().slice(0, 3).map((m) => m._tag), ["Hello", "FeaturesRequest", "PortDescRequest"])
    }).pipe(bare()))

  it.effect("fails to connect when the controller offers no OpenFlow 1.3", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(FakeSwitch.connect({ dpid: 1n }))
      const reason = failureOf(exit)
      assert.strictEqual(reason._tag, "HandshakeFailed")
    }).pipe(bare({ controller: { versions: [Version.OF10] } })))

  it.effect("applies flow mods sent through the codec and reports them in FLOW, AGGREGATE and TABLE statistics", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2, 3] })
      const dp = yield* sw.datapath
      yield* dp.sendAll([
        FlowMod.add({ priority: 10, match: { inPort: 1 }, actions: [Action.output(2)], cookie: 7n }),
        FlowMod.add({ priority: 5, match: {}, actions: [Action.output(3)] })
      ])
      yield* sw.settle
      assert.deepStrictEqual((yield* sw.inject(1, Frames.udp({ src: A, dst: B }))).ports, [2])
      assert.deepStrictEqual((yield* sw.inject(2, Frames.udp({ src: B, dst: A }))).ports, [3])
      const stats = yield* dp.request(FlowStats.request({ cookie: 7n, cookieMask: 0xffn }))
      assert.deepStrictEqual(stats.stats.map((s) => [s.priority, s.packetCount, s.byteCount]), [[10, 1n, 60n]])
      const aggregate = yield* dp.request(FlowStats.aggregateRequest())
      assert.deepStrictEqual([aggregate.flowCount, aggregate.packetCount], [2, 2n])
      const tables = yield* dp.request(TableStats.request)
      assert.deepStrictEqual([tables.stats[0]!.activeCount, tables.stats[0]!.lookupCount, tables.stats[0]!.matchedCount], [2, 2n, 2n])
      const ports = yield* dp.request(PortStats.request())
      const p1 = ports.stats.find((p) => p.portNo === 1)!
      const p2 = ports.stats.find((p) => p.portNo === 2)!
      assert.deepStrictEqual([p1.rxPackets, p1.txPackets, p2.txPackets, p2.txBytes], [1n, 0n, 1n, 60n])
    }).pipe(bare()))

  it.effect("splits a FLOW statistics reply bigger than one message into parts the controller merges", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2] })
      const dp = yield* sw.datapath
      const mods = Array.from({ length: 1500 }, (_, i) =>
        FlowMod.add({ priority: 10, match: { ethType: 0x0800, ipv4Dst: 0x0a00_0000 + i }, actions: [Action.output(2)] }))
      for (let i = 0; i < mods.length; i += 100) yield* dp.sendAll(mods.slice(i, i + 100))
      yield* sw.settle
      const reply = yield* dp.request(FlowStats.request())
      assert.strictEqual(reply.stats.length, 1500)
      assert.isAbove(sw.sent("FlowStatsReply").length, 1)
    }).pipe(bare()))

  it.effect("a strict switch fails the next settle with the message it refused, and the controller gets the OFPT_ERROR", () =>
    Effect.gen(function*() {
      const controller = (yield* TestController.TestController).controller
      const errors = yield* collect(yield* controller.messages("ErrorMsg"))
      const sw = yield* FakeSwitch.connect({ dpid: 1n })
      const dp = yield* sw.datapath
      yield* dp.send(FlowMod.add({ actions: [Action.group(99)] }))
      const reason = failureOf(yield* Effect.exit(sw.settle))
      assert.strictEqual(reason._tag, "Refused")
      const refused = (reason as FakeSwitchError.Refused).refused
      assert.strictEqual(refused.length, 1)
      assert.strictEqual(refused[0]!.request, "FlowMod")
      assert.match(refused[0]!.error, /OFPBAC_BAD_OUT_GROUP/)
      assert.strictEqual(errors.length, 1)
      // Reported once: the next settle passes.
      yield* sw.settle
    }).pipe(bare()))

  it.effect("a lenient switch records what it refused and carries on", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 1n, strict: false })
      const dp = yield* sw.datapath
      yield* dp.send(FlowMod.add({ tableId: 254, actions: [Action.output(1)] }))
      yield* sw.settle
      assert.match(sw.refused[0]!.error, /OFPFMFC_BAD_TABLE_ID/)
      const exit = yield* Effect.exit(dp.request(FlowStats.request({ tableId: 254 })))
      assert.isTrue(Exit.isFailure(exit))
    }).pipe(bare()))
})

describe("FakeSwitch: packets", () => {
  it.effect("a PACKET_OUT sends the packet through its actions; to TABLE it runs the flow table", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2, 3] })
      const dp = yield* sw.datapath
      const frame = Frames.udp({ src: A, dst: B })
      yield* dp.send(PacketOut.make({ actions: [Action.output(3)], data: frame, inPort: 1 }))
      yield* sw.settle
      assert.deepStrictEqual(sw.outputs(3), [frame])
      yield* dp.send(FlowMod.add({ match: { inPort: 2 }, actions: [Action.output(1)] }))
      yield* dp.send(PacketOut.make({ actions: [Action.output(Port.TABLE)], data: frame, inPort: 2 }))
      yield* sw.settle
      assert.deepStrictEqual(sw.outputs(1), [frame])
    }).pipe(bare()))

  it.effect("buffers a packet sent to the controller with a max_len, and releases it on PACKET_OUT", () =>
    Effect.gen(function*() {
      const controller = (yield* TestController.TestController).controller
      const packetIns = yield* collect(yield* controller.messages("PacketIn"))
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2], nBuffers: 4 })
      const dp = yield* sw.datapath
      yield* dp.send(FlowMod.add({ priority: 0, actions: [Action.output(Port.CONTROLLER, 64)] }))
      yield* sw.settle
      const frame = Frames.udp({ src: A, dst: B, size: 200 })
      yield* sw.inject(1, frame)
      const pin = packetIns[0]!.message
      assert.notStrictEqual(pin.bufferId, PacketIn.NO_BUFFER)
      assert.deepStrictEqual([pin.totalLen, pin.data.length, PacketIn.inPort(pin)], [200, 64, 1])
      assert.strictEqual(sw.bufferedPackets, 1)
      yield* dp.send(PacketOut.reply(pin, [Action.output(2)]))
      yield* sw.settle
      assert.deepStrictEqual(sw.outputs(2), [frame])
      assert.strictEqual(sw.bufferedPackets, 0)
      // The buffer is gone: using it again is refused.
      yield* dp.send(PacketOut.reply(pin, [Action.output(2)]))
      const reason = failureOf(yield* Effect.exit(sw.settle))
      assert.match((reason as FakeSwitchError.Refused).refused[0]!.error, /OFPBRC_BUFFER_UNKNOWN/)
    }).pipe(bare()))

  it.effect("a switch without buffers sends the whole packet even when the action asks for less", () =>
    Effect.gen(function*() {
      const controller = (yield* TestController.TestController).controller
      const packetIns = yield* collect(yield* controller.messages("PacketIn"))
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2] })
      const dp = yield* sw.datapath
      yield* dp.send(FlowMod.add({ priority: 0, actions: [Action.output(Port.CONTROLLER, 64)] }))
      yield* sw.settle
      yield* sw.inject(1, Frames.udp({ src: A, dst: B, size: 200 }))
      assert.deepStrictEqual([packetIns[0]!.message.bufferId, packetIns[0]!.message.data.length], [PacketIn.NO_BUFFER, 200])
    }).pipe(bare()))

  it.effect("many frames fed without settling are all handled by one settle", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2] })
      const dp = yield* sw.datapath
      yield* dp.send(FlowMod.add({ priority: 0, actions: [Action.output(Port.CONTROLLER)] }))
      yield* sw.settle
      const controller = (yield* TestController.TestController).controller
      const packetIns = yield* collect(yield* controller.messages("PacketIn", { bufferSize: 1000 }))
      for (let i = 0; i < 200; i++) sw.injectUnsafe(1, Frames.udp({ src: A, dst: B, srcPort: i }))
      yield* sw.settle
      assert.strictEqual(packetIns.length, 200)
    }).pipe(bare()))

  it.effect("refuses to inject on a port it does not have, or a buffered packet-in without buffers", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2] })
      assert.strictEqual(failureOf(yield* Effect.exit(sw.inject(9, Frames.udp({ src: A, dst: B }))))._tag, "BadRequest")
      assert.strictEqual(failureOf(yield* Effect.exit(sw.packetIn({ inPort: 1, frame: Frames.udp({ src: A, dst: B }), buffered: true })))._tag, "BadRequest")
    }).pipe(bare()))

  it.effect("a packet matching two entries of one priority fails a strict settle as undefined behaviour", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2, 3] })
      const dp = yield* sw.datapath
      yield* dp.sendAll([
        FlowMod.add({ priority: 3, match: { inPort: 1 }, actions: [Action.output(2)] }),
        FlowMod.add({ priority: 3, match: { ethDst: Frames.mac(B) }, actions: [Action.output(3)] })
      ])
      const reason = failureOf(yield* Effect.exit(sw.inject(1, Frames.udp({ src: A, dst: B }))))
      assert.strictEqual(reason._tag, "Undefined")
    }).pipe(bare()))
})

describe("FakeSwitch: time, ports and connections", () => {
  it.effect("flow timeouts run in virtual time and send FLOW_REMOVED when asked", () =>
    Effect.gen(function*() {
      const controller = (yield* TestController.TestController).controller
      const removed = yield* collect(yield* controller.messages("FlowRemoved"))
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2] })
      const dp = yield* sw.datapath
      yield* dp.sendAll([
        FlowMod.add({ priority: 1, match: { inPort: 1 }, actions: [Action.output(2)], idleTimeout: 5, flags: FlowMod.Flags.SEND_FLOW_REM, cookie: 1n }),
        FlowMod.add({ priority: 1, match: { inPort: 2 }, actions: [Action.output(1)], hardTimeout: 30, flags: FlowMod.Flags.SEND_FLOW_REM, cookie: 2n }),
        FlowMod.add({ priority: 1, match: { ethType: 0x0806 }, actions: [Action.output(1)], idleTimeout: 1 })
      ])
      yield* sw.settle
      yield* TestClock.adjust("4 seconds")
      yield* sw.inject(1, Frames.udp({ src: A, dst: B }))
      yield* TestClock.adjust("4 seconds")
      yield* sw.settle
      assert.deepStrictEqual(removed.map((e) => e.message.cookie), [], "still in use")
      yield* TestClock.adjust("2 seconds")
      yield* sw.settle
      assert.deepStrictEqual(removed.map((e) => [e.message.cookie, e.message.reason, e.message.durationSec, e.message.packetCount]), [
        [1n, FlowRemoved.Reason.IDLE_TIMEOUT, 9, 1n]
      ])
      yield* TestClock.adjust("30 seconds")
      yield* sw.settle
      assert.deepStrictEqual(removed.map((e) => e.message.reason), [FlowRemoved.Reason.IDLE_TIMEOUT, FlowRemoved.Reason.HARD_TIMEOUT])
      assert.deepStrictEqual(sw.table.entries(), [], "the entry without SEND_FLOW_REM expired silently")
    }).pipe(bare()))

  it.effect("keeps answering the controller's echo requests in virtual time", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 1n })
      yield* TestClock.adjust("5 minutes")
      yield* sw.settle
      assert.isTrue(yield* sw.isConnected)
      assert.isAtLeast(sw.received("EchoRequest").length, 3)
      assert.strictEqual(sw.sent("EchoReply").length, sw.received("EchoRequest").length)
    }).pipe(bare({ controller: { echoRequestInterval: "15 seconds", maximumUnrepliedEchoRequests: 2 } })))

  it.effect("a switch that stops answering is dropped by the controller's keepalive, in virtual time", () =>
    Effect.gen(function*() {
      const controller = (yield* TestController.TestController).controller
      const downs = yield* collect(yield* controller.datapathEvents("DatapathDown"))
      const sw = yield* FakeSwitch.connect({ dpid: 1n })
      yield* sw.setResponsive(false)
      yield* TestClock.adjust("30 seconds")
      yield* sw.settle
      assert.deepStrictEqual(downs, [], "two unanswered echoes are tolerated")
      yield* TestClock.adjust("15 seconds")
      yield* sw.settle
      assert.strictEqual(downs.length, 1)
      assert.match(downs[0]!.reason.detail, /no answer to 2 echo requests/)
      assert.isFalse(yield* sw.isConnected)
    }).pipe(bare({ controller: { echoRequestInterval: "10 seconds", maximumUnrepliedEchoRequests: 2 } })))

  it.effect("port changes reach the controller as PORT_STATUS; a port configured NO_FWD drops output", () =>
    Effect.gen(function*() {
      const controller = (yield* TestController.TestController).controller
      const changes = yield* collect(yield* controller.datapathEvents("PortChange"))
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2, 3] })
      const dp = yield* sw.datapath
      yield* sw.portDown(2)
      assert.isFalse(Port.isLive(dp.ports.get(2)!))
      yield* sw.portUp(2)
      yield* sw.addPort(7)
      yield* sw.removePort(3)
      assert.deepStrictEqual(changes.map((c) => [c.reason, c.port.portNo]), [["MODIFY", 2], ["MODIFY", 2], ["ADD", 7], ["DELETE", 3]])
      assert.deepStrictEqual([...dp.ports.keys()].sort(), [1, 2, 7])
      yield* dp.send(PortMod.setConfig(dp.ports.get(7)!, Port.Config.NO_FWD, Port.Config.NO_FWD))
      yield* dp.send(FlowMod.add({ match: { inPort: 1 }, actions: [Action.output(7), Action.output(2)] }))
      const delivery = yield* sw.inject(1, Frames.udp({ src: A, dst: B }))
      assert.deepStrictEqual(delivery.ports, [2])
      assert.strictEqual(changes.length, 5)
      assert.strictEqual(sw.ports.get(7)!.config & Port.Config.NO_FWD, Port.Config.NO_FWD)
    }).pipe(bare()))

  it.effect("disconnects and reconnects: the controller sees the datapath go down and come back; the table stays", () =>
    Effect.gen(function*() {
      const controller = (yield* TestController.TestController).controller
      const events = yield* collect(yield* controller.datapathEvents(["DatapathUp", "DatapathDown"]))
      const sw = yield* FakeSwitch.connect({ dpid: 9n })
      const dp = yield* sw.datapath
      yield* dp.send(FlowMod.add({ match: { inPort: 1 }, actions: [Action.output(2)] }))
      yield* sw.disconnect
      assert.isFalse(yield* sw.isConnected)
      assert.isUndefined(controller.datapathUnsafe(9n))
      yield* sw.reconnect
      assert.isTrue(yield* sw.isConnected)
      assert.deepStrictEqual(events.map((e) => e._tag), ["DatapathUp", "DatapathDown", "DatapathUp"])
      assert.strictEqual(sw.table.entries().length, 1)
      assert.notStrictEqual(yield* sw.datapath, dp)
    }).pipe(bare()))

  it.effect("a controller that closes the connection leaves the switch disconnected", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 3n })
      const dp = yield* sw.datapath
      yield* dp.close({ reason: "test" })
      yield* sw.settle
      assert.isFalse(yield* sw.isConnected)
    }).pipe(bare()))
})

describe("TestController", () => {
  it.effect("settle gives up with NotSettled when an app never goes quiet", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(TestController.settle)
      assert.strictEqual(failureOf(exit)._tag, "NotSettled")
    }).pipe(Effect.provide(TestController.layer(Layer.effectDiscard(Effect.forkScoped(Effect.forever(Effect.yieldNow))), { maxSettleRounds: 50 }))))

  it.effect("captures log lines with their level", () =>
    Effect.gen(function*() {
      yield* FakeSwitch.connect({ dpid: 1n })
      const logs = yield* TestController.logs
      assert.isTrue(logs.some((l) => l.level === "Info" && l.message.startsWith("datapath 0000000000000001 up")))
    }).pipe(bare()))

  it.effect("the test can subscribe to the controller like an app, alongside the switch", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const ups = yield* collect(yield* controller.datapathEvents("DatapathUp"))
      yield* FakeSwitch.connect({ dpid: 1n })
      yield* FakeSwitch.connect({ dpid: 2n })
      assert.deepStrictEqual(ups.map((u) => u.datapath.dpid), [1n, 2n])
      assert.deepStrictEqual((yield* controller.datapaths).map((d) => d.dpid).sort(), [1n, 2n])
      assert.strictEqual(Match.get(Match.make({ inPort: 3 }), "inPort"), 3)
    }).pipe(bare()))
})
