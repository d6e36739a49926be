/**
 * The primary of multi-worker mode (`--workers N`): it binds the listening sockets, starts
 * N worker processes, hands each accepted switch to the least loaded one, keeps the
 * registry of which worker serves which datapath, hosts the shared maps, serves the
 * merged metrics, restarts a worker that dies, and shuts everything down in order.
 *
 * Handing switches out is the awkward part. A datapath id is only known once a switch is
 * through its handshake, long after the socket had to be given to someone, so the primary
 * cannot route by datapath: it balances connections, and reconciles identities afterwards
 * (a switch that reconnects through another worker gets its stale session closed in the
 * first). Letting every worker accept on a shared socket instead leaves the spread to the
 * kernel's wake-ups, which is lopsided for the handful of switches a controller often has
 * (see the README, "Multi-worker mode"); `SO_REUSEPORT` spreads by a hash of the address,
 * no better for a few switches, and drops what waits in a closing worker's queue. The cost
 * of dispatching is one IPC message with a file descriptor per connection, paid at connect
 * time only: after that the switch's bytes go straight to its worker.
 */
import * as Data from "effect/Data"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import type * as Scope from "effect/Scope"
import * as ChildProcess from "node:child_process"
import * as Net from "node:net"
import * as Tls from "node:tls"
import * as ControllerConfig from "../ControllerConfig.ts"
import * as Listener from "../Listener.ts"
import * as Metrics from "../Metrics.ts"
import * as NodeListener from "../NodeListener.ts"
import { isMessage, type SnapshotData, type ToPrimary, type ToWorker, WORKER_ENV, type WorkerInit } from "./ipc.ts"
import { Store } from "./shared.ts"

/** Why the primary stopped before serving; the runner turns it into a `RunnerError`. */
export class PrimaryError extends Data.TaggedError("PrimaryError")<{
  readonly message: string
  readonly exitCode: number
}> {}

/** How to start a worker: the program's own entry point, run again with the same flags. */
export interface Options {
  readonly config: ControllerConfig.ControllerConfig
  readonly script: string
  readonly args: ReadonlyArray<string>
  readonly execArgv: ReadonlyArray<string>
  readonly env: Readonly<Record<string, string | undefined>>
  /** How long a worker has to close its switches when asked to stop, before SIGKILL. */
  readonly stopTimeout?: Duration.Input | undefined
}

export interface Slot {
  /** 1 to count. */
  readonly id: number
  child: ChildProcess.ChildProcess | undefined
  ready: boolean
  /** Sockets handed to the worker and not closed yet. */
  connections: number
  /** Processes started for this slot so far (more than 1 after a restart). */
  starts: number
}

export interface BoundListener {
  readonly transport: "tcp" | "tls"
  readonly label: string
  readonly server: Net.Server
}

// First restart delay; it doubles with each exit that follows a short run, up to the max.
const RESTART_BASE_MS = 250
const RESTART_MAX_MS = 30_000
// A worker that served this long before exiting starts the back-off afresh.
const STABLE_MS = 60_000
const METRICS_TIMEOUT = "2 seconds"
// Sockets accepted while no worker can take them wait at most this many; beyond, refused.
const MAX_PENDING = 4096

const ignore = () => {}

/**
 * Runs the primary until interrupted. Order: check the TLS files, bind every listening
 * socket (a port in use fails here, before any worker starts), start the workers, and once
 * all have built their apps hand out the connections that waited meanwhile, log the
 * addresses, and serve metrics if asked. Interruption stops accepting, asks every worker
 * to close its switches and apps and waits for them, then closes the sockets.
 */
export const run = (options: Options): Effect.Effect<never, PrimaryError> =>
  Effect.gen(function*() {
    const { config } = options
    const count = config.workers
    yield* checkTls(config)
    const listeners = yield* bindAll(config)
    const context = yield* Effect.context<never>()
    const runEffect = (effect: Effect.Effect<void>) => void Effect.runForkWith(context)(effect)
    const pool = new Pool(count, listeners, Duration.toMillis(config.handshakeTimeout), runEffect)
    for (let i = 0; i < listeners.length; i++) {
      const index = i
      listeners[i]!.server.on("connection", (socket: Net.Socket) => pool.accept(index, socket))
    }

    const allReady = yield* Deferred.make<void, PrimaryError>()
    const init = (id: number): WorkerInit => ({
      id,
      count,
      listeners: listeners.map((l) => ({ transport: l.transport, label: l.label }))
    })
    const stopMillis = Duration.toMillis(Duration.fromInputUnsafe(options.stopTimeout ?? "10 seconds"))
    for (const slot of pool.slots) {
      yield* Effect.forkScoped(supervise(slot, pool, options, init(slot.id), allReady, stopMillis))
    }
    // Finalizers run in reverse: first stop accepting (and refuse what waits), then stop
    // every worker at once, and only then let the supervisors go.
    yield* Effect.addFinalizer(() => stopAll(pool, stopMillis))
    yield* Effect.addFinalizer(() =>
      Effect.andThen(
        Effect.logInfo("shutting down"),
        Effect.sync(() => {
          pool.stopping = true
          for (const l of listeners) l.server.close()
          pool.refusePending()
        })
      )
    )

    yield* Deferred.await(allReady)
    pool.open()
    for (const l of listeners) yield* Effect.logInfo(`listening on ${l.label}`)
    yield* Effect.logInfo(
      `${count} workers serving (pids ${pool.slots.map((s) => s.child?.pid ?? "?").join(", ")})`
    )
    if (config.metricsPort !== undefined) {
      const http = yield* Effect.promise(() => import("./metricsHttp.ts"))
      yield* Layer.build(
        http.layer({ host: config.metricsHost, port: config.metricsPort }, Metrics.prometheus, pool.snapshots)
      ).pipe(
        Effect.mapError((error) =>
          new PrimaryError({
            message: `cannot serve metrics on port ${config.metricsPort}: ${describe(error)}`,
            exitCode: 1
          })
        )
      )
    }
    return yield* Effect.never
  }).pipe(Effect.scoped)

const describe = (error: unknown): string => {
  const cause = (error as { cause?: unknown }).cause
  return cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error)
}

// The workers load the TLS files themselves; checking them here first makes a bad file
// one line and exit code 1, as in a single process, instead of N workers failing.
const checkTls = (config: ControllerConfig.ControllerConfig): Effect.Effect<void, PrimaryError> =>
  Effect.gen(function*() {
    if (!ControllerConfig.tlsEnabled(config)) return
    const options = yield* NodeListener.optionsFromConfig(config).pipe(
      Effect.mapError((error) => new PrimaryError({ message: error.message, exitCode: 1 }))
    )
    const tls = options.tls!
    yield* Effect.try({
      try: () =>
        Tls.createSecureContext({
          key: Buffer.from(tls.key),
          cert: Buffer.from(tls.cert),
          ...(tls.ca === undefined ? {} : { ca: Buffer.from(tls.ca) })
        }),
      catch: (cause) =>
        new PrimaryError({
          message: new Listener.TlsConfigError({ path: undefined, cause }).message,
          exitCode: 1
        })
    })
  })

// Binds every listening socket of the configuration. Sockets are accepted paused, so the
// primary never reads a byte: the worker that gets a socket reads it from the start.
const bindAll = (
  config: ControllerConfig.ControllerConfig
): Effect.Effect<ReadonlyArray<BoundListener>, PrimaryError, Scope.Scope> =>
  Effect.forEach(ControllerConfig.listenAddresses(config), (address) =>
    Effect.acquireRelease(
      Effect.callback<BoundListener, PrimaryError>((resume) => {
        const server = Net.createServer({ pauseOnConnect: true })
        const wanted = `${address.transport}:${address.host}:${address.port}`
        const onError = (cause: Error) => {
          server.off("listening", onListening)
          resume(Effect.fail(
            new PrimaryError({ message: new Listener.BindError({ address: wanted, cause }).message, exitCode: 1 })
          ))
        }
        const onListening = () => {
          server.off("error", onError)
          const bound = server.address()
          const label = bound === null || typeof bound === "string"
            ? wanted
            : `${address.transport}:${Listener.formatHostPort(bound.address, bound.port)}`
          resume(Effect.succeed({ transport: address.transport, label, server }))
        }
        server.once("error", onError)
        server.once("listening", onListening)
        if (address.host === "") server.listen({ port: address.port })
        else server.listen({ host: address.host, port: address.port })
      }),
      // Closing releases the port at once. Node's close callback would also wait for
      // every socket handed to a worker, which the workers close on their own.
      (l) => Effect.sync(() => l.server.close())
    ))

/** The plain, synchronous state of the primary: workers, dispatch, registry, shared maps. */
export class Pool {
  readonly slots: Array<Slot>
  /** Set once every worker has started: until then accepted sockets wait, for an even spread. */
  private accepting = false
  stopping = false
  private cursor = 0
  private readonly pending: Array<{ readonly index: number; readonly socket: Net.Socket; readonly timer: NodeJS.Timeout }> = []
  /** Which worker serves each datapath, and its session number there. */
  readonly registry = new Map<bigint, { readonly worker: number; readonly session: number; readonly at: number }>()
  private readonly store = new Store()
  private readonly watchers = new Map<string, Set<number>>()
  private readonly metricWaiters = new Map<number, { readonly worker: number; readonly resume: (s: ReadonlyArray<SnapshotData>) => void }>()
  private nextMetricsId = 0

  constructor(
    count: number,
    readonly listeners: ReadonlyArray<BoundListener>,
    private readonly pendingTimeoutMs: number,
    readonly runEffect: (effect: Effect.Effect<void>) => void
  ) {
    this.slots = Array.from({ length: count }, (_, i) => ({ id: i + 1, child: undefined, ready: false, connections: 0, starts: 0 }))
  }

  /** Every worker has started: hand out what waited. */
  open(): void {
    this.accepting = true
    this.flush()
  }

  accept(index: number, socket: Net.Socket): void {
    socket.on("error", ignore)
    if (this.stopping) {
      socket.destroy()
      return
    }
    const slot = this.accepting ? this.pick() : undefined
    if (slot !== undefined) return this.hand(slot, index, socket)
    if (this.pending.length >= MAX_PENDING) {
      socket.destroy()
      return
    }
    // A switch waits at most as long as its handshake may take; it will redial.
    const timer = setTimeout(() => {
      const at = this.pending.findIndex((p) => p.socket === socket)
      if (at !== -1) this.pending.splice(at, 1)
      socket.destroy()
    }, this.pendingTimeoutMs)
    timer.unref()
    this.pending.push({ index, socket, timer })
  }

  refusePending(): void {
    for (const p of this.pending.splice(0)) {
      clearTimeout(p.timer)
      p.socket.destroy()
    }
  }

  private flush(): void {
    while (this.accepting && this.pending.length > 0) {
      const slot = this.pick()
      if (slot === undefined) return
      const p = this.pending.shift()!
      clearTimeout(p.timer)
      if (p.socket.destroyed) continue
      this.hand(slot, p.index, p.socket)
    }
  }

  // The ready worker with the fewest open connections; ties go round-robin, so a burst
  // of switches at start-up alternates between workers.
  private pick(): Slot | undefined {
    const n = this.slots.length
    let best: Slot | undefined
    for (let k = 0; k < n; k++) {
      const slot = this.slots[(this.cursor + k) % n]!
      if (slot.ready && (best === undefined || slot.connections < best.connections)) best = slot
    }
    if (best !== undefined) this.cursor = best.id % n
    return best
  }

  private hand(slot: Slot, index: number, socket: Net.Socket): void {
    const child = slot.child!
    slot.connections++
    // Sending closes the primary's copy of the socket; if the worker is gone meanwhile,
    // the connection is dropped and the switch redials.
    child.send({ _tag: "sy:Connection", listener: index } satisfies ToWorker, socket, {}, (error) => {
      if (error !== null && error !== undefined) {
        slot.connections = Math.max(0, slot.connections - 1)
        socket.destroy()
      }
    })
  }

  private sendTo(worker: number, message: ToWorker): void {
    const child = this.slots[worker - 1]?.child
    if (child !== undefined && child.connected) child.send(message, undefined, {}, ignore)
  }

  /** A worker became ready (at start or after a restart). */
  ready(slot: Slot): void {
    slot.ready = true
    this.runEffect(Metric.update(Metrics.workersReady, this.readyCount()))
    this.flush()
  }

  /** A worker exited: forget what it served and what it watched. */
  gone(slot: Slot): void {
    if (slot.ready) this.runEffect(Metric.update(Metrics.workersReady, this.readyCount() - 1))
    slot.ready = false
    slot.child = undefined
    slot.connections = 0
    for (const [dpid, entry] of this.registry) if (entry.worker === slot.id) this.registry.delete(dpid)
    for (const set of this.watchers.values()) set.delete(slot.id)
    for (const [id, waiter] of this.metricWaiters) {
      if (waiter.worker === slot.id) {
        this.metricWaiters.delete(id)
        waiter.resume([])
      }
    }
  }

  readyCount(): number {
    let n = 0
    for (const slot of this.slots) if (slot.ready) n++
    return n
  }

  onMessage(slot: Slot, message: unknown): void {
    if (!isMessage(message)) return
    const m = message as ToPrimary
    switch (m._tag) {
      case "sy:Closed":
        slot.connections = Math.max(0, slot.connections - 1)
        return
      case "sy:Up": {
        const previous = this.registry.get(m.dpid)
        if (previous === undefined || previous.worker === slot.id) {
          // The same worker's controller closes its own stale session.
          if (previous === undefined || m.at >= previous.at) {
            this.registry.set(m.dpid, { worker: slot.id, session: m.session, at: m.at })
          }
          return
        }
        // Two workers serve the same datapath id: the session whose handshake completed
        // last wins, as within one process, whichever report reached us first; the other
        // is closed on our word.
        const fresh = { worker: slot.id, session: m.session, at: m.at }
        const [winner, loser] = m.at >= previous.at ? [fresh, previous] : [previous, fresh]
        this.registry.set(m.dpid, winner)
        this.runEffect(Effect.logDebug(
          `datapath ${dpidText(m.dpid)} up in workers ${loser.worker} and ${winner.worker}: keeping worker ${winner.worker}'s`
        ))
        this.sendTo(loser.worker, { _tag: "sy:Drop", dpid: m.dpid, session: loser.session, by: winner.worker })
        return
      }
      case "sy:Down": {
        const current = this.registry.get(m.dpid)
        if (current !== undefined && current.worker === slot.id && current.session === m.session) {
          this.registry.delete(m.dpid)
        }
        return
      }
      case "sy:Shared": {
        const { change, result } = this.store.apply(m.op)
        // Watchers first, then the reply: a worker that follows the map has its own
        // change in its stream by the time its `set` completes.
        if (change !== undefined) {
          const watching = this.watchers.get(change.map)
          if (watching !== undefined) {
            for (const worker of watching) this.sendTo(worker, { _tag: "sy:SharedChange", change })
          }
        }
        this.sendTo(slot.id, { _tag: "sy:SharedReply", id: m.id, result })
        return
      }
      case "sy:Watch": {
        let set = this.watchers.get(m.map)
        if (set === undefined) this.watchers.set(m.map, set = new Set())
        set.add(slot.id)
        return
      }
      case "sy:Metrics": {
        const waiter = this.metricWaiters.get(m.id)
        if (waiter === undefined) return
        this.metricWaiters.delete(m.id)
        waiter.resume(m.snapshots)
        return
      }
      case "sy:Ready":
        return
    }
  }

  private workerSnapshots(slot: Slot): Effect.Effect<ReadonlyArray<Metric.Metric.Snapshot>> {
    return Effect.callback<ReadonlyArray<SnapshotData>>((resume) => {
      const id = ++this.nextMetricsId
      this.metricWaiters.set(id, { worker: slot.id, resume: (s) => resume(Effect.succeed(s)) })
      this.sendTo(slot.id, { _tag: "sy:MetricsRequest", id })
      return Effect.sync(() => void this.metricWaiters.delete(id))
    }).pipe(
      Effect.timeoutOrElse({ duration: METRICS_TIMEOUT, orElse: () => Effect.succeed([]) }),
      // Every series of a worker gets its `worker` label, so that the same series of two
      // workers stay apart.
      Effect.map((snapshots) =>
        snapshots.map((s) => ({ ...s, attributes: { ...s.attributes, worker: String(slot.id) } }) as Metric.Metric.Snapshot)
      )
    )
  }

  /** The primary's own series and every ready worker's, for the metrics endpoint. */
  readonly snapshots: Effect.Effect<ReadonlyArray<Metric.Metric.Snapshot>> = Effect.suspend(() =>
    Effect.map(
      Effect.all([
        Metric.snapshot,
        Effect.forEach(this.slots.filter((s) => s.ready), (slot) => this.workerSnapshots(slot), {
          concurrency: "unbounded"
        })
      ]),
      ([own, workers]) => [...own, ...workers.flat()]
    )
  )
}

const dpidText = (dpid: bigint): string => dpid.toString(16).padStart(16, "0")

// Runs worker `slot` for as long as the primary runs: start it, wait until it is ready,
// wait until it exits, and start it again after a back-off, unless the primary is
// stopping. A worker that exits before it was ever ready during the first start fails the
// whole primary: its apps cannot be built, and restarting would only repeat that.
const supervise = (
  slot: Slot,
  pool: Pool,
  options: Options,
  init: WorkerInit,
  allReady: Deferred.Deferred<void, PrimaryError>,
  stopMillis: number
): Effect.Effect<void> =>
  Effect.gen(function*() {
    let failures = 0
    while (true) {
      const started = Date.now()
      const outcome = yield* Effect.scoped(runWorker(slot, pool, options, init, allReady, stopMillis))
      if (pool.stopping) return
      if (!outcome.wasReady && !(yield* Deferred.isDone(allReady))) {
        yield* Deferred.fail(
          allReady,
          new PrimaryError({
            message: `worker ${slot.id} exited during start-up (${exitText(outcome)})`,
            exitCode: outcome.code !== null && outcome.code !== 0 ? outcome.code : 1
          })
        )
        return
      }
      failures = Date.now() - started >= STABLE_MS ? 0 : failures + 1
      const delay = Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** Math.max(0, failures - 1))
      yield* Metric.update(Metric.withAttributes(Metrics.workerRestarts, { worker: String(slot.id) }), 1)
      yield* Effect.logWarning(
        `worker ${slot.id} (pid ${outcome.pid ?? "?"}) ${exitText(outcome)}; restarting it in ${delay} ms`
      )
      yield* Effect.sleep(delay)
    }
  })

interface Outcome {
  readonly pid: number | undefined
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly error: Error | undefined
  readonly wasReady: boolean
}

const exitText = (o: Outcome): string =>
  o.error !== undefined
    ? `could not start: ${o.error.message}`
    : o.signal !== null
    ? `was killed by ${o.signal}`
    : `exited with code ${o.code}`

// One life of a worker process, in a scope whose closing stops it.
const runWorker = (
  slot: Slot,
  pool: Pool,
  options: Options,
  init: WorkerInit,
  allReady: Deferred.Deferred<void, PrimaryError>,
  stopMillis: number
): Effect.Effect<Outcome, never, Scope.Scope> =>
  Effect.gen(function*() {
    const exited = yield* Deferred.make<Outcome>()
    let wasReady = false
    const child = yield* Effect.acquireRelease(
      Effect.sync(() => {
        const child = ChildProcess.fork(options.script, [...options.args], {
          env: { ...options.env, [WORKER_ENV]: JSON.stringify(init) },
          execArgv: [...options.execArgv],
          serialization: "advanced",
          stdio: ["ignore", "inherit", "inherit", "ipc"],
          // Its own process group: Ctrl-C in a terminal reaches the primary only, which
          // then stops the workers in order. A worker still stops if the primary dies,
          // when the IPC channel closes.
          detached: true
        })
        slot.child = child
        slot.connections = 0
        slot.starts++
        const finish = (code: number | null, signal: NodeJS.Signals | null, error: Error | undefined) => {
          if (slot.child === child) pool.gone(slot)
          Deferred.doneUnsafe(exited, Effect.succeed({ pid: child.pid, code, signal, error, wasReady }))
        }
        child.on("message", (message: unknown) => {
          if (isMessage(message) && message._tag === "sy:Ready") {
            wasReady = true
            if (slot.starts > 1) pool.runEffect(Effect.logInfo(`worker ${slot.id} restarted (pid ${child.pid ?? "?"})`))
            pool.ready(slot)
            if (pool.readyCount() === pool.slots.length) Deferred.doneUnsafe(allReady, Effect.void)
            return
          }
          pool.onMessage(slot, message)
        })
        child.once("exit", (code, signal) => finish(code, signal, undefined))
        child.once("error", (error) => {
          // A process that could not be spawned never emits "exit".
          if (child.pid === undefined) finish(null, null, error)
        })
        return child
      }),
      (child) => stopWorker(child, stopMillis)
    )
    yield* Effect.logDebug(`worker ${slot.id} started (pid ${child.pid ?? "?"})`)
    return yield* Deferred.await(exited)
  })

// Asks every live worker to stop, all at once, and waits for each (SIGKILL after the
// timeout).
const stopAll = (pool: Pool, stopMillis: number): Effect.Effect<void> =>
  Effect.suspend(() => {
    pool.stopping = true
    const children = pool.slots.flatMap((s) => (s.child === undefined ? [] : [s.child]))
    return Effect.forEach(children, (child) => stopWorker(child, stopMillis), { concurrency: "unbounded", discard: true })
  })

const stopWorker = (child: ChildProcess.ChildProcess, stopMillis: number): Effect.Effect<void> =>
  Effect.callback<void>((resume) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
      return resume(Effect.void)
    }
    child.once("exit", () => resume(Effect.void))
    if (child.connected) child.send({ _tag: "sy:Shutdown" } satisfies ToWorker, undefined, {}, ignore)
    else child.kill("SIGTERM")
    const timer = setTimeout(() => child.kill("SIGKILL"), stopMillis)
    return Effect.sync(() => clearTimeout(timer))
  })
