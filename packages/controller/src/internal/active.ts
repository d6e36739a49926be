/**
 * The redial loop of one active connection (`--ofp-switch-address-list`).
 *
 * Kept apart from `NodeListener` so the schedule can be tested with `TestClock` and a fake
 * dialler: the loop itself does no I/O.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"

export interface ActiveLoopOptions<C, E, R> {
  /** `"10.0.0.1:6653"`, for logs. */
  readonly label: string
  /** Dials once; fails when the switch cannot be reached. */
  readonly dial: Effect.Effect<C, E>
  /** Serves one established connection until it ends; never fails. */
  readonly serve: (connection: C) => Effect.Effect<void, never, R>
  /** The first delay, and the delay after a session that was established. */
  readonly base: Duration.Duration
  /** The cap of the doubling back-off. */
  readonly max: Duration.Duration
  /** Called on each failed dial (metrics). */
  readonly onFailure?: ((error: E, attempt: number) => Effect.Effect<void>) | undefined
}

/**
 * Dials, serves, and dials again, forever.
 *
 * Waits: after a session ends, `base` (Ryu waits its fixed interval too, and a switch that
 * just dropped us is usually back soon); after consecutive failed dials, `base`, `2·base`,
 * `4·base`, … capped at `max`. The first failure of a streak is logged at Info, later ones
 * at Debug, so an unreachable switch does not flood the log. No jitter: each address has
 * its own loop, and the back-off is per address, so there is no thundering herd to
 * spread; and a deterministic schedule is what operators (and tests) can reason about.
 */
export const activeLoop = <C, E, R>(options: ActiveLoopOptions<C, E, R>): Effect.Effect<never, never, R> =>
  Effect.gen(function*() {
    const baseMillis = Duration.toMillis(options.base)
    const maxMillis = Duration.toMillis(options.max)
    let delay = baseMillis
    let failures = 0
    while (true) {
      const dialled = yield* Effect.result(options.dial)
      if (dialled._tag === "Success") {
        if (failures > 0) yield* Effect.logInfo(`connected to switch ${options.label} after ${failures} failed attempts`)
        else yield* Effect.logDebug(`connected to switch ${options.label}`)
        failures = 0
        delay = baseMillis
        yield* options.serve(dialled.success)
        yield* Effect.logInfo(`switch ${options.label} disconnected; reconnecting in ${Duration.format(Duration.millis(delay))}`)
        yield* Effect.sleep(delay)
      } else {
        failures++
        if (options.onFailure !== undefined) yield* options.onFailure(dialled.failure, failures)
        const message = `cannot connect to switch ${options.label}: ${describe(dialled.failure)}; retrying in ${
          Duration.format(Duration.millis(delay))
        }`
        if (failures === 1) yield* Effect.logInfo(message)
        else yield* Effect.logDebug(message)
        yield* Effect.sleep(delay)
        delay = Math.min(delay * 2, maxMillis)
      }
    }
  })

// The most specific message available: a SocketError keeps the Node error (ECONNREFUSED,
// ETIMEDOUT, …) as the cause of its reason.
const describe = (error: unknown): string => {
  let current: unknown = error
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    const { cause, reason } = current as { cause?: unknown; reason?: unknown }
    if (cause instanceof Error && !(cause as { reason?: unknown }).reason) return cause.message
    current = reason ?? cause
  }
  return error instanceof Error ? error.message : String(error)
}
