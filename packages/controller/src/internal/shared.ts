/**
 * The store behind `Workers.Shared`: named maps of copied values, the operations on them,
 * and the typed service built over any backend that runs those operations (in this
 * process, or in the multi-worker primary over IPC).
 *
 * One store, two places to keep it: with one process the maps live here; with
 * `--workers N` they live in the primary, and every worker's operations travel over the
 * IPC channel. Values are copied in both cases (structured clone), so an app tested in one
 * process sees the semantics it gets with workers: a value read back is a copy, and a value
 * that cannot cross a process boundary (a function, a socket) is refused in both modes.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as PubSub from "effect/PubSub"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type * as Workers from "../Workers.ts"

/** One operation on a named map, as it crosses the IPC channel. */
export type Op =
  | { readonly op: "get"; readonly map: string; readonly key: Workers.Key }
  | { readonly op: "set"; readonly map: string; readonly key: Workers.Key; readonly value: unknown }
  | { readonly op: "delete"; readonly map: string; readonly key: Workers.Key }
  | { readonly op: "entries"; readonly map: string }

/** A change to a named map, as delivered to watchers. */
export interface ChangeMessage {
  readonly map: string
  readonly change: Workers.Change<Workers.Key, unknown>
}

/**
 * The result of an operation: `get` gives `{ found, value }`, `delete` whether the key
 * was there, `entries` the pairs, `set` nothing.
 */
export type OpResult =
  | { readonly found: boolean; readonly value: unknown }
  | boolean
  | ReadonlyArray<readonly [Workers.Key, unknown]>
  | undefined

/**
 * The maps themselves. `apply` runs one operation and returns its result and the change
 * it made (for watchers), in the order operations are applied: the order every watcher
 * sees.
 */
export class Store {
  private readonly maps = new Map<string, Map<Workers.Key, unknown>>()

  apply(op: Op): { readonly result: OpResult; readonly change: ChangeMessage | undefined } {
    const map = this.maps.get(op.map)
    switch (op.op) {
      case "get": {
        const found = map !== undefined && map.has(op.key)
        return { result: { found, value: found ? map.get(op.key) : undefined }, change: undefined }
      }
      case "set": {
        let target = map
        if (target === undefined) this.maps.set(op.map, target = new Map())
        target.set(op.key, op.value)
        return { result: undefined, change: { map: op.map, change: { _tag: "Set", key: op.key, value: op.value } } }
      }
      case "delete": {
        const existed = map !== undefined && map.delete(op.key)
        if (map !== undefined && map.size === 0) this.maps.delete(op.map)
        return {
          result: existed,
          change: existed ? { map: op.map, change: { _tag: "Delete", key: op.key } } : undefined
        }
      }
      case "entries":
        return { result: map === undefined ? [] : [...map], change: undefined }
    }
  }
}

/** Where the operations run: `call` performs one, `watch` subscribes to a map's changes. */
export interface Backend {
  readonly call: (op: Op) => Effect.Effect<OpResult, Workers.SharedError>
  readonly watch: (
    map: string
  ) => Effect.Effect<PubSub.Subscription<Workers.Change<Workers.Key, unknown>>, Workers.SharedError, Scope.Scope>
}

/** The typed `Shared` service over a backend. */
export const makeService = (backend: Backend): Workers.Shared["Service"] => ({
  map: <K extends Workers.Key, V>(name: string): Workers.SharedMap<K, V> => ({
    name,
    get: (key) =>
      Effect.map(backend.call({ op: "get", map: name, key }), (r) => {
        const { found, value } = r as { found: boolean; value: V }
        return found ? Option.some(value) : Option.none()
      }),
    set: (key, value) => Effect.asVoid(backend.call({ op: "set", map: name, key, value })),
    delete: (key) => Effect.map(backend.call({ op: "delete", map: name, key }), (r) => r as boolean),
    entries: Effect.map(
      backend.call({ op: "entries", map: name }),
      (r) => r as ReadonlyArray<readonly [K, V]>
    ),
    changes: Effect.map(
      backend.watch(name),
      (subscription) => Stream.fromSubscription(subscription) as Stream.Stream<Workers.Change<K, V>>
    )
  })
})

/**
 * A backend in this process: the store, values copied in and out with `structuredClone`,
 * changes published to an unbounded `PubSub` per map. Built in the caller's scope, which
 * shuts the `PubSub`s down when it closes.
 */
export const localBackend = (
  cloneError: (map: string, cause: unknown) => Workers.SharedError
): Effect.Effect<Backend, never, Scope.Scope> =>
  Effect.gen(function*() {
    const store = new Store()
    const hubs = new Map<string, PubSub.PubSub<Workers.Change<Workers.Key, unknown>>>()
    yield* Effect.addFinalizer(() =>
      Effect.forEach(hubs.values(), (hub) => PubSub.shutdown(hub), { discard: true })
    )
    const hubOf = (map: string) =>
      Effect.suspend(() => {
        const hub = hubs.get(map)
        if (hub !== undefined) return Effect.succeed(hub)
        return Effect.map(PubSub.unbounded<Workers.Change<Workers.Key, unknown>>(), (created) => {
          const existing = hubs.get(map)
          if (existing !== undefined) return existing
          hubs.set(map, created)
          return created
        })
      })
    const call = (op: Op): Effect.Effect<OpResult, Workers.SharedError> =>
      Effect.suspend(() => {
        let input = op
        if (op.op === "set") {
          try {
            input = { ...op, value: structuredClone(op.value) }
          } catch (cause) {
            return Effect.fail(cloneError(op.map, cause))
          }
        }
        const { change, result } = store.apply(input)
        if (change !== undefined) {
          const hub = hubs.get(change.map)
          // Each watcher gets its own copy, as it would from the primary.
          if (hub !== undefined) PubSub.publishUnsafe(hub, structuredClone(change.change))
        }
        // Values leave the store as copies: mutating what `get` returned changes nothing.
        return Effect.succeed(
          op.op === "get" || op.op === "entries" ? structuredClone(result) : result
        )
      })
    return {
      call,
      watch: (map) => Effect.flatMap(hubOf(map), PubSub.subscribe)
    }
  })
