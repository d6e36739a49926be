// FakeNetwork: frames crossing linked fake switches, hosts receiving them, links going down,
// and the loop guard that turns a flooding loop into a failed test instead of a hang.
import { assert, describe, it } from "@effect/vitest"
import { Action, FlowMod, Port } from "@switchyard/openflow"
import { FakeNetwork, type FakeSwitchError, Frames, TestController } from "@switchyard/testkit"
import { Effect, Exit, Layer } from "effect"

const bare = Effect.provide(TestController.layer(Layer.empty))

describe("FakeNetwork", () => {
  it.effect("follows a frame across three switches by their flow tables, to the one host it is for", () =>
    Effect.gen(function*() {
      const net = yield* FakeNetwork.make
      const [s1, s2, s3] = [yield* net.addSwitch({ dpid: 1n, ports: [1, 2] }), yield* net.addSwitch({ dpid: 2n, ports: [1, 2, 3] }), yield* net.addSwitch({ dpid: 3n, ports: [1, 2] })]
      yield* net.link(s1!, 2, s2!, 1)
      yield* net.link(s2!, 2, s3!, 1)
      const a = yield* net.addHost({ name: "a", switch: s1!, port: 1 })
      const b = yield* net.addHost({ name: "b", switch: s3!, port: 2 })
      yield* net.addHost({ name: "c", switch: s2!, port: 3 })
      // Static forwarding a -> b, written straight into each switch through the controller.
      for (const [sw, inPort, outPort] of [[s1!, 1, 2], [s2!, 1, 2], [s3!, 1, 2]] as const) {
        yield* (yield* sw.datapath).send(FlowMod.add({ match: { inPort, ethDst: b.mac }, actions: [Action.output(outPort)] }))
      }
      const delivery = yield* net.udp(a, b, "over three hops")
      assert.deepStrictEqual(delivery.hosts, ["b"])
      assert.strictEqual(Frames.describe(delivery.on("b")[0]!), `00:00:00:00:00:01 > 00:00:00:00:00:02 udp ${a.ip}:40000 > ${b.ip}:9 (60 bytes)`)
      assert.deepStrictEqual(b.received, delivery.on(b))
      assert.strictEqual(delivery.packetIns, 0)
    }).pipe(bare))

  it.effect("a link that goes down carries nothing, and both switches report their port down", () =>
    Effect.gen(function*() {
      const net = yield* FakeNetwork.make
      const s1 = yield* net.addSwitch({ dpid: 1n, ports: [1, 2] })
      const s2 = yield* net.addSwitch({ dpid: 2n, ports: [1, 2] })
      yield* net.link(s1, 2, s2, 2)
      yield* net.addHost({ name: "a", switch: s1, port: 1 })
      yield* net.addHost({ name: "b", switch: s2, port: 1 })
      for (const sw of [s1, s2]) yield* (yield* sw.datapath).send(FlowMod.add({ actions: [Action.output(Port.FLOOD)] }))
      assert.deepStrictEqual((yield* net.udp("a", "b")).hosts, ["b"])
      yield* net.linkDown(s1, 2)
      assert.isFalse(Port.isLive(s1.ports.get(2)!))
      assert.isFalse(Port.isLive(s2.ports.get(2)!))
      assert.deepStrictEqual((yield* net.udp("a", "b")).hosts, [])
      yield* net.linkUp(s2, 2)
      assert.deepStrictEqual((yield* net.udp("a", "b")).hosts, ["b"])
    }).pipe(bare))

  it.effect("a flooding loop is stopped and reported, not followed forever", () =>
    Effect.gen(function*() {
      const net = yield* FakeNetwork.make
      const s1 = yield* net.addSwitch({ dpid: 1n, ports: [1, 2, 3] })
      const s2 = yield* net.addSwitch({ dpid: 2n, ports: [1, 2, 3] })
      yield* net.link(s1, 2, s2, 2)
      yield* net.link(s1, 3, s2, 3)
      yield* net.addHost({ name: "a", switch: s1, port: 1 })
      yield* net.addHost({ name: "b", switch: s2, port: 1 })
      for (const sw of [s1, s2]) yield* (yield* sw.datapath).send(FlowMod.add({ actions: [Action.output(Port.FLOOD)] }))
      const exit = yield* Effect.exit(net.udp("a", "b"))
      assert.isTrue(Exit.isFailure(exit))
      const reason = ((exit as Exit.Failure<unknown, FakeSwitchError.FakeSwitchError>).cause.reasons[0] as { error: FakeSwitchError.FakeSwitchError }).error.reason
      assert.strictEqual(reason._tag, "Undefined")
      assert.match(reason.message, /crossed 64 switches: a forwarding loop/)
    }).pipe(bare))

  it.effect("refuses a port that is already in use, a switch that is not part of it, or a host name twice", () =>
    Effect.gen(function*() {
      const net = yield* FakeNetwork.make
      const s1 = yield* net.addSwitch({ dpid: 1n, ports: [1, 2] })
      yield* net.addHost({ name: "a", switch: s1, port: 1 })
      const tries = [
        net.addHost({ name: "b", switch: s1, port: 1 }),
        net.addHost({ name: "a", switch: s1, port: 2 }),
        net.addHost({ name: "c", switch: s1, port: 9 }),
        net.link(s1, 1, s1, 2),
        net.send("nobody", Frames.udp({ src: 1, dst: 2 }))
      ]
      for (const attempt of tries) assert.isTrue(Exit.isFailure(yield* Effect.exit(attempt)))
    }).pipe(bare))
})
