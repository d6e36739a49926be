// The README's "write your own app" example, tested the way the README shows.
import { assert, it } from "@effect/vitest"
import { FakeSwitch, Frames, TestController } from "@switchyard/testkit"
import { Effect } from "effect"
import { Hub } from "../src/Hub.ts"

it.effect("floods every packet out of every other port", () =>
  Effect.gen(function*() {
    const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2, 3] })
    const frame = Frames.udp({ src: "00:00:00:00:00:01", dst: "00:00:00:00:00:02" })
    const delivery = yield* sw.inject(1, frame)
    assert.deepStrictEqual(delivery.ports, [2, 3])
    assert.deepStrictEqual(delivery.on(3), [frame])
    // A hub learns nothing: the answer comes back the same way.
    assert.deepStrictEqual((yield* sw.inject(2, Frames.udp({ src: "00:00:00:00:00:02", dst: "00:00:00:00:00:01" }))).ports, [1, 3])
  }).pipe(Effect.provide(TestController.layer(Hub))))
