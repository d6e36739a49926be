/**
 * The service that hands switch connections to the controller: the accepted and dialled
 * sockets, each as a `Connection`, each served in its own supervised fiber.
 *
 * A controller sees switches arrive in three ways: a plain TCP accept (6653, and the legacy
 * 6633 that many deployed switches still dial), a TLS accept where the switch must present
 * a certificate signed by our CA, and an "active" connection the controller dials itself
 * (Ryu's `--ofp-switch-address-list`). Whatever the transport, the runtime wants the same
 * thing: a `Socket.Socket` that delivers no byte before it starts reading, a name for logs,
 * and the guarantee that one misbehaving switch can never take the accept loop, or another
 * switch, down with it. This module holds only the contract and its errors, as Effect's
 * `SocketServer` does; `NodeListener` is the Node implementation.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import type * as Effect from "effect/Effect"
import type * as Socket from "effect/socket/Socket"

/**
 * How a connection reached the controller.
 *
 * - `"tcp"`: accepted on a plain TCP listening port.
 * - `"tls"`: accepted on the TLS port; the handshake (and the client-certificate check,
 *   when a CA is configured) has already completed.
 * - `"active"`: dialled by the controller to an address in `--ofp-switch-address-list`.
 *
 * @category models
 * @since 0.1.0
 */
export type Transport = "tcp" | "tls" | "active"

/**
 * One switch connection, as handed to a connection handler.
 *
 * **Details**
 *
 * The socket is paused: no byte is read from the kernel until the handler acquires
 * `socket.reader`, so nothing the switch sends early (its HELLO, typically) is lost.
 * The listener owns the socket's lifetime: it is closed when the handler's fiber ends,
 * however it ends. Under Node the handler's context also contains
 * `NodeSocket.NetSocket` (the `net.Socket`, or `tls.TLSSocket` for `"tls"`, where the
 * peer certificate can be read).
 *
 * @category models
 * @since 0.1.0
 */
export interface Connection {
  /** The byte stream; depend only on this, never on `node:net`. */
  readonly socket: Socket.Socket
  /** The peer, `"127.0.0.1:53122"` or `"[::1]:53122"`, for logs and events. */
  readonly remoteAddress: string
  /** How the connection was made. */
  readonly transport: Transport
}

/**
 * The listener service: its bound addresses and an accept loop.
 *
 * **When to use**
 *
 * The runner (`Runner.runMain`) uses it to feed `Controller.serve`; tests use it with any
 * handler. Provide it with `NodeListener.layer` (or a test listener built with
 * `Listener.of`).
 *
 * **Details**
 *
 * - `addresses` are human-readable bound addresses, one per listening socket, e.g.
 *   `["tcp:0.0.0.0:6653", "tcp:0.0.0.0:6633"]`, with the real port when port 0 was asked
 *   for. Active connections are listed as `"active:10.0.0.1:6653"`.
 * - `run(handle)` accepts forever and runs `handle` for each connection in its own fiber,
 *   inside a scope owned by `run`. A handler that fails or dies is logged and never stops
 *   the listener or disturbs other connections. Interrupting `run` interrupts every
 *   connection fiber and waits for all of them, and closes their sockets. The listening
 *   sockets themselves belong to the layer that built the listener and are closed when
 *   that scope closes; connections that arrive while no `run` is active wait, paused,
 *   for the next `run`.
 *
 * **Gotchas**
 *
 * The handler's error channel is `never` on purpose: a connection's failure is the
 * connection's business (log it, emit an event), not the listener's.
 *
 * @category services
 * @since 0.1.0
 */
export class Listener extends Context.Service<Listener, {
  readonly addresses: ReadonlyArray<string>
  readonly run: <R>(
    handle: (connection: Connection) => Effect.Effect<void, never, R>
  ) => Effect.Effect<never, ListenerError, R>
}>()("@switchyard/controller/Listener") {}

/**
 * A listening socket could not be opened (address in use, permission denied for a port
 * below 1024, unknown host).
 *
 * @category errors
 * @since 0.1.0
 */
export class BindError extends Data.TaggedError("BindError")<{
  /** The address we tried, e.g. `"tcp:0.0.0.0:6653"`. */
  readonly address: string
  readonly cause: unknown
}> {
  override get message(): string {
    return `cannot listen on ${this.address}: ${causeMessage(this.cause)}`
  }
}

/**
 * The TLS material could not be loaded: a key, certificate or CA file is missing,
 * unreadable or not valid PEM, or the key does not match the certificate.
 *
 * @category errors
 * @since 0.1.0
 */
export class TlsConfigError extends Data.TaggedError("TlsConfigError")<{
  /** The file at fault, or `undefined` when the combination (key vs cert) is the problem. */
  readonly path: string | undefined
  readonly cause: unknown
}> {
  override get message(): string {
    return this.path === undefined
      ? `invalid TLS configuration: ${causeMessage(this.cause)}`
      : `cannot load TLS file ${this.path}: ${causeMessage(this.cause)}`
  }
}

/**
 * The union of the reasons a listener can fail.
 *
 * @category errors
 * @since 0.1.0
 */
export type ListenerErrorReason = BindError | TlsConfigError

/**
 * The one error of this subsystem; its `reason` says what went wrong, so callers can
 * `Effect.catchReason("ListenerError", "BindError", …)`.
 *
 * @category errors
 * @since 0.1.0
 */
export class ListenerError extends Data.TaggedError("ListenerError")<{
  readonly reason: ListenerErrorReason
}> {
  override get message(): string {
    return this.reason.message
  }
}

/**
 * Formats a Node address as used in `Connection.remoteAddress` and `Listener.addresses`:
 * IPv6 hosts go in brackets so the port stays unambiguous.
 *
 * @example
 * ```ts
 * import { Listener } from "@switchyard/controller"
 *
 * Listener.formatHostPort("::1", 6653) // "[::1]:6653"
 * Listener.formatHostPort("10.0.0.1", 6653) // "10.0.0.1:6653"
 * ```
 *
 * @category formatting
 * @since 0.1.0
 */
export const formatHostPort = (host: string | undefined, port: number | undefined): string => {
  const h = host === undefined || host === "" ? "?" : host
  const p = port === undefined ? "?" : String(port)
  return h.includes(":") ? `[${h}]:${p}` : `${h}:${p}`
}

const causeMessage = (cause: unknown): string =>
  cause instanceof Error ? cause.message : String(cause)
