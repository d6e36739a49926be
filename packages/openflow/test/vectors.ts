/**
 * Locates Ryu's golden OpenFlow vectors (read in place, never copied into the repo).
 *
 * They live at `../shared/vectors/ryu` relative to the repository root, or wherever
 * `SWITCHYARD_RYU_VECTORS` points. On a user's clone they may be absent: the tests then
 * say so plainly; under CI (`CI` set) their absence is an error.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..")

export const vectorsDir: string = process.env["SWITCHYARD_RYU_VECTORS"] ?? path.resolve(repoRoot, "../shared/vectors/ryu")

export const vectorsPresent: boolean = fs.existsSync(path.join(vectorsDir, "packet_data"))

if (!vectorsPresent && process.env["CI"]) {
  throw new Error(`Ryu vectors not found at ${vectorsDir} (set SWITCHYARD_RYU_VECTORS); CI must have them`)
}

export interface Vector {
  readonly name: string
  readonly file: string
  readonly bytes: Uint8Array
  readonly jsonFile: string
}

/** Every `.packet` file of one version folder (`of13`, ...), sorted by name. */
export const packets = (folder: string): ReadonlyArray<Vector> => {
  if (!vectorsPresent) return []
  const dir = path.join(vectorsDir, "packet_data", folder)
  return fs.readdirSync(dir).filter((f) => f.endsWith(".packet")).sort().map((name) => ({
    name,
    file: path.join(dir, name),
    bytes: new Uint8Array(fs.readFileSync(path.join(dir, name))),
    jsonFile: path.join(vectorsDir, "json", folder, `${name}.json`)
  }))
}

/**
 * Parses JSON keeping integers beyond 2^53 exact: such integers become bigints (Ryu's
 * JSON holds 64-bit cookies and metadata, which `JSON.parse` would silently round, and
 * Node 20's `JSON.parse` reviver has no access to the source text).
 */
export const parseJsonBigInt = (text: string): unknown => {
  let i = 0
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++
  }
  const value = (): unknown => {
    ws()
    const c = text[i]
    if (c === "{") {
      i++
      const obj: Record<string, unknown> = {}
      ws()
      if (text[i] === "}") return i++, obj
      for (;;) {
        ws()
        const key = value() as string
        ws()
        if (text[i++] !== ":") throw new SyntaxError(`expected ':' at ${i}`)
        obj[key] = value()
        ws()
        const sep = text[i++]
        if (sep === "}") return obj
        if (sep !== ",") throw new SyntaxError(`expected ',' or '}' at ${i}`)
      }
    }
    if (c === "[") {
      i++
      const arr: Array<unknown> = []
      ws()
      if (text[i] === "]") return i++, arr
      for (;;) {
        arr.push(value())
        ws()
        const sep = text[i++]
        if (sep === "]") return arr
        if (sep !== ",") throw new SyntaxError(`expected ',' or ']' at ${i}`)
      }
    }
    if (c === '"') {
      const start = i
      i++
      while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1
      i++
      return JSON.parse(text.slice(start, i))
    }
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?|^true|^false|^null/.exec(text.slice(i, i + 400))
    if (m === null) throw new SyntaxError(`unexpected character at ${i}`)
    i += m[0].length
    const token = m[0]
    if (/^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token))) return BigInt(token)
    return JSON.parse(token)
  }
  const result = value()
  ws()
  if (i !== text.length) throw new SyntaxError(`trailing data at ${i}`)
  return result
}
