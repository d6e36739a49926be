/**
 * A datapath's bounded send queue: encoded batches waiting for the socket.
 *
 * It has `Queue`'s semantics for this one use (a synchronous `offerUnsafe` that refuses
 * when full, an `offer` that waits for room, a take of everything, a shutdown that wakes
 * every waiting sender with `false`) without its cost for an idle switch: nothing is
 * allocated until the first batch has to wait, and most batches never do (they are
 * written directly when the line is free). Ten thousand idle switches should not carry
 * ten thousand empty queues.
 *
 * Invariant: while a sender is waiting, `offerUnsafe` refuses, so waiting senders are
 * admitted strictly in the order they arrived and nobody overtakes them.
 */
import * as Effect from "effect/Effect"

const exitTrue = Effect.succeed(true)
const exitFalse = Effect.succeed(false)

interface Waiter {
  readonly bytes: Uint8Array
  resume: ((effect: Effect.Effect<boolean>) => void) | undefined
}

export class SendQueue {
  readonly capacity: number
  private items: Array<Uint8Array> | undefined = undefined
  private waiters: Array<Waiter> | undefined = undefined
  closed = false

  constructor(capacity: number) {
    this.capacity = Math.max(1, capacity)
  }

  /** Batches queued (not counting senders waiting for room). */
  get size(): number {
    return this.items?.length ?? 0
  }

  /** Queues `bytes` if there is room and nobody is waiting; `false` otherwise or when closed. */
  offerUnsafe(bytes: Uint8Array): boolean {
    if (this.closed || (this.waiters !== undefined && this.waiters.length > 0)) return false
    const items = this.items ??= []
    if (items.length >= this.capacity) return false
    items.push(bytes)
    return true
  }

  /** Queues `bytes`, waiting for room; `false` when the queue is (or gets) shut down. */
  offer(bytes: Uint8Array): Effect.Effect<boolean> {
    return Effect.suspend(() => {
      if (this.closed) return exitFalse
      if (this.offerUnsafe(bytes)) return exitTrue
      return Effect.callback<boolean>((resume) => {
        const waiter: Waiter = { bytes, resume }
        ;(this.waiters ??= []).push(waiter)
        return Effect.sync(() => {
          // Interrupted while waiting: give up the place in line.
          waiter.resume = undefined
          const i = this.waiters?.indexOf(waiter) ?? -1
          if (i >= 0) this.waiters!.splice(i, 1)
        })
      })
    })
  }

  /**
   * Takes every queued batch, then admits waiting senders into the room that frees, in
   * order. Returns `undefined` when nothing was queued.
   */
  takeAllUnsafe(): Array<Uint8Array> | undefined {
    const items = this.items
    if (items === undefined || items.length === 0) return undefined
    this.items = undefined
    const waiters = this.waiters
    if (waiters !== undefined && waiters.length > 0) {
      const admitted = waiters.splice(0, this.capacity)
      this.items = admitted.map((w) => w.bytes)
      // Resume after the state is consistent: a resumed sender may send again at once.
      for (const w of admitted) {
        const resume = w.resume
        w.resume = undefined
        resume?.(exitTrue)
      }
    }
    return items
  }

  /** Discards what is queued and wakes every waiting sender with `false`. */
  shutdown(): void {
    if (this.closed) return
    this.closed = true
    this.items = undefined
    const waiters = this.waiters
    this.waiters = undefined
    if (waiters === undefined) return
    for (const w of waiters) {
      const resume = w.resume
      w.resume = undefined
      resume?.(exitFalse)
    }
  }
}
