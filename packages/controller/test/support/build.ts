/**
 * Builds `packages/controller` (and what it references) before a test runs the compiled
 * package (`dist/`) as a real process.
 *
 * Test files run in parallel workers, and two `tsc -b` runs writing the same outputs at
 * once could let a spawned process read a half-written file, or fail one of the builds;
 * so builds are serialised with a lock directory (`mkdir` is atomic), the one the CLI
 * tests use, and a lock older than the longest build is taken for one left by a killed
 * run.
 */
import { execFile } from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

export const repoRoot = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../../../..")

const lock = Path.join(repoRoot, "node_modules", ".cache", "switchyard-cli-build.lock")
const STALE_MS = 5 * 60_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const acquire = async (): Promise<void> => {
  Fs.mkdirSync(Path.dirname(lock), { recursive: true })
  for (;;) {
    try {
      Fs.mkdirSync(lock)
      return
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e
      const age = Date.now() - (Fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now())
      if (age > STALE_MS) Fs.rmSync(lock, { recursive: true, force: true })
      else await sleep(100)
    }
  }
}

/** Runs `tsc -b packages/controller` (incremental: fast when nothing changed); rejects with tsc's output. */
export const buildController = async (): Promise<void> => {
  await acquire()
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        [Path.join(repoRoot, "node_modules/typescript/bin/tsc"), "-b", "packages/controller"],
        { cwd: repoRoot },
        (error, stdout, stderr) => {
          if (error === null) resolve()
          else reject(new Error(`tsc -b packages/controller failed:\n${stdout}${stderr}`))
        }
      )
    })
  } finally {
    Fs.rmSync(lock, { recursive: true, force: true })
  }
}
