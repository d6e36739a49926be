// End to end over real sockets: the runner with the real Controller and listener, 64
// switches that connect at once, complete the handshake, exchange messages both ways, and
// disconnect; then shutdown, after which nothing of the controller is left running.
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as Stream from "effect/Stream"
import { Barrier } from "@switchyard/openflow"
import * as Net from "node:net"
import * as Controller from "../src/Controller.ts"
import * as Runner from "../src/Runner.ts"
import * as FakeSwitch from "./support/fakeSwitch.ts"

const SWITCHES = 64

// TCP handles this process holds, by kind; the controller's must all be gone at the end.
const tcpHandles = () => {
  const counts: Record<string, number> = {}
  for (const kind of process.getActiveResourcesInfo()) {
    if (kind.startsWith("TCP")) counts[kind] = (counts[kind] ?? 0) + 1
  }
  return counts
}

const canBind = (port: number) =>
  Effect.callback<boolean>((resume) => {
    const server = Net.createServer()
    server.once("error", () => resume(Effect.succeed(false)))
    server.listen(port, "127.0.0.1", () => server.close(() => resume(Effect.succeed(true))))
  })

describe("64 switches end to end", () => {
  it.live("connect, handshake, exchange messages, disconnect; shutdown leaves nothing running", () =>
    Effect.gen(function*() {
      const baseline = tcpHandles()
      const up = new Set<bigint>()
      const down = new Set<bigint>()
      const barriers = new Set<bigint>()
      // The app: on every DatapathUp, a request/reply round trip (BARRIER) to that switch.
      const app = Layer.effectDiscard(Effect.gen(function*() {
        const controller = yield* Controller.Controller
        const events = yield* controller.datapathEvents(["DatapathUp", "DatapathDown"])
        yield* events.pipe(
          Stream.runForEach((event): Effect.Effect<void> =>
            event._tag === "DatapathUp"
              ? Effect.sync(() => up.add(event.datapath.dpid)).pipe(
                Effect.andThen(event.datapath.request(Barrier.request)),
                Effect.andThen(Effect.sync(() => barriers.add(event.datapath.dpid))),
                Effect.ignore,
                // Not inline: the subscription must keep being consumed meanwhile.
                Effect.forkChild,
                Effect.asVoid
              )
              : Effect.sync(() => void down.add(event.datapath.dpid))
          ),
          Effect.forkScoped
        )
      }))
      const logs: Array<string> = []
      const runner = yield* Effect.forkChild(Runner.run(app, {
        argv: ["--ofp-listen-host", "127.0.0.1", "--ofp-tcp-listen-port", "0", "--echo-request-interval", "60"],
        env: {},
        writeLog: (line) => logs.push(line)
      }))
      let port = 0
      while (port === 0) {
        const line = logs.find((l) => l.includes("listening on tcp:127.0.0.1:"))
        if (line !== undefined) port = Number(line.slice(line.lastIndexOf(":") + 1))
        else yield* Effect.sleep("5 millis")
      }

      yield* Effect.scoped(Effect.gen(function*() {
        const switches = yield* Effect.forEach(
          Array.from({ length: SWITCHES }, (_, i) => BigInt(i + 1)),
          (dpid) => FakeSwitch.connect({ port, dpid }),
          { concurrency: "unbounded" }
        )
        yield* Effect.forEach(switches, (sw) => sw.handshakeDone, { concurrency: "unbounded" })
        // Switch -> controller: each switch's ECHO_REQUEST is answered with its own data.
        yield* Effect.forEach(switches, (sw) =>
          Effect.gen(function*() {
            const data = new TextEncoder().encode(`sw-${sw.dpid}`)
            assert.deepStrictEqual(yield* sw.echo(data), data)
          }), { concurrency: "unbounded" })
        // Controller -> switch: the app's BARRIER round trip reached every switch.
        yield* Effect.forEach(switches, (sw) => sw.barrierAnswered, { concurrency: "unbounded" })
        while (barriers.size < SWITCHES) yield* Effect.sleep("5 millis")
        assert.strictEqual(up.size, SWITCHES)
        for (const sw of switches) {
          assert.deepStrictEqual(sw.received.slice(0, 3), ["Hello", "FeaturesRequest", "PortDescRequest"])
        }
        const series = (yield* Metric.snapshot).filter((s) => s.id === "switchyard_messages_received_total")
        assert.strictEqual(series.length, SWITCHES)
        // Every switch goes away.
        yield* Effect.forEach(switches, (sw) => sw.close.pipe(Effect.andThen(sw.closed)), { concurrency: "unbounded" })
      }))
      while (down.size < SWITCHES) yield* Effect.sleep("5 millis")
      assert.strictEqual((yield* Metric.snapshot).filter((s) => s.attributes?.dpid !== undefined).length, 0)

      yield* Fiber.interrupt(runner)
      assert.isTrue(yield* canBind(port), "the listening port is released")
      // A closed handle leaves Node's list on the next turns of the event loop.
      for (let i = 0; i < 100 && JSON.stringify(tcpHandles()) !== JSON.stringify(baseline); i++) {
        yield* Effect.sleep("10 millis")
      }
      assert.deepStrictEqual(tcpHandles(), baseline, "no socket of the controller is left open")
      assert.isTrue(logs.some((l) => l.includes("shutting down")))
    }).pipe(Effect.provideService(Metric.MetricRegistry, new Map())), 30_000)
})
