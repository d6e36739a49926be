import { assert, describe, it } from "@effect/vitest"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Metric from "effect/Metric"
import * as Ref from "effect/Ref"
import * as Scope from "effect/Scope"
import * as Net from "node:net"
import * as Listener from "../src/Listener.ts"
import * as Metrics from "../src/Metrics.ts"
import * as NodeListener from "../src/NodeListener.ts"
import { connect, portOf } from "./support/client.ts"

const local = (port = 0) => ({ transport: "tcp" as const, host: "127.0.0.1", port })

// Echoes every byte back until the peer closes.
const echo = (connection: Listener.Connection) =>
  Effect.gen(function*() {
    const reader = yield* connection.socket.reader
    const writer = yield* connection.socket.writer
    while (true) {
      const chunks = yield* reader.pull
      yield* writer.writeAll(chunks as ReadonlyArray<Uint8Array> as [Uint8Array, ...Array<Uint8Array>])
    }
  }).pipe(Effect.scoped, Effect.ignore)

// Binds a throwaway server to learn a free port, then releases it.
const freePort = Effect.callback<number>((resume) => {
  const server = Net.createServer()
  server.listen(0, "127.0.0.1", () => {
    const port = (server.address() as Net.AddressInfo).port
    server.close(() => resume(Effect.succeed(port)))
  })
})

// Whether a fresh server can bind the port right now.
const canBind = (port: number) =>
  Effect.callback<boolean>((resume) => {
    const server = Net.createServer()
    server.once("error", () => resume(Effect.succeed(false)))
    server.listen(port, "127.0.0.1", () => server.close(() => resume(Effect.succeed(true))))
  })

describe("NodeListener", () => {
  it.live("listens on every address, reports the bound ports, and serves each connection", () =>
    Effect.gen(function*() {
      const listener = yield* NodeListener.make({ listen: [local(), local()] })
      assert.strictEqual(listener.addresses.length, 2)
      for (const address of listener.addresses) assert.match(address, /^tcp:127\.0\.0\.1:\d+$/)
      const ports = listener.addresses.map(portOf)
      assert.notStrictEqual(ports[0], ports[1])
      assert.isTrue(ports.every((p) => p > 0))
      yield* Effect.forkScoped(listener.run(echo))
      for (const port of ports) {
        const client = yield* connect(port)
        yield* client.write("hello")
        assert.strictEqual((yield* client.read(5)).toString(), "hello")
      }
    }).pipe(Effect.scoped))

  it.live("gives the handler the peer address and transport", () =>
    Effect.gen(function*() {
      const listener = yield* NodeListener.make({ listen: [local()] })
      const seen = yield* Deferred.make<Listener.Connection>()
      yield* Effect.forkScoped(listener.run((c) => Deferred.succeed(seen, c).pipe(Effect.andThen(Effect.never))))
      const client = yield* connect(portOf(listener.addresses[0]!))
      const connection = yield* Deferred.await(seen)
      assert.strictEqual(connection.transport, "tcp")
      assert.strictEqual(connection.remoteAddress, `127.0.0.1:${client.socket.localPort}`)
    }).pipe(Effect.scoped))

  it.live("loses no byte sent before the handler reads, nor before run starts", () =>
    Effect.gen(function*() {
      const listener = yield* NodeListener.make({ listen: [local()] })
      const port = portOf(listener.addresses[0]!)
      // Connected and written before anyone accepts on the Effect side.
      const early = yield* connect(port)
      yield* early.write("early-bytes")
      yield* Effect.sleep("50 millis")
      const slowEcho = (c: Listener.Connection) => Effect.sleep("50 millis").pipe(Effect.andThen(echo(c)))
      yield* Effect.forkScoped(listener.run(slowEcho))
      assert.strictEqual((yield* early.read(11)).toString(), "early-bytes")
      const late = yield* connect(port)
      yield* late.write("sent-before-reader")
      assert.strictEqual((yield* late.read(18)).toString(), "sent-before-reader")
    }).pipe(Effect.scoped))

  it.live("a handler that fails or dies is logged and counted; the listener and other connections carry on", () =>
    Effect.gen(function*() {
      const listener = yield* NodeListener.make({ listen: [local()] })
      const port = portOf(listener.addresses[0]!)
      // The first byte decides: "d" dies, "t" throws in a sync callback, anything else echoes.
      const handler = (c: Listener.Connection) =>
        Effect.gen(function*() {
          const reader = yield* c.socket.reader
          const writer = yield* c.socket.writer
          const first = yield* reader.pull
          const byte = String.fromCharCode(first[0]![0] as number)
          if (byte === "d") return yield* Effect.die(new Error("handler died"))
          if (byte === "t") {
            yield* Effect.sync(() => {
              throw new Error("handler threw")
            })
          }
          yield* writer.writeAll(first as [Uint8Array])
          while (true) yield* writer.writeAll((yield* reader.pull) as [Uint8Array])
        }).pipe(Effect.scoped, Effect.catchTag("SocketError", () => Effect.void))
      yield* Effect.forkScoped(listener.run(handler))

      const steady = yield* connect(port)
      yield* steady.write("a")
      assert.strictEqual((yield* steady.read(1)).toString(), "a")

      for (const poison of ["d", "t"]) {
        const victim = yield* connect(port)
        yield* victim.write(poison)
        // The listener closes the socket of a handler that died.
        yield* victim.closed
      }

      yield* steady.write("still here")
      assert.strictEqual((yield* steady.read(10)).toString(), "still here")
      const fresh = yield* connect(port)
      yield* fresh.write("new")
      assert.strictEqual((yield* fresh.read(3)).toString(), "new")
      const failures = yield* Metric.value(Metrics.connectionHandlerFailures)
      assert.strictEqual(failures.count, 2)
    }).pipe(Effect.scoped, Effect.provideService(Metric.MetricRegistry, new Map())))

  it.live("a handler that never reads still gets its socket closed when it ends", () =>
    Effect.gen(function*() {
      const listener = yield* NodeListener.make({ listen: [local()] })
      yield* Effect.forkScoped(listener.run(() => Effect.void))
      const client = yield* connect(portOf(listener.addresses[0]!))
      yield* client.closed
    }).pipe(Effect.scoped))

  it.live("interrupting run interrupts and awaits every connection fiber and closes their sockets", () =>
    Effect.gen(function*() {
      const listener = yield* NodeListener.make({ listen: [local()] })
      const port = portOf(listener.addresses[0]!)
      const started = yield* Ref.make(0)
      const finished = yield* Ref.make(0)
      const allStarted = yield* Deferred.make<void>()
      const n = 8
      // Each handler's finalizer takes real time, so a run that did not wait for its
      // fibers would return before `finished` reaches n.
      const handler = () =>
        Effect.gen(function*() {
          const count = yield* Ref.updateAndGet(started, (k) => k + 1)
          if (count === n) yield* Deferred.succeed(allStarted, undefined)
          return yield* Effect.never
        }).pipe(Effect.ensuring(Effect.sleep("30 millis").pipe(Effect.andThen(Ref.update(finished, (k) => k + 1)))))
      const runFiber = yield* Effect.forkChild(listener.run(handler))
      const clients = yield* Effect.forEach(Array.from({ length: n }), () => connect(port))
      yield* Deferred.await(allStarted)
      yield* Fiber.interrupt(runFiber)
      assert.strictEqual(yield* Ref.get(finished), n)
      for (const client of clients) yield* client.closed
      // The listening socket is still bound (it belongs to the layer), and a new run serves again.
      yield* Effect.forkScoped(listener.run(echo))
      const again = yield* connect(port)
      yield* again.write("x")
      assert.strictEqual((yield* again.read(1)).toString(), "x")
    }).pipe(Effect.scoped))

  it.live("closing the listener's scope releases its ports at once, even with a peer that stopped reading", () =>
    Effect.gen(function*() {
      const port = yield* freePort
      const scope = yield* Scope.make()
      const listener = yield* NodeListener.make({ listen: [local(port)] }).pipe(Scope.provide(scope))
      // A handler that floods its peer; the peer never reads, so the socket's send buffer
      // fills and a graceful close could never finish.
      const flood = (c: Listener.Connection) =>
        Effect.gen(function*() {
          const writer = yield* c.socket.writer
          const chunk = new Uint8Array(64 * 1024)
          while (true) yield* writer.write(chunk)
        }).pipe(Effect.scoped, Effect.ignore)
      const runFiber = yield* Effect.forkChild(listener.run(flood))
      const stalled = yield* connect(port)
      stalled.socket.pause()
      yield* Effect.sleep("100 millis")
      assert.isFalse(yield* canBind(port))
      // Close the listener while the handler still runs: the open socket must not keep
      // `server.close` waiting.
      yield* Scope.close(scope, Exit.void).pipe(Effect.timeout("2 seconds"))
      assert.isTrue(yield* canBind(port))
      // The socket was destroyed, not ended: once the peer reads again it gets what was
      // already sent, then the close.
      stalled.socket.resume()
      yield* stalled.closed
      yield* Fiber.interrupt(runFiber)
    }).pipe(Effect.scoped))

  it.live("a port in use fails with a BindError naming the address", () =>
    Effect.gen(function*() {
      const first = yield* NodeListener.make({ listen: [local()] })
      const port = portOf(first.addresses[0]!)
      const error = yield* Effect.flip(NodeListener.make({ listen: [local(port)] }))
      assert.strictEqual(error.reason._tag, "BindError")
      assert.include(error.message, `tcp:127.0.0.1:${port}`)
      assert.include(error.message, "EADDRINUSE")
    }).pipe(Effect.scoped))

  it.live("a failed bind releases the ports already bound", () =>
    Effect.gen(function*() {
      const blocker = yield* NodeListener.make({ listen: [local()] })
      const taken = portOf(blocker.addresses[0]!)
      const free = yield* freePort
      const exit = yield* Effect.exit(Effect.scoped(NodeListener.make({ listen: [local(free), local(taken)] })))
      assert.isTrue(Exit.isFailure(exit))
      assert.isTrue(yield* canBind(free))
    }).pipe(Effect.scoped))

  it.live("counts connections by transport", () =>
    Effect.gen(function*() {
      const listener = yield* NodeListener.make({ listen: [local()] })
      yield* Effect.forkScoped(listener.run(echo))
      const port = portOf(listener.addresses[0]!)
      for (let i = 0; i < 3; i++) {
        const client = yield* connect(port)
        yield* client.write("z")
        yield* client.read(1)
      }
      const total = yield* Metric.value(Metric.withAttributes(Metrics.connectionsTotal, { transport: "tcp" }))
      const open = yield* Metric.value(Metric.withAttributes(Metrics.connectionsOpen, { transport: "tcp" }))
      assert.strictEqual(total.count, 3)
      assert.strictEqual(open.value, 3)
    }).pipe(Effect.scoped, Effect.provideService(Metric.MetricRegistry, new Map())))

  it.live("serves a listening handle opened elsewhere (the seam for worker processes)", () =>
    Effect.gen(function*() {
      // A server bound by someone else, as a parent process would hand to a worker.
      const parent = Net.createServer()
      yield* Effect.callback<void>((resume) => void parent.listen(0, "127.0.0.1", () => resume(Effect.void)))
      const port = (parent.address() as Net.AddressInfo).port
      const listener = yield* NodeListener.make({ listen: [{ transport: "tcp", handle: parent, label: "tcp:inherited" }] })
      assert.deepStrictEqual(listener.addresses, [`tcp:127.0.0.1:${port}`])
      yield* Effect.forkScoped(listener.run(echo))
      const client = yield* connect(port)
      yield* client.write("inherited")
      assert.strictEqual((yield* client.read(9)).toString(), "inherited")
    }).pipe(Effect.scoped))

  it.live("leaves nothing behind over many connect/disconnect cycles", () =>
    Effect.gen(function*() {
      const sockets = () => process.getActiveResourcesInfo().filter((k) => k === "TCPSocketWrap").length
      const listener = yield* NodeListener.make({ listen: [local()] })
      const port = portOf(listener.addresses[0]!)
      yield* Effect.forkScoped(listener.run(echo))
      const before = sockets()
      const cycles = 200
      for (let i = 0; i < cycles; i += 20) {
        yield* Effect.forEach(Array.from({ length: 20 }), () =>
          Effect.scoped(Effect.gen(function*() {
            const client = yield* connect(port)
            yield* client.write("c")
            yield* client.read(1)
          })), { concurrency: "unbounded" })
      }
      const open = Metric.withAttributes(Metrics.connectionsOpen, { transport: "tcp" })
      for (let i = 0; i < 200 && ((yield* Metric.value(open)).value !== 0 || sockets() > before); i++) {
        yield* Effect.sleep("10 millis")
      }
      assert.strictEqual((yield* Metric.value(open)).value, 0, "every connection fiber ended")
      assert.strictEqual(
        (yield* Metric.value(Metric.withAttributes(Metrics.connectionsTotal, { transport: "tcp" }))).count,
        cycles
      )
      assert.isAtMost(sockets(), before, "every socket closed")
    }).pipe(Effect.scoped, Effect.provideService(Metric.MetricRegistry, new Map())))
})
