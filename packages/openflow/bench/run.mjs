#!/usr/bin/env node
// Runs every codec micro-benchmark of @switchyard/openflow (`bench/*.bench.mjs`), one
// after the other, each as its own Node process so one benchmark's garbage and JIT state
// do not colour the next. This is the single entry point `npm run bench` hooks into; the
// fuzzer (`fuzz.mjs`) is not a benchmark and is not run here.
//
// Builds the package first (`tsc -b packages/openflow`, incremental) unless --no-build is
// given, since the benchmarks measure the compiled dist/, as users run it.
//
// Usage: node packages/openflow/bench/run.mjs [--no-build] [args passed to each benchmark]
//   e.g. node packages/openflow/bench/run.mjs --seconds 2 --rounds 5
import { spawnSync } from "node:child_process"
import fs from "node:fs"
import path from "node:path"
import { fileURLToPath } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))
const repoRoot = path.resolve(here, "../../..")
const args = process.argv.slice(2)
const build = !args.includes("--no-build")
const passThrough = args.filter((a) => a !== "--no-build")

if (build) {
  const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc")
  const result = spawnSync(process.execPath, [tsc, "-b", "packages/openflow"], { cwd: repoRoot, stdio: "inherit" })
  if (result.status !== 0) {
    console.error("bench: the build failed (npx tsc -b packages/openflow); not benchmarking stale code")
    process.exit(result.status ?? 1)
  }
}

const benches = fs.readdirSync(here).filter((f) => f.endsWith(".bench.mjs")).sort()
if (benches.length === 0) {
  console.error(`bench: no *.bench.mjs in ${path.relative(process.cwd(), here) || "."}`)
  process.exit(1)
}

let failed = 0
for (const bench of benches) {
  console.log(`# ${path.relative(repoRoot, path.join(here, bench))}`)
  const result = spawnSync(process.execPath, [path.join(here, bench), ...passThrough], { cwd: repoRoot, stdio: "inherit" })
  if (result.status !== 0) {
    console.error(`bench: ${bench} exited with status ${result.status ?? result.signal}`)
    failed++
  }
  console.log()
}
process.exit(failed === 0 ? 0 : 1)
