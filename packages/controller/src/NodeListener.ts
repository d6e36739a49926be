/**
 * The Node implementation of `Listener`: plain TCP and TLS listening sockets, and active
 * connections dialled to switches with a reconnect back-off.
 *
 * The accept side follows `NodeSocketServer` from `@effect/platform-node` (pause each socket
 * on accept so no byte is read before a handler takes the reader; one fiber per
 * connection in a scope owned by `run`), with what a controller needs on top: several
 * listening sockets behind one `run`, a `Connection` that names its peer and transport, TLS
 * that requires client certificates when a CA is configured, sockets that are closed when
 * their handler ends (even one that never touched the reader), and a shutdown that cannot
 * hang: `net.Server.close` waits for every accepted socket to close, so sockets still open
 * at shutdown (a peer that stopped reading, a TLS handshake in progress) are destroyed
 * first. And a connection must cost little while it idles, since a controller holds
 * thousands of them: each socket is wrapped by a lean adapter (`internal/nodeSocket.ts`)
 * instead of `NodeSocket.fromDuplex`, and its fiber starts with its context rather than
 * adding services from inside, which would leave a frame per service on its stack.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as FiberSet from "effect/FiberSet"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as References from "effect/References"
import type * as Scope from "effect/Scope"
import * as Socket from "effect/socket/Socket"
import * as NodeSocketModule from "@effect/platform-node/NodeSocket"
import * as Fs from "node:fs"
import * as Net from "node:net"
import * as Tls from "node:tls"
import * as ControllerConfig from "./ControllerConfig.ts"
import { activeLoop } from "./internal/active.ts"
import { NodeSocket } from "./internal/nodeSocket.ts"
import * as Listener from "./Listener.ts"
import * as Metrics from "./Metrics.ts"

/**
 * Where to listen: a host and port to bind, or an already-open Node handle.
 *
 * **Details**
 *
 * `handle` is anything `net.Server.listen(handle)` accepts: a listening `net.Server`, a
 * server socket, or `{ fd }`. It is how a worker process can serve a socket its parent
 * bound (the seam for multi-worker mode): the listener then accepts on it like on any
 * other.
 *
 * @category models
 * @since 0.1.0
 */
export type ListenSpec =
  | { readonly transport: "tcp" | "tls"; readonly host: string; readonly port: number }
  | { readonly transport: "tcp" | "tls"; readonly handle: object; readonly label?: string | undefined }
  | { readonly transport: "tcp" | "tls"; readonly connections: ConnectionSource; readonly label: string }

/**
 * Sockets accepted somewhere else and handed in one by one: `make` calls it once with
 * `accept` and gets back a function that stops the delivery.
 *
 * **Details**
 *
 * How a worker process of `--workers N` serves the connections its primary accepted and
 * passed to it over IPC. Each socket takes the path of a socket accepted by the listener
 * itself (paused until read, `TCP_NODELAY`, the TLS handshake for `"tls"`, closed at
 * shutdown); the entry binds nothing and its address is `label`.
 *
 * @category models
 * @since 0.1.0
 */
export type ConnectionSource = (accept: (socket: Net.Socket) => void) => () => void

/**
 * TLS material as loaded (PEM text or bytes).
 *
 * @category models
 * @since 0.1.0
 */
export interface TlsMaterial {
  readonly key: string | Uint8Array
  readonly cert: string | Uint8Array
  /** When set, a switch must present a certificate signed by one of these CAs. */
  readonly ca?: string | Uint8Array | undefined
}

/**
 * Options of `make`.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  /** The listening sockets. */
  readonly listen: ReadonlyArray<ListenSpec>
  /** Required when any `listen` entry is `"tls"`. */
  readonly tls?: TlsMaterial | undefined
  /** Time a TLS client has to finish its handshake (default 10 seconds). */
  readonly tlsHandshakeTimeout?: Duration.Input | undefined
  /** Switches to dial (active connections). */
  readonly switches?: ReadonlyArray<ControllerConfig.SwitchAddress> | undefined
  /** First redial delay (default 1 second). */
  readonly connectInterval?: Duration.Input | undefined
  /** Longest redial delay (default 60 seconds). */
  readonly connectMaxInterval?: Duration.Input | undefined
  /** Time a dial may take before it counts as failed (default 10 seconds). */
  readonly connectTimeout?: Duration.Input | undefined
}

type OnConnection = (socket: NodeSocket, transport: "tcp" | "tls", remoteAddress: string) => void

/**
 * Builds a listener: binds every `listen` entry now (so a port conflict fails here, with
 * the address), accepts once `run` is called.
 *
 * **Details**
 *
 * Connections accepted before `run` wait, paused, and are served when `run` starts.
 * Active connections are dialled only while `run` runs. Every connection's fiber gets
 * `NodeSocket.NetSocket` in its context. Sockets get `TCP_NODELAY`: OpenFlow is
 * request/response, and Nagle's algorithm would delay small replies. TLS listeners accept
 * TLS 1.2 and 1.3 only.
 *
 * **Gotchas**
 *
 * Call `run` once at a time: a second concurrent `run` takes over new connections from
 * the first.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { NodeListener } from "@switchyard/controller"
 *
 * const program = Effect.gen(function*() {
 *   const listener = yield* NodeListener.make({ listen: [{ transport: "tcp", host: "127.0.0.1", port: 0 }] })
 *   yield* Effect.log(listener.addresses) // ["tcp:127.0.0.1:41234"]
 *   return yield* listener.run((connection) => Effect.log(`hello ${connection.remoteAddress}`))
 * }).pipe(Effect.scoped)
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = Effect.fnUntraced(function*(
  options: Options
): Effect.fn.Return<Listener.Listener["Service"], Listener.ListenerError, Scope.Scope> {
  const hasTls = options.listen.some((l) => l.transport === "tls")
  if (hasTls && options.tls === undefined) {
    return yield* new Listener.ListenerError({
      reason: new Listener.TlsConfigError({ path: undefined, cause: new Error("a TLS listener needs a key and a certificate") })
    })
  }
  if (hasTls) yield* makeSecureContext(options.tls!)
  const handshakeTimeout = Duration.toMillis(Duration.fromInputUnsafe(options.tlsHandshakeTimeout ?? "10 seconds"))

  // Accepted sockets not yet handed to a fiber, and every socket still open (accepted or
  // in a TLS handshake), which shutdown destroys before closing the servers.
  const pending: Array<readonly [NodeSocket, "tcp" | "tls", string]> = []
  const open = new Set<Net.Socket>()
  // One listener for every socket (Node calls it with the socket as `this`): a closure per
  // connection would be kept alive as long as the connection.
  const untrack = function(this: Net.Socket) {
    open.delete(this)
  }
  const queue: OnConnection = (socket, transport, remoteAddress) => {
    pending.push([socket, transport, remoteAddress])
  }
  let onConnection: OnConnection = queue

  const servers: Array<Net.Server> = []
  yield* Effect.addFinalizer(() =>
    Effect.callback<void>((resume) => {
      for (const [socket] of pending) socket.conn.destroy()
      pending.length = 0
      for (const conn of open) conn.destroy()
      open.clear()
      let remaining = servers.length
      if (remaining === 0) return resume(Effect.void)
      for (const server of servers) {
        server.close(() => {
          if (--remaining === 0) resume(Effect.void)
        })
      }
    })
  )

  const addresses: Array<string> = []
  for (const spec of options.listen) {
    const server = spec.transport === "tls"
      ? Tls.createServer({
        // tls.Server builds its own context from these options (it ignores a
        // `secureContext`); the one built above only proves the material is usable.
        key: toBuffer(options.tls!.key),
        cert: toBuffer(options.tls!.cert),
        ...(options.tls!.ca === undefined ? {} : { ca: toBuffer(options.tls!.ca) }),
        minVersion: "TLSv1.2",
        // With a CA, the switch must present a certificate that chains to it; Node then
        // fails the handshake of any client without one, and we never see that client.
        requestCert: options.tls!.ca !== undefined,
        rejectUnauthorized: options.tls!.ca !== undefined,
        handshakeTimeout
      })
      : Net.createServer()
    const transport = spec.transport
    const accept = (conn: Net.Socket) => {
      // Pause immediately so nothing is read before a handler acquires the reader. The
      // adapter watches for errors from now on: a socket that errors before a handler
      // owns it must not crash the process with an unhandled "error" event, and the
      // handler's reader reports that error when it starts.
      conn.pause()
      conn.setNoDelay(true)
      onConnection(NodeSocket.adopt(conn), transport, Listener.formatHostPort(conn.remoteAddress, conn.remotePort))
    }
    // "connection" is the raw TCP socket for both kinds of server; tracking it here lets
    // shutdown destroy TLS sockets still in their handshake too.
    server.on("connection", (raw: Net.Socket) => {
      open.add(raw)
      raw.on("close", untrack)
      if (transport === "tcp") accept(raw)
      else raw.on("error", ignore)
    })
    if (transport === "tls") {
      server.on("tlsClientError", (_error: Error, tlsSocket: Tls.TLSSocket) => {
        tlsSocket.destroy()
      })
      server.on("secureConnection", accept)
    }
    servers.push(server)
    const label = "connections" in spec
      ? spec.label
      : "handle" in spec
      ? spec.label ?? `${transport}:handle`
      : `${transport}:${spec.host}:${spec.port}`
    if ("connections" in spec) {
      // Nothing to bind: a socket handed in enters as if this server had accepted it.
      const stop = spec.connections((socket) => void server.emit("connection", socket))
      yield* Effect.addFinalizer(() => Effect.sync(stop))
      addresses.push(label)
      continue
    }
    yield* Effect.callback<void, Listener.ListenerError>((resume) => {
      const onError = (cause: Error) => {
        server.off("listening", onListening)
        resume(Effect.fail(new Listener.ListenerError({ reason: new Listener.BindError({ address: label, cause }) })))
      }
      const onListening = () => {
        server.off("error", onError)
        resume(Effect.void)
      }
      server.once("error", onError)
      server.once("listening", onListening)
      if ("handle" in spec) server.listen(spec.handle)
      else if (spec.host === "") server.listen({ port: spec.port })
      else server.listen({ host: spec.host, port: spec.port })
    })
    // After listening, a server "error" (EMFILE while accepting, say) concerns one accept,
    // not the listener: log it and keep accepting.
    const context = yield* Effect.context<never>()
    server.on("error", (cause: Error) => {
      Effect.runForkWith(context)(Effect.logWarning(`listener ${label}: ${cause.message}`))
    })
    addresses.push(formatBound(transport, server.address(), label))
  }
  const switches = options.switches ?? []
  for (const s of switches) addresses.push(`active:${Listener.formatHostPort(s.host, s.port)}`)

  const connectInterval = Duration.fromInputUnsafe(options.connectInterval ?? "1 second")
  const connectMaxInterval = Duration.fromInputUnsafe(options.connectMaxInterval ?? "60 seconds")
  const connectTimeout = Duration.fromInputUnsafe(options.connectTimeout ?? "10 seconds")

  const run = <R>(
    handle: (connection: Listener.Connection) => Effect.Effect<void, never, R>
  ): Effect.Effect<never, Listener.ListenerError, R> =>
    Effect.gen(function*() {
      const fibers = yield* FiberSet.make<void, never>()
      const runFork = yield* FiberSet.runtime(fibers)<R>()
      const context = yield* Effect.context<R>()
      const annotations = Context.get(context, References.CurrentLogAnnotations)
      // Connection fibers are tracked here rather than in the FiberSet (which keeps an
      // observer closure per fiber): each removes itself as it ends (see `serveSocket`).
      const connections = new Set<Fiber.Fiber<void>>()
      const serve = serveSocket(handle, connections)
      // Finalizers run in reverse: first new connections start queueing, then the
      // connection fibers are interrupted and awaited.
      yield* Effect.addFinalizer(() => Effect.suspend(() => Fiber.interruptAll(Array.from(connections))))
      yield* Effect.addFinalizer(() => Effect.sync(() => (onConnection = queue)))
      onConnection = (socket, transport, remoteAddress) => {
        // Each fiber starts with its connection's context (the Node socket, the log
        // annotations) instead of adding it from inside, which would keep a frame per
        // service on every idle connection's stack.
        const fiber = Effect.runForkWith(connectionContext(context, annotations, socket.conn, transport, remoteAddress))(
          serve(socket, transport, remoteAddress)
        )
        if (fiber.pollUnsafe() === undefined) connections.add(fiber)
      }
      const waiting = pending.splice(0, pending.length)
      for (const [socket, transport, remoteAddress] of waiting) onConnection(socket, transport, remoteAddress)
      for (const address of switches) {
        const label = Listener.formatHostPort(address.host, address.port)
        const failures = Metric.withAttributes(Metrics.switchConnectFailures, { address: label })
        runFork(activeLoop({
          label,
          dial: dial(address, connectTimeout, open),
          serve: (conn: Net.Socket) =>
            serve(NodeSocket.adopt(conn), "active", label).pipe(
              Effect.provideService(NodeSocketModule.NetSocket, conn),
              Effect.annotateLogs({ remote: label, transport: "active" })
            ),
          base: connectInterval,
          max: connectMaxInterval,
          onFailure: () => Metric.update(failures, 1)
        }))
      }
      return yield* Effect.never
    }).pipe(Effect.scoped)

  return Listener.Listener.of({ addresses, run })
})

/**
 * A `Listener` layer from explicit options (see `make`).
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (options: Options): Layer.Layer<Listener.Listener, Listener.ListenerError> =>
  Layer.effect(Listener.Listener)(make(options))

/**
 * The options `ControllerConfig` asks for: its listening sockets (`listenAddresses`), its
 * TLS files (read now), its switch address list and back-off.
 *
 * @category constructors
 * @since 0.1.0
 */
export const optionsFromConfig = Effect.fnUntraced(function*(
  config: ControllerConfig.ControllerConfig
): Effect.fn.Return<Options, Listener.ListenerError> {
  const tls = ControllerConfig.tlsEnabled(config)
    ? {
      key: yield* readPem(config.ctlPrivkey!),
      cert: yield* readPem(config.ctlCert!),
      ca: config.caCerts === undefined ? undefined : yield* readPem(config.caCerts)
    }
    : undefined
  return {
    listen: ControllerConfig.listenAddresses(config),
    tls,
    tlsHandshakeTimeout: config.handshakeTimeout,
    switches: config.ofpSwitchAddressList,
    connectInterval: config.ofpSwitchConnectInterval,
    connectMaxInterval: config.ofpSwitchConnectMaxInterval,
    connectTimeout: config.handshakeTimeout
  }
})

/**
 * A `Listener` layer configured by the `ControllerConfig` in context (the defaults when
 * none is provided: TCP on 6653 and 6633 on all interfaces).
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { ControllerConfig, NodeListener } from "@switchyard/controller"
 *
 * const ListenerLive = NodeListener.layerConfig.pipe(
 *   Layer.provide(ControllerConfig.layerWith({ ofpTcpListenPort: 6653 }))
 * )
 * ```
 *
 * @category layers
 * @since 0.1.0
 */
export const layerConfig: Layer.Layer<Listener.Listener, Listener.ListenerError> = Layer.effect(Listener.Listener)(
  Effect.gen(function*() {
    const config = yield* ControllerConfig.ControllerConfig
    return yield* make(yield* optionsFromConfig(config))
  })
)

const ignore = () => {}

const formatBound = (
  transport: "tcp" | "tls",
  address: string | Net.AddressInfo | null,
  fallback: string
): string =>
  address === null || typeof address === "string"
    ? fallback
    : `${transport}:${Listener.formatHostPort(address.address, address.port)}`

const readPem = (path: string): Effect.Effect<Buffer, Listener.ListenerError> =>
  Effect.tryPromise({
    try: () => Fs.promises.readFile(path),
    catch: (cause) => new Listener.ListenerError({ reason: new Listener.TlsConfigError({ path, cause }) })
  })

// Builds the secure context once, so a key that does not match its certificate, or a
// file that is not PEM, fails at startup instead of at the first switch.
const makeSecureContext = (tls: TlsMaterial): Effect.Effect<Tls.SecureContext, Listener.ListenerError> =>
  Effect.try({
    try: () =>
      Tls.createSecureContext({
        key: toBuffer(tls.key),
        cert: toBuffer(tls.cert),
        ...(tls.ca === undefined ? {} : { ca: toBuffer(tls.ca) }),
        minVersion: "TLSv1.2"
      }),
    catch: (cause) => new Listener.ListenerError({ reason: new Listener.TlsConfigError({ path: undefined, cause }) })
  })

const toBuffer = (pem: string | Uint8Array): Buffer => typeof pem === "string" ? Buffer.from(pem) : Buffer.from(pem)

// Dials a switch. The socket is tracked in `open` so that shutdown destroys it, and it is
// paused before it is handed over, like an accepted one.
const dial = (
  address: ControllerConfig.SwitchAddress,
  timeout: Duration.Duration,
  open: Set<Net.Socket>
): Effect.Effect<Net.Socket, Socket.SocketError> =>
  Effect.callback<Net.Socket, Socket.SocketError>((resume) => {
    const conn = Net.createConnection({ host: address.host, port: address.port, noDelay: true })
    open.add(conn)
    conn.once("close", () => open.delete(conn))
    conn.pause()
    const onError = (cause: Error) => {
      conn.off("connect", onConnect)
      conn.destroy()
      resume(Effect.fail(new Socket.SocketError({ reason: new Socket.SocketOpenError({ kind: "Unknown", cause }) })))
    }
    const onConnect = () => {
      conn.off("error", onError)
      conn.on("error", ignore)
      resume(Effect.succeed(conn))
    }
    conn.once("error", onError)
    conn.once("connect", onConnect)
    return Effect.sync(() => conn.destroy())
  }).pipe(
    Effect.timeoutOrElse({
      duration: timeout,
      orElse: () =>
        Effect.fail(
          new Socket.SocketError({
            reason: new Socket.SocketOpenError({ kind: "Timeout", cause: new Error("connection timed out") })
          })
        )
    })
  )

// How long a socket whose handler finished may take to flush and close gracefully before
// it is destroyed; a peer that stopped reading would otherwise hold it open forever.
const LINGER_MS = 2_000

// The counters of each transport, built once (each `withAttributes` is an object).
const transportMetrics = {
  tcp: {
    total: Metric.withAttributes(Metrics.connectionsTotal, { transport: "tcp" }),
    open: Metric.withAttributes(Metrics.connectionsOpen, { transport: "tcp" })
  },
  tls: {
    total: Metric.withAttributes(Metrics.connectionsTotal, { transport: "tls" }),
    open: Metric.withAttributes(Metrics.connectionsOpen, { transport: "tls" })
  },
  active: {
    total: Metric.withAttributes(Metrics.connectionsTotal, { transport: "active" }),
    open: Metric.withAttributes(Metrics.connectionsOpen, { transport: "active" })
  }
} as const

// The context a connection fiber starts with: the run's, plus the Node socket and the log
// annotations naming the peer. Two overlays on the run's context, not a copy of it.
const connectionContext = <R>(
  context: Context.Context<R>,
  annotations: Readonly<Record<string, unknown>>,
  conn: Net.Socket,
  transport: Listener.Transport,
  remoteAddress: string
): Context.Context<R> =>
  Context.add(
    Context.add(context, NodeSocketModule.NetSocket, conn),
    References.CurrentLogAnnotations,
    { ...annotations, remote: remoteAddress, transport }
  )

// A handler's failure or defect is logged and counted, never propagated: one switch must
// not disturb the listener or the others. Interruption passes through.
const reportFailure = (cause: Cause.Cause<never>): Effect.Effect<void> =>
  Cause.hasInterruptsOnly(cause)
    ? Effect.failCause(cause)
    : Effect.andThen(
      Metric.update(Metrics.connectionHandlerFailures, 1),
      Effect.logWarning("connection handler failed", cause)
    )

// Serves one socket: runs the handler and closes the socket when it ends, however it ends.
// Built once per `run`. What an idle connection keeps on its fiber's stack is two frames
// and no closure of its own: the end-of-connection step is shared, and finds its socket
// through the fiber's context (`NetSocket`), where `run` (or, for an active connection,
// the active loop) put it.
const serveSocket = <R>(
  handle: (connection: Listener.Connection) => Effect.Effect<void, never, R>,
  connections: Set<Fiber.Fiber<void>>
) => {
  const finish = (exit: Exit.Exit<void>): Effect.Effect<void> =>
    Effect.withFiber((fiber) => {
      connections.delete(fiber as Fiber.Fiber<void>)
      const conn = Context.get(fiber.context as Context.Context<NodeSocketModule.NetSocket>, NodeSocketModule.NetSocket)
      close(conn, Exit.hasInterrupts(exit))
      return Metric.modify(transportMetrics[NodeSocket.of(conn)!.transport].open, -1)
    })
  return (socket: NodeSocket, transport: Listener.Transport, remoteAddress: string): Effect.Effect<void, never, R> => {
    socket.transport = transport
    const metrics = transportMetrics[transport]
    return Metric.update(metrics.total, 1).pipe(
      Effect.andThen(Metric.modify(metrics.open, 1)),
      Effect.andThen(Effect.onExit(Effect.catchCause(handle({ socket, remoteAddress, transport }), reportFailure), finish))
    )
  }
}

// Interrupted (shutdown, or the runtime dropping a stale session): destroy now. Finished
// on its own: end gracefully so queued bytes (a last OFPT_ERROR) reach the switch, and
// destroy after LINGER_MS if the peer does not close its side.
const close = (conn: Net.Socket, interrupted: boolean): void => {
  if (conn.destroyed) return
  if (interrupted) {
    conn.destroy()
    return
  }
  conn.end()
  const timer = setTimeout(() => conn.destroy(), LINGER_MS)
  timer.unref()
  conn.once("close", () => clearTimeout(timer))
}
