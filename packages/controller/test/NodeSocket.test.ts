// The listener's socket adapter (src/internal/nodeSocket.ts) against real TCP: the Socket
// contract the runtime relies on, the same behaviours MemorySocket models (batches,
// waiting pulls, back-pressure, half-close, close and reset), checked from a plain
// node:net peer.
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Scope } from "effect"
import * as Socket from "effect/socket/Socket"
import * as Net from "node:net"
import { NodeSocket } from "../src/internal/nodeSocket.ts"
import { type Client, connect } from "./support/client.ts"

const closeCode = (exit: Exit.Exit<unknown, Socket.SocketError>): number | string | undefined => {
  if (exit._tag === "Success") return undefined
  const fail = exit.cause.reasons.find((r) => r._tag === "Fail")
  if (fail === undefined || fail._tag !== "Fail") return "not a failure"
  const reason = fail.error.reason
  return reason._tag === "SocketCloseError" ? reason.code : reason._tag
}

const text = (chunks: ReadonlyArray<Uint8Array | string>) =>
  chunks.map((c) => (typeof c === "string" ? c : Buffer.from(c).toString())).join("")

// A server socket adopted as the listener does it (paused, then wrapped), and the plain
// node:net client connected to it. Both are destroyed when the scope closes.
const pair = (options?: { readonly allowHalfOpen?: boolean }) => Effect.gen(function*() {
  const server = Net.createServer({ allowHalfOpen: options?.allowHalfOpen ?? false })
  const accepted: Array<Net.Socket> = []
  let onAccept: (() => void) | undefined
  server.on("connection", (conn: Net.Socket) => {
    conn.pause()
    accepted.push(conn)
    onAccept?.()
  })
  yield* Effect.acquireRelease(
    Effect.callback<void>((resume) => void server.listen(0, "127.0.0.1", () => resume(Effect.void))),
    () =>
      Effect.callback<void>((resume) => {
        for (const conn of accepted) conn.destroy()
        server.close(() => resume(Effect.void))
      })
  )
  const client = yield* connect((server.address() as Net.AddressInfo).port)
  const conn = yield* Effect.callback<Net.Socket>((resume) => {
    if (accepted.length > 0) return resume(Effect.succeed(accepted[0]!))
    onAccept = () => resume(Effect.succeed(accepted[0]!))
  })
  return { socket: NodeSocket.adopt(conn), conn, client }
})

// Reads from `socket` until `n` bytes have arrived.
const readBytes = (reader: Socket.Reader, n: number) =>
  Effect.gen(function*() {
    let got = ""
    let pulls = 0
    while (got.length < n) {
      got += text(yield* reader.pull)
      pulls++
    }
    return { got, pulls }
  })

// Writes to the client-side socket and waits until the kernel took it.
const clientWrite = (client: Client, data: string) => client.write(data)

describe("NodeSocket (the listener's adapter)", () => {
  it.live("is a Socket; a pull returns what has arrived, in order, several writes per batch", () =>
    Effect.gen(function*() {
      const { client, socket } = yield* pair()
      assert.isTrue(Socket.isSocket(socket))
      const reader = yield* socket.reader
      yield* clientWrite(client, "ab")
      yield* clientWrite(client, "cd")
      yield* Effect.sleep("30 millis")
      const { got, pulls } = yield* readBytes(reader, 4)
      assert.strictEqual(got, "abcd")
      assert.strictEqual(pulls, 1, "both writes had arrived before the pull: one batch")
    }).pipe(Effect.scoped))

  it.live("loses nothing sent before the reader is acquired (the socket stays paused)", () =>
    Effect.gen(function*() {
      const { client, socket } = yield* pair()
      yield* clientWrite(client, "early")
      yield* Effect.sleep("30 millis")
      const reader = yield* socket.reader
      assert.strictEqual((yield* readBytes(reader, 5)).got, "early")
    }).pipe(Effect.scoped))

  it.live("a pull waits for data", () =>
    Effect.gen(function*() {
      const { client, socket } = yield* pair()
      const reader = yield* socket.reader
      const fiber = yield* Effect.forkChild(reader.pull)
      yield* Effect.sleep("30 millis")
      assert.isUndefined(fiber.pollUnsafe())
      yield* clientWrite(client, "x")
      assert.strictEqual(text(yield* Fiber.join(fiber)), "x")
    }).pipe(Effect.scoped))

  it.live("an interrupted pull loses no byte: the next pull gets it", () =>
    Effect.gen(function*() {
      const { client, socket } = yield* pair()
      const reader = yield* socket.reader
      const fiber = yield* Effect.forkChild(reader.pull)
      yield* Effect.sleep("10 millis")
      yield* Fiber.interrupt(fiber)
      yield* clientWrite(client, "kept")
      // Arrived (and announced by Node) while no pull waits.
      yield* Effect.sleep("30 millis")
      assert.strictEqual((yield* readBytes(reader, 4)).got, "kept")
    }).pipe(Effect.scoped))

  it.live("the peer's FIN: what was sent is delivered, then code 1000", () =>
    Effect.gen(function*() {
      const { client, socket } = yield* pair()
      const reader = yield* socket.reader
      yield* clientWrite(client, "last words")
      client.socket.end()
      assert.strictEqual((yield* readBytes(reader, 10)).got, "last words")
      assert.strictEqual(closeCode(yield* Effect.exit(reader.pull)), 1000)
      assert.strictEqual(closeCode(yield* Effect.exit(reader.pull)), 1000, "and stays closed")
    }).pipe(Effect.scoped))

  it.live("on a half-open socket the peer's FIN ends the reader while our side can still write", () =>
    Effect.gen(function*() {
      const { client, socket } = yield* pair({ allowHalfOpen: true })
      const reader = yield* socket.reader
      const writer = yield* socket.writer
      client.socket.end("fin")
      assert.strictEqual((yield* readBytes(reader, 3)).got, "fin")
      assert.strictEqual(closeCode(yield* Effect.exit(reader.pull)), 1000)
      yield* writer.write(Buffer.from("reply"))
      assert.strictEqual((yield* client.read(5)).toString(), "reply")
    }).pipe(Effect.scoped))

  it.live("the peer's reset fails a waiting pull with a read error or code 1006", () =>
    Effect.gen(function*() {
      const { client, socket } = yield* pair()
      const reader = yield* socket.reader
      const fiber = yield* Effect.forkChild(Effect.exit(reader.pull))
      yield* Effect.sleep("10 millis")
      client.socket.resetAndDestroy()
      const code = closeCode(yield* Fiber.join(fiber))
      assert.include(["SocketReadError", 1006], code)
    }).pipe(Effect.scoped))

  it.live("releasing the reader fails a waiting pull with code 1006, and later pulls too", () =>
    Effect.gen(function*() {
      const { socket } = yield* pair()
      const scope = yield* Scope.make()
      const reader = yield* Scope.provide(socket.reader, scope)
      const fiber = yield* Effect.forkChild(Effect.exit(reader.pull))
      yield* Effect.sleep("10 millis")
      yield* Scope.close(scope, Exit.void)
      assert.strictEqual(closeCode(yield* Fiber.join(fiber)), 1006)
      assert.strictEqual(closeCode(yield* Effect.exit(reader.pull)), 1006)
    }).pipe(Effect.scoped))

  it.live("the reader can be acquired once", () =>
    Effect.gen(function*() {
      const { socket } = yield* pair()
      yield* socket.reader
      assert.strictEqual(closeCode(yield* Effect.exit(socket.reader)), 1000)
    }).pipe(Effect.scoped))

  it.live("a socket that errored before its reader was acquired fails the acquisition with the error", () =>
    Effect.gen(function*() {
      const { conn, socket } = yield* pair()
      conn.destroy(new Error("boom"))
      yield* Effect.sleep("10 millis")
      const exit = yield* Effect.exit(socket.reader)
      assert.strictEqual(closeCode(exit), "SocketOpenError")
      const closed = yield* pair()
      closed.conn.destroy()
      yield* Effect.sleep("10 millis")
      assert.strictEqual(closeCode(yield* Effect.exit(closed.socket.reader)), 1000)
    }).pipe(Effect.scoped))

  it.live("writes arrive in order; a writeAll is one corked batch", () =>
    Effect.gen(function*() {
      const { client, socket } = yield* pair()
      const writer = yield* socket.writer
      yield* writer.write(Buffer.from("one,"))
      yield* writer.writeAll([Buffer.from("two,"), "three,", Buffer.from("four")])
      assert.strictEqual((yield* client.read(18)).toString(), "one,two,three,four")
    }).pipe(Effect.scoped))

  it.live("write and writeAll also work detached from the writer", () =>
    Effect.gen(function*() {
      const { client, socket } = yield* pair()
      const { write, writeAll } = yield* socket.writer
      yield* write(Buffer.from("a"))
      yield* writeAll([Buffer.from("b")])
      assert.strictEqual((yield* client.read(2)).toString(), "ab")
    }).pipe(Effect.scoped))

  it.live("a write waits for drain while the peer does not read, and completes once it does", () =>
    Effect.gen(function*() {
      const { client, socket } = yield* pair()
      client.socket.pause()
      const writer = yield* socket.writer
      const chunk = Buffer.alloc(256 * 1024, 1)
      // Write until one write has to wait: the kernel buffers and Node's fill up.
      let sent = 0
      let blocked: Fiber.Fiber<void, Socket.SocketError> | undefined
      for (let i = 0; i < 200 && blocked === undefined; i++) {
        const fiber = yield* Effect.forkChild(writer.write(chunk))
        yield* Effect.sleep("5 millis")
        sent += chunk.length
        if (fiber.pollUnsafe() === undefined) blocked = fiber
      }
      assert.isDefined(blocked, "some write must wait for drain")
      // A second writer waits behind it.
      const second = yield* Effect.forkChild(writer.writeAll([chunk]))
      sent += chunk.length
      yield* Effect.sleep("50 millis")
      assert.isUndefined(blocked!.pollUnsafe(), "still waiting: nobody reads")
      assert.isUndefined(second.pollUnsafe())
      client.socket.resume()
      yield* client.read(sent)
      yield* Fiber.join(blocked!)
      yield* Fiber.join(second)
    }).pipe(Effect.scoped))

  it.live("a write waiting for drain fails when the socket closes (peer reset, or closed on our side)", () =>
    Effect.gen(function*() {
      for (const how of ["peer reset", "CloseEvent"]) {
        const { client, socket } = yield* pair()
        client.socket.pause()
        const writer = yield* socket.writer
        const chunk = Buffer.alloc(256 * 1024, 1)
        let blocked: Fiber.Fiber<void, Socket.SocketError> | undefined
        for (let i = 0; i < 200 && blocked === undefined; i++) {
          const fiber = yield* Effect.forkChild(writer.write(chunk))
          yield* Effect.sleep("5 millis")
          if (fiber.pollUnsafe() === undefined) blocked = fiber
        }
        assert.isDefined(blocked)
        if (how === "peer reset") client.socket.resetAndDestroy()
        else yield* writer.write(new Socket.CloseEvent(1000))
        const exit = yield* Fiber.await(blocked!).pipe(Effect.timeout("2 seconds"))
        assert.strictEqual(closeCode(exit), "SocketWriteError", how)
        assert.strictEqual(closeCode(yield* Effect.exit(writer.write(Buffer.from("x")))), "SocketWriteError", how)
      }
    }).pipe(Effect.scoped))

  it.live("releasing the writer half-closes: the peer sees EOF, and its bytes still arrive", () =>
    Effect.gen(function*() {
      const { client, socket } = yield* pair()
      const reader = yield* socket.reader
      const scope = yield* Scope.make()
      const writer = yield* Scope.provide(socket.writer, scope)
      yield* writer.write(Buffer.from("bye"))
      yield* Scope.close(scope, Exit.void)
      assert.strictEqual((yield* client.read(3)).toString(), "bye")
      const ended = yield* Effect.callback<void>((resume) => {
        if (client.socket.readableEnded) return resume(Effect.void)
        client.socket.once("end", () => resume(Effect.void))
      })
      assert.isUndefined(ended)
      assert.strictEqual(closeCode(yield* Effect.exit(writer.write(Buffer.from("x")))), "SocketWriteError")
      // The server's reader is untouched by the half-close.
      const pulled = yield* Effect.forkChild(readBytes(reader, 5))
      yield* Effect.sync(() => client.socket.write("still"))
      assert.strictEqual((yield* Fiber.join(pulled)).got, "still")
    }).pipe(Effect.scoped))

  it.live("a writer acquired in the reader's scope ends when that scope closes", () =>
    Effect.gen(function*() {
      const { client, socket } = yield* pair()
      const scope = yield* Scope.make()
      yield* Scope.provide(socket.reader, scope)
      const writer = yield* Scope.provide(socket.writer, scope)
      yield* writer.write(Buffer.from("end"))
      yield* Scope.close(scope, Exit.void)
      assert.strictEqual((yield* client.read(3)).toString(), "end")
      yield* client.closed
    }).pipe(Effect.scoped))

  it.live("a CloseEvent destroys the socket: the peer sees the close, later writes fail", () =>
    Effect.gen(function*() {
      for (const code of [1000, 4000]) {
        const { client, socket } = yield* pair()
        const reader = yield* socket.reader
        const writer = yield* socket.writer
        yield* writer.write(new Socket.CloseEvent(code))
        yield* client.closed
        assert.strictEqual(closeCode(yield* Effect.exit(writer.write(Buffer.from("x")))), "SocketWriteError")
        const exit = yield* Effect.exit(reader.pull)
        assert.isTrue(Exit.isFailure(exit), `code ${code}: the reader is closed too`)
      }
    }).pipe(Effect.scoped))

  it.live("upgrade is refused: TLS is the listener's job", () =>
    Effect.gen(function*() {
      const { socket } = yield* pair()
      const reader = yield* socket.reader
      assert.strictEqual(closeCode(yield* Effect.exit(reader.upgrade())), "SocketUpgradeError")
    }).pipe(Effect.scoped))
})
