/**
 * In-memory socket pairs: two connected `Socket.Socket` values that behave like the two
 * ends of a TCP connection, for tests, fake switches and benchmarks without the network.
 *
 * A fake that is kinder than TCP hides bugs: a controller that never waits for a write to
 * drain, or that hangs when the peer half-closes, passes every test against a queue
 * that accepts anything. So each direction here is a byte pipe with a high-water mark:
 * a write that leaves more than `highWaterMark` bytes unread suspends until the peer
 * reads below it, as Node's `write()`/`drain` do. Each read returns every chunk available
 * (up to `chunkSize`), so a burst of writes arrives as one batch, the way the kernel
 * coalesces segments. Each `write` becomes one chunk and so does each `writeAll` (Node
 * corks around it), so a test can split a message across reads on purpose and can see
 * how many writes a batch cost. Written bytes are copied, so a writer may reuse its
 * buffer and a reader owns what it gets.
 *
 * Close semantics follow `@effect/platform-node`'s `NodeSocket` on a TCP connection:
 *
 * - Releasing an end's **writer** scope half-closes (FIN): the peer reads what is left,
 *   then its pull fails with `SocketCloseError` code 1000.
 * - Releasing an end's **reader** scope closes that end (as the server's `destroySoon`
 *   does): its own writes are half-closed the same way, what it has not read is
 *   discarded, a pull it had suspended fails with code 1006, and the peer's writes fail
 *   with `SocketWriteError` from then on (including writes waiting for drain).
 * - Writing a `CloseEvent` destroys the connection: code 1000 lets the peer read what was
 *   already written before its pull fails with code 1000; a code above 1000 fails the
 *   peer's pull at once with code 1006, discarding unread bytes.
 *
 * Each end's reader can be acquired once; a second acquisition fails with
 * `SocketCloseError` code 1000 once the first is closed, as a closed TCP socket would.
 *
 * @since 0.1.0
 */
import type { NonEmptyReadonlyArray } from "effect/Array"
import * as Effect from "effect/Effect"
import * as Scope from "effect/Scope"
import * as Socket from "effect/socket/Socket"

/**
 * One end of an in-memory connection: a `Socket.Socket` with a few probes for tests.
 *
 * @category models
 * @since 0.1.0
 */
export interface MemorySocket extends Socket.Socket {
  /** Bytes this end wrote that the peer has not read yet. */
  readonly unreadBytesUnsafe: () => number
  /** `true` once this end can neither read nor write any more. */
  readonly isClosedUnsafe: () => boolean
  /** Completes when this end is closed (both directions done). */
  readonly awaitClose: Effect.Effect<void>
}

/**
 * Options of {@link pair}.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  /**
   * Unread bytes above which a write waits for the reader (default 65536). Each
   * direction has its own.
   */
  readonly highWaterMark?: number | undefined
  /** Most chunks one pull returns (default 4096, like `NodeSocket`). */
  readonly chunkSize?: number | undefined
}

const closeError = (code: number) => new Socket.SocketError({ reason: new Socket.SocketCloseError({ code }) })
const writeError = (what: string) => new Socket.SocketError({ reason: new Socket.SocketWriteError({ cause: new Error(what) }) })
const textEncoder = new TextEncoder()

type Resume<A, E> = (effect: Effect.Effect<A, E>) => void

/** Runs `f` on a later turn of the event loop (`setImmediate` where there is one). */
const later: (f: () => void) => void = typeof globalThis.setImmediate === "function"
  ? (f) => void globalThis.setImmediate(f)
  : (f) => void setTimeout(f, 0)

/** One direction: bytes written by one end, read by the other. */
class Pipe {
  private chunks: Array<Uint8Array> = []
  private head = 0
  bytes = 0
  /** The writer half-closed: EOF after the remaining bytes. */
  ended = false
  /** The reading end is gone: writes fail. */
  readerGone = false
  /** Set by a hard close: pulls fail at once with this code. */
  resetCode: number | undefined = undefined
  private readWaiter: Resume<NonEmptyReadonlyArray<Uint8Array>, Socket.SocketError> | undefined = undefined
  private wakePending = false
  private drainWaiters: Array<Resume<void, Socket.SocketError>> = []
  private readonly highWaterMark: number
  private readonly chunkSize: number
  private readonly onChange: () => void

  constructor(highWaterMark: number, chunkSize: number, onChange: () => void) {
    this.highWaterMark = highWaterMark
    this.chunkSize = chunkSize
    this.onChange = onChange
  }

  /** `true` when nothing more can ever be read. */
  get finished(): boolean {
    return this.resetCode !== undefined || this.readerGone || (this.ended && this.bytes === 0)
  }

  write(chunks: ReadonlyArray<Uint8Array | string>): Effect.Effect<void, Socket.SocketError> {
    if (this.readerGone || this.resetCode !== undefined) return Effect.fail(writeError("socket closed"))
    if (this.ended) return Effect.fail(writeError("write after end"))
    // One write is one chunk for the reader, and so is a `writeAll`: Node corks around
    // it and the kernel sends the batch together, which a reader then gets in one read.
    let copy: Uint8Array
    if (chunks.length === 1) {
      const chunk = chunks[0]!
      copy = typeof chunk === "string" ? textEncoder.encode(chunk) : chunk.slice()
    } else {
      const parts = chunks.map((c) => (typeof c === "string" ? textEncoder.encode(c) : c))
      let size = 0
      for (const p of parts) size += p.length
      copy = new Uint8Array(size)
      let at = 0
      for (const p of parts) {
        copy.set(p, at)
        at += p.length
      }
    }
    if (copy.length > 0) {
      this.chunks.push(copy)
      this.bytes += copy.length
    }
    this.wakeReader()
    if (this.bytes <= this.highWaterMark) return Effect.void
    return Effect.callback<void, Socket.SocketError>((resume) => {
      this.drainWaiters.push(resume)
      return Effect.sync(() => {
        const i = this.drainWaiters.indexOf(resume)
        if (i >= 0) this.drainWaiters.splice(i, 1)
      })
    })
  }

  /** The next batch if any; `undefined` to wait. */
  private take(): Effect.Effect<NonEmptyReadonlyArray<Uint8Array>, Socket.SocketError> | undefined {
    if (this.resetCode !== undefined) return Effect.fail(closeError(this.resetCode))
    if (this.bytes > 0) {
      const end = Math.min(this.chunks.length, this.head + this.chunkSize)
      const out = this.chunks.slice(this.head, end) as unknown as NonEmptyReadonlyArray<Uint8Array>
      if (end === this.chunks.length) {
        this.chunks = []
        this.head = 0
      } else {
        this.head = end
      }
      for (const c of out) this.bytes -= c.length
      if (this.bytes <= this.highWaterMark) this.releaseWriters(undefined)
      return Effect.succeed(out)
    }
    if (this.ended || this.readerGone) return Effect.fail(closeError(this.readerGone ? 1006 : 1000))
    return undefined
  }

  readonly pull: Effect.Effect<NonEmptyReadonlyArray<Uint8Array>, Socket.SocketError> = Effect.suspend(() =>
    this.take() ?? Effect.callback<NonEmptyReadonlyArray<Uint8Array>, Socket.SocketError>((resume) => {
      this.readWaiter = resume
      return Effect.sync(() => {
        if (this.readWaiter === resume) this.readWaiter = undefined
      })
    })
  )

  /**
   * Resumes a suspended pull on a later turn of the event loop, as data from a real
   * socket arrives in Node's I/O phase: writes made in the meantime arrive in the same
   * batch, the writer never runs the reader's code inline, and two peers talking
   * through a pair cannot starve timers the way a chain of microtasks would.
   */
  private wakeReader(): void {
    if (this.readWaiter === undefined || this.wakePending) return
    this.wakePending = true
    later(this.deliver)
  }

  private readonly deliver = (): void => {
    this.wakePending = false
    const waiter = this.readWaiter
    if (waiter === undefined) return
    const next = this.take()
    if (next === undefined) return
    this.readWaiter = undefined
    waiter(next)
  }

  /**
   * Resumes writers waiting for drain. Like the read side, this happens on a later turn
   * of the event loop rather than on the stack of whoever freed the room (as Node emits
   * `drain` from the event loop), so a reader never runs its peer's code inline.
   */
  private releaseWriters(error: Socket.SocketError | undefined): void {
    if (this.drainWaiters.length === 0) return
    const waiters = this.drainWaiters
    this.drainWaiters = []
    const result = error === undefined ? Effect.void : Effect.fail(error)
    later(() => {
      for (const resume of waiters) resume(result)
    })
  }

  /** The writer half-closes. */
  end(): void {
    if (this.ended) return
    this.ended = true
    this.wakeReader()
    this.onChange()
  }

  /** The reading end closes: unread bytes are discarded, writers fail from now on. */
  closeReader(): void {
    if (this.readerGone) return
    this.readerGone = true
    this.chunks = []
    this.head = 0
    this.bytes = 0
    this.releaseWriters(writeError("socket closed"))
    this.wakeReader()
    this.onChange()
  }

  /** A hard close: pulls fail with `code` (unless `graceful`, which keeps unread bytes). */
  reset(graceful: boolean): void {
    if (graceful) {
      this.end()
    } else if (this.resetCode === undefined) {
      this.resetCode = 1006
      this.chunks = []
      this.head = 0
      this.bytes = 0
      this.wakeReader()
    }
    this.releaseWriters(writeError("socket closed"))
    this.onChange()
  }
}

interface End {
  readonly incoming: Pipe
  readonly outgoing: Pipe
  readerAcquired: boolean
  readerReleased: boolean
  /** Set once this end destroyed the connection (CloseEvent): its own pulls fail. */
  destroyed: boolean
  closeWaiters: Array<() => void>
}

const isClosed = (end: End): boolean => (end.destroyed || end.incoming.finished) && (end.outgoing.ended || end.outgoing.readerGone || end.outgoing.resetCode !== undefined)

const makeEnd = (end: End): MemorySocket => {
  const notifyIfClosed = () => {
    if (!isClosed(end) || end.closeWaiters.length === 0) return
    const waiters = end.closeWaiters
    end.closeWaiters = []
    for (const w of waiters) w()
  }

  const reader: Socket.Socket["reader"] = Effect.gen(function*() {
    if (end.readerAcquired) return yield* Effect.fail(closeError(1000))
    end.readerAcquired = true
    const scope = yield* Effect.scope
    yield* Scope.addFinalizer(
      scope,
      Effect.sync(() => {
        end.readerReleased = true
        end.outgoing.end()
        end.incoming.closeReader()
        notifyIfClosed()
      })
    )
    const pull = Effect.suspend(() =>
      end.readerReleased || end.destroyed ? Effect.fail(closeError(1006)) : end.incoming.pull
    )
    const reader: Socket.Reader = {
      pull,
      upgrade: () =>
        Effect.fail(
          new Socket.SocketError({
            reason: new Socket.SocketUpgradeError({ cause: new Error("in-memory sockets cannot be upgraded to TLS") })
          })
        )
    }
    return reader
  })

  const write = (chunk: Uint8Array | string | Socket.CloseEvent): Effect.Effect<void, Socket.SocketError> =>
    Effect.suspend(() => {
      if (Socket.isCloseEvent(chunk)) {
        if (end.destroyed) return Effect.void
        end.destroyed = true
        // Our own side is gone at once; the peer sees EOF after what we wrote (code
        // 1000) or an immediate reset (any other code).
        end.incoming.closeReader()
        end.outgoing.reset(chunk.code <= 1000)
        notifyIfClosed()
        return Effect.void
      }
      if (end.destroyed) return Effect.fail(writeError("socket closed"))
      return end.outgoing.write([chunk])
    })

  const writeAll = (chunks: NonEmptyReadonlyArray<Uint8Array | string>): Effect.Effect<void, Socket.SocketError> =>
    Effect.suspend(() => (end.destroyed ? Effect.fail(writeError("socket closed")) : end.outgoing.write(chunks)))

  const writer: Socket.Socket["writer"] = Effect.acquireRelease(
    Effect.succeed<Socket.Writer>({ write, writeAll }),
    () =>
      Effect.sync(() => {
        end.outgoing.end()
        notifyIfClosed()
      })
  )

  return {
    [Socket.TypeId]: Socket.TypeId,
    reader,
    writer,
    unreadBytesUnsafe: () => end.outgoing.bytes,
    isClosedUnsafe: () => isClosed(end),
    awaitClose: Effect.callback<void>((resume) => {
      if (isClosed(end)) return resume(Effect.void)
      const waiter = () => resume(Effect.void)
      end.closeWaiters.push(waiter)
      return Effect.sync(() => {
        const i = end.closeWaiters.indexOf(waiter)
        if (i >= 0) end.closeWaiters.splice(i, 1)
      })
    })
  }
}

/**
 * Makes a connected pair of in-memory sockets. What one end writes, the other reads.
 *
 * **When to use**
 *
 * To connect a controller to a fake switch in a test or a benchmark: hand one end to
 * `Controller.serve`, drive the other as the switch.
 *
 * @example
 * ```ts
 * import { MemorySocket } from "@switchyard/controller"
 * import { Effect } from "effect"
 *
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const [a, b] = MemorySocket.pair()
 *   const writer = yield* a.writer
 *   const reader = yield* b.reader
 *   yield* writer.write(Uint8Array.of(4, 0, 0, 8, 0, 0, 0, 1))
 *   return yield* reader.pull // [Uint8Array [4, 0, 0, 8, 0, 0, 0, 1]]
 * }))
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const pair = (options?: Options): readonly [MemorySocket, MemorySocket] => {
  const highWaterMark = options?.highWaterMark ?? 65536
  const chunkSize = options?.chunkSize ?? 4096
  let notifyA = () => {}
  let notifyB = () => {}
  const onChange = () => {
    notifyA()
    notifyB()
  }
  const aToB = new Pipe(highWaterMark, chunkSize, onChange)
  const bToA = new Pipe(highWaterMark, chunkSize, onChange)
  const endA: End = { incoming: bToA, outgoing: aToB, readerAcquired: false, readerReleased: false, destroyed: false, closeWaiters: [] }
  const endB: End = { incoming: aToB, outgoing: bToA, readerAcquired: false, readerReleased: false, destroyed: false, closeWaiters: [] }
  const notify = (end: End) => () => {
    if (!isClosed(end) || end.closeWaiters.length === 0) return
    const waiters = end.closeWaiters
    end.closeWaiters = []
    for (const w of waiters) w()
  }
  notifyA = notify(endA)
  notifyB = notify(endB)
  return [makeEnd(endA), makeEnd(endB)]
}
