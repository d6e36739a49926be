// The runner's lifecycle over real sockets, with a small test runtime standing in for the
// Controller (the runner is generic in its runtime; the Controller is wired in
// Runner.run/runMain and exercised by the integration test).
import { assert, describe, it } from "@effect/vitest"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import { TestConsole } from "effect/testing"
import * as Http from "node:http"
import * as Net from "node:net"
import * as ControllerConfig from "../src/ControllerConfig.ts"
import type * as Listener from "../src/Listener.ts"
import * as Runner from "../src/Runner.ts"
import { connect } from "./support/client.ts"

class Echo extends Context.Service<Echo, {
  readonly serve: (connection: Listener.Connection) => Effect.Effect<void>
}>()("test/Runner/Echo") {}

// Records what happens, in order, across the runtime, the app and the connections.
const harness = () => {
  const events: Array<string> = []
  const logs: Array<string> = []
  const runtime: Runner.Runtime<Echo> = {
    layer: Layer.effect(Echo)(Effect.acquireRelease(
      Effect.sync(() => {
        events.push("runtime up")
        return Echo.of({
          serve: (c) =>
            Effect.gen(function*() {
              events.push("connection")
              const reader = yield* c.socket.reader
              const writer = yield* c.socket.writer
              while (true) yield* writer.writeAll((yield* reader.pull) as [Uint8Array])
            }).pipe(
              Effect.scoped,
              Effect.ignore,
              Effect.ensuring(Effect.sync(() => events.push("connection closed")))
            )
        })
      }),
      () => Effect.sync(() => events.push("runtime down"))
    )),
    serve: Effect.map(Echo.useSync((echo) => echo), (echo) => echo.serve)
  }
  const app = Layer.effectDiscard(Effect.gen(function*() {
    yield* Echo
    yield* Effect.acquireRelease(
      Effect.sync(() => events.push("app up")),
      () => Effect.sync(() => events.push("app down"))
    )
  }))
  const writeLog = (line: string) => void logs.push(line)
  const waitForLog = (pattern: RegExp) =>
    Effect.gen(function*() {
      for (let i = 0; i < 200; i++) {
        for (const line of logs) {
          const m = pattern.exec(line)
          if (m !== null) return m
        }
        yield* Effect.sleep("10 millis")
      }
      return yield* Effect.die(new Error(`no log line matched ${pattern}; got:\n${logs.join("\n")}`))
    })
  return { events, logs, runtime, app, writeLog, waitForLog }
}

const local = ["--ofp-listen-host", "127.0.0.1", "--ofp-tcp-listen-port", "0"]

const canBind = (port: number) =>
  Effect.callback<boolean>((resume) => {
    const server = Net.createServer()
    server.once("error", () => resume(Effect.succeed(false)))
    server.listen(port, "127.0.0.1", () => server.close(() => resume(Effect.succeed(true))))
  })

const httpGet = (url: string) =>
  Effect.callback<{ status: number; type: string; body: string }, Error>((resume) => {
    Http.get(url, (res) => {
      let body = ""
      res.setEncoding("utf8")
      res.on("data", (chunk: string) => (body += chunk))
      res.on("end", () => resume(Effect.succeed({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body })))
    }).on("error", (e) => resume(Effect.fail(e)))
  })

describe("Runner", () => {
  it.live("builds the runtime, then the apps, then listens; shuts down in reverse and releases the port", () =>
    Effect.gen(function*() {
      const h = harness()
      const fiber = yield* Effect.forkChild(Runner.runWith(h.runtime, h.app, { argv: local, env: {}, writeLog: h.writeLog }))
      const listening = yield* h.waitForLog(/^\S+Z INFO  listening on tcp:127\.0\.0\.1:(\d+)$/)
      const port = Number(listening[1])
      // Listening was announced only once every app had been built.
      assert.deepStrictEqual(h.events, ["runtime up", "app up"])
      yield* Effect.scoped(Effect.gen(function*() {
        const client = yield* connect(port)
        yield* client.write("ping")
        assert.strictEqual((yield* client.read(4)).toString(), "ping")
      }))
      yield* Effect.scoped(Effect.gen(function*() {
        yield* connect(port)
        while (h.events.filter((e) => e === "connection").length < 2) yield* Effect.sleep("5 millis")
        yield* Fiber.interrupt(fiber)
      }))
      assert.deepStrictEqual(h.events.slice(-3), ["connection closed", "app down", "runtime down"])
      assert.isTrue(h.logs.some((l) => / INFO  shutting down$/.test(l)))
      assert.isTrue(yield* canBind(port))
    }))

  it.live("--help prints the flags and builds nothing", () =>
    Effect.gen(function*() {
      const h = harness()
      yield* Runner.runWith(h.runtime, h.app, { argv: ["--help"], env: {}, name: "l2switch", writeLog: h.writeLog })
      const out = (yield* TestConsole.logLines).join("\n")
      assert.match(out, /^usage: l2switch \[flags\]/)
      assert.include(out, "--ofp-tcp-listen-port PORT")
      assert.include(out, "SWITCHYARD_OFP_TCP_LISTEN_PORT")
      assert.deepStrictEqual(h.events, [])
    }).pipe(Effect.provide(TestConsole.layer)))

  it.live("an unknown flag fails with exit code 2 before anything is built", () =>
    Effect.gen(function*() {
      const h = harness()
      const error = yield* Effect.flip(Runner.runWith(h.runtime, h.app, { argv: ["--ofp-tcp-port", "6653"], env: {} }))
      assert.strictEqual(error._tag, "RunnerError")
      if (error._tag !== "RunnerError") return
      assert.strictEqual(error.exitCode, 2)
      assert.strictEqual(error.message, "unknown flag --ofp-tcp-port (did you mean --ofp-tcp-listen-port?) (see --help)")
      assert.deepStrictEqual(h.events, [])
    }))

  it.live("a port in use fails with exit code 1 and a one-line reason; what was built is closed again", () =>
    Effect.gen(function*() {
      const h = harness()
      const blocker = Net.createServer()
      yield* Effect.acquireRelease(
        Effect.callback<void>((resume) => void blocker.listen(0, "127.0.0.1", () => resume(Effect.void))),
        () => Effect.callback<void>((resume) => void blocker.close(() => resume(Effect.void)))
      )
      const port = (blocker.address() as Net.AddressInfo).port
      const error = yield* Effect.flip(Runner.runWith(h.runtime, h.app, {
        argv: ["--ofp-listen-host", "127.0.0.1", "--ofp-tcp-listen-port", String(port)],
        env: {},
        writeLog: h.writeLog
      }))
      assert.strictEqual(error._tag, "RunnerError")
      if (error._tag !== "RunnerError") return
      assert.strictEqual(error.exitCode, 1)
      assert.match(error.message, new RegExp(`^cannot listen on tcp:127\\.0\\.0\\.1:${port}: .*EADDRINUSE`))
      assert.deepStrictEqual(h.events, ["runtime up", "app up", "app down", "runtime down"])
    }).pipe(Effect.scoped))

  it.live("apps see the parsed ControllerConfig and read their own settings from flags' provider and env", () =>
    Effect.gen(function*() {
      const h = harness()
      const seen: Array<unknown> = []
      const app = Layer.effectDiscard(Effect.gen(function*() {
        const config = yield* ControllerConfig.ControllerConfig
        seen.push(config.sendQueueSize, yield* Config.String("L2SWITCH_MAC_TTL"))
      }))
      const fiber = yield* Effect.forkChild(Runner.runWith(h.runtime, app, {
        argv: [...local, "--send-queue-size", "99"],
        env: { L2SWITCH_MAC_TTL: "300" },
        writeLog: h.writeLog
      }))
      yield* h.waitForLog(/listening on/)
      yield* Fiber.interrupt(fiber)
      assert.deepStrictEqual(seen, [99, "300"])
    }))

  it.live("--metrics-port serves Prometheus text at /metrics", () =>
    Effect.gen(function*() {
      const h = harness()
      const fiber = yield* Effect.forkChild(Runner.runWith(h.runtime, h.app, {
        argv: [...local, "--metrics-host", "127.0.0.1", "--metrics-port", "0"],
        env: {},
        writeLog: h.writeLog
      }))
      const port = Number((yield* h.waitForLog(/listening on tcp:127\.0\.0\.1:(\d+)/))[1])
      const metricsUrl = (yield* h.waitForLog(/metrics at (http:\/\/127\.0\.0\.1:\d+\/metrics)/))[1]!
      yield* Effect.scoped(Effect.gen(function*() {
        const client = yield* connect(port)
        yield* client.write("x")
        yield* client.read(1)
        const response = yield* httpGet(metricsUrl)
        assert.strictEqual(response.status, 200)
        assert.strictEqual(response.type, "text/plain; version=0.0.4; charset=utf-8")
        assert.include(response.body, "# TYPE switchyard_connections_total counter\n")
        assert.include(response.body, `switchyard_connections_total{transport="tcp"} 1\n`)
        assert.include(response.body, `switchyard_connections_open{transport="tcp"} 1\n`)
      }))
      assert.strictEqual((yield* httpGet(metricsUrl.replace("/metrics", "/"))).status, 404)
      yield* Fiber.interrupt(fiber)
    }).pipe(Effect.provideService(Metric.MetricRegistry, new Map())))

  it.live("at debug level a metrics summary line is logged periodically; at info level it is not", () =>
    Effect.gen(function*() {
      const debug = harness()
      const fiber = yield* Effect.forkChild(Runner.runWith(debug.runtime, debug.app, {
        argv: [...local, "--verbose", "--metrics-log-interval", "20ms"],
        env: {},
        writeLog: debug.writeLog
      }))
      yield* debug.waitForLog(/^\S+Z DEBUG metrics .*connections_open=0/)
      yield* Fiber.interrupt(fiber)

      const info = harness()
      const quiet = yield* Effect.forkChild(Runner.runWith(info.runtime, info.app, {
        argv: [...local, "--metrics-log-interval", "20ms"],
        env: {},
        writeLog: info.writeLog
      }))
      yield* info.waitForLog(/listening on/)
      yield* Effect.sleep("100 millis")
      yield* Fiber.interrupt(quiet)
      assert.isFalse(info.logs.some((l) => l.includes(" metrics ")))
    }).pipe(Effect.provideService(Metric.MetricRegistry, new Map())))

  it.live("an app that fails while being built fails the run with its error; nothing listens", () =>
    Effect.gen(function*() {
      const h = harness()
      const broken = Layer.effectDiscard(Effect.fail("no database" as const))
      const error = yield* Effect.flip(Runner.runWith(h.runtime, Layer.merge(h.app, broken), {
        argv: local,
        env: {},
        writeLog: h.writeLog
      }))
      assert.strictEqual(error, "no database")
      assert.strictEqual(h.events[0], "runtime up")
      assert.strictEqual(h.events[h.events.length - 1], "runtime down")
      assert.isFalse(h.logs.some((l) => l.includes("listening on")))
    }))

  it.live("apps declare their own flags: parsed like the controller's, with an environment fallback and --help", () =>
    Effect.gen(function*() {
      const flags = [{ name: "mac-ttl", metavar: "SECONDS", description: "forget a MAC after this long" }]
      const seen: Array<number> = []
      const h = harness()
      const app = Layer.effectDiscard(Effect.gen(function*() {
        seen.push(yield* Config.Int("MAC_TTL").pipe(Config.withDefault(60)))
      }))
      const runOnce = (argv: ReadonlyArray<string>, env: Record<string, string>) =>
        Effect.gen(function*() {
          const logs: Array<string> = []
          const fiber = yield* Effect.forkChild(Runner.runWith(h.runtime, app, {
            argv: [...local, ...argv],
            env,
            flags,
            writeLog: (l) => void logs.push(l)
          }))
          while (!logs.some((l) => l.includes("listening on"))) yield* Effect.sleep("5 millis")
          yield* Fiber.interrupt(fiber)
        })
      yield* runOnce(["--mac-ttl", "300"], { MAC_TTL: "100" })
      yield* runOnce([], { MAC_TTL: "100" })
      yield* runOnce([], {})
      assert.deepStrictEqual(seen, [300, 100, 60])
      const help = yield* Runner.parseArgs({ argv: ["--help"], env: {}, flags })
      assert.strictEqual(help._tag, "Help")
      if (help._tag === "Help") assert.match(help.text, /--mac-ttl SECONDS +forget a MAC after this long\n +env MAC_TTL\n/)
      const clash = yield* Effect.exit(Runner.parseArgs({ argv: [], env: {}, flags: [{ name: "verbose", description: "x" }] }))
      assert.isTrue(clash._tag === "Failure" && String(clash.cause).includes("app flag --verbose is already a controller flag"))
    }))
})
