import { assert, describe, it } from "@effect/vitest"
import { Action, FlowMod, PacketIn, PacketOut, Port } from "@switchyard/openflow"
import { Context, Effect, Exit, Layer, Metric, Option, Scope, Stream } from "effect"
import * as Controller from "../src/Controller.ts"
import * as Metrics from "../src/Metrics.ts"
import * as ScriptedSwitch from "./support/ScriptedSwitch.ts"

const { connectUp, settle } = ScriptedSwitch

const mac = (b: Uint8Array, at: number) => b[at]! * 2 ** 40 + b[at + 1]! * 2 ** 32 + ((b[at + 2]! << 24) >>> 0) + (b[at + 3]! << 16) + (b[at + 4]! << 8) + b[at + 5]!
const frame = (src: number, dst: number) => {
  const b = new Uint8Array(64)
  b.set([0, 0, 0, 0, 0, dst], 0)
  b.set([0, 0, 0, 0, 0, src], 6)
  b[12] = 0x08
  return b
}

/**
 * An app offering a service to other apps (Ryu's request/reply between apps, as a plain
 * Effect service): the MAC table a learning switch builds.
 */
class MacTable extends Context.Service<MacTable, {
  readonly lookup: (dpid: bigint, mac: number) => Effect.Effect<Option.Option<number>>
  readonly learned: Effect.Effect<number>
}>()("test/MacTable") {
  static readonly layer = Layer.effect(MacTable, Effect.gen(function*() {
    const controller = yield* Controller.Controller
    const tables = new Map<bigint, Map<number, number>>()
    const packetIns = yield* controller.messages("PacketIn", { name: "mac-table" })
    const downs = yield* controller.datapathEvents("DatapathDown")
    yield* packetIns.pipe(
      Stream.runForEachArray((batch) => {
        const datapath = batch[0].datapath
        let table = tables.get(datapath.dpid)
        if (table === undefined) tables.set(datapath.dpid, table = new Map())
        const out = []
        for (const { message } of batch) {
          const inPort = PacketIn.inPort(message)!
          table.set(mac(message.data, 6), inPort)
          const port = table.get(mac(message.data, 0))
          const actions = [Action.output(port ?? Port.FLOOD)]
          if (port !== undefined) out.push(FlowMod.add({ match: { inPort, ethDst: mac(message.data, 0) }, actions, priority: 1 }))
          out.push(PacketOut.reply(message, actions))
        }
        return datapath.sendAll(out)
      }),
      Effect.forkScoped
    )
    // State is bounded: forget a switch when it goes away.
    yield* downs.pipe(Stream.runForEach((e) => Effect.sync(() => tables.delete(e.datapath.dpid))), Effect.forkScoped)
    return MacTable.of({
      lookup: (dpid, m) => Effect.sync(() => Option.fromUndefinedOr(tables.get(dpid)?.get(m))),
      learned: Effect.sync(() => [...tables.values()].reduce((n, t) => n + t.size, 0))
    })
  }))
}

/** An app that uses another app's service: answers "where is host 2?" on every port change. */
class Locator extends Context.Service<Locator, { readonly answers: Effect.Effect<ReadonlyArray<string>> }>()("test/Locator") {
  static readonly layer = Layer.effect(Locator, Effect.gen(function*() {
    const controller = yield* Controller.Controller
    const macs = yield* MacTable
    const answers: Array<string> = []
    const changes = yield* controller.datapathEvents("PortChange")
    yield* changes.pipe(
      Stream.runForEach((e) =>
        Effect.map(macs.lookup(e.datapath.dpid, 2), (port) => void answers.push(`${e.datapath.id}: host 2 on ${Option.getOrUndefined(port)}`))
      ),
      Effect.forkScoped
    )
    return Locator.of({ answers: Effect.sync(() => answers) })
  }))
}

const apps = Layer.provideMerge(Locator.layer, MacTable.layer)
const stack = Layer.provideMerge(apps, Controller.layer({ subscriberOverflow: "suspend" }))

describe("apps as layers", () => {
  it.effect("a learning-switch app answers each batch of packet-ins with flows and packet-outs", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const { sw } = yield* connectUp(controller, { dpid: 3n })
      yield* sw.drain
      yield* sw.send(PacketIn.make({ inPort: 1, data: frame(1, 2) }), { xid: 1 })
      const flood = yield* sw.expect("PacketOut")
      assert.deepStrictEqual(flood.message.actions, [Action.output(Port.FLOOD)])
      yield* sw.send(PacketIn.make({ inPort: 2, data: frame(2, 1) }), { xid: 2 })
      const flow = yield* sw.expect("FlowMod")
      assert.deepStrictEqual(flow.message.instructions, FlowMod.add({ actions: [Action.output(1)] }).instructions)
      const out = yield* sw.expect("PacketOut")
      assert.deepStrictEqual(out.message.actions, [Action.output(1)])
      assert.strictEqual(out.message.inPort, 2)
      assert.deepStrictEqual([...out.message.data], [...frame(2, 1)])
      const macs = yield* MacTable
      assert.deepStrictEqual(yield* macs.lookup(3n, 2), Option.some(2))
    }).pipe(Effect.scoped, Effect.provide(stack)))

  it.effect("one app uses the service another app offers", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const locator = yield* Locator
      const { sw } = yield* connectUp(controller, { dpid: 4n })
      yield* sw.send(PacketIn.make({ inPort: 3, data: frame(2, 9) }))
      yield* sw.expect("PacketOut")
      yield* sw.send({ _tag: "PortStatus", reason: 2, desc: ScriptedSwitch.port(1, { state: 1 }) })
      yield* settle
      assert.deepStrictEqual(yield* locator.answers, ["0000000000000004: host 2 on 3"])
    }).pipe(Effect.scoped, Effect.provide(stack)))

  it.effect("shutting down closes the connections first, then the apps, then the controller", () =>
    Effect.gen(function*() {
      // The runner's order: the controller and the apps are built first; the listener
      // serves connections in a scope opened after them, so it closes first.
      const order: Array<string> = []
      const Witness = Layer.effectDiscard(Effect.gen(function*() {
        const controller = yield* Controller.Controller
        yield* Effect.addFinalizer(() =>
          Effect.map(controller.connectionCount, (open) => void order.push(`app closed with ${open} connections open`))
        )
      }))
      const program = yield* Scope.make()
      const context = yield* Layer.buildWithScope(Layer.provideMerge(Witness, stack), program)
      const controller = Context.get(context, Controller.Controller)
      const macs = Context.get(context, MacTable)
      const listener = yield* Scope.fork(program)
      yield* Scope.addFinalizer(listener, Effect.sync(() => void order.push("listener closed")))
      // The switches' side lives outside the program, as real switches would.
      const switches = yield* Effect.forEach([1n, 2n, 3n], (dpid) => connectUp(controller, { dpid, serveScope: listener }))
      for (const { sw } of switches) {
        yield* sw.send(PacketIn.make({ inPort: 1, data: frame(7, 8) }))
        yield* sw.expect("PacketOut")
      }
      assert.strictEqual(yield* macs.learned, 3)
      yield* Scope.close(program, Exit.void)
      assert.deepStrictEqual(order, ["listener closed", "app closed with 0 connections open"])
      for (const { datapath, sw } of switches) {
        const closedWith = yield* sw.awaitClosed
        assert.strictEqual(closedWith.reason._tag, "SocketCloseError")
        assert.isDefined(sw.serveFiber.pollUnsafe(), "the serving fiber has finished")
        assert.strictEqual(datapath.state, "DEAD")
        assert.include((yield* datapath.awaitClose).detail, "shutting down")
      }
    }))
})

describe("metrics", () => {
  it.effect("per-datapath series exist while the datapath is up and are removed when it goes", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const series = (name: string) =>
        Effect.map(Metric.snapshot, (all) => all.filter((s) => s.id === name && s.attributes?.["dpid"] === "0000000000000005"))
      const gauge = Effect.map(Metric.snapshot, (all) => all.find((s) => s.id === Metrics.datapaths.id))
      const { datapath, sw } = yield* connectUp(controller, { dpid: 5n })
      yield* sw.send({ _tag: "EchoRequest", data: new Uint8Array(0) })
      yield* sw.expect("EchoReply")
      yield* datapath.sendAll([PacketOut.make({ actions: [] }), PacketOut.make({ actions: [] })])
      const received = yield* series(Metrics.messagesReceived.id)
      assert.strictEqual(received.length, 1)
      const state = received[0]!.state as Metric.CounterState<number>
      assert.strictEqual(state.count, datapath.stats.messagesReceived)
      assert.isAtLeast(state.count, 4)
      const sent = (yield* series(Metrics.messagesSent.id))[0]!.state as Metric.CounterState<number>
      assert.strictEqual(sent.count, datapath.stats.messagesSent)
      const up = (yield* gauge)!.state as Metric.GaugeState<number>
      assert.strictEqual(up.value, 1)
      yield* datapath.close()
      assert.deepStrictEqual(yield* series(Metrics.messagesReceived.id), [])
      assert.strictEqual(((yield* gauge)!.state as Metric.GaugeState<number>).value, 0)
    }).pipe(Effect.scoped, Effect.provide(Controller.layer())))
})
