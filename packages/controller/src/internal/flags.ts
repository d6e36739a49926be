/**
 * The command-line side of the configuration: argv to a map of option values, `--help`
 * text, and a `ConfigProvider` answering config paths from that map.
 *
 * Flags only carry strings here; every value is parsed and checked by `ControllerConfig`
 * (through `effect` `Config`), so a value is validated the same way whether it came from
 * a flag or from the environment. What this module rejects is the shape of the command
 * line itself: an unknown flag, a flag without its value, a stray argument.
 */
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"

/** A flag the parser knows. */
export interface FlagSpec {
  /** Without dashes: `"ofp-tcp-listen-port"`. */
  readonly flag: string
  /** The config path the value answers, e.g. `["SWITCHYARD", "OFP_TCP_LISTEN_PORT"]`. */
  readonly path: ReadonlyArray<string>
  /** Absent for on/off flags, which take no separate value (`--verbose`, `--verbose=false`). */
  readonly metavar: string | undefined
  readonly description: string
  /** The environment variable that also sets it, for `--help`. */
  readonly env: string | undefined
}

/** What the command line asks for. */
export type ParsedArgs =
  | { readonly _tag: "Help" }
  | {
    readonly _tag: "Run"
    /** Config path joined with "\u0000" -> raw value; the last occurrence of a flag wins. */
    readonly values: ReadonlyMap<string, string>
    /** The flags given, in order, for messages ("from --x"). */
    readonly given: ReadonlyMap<string, string>
  }

const pathKey = (path: ReadonlyArray<string | number>): string => path.join("\u0000")

/**
 * Parses argv (without the node binary and script). Returns the one-line reason when the
 * command line is malformed.
 */
export const parse = (
  specs: ReadonlyArray<FlagSpec>,
  argv: ReadonlyArray<string>
): Result.Result<ParsedArgs, string> => {
  const byName = new Map<string, FlagSpec>()
  for (const spec of specs) byName.set(spec.flag, spec)
  const values = new Map<string, string>()
  const given = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === "--help" || arg === "-h") return Result.succeed({ _tag: "Help" })
    if (arg === "--") {
      if (i + 1 < argv.length) return Result.fail(`unexpected argument "${argv[i + 1]}"`)
      break
    }
    if (!arg.startsWith("--") || arg.length === 2) {
      return Result.fail(arg.startsWith("-") ? `unknown flag ${arg}` : `unexpected argument "${arg}"`)
    }
    const eq = arg.indexOf("=")
    const name = arg.slice(2, eq === -1 ? undefined : eq)
    const spec = byName.get(name)
    if (spec === undefined) {
      const hint = suggest(name, specs)
      return Result.fail(`unknown flag --${name}${hint === undefined ? "" : ` (did you mean --${hint}?)`}`)
    }
    let value: string
    if (eq !== -1) {
      value = arg.slice(eq + 1)
    } else if (spec.metavar === undefined) {
      value = "true"
    } else {
      const next = argv[i + 1]
      // A following flag is never taken as a value: `--ctl-cert --ca-certs x` is a
      // forgotten value, not a certificate file named "--ca-certs".
      if (next === undefined || (next.startsWith("--") && next.length > 2)) {
        return Result.fail(`flag --${name} needs a value (${spec.metavar})`)
      }
      value = next
      i++
    }
    values.set(pathKey(spec.path), value)
    given.set(spec.flag, value)
  }
  return Result.succeed({ _tag: "Run", values, given })
}

/** A provider answering the flags' config paths from parsed values, and nothing else. */
export const provider = (values: ReadonlyMap<string, string>): ConfigProvider.ConfigProvider =>
  ConfigProvider.make((path) => {
    const value = values.get(pathKey(path))
    return Effect.succeed(value === undefined ? undefined : ConfigProvider.makeValue(value))
  })

/** Renders `--help`: usage, then one line per flag with its environment variable. */
export const help = (
  program: string,
  description: string | undefined,
  specs: ReadonlyArray<FlagSpec>
): string => {
  const lines: Array<string> = [`usage: ${program} [flags]`]
  if (description !== undefined) lines.push("", description)
  lines.push("", "flags (each can also be set with the environment variable shown):")
  const left = specs.map((s) => `  --${s.flag}${s.metavar === undefined ? "" : ` ${s.metavar}`}`)
  const width = Math.min(44, Math.max(...left.map((l) => l.length)) + 2)
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i]!
    const head = left[i]!
    const pad = head.length >= width ? `\n${" ".repeat(width)}` : " ".repeat(width - head.length)
    lines.push(`${head}${pad}${spec.description}`)
    if (spec.env !== undefined) lines.push(`${" ".repeat(width)}env ${spec.env}`)
  }
  lines.push(`  --help, -h${" ".repeat(Math.max(1, width - 12))}print this help and exit`)
  lines.push("", "precedence: flags, then environment, then defaults")
  return lines.join("\n")
}

// The closest known flag, when it is plausibly what was meant: a small edit distance
// (a typo), or a flag containing every word typed (`--ofp-tcp-port` for
// `--ofp-tcp-listen-port`).
const suggest = (name: string, specs: ReadonlyArray<FlagSpec>): string | undefined => {
  const words = name.split("-").filter((w) => w !== "")
  const limit = Math.max(2, Math.floor(name.length / 4))
  let best: string | undefined
  let bestDistance = Infinity
  for (const spec of specs) {
    const d = distance(name, spec.flag)
    const flagWords = spec.flag.split("-")
    const plausible = d <= limit || (words.length > 1 && words.every((w) => flagWords.includes(w)))
    if (plausible && d < bestDistance) {
      best = spec.flag
      bestDistance = d
    }
  }
  return best
}

const distance = (a: string, b: string): number => {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = cur
  }
  return prev[b.length]!
}
