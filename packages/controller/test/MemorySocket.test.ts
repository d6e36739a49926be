import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Scope } from "effect"
import * as Socket from "effect/socket/Socket"
import * as MemorySocket from "../src/MemorySocket.ts"
import { settle } from "./support/ScriptedSwitch.ts"

const bytes = (...xs: Array<number>) => Uint8Array.from(xs)
const closeCode = (exit: Exit.Exit<unknown, Socket.SocketError>): number | string | undefined => {
  if (exit._tag === "Success") return undefined
  const fail = exit.cause.reasons.find((r) => r._tag === "Fail")
  if (fail === undefined || fail._tag !== "Fail") return "not a failure"
  const reason = fail.error.reason
  return reason._tag === "SocketCloseError" ? reason.code : reason._tag
}

describe("MemorySocket", () => {
  it.effect("delivers writes in order, several per pull; a write or a writeAll is one chunk", () =>
    Effect.gen(function*() {
      const [a, b] = MemorySocket.pair()
      const w = yield* a.writer
      const r = yield* b.reader
      yield* w.write(bytes(1, 2))
      yield* w.writeAll([bytes(3), bytes(4, 5)])
      const chunks = yield* r.pull
      assert.deepStrictEqual(chunks.map((c) => [...c]), [[1, 2], [3, 4, 5]])
    }).pipe(Effect.scoped))

  it.effect("copies written bytes: the writer may reuse its buffer", () =>
    Effect.gen(function*() {
      const [a, b] = MemorySocket.pair()
      const w = yield* a.writer
      const r = yield* b.reader
      const buf = bytes(7, 7)
      yield* w.write(buf)
      buf[0] = 9
      const [chunk] = yield* r.pull
      assert.deepStrictEqual([...chunk!], [7, 7])
    }).pipe(Effect.scoped))

  it.effect("a pull waits for data", () =>
    Effect.gen(function*() {
      const [a, b] = MemorySocket.pair()
      const w = yield* a.writer
      const r = yield* b.reader
      const fiber = yield* Effect.forkChild(r.pull)
      yield* settle
      assert.isUndefined(fiber.pollUnsafe())
      yield* w.write(bytes(1))
      const chunks = yield* Fiber.join(fiber)
      assert.deepStrictEqual([...chunks[0]!], [1])
    }).pipe(Effect.scoped))

  it.effect("a write past the high-water mark waits until the reader drains", () =>
    Effect.gen(function*() {
      const [a, b] = MemorySocket.pair({ highWaterMark: 4 })
      const w = yield* a.writer
      const r = yield* b.reader
      yield* w.write(bytes(1, 2, 3, 4))
      const blocked = yield* Effect.forkChild(w.write(bytes(5)))
      yield* settle
      assert.isUndefined(blocked.pollUnsafe(), "the write must wait: 5 bytes unread > 4")
      assert.strictEqual(a.unreadBytesUnsafe(), 5)
      yield* r.pull
      yield* Fiber.join(blocked)
      assert.strictEqual(a.unreadBytesUnsafe(), 0)
    }).pipe(Effect.scoped))

  it.effect("releasing the writer half-closes: the peer reads what is left, then code 1000", () =>
    Effect.gen(function*() {
      const [a, b] = MemorySocket.pair()
      const scope = yield* Scope.make()
      const w = yield* Scope.provide(a.writer, scope)
      const r = yield* b.reader
      yield* w.write(bytes(1))
      yield* Scope.close(scope, Exit.void)
      assert.deepStrictEqual([...(yield* r.pull)[0]!], [1])
      assert.strictEqual(closeCode(yield* Effect.exit(r.pull)), 1000)
      // The other direction still works: half-close is half.
      const wb = yield* b.writer
      const ra = yield* a.reader
      yield* wb.write(bytes(2))
      assert.deepStrictEqual([...(yield* ra.pull)[0]!], [2])
    }).pipe(Effect.scoped))

  it.effect("releasing the reader closes the end: its pull fails 1006, the peer's writes fail, the peer sees EOF", () =>
    Effect.gen(function*() {
      const [a, b] = MemorySocket.pair()
      const scope = yield* Scope.make()
      const ra = yield* Scope.provide(a.reader, scope)
      const wb = yield* b.writer
      const rb = yield* b.reader
      const pending = yield* Effect.forkChild(ra.pull)
      yield* settle
      yield* Scope.close(scope, Exit.void)
      assert.strictEqual(closeCode(yield* Fiber.await(pending)), 1006)
      assert.strictEqual(closeCode(yield* Effect.exit(wb.write(bytes(1)))), "SocketWriteError")
      assert.strictEqual(closeCode(yield* Effect.exit(rb.pull)), 1000)
      assert.isTrue(a.isClosedUnsafe())
    }).pipe(Effect.scoped))

  it.effect("a write waiting for drain fails when the reader goes away", () =>
    Effect.gen(function*() {
      const [a, b] = MemorySocket.pair({ highWaterMark: 1 })
      const w = yield* a.writer
      const scope = yield* Scope.make()
      yield* Scope.provide(b.reader, scope)
      const blocked = yield* Effect.forkChild(w.write(bytes(1, 2, 3)))
      yield* settle
      assert.isUndefined(blocked.pollUnsafe())
      yield* Scope.close(scope, Exit.void)
      assert.strictEqual(closeCode(yield* Fiber.await(blocked)), "SocketWriteError")
    }).pipe(Effect.scoped))

  it.effect("CloseEvent 1000 lets the peer read what was written, then EOF; above 1000 resets at once", () =>
    Effect.gen(function*() {
      const [a, b] = MemorySocket.pair()
      const w = yield* a.writer
      const r = yield* b.reader
      yield* w.write(bytes(1))
      yield* w.write(new Socket.CloseEvent(1000))
      assert.deepStrictEqual([...(yield* r.pull)[0]!], [1])
      assert.strictEqual(closeCode(yield* Effect.exit(r.pull)), 1000)
      assert.strictEqual(closeCode(yield* Effect.exit(w.write(bytes(2)))), "SocketWriteError")

      const [c, d] = MemorySocket.pair()
      const wc = yield* c.writer
      const rd = yield* d.reader
      yield* wc.write(bytes(1))
      yield* wc.write(new Socket.CloseEvent(1006))
      assert.strictEqual(closeCode(yield* Effect.exit(rd.pull)), 1006)
    }).pipe(Effect.scoped))

  it.effect("a reader can be acquired once; awaitClose completes when both directions are done", () =>
    Effect.gen(function*() {
      const [a, b] = MemorySocket.pair()
      const scope = yield* Scope.make()
      yield* Scope.provide(a.reader, scope)
      assert.strictEqual(closeCode(yield* Effect.exit(Effect.scoped(a.reader))), 1000)
      const waiting = yield* Effect.forkChild(a.awaitClose)
      yield* settle
      assert.isUndefined(waiting.pollUnsafe())
      yield* Scope.close(scope, Exit.void)
      const wb = yield* Effect.scoped(b.writer)
      void wb
      yield* Fiber.join(waiting)
      assert.isTrue(a.isClosedUnsafe())
    }).pipe(Effect.scoped))
})
