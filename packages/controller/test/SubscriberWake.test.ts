/**
 * When a waiting consumer is woken: after the publisher's synchronous code (never on its
 * stack), but before the event loop moves on to its next macrotask. The throughput of
 * many busy switches depends on it (see the comment in `internal/subscription.ts`): an
 * app woken in the next `setImmediate` round lets every other ready socket be read and
 * decoded first, and those events then outlive the young generation.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber } from "effect"
import type * as Events from "../src/Events.ts"
import { Subscriber } from "../src/internal/subscription.ts"

const subscriber = () =>
  new Subscriber({
    id: 1,
    name: "wake-test",
    capacity: 4,
    overflow: "suspend",
    stateMask: ~0,
    messageTags: true,
    lifecycleTags: true
  })

const batch = (n: number) => [{ _tag: "Message", n } as unknown as Events.Event] as const

const nextImmediate = () => new Promise<void>((resolve) => setImmediate(resolve))

describe("subscriber wake", () => {
  it("a waiting consumer gets a batch before the next setImmediate round, not on the publisher's stack", async () => {
    const s = subscriber()
    const order: Array<string> = []
    const fiber = Effect.runFork(Effect.map(s.pull, (b) => order.push(`batch ${(b[0] as unknown as { n: number }).n}`)))
    // Let the consumer reach its wait.
    await nextImmediate()
    assert.deepStrictEqual(order, [])
    const immediate = nextImmediate().then(() => order.push("setImmediate"))
    s.append(batch(1))
    order.push("publisher done")
    await immediate
    await Effect.runPromise(Fiber.join(fiber))
    assert.deepStrictEqual(order, ["publisher done", "batch 1", "setImmediate"])
  })

  it("a consumer that closes while waiting ends before the next setImmediate round", async () => {
    const s = subscriber()
    const order: Array<string> = []
    const fiber = Effect.runFork(
      Effect.matchCause(s.pull, { onFailure: () => order.push("done"), onSuccess: () => order.push("batch") })
    )
    await nextImmediate()
    const immediate = nextImmediate().then(() => order.push("setImmediate"))
    s.close()
    await immediate
    await Effect.runPromise(Fiber.join(fiber))
    assert.deepStrictEqual(order, ["done", "setImmediate"])
  })

  it("batches appended while the wake is pending reach the consumer in order", async () => {
    const s = subscriber()
    const seen: Array<number> = []
    const fiber = Effect.runFork(
      Effect.forEach([1, 2, 3], () => Effect.map(s.pull, (b) => seen.push((b[0] as unknown as { n: number }).n)), {
        discard: true
      })
    )
    await nextImmediate()
    s.append(batch(1))
    s.append(batch(2))
    s.append(batch(3))
    await Effect.runPromise(Fiber.join(fiber))
    assert.deepStrictEqual(seen, [1, 2, 3])
  })
})
