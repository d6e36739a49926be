// Runner.runMain as a real process: exit codes, one-line errors on stderr, --help on
// stdout, and SIGINT/SIGTERM shutting a serving controller down cleanly. The fixture runs
// the compiled package (dist/), rebuilt here so it is this checkout's code.
import { afterEach, assert, beforeAll, describe, it } from "@effect/vitest"
import { type ChildProcess, spawn } from "node:child_process"
import * as Net from "node:net"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { Effect } from "effect"
import { buildController } from "./support/build.ts"
import * as FakeSwitch from "./support/fakeSwitch.ts"

const here = Path.dirname(fileURLToPath(import.meta.url))
const repoRoot = Path.resolve(here, "../../..")
const fixture = Path.join(here, "fixtures/runner-main.mjs")

interface Running {
  readonly child: ChildProcess
  stdout: string
  stderr: string
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

const children: Array<ChildProcess> = []
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL")
})

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

const waitFor = async (running: Running, pattern: RegExp, ms = 10_000): Promise<RegExpExecArray> => {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    const m = pattern.exec(running.stderr)
    if (m !== null) return m
    if (running.child.exitCode !== null) break
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`no match for ${pattern} in stderr:\n${running.stderr}`)
}

const canBind = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = Net.createServer()
    server.once("error", () => resolve(false))
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)))
  })

describe("Runner.runMain as a process", () => {
  // Serialised with the other tests that build: two concurrent `tsc -b` runs can fail.
  beforeAll(() => buildController(), 180_000)

  it("--help prints the flags on stdout and exits 0", async () => {
    const run = start(["--help"])
    const { code } = await run.exit
    assert.strictEqual(code, 0)
    assert.match(run.stdout, /^usage: greeter \[flags\]\n\nGreets every switch\.\n/)
    assert.include(run.stdout, "--ofp-ssl-listen-port PORT")
    assert.strictEqual(run.stderr, "")
  }, 30_000)

  it("an unknown flag is one line on stderr and exit code 2", async () => {
    const run = start(["--ofp-tcp-port", "6653"])
    const { code } = await run.exit
    assert.strictEqual(code, 2)
    assert.strictEqual(run.stderr, "greeter: unknown flag --ofp-tcp-port (did you mean --ofp-tcp-listen-port?) (see --help)\n")
    assert.strictEqual(run.stdout, "")
  }, 30_000)

  it("a bad environment value names the variable, exit code 2", async () => {
    const run = start([], { SWITCHYARD_OFP_TCP_LISTEN_PORT: "66000" })
    const { code } = await run.exit
    assert.strictEqual(code, 2)
    assert.strictEqual(
      run.stderr,
      "greeter: SWITCHYARD_OFP_TCP_LISTEN_PORT: expected a TCP port 0-65535, got \"66000\"\n"
    )
    assert.strictEqual(run.stdout, "")
  }, 30_000)

  it("a port in use is one line and exit code 1", async () => {
    const blocker = Net.createServer()
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()))
    const port = (blocker.address() as Net.AddressInfo).port
    try {
      const run = start(["--ofp-listen-host", "127.0.0.1", "--ofp-tcp-listen-port", String(port)])
      const { code } = await run.exit
      assert.strictEqual(code, 1)
      assert.match(run.stderr, new RegExp(`greeter: cannot listen on tcp:127\\.0\\.0\\.1:${port}: .*EADDRINUSE.*\\n$`))
      assert.strictEqual(run.stderr.split("\n").filter((l) => l.startsWith("greeter:")).length, 1)
      assert.strictEqual(run.stdout, "")
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()))
    }
  }, 30_000)

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`${signal} while serving a switch shuts down cleanly: exit 130, port released`, async () => {
      const run = start(["--ofp-listen-host", "127.0.0.1", "--ofp-tcp-listen-port", "0"])
      const port = Number((await waitFor(run, /INFO  listening on tcp:127\.0\.0\.1:(\d+)\n/))[1])
      // A switch connects and completes its handshake; the app sees it.
      const switchClosed = Effect.runPromise(Effect.scoped(Effect.gen(function*() {
        const sw = yield* FakeSwitch.connect({ port, dpid: 0xabcn })
        yield* sw.handshakeDone
        yield* Effect.promise(() => waitFor(run, /greeter: hello 0000000000000abc/))
        run.child.kill(signal)
        // The controller closes the switch's connection on its way out.
        yield* sw.closed
      })))
      const { code } = await run.exit
      await switchClosed
      assert.strictEqual(code, 130)
      assert.include(run.stderr, "INFO  shutting down")
      assert.isTrue(await canBind(port))
    }, 30_000)
  }
})
