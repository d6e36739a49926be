// The primary's bookkeeping without processes: which worker gets a connection, which
// session of a datapath id survives when two workers report it (whatever order the
// reports arrive in), what a worker's exit forgets, and the order of a shared-map change
// and its reply. Workers are fakes recording what the primary sends them.
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import type * as ChildProcess from "node:child_process"
import * as Net from "node:net"
import type { ToWorker } from "../src/internal/ipc.ts"
import { Pool, type Slot } from "../src/internal/primary.ts"

interface Sent {
  readonly worker: number
  readonly message: ToWorker
  readonly handle: unknown
}

const makePool = (count: number) => {
  const sent: Array<Sent> = []
  const pool = new Pool(count, [], 10_000, (effect) => void Effect.runFork(effect))
  for (const slot of pool.slots) {
    const fake = {
      connected: true,
      send: (message: ToWorker, handle: unknown, _options: unknown, callback?: (error: Error | null) => void) => {
        sent.push({ worker: slot.id, message, handle })
        callback?.(null)
        return true
      }
    }
    slot.child = fake as unknown as ChildProcess.ChildProcess
  }
  return { pool, sent }
}

const socket = () => {
  const s = new Net.Socket()
  s.on("error", () => {})
  return s
}

const dispatched = (sent: Array<Sent>) => sent.filter((s) => s.message._tag === "sy:Connection").map((s) => s.worker)

describe("the multi-worker primary", () => {
  it("holds connections until every worker is up, then deals them out by fewest connections, ties in turn", () => {
    const { pool, sent } = makePool(3)
    for (let i = 0; i < 4; i++) pool.accept(0, socket())
    pool.ready(pool.slots[0]!)
    assert.deepStrictEqual(dispatched(sent), [], "nothing is handed out while workers are starting")
    pool.ready(pool.slots[1]!)
    pool.ready(pool.slots[2]!)
    pool.open()
    assert.deepStrictEqual(dispatched(sent), [1, 2, 3, 1])
    // Workers 1 and 3 lose all their connections: 0, 1, 0. The turn is at worker 2, so
    // the tie between 1 and 3 goes to 3, then 1 (now the only one at 0), then, all at 1,
    // the turn: worker 2.
    pool.onMessage(pool.slots[0]!, { _tag: "sy:Closed" })
    pool.onMessage(pool.slots[0]!, { _tag: "sy:Closed" })
    pool.onMessage(pool.slots[2]!, { _tag: "sy:Closed" })
    sent.length = 0
    for (let i = 0; i < 3; i++) pool.accept(0, socket())
    assert.deepStrictEqual(dispatched(sent), [3, 1, 2])
    pool.refusePending()
  })

  it("a restarted worker, having no connection, takes the switches that redial", () => {
    const { pool, sent } = makePool(2)
    pool.ready(pool.slots[0]!)
    pool.ready(pool.slots[1]!)
    pool.open()
    for (let i = 0; i < 4; i++) pool.accept(0, socket())
    const child = pool.slots[0]!.child
    pool.gone(pool.slots[0]!)
    sent.length = 0
    // While worker 1 is down, everything goes to worker 2.
    pool.accept(0, socket())
    assert.deepStrictEqual(dispatched(sent), [2])
    pool.slots[0]!.child = child
    pool.ready(pool.slots[0]!)
    sent.length = 0
    for (let i = 0; i < 2; i++) pool.accept(0, socket())
    assert.deepStrictEqual(dispatched(sent), [1, 1])
  })

  it("a datapath id reported by two workers: the later handshake wins, in whichever order the reports arrive", () => {
    for (const order of ["in order", "reversed"] as const) {
      const { pool, sent } = makePool(2)
      const [one, two] = pool.slots as [Slot, Slot]
      const older = () => pool.onMessage(one, { _tag: "sy:Up", dpid: 0x42n, session: 7, at: 1000.5 })
      const newer = () => pool.onMessage(two, { _tag: "sy:Up", dpid: 0x42n, session: 3, at: 1000.75 })
      if (order === "in order") {
        older()
        newer()
      } else {
        newer()
        older()
      }
      assert.deepStrictEqual(pool.registry.get(0x42n), { worker: 2, session: 3, at: 1000.75 }, order)
      assert.deepStrictEqual(sent.map((s) => [s.worker, s.message]), [
        [1, { _tag: "sy:Drop", dpid: 0x42n, session: 7, by: 2 }]
      ], order)
      // The dropped session's Down changes nothing; the survivor's removes the entry.
      pool.onMessage(one, { _tag: "sy:Down", dpid: 0x42n, session: 7 })
      assert.strictEqual(pool.registry.get(0x42n)?.worker, 2)
      pool.onMessage(two, { _tag: "sy:Down", dpid: 0x42n, session: 3 })
      assert.isUndefined(pool.registry.get(0x42n))
    }
  })

  it("a reconnect within one worker is that worker's business: no drop order", () => {
    const { pool, sent } = makePool(2)
    const one = pool.slots[0]!
    pool.onMessage(one, { _tag: "sy:Up", dpid: 1n, session: 1, at: 1 })
    pool.onMessage(one, { _tag: "sy:Down", dpid: 1n, session: 1 })
    pool.onMessage(one, { _tag: "sy:Up", dpid: 1n, session: 2, at: 2 })
    assert.deepStrictEqual(pool.registry.get(1n), { worker: 1, session: 2, at: 2 })
    assert.deepStrictEqual(sent, [])
  })

  it("a worker that exits is forgotten: its datapaths, its watches", () => {
    const { pool, sent } = makePool(2)
    const [one, two] = pool.slots as [Slot, Slot]
    pool.onMessage(one, { _tag: "sy:Up", dpid: 1n, session: 1, at: 1 })
    pool.onMessage(two, { _tag: "sy:Up", dpid: 2n, session: 1, at: 2 })
    pool.onMessage(one, { _tag: "sy:Watch", map: "m" })
    pool.gone(one)
    assert.deepStrictEqual([...pool.registry.keys()], [2n])
    pool.onMessage(two, { _tag: "sy:Shared", id: 1, op: { op: "set", map: "m", key: "k", value: 1 } })
    assert.deepStrictEqual(sent.map((s) => s.worker), [2], "only the reply; nobody watches any more")
  })

  it("a shared-map change reaches every watcher before the writer's reply", () => {
    const { pool, sent } = makePool(2)
    const [one, two] = pool.slots as [Slot, Slot]
    pool.onMessage(one, { _tag: "sy:Watch", map: "hosts" })
    pool.onMessage(two, { _tag: "sy:Watch", map: "hosts" })
    pool.onMessage(two, { _tag: "sy:Shared", id: 9, op: { op: "set", map: "hosts", key: 5, value: { port: 1 } } })
    const change: ToWorker = { _tag: "sy:SharedChange", change: { map: "hosts", change: { _tag: "Set", key: 5, value: { port: 1 } } } }
    assert.deepStrictEqual(sent.map((s) => [s.worker, s.message]), [
      [1, change],
      [2, change],
      [2, { _tag: "sy:SharedReply", id: 9, result: undefined }]
    ])
    sent.length = 0
    pool.onMessage(one, { _tag: "sy:Shared", id: 1, op: { op: "get", map: "hosts", key: 5 } })
    assert.deepStrictEqual(sent.map((s) => [s.worker, s.message]), [
      [1, { _tag: "sy:SharedReply", id: 1, result: { found: true, value: { port: 1 } } }]
    ])
  })

  it("messages that are not the runner's are ignored", () => {
    const { pool, sent } = makePool(1)
    pool.onMessage(pool.slots[0]!, { hello: "app" })
    pool.onMessage(pool.slots[0]!, "text")
    pool.onMessage(pool.slots[0]!, null)
    assert.deepStrictEqual(sent, [])
    assert.strictEqual(pool.registry.size, 0)
  })
})
