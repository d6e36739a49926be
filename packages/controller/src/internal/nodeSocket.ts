/**
 * A lean `Socket.Socket` over a Node `net.Socket` (or `tls.TLSSocket`): the adapter the
 * listener wraps around every socket it accepts or dials.
 *
 * A controller holds thousands of switch connections that are idle nearly all the time, so
 * what one idle connection keeps alive is multiplied by ten thousand. The generic adapter
 * (`NodeSocket.fromDuplex` of `@effect/platform-node`) is built for any duplex and any
 * number of reconnects: each socket gets about twenty closures, a latch, a merged copy of
 * the opening fiber's context and a scope finalizer per side, several KiB per connection
 * before a byte is read. Here a connection is one object: its methods live on the
 * prototype, and the Node event listeners are module-level functions that find their
 * adapter through a symbol property on the socket, so attaching them allocates nothing per
 * connection. The reader and the writer are the same object.
 *
 * The semantics are those of `fromDuplex` on a paused server socket, which the runtime
 * relies on (and `MemorySocket` models):
 *
 * - The socket stays paused until the reader is acquired, so nothing the peer sends early
 *   is lost. `pull` returns every chunk Node holds (at most 4096), waiting for the next
 *   `readable` when there is none; the socket is never resumed, so when nobody pulls,
 *   Node's buffer fills to its high-water mark and TCP pushes back on the peer.
 * - End of stream: bytes already received are delivered, then `pull` fails with
 *   `SocketCloseError` code 1000. A socket error fails it with `SocketReadError`; a close
 *   after an error with code 1006. Releasing the reader's scope fails a pending pull with
 *   code 1006 and stops reading. An error seen before the reader was acquired fails the
 *   acquisition with `SocketOpenError`; a socket already closed fails it with code 1000.
 *   The reader can be acquired once.
 * - `write`/`writeAll` succeed once Node has taken the bytes, waiting for `drain` when
 *   `write()` says its buffer is full; they fail with `SocketWriteError` once the socket
 *   is closed or errored (including writes waiting for drain). `writeAll` corks around
 *   the batch. A `CloseEvent` destroys the socket (code above 1000: with an error).
 *   Releasing the writer's scope half-closes (`end()`).
 *
 * Unlike `fromDuplex`, writes do not wait for the reader to be acquired (the socket is
 * already connected), and `upgrade` fails: TLS is the listener's job.
 */
import type { NonEmptyReadonlyArray } from "effect/Array"
import * as Effect from "effect/Effect"
import * as Scope from "effect/Scope"
import * as Socket from "effect/socket/Socket"
import type * as Net from "node:net"

type Chunks = NonEmptyReadonlyArray<Uint8Array | string>
type Resume<A> = (effect: Effect.Effect<A, Socket.SocketError>) => void

/** Where a Node socket keeps its adapter. */
const kAdapter = Symbol("@switchyard/controller/NodeSocket")

/** Most chunks one pull returns, as `fromDuplex`. */
const CHUNK_SIZE = 4096

const READER_IDLE = 0
const READER_ACQUIRED = 1
const READER_RELEASED = 2

const closeError = (code: number) => new Socket.SocketError({ reason: new Socket.SocketCloseError({ code }) })
const writeError = (cause: unknown) => new Socket.SocketError({ reason: new Socket.SocketWriteError({ cause }) })
const socketClosed = () => writeError(new Error("socket closed"))

const adapterOf = (conn: Net.Socket): NodeSocket => (conn as unknown as Record<symbol, NodeSocket>)[kAdapter]!

// The Node event listeners, shared by every socket: Node calls them with the socket as
// `this`, so they need no closure.
function onReadable(this: Net.Socket): void {
  adapterOf(this).drain()
}
function onEnd(this: Net.Socket): void {
  const a = adapterOf(this)
  a.readError ??= closeError(1000)
  a.drain()
}
function onError(this: Net.Socket, error: Error): void {
  const a = adapterOf(this)
  a.errored ??= error
  a.stopReading(new Socket.SocketError({ reason: new Socket.SocketReadError({ cause: error }) }))
  a.wakeWriters(writeError(error))
}
function onClose(this: Net.Socket, hadError: boolean): void {
  const a = adapterOf(this)
  if (hadError) a.stopReading(closeError(1006))
  else {
    a.readError ??= closeError(1000)
    a.drain()
  }
  a.wakeWriters(socketClosed())
}
function onDrain(this: Net.Socket): void {
  adapterOf(this).wakeWriters(undefined)
}

const upgradeUnsupported = Effect.fail(
  new Socket.SocketError({
    reason: new Socket.SocketUpgradeError({ cause: new Error("a listener's socket cannot be upgraded; use a TLS listener") })
  })
)

// Reads what Node holds: one chunk per `read()` (Node 20 concatenates its buffer into one).
const readAvailable = (conn: Net.Socket): Chunks | undefined => {
  const first = conn.read() as Uint8Array | string | null
  if (first === null) return undefined
  const out: [Uint8Array | string, ...Array<Uint8Array | string>] = [first]
  let chunk: Uint8Array | string | null
  while (out.length < CHUNK_SIZE && (chunk = conn.read() as Uint8Array | string | null) !== null) out.push(chunk)
  return out
}

/**
 * The adapter: a `Socket.Socket` whose reader is the object itself.
 *
 * Use `adopt` right after accepting (or dialling): from then on the adapter records the
 * socket's first error, so a peer that fails before its handler starts is reported, and
 * the socket never emits an unhandled `error`.
 */
export class NodeSocket implements Socket.Socket, Socket.Reader {
  readonly conn: Net.Socket
  /** How the listener got the socket (for its metrics). */
  transport: "tcp" | "tls" | "active" = "tcp"
  /** The socket's first error, whenever it happened. */
  errored: Error | undefined = undefined
  /** Why reading stopped (EOF, error, close, release); delivered after any bytes left. */
  readError: Socket.SocketError | undefined = undefined
  private readerState = READER_IDLE
  /** Reading stopped abruptly: buffered bytes are discarded. */
  private discard = false
  private waiter: Resume<Chunks> | undefined = undefined
  /** Chunks read for a pull that went away meanwhile; the next pull gets them first. */
  private pending: Chunks | undefined = undefined
  private drainWaiters: Array<Resume<void>> | undefined = undefined
  private readScope: Scope.Scope | undefined = undefined
  /** The writer was acquired in the reader's scope: releasing the reader ends it too. */
  private endWithReader = false
  private pull_: Effect.Effect<Chunks, Socket.SocketError> | undefined = undefined
  private cancelPull: Effect.Effect<void> | undefined = undefined
  private writer_: Socket.Writer | undefined = undefined

  private constructor(conn: Net.Socket) {
    this.conn = conn
  }

  /** Wraps `conn` and starts watching its errors and close; the socket should be paused. */
  static adopt(conn: Net.Socket): NodeSocket {
    const adapter = new NodeSocket(conn)
    ;(conn as unknown as Record<symbol, NodeSocket>)[kAdapter] = adapter
    conn.on("error", onError)
    conn.on("close", onClose)
    return adapter
  }

  /** The adapter of a socket passed to `adopt`. */
  static of(conn: Net.Socket): NodeSocket | undefined {
    return (conn as unknown as Record<symbol, NodeSocket | undefined>)[kAdapter]
  }

  get [Socket.TypeId](): typeof Socket.TypeId {
    return Socket.TypeId
  }

  get reader(): Effect.Effect<Socket.Reader, Socket.SocketError, Scope.Scope> {
    return Effect.flatMap(Effect.scope, (scope) => this.acquireReader(scope))
  }

  get writer(): Effect.Effect<Socket.Writer, never, Scope.Scope> {
    return Effect.flatMap(Effect.scope, (scope) => this.acquireWriter(scope))
  }

  /** The reader's pull (valid once the reader is acquired). */
  get pull(): Effect.Effect<Chunks, Socket.SocketError> {
    return this.pull_ ??= Effect.callback<Chunks, Socket.SocketError>((resume) => this.registerPull(resume))
  }

  upgrade(): Effect.Effect<void, Socket.SocketError> {
    return upgradeUnsupported
  }

  private acquireReader(scope: Scope.Scope): Effect.Effect<Socket.Reader, Socket.SocketError> {
    if (this.readerState !== READER_IDLE) return Effect.fail(closeError(1000))
    if (this.errored !== undefined) {
      return Effect.fail(
        new Socket.SocketError({ reason: new Socket.SocketOpenError({ kind: "Unknown", cause: this.errored }) })
      )
    }
    if (this.conn.destroyed) return Effect.fail(closeError(1000))
    this.readerState = READER_ACQUIRED
    this.readScope = scope
    this.conn.on("readable", onReadable)
    this.conn.on("end", onEnd)
    return Effect.as(Scope.addFinalizerExit(scope, () => this.releaseReader()), this)
  }

  private acquireWriter(scope: Scope.Scope): Effect.Effect<Socket.Writer> {
    const writer = this.writer_ ??= {
      write: (chunk) => this.write(chunk),
      writeAll: (chunks) => this.writeAll(chunks)
    }
    if (scope === this.readScope && this.readerState === READER_ACQUIRED && !this.endWithReader) {
      // One finalizer for both sides keeps the scope from growing a finalizer map per
      // connection. Scopes release in reverse order, so a writer acquired after the
      // reader would have ended before the reader closed: `releaseReader` does the same.
      this.endWithReader = true
      return Effect.succeed(writer)
    }
    return Effect.as(Scope.addFinalizerExit(scope, () => this.releaseWriter()), writer)
  }

  private registerPull(resume: Resume<Chunks>): Effect.Effect<void> | undefined {
    if (this.readerState !== READER_ACQUIRED) {
      resume(Effect.fail(this.readError ?? closeError(1006)))
      return undefined
    }
    this.waiter = resume
    this.drain()
    if (this.waiter !== resume) return undefined
    return this.cancelPull ??= Effect.sync(() => {
      this.waiter = undefined
    })
  }

  /** Resumes the waiting pull with the bytes Node holds, or with why reading stopped. */
  drain(): void {
    const waiter = this.waiter
    if (waiter === undefined) return
    let chunks = this.pending
    this.pending = undefined
    if (chunks === undefined && !this.discard) chunks = readAvailable(this.conn)
    if (this.discard) chunks = undefined
    if (this.waiter !== waiter) {
      // Whoever took the pull's place gets these bytes on its next pull.
      this.pending = chunks
      return
    }
    if (chunks !== undefined) {
      this.waiter = undefined
      waiter(Effect.succeed(chunks))
    } else if (this.readError !== undefined) {
      this.waiter = undefined
      waiter(Effect.fail(this.readError))
    }
  }

  /** Stops reading abruptly: what is buffered is discarded, a waiting pull fails. */
  stopReading(error: Socket.SocketError): void {
    this.readError ??= error
    this.discard = true
    this.pending = undefined
    this.drain()
  }

  /** Resumes writers waiting for drain: with success, or with `error`. */
  wakeWriters(error: Socket.SocketError | undefined): void {
    const waiters = this.drainWaiters
    if (waiters === undefined) return
    this.drainWaiters = undefined
    this.conn.off("drain", onDrain)
    const result = error === undefined ? Effect.void : Effect.fail(error)
    for (const resume of waiters) resume(result)
  }

  private releaseReader(): Effect.Effect<void> {
    if (this.endWithReader) {
      this.endWithReader = false
      this.releaseWriter()
    }
    this.readerState = READER_RELEASED
    this.readScope = undefined
    this.stopReading(closeError(1006))
    this.conn.off("readable", onReadable)
    this.conn.off("end", onEnd)
    return Effect.void
  }

  private releaseWriter(): Effect.Effect<void> {
    if (!this.conn.writableEnded) this.conn.end()
    return Effect.void
  }

  write(chunk: Uint8Array | string | Socket.CloseEvent): Effect.Effect<void, Socket.SocketError> {
    return Effect.suspend(() => {
      const conn = this.conn
      if (Socket.isCloseEvent(chunk)) {
        conn.destroy(chunk.code > 1000 ? new Error(`closed with code ${chunk.code}`) : undefined)
        return Effect.void
      }
      if (conn.destroyed || conn.writableEnded) return Effect.fail(this.writeFailure())
      try {
        return conn.write(chunk) ? Effect.void : this.awaitDrain()
      } catch (cause) {
        return Effect.fail(writeError(cause))
      }
    })
  }

  writeAll(chunks: NonEmptyReadonlyArray<Uint8Array | string>): Effect.Effect<void, Socket.SocketError> {
    return Effect.suspend(() => {
      const conn = this.conn
      if (conn.destroyed || conn.writableEnded) return Effect.fail(this.writeFailure())
      let full = false
      try {
        if (chunks.length === 1) {
          full = !conn.write(chunks[0])
        } else {
          conn.cork()
          try {
            for (let i = 0; i < chunks.length; i++) full = !conn.write(chunks[i]!) || full
          } finally {
            conn.uncork()
          }
        }
      } catch (cause) {
        return Effect.fail(writeError(cause))
      }
      return full ? this.awaitDrain() : Effect.void
    })
  }

  private writeFailure(): Socket.SocketError {
    return this.errored !== undefined ? writeError(this.errored) : socketClosed()
  }

  private awaitDrain(): Effect.Effect<void, Socket.SocketError> {
    return Effect.callback<void, Socket.SocketError>((resume) => {
      if (this.conn.destroyed) return resume(Effect.fail(this.writeFailure()))
      if (this.drainWaiters === undefined) {
        this.drainWaiters = [resume]
        this.conn.on("drain", onDrain)
      } else {
        this.drainWaiters.push(resume)
      }
      return Effect.sync(() => {
        const waiters = this.drainWaiters
        const i = waiters?.indexOf(resume) ?? -1
        if (i >= 0) waiters!.splice(i, 1)
      })
    })
  }
}
