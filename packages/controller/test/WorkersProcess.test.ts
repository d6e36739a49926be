// Multi-worker mode as a real process tree: the runner started with `--workers 2` on a free
// port, real-socket switches, and what an operator relies on: switches spread over both
// workers and all handshake, the shared map is one map, a signal stops everything in order
// (exit 130, port released, no worker left), a killed worker is restarted and its switches
// get back in, a switch reconnecting through the other worker loses its stale session,
// metrics come from one endpoint, TLS and dialled switches work. The fixture runs the
// compiled package (dist/), rebuilt here so it is this checkout's code.
import { afterEach, assert, beforeAll, describe, it } from "@effect/vitest"
import { type ChildProcess, spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Net from "node:net"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Os from "node:os"
import { buildController, repoRoot } from "./support/build.ts"
import { type Certs, makeCerts } from "./support/certs.ts"
import { connectTls } from "./support/client.ts"
import * as FakeSwitch from "./support/fakeSwitch.ts"

const here = Path.dirname(fileURLToPath(import.meta.url))
const fixture = Path.join(here, "fixtures/workers-main.mjs")

interface Running {
  readonly child: ChildProcess
  stdout: string
  stderr: string
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

const children: Array<ChildProcess> = []
const workerPids: Array<number> = []
afterEach(() => {
  // Workers stop on their own when their primary's channel closes; killing them too keeps
  // a failed test from leaving processes behind.
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL")
  for (const pid of workerPids.splice(0)) if (alive(pid)) process.kill(pid, "SIGKILL")
})

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const start = (args: ReadonlyArray<string>, env: Record<string, string> = {}): Running => {
  const child = spawn(process.execPath, [fixture, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  children.push(child)
  const running: Running = {
    child,
    stdout: "",
    stderr: "",
    exit: new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })))
  }
  child.stdout!.setEncoding("utf8").on("data", (s: string) => (running.stdout += s))
  child.stderr!.setEncoding("utf8").on("data", (s: string) => (running.stderr += s))
  return running
}

const waitFor = (running: Running, pattern: RegExp, ms = 15_000): Effect.Effect<RegExpExecArray, Error> =>
  Effect.promise(async () => {
    const deadline = Date.now() + ms
    while (Date.now() < deadline) {
      const m = pattern.exec(running.stderr)
      if (m !== null) return m
      if (running.child.exitCode !== null) break
      await new Promise((r) => setTimeout(r, 20))
    }
    return undefined
  }).pipe(
    Effect.flatMap((m) =>
      m === undefined ? Effect.fail(new Error(`no match for ${pattern} in stderr:\n${running.stderr}`)) : Effect.succeed(m)
    )
  )

// Waits until `count` lines match `pattern` (global), and returns them.
const waitForLines = (running: Running, pattern: RegExp, count: number, ms = 15_000) =>
  Effect.promise(async () => {
    const deadline = Date.now() + ms
    for (;;) {
      const lines = [...running.stderr.matchAll(pattern)]
      if (lines.length >= count || Date.now() > deadline || running.child.exitCode !== null) return lines
      await new Promise((r) => setTimeout(r, 20))
    }
  }).pipe(
    Effect.flatMap((lines) =>
      lines.length >= count
        ? Effect.succeed(lines)
        : Effect.fail(new Error(`${lines.length} of ${count} lines matching ${pattern} in stderr:\n${running.stderr}`))
    )
  )

const canBind = (port: number) =>
  Effect.callback<boolean>((resume) => {
    const server = Net.createServer()
    server.once("error", () => resume(Effect.succeed(false)))
    server.listen(port, "127.0.0.1", () => server.close(() => resume(Effect.succeed(true))))
  })

const exited = (running: Running) => Effect.promise(() => running.exit)

const freePort = Effect.callback<number>((resume) => {
  const server = Net.createServer()
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as Net.AddressInfo
    server.close(() => resume(Effect.succeed(port)))
  })
})

// Every process's pid and command line (arguments separated by NUL), from /proc.
const processes = (): Array<readonly [number, string]> =>
  Fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      return [[Number(d), Fs.readFileSync(`/proc/${d}/cmdline`, "utf8")] as const]
    } catch {
      return []
    }
  })

interface Started {
  readonly running: Running
  readonly port: number
  readonly pids: ReadonlyArray<number>
}

// Starts the fixture with `--workers N` on a free port of 127.0.0.1; resolves once every
// worker is serving.
const startWorkers = (workers: number | "auto", extra: ReadonlyArray<string> = []) =>
  Effect.gen(function*() {
    const running = start([
      "--workers", String(workers), "--ofp-listen-host", "127.0.0.1", "--ofp-tcp-listen-port", "0", ...extra
    ])
    const port = Number((yield* waitFor(running, /INFO  listening on tcp:127\.0\.0\.1:(\d+)\n/))[1])
    const pids = (yield* waitFor(running, /INFO  \d+ workers serving \(pids ([\d, ]+)\)\n/))[1]!.split(", ").map(Number)
    workerPids.push(...pids)
    return { running, port, pids } satisfies Started
  })

// The worker that logged the fixture's hello for `dpid`.
const workerOf = (running: Running, dpid: bigint): number | undefined => {
  const id = dpid.toString(16).padStart(16, "0")
  const lines = [...running.stderr.matchAll(new RegExp(`fixture: hello ${id} .* worker=(\\d+)`, "g"))]
  return lines.length === 0 ? undefined : Number(lines[lines.length - 1]![1])
}

const connectAll = (port: number, dpids: ReadonlyArray<bigint>): Effect.Effect<Array<FakeSwitch.FakeSwitch>, Error, Scope.Scope> =>
  Effect.forEach(dpids, (dpid) => FakeSwitch.connect({ port, dpid }), { concurrency: "unbounded" })

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => BigInt(from + i))

describe("multi-worker mode (--workers 2) as a process tree", () => {
  beforeAll(() => buildController(), 180_000)

  it.live("spreads switches evenly over both workers; all handshake and talk; the shared map is one map", () =>
    Effect.gen(function*() {
      const { pids, port, running } = yield* startWorkers(2)
      assert.strictEqual(pids.length, 2)
      assert.strictEqual(running.stderr.match(/listening on /g)?.length, 1, "each address is announced once")
      const switches = yield* connectAll(port, range(1, 8))
      yield* Effect.forEach(switches, (sw) => sw.handshakeDone, { concurrency: "unbounded" })
      yield* Effect.forEach(switches, (sw) =>
        Effect.gen(function*() {
          const data = new TextEncoder().encode(`sw-${sw.dpid}`)
          assert.deepStrictEqual(yield* sw.echo(data), data)
        }), { concurrency: "unbounded" })
      yield* waitForLines(running, /fixture: hello /g, 8)
      const perWorker = new Map<number, number>()
      for (const sw of switches) {
        const worker = workerOf(running, sw.dpid)
        assert.isDefined(worker)
        perWorker.set(worker!, (perWorker.get(worker!) ?? 0) + 1)
      }
      // Least connections with ties taken in turn: 8 switches at once are 4 and 4.
      assert.deepStrictEqual([...perWorker].sort(), [[1, 4], [2, 4]])
      // Both workers follow the shared map, and each sees the other's writes.
      for (const [watcher, writer] of [[1, 2], [2, 1]]) {
        yield* waitFor(running, new RegExp(`fixture: change Set \\w+ by worker ${writer} worker=${watcher}\\n`))
      }
      yield* waitFor(running, /fixture: hello \w+ \(8 in the shared map\)/)
    }), 60_000)

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it.live(`${signal} closes every switch in both workers, stops the workers, exits 130 and releases the port`, () =>
      Effect.gen(function*() {
        const { pids, port, running } = yield* startWorkers(2)
        const switches = yield* connectAll(port, range(0x10, 4))
        yield* Effect.forEach(switches, (sw) => sw.handshakeDone, { concurrency: "unbounded" })
        yield* waitForLines(running, /fixture: hello /g, 4)
        running.child.kill(signal)
        yield* Effect.forEach(switches, (sw) => sw.closed, { concurrency: "unbounded" })
        const { code } = yield* exited(running)
        assert.strictEqual(code, 130)
        assert.isTrue(yield* canBind(port), "the listening port is released")
        for (const pid of pids) assert.isFalse(alive(pid), `worker pid ${pid} is gone`)
        // In order: the primary stops accepting, then each worker closes its switches.
        const primaryStop = running.stderr.indexOf("INFO  shutting down\n")
        assert.isAbove(primaryStop, -1)
        for (const worker of [1, 2]) {
          assert.isAbove(running.stderr.indexOf(`INFO  shutting down worker=${worker}`), primaryStop)
        }
        assert.notMatch(running.stderr, /restarting/)
      }), 60_000)
  }

  it.live("a killed worker is restarted, and its switches get back in through it", () =>
    Effect.gen(function*() {
      const { pids, port, running } = yield* startWorkers(2)
      const switches = yield* connectAll(port, range(0x20, 4))
      yield* Effect.forEach(switches, (sw) => sw.handshakeDone, { concurrency: "unbounded" })
      yield* waitForLines(running, /fixture: hello /g, 4)
      const onOne = switches.filter((sw) => workerOf(running, sw.dpid) === 1)
      assert.strictEqual(onOne.length, 2)
      process.kill(pids[0]!, "SIGKILL")
      // Worker 1's switches lose their connection; worker 2's keep theirs.
      yield* Effect.forEach(onOne, (sw) => sw.closed, { concurrency: "unbounded" })
      for (const sw of switches.filter((s) => !onOne.includes(s))) {
        assert.deepStrictEqual(yield* sw.echo(new Uint8Array([1])), new Uint8Array([1]))
      }
      const first = onOne.map((sw) => sw.dpid)
      yield* waitFor(running, new RegExp(`WARN  worker 1 \\(pid ${pids[0]}\\) was killed by SIGKILL; restarting it in \\d+ ms`))
      const restarted = Number((yield* waitFor(running, /INFO  worker 1 restarted \(pid (\d+)\)/))[1])
      workerPids.push(restarted)
      assert.notStrictEqual(restarted, pids[0])
      // The switches redial: the fresh worker has fewer connections than worker 2 (which
      // kept its two), so it gets them.
      const again = yield* connectAll(port, first)
      yield* Effect.forEach(again, (sw) => sw.handshakeDone, { concurrency: "unbounded" })
      yield* waitForLines(running, /fixture: hello /g, 6)
      for (const dpid of first) assert.strictEqual(workerOf(running, dpid), 1)
      // The shared map outlived the worker that wrote to it.
      yield* waitFor(running, /fixture: hello \w+ \(4 in the shared map\) worker=1/)
    }), 60_000)

  it.live("a switch that reconnects through the other worker: its stale session is closed", () =>
    Effect.gen(function*() {
      const { port, running } = yield* startWorkers(2)
      const old = yield* FakeSwitch.connect({ port, dpid: 0x42n })
      yield* old.handshakeDone
      yield* waitForLines(running, /fixture: hello 0000000000000042/g, 1)
      const before = workerOf(running, 0x42n)!
      // The old connection is still open (the switch rebooted without a FIN, say): the
      // new one goes to the worker with fewer connections, the other one.
      const fresh = yield* FakeSwitch.connect({ port, dpid: 0x42n })
      yield* fresh.handshakeDone
      yield* waitForLines(running, /fixture: hello 0000000000000042/g, 2)
      const after = workerOf(running, 0x42n)!
      assert.notStrictEqual(after, before)
      yield* old.closed
      yield* waitFor(
        running,
        new RegExp(`datapath reconnected through worker ${after}: closing its previous connection here .*worker=${before}`)
      )
      assert.deepStrictEqual(yield* fresh.echo(new Uint8Array([7])), new Uint8Array([7]))
    }), 60_000)

  it.live("one metrics endpoint serves the primary's series and every worker's, labelled", () =>
    Effect.gen(function*() {
      const { port, running } = yield* startWorkers(2, ["--metrics-port", "0"])
      const url = (yield* waitFor(running, /INFO  metrics at (http:\/\/\S+\/metrics)/))[1]!
      const switches = yield* connectAll(port, range(0x30, 2))
      yield* Effect.forEach(switches, (sw) => sw.handshakeDone, { concurrency: "unbounded" })
      yield* waitForLines(running, /fixture: hello /g, 2)
      const text = yield* Effect.promise(() => fetch(url).then((r) => r.text()))
      assert.match(text, /^switchyard_workers_ready 2$/m)
      for (const worker of [1, 2]) {
        assert.match(text, new RegExp(`^switchyard_datapaths\\{worker="${worker}"\\} 1$`, "m"))
      }
      // One HELP/TYPE block per metric, however many workers report it.
      assert.strictEqual(text.match(/^# TYPE switchyard_datapaths /gm)?.length, 1)
    }), 60_000)

  it.live("--workers auto starts one worker per available CPU", () =>
    Effect.gen(function*() {
      const { pids } = yield* startWorkers("auto")
      assert.strictEqual(pids.length, Os.availableParallelism())
    }), 60_000)

  it.live("a bad --workers value is one line and exit code 2; nothing starts", () =>
    Effect.gen(function*() {
      const bad = start(["--workers", "0"])
      assert.strictEqual((yield* exited(bad)).code, 2)
      assert.strictEqual(bad.stderr, "fixture: --workers: expected a number of workers 1-256 or auto, got \"0\"\n")
      const env = start([], { SWITCHYARD_WORKERS: "many" })
      assert.strictEqual((yield* exited(env)).code, 2)
      assert.strictEqual(env.stderr, "fixture: SWITCHYARD_WORKERS: expected a number of workers 1-256 or auto, got \"many\"\n")
    }), 30_000)

  it.live("a port in use is one line and exit code 1, before any worker starts", () =>
    Effect.gen(function*() {
      const blocker = Net.createServer()
      yield* Effect.acquireRelease(
        Effect.callback<void>((resume) => void blocker.listen(0, "127.0.0.1", () => resume(Effect.void))),
        () => Effect.callback<void>((resume) => void blocker.close(() => resume(Effect.void)))
      )
      const port = (blocker.address() as Net.AddressInfo).port
      const run = start(["--workers", "2", "--ofp-listen-host", "127.0.0.1", "--ofp-tcp-listen-port", String(port)])
      assert.strictEqual((yield* exited(run)).code, 1)
      assert.match(run.stderr, new RegExp(`^fixture: cannot listen on tcp:127\\.0\\.0\\.1:${port}: .*EADDRINUSE.*\\n$`))
    }), 30_000)

  it.live("a worker whose apps cannot be built fails the start: exit 1, the other worker stopped, the port released", () =>
    Effect.gen(function*() {
      const port = yield* freePort
      const args = ["--workers", "2", "--ofp-listen-host", "127.0.0.1", "--ofp-tcp-listen-port", String(port)]
      const run = start(args, { FIXTURE_FAIL_WORKER: "2" })
      assert.strictEqual((yield* exited(run)).code, 1)
      // The worker reports its own failure (Effect's report of a failed main), the primary says what it means.
      assert.include(run.stdout + run.stderr, "fixture: worker 2 cannot start")
      assert.match(run.stderr, /fixture: worker 2 exited during start-up \(exited with code 1\)\n$/)
      assert.notInclude(run.stderr, "listening on")
      assert.isTrue(yield* canBind(port))
      // No process of this run is left (worker 1 was stopped by the primary on its way out).
      const mine = (cmdline: string) => cmdline.includes(fixture) && cmdline.includes(`--ofp-tcp-listen-port\u0000${port}`)
      assert.deepStrictEqual(processes().filter(([, cmdline]) => mine(cmdline)), [])
    }), 30_000)

  describe("TLS", () => {
    let certs: Certs
    beforeAll(() => {
      certs = makeCerts()
      return () => certs.cleanup()
    })

    it.live("a worker completes the TLS handshake of a switch the primary accepted; a rogue certificate is refused", () =>
      Effect.gen(function*() {
        const running = start([
          "--workers", "2", "--ofp-listen-host", "127.0.0.1", "--ofp-ssl-listen-port", "0",
          "--ctl-privkey", certs.controllerKey, "--ctl-cert", certs.controllerCert, "--ca-certs", certs.caCert
        ])
        const port = Number((yield* waitFor(running, /INFO  listening on tls:127\.0\.0\.1:(\d+)\n/))[1])
        const pids = (yield* waitFor(running, /INFO  2 workers serving \(pids ([\d, ]+)\)/))[1]!.split(", ").map(Number)
        workerPids.push(...pids)
        const options = (identity: "valid" | "rogue") => ({
          host: "127.0.0.1",
          port,
          ca: certs.read(certs.caCert),
          key: certs.read(identity === "valid" ? certs.switchKey : certs.rogueKey),
          cert: certs.read(identity === "valid" ? certs.switchCert : certs.rogueCert)
        })
        // Two switches, so both workers run a TLS handshake; each gets the controller's HELLO.
        for (let i = 0; i < 2; i++) {
          const client = yield* connectTls(options("valid"))
          const header = yield* client.read(8)
          assert.strictEqual(header[1], 0, "OFPT_HELLO")
        }
        const rogue = yield* Effect.exit(Effect.scoped(Effect.gen(function*() {
          const client = yield* connectTls(options("rogue"))
          return yield* client.read(8)
        })))
        assert.strictEqual(rogue._tag, "Failure", "a switch without a valid certificate gets no session")
      }), 60_000)
  })

  it.live("switches the controller dials are dealt out: each is dialled by exactly one worker", () =>
    Effect.gen(function*() {
      // Two "switches" in passive mode, counting the controller's connections.
      const accepted = [0, 0]
      const ports: Array<number> = []
      for (let i = 0; i < 2; i++) {
        const server = Net.createServer((socket) => {
          accepted[i]!++
          socket.on("error", () => {})
        })
        yield* Effect.acquireRelease(
          Effect.callback<void>((resume) => void server.listen(0, "127.0.0.1", () => resume(Effect.void))),
          () => Effect.sync(() => void server.close())
        )
        ports.push((server.address() as Net.AddressInfo).port)
      }
      const { running } = yield* startWorkers(2, [
        "--ofp-switch-address-list", ports.map((p) => `127.0.0.1:${p}`).join(",")
      ])
      yield* waitFor(running, new RegExp(`connecting to switch 127\\.0\\.0\\.1:${ports[0]} worker=1`))
      yield* waitFor(running, new RegExp(`connecting to switch 127\\.0\\.0\\.1:${ports[1]} worker=2`))
      yield* Effect.promise(async () => {
        const deadline = Date.now() + 5000
        while ((accepted[0] === 0 || accepted[1] === 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      })
      assert.deepStrictEqual(accepted, [1, 1])
    }), 60_000)
})
