// A minimal real-socket client for listener tests: connect, write, read exactly n bytes,
// wait for the close. Plain node:net (or node:tls), so the tests exercise the listener
// from the outside, as a switch would.
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Net from "node:net"
import * as Tls from "node:tls"

export interface Client {
  readonly socket: Net.Socket
  readonly write: (data: string | Uint8Array) => Effect.Effect<void>
  /** Reads exactly `n` bytes; fails if the socket closes first. */
  readonly read: (n: number) => Effect.Effect<Buffer, Error>
  /** Succeeds once the socket has closed (peer closed or reset). */
  readonly closed: Effect.Effect<void>
  /** Everything received so far that `read` has not consumed. */
  readonly buffered: () => number
}

const wrap = (socket: Net.Socket): Client => {
  let buffer = Buffer.alloc(0)
  let waiter: (() => void) | undefined
  let isClosed = false
  const wake = () => {
    const w = waiter
    waiter = undefined
    w?.()
  }
  socket.on("data", (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk])
    wake()
  })
  socket.on("error", () => {})
  socket.on("close", () => {
    isClosed = true
    wake()
  })
  const read = (n: number): Effect.Effect<Buffer, Error> =>
    Effect.callback<Buffer, Error>((resume) => {
      const check = () => {
        if (buffer.length >= n) {
          const out = buffer.subarray(0, n)
          buffer = buffer.subarray(n)
          resume(Effect.succeed(out))
        } else if (isClosed) {
          resume(Effect.fail(new Error(`socket closed after ${buffer.length} of ${n} bytes`)))
        } else {
          waiter = check
        }
      }
      check()
      return Effect.sync(() => {
        waiter = undefined
      })
    })
  return {
    socket,
    write: (data) =>
      Effect.callback<void>((resume) => {
        socket.write(data, () => resume(Effect.void))
      }),
    read,
    closed: Effect.callback<void>((resume) => {
      const check = () => (isClosed ? resume(Effect.void) : (waiter = check))
      check()
    }),
    buffered: () => buffer.length
  }
}

/** Connects over TCP; the socket is destroyed when the scope closes. */
export const connect = (port: number, host = "127.0.0.1"): Effect.Effect<Client, Error, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.callback<Net.Socket, Error>((resume) => {
      const socket = Net.createConnection({ port, host })
      socket.once("connect", () => resume(Effect.succeed(socket)))
      socket.once("error", (error) => resume(Effect.fail(error)))
    }),
    (socket) => Effect.sync(() => socket.destroy())
  ).pipe(Effect.map(wrap))

/** Connects over TLS; fails when the handshake fails. */
export const connectTls = (
  options: Tls.ConnectionOptions
): Effect.Effect<Client, Error, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.callback<Tls.TLSSocket, Error>((resume) => {
      const socket = Tls.connect(options)
      socket.once("secureConnect", () => resume(Effect.succeed(socket)))
      socket.once("error", (error) => resume(Effect.fail(error)))
    }),
    (socket) => Effect.sync(() => socket.destroy())
  ).pipe(Effect.map(wrap))

/** The port of a `Listener.addresses` entry such as `"tcp:127.0.0.1:41234"`. */
export const portOf = (address: string): number => Number(address.slice(address.lastIndexOf(":") + 1))
