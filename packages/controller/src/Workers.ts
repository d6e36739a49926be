/**
 * Multi-worker mode as apps see it: which worker process an app runs in, and maps shared
 * by every worker through the primary process.
 *
 * With `--workers N` the runner starts a primary process that owns the listening sockets
 * and N worker processes, each running the whole controller and every app for the
 * switches it was handed. That spreads the work over cores, and it splits what used to be
 * one memory: an app's `Map` in worker 1 is not the same `Map` in worker 2. State kept per
 * datapath (a learning switch's MAC table) needs nothing more, since a switch is served by
 * one worker at a time. State that must span datapaths (a host table for the whole
 * network, a topology) needs one owner: `Shared` maps live in the primary, and every
 * worker reads and writes them over the IPC channel, in one order. With one process the
 * same service keeps the maps in process, with the same copy semantics, so an app behaves
 * alike in both modes and is tested without workers.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import type * as Stream from "effect/Stream"
import * as Shared_ from "./internal/shared.ts"

/**
 * Which worker this is.
 *
 * @category models
 * @since 0.1.0
 */
export interface WorkerInfo {
  /** 1 to `count`; stays the same when the primary restarts a worker. */
  readonly id: number
  /** The number of workers (`--workers`); 1 in a single process. */
  readonly count: number
}

/**
 * The worker an app runs in, as a context reference: `{ id: 1, count: 1 }` in a single
 * process (and wherever the runner did not provide one, e.g. tests).
 *
 * **When to use**
 *
 * To label what an app logs or exports, or to give each worker a share of some work that
 * is not tied to a switch (a poller of an external system runs in worker 1 only).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Workers } from "@switchyard/controller"
 *
 * const program = Effect.gen(function*() {
 *   const { count, id } = yield* Workers.WorkerInfo
 *   if (id === 1) yield* Effect.logInfo(`first of ${count} workers`)
 * })
 * ```
 *
 * @category services
 * @since 0.1.0
 */
export const WorkerInfo: Context.Reference<WorkerInfo> = Context.Reference<WorkerInfo>(
  "@switchyard/controller/Workers/WorkerInfo",
  { defaultValue: () => ({ id: 1, count: 1 }) }
)

/**
 * The keys a shared map accepts: primitives, compared by value (a datapath id as a
 * `bigint`, a MAC address as a number, a name).
 *
 * @category models
 * @since 0.1.0
 */
export type Key = string | number | bigint | boolean

/**
 * A change to a shared map, as `SharedMap.changes` delivers it.
 *
 * @category models
 * @since 0.1.0
 */
export type Change<K, V> =
  | { readonly _tag: "Set"; readonly key: K; readonly value: V }
  | { readonly _tag: "Delete"; readonly key: K }

/**
 * One named map of the `Shared` service.
 *
 * **Details**
 *
 * Every operation is applied by the map's single owner (the primary with workers, this
 * process without), one at a time, so all workers see one order of changes: the last
 * `set` of a key wins, and a `get` after a `set` that completed, from any worker, sees it.
 * Values are copied (structured clone: primitives, `bigint`, plain objects and arrays,
 * `Map`, `Set`, `Date`, typed arrays); a class instance comes back as a plain object, and
 * a value that cannot be copied (a function, a socket) fails with `NotCloneable`.
 *
 * **Gotchas**
 *
 * With workers each operation is one IPC round trip (tens of microseconds): fine for what
 * changes when a host or a switch appears, not for every packet. Keep a local copy for
 * the packet path and follow `changes` (subscribe first, then read `entries`, then apply
 * the changes in order: a change may repeat what `entries` already showed, never undo it).
 * `changes` buffers without bound, so its consumer must keep up.
 *
 * @category models
 * @since 0.1.0
 */
export interface SharedMap<K extends Key, V> {
  readonly name: string
  /** The value under `key`, if any (a copy). */
  readonly get: (key: K) => Effect.Effect<Option.Option<V>, SharedError>
  /** Stores a copy of `value` under `key`; watchers see the change before this completes. */
  readonly set: (key: K, value: V) => Effect.Effect<void, SharedError>
  /** Removes `key`; `true` if it was there. */
  readonly delete: (key: K) => Effect.Effect<boolean, SharedError>
  /** Every entry, in insertion order (copies). */
  readonly entries: Effect.Effect<ReadonlyArray<readonly [K, V]>, SharedError>
  /**
   * Subscribes to the map's changes from now on (this worker's own included) until the
   * scope closes; every worker sees the same order.
   */
  readonly changes: Effect.Effect<Stream.Stream<Change<K, V>>, SharedError, Scope.Scope>
}

/**
 * Maps shared by every worker, kept by the primary process (or by this process when there
 * are no workers).
 *
 * **When to use**
 *
 * For state an app needs across datapaths that may be served by different workers: a
 * network-wide host table (MAC → datapath and port), the links of a topology, a
 * configuration pushed at run time. State per datapath needs none of this.
 *
 * **Details**
 *
 * `Runner.runMain` provides it to every app: in process with one worker, over IPC to the
 * primary with more. Without the runner (tests, embedding), provide `layerLocal`. Maps
 * outlive the workers that wrote them: a worker that dies and is restarted finds them as
 * they were.
 *
 * @example
 * ```ts
 * import { Controller, Workers } from "@switchyard/controller"
 * import { Effect, Layer, Stream } from "effect"
 *
 * // Every switch that comes up, network-wide, whichever worker serves it.
 * export const Inventory = Layer.effectDiscard(Effect.gen(function*() {
 *   const controller = yield* Controller.Controller
 *   const shared = yield* Workers.Shared
 *   const switches = shared.map<bigint, { readonly worker: number; readonly ports: number }>("switches")
 *   const { id } = yield* Workers.WorkerInfo
 *   const ups = yield* controller.datapathEvents("DatapathUp")
 *   yield* ups.pipe(
 *     Stream.runForEach(({ datapath }) =>
 *       switches.set(datapath.dpid, { worker: id, ports: datapath.ports.size }).pipe(Effect.orDie)
 *     ),
 *     Effect.forkScoped
 *   )
 * }))
 * ```
 *
 * @category services
 * @since 0.1.0
 */
export class Shared extends Context.Service<Shared, {
  /** The map called `name` (created on first write); the types are the caller's promise. */
  readonly map: <K extends Key, V>(name: string) => SharedMap<K, V>
}>()("@switchyard/controller/Workers/Shared") {}

/**
 * A value could not be copied to the map's owner (a function, a socket, a value holding
 * one).
 *
 * @category errors
 * @since 0.1.0
 */
export class NotCloneable extends Data.TaggedError("NotCloneable")<{
  readonly map: string
  readonly cause: unknown
}> {
  override get message(): string {
    return `shared map "${this.map}": the value cannot be copied: ${
      this.cause instanceof Error ? this.cause.message : String(this.cause)
    }`
  }
}

/**
 * The channel to the primary is closed: the worker is shutting down (or its primary died).
 *
 * @category errors
 * @since 0.1.0
 */
export class Disconnected extends Data.TaggedError("Disconnected")<{
  readonly map: string
}> {
  override get message(): string {
    return `shared map "${this.map}": the channel to the primary is closed`
  }
}

/**
 * The error of `Shared` operations; `reason` says which: `Effect.catchReason("SharedError",
 * "Disconnected", …)`.
 *
 * @category errors
 * @since 0.1.0
 */
export class SharedError extends Data.TaggedError("SharedError")<{
  readonly reason: NotCloneable | Disconnected
}> {
  override get message(): string {
    return this.reason.message
  }
}

/**
 * `Shared` kept in this process: what the runner provides with one worker, and what tests
 * of an app that uses shared maps provide.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Workers } from "@switchyard/controller"
 *
 * const program = Effect.gen(function*() {
 *   const hosts = (yield* Workers.Shared).map<number, string>("hosts")
 *   yield* hosts.set(0x0200_0000_0001, "h1")
 *   return yield* hosts.get(0x0200_0000_0001) // Option.some("h1")
 * }).pipe(Effect.provide(Workers.layerLocal))
 * ```
 *
 * @category layers
 * @since 0.1.0
 */
export const layerLocal: Layer.Layer<Shared> = Layer.effect(Shared)(
  Effect.map(
    Shared_.localBackend((map, cause) => new SharedError({ reason: new NotCloneable({ map, cause }) })),
    Shared_.makeService
  )
)
