/**
 * Builds `packages/cli` (and the packages it references) before a test spawns the real
 * `switchyard` executable, which runs the compiled `dist/`.
 *
 * Test files run in parallel workers, and two `tsc -b` runs writing the same outputs at
 * once could let a spawned process read a half-written file; so builds are serialised
 * with a lock directory (`mkdir` is atomic), and a lock older than the longest build is
 * treated as left over by a killed run.
 */
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..")

const lock = path.join(repoRoot, "node_modules", ".cache", "switchyard-cli-build.lock")
const STALE_MS = 5 * 60_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const acquire = async (): Promise<void> => {
  fs.mkdirSync(path.dirname(lock), { recursive: true })
  for (;;) {
    try {
      fs.mkdirSync(lock)
      return
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now())
      if (age > STALE_MS) fs.rmSync(lock, { recursive: true, force: true })
      else await sleep(100)
    }
  }
}

/** Runs `tsc -b packages/cli` (incremental, so fast when nothing changed); rejects with tsc's output on failure. */
export const buildCli = async (): Promise<void> => {
  await acquire()
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(process.execPath, [path.join(repoRoot, "node_modules/typescript/bin/tsc"), "-b", "packages/cli"], { cwd: repoRoot }, (error, stdout, stderr) => {
        if (error === null) resolve()
        else reject(new Error(`npx tsc -b packages/cli failed:\n${stdout}${stderr}`))
      })
    })
  } finally {
    fs.rmSync(lock, { recursive: true, force: true })
  }
}
