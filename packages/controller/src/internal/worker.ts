/**
 * The worker side of multi-worker mode: the IPC channel to the primary (switch sockets in,
 * shared-map calls out, metrics on request, the order to stop), and the bridge that tells
 * the primary which datapaths this worker serves so that a switch reconnecting through
 * another worker does not keep a stale session here.
 *
 * A worker is the single-process runner with three seams replaced: its listener binds
 * nothing and serves the sockets the primary sends it, `Workers.Shared` calls the primary,
 * and it stops when the primary says so (or when the channel closes because the primary is
 * gone, so a worker never outlives it).
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberSet from "effect/FiberSet"
import * as Metric from "effect/Metric"
import * as PubSub from "effect/PubSub"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type * as Net from "node:net"
import { performance as Performance } from "node:perf_hooks"
import type * as Controller from "../Controller.ts"
import type { Datapath } from "../Datapath.ts"
import type * as NodeListener from "../NodeListener.ts"
import * as Workers from "../Workers.ts"
import { isMessage, type SnapshotData, type ToPrimary, type ToWorker, type WorkerInit } from "./ipc.ts"
import type { Backend, Op, OpResult } from "./shared.ts"

/** The worker's end of the channel. */
export interface Channel {
  readonly init: WorkerInit
  /** `Workers.Shared` operations, run by the primary. */
  readonly shared: Backend
  /** The sockets the primary accepted on its listener `index`, for `NodeListener`. */
  readonly connections: (index: number) => NodeListener.ConnectionSource
  /** Tells the primary this worker can take switches. */
  readonly ready: Effect.Effect<void>
  /** Completes when the primary asks this worker to stop, or the channel closes. */
  readonly stopRequested: Effect.Effect<void>
  readonly send: (message: ToPrimary) => void
  /** Installs the handler of the primary's orders to drop a stale datapath session. */
  readonly onDrop: (handler: (dpid: bigint, session: number, by: number) => void) => void
}

const ignore = () => {}

/**
 * Opens the channel in the current scope. Closing the scope stops listening to the
 * primary and disconnects, which lets the process exit once everything else is closed.
 */
export const connect = (init: WorkerInit): Effect.Effect<Channel, never, Scope.Scope> =>
  Effect.gen(function*() {
    const stop = yield* Deferred.make<void>()
    const context = yield* Effect.context<never>()
    // Messages are only sent while the channel is up; an error writing one means the
    // primary is going away, which the "disconnect" event reports on its own.
    const send = (message: ToPrimary): void => {
      if (process.connected) process.send!(message, undefined, {}, ignore)
    }

    // Shared-map calls waiting for the primary's reply, by request id.
    const pending = new Map<number, { readonly map: string; readonly resume: (exit: Exit.Exit<OpResult, Workers.SharedError>) => void }>()
    let nextId = 0
    const hubs = new Map<string, PubSub.PubSub<Workers.Change<Workers.Key, unknown>>>()
    const disconnected = (map: string) => new Workers.SharedError({ reason: new Workers.Disconnected({ map }) })

    // Sockets per listener index; those that arrive before the listener registers (not
    // expected: the primary sends nothing before `ready`) wait in `early`.
    const accepts: Array<((socket: Net.Socket) => void) | undefined> = []
    const early: Array<readonly [number, Net.Socket]> = []
    let dropHandler: ((dpid: bigint, session: number, by: number) => void) | undefined

    const onMessage = (message: unknown, handle: unknown): void => {
      if (!isMessage(message)) return
      const m = message as ToWorker
      switch (m._tag) {
        case "sy:Connection": {
          const socket = handle as Net.Socket | undefined
          if (socket === undefined || typeof socket.once !== "function") return
          // Counted by the primary for least-connections dispatch until it closes,
          // whichever way (served, refused by TLS, destroyed at shutdown).
          socket.once("close", () => send({ _tag: "sy:Closed" }))
          socket.on("error", ignore)
          const accept = accepts[m.listener]
          if (accept !== undefined) accept(socket)
          else early.push([m.listener, socket])
          return
        }
        case "sy:Drop":
          dropHandler?.(m.dpid, m.session, m.by)
          return
        case "sy:SharedReply": {
          const waiter = pending.get(m.id)
          if (waiter === undefined) return
          pending.delete(m.id)
          waiter.resume(Exit.succeed(m.result))
          return
        }
        case "sy:SharedChange": {
          const hub = hubs.get(m.change.map)
          if (hub !== undefined) PubSub.publishUnsafe(hub, m.change.change)
          return
        }
        case "sy:MetricsRequest":
          Effect.runForkWith(context)(Effect.map(Metric.snapshot, (snapshots) =>
            send({ _tag: "sy:Metrics", id: m.id, snapshots: snapshots.map(toData) })
          ))
          return
        case "sy:Shutdown":
          Deferred.doneUnsafe(stop, Effect.void)
          return
      }
    }
    const onDisconnect = () => {
      Deferred.doneUnsafe(stop, Effect.void)
      for (const [id, waiter] of pending) {
        pending.delete(id)
        waiter.resume(Exit.fail(disconnected(waiter.map)))
      }
    }
    yield* Effect.acquireRelease(
      Effect.sync(() => {
        process.on("message", onMessage)
        process.on("disconnect", onDisconnect)
      }),
      () =>
        Effect.sync(() => {
          process.off("message", onMessage)
          process.off("disconnect", onDisconnect)
          for (const [, socket] of early.splice(0)) socket.destroy()
          if (process.connected) process.disconnect()
        })
    )
    yield* Effect.addFinalizer(() => Effect.forEach(hubs.values(), (hub) => PubSub.shutdown(hub), { discard: true }))

    const call = (op: Op): Effect.Effect<OpResult, Workers.SharedError> =>
      Effect.callback<OpResult, Workers.SharedError>((resume) => {
        if (!process.connected) return resume(Effect.fail(disconnected(op.map)))
        const id = ++nextId
        try {
          // Serialization happens here, synchronously: a value that cannot be copied
          // throws before anything is sent.
          process.send!({ _tag: "sy:Shared", id, op } satisfies ToPrimary, undefined, {}, ignore)
        } catch (cause) {
          return resume(Effect.fail(new Workers.SharedError({ reason: new Workers.NotCloneable({ map: op.map, cause }) })))
        }
        pending.set(id, { map: op.map, resume: (exit) => resume(exit) })
        return Effect.sync(() => void pending.delete(id))
      })

    const watch = (map: string) =>
      Effect.suspend(() => {
        const hub = hubs.get(map)
        if (hub !== undefined) return PubSub.subscribe(hub)
        return Effect.flatMap(PubSub.unbounded<Workers.Change<Workers.Key, unknown>>(), (created) => {
          const existing = hubs.get(map)
          if (existing !== undefined) return PubSub.subscribe(existing)
          hubs.set(map, created)
          // Subscribe before asking: the first change can only arrive on a later turn.
          return Effect.tap(PubSub.subscribe(created), () => Effect.sync(() => send({ _tag: "sy:Watch", map })))
        })
      })

    return {
      init,
      shared: { call, watch },
      connections: (index) => (accept) => {
        accepts[index] = accept
        for (let i = 0; i < early.length;) {
          const [listener, socket] = early[i]!
          if (listener === index) {
            early.splice(i, 1)
            accept(socket)
          } else i++
        }
        return () => {
          accepts[index] = (socket) => socket.destroy()
        }
      },
      ready: Effect.sync(() => send({ _tag: "sy:Ready" })),
      stopRequested: Deferred.await(stop),
      send,
      onDrop: (handler) => {
        dropHandler = handler
      }
    }
  })

// A snapshot without prototypes, so that it crosses the channel as plain data.
const toData = (s: Metric.Metric.Snapshot): SnapshotData => ({
  id: s.id,
  type: s.type,
  description: s.description,
  attributes: s.attributes === undefined ? undefined : { ...s.attributes },
  state: s.state
})

/**
 * Reports this worker's datapaths to the primary (each `DatapathUp` is a session numbered
 * here, each `DatapathDown` ends it) and closes a session when the primary says its
 * switch came back through another worker. Runs in the current scope.
 *
 * **Details**
 *
 * A switch that reconnects lands on whichever worker the primary picks, and its old
 * connection may not be known dead yet (a switch that rebooted, a path that failed without
 * a FIN). Within one worker the controller drops the old session when the new one names
 * the same datapath id; across workers the primary does: on the new session's
 * `DatapathUp` it tells the old worker to close the old one, so both are live for at most
 * the new handshake plus one IPC round trip.
 */
export const bridge = (
  channel: Channel,
  controller: Controller.Controller["Service"]
): Effect.Effect<void, never, Scope.Scope> =>
  Effect.gen(function*() {
    const events = yield* controller.datapathEvents(["DatapathUp", "DatapathDown"], { name: "workers" })
    const sessions = new Map<bigint, { readonly session: number; readonly datapath: Datapath }>()
    let nextSession = 0
    yield* events.pipe(
      Stream.runForEach((event) =>
        Effect.sync(() => {
          const dpid = event.datapath.dpid
          if (event._tag === "DatapathUp") {
            const session = ++nextSession
            sessions.set(dpid, { session, datapath: event.datapath })
            // The wall clock, which every process of this machine shares, at sub-millisecond
            // precision: the primary orders sessions of two workers by it.
            channel.send({ _tag: "sy:Up", dpid, session, at: Performance.timeOrigin + Performance.now() })
            return
          }
          const entry = sessions.get(dpid)
          if (entry === undefined || entry.datapath !== event.datapath) return
          sessions.delete(dpid)
          channel.send({ _tag: "sy:Down", dpid, session: entry.session })
        })
      ),
      Effect.forkScoped
    )
    const run = yield* FiberSet.makeRuntime<never>()
    channel.onDrop((dpid, session, by) => {
      const entry = sessions.get(dpid)
      // Already gone, or a newer session of ours since: nothing stale to close.
      if (entry === undefined || entry.session !== session) return
      const reason = `datapath reconnected through worker ${by}`
      run(
        Effect.logInfo(`${reason}: closing its previous connection here`).pipe(
          Effect.andThen(entry.datapath.close({ reason })),
          Effect.annotateLogs({ dpid: entry.datapath.id })
        )
      )
    })
  })
