/**
 * The long fuzz run for @switchyard/packet.
 *
 * Usage (from the repository root):
 *
 *   npx tsc -b packages/packet/bench && node packages/packet/dist/bench/fuzz.js [iterations] [seed]
 *
 * Defaults: 1,000,000 iterations (or `$PACKET_FUZZ_ITERATIONS`), seed from the clock
 * (printed, so a failure can be reproduced with the same seed). `npm run fuzz` at the
 * repository root runs it with 500,000 inputs; `npm run bench` does not run it (a fuzzer
 * is not a benchmark). Every input goes through all the checks in
 * `lib/harness.ts`. On a failure the input is written to
 * `packages/packet/test/fuzz-regression/<seed>-<hash>.hex`, where `npm test` picks it up
 * as a regression case, and the process exits with status 1.
 */
import { createHash } from "node:crypto"
import { writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { Hex } from "@switchyard/packet"
import { FuzzFailure, run } from "./lib/harness.ts"

const iterations = Number(process.argv[2] ?? process.env["PACKET_FUZZ_ITERATIONS"] ?? 1_000_000)
const seed = Number(process.argv[3] ?? (Date.now() & 0x7fffffff))
if (!Number.isSafeInteger(iterations) || iterations < 0 || !Number.isSafeInteger(seed)) {
  console.error("usage: fuzz.js [iterations] [seed]")
  process.exit(2)
}

console.log(`packet fuzz: ${iterations} inputs, seed ${seed}`)
const started = performance.now()
try {
  run({
    seed,
    iterations,
    onProgress: (done) => {
      const seconds = (performance.now() - started) / 1000
      console.log(`  ${done} inputs, ${Math.round(done / seconds)}/s`)
    }
  })
} catch (e) {
  if (!(e instanceof FuzzFailure)) throw e
  const text = Hex.encode(e.input)
  const name = `${seed}-${createHash("sha256").update(text).digest("hex").slice(0, 12)}.hex`
  // dist/bench/fuzz.js -> test/fuzz-regression
  const path = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "test", "fuzz-regression", name)
  writeFileSync(path, `# found by bench/fuzz.ts seed ${seed}: ${e.problem.split("\n")[0]}\n${text}\n`)
  console.error(`FAILED: ${e.problem}`)
  console.error(`input (${e.input.length} bytes) saved to ${path}`)
  process.exit(1)
}
const seconds = (performance.now() - started) / 1000
console.log(`ok: ${iterations} inputs in ${seconds.toFixed(1)} s (${Math.round(iterations / seconds)}/s), no failures`)
