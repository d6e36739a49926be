/**
 * The controller runtime and an app, in-process, for a test: no sockets, no listeners, no
 * sleeps, with `TestClock` time and a deterministic way to wait until everything in
 * flight has been handled.
 *
 * An app test has three parties that run concurrently: fake switches, the controller's
 * datapath fibers, and the app's own fibers. Asserting too early sees half of an
 * exchange; waiting a fixed time is slow and still flaky. Here every fiber of the test
 * runs on a scheduler that counts queued work, and `settle` waits for the first
 * event-loop turn at which none is left: then every packet-in has been answered and every
 * answer applied. Timers do not count (they are `TestClock`'s to fire), so a test moves
 * time with `TestClock.adjust` and settles again. Log lines are captured (and not
 * printed unless asked), so a test can check what an app logs.
 *
 * @since 0.1.0
 */
import { Controller, type MemorySocket } from "@switchyard/controller"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import type * as LogLevel from "effect/LogLevel"
import * as References from "effect/References"
import * as Scheduler from "effect/Scheduler"
import * as FakeSwitchError from "./FakeSwitchError.ts"
import { type Harness, type LogLine, type Participant, TestController as Tag } from "./internal/harness.ts"
import { CountingScheduler, waitIdle } from "./internal/idle.ts"

/**
 * The service a test's controller provides: the controller itself, `settle`, and the
 * captured log lines (plus the plumbing the fakes share: the counting scheduler, the
 * scope switches live in, the open in-memory sockets).
 *
 * @category services
 * @since 0.1.0
 */
export { Tag as TestController }

/**
 * The shape of the {@link TestController} service.
 *
 * @category models
 * @since 0.1.0
 */
export type Service = Harness

/**
 * One captured log line.
 *
 * @category models
 * @since 0.1.0
 */
export type Log = LogLine

/**
 * Options of {@link layer}.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  /** Options of the controller under test (echo interval, buffer sizes, ...). */
  readonly controller?: Controller.Options | undefined
  /** The minimum level of log lines kept (default `"Debug"`). */
  readonly logLevel?: LogLevel.LogLevel | undefined
  /** Also print log lines to stderr (default `false`: they are only captured). */
  readonly printLogs?: boolean | undefined
  /**
   * Event-loop turns `settle` waits for the system to go quiet before failing with
   * `NotSettled` (default 20000).
   */
  readonly maxSettleRounds?: number | undefined
}

class Counting extends Context.Service<Counting, CountingScheduler>()("@switchyard/testkit/TestController/Counting") {}
class Logs extends Context.Service<Logs, Array<LogLine>>()("@switchyard/testkit/TestController/Logs") {}

const text = (value: unknown): string => {
  if (typeof value === "string") return value
  if (typeof value === "bigint") return value.toString()
  if (value instanceof Error) return value.message
  try {
    return JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v)) ?? String(value)
  } catch {
    return String(value)
  }
}

/**
 * The scheduler that counts queued work, installed under everything else, and the
 * logger that captures lines.
 */
const base = (options: Options | undefined) =>
  Layer.effectContext(
    Effect.gen(function*() {
      const parent = yield* Scheduler.Scheduler
      const counting = new CountingScheduler(parent)
      const logs: Array<LogLine> = []
      const print = options?.printLogs === true
      const logger = Logger.make((entry) => {
        const parts = Array.isArray(entry.message) ? entry.message : [entry.message]
        const annotations: Record<string, string> = {}
        const given = entry.fiber.getRef(References.CurrentLogAnnotations)
        for (const key in given) annotations[key] = text(given[key])
        const line: LogLine = { level: entry.logLevel, message: parts.map(text).join(" "), annotations }
        logs.push(line)
        if (print) process.stderr.write(`${line.level.toUpperCase().padEnd(5)} ${line.message}\n`)
      })
      return Context.make(Scheduler.Scheduler, counting as Scheduler.Scheduler).pipe(
        Context.add(Counting, counting),
        Context.add(Logs, logs),
        Context.add(Logger.CurrentLoggers, new Set([logger])),
        Context.add(References.MinimumLogLevel, options?.logLevel ?? "Debug")
      )
    })
  )

const harness = (options: Options | undefined) =>
  Layer.effect(
    Tag,
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const counting = yield* Counting
      const logs = yield* Logs
      const scope = yield* Effect.scope
      const context = yield* Effect.context<never>()
      const participants = new Set<Participant>()
      const sockets = new Set<MemorySocket.MemorySocket>()
      const quiet = () => {
        for (const socket of sockets) {
          if (socket.unreadBytesUnsafe() > 0) return false
          if (socket.isClosedUnsafe()) sockets.delete(socket)
        }
        return true
      }
      const maxRounds = options?.maxSettleRounds ?? 20_000
      const idle = Effect.callback<void, FakeSwitchError.FakeSwitchError>((resume) => {
        const cancel = waitIdle(counting, quiet, maxRounds, (busy) =>
          resume(busy === undefined ? Effect.void : Effect.fail(FakeSwitchError.make(new FakeSwitchError.NotSettled(busy)))))
        return Effect.sync(cancel)
      })
      const settle = Effect.andThen(
        idle,
        Effect.suspend(() => {
          for (const p of participants) {
            const failure = p.takeFailure()
            if (failure !== undefined) return Effect.fail(FakeSwitchError.make(failure))
          }
          return Effect.void
        })
      )
      return Tag.of({ controller, scheduler: counting, scope, context, participants, sockets, logs, settle, idle })
    })
  )

/**
 * The controller runtime, the app and the test harness, as one layer for
 * `Effect.provide`.
 *
 * **Details**
 *
 * Provides `TestController` (needed by `FakeSwitch.connect` and `FakeNetwork.make`), the
 * `Controller` (so a test can subscribe to events too) and whatever the app provides.
 * Everything runs on the test's fiber's clock: under `it.effect`, `TestClock`. Give each
 * test a fresh layer (`Effect.provide` per test) unless sharing state is the point.
 *
 * **Example** (A test of a learning switch)
 *
 * ```ts
 * import { assert, it } from "@effect/vitest"
 * import { Effect } from "effect"
 * import { TestClock } from "effect/testing"
 * import { FakeSwitch, Frames, TestController } from "@switchyard/testkit"
 * import * as L2Switch from "./L2Switch.ts"
 *
 * const h1 = "00:00:00:00:00:01"
 * const h2 = "00:00:00:00:00:02"
 *
 * it.effect("learns a MAC, then installs a unicast flow", () =>
 *   Effect.gen(function*() {
 *     const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2, 3] })
 *     yield* sw.inject(1, Frames.udp({ src: h1, dst: h2 }))
 *     yield* sw.inject(2, Frames.udp({ src: h2, dst: h1 }))
 *     assert.deepStrictEqual(sw.table.outputs({ inPort: 2, ethSrc: Frames.mac(h2), ethDst: Frames.mac(h1) }), [1])
 *     yield* TestClock.adjust("60 seconds") // echo keepalive runs in virtual time
 *     assert.isTrue(yield* sw.isConnected)
 *   }).pipe(Effect.provide(TestController.layer(L2Switch.layer()))))
 * ```
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = <A, E, R>(
  app: Layer.Layer<A, E, R>,
  options?: Options
): Layer.Layer<A | Controller.Controller | Tag, E, Exclude<R, Controller.Controller>> => {
  const runtime = Layer.provideMerge(app, Controller.layer(options?.controller))
  const full = Layer.provideMerge(Layer.provideMerge(harness(options), runtime), base(options))
  return full as unknown as Layer.Layer<A | Controller.Controller | Tag, E, Exclude<R, Controller.Controller>>
}

/**
 * Waits until the controller, its apps and every fake have handled everything in
 * flight; then fails if a strict fake refused a message or saw undefined behaviour since
 * the last settle.
 *
 * @category combinators
 * @since 0.1.0
 */
export const settle: Effect.Effect<void, FakeSwitchError.FakeSwitchError, Tag> = Tag.use((h) => h.settle)

/**
 * The log lines captured so far (at the layer's `logLevel` and above).
 *
 * @category accessors
 * @since 0.1.0
 */
export const logs: Effect.Effect<ReadonlyArray<LogLine>, never, Tag> = Tag.useSync((h) => h.logs.slice())
