#!/usr/bin/env node
// A mutation fuzzer for the OpenFlow codec (run after `npx tsc -b packages/openflow`).
//
// It starts from Ryu's vectors of every version plus every saved regression input, and
// applies stacked random mutations (bit flips, byte overwrites, 16-bit length pokes at
// TLV-length positions, inserts, deletes, cuts, header length rewrites, splices of two
// messages). Each input goes through the codec's contract: `Message.decode` never throws
// and returns a Result; a message it returns encodes again in the same version, and the
// re-encoding decodes to the same message. The first violation is saved as
// `test/fuzz-regression/crash-<sha1>.hex` (run by the robustness test from then on) and
// the process exits 1. The robustness test is the fast, fixed-seed subset of this.
//
// Usage: node packages/openflow/bench/fuzz.mjs [--iterations N] [--seconds S] [--seed N]
//          [--crash-only]   (report only exceptions, not contract violations)
import { createHash } from "node:crypto"
import fs from "node:fs"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"

const here = path.dirname(fileURLToPath(import.meta.url))
const pkg = path.resolve(here, "..")
const repoRoot = path.resolve(pkg, "../..")
const regressionDir = path.join(pkg, "test", "fuzz-regression")

const { values: opts } = parseArgs({
  options: {
    iterations: { type: "string", default: "1000000" },
    seconds: { type: "string" },
    seed: { type: "string", default: String(Date.now() % 1_000_000) },
    "crash-only": { type: "boolean", default: false }
  }
})

const dist = path.join(pkg, "dist", "index.js")
if (!fs.existsSync(dist)) {
  console.error(`fuzz: ${path.relative(process.cwd(), dist)} not found; build first: npx tsc -b packages/openflow`)
  process.exit(2)
}
const { Message, OpenFlowError } = await import(dist)

const vectorsDir = process.env.SWITCHYARD_RYU_VECTORS ?? path.resolve(repoRoot, "../shared/vectors/ryu")

// ---------------------------------------------------------------------------------------
// Seed corpus

const readHexFile = (file) => {
  const text = fs.readFileSync(file, "utf8").split("\n").filter((l) => !l.trimStart().startsWith("#")).join("")
  return new Uint8Array(Buffer.from(text.replace(/\s+/g, ""), "hex"))
}

const corpus = []
const packetDir = path.join(vectorsDir, "packet_data")
if (fs.existsSync(packetDir)) {
  for (const folder of fs.readdirSync(packetDir).sort()) {
    for (const f of fs.readdirSync(path.join(packetDir, folder)).sort()) {
      if (f.endsWith(".packet")) corpus.push(new Uint8Array(fs.readFileSync(path.join(packetDir, folder, f))))
    }
  }
} else {
  console.error(`fuzz: Ryu vectors not found at ${vectorsDir} (set SWITCHYARD_RYU_VECTORS); seeding from regressions only`)
}
for (const f of fs.readdirSync(regressionDir).sort()) {
  if (f.endsWith(".hex")) corpus.push(readHexFile(path.join(regressionDir, f)))
}
if (corpus.length === 0) {
  console.error("fuzz: empty seed corpus")
  process.exit(2)
}

// ---------------------------------------------------------------------------------------
// Deterministic randomness (mulberry32), so `--seed` reproduces a run.

let state = Number(opts.seed) | 0
const random = () => {
  state = (state + 0x6d2b79f5) | 0
  let t = state
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const int = (n) => Math.floor(random() * n)

const setLength = (m, length) => {
  if (m.length >= 4) {
    m[2] = (length >>> 8) & 0xff
    m[3] = length & 0xff
  }
  return m
}

// Positions in the body are favoured: header damage mostly exercises the central checks.
const position = (m) => (m.length > 8 && random() < 0.9 ? 8 + int(m.length - 8) : int(m.length))

const mutate = (input) => {
  let m = Uint8Array.from(input)
  for (let steps = 1 + int(4); steps > 0; steps--) {
    if (m.length === 0) m = new Uint8Array(8)
    switch (int(9)) {
      case 0: {
        const p = position(m)
        m[p] ^= 1 << int(8)
        break
      }
      case 1:
        m[position(m)] = int(256)
        break
      case 2: {
        // A 16-bit value at an even offset: where OpenFlow keeps TLV and list lengths.
        const p = position(m) & ~1
        const choices = [0, 1, 2, 3, 4, 7, 8, 12, 16, 24, m.length - p, m.length - p + 1, m.length - p - 1, 0xffff, int(0x10000)]
        const v = choices[int(choices.length)] & 0xffff
        m[p] = v >>> 8
        if (p + 1 < m.length) m[p + 1] = v & 0xff
        break
      }
      case 3: {
        const p = position(m)
        const n = 1 + int(16)
        const grown = new Uint8Array(m.length + n)
        grown.set(m.subarray(0, p))
        for (let k = 0; k < n; k++) grown[p + k] = random() < 0.5 ? 0 : int(256)
        grown.set(m.subarray(p), p + n)
        m = setLength(grown, grown.length)
        break
      }
      case 4: {
        const p = position(m)
        const n = Math.min(1 + int(16), m.length - p)
        const shrunk = new Uint8Array(m.length - n)
        shrunk.set(m.subarray(0, p))
        shrunk.set(m.subarray(p + n), p)
        m = setLength(shrunk, shrunk.length)
        break
      }
      case 5: {
        // A cut, with the header length left as is half of the time.
        const cut = int(m.length + 1)
        m = m.slice(0, cut)
        if (random() < 0.5) setLength(m, cut)
        break
      }
      case 6:
        setLength(m, random() < 0.7 ? m.length + int(17) - 8 : int(0x10000))
        break
      case 7: {
        // The head of this message over the tail of another one.
        const other = corpus[int(corpus.length)]
        const p = Math.min(position(m), m.length)
        const q = int(other.length + 1)
        const spliced = new Uint8Array(p + other.length - q)
        spliced.set(m.subarray(0, p))
        spliced.set(other.subarray(q), p)
        m = setLength(spliced, spliced.length)
        break
      }
      default: {
        // Another version byte or type: right layout, wrong meaning.
        if (random() < 0.5) m[0] = 1 + int(6)
        else m[1] = int(36)
      }
    }
  }
  return m
}

// ---------------------------------------------------------------------------------------
// The contract

const equal = (a, b) => {
  if (a === b) return true
  if (typeof a === "number" && typeof b === "number") return a === b || (Number.isNaN(a) && Number.isNaN(b))
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
    return true
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!(Array.isArray(a) && Array.isArray(b)) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i])) return false
    return true
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  for (const k of ka) if (!equal(a[k], b[k])) return false
  return true
}

/** Returns MESSAGE or ERROR when the input is handled, or a description of the violation. */
const MESSAGE = 1
const ERROR = 2
const check = (bytes) => {
  let decoded
  try {
    decoded = Message.decode(bytes)
  } catch (e) {
    return { crash: true, what: `decode threw: ${e?.stack ?? e}` }
  }
  if (decoded?._tag === "Failure") {
    return decoded.failure instanceof OpenFlowError.OpenFlowError
      ? ERROR
      : { crash: true, what: `decode failed with a non-OpenFlowError: ${decoded.failure}` }
  }
  if (decoded?._tag !== "Success") return { crash: true, what: `decode returned a non-Result: ${decoded}` }
  const { message, version, xid } = decoded.success
  let encoded
  try {
    encoded = Message.encode(message, { version, xid })
  } catch (e) {
    return { crash: true, what: `encode threw re-encoding a decoded ${message._tag}: ${e?.stack ?? e}` }
  }
  if (encoded._tag === "Failure") return { crash: false, what: `a decoded ${message._tag} does not re-encode: ${encoded.failure.toLine?.() ?? encoded.failure}` }
  let again
  try {
    again = Message.decode(encoded.success)
  } catch (e) {
    return { crash: true, what: `decode threw on a re-encoded ${message._tag}: ${e?.stack ?? e}` }
  }
  if (again._tag === "Failure") return { crash: false, what: `a re-encoded ${message._tag} does not decode: ${again.failure.toLine()}` }
  if (!equal(again.success, decoded.success)) return { crash: false, what: `a ${message._tag} decodes differently after re-encoding` }
  return MESSAGE
}

const save = (bytes, what) => {
  const name = `crash-${createHash("sha1").update(bytes).digest("hex").slice(0, 16)}.hex`
  const file = path.join(regressionDir, name)
  const comment = what.split("\n")[0]
  const hex = Buffer.from(bytes).toString("hex").replace(/(.{64})/g, "$1\n").trim()
  fs.writeFileSync(file, `# found by bench/fuzz.mjs --seed ${opts.seed}\n# ${comment}\n${hex}\n`)
  return file
}

// ---------------------------------------------------------------------------------------
// Main loop

const maxIterations = Number(opts.iterations)
const deadline = opts.seconds !== undefined ? Date.now() + Number(opts.seconds) * 1000 : Infinity
console.log(`fuzz: seed ${opts.seed}, ${corpus.length} seed inputs, up to ${maxIterations} iterations${opts.seconds ? ` or ${opts.seconds} s` : ""}`)

// Nearly every mutant is rejected with an OpenFlowError, and capturing its stack trace
// would cost most of the run; traces are turned back on to report a violation.
const stackTraceLimit = Error.stackTraceLimit
Error.stackTraceLimit = 0

const start = process.hrtime.bigint()
let decodedOk = 0
let i = 0
for (; i < maxIterations; i++) {
  if ((i & 0x3fff) === 0 && Date.now() > deadline) break
  const input = mutate(corpus[int(corpus.length)])
  const outcome = check(input)
  if (outcome === MESSAGE) decodedOk++
  else if (outcome !== ERROR && (outcome.crash || !opts["crash-only"])) {
    Error.stackTraceLimit = stackTraceLimit
    const again = check(input)
    const problem = typeof again === "object" ? again : outcome
    const file = save(input, problem.what)
    console.error(`fuzz: iteration ${i}: ${problem.what}`)
    console.error(`fuzz: input saved to ${path.relative(process.cwd(), file)}`)
    process.exit(1)
  }
  if (i > 0 && i % 500_000 === 0) {
    const s = Number(process.hrtime.bigint() - start) / 1e9
    console.log(`fuzz: ${i} iterations, ${Math.round(i / s)}/s`)
  }
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9
console.log(
  `fuzz: ${i} iterations in ${seconds.toFixed(1)} s (${Math.round(i / seconds)} iterations/s), ` +
    `${decodedOk} decoded to a message (${((100 * decodedOk) / Math.max(i, 1)).toFixed(1)}%), no violations`
)
