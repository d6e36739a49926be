/**
 * Hostile input for the whole codec: every Ryu vector of every version, cut, with wrong
 * length fields, and with random damage; framing over random chunkings; and every input
 * the fuzzer ever crashed on (`test/fuzz-regression/`).
 *
 * The contract under test is the one the controller's read path relies on: decoding peer
 * bytes never throws. It returns either a typed `OpenFlowError` (with a code from the
 * catalog) or a message; and a message it returns can be encoded again, in the same
 * version, to bytes that decode to the same message (otherwise a controller could not
 * echo, log or forward what it accepted). Every random choice comes from a seeded PRNG,
 * so a failure reproduces exactly.
 */
import { describe, expect, it } from "@effect/vitest"
import { Framing, Message, OpenFlowError } from "@switchyard/openflow"
import { Result, Schema } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { packets, vectorsPresent, type Vector } from "./vectors.ts"

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex")

/** mulberry32: small, fast, and good enough to spread mutations; seeded per vector. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const seedOf = (name: string) => {
  let h = 2166136261
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619)
  return h >>> 0
}

const errorNames = new Set<string>(OpenFlowError.names)
const isMessage = Schema.is(Message.Message)

/**
 * Runs the contract on one input; returns a description of the violation, or undefined.
 * Exported shape is plain strings so a failing test prints the offending input in hex.
 */
const violation = (bytes: Uint8Array): string | undefined => {
  let decoded: ReturnType<typeof Message.decode>
  try {
    decoded = Message.decode(bytes)
  } catch (e) {
    return `decode threw ${String(e)} on ${hex(bytes)}`
  }
  if (!Result.isResult(decoded)) return `decode returned a non-Result on ${hex(bytes)}`
  if (Result.isFailure(decoded)) {
    const error = decoded.failure
    if (!(error instanceof OpenFlowError.OpenFlowError)) return `decode failed with a non-OpenFlowError on ${hex(bytes)}`
    if (!errorNames.has(error.code)) return `decode failed with unknown code ${error.code} on ${hex(bytes)}`
    return undefined
  }
  const { message, version, xid } = decoded.success
  // A decoded value outside its Schema could not be printed as JSON by the CLI nor
  // checked by apps that validate with the Schema.
  if (!isMessage(message)) return `the ${(message as Message.Message)._tag} decoded from ${hex(bytes)} is not a value of its Schema`
  let encoded: ReturnType<typeof Message.encode>
  try {
    encoded = Message.encode(message, { version, xid })
  } catch (e) {
    return `encode threw ${String(e)} re-encoding the ${message._tag} decoded from ${hex(bytes)}`
  }
  if (Result.isFailure(encoded)) {
    return `the ${message._tag} decoded from ${hex(bytes)} does not re-encode: ${encoded.failure.toLine()}`
  }
  let again: ReturnType<typeof Message.decode>
  try {
    again = Message.decode(encoded.success)
  } catch (e) {
    return `decode threw ${String(e)} on the re-encoding ${hex(encoded.success)} of ${hex(bytes)}`
  }
  if (Result.isFailure(again)) {
    return `the re-encoding ${hex(encoded.success)} of the ${message._tag} decoded from ${hex(bytes)} does not decode: ${again.failure.toLine()}`
  }
  try {
    expect(again.success).toEqual(decoded.success)
  } catch {
    return `the ${message._tag} decoded from ${hex(bytes)} decodes differently after re-encoding to ${hex(encoded.success)}`
  }
  return undefined
}

const withLength = (bytes: Uint8Array, length: number): Uint8Array => {
  const copy = Uint8Array.from(bytes)
  if (copy.length >= 4) {
    copy[2] = (length >>> 8) & 0xff
    copy[3] = length & 0xff
  }
  return copy
}

/** Lengths a TLV length field is most likely to be wrong by. */
const edgeU16 = (len: number) => [0, 1, 2, 3, 4, 7, 8, 9, 15, 16, 17, len - 1, len, len + 1, 0x7fff, 0xfffe, 0xffff]

/** `count` damaged copies of `bytes`: bit flips, byte overwrites, 16-bit length pokes, inserts and deletes. */
const mutants = (bytes: Uint8Array, count: number, random: () => number): Array<Uint8Array> => {
  const out: Array<Uint8Array> = []
  const int = (n: number) => Math.floor(random() * n)
  for (let i = 0; i < count; i++) {
    let m: Uint8Array = Uint8Array.from(bytes)
    const kind = i % 5
    // Damage the body most of the time: a damaged header mostly tests the central
    // checks, which the header-length sweep already covers.
    const at = () => (m.length > 8 && random() < 0.9 ? 8 + int(m.length - 8) : int(m.length))
    if (m.length === 0) continue
    if (kind === 0) {
      for (let n = 1 + int(3); n > 0; n--) {
        const p = at()
        m[p] = m[p]! ^ (1 << int(8))
      }
    } else if (kind === 1) {
      for (let n = 1 + int(4); n > 0; n--) m[at()] = int(256)
    } else if (kind === 2) {
      const p = at() & ~1
      const v = edgeU16(m.length)[int(17)]! & 0xffff
      m[p] = v >>> 8
      if (p + 1 < m.length) m[p + 1] = v & 0xff
    } else if (kind === 3) {
      const p = at()
      const n = 1 + int(8)
      const grown = new Uint8Array(m.length + n)
      grown.set(m.subarray(0, p))
      for (let k = 0; k < n; k++) grown[p + k] = int(256)
      grown.set(m.subarray(p), p + n)
      m = withLength(grown, grown.length)
    } else {
      const p = at()
      const n = Math.min(1 + int(8), m.length - p)
      const shrunk = new Uint8Array(m.length - n)
      shrunk.set(m.subarray(0, p))
      shrunk.set(m.subarray(p + n), p)
      m = withLength(shrunk, shrunk.length)
    }
    out.push(m)
  }
  return out
}

/** The same header (version, type, multipart type) over random body bytes of random length. */
const randomBodies = (bytes: Uint8Array, count: number, random: () => number): Array<Uint8Array> => {
  const out: Array<Uint8Array> = []
  for (let i = 0; i < count; i++) {
    const keep = Math.min(bytes.length, 12)
    const length = keep + Math.floor(random() * Math.max(64, bytes.length * 2))
    const m = new Uint8Array(length)
    m.set(bytes.subarray(0, keep))
    for (let k = keep; k < length; k++) m[k] = Math.floor(random() * 256)
    out.push(withLength(m, length))
  }
  return out
}

const folders = ["of10", "of12", "of13", "of14", "of15"]
const all: ReadonlyArray<Vector & { readonly folder: string }> = folders.flatMap((folder) =>
  packets(folder).map((v) => ({ ...v, folder }))
)

/** Runs the contract over many inputs and fails with the first few violations. */
const expectNoViolations = (inputs: Iterable<Uint8Array>): number => {
  const problems: Array<string> = []
  let n = 0
  // Almost every input here is rejected, and each rejection is an OpenFlowError, whose
  // construction captures a stack trace: that alone is 90% of the time. The traces are
  // not looked at (problems are collected as text), so they are turned off meanwhile.
  const stackTraceLimit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    for (const input of inputs) {
      n++
      const problem = violation(input)
      if (problem !== undefined && problems.length < 5) problems.push(problem)
    }
  } finally {
    Error.stackTraceLimit = stackTraceLimit
  }
  expect(problems).toEqual([])
  return n
}

describe("decoding hostile input never throws", () => {
  if (!vectorsPresent) {
    it("Ryu vectors absent: only the fuzz regressions run", () => {
      expect(all).toEqual([])
    })
  }

  it.each(all.map((v) => [`${v.folder}/${v.name}`, v] as const))("%s", (_name, v) => {
    const bytes = v.bytes
    const random = prng(seedOf(`${v.folder}/${v.name}`))
    // Each input is checked before the next is made, so the length sweeps rewrite the
    // header of one scratch copy in place instead of copying the vector every time
    // (vectors run to 32 KiB).
    const scratch = Uint8Array.from(bytes)
    const setLength = (length: number) => {
      scratch[2] = (length >>> 8) & 0xff
      scratch[3] = length & 0xff
    }
    function* inputs(): Generator<Uint8Array> {
      yield bytes
      for (let cut = 0; cut < bytes.length; cut++) {
        // The header still claims the full length: the central check must catch it.
        yield bytes.subarray(0, cut)
        // The header agrees with the cut: the family decoder meets the truncation.
        if (cut >= 4) setLength(cut)
        yield scratch.subarray(0, cut)
      }
      for (let length = 0; length <= bytes.length + 8; length++) {
        setLength(length)
        yield scratch
      }
      yield* mutants(bytes, 40, random)
      yield* randomBodies(bytes, 10, random)
    }
    const n = expectNoViolations(inputs())
    expect(n).toBe(1 + 2 * bytes.length + bytes.length + 9 + 40 + 10)
  })
})

describe("framing", () => {
  // Vectors whose header length is their size (all but the known-bad OF1.5 meter
  // features reply, whose header says 32 for 40 bytes).
  const whole = all.filter((v) => ((v.bytes[2]! << 8) | v.bytes[3]!) === v.bytes.length)

  it.each(folders)("%s: random chunkings of the concatenated vectors give back every message", (folder) => {
    const vectors = whole.filter((v) => v.folder === folder)
    if (!vectorsPresent) return
    const stream = Buffer.concat(vectors.map((v) => v.bytes))
    const random = prng(seedOf(folder))
    for (let round = 0; round < 40; round++) {
      const framer = Framing.make()
      const out: Array<Uint8Array> = []
      let pos = 0
      // Round 0 feeds one byte at a time; later rounds mix tiny and large chunks.
      while (pos < stream.length) {
        const size = round === 0 ? 1 : 1 + Math.floor(random() ** 3 * 600)
        const chunk = new Uint8Array(stream.subarray(pos, pos + size))
        expect(framer.push(chunk, out)).toBeUndefined()
        pos += size
      }
      expect(framer.buffered).toBe(0)
      // Byte-identical frames decode as the vectors do (decoding is a pure function of
      // the bytes), whether they are views into a chunk or copies across chunks.
      expect(out.map(hex)).toEqual(vectors.map((v) => hex(v.bytes)))
    }
  })

  it("damaged streams give messages or OFPBRC_BAD_LEN, never a throw", () => {
    if (!vectorsPresent) return
    const stream = Buffer.concat(whole.map((v) => v.bytes))
    // Undamaged frames are the vectors themselves, checked above; only the rest is new.
    const known = new Set(whole.map((v) => hex(v.bytes)))
    const random = prng(7)
    let errors = 0
    for (let round = 0; round < 100; round++) {
      const damaged = Uint8Array.from(stream)
      for (let n = 0; n < 4; n++) damaged[Math.floor(random() * damaged.length)] = Math.floor(random() * 256)
      const framer = Framing.make()
      const out: Array<Uint8Array> = []
      let pos = 0
      let error: OpenFlowError.OpenFlowError | undefined
      while (pos < damaged.length && error === undefined) {
        const size = 1 + Math.floor(random() * 300)
        error = framer.push(damaged.subarray(pos, pos + size), out)
        pos += size
      }
      if (error !== undefined) {
        errors++
        expect(error.code).toBe("OFPBRC_BAD_LEN")
      }
      for (const frame of out) expect((frame[2]! << 8) | frame[3]!).toBe(frame.length)
      expectNoViolations(out.filter((frame) => !known.has(hex(frame))))
    }
    // Random damage hits a header length below 8 only sometimes; both outcomes must occur.
    expect(errors).toBeGreaterThan(0)
    expect(errors).toBeLessThan(100)
  })
})

const regressionDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "fuzz-regression")

/** Reads a regression file: hex digits, whitespace ignored, `#` starts a comment line. */
const readHexFile = (file: string): Uint8Array => {
  const text = fs.readFileSync(file, "utf8").split("\n").filter((l) => !l.trimStart().startsWith("#")).join("")
  const digits = text.replace(/\s+/g, "")
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`${file} is not a hex file`)
  return new Uint8Array(Buffer.from(digits, "hex"))
}

describe("fuzz regressions (test/fuzz-regression/*.hex)", () => {
  const files = fs.readdirSync(regressionDir).filter((f) => f.endsWith(".hex")).sort()

  it("the directory holds the saved inputs", () => {
    expect(fs.existsSync(path.join(regressionDir, "README.md"))).toBe(true)
    expect(files.length).toBeGreaterThan(0)
  })

  it.each(files)("%s", (file) => {
    expect(violation(readHexFile(path.join(regressionDir, file)))).toBeUndefined()
  })
})
