// Workers.Shared in one process (what the runner provides without --workers, and what an
// app's tests provide): copy semantics, the refusal of values that could not cross to a
// primary, the order of changes, and the subscribe-then-read recipe for a local replica.
// The same maps over IPC are exercised by WorkersProcess.test.ts.
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { Store } from "../src/internal/shared.ts"
import * as Workers from "../src/Workers.ts"

describe("Workers.Shared (in process)", () => {
  it.effect("get, set, delete and entries; maps are independent; a value read back is a copy", () =>
    Effect.gen(function*() {
      const shared = yield* Workers.Shared
      const hosts = shared.map<number, { port: number; seen: Array<number> }>("hosts")
      const other = shared.map<number, string>("other")
      assert.isTrue(Option.isNone(yield* hosts.get(1)))
      const value = { port: 3, seen: [1] }
      yield* hosts.set(1, value)
      // Mutating what was stored, or what was read, changes nothing in the map.
      value.seen.push(2)
      const read = Option.getOrThrow(yield* hosts.get(1))
      assert.deepStrictEqual(read, { port: 3, seen: [1] })
      read.port = 99
      assert.deepStrictEqual(Option.getOrThrow(yield* hosts.get(1)), { port: 3, seen: [1] })
      assert.isTrue(Option.isNone(yield* other.get(1)))
      yield* hosts.set(2, { port: 4, seen: [] })
      assert.deepStrictEqual((yield* hosts.entries).map(([k]) => k), [1, 2])
      assert.isTrue(yield* hosts.delete(1))
      assert.isFalse(yield* hosts.delete(1))
      assert.deepStrictEqual(yield* hosts.entries, [[2, { port: 4, seen: [] }]])
    }).pipe(Effect.provide(Workers.layerLocal)))

  it.effect("keys compare by value, bigint datapath ids included", () =>
    Effect.gen(function*() {
      const switches = (yield* Workers.Shared).map<bigint, number>("switches")
      yield* switches.set(0x42n, 1)
      assert.deepStrictEqual(yield* switches.get(BigInt("0x42")), Option.some(1))
    }).pipe(Effect.provide(Workers.layerLocal)))

  it.effect("a value that could not cross to another process is refused with NotCloneable, as with workers", () =>
    Effect.gen(function*() {
      const map = (yield* Workers.Shared).map<string, unknown>("bad")
      const error = yield* Effect.flip(map.set("f", { handler: () => 1 }))
      assert.strictEqual(error._tag, "SharedError")
      assert.strictEqual(error.reason._tag, "NotCloneable")
      assert.match(error.message, /^shared map "bad": the value cannot be copied/)
      assert.deepStrictEqual(yield* map.entries, [], "nothing was stored")
    }).pipe(Effect.provide(Workers.layerLocal)))

  it.effect("changes arrive in the order they were applied; subscribe, then read entries, then apply: a replica converges", () =>
    Effect.gen(function*() {
      const map = (yield* Workers.Shared).map<string, number>("replica")
      yield* map.set("a", 1)
      const changes = yield* map.changes
      yield* map.set("b", 2)
      yield* map.set("a", 3)
      const snapshot = new Map(yield* map.entries)
      yield* map.delete("b")
      yield* map.set("c", 4)
      const seen = yield* changes.pipe(Stream.take(4), Stream.runCollect)
      assert.deepStrictEqual(seen, [
        { _tag: "Set", key: "b", value: 2 },
        { _tag: "Set", key: "a", value: 3 },
        { _tag: "Delete", key: "b" },
        { _tag: "Set", key: "c", value: 4 }
      ])
      // Applying every change after the snapshot in order gives the map's state, even
      // those the snapshot already contained.
      for (const change of seen) {
        if (change._tag === "Set") snapshot.set(change.key, change.value)
        else snapshot.delete(change.key)
      }
      assert.deepStrictEqual([...snapshot].sort(), (yield* map.entries).map(([k, v]) => [k, v]).sort())
    }).pipe(Effect.provide(Workers.layerLocal)))

  it.effect("a subscription ends with its scope; later changes are not kept for it", () =>
    Effect.gen(function*() {
      const map = (yield* Workers.Shared).map<string, number>("scoped")
      const first = yield* Effect.scoped(Effect.gen(function*() {
        const changes = yield* map.changes
        const fiber = yield* changes.pipe(Stream.take(1), Stream.runCollect, Effect.forkChild)
        yield* map.set("x", 1)
        return yield* Fiber.join(fiber)
      }))
      assert.deepStrictEqual(first, [{ _tag: "Set", key: "x", value: 1 }])
      yield* map.set("y", 2)
      assert.deepStrictEqual((yield* map.entries).length, 2)
    }).pipe(Effect.provide(Workers.layerLocal)))

  it.effect("WorkerInfo is worker 1 of 1 outside multi-worker mode", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* Workers.WorkerInfo, { id: 1, count: 1 })
    }))
})

describe("the shared store (what the primary runs)", () => {
  it("applies operations in order and reports the change each made, for watchers", () => {
    const store = new Store()
    assert.deepStrictEqual(store.apply({ op: "get", map: "m", key: 1 }), { result: { found: false, value: undefined }, change: undefined })
    assert.deepStrictEqual(store.apply({ op: "set", map: "m", key: 1, value: "x" }), {
      result: undefined,
      change: { map: "m", change: { _tag: "Set", key: 1, value: "x" } }
    })
    assert.deepStrictEqual(store.apply({ op: "get", map: "m", key: 1 }).result, { found: true, value: "x" })
    // A stored `undefined` is found, not missing.
    store.apply({ op: "set", map: "m", key: 2, value: undefined })
    assert.deepStrictEqual(store.apply({ op: "get", map: "m", key: 2 }).result, { found: true, value: undefined })
    assert.deepStrictEqual(store.apply({ op: "delete", map: "m", key: 1 }), {
      result: true,
      change: { map: "m", change: { _tag: "Delete", key: 1 } }
    })
    // Deleting what is not there changes nothing, so watchers hear nothing.
    assert.deepStrictEqual(store.apply({ op: "delete", map: "m", key: 1 }), { result: false, change: undefined })
    assert.deepStrictEqual(store.apply({ op: "entries", map: "m" }).result, [[2, undefined]])
    assert.deepStrictEqual(store.apply({ op: "entries", map: "none" }).result, [])
  })
})
