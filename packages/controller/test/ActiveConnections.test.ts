import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Metric from "effect/Metric"
import * as Queue from "effect/Queue"
import { TestClock } from "effect/testing"
import * as Net from "node:net"
import { activeLoop } from "../src/internal/active.ts"
import type * as Listener from "../src/Listener.ts"
import * as Metrics from "../src/Metrics.ts"
import * as NodeListener from "../src/NodeListener.ts"

// A scripted dialler: each attempt records the virtual time and takes the next outcome.
const scripted = (outcomes: ReadonlyArray<"fail" | "ok">) => {
  const attempts: Array<number> = []
  let i = 0
  const dial = Effect.gen(function*() {
    attempts.push(yield* Clock.currentTimeMillis)
    const outcome = outcomes[Math.min(i++, outcomes.length - 1)]
    if (outcome === "fail") return yield* Effect.fail(new Error("ECONNREFUSED"))
    return "connection"
  })
  return { attempts, dial }
}

// Lets forked fibers run up to their next sleep without moving the clock.
const settle = Effect.yieldNow.pipe(Effect.repeat({ times: 20 }))

describe("active connections (back-off schedule, TestClock)", () => {
  it.effect("doubles the delay after each failed dial, up to the cap", () =>
    Effect.gen(function*() {
      const { attempts, dial } = scripted(["fail"])
      yield* Effect.forkChild(activeLoop({
        label: "10.0.0.1:6653",
        dial,
        serve: () => Effect.void,
        base: Duration.seconds(1),
        max: Duration.seconds(8)
      }))
      for (let t = 0; t < 40; t++) {
        yield* settle
        yield* TestClock.adjust("1 second")
      }
      // Waits 1, 2, 4, 8, 8, 8 … seconds.
      assert.deepStrictEqual(attempts.slice(0, 8), [0, 1000, 3000, 7000, 15000, 23000, 31000, 39000])
    }))

  it.effect("after a session ends it redials after the base delay, and a success resets the back-off", () =>
    Effect.gen(function*() {
      const { attempts, dial } = scripted(["fail", "fail", "fail", "ok", "fail", "fail"])
      const sessions = yield* Queue.unbounded<number>()
      yield* Effect.forkChild(activeLoop({
        label: "10.0.0.1:6653",
        dial,
        // The session lasts 5 seconds of virtual time.
        serve: () =>
          Clock.currentTimeMillis.pipe(
            Effect.flatMap((now) => Queue.offer(sessions, now)),
            Effect.andThen(Effect.sleep("5 seconds"))
          ),
        base: Duration.seconds(1),
        max: Duration.seconds(60)
      }))
      for (let t = 0; t < 30; t++) {
        yield* settle
        yield* TestClock.adjust("1 second")
      }
      // fail@0, wait 1; fail@1, wait 2; fail@3, wait 4; ok@7, session until 12, wait 1;
      // fail@13, wait 1 (reset); fail@14, wait 2; @16 …
      assert.deepStrictEqual(attempts.slice(0, 7), [0, 1000, 3000, 7000, 13000, 14000, 16000])
      assert.deepStrictEqual(yield* Queue.takeAll(sessions), [7000])
    }))

  it.effect("reports each failed dial", () =>
    Effect.gen(function*() {
      const { dial } = scripted(["fail", "fail", "ok"])
      const failures: Array<number> = []
      const served = yield* Deferred.make<void>()
      yield* Effect.forkChild(activeLoop({
        label: "sw",
        dial,
        serve: () => Deferred.succeed(served, undefined).pipe(Effect.andThen(Effect.never)),
        base: Duration.seconds(1),
        max: Duration.seconds(1),
        onFailure: (_, attempt) => Effect.sync(() => failures.push(attempt))
      }))
      for (let t = 0; t < 5; t++) {
        yield* settle
        yield* TestClock.adjust("1 second")
      }
      yield* Deferred.await(served)
      assert.deepStrictEqual(failures, [1, 2])
    }))
})

describe("active connections (real sockets)", () => {
  it.live("dials a switch that comes up late, serves it, and redials when it drops the connection", () =>
    Effect.gen(function*() {
      // Reserve a port with nothing listening yet: the first dials are refused.
      const port = yield* Effect.callback<number>((resume) => {
        const probe = Net.createServer()
        probe.listen(0, "127.0.0.1", () => {
          const p = (probe.address() as Net.AddressInfo).port
          probe.close(() => resume(Effect.succeed(p)))
        })
      })
      const listener = yield* NodeListener.make({
        listen: [],
        switches: [{ host: "127.0.0.1", port }],
        connectInterval: "20 millis",
        connectMaxInterval: "40 millis"
      })
      assert.deepStrictEqual(listener.addresses, [`active:127.0.0.1:${port}`])
      const connections = yield* Queue.unbounded<Listener.Connection>()
      // The handler greets the switch, then serves until the switch closes.
      yield* Effect.forkScoped(listener.run((c) =>
        Effect.gen(function*() {
          yield* Queue.offer(connections, c)
          // The reader opens the socket; a Node socket's writer waits for it.
          const reader = yield* c.socket.reader
          const writer = yield* c.socket.writer
          yield* writer.write(new TextEncoder().encode("hello switch"))
          while (true) yield* reader.pull
        }).pipe(Effect.scoped, Effect.ignore)
      ))
      yield* Effect.sleep("100 millis")

      // The "switch": a server that accepts, reads the greeting, and hangs up.
      const greetings = yield* Queue.unbounded<string>()
      const accepted = new Set<Net.Socket>()
      const server = Net.createServer((socket) => {
        accepted.add(socket)
        socket.once("data", (data) => {
          Queue.offerUnsafe(greetings, data.toString())
          socket.destroy()
        })
      })
      yield* Effect.acquireRelease(
        Effect.callback<void>((resume) => {
          server.listen(port, "127.0.0.1", () => resume(Effect.void))
        }),
        () =>
          Effect.callback<void>((resume) => {
            for (const socket of accepted) socket.destroy()
            server.close(() => resume(Effect.void))
          })
      )
      assert.strictEqual(yield* Queue.take(greetings), "hello switch")
      assert.strictEqual((yield* Queue.take(connections)).transport, "active")
      // Dropped by the switch, the controller comes back on its own.
      assert.strictEqual(yield* Queue.take(greetings), "hello switch")
      const second = yield* Queue.take(connections)
      assert.strictEqual(second.remoteAddress, `127.0.0.1:${port}`)
      const failures = yield* Metric.value(
        Metric.withAttributes(Metrics.switchConnectFailures, { address: `127.0.0.1:${port}` })
      )
      assert.isAtLeast(failures.count, 1)
    }).pipe(Effect.scoped, Effect.provideService(Metric.MetricRegistry, new Map())))

  it.live("interrupting run stops dialling and closes the dialled connection", () =>
    Effect.gen(function*() {
      const accepted = yield* Queue.unbounded<Net.Socket>()
      const all = new Set<Net.Socket>()
      const server = Net.createServer((socket) => {
        all.add(socket)
        Queue.offerUnsafe(accepted, socket)
      })
      yield* Effect.acquireRelease(
        Effect.callback<void>((resume) => {
          server.listen(0, "127.0.0.1", () => resume(Effect.void))
        }),
        () =>
          Effect.callback<void>((resume) => {
            for (const socket of all) socket.destroy()
            server.close(() => resume(Effect.void))
          })
      )
      const port = (server.address() as Net.AddressInfo).port
      const listener = yield* NodeListener.make({
        listen: [],
        switches: [{ host: "127.0.0.1", port }],
        connectInterval: "20 millis"
      })
      const runFiber = yield* Effect.forkChild(listener.run(() => Effect.never))
      const socket = yield* Queue.take(accepted)
      const closed = Effect.callback<void>((resume) => {
        if (socket.destroyed) return resume(Effect.void)
        socket.once("close", () => resume(Effect.void))
        socket.resume()
      })
      yield* Fiber.interrupt(runFiber)
      yield* closed.pipe(Effect.timeout("2 seconds"))
      yield* Effect.sleep("100 millis")
      assert.strictEqual(yield* Queue.size(accepted), 0, "no dial after run was interrupted")
    }).pipe(Effect.scoped))
})
