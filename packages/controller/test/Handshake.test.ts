import { assert, describe, it } from "@effect/vitest"
import { ErrorMsg, Hello, OpenFlowError, Version } from "@switchyard/openflow"
import { Effect, Stream } from "effect"
import * as TestClock from "effect/testing/TestClock"
import * as Controller from "../src/Controller.ts"
import * as Handshake from "../src/Handshake.ts"
import * as ScriptedSwitch from "./support/ScriptedSwitch.ts"

const layer = Controller.layer({ echoRequestInterval: "15 seconds", maximumUnrepliedEchoRequests: 2 })

describe("Handshake.negotiate", () => {
  it("picks the highest version both bitmaps share", () => {
    const r = Handshake.negotiate([Version.OF13], Hello.make([Version.OF10, Version.OF13, Version.OF14]), Version.OF14)
    assert.deepStrictEqual(r, { _tag: "Agreed", version: Version.OF13 })
  })

  it("uses the lower header version when the switch sends no bitmap", () => {
    const r = Handshake.negotiate([Version.OF13], Hello.make([]), Version.OF14)
    assert.deepStrictEqual(r, { _tag: "Agreed", version: Version.OF13 })
  })

  it("accepts a switch from a future version that still offers ours", () => {
    const r = Handshake.negotiate([Version.OF13], Hello.make([Version.OF13, 7]), 7)
    assert.deepStrictEqual(r, { _tag: "Agreed", version: Version.OF13 })
  })

  it("fails with HELLO_FAILED/INCOMPATIBLE and an ASCII explanation when nothing is shared", () => {
    const r = Handshake.negotiate([Version.OF13], Hello.make([Version.OF10]), Version.OF10)
    assert.strictEqual(r._tag, "Incompatible")
    if (r._tag !== "Incompatible") return
    assert.strictEqual(ErrorMsg.errorName(r.error, r.errorVersion), "OFPHFC_INCOMPATIBLE")
    assert.strictEqual(r.errorVersion, Version.OF10)
    // Without bitmaps the lower header version is used, if we speak it.
    assert.deepStrictEqual(Handshake.negotiate([Version.OF10, Version.OF13], Hello.make([]), Version.OF10), {
      _tag: "Agreed",
      version: Version.OF10
    })
    assert.include(new TextDecoder().decode(r.error.data), "1.0")
  })

  it("computes state masks", () => {
    assert.strictEqual(Handshake.stateMask(["MAIN"]), Handshake.stateBit("MAIN"))
    assert.strictEqual(Handshake.stateMask(undefined), 15)
  })
})

describe("Controller handshake", () => {
  it.effect("HELLO, FEATURES and multi-part PORT_DESC lead to MAIN, with events in order", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const lifecycle = yield* controller.datapathEvents()
      const features = yield* controller.messages("FeaturesReply")
      const sw = yield* ScriptedSwitch.connect(controller)
      yield* sw.handshake({ dpid: 0xabcn, ports: [1, 2, 3, 4, 5], portsPerPart: 2 })
      const events = yield* lifecycle.pipe(Stream.take(2), Stream.runCollect)
      assert.deepStrictEqual(events.map((e) => e._tag), ["StateChange", "DatapathUp"])
      const up = events[1]!
      assert.strictEqual(up._tag, "DatapathUp")
      if (up._tag !== "DatapathUp") return
      const dp = up.datapath
      assert.strictEqual(dp.dpid, 0xabcn)
      assert.strictEqual(dp.id, "0000000000000abc")
      assert.strictEqual(dp.state, "MAIN")
      assert.strictEqual(dp.version, Version.OF13)
      assert.deepStrictEqual([...dp.ports.keys()], [1, 2, 3, 4, 5])
      assert.strictEqual(up.replaced, undefined)
      const [featuresEvent] = yield* features.pipe(Stream.take(1), Stream.runCollect)
      assert.strictEqual(featuresEvent!.state, "CONFIG")
      assert.strictEqual(featuresEvent!.message.datapathId, 0xabcn)
      const found = yield* controller.datapath(0xabcn)
      assert.isTrue(found._tag === "Some" && found.value === dp)
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("an OpenFlow 1.0 switch (plain HELLO) gets 1.0, and its ports come from FEATURES_REPLY", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const ups = yield* controller.datapathEvents("DatapathUp")
      const sw = yield* ScriptedSwitch.connect(controller)
      yield* sw.write(ScriptedSwitch.encode(Hello.make([]), 1, Version.OF10))
      yield* sw.expect("Hello")
      const request = yield* sw.expect("FeaturesRequest")
      assert.strictEqual(request.version, Version.OF10)
      yield* sw.send(
        {
          _tag: "FeaturesReply",
          datapathId: 10n,
          nBuffers: 256,
          nTables: 1,
          auxiliaryId: 0,
          capabilities: 0,
          reserved: 0,
          actions: 0xfff,
          ports: [ScriptedSwitch.port(1), ScriptedSwitch.port(2)]
        },
        { xid: request.xid, version: Version.OF10 }
      )
      const [up] = yield* ups.pipe(Stream.take(1), Stream.runCollect)
      assert.strictEqual(up!.datapath.version, Version.OF10)
      assert.deepStrictEqual([...up!.datapath.ports.keys()], [1, 2])
      yield* sw.send({ _tag: "EchoRequest", data: Uint8Array.of(5) }, { xid: 77, version: Version.OF10 })
      const reply = yield* sw.expect("EchoReply")
      assert.strictEqual(reply.version, Version.OF10)
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("versions restricts what is offered; a version the codec cannot speak is a defect", () =>
    Effect.gen(function*() {
      const only13 = yield* Effect.gen(function*() {
        const controller = yield* Controller.Controller
        const sw = yield* ScriptedSwitch.connect(controller)
        const hello = yield* sw.expect("Hello")
        assert.deepStrictEqual(Hello.offeredVersions(hello.message, hello.version), [Version.OF13])
        yield* sw.write(ScriptedSwitch.encode(Hello.make([]), 1, Version.OF10))
        const error = yield* sw.expect("ErrorMsg")
        return ErrorMsg.errorName(error.message, error.version)
      }).pipe(Effect.scoped, Effect.provide(Controller.layer({ versions: [Version.OF13] })))
      assert.strictEqual(only13, "OFPHFC_INCOMPATIBLE")
      const exit = yield* Effect.exit(Effect.provide(Controller.Controller.useSync(() => undefined), Controller.layer({ versions: [Version.OF12] })))
      assert.isTrue(exit._tag === "Failure" && exit.cause.reasons.some((r) => r._tag === "Die"))
    }))

  it.effect("our HELLO carries a version bitmap", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const sw = yield* ScriptedSwitch.connect(controller)
      const hello = yield* sw.expect("Hello")
      assert.deepStrictEqual(Hello.offeredVersions(hello.message, hello.version), Version.supported)
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("no common version: HELLO_FAILED/INCOMPATIBLE, then close", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const sw = yield* ScriptedSwitch.connect(controller)
      // OpenFlow 1.1 and 1.2: versions this codec does not speak.
      yield* sw.write(ScriptedSwitch.encode(Hello.make([Version.OF11, Version.OF12]), 9, Version.OF12))
      yield* sw.expect("Hello")
      const error = yield* sw.receive
      assert.strictEqual(error.type, 1)
      assert.strictEqual(error.xid, 9)
      assert.strictEqual(error.version, Version.OF12)
      yield* sw.awaitClosed
      assert.strictEqual(yield* controller.connectionCount, 0)
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("a first message other than HELLO is refused without waiting for its body", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const sw = yield* ScriptedSwitch.connect(controller)
      // "GET / HTTP/1.1": version 'G', type 'E', length 0x5420 that will never arrive.
      yield* sw.write(new TextEncoder().encode("GET / HTTP/1.1\r\n"))
      yield* sw.expect("Hello")
      const error = yield* sw.receive
      assert.strictEqual(error.type, 1)
      const decoded = error.message
      assert.isTrue(decoded?._tag === "ErrorMsg" && ErrorMsg.errorName(decoded, error.version) === "OFPHFC_INCOMPATIBLE")
      yield* sw.awaitClosed
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("the switch refusing PORT_DESC still reaches MAIN, without ports", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const ups = yield* controller.datapathEvents("DatapathUp")
      const sw = yield* ScriptedSwitch.connect(controller)
      yield* sw.write(ScriptedSwitch.encode(Hello.make([Version.OF13]), 1))
      yield* sw.expect("Hello")
      const fr = yield* sw.expect("FeaturesRequest")
      yield* sw.send({ _tag: "FeaturesReply", datapathId: 7n, nBuffers: 0, nTables: 1, auxiliaryId: 0, capabilities: 0, reserved: 0 }, { xid: fr.xid })
      const pd = yield* sw.expect("PortDescRequest")
      yield* sw.send(ErrorMsg.fromError(OpenFlowError.make("OFPBRC_BAD_MULTIPART", "no"), Version.OF13, pd.bytes), { xid: pd.xid })
      const [up] = yield* ups.pipe(Stream.take(1), Stream.runCollect)
      assert.strictEqual(up!.datapath.dpid, 7n)
      assert.strictEqual(up!.datapath.ports.size, 0)
    }).pipe(Effect.scoped, Effect.provide(layer)))

  it.effect("a handshake that stalls is closed after handshakeTimeout", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const sw = yield* ScriptedSwitch.connect(controller)
      yield* sw.write(ScriptedSwitch.encode(Hello.make([Version.OF13]), 1))
      yield* sw.expect("Hello")
      yield* sw.expect("FeaturesRequest")
      yield* TestClock.adjust("9 seconds")
      yield* ScriptedSwitch.settle
      assert.strictEqual(yield* controller.connectionCount, 1)
      yield* TestClock.adjust("2 seconds")
      yield* sw.awaitClosed
      assert.strictEqual(yield* controller.connectionCount, 0)
    }).pipe(Effect.scoped, Effect.provide(Controller.layer({ handshakeTimeout: "10 seconds" }))))
})
