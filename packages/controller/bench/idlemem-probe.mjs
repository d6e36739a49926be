// Preloaded into the controller by idlemem.mjs (`node --expose-gc --import <this>`): on
// SIGUSR2 it samples memory, runs a full GC, samples again, and appends both as one JSON
// line to $IDLEMEM_OUT; with $IDLEMEM_SNAPSHOTS set to a directory it also writes a heap
// snapshot there. Sampling from inside is the only way to see the heap of a program we do
// not want to change (`node examples/l2switch.js`): /proc gives RSS, not what is in it.
import fs from "node:fs"
import path from "node:path"
import v8 from "node:v8"

const sample = () => {
  const m = process.memoryUsage()
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    spaces: Object.fromEntries(
      v8.getHeapSpaceStatistics().map((s) => [s.space_name, { used: s.space_used_size, size: s.space_size }])
    )
  }
}

let snapshots = 0
process.on("SIGUSR2", () => {
  const beforeGc = sample()
  globalThis.gc?.()
  globalThis.gc?.()
  const line = { ...sample(), beforeGc }
  const dir = process.env.IDLEMEM_SNAPSHOTS
  if (dir) line.snapshot = v8.writeHeapSnapshot(path.join(dir, `heap-${process.pid}-${snapshots++}.heapsnapshot`))
  fs.appendFileSync(process.env.IDLEMEM_OUT, JSON.stringify(line) + "\n")
})
