/**
 * Knowing when an in-process controller and its fake switches have nothing left to do.
 *
 * A test that injects a frame wants to assert on the flow table only after the packet-in
 * has reached the app, the app has answered, and the switch has applied the answer. Those
 * steps hop between fibers (the switch's reader, the controller's read loop, the app's
 * subscription, the write path) and between in-memory sockets, so "wait a bit" is either
 * flaky or slow. Instead every fiber of the test runs on a scheduler that counts the tasks
 * it has queued and not yet run. The system is idle when, at the start of an event-loop
 * turn (so after every pending microtask, which is how the in-memory sockets wake their
 * readers), no such task is left: nothing can run again until a timer fires, and timers
 * are virtual under `TestClock`.
 */
import type * as Scheduler from "effect/Scheduler"

/**
 * A scheduler that delegates to `parent` (the `TestClock`'s, under `it.effect`) and counts
 * the tasks queued through any dispatcher it made.
 */
export class CountingScheduler implements Scheduler.Scheduler {
  readonly executionMode: "sync" | "async"
  /** Tasks queued and not yet started, over every dispatcher. */
  pending = 0
  /** Tasks run so far: a cheap progress counter for diagnostics. */
  ran = 0
  private readonly parent: Scheduler.Scheduler

  constructor(parent: Scheduler.Scheduler) {
    this.parent = parent
    this.executionMode = parent.executionMode
  }

  shouldYield(fiber: Parameters<Scheduler.Scheduler["shouldYield"]>[0]): boolean {
    return this.parent.shouldYield(fiber)
  }

  makeDispatcher(): Scheduler.SchedulerDispatcher {
    const dispatcher = this.parent.makeDispatcher()
    return {
      scheduleTask: (task, priority) => {
        this.pending++
        dispatcher.scheduleTask(() => {
          this.pending--
          this.ran++
          task()
        }, priority)
      },
      flush: () => dispatcher.flush()
    }
  }
}

/** What {@link waitIdle} reports when the system never became idle. */
export interface Busy {
  readonly rounds: number
  readonly tasksRun: number
}

const setImmediateFn: (f: () => void) => unknown = (globalThis as { setImmediate?: (f: () => void) => unknown }).setImmediate ??
  ((f: () => void) => setTimeout(f, 0))
const clearImmediateFn: (handle: unknown) => void = (globalThis as { clearImmediate?: (h: unknown) => void }).clearImmediate ??
  ((h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>))

/**
 * Calls `done(undefined)` once `scheduler` has had no queued task and `quiet()` has held
 * at two consecutive event-loop turns, or `done(busy)` after `maxRounds` turns without
 * that. Returns a canceller.
 *
 * Each check runs as a macrotask (`setImmediate`), so the microtask queue is empty when it
 * runs; a dispatcher that has tasks queued has its own macrotask armed before ours, so
 * re-checking on the next turn lets it run first. The second check covers work handed
 * from one macrotask to another outside the scheduler after our check was armed.
 */
export const waitIdle = (
  scheduler: CountingScheduler,
  quiet: () => boolean,
  maxRounds: number,
  done: (busy: Busy | undefined) => void
): () => void => {
  let rounds = 0
  let calm = 0
  const startRan = scheduler.ran
  let handle: unknown = undefined
  let cancelled = false
  const check = () => {
    handle = undefined
    if (cancelled) return
    rounds++
    if (scheduler.pending === 0 && quiet()) {
      if (++calm >= 2) return done(undefined)
    } else {
      calm = 0
    }
    if (rounds >= maxRounds) return done({ rounds, tasksRun: scheduler.ran - startRan })
    handle = setImmediateFn(check)
  }
  handle = setImmediateFn(check)
  return () => {
    cancelled = true
    if (handle !== undefined) clearImmediateFn(handle)
  }
}
