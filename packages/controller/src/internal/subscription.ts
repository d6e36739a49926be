/**
 * Subscriptions: one bounded buffer of event batches per subscriber, and the index the
 * read loops route through.
 *
 * The unit of delivery is a batch: the events one datapath produced from one socket read
 * for one subscriber. A publisher makes one `offer` per subscriber per batch, never one
 * per message, and a subscriber's stream hands each batch out as one chunk, so a chunk
 * always holds events of a single datapath, in the order they arrived.
 *
 * Invariants (everything here runs synchronously on the JavaScript thread, so they hold
 * between any two statements that do not call out):
 *
 * - A publisher holding batches for a subscriber (back-pressure) appends every later
 *   batch for that subscriber to its held list, never to the subscriber directly, so the
 *   per-datapath order is kept.
 * - A subscriber lists each publisher holding batches for it exactly once in `blocked`,
 *   in the order they started holding; as room frees up it asks them, in that order, to
 *   move held batches in.
 * - Waking a waiting consumer is queued as a microtask, never run inline: a read loop
 *   never runs app code on its stack. A microtask rather than the fiber scheduler's
 *   `setImmediate` task: the app then handles a switch's batch as soon as that switch's
 *   read is done, before the event loop reads the next socket, so the batch's objects die
 *   young. Woken in the check phase instead, every batch waits for the reads of every
 *   other ready switch, and with 1,000 busy switches that wait outlives young-generation
 *   collections: throughput halved and the GC threads took another 20% of a core
 *   (docs/performance.md).
 */
import type { NonEmptyReadonlyArray } from "effect/Array"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type { Event, Overflow } from "../Events.ts"

/** A batch of events of one datapath. */
export type Batch = NonEmptyReadonlyArray<Event>

/** The side of a datapath connection that a subscriber talks back to. */
export interface Publisher {
  /**
   * Moves held batches for `subscriber` into it while it has room. Returns `true` when
   * the publisher still holds batches for it afterwards.
   */
  release(subscriber: Subscriber): boolean
  /** Forgets every batch held for `subscriber` (it has closed). */
  discard(subscriber: Subscriber): void
}

const doneExit = Exit.fail(Cause.Done()) as Exit.Exit<never, Cause.Done>

/** A subscription's buffer and its consumer side. */
export class Subscriber {
  readonly id: number
  readonly name: string
  readonly capacity: number
  readonly overflow: Overflow
  /** Bit mask of `Handshake.stateBit` values the subscriber wants. */
  readonly stateMask: number
  /** Message kinds wanted, `true` for all, `undefined` for none. */
  readonly messageTags: ReadonlySet<string> | true | undefined
  /** Lifecycle kinds wanted, `true` for all, `undefined` for none. */
  readonly lifecycleTags: ReadonlySet<string> | true | undefined

  /** Buffered events (not batches). */
  size = 0
  /** Message events discarded by the `"dropping"` or `"sliding"` policy. */
  dropped = 0
  closed = false
  /** Publishers holding batches for this subscriber, in the order they started holding. */
  readonly blocked: Array<Publisher> = []
  /**
   * Scratch space for the read loop that is routing a batch: the events collected for
   * this subscriber so far. Only ever set during one synchronous routing pass.
   */
  scratch: Array<Event> | undefined = undefined

  private readonly batches: Array<Batch | undefined> = []
  private head = 0
  private waiter: ((effect: Effect.Effect<Batch, Cause.Done>) => void) | undefined = undefined
  private wakeScheduled = false

  constructor(options: {
    readonly id: number
    readonly name: string
    readonly capacity: number
    readonly overflow: Overflow
    readonly stateMask: number
    readonly messageTags: ReadonlySet<string> | true | undefined
    readonly lifecycleTags: ReadonlySet<string> | true | undefined
  }) {
    this.id = options.id
    this.name = options.name
    this.capacity = Math.max(1, options.capacity)
    this.overflow = options.overflow
    this.stateMask = options.stateMask
    this.messageTags = options.messageTags
    this.lifecycleTags = options.lifecycleTags
  }

  /** `true` when the buffer can take another batch (a whole batch always goes in). */
  hasRoom(): boolean {
    return this.size < this.capacity
  }

  /** Appends a batch regardless of room. A closed subscriber discards it. */
  append(batch: Batch): void {
    if (this.closed) return
    this.batches.push(batch)
    this.size += batch.length
    if (this.waiter !== undefined && !this.wakeScheduled) {
      this.wakeScheduled = true
      queueMicrotask(this.wake)
    }
  }

  /** Resumes a waiting consumer with the next batch, if both are still there. */
  private readonly wake = (): void => {
    this.wakeScheduled = false
    const waiter = this.waiter
    if (waiter === undefined) return
    const batch = this.takeUnsafe()
    if (batch !== undefined) {
      this.waiter = undefined
      waiter(Exit.succeed(batch))
    } else if (this.closed) {
      this.waiter = undefined
      waiter(doneExit)
    }
  }

  /** Takes the oldest batch and lets blocked publishers refill the room it freed. */
  takeUnsafe(): Batch | undefined {
    if (this.head === this.batches.length) return undefined
    const batch = this.batches[this.head]!
    this.batches[this.head] = undefined
    this.head++
    if (this.head === this.batches.length) {
      this.batches.length = 0
      this.head = 0
    } else if (this.head >= 64 && this.head * 2 >= this.batches.length) {
      this.batches.splice(0, this.head)
      this.head = 0
    }
    this.size -= batch.length
    this.refill()
    return batch
  }

  private refill(): void {
    while (this.blocked.length > 0 && this.size < this.capacity) {
      const publisher = this.blocked[0]!
      if (publisher.release(this)) return
      this.blocked.shift()
    }
  }

  /**
   * The `"sliding"` policy: discards the oldest message events until the buffer is back
   * within capacity (lifecycle events stay). Returns how many were discarded.
   */
  slide(): number {
    let dropped = 0
    for (let i = this.head; i < this.batches.length && this.size > this.capacity; i++) {
      const batch = this.batches[i]!
      let kept: Array<Event> | undefined
      for (let j = 0; j < batch.length; j++) {
        if (batch[j]!._tag !== "Message") (kept ??= []).push(batch[j]!)
      }
      const removed = batch.length - (kept?.length ?? 0)
      if (removed === 0) continue
      dropped += removed
      this.size -= removed
      this.batches[i] = kept === undefined ? undefined : (kept as unknown as Batch)
    }
    // Compact the holes left by fully discarded batches.
    if (dropped > 0) {
      const rest: Array<Batch> = []
      for (let i = this.head; i < this.batches.length; i++) if (this.batches[i] !== undefined) rest.push(this.batches[i]!)
      this.batches.length = 0
      this.head = 0
      for (const b of rest) this.batches.push(b)
    }
    return dropped
  }

  /** Batches waiting in the buffer. */
  get pendingBatches(): number {
    return this.batches.length - this.head
  }

  /**
   * The consumer's pull: the next batch, waiting for one; `Cause.Done` once the
   * subscription is closed and drained.
   */
  readonly pull: Effect.Effect<Batch, Cause.Done> = Effect.suspend(() => {
    const batch = this.takeUnsafe()
    if (batch !== undefined) return Exit.succeed(batch)
    if (this.closed) return doneExit
    return Effect.callback<Batch, Cause.Done>((resume) => {
      this.waiter = resume
      return Effect.sync(() => {
        if (this.waiter === resume) this.waiter = undefined
      })
    })
  })

  /**
   * Closes the subscription: buffered batches are discarded, publishers drop what they
   * hold for it, and a waiting consumer ends.
   */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.batches.length = 0
    this.head = 0
    this.size = 0
    const blocked = this.blocked.splice(0)
    for (const publisher of blocked) publisher.discard(this)
    if (this.waiter !== undefined && !this.wakeScheduled) {
      this.wakeScheduled = true
      queueMicrotask(this.wake)
    }
  }
}

/**
 * Who listens to what. Lists are replaced, never mutated, so a read loop iterating one
 * is unaffected by a subscription that opens or closes meanwhile.
 */
export class SubscriberIndex {
  /** Subscribers by message kind. */
  private byTag = new Map<string, ReadonlyArray<Subscriber>>()
  /** Subscribers to every message kind. */
  allMessages: ReadonlyArray<Subscriber> = []
  /** Subscribers to any lifecycle event. */
  lifecycle: ReadonlyArray<Subscriber> = []
  /** Every open subscriber, for metrics. */
  readonly all = new Set<Subscriber>()

  /** The subscribers of a message kind (excluding those listening to every kind). */
  forTag(tag: string): ReadonlyArray<Subscriber> | undefined {
    return this.byTag.get(tag)
  }

  add(subscriber: Subscriber): void {
    this.all.add(subscriber)
    const tags = subscriber.messageTags
    if (tags === true) {
      this.allMessages = [...this.allMessages, subscriber]
    } else if (tags !== undefined) {
      for (const tag of tags) this.byTag.set(tag, [...(this.byTag.get(tag) ?? []), subscriber])
    }
    if (subscriber.lifecycleTags !== undefined) this.lifecycle = [...this.lifecycle, subscriber]
  }

  remove(subscriber: Subscriber): void {
    if (!this.all.delete(subscriber)) return
    const tags = subscriber.messageTags
    if (tags === true) {
      this.allMessages = this.allMessages.filter((s) => s !== subscriber)
    } else if (tags !== undefined) {
      for (const tag of tags) {
        const rest = (this.byTag.get(tag) ?? []).filter((s) => s !== subscriber)
        if (rest.length === 0) this.byTag.delete(tag)
        else this.byTag.set(tag, rest)
      }
    }
    if (subscriber.lifecycleTags !== undefined) this.lifecycle = this.lifecycle.filter((s) => s !== subscriber)
  }

  /** `true` when the subscriber wants lifecycle events of kind `tag`. */
  static wantsLifecycle(subscriber: Subscriber, tag: string): boolean {
    const tags = subscriber.lifecycleTags
    return tags === true || (tags !== undefined && tags.has(tag))
  }
}
