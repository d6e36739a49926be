/**
 * The controller's log output: one concise `key=value` line per event on stderr (or one
 * JSON object per line), and the layer that installs it with a minimum level.
 *
 * A controller's log is read by operators tailing a terminal and by collectors parsing
 * files, often the same lines. Effect's default logger prints a fiber id and a multi-line
 * pretty cause; at 64 switches reconnecting, that buries the one line that matters. Here a
 * line is `time LEVEL message key=value …`: annotations (`dpid`, `remote`) become
 * `key=value` pairs, values with spaces are quoted, and a failure is summarized on the same
 * line (`cause="…"`); the full stack follows on indented lines only at Debug level and
 * below, where it is wanted.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as References from "effect/References"
import type { LogFormat } from "./ControllerConfig.ts"

const BARE = /^[^\s"=\\]+$/

const quote = (value: string): string =>
  BARE.test(value) ? value : `"${value.replace(/\\/g, "\\\\").replace(/"/g, "\\\"").replace(/\n/g, "\\n")}"`

const text = (value: unknown): string => {
  if (typeof value === "string") return value
  if (typeof value === "bigint") return value.toString()
  if (value instanceof Error) return value.message
  try {
    return JSON.stringify(value, (_, v) => typeof v === "bigint" ? v.toString() : v) ?? String(value)
  } catch {
    return String(value)
  }
}

// The one-line summary of a cause: the message of each failure or defect, joined.
const summarize = (cause: Cause.Cause<unknown>): string | undefined => {
  const parts: Array<string> = []
  for (const reason of cause.reasons) {
    if (reason._tag === "Fail") parts.push(text(reason.error))
    else if (reason._tag === "Die") parts.push(text(reason.defect))
  }
  return parts.length === 0 ? undefined : parts.join("; ")
}

/**
 * Formats one log entry as a line (without the trailing newline).
 *
 * **Details**
 *
 * `2026-01-03T14:22:47.570Z INFO  listening on tcp:0.0.0.0:6653 remote=10.0.0.1:53122`:
 * ISO time, the level padded to five characters, the message parts separated by spaces,
 * then `cause="…"` when the entry carries a failure, then the log spans
 * (`handshake=12ms`) and the annotations as `key=value`, quoted when needed. When
 * `withStack` is set, the pretty cause follows on lines indented by four spaces.
 *
 * @category formatting
 * @since 0.1.0
 */
export const formatLine = (options: Logger.Options<unknown>, withStack = false): string => {
  const parts = Array.isArray(options.message) ? options.message : [options.message]
  let line = `${options.date.toISOString()} ${options.logLevel.toUpperCase().padEnd(5)} ${parts.map(text).join(" ")}`
  const cause = summarize(options.cause)
  if (cause !== undefined) line += ` cause=${quote(cause)}`
  const now = options.date.getTime()
  for (const [label, start] of options.fiber.getRef(References.CurrentLogSpans)) {
    line += ` ${label.replace(/[\s="]/g, "_")}=${now - start}ms`
  }
  const annotations = options.fiber.getRef(References.CurrentLogAnnotations)
  for (const key in annotations) {
    line += ` ${key.replace(/[\s="]/g, "_")}=${quote(text(annotations[key]))}`
  }
  if (withStack && cause !== undefined) {
    const stack = Cause.pretty(options.cause)
    if (stack !== "") line += "\n" + stack.split("\n").map((l) => `    ${l}`).join("\n")
  }
  return line
}

/**
 * A logger writing `formatLine` lines (or JSON lines) through `write`, stderr by default.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: {
  readonly format: LogFormat
  /** Add the full pretty cause under failure lines (the runner sets it at Debug and below). */
  readonly stacks?: boolean | undefined
  readonly write?: ((line: string) => void) | undefined
}): Logger.Logger<unknown, void> => {
  const write = options.write ?? ((line: string) => void process.stderr.write(line + "\n"))
  const stacks = options.stacks === true
  if (options.format === "json") {
    return Logger.make((entry) => write(Logger.formatJson.log(entry)))
  }
  return Logger.make((entry) => write(formatLine(entry, stacks)))
}

/**
 * Installs the controller's logger (replacing Effect's default one) and the minimum level.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Logging } from "@switchyard/controller"
 *
 * const program = Effect.logInfo("listening").pipe(
 *   Effect.annotateLogs({ address: "tcp:0.0.0.0:6653" }),
 *   Effect.provide(Logging.layer({ level: "Info", format: "logfmt" }))
 * )
 * // 2026-01-03T14:22:47.570Z INFO  listening address=tcp:0.0.0.0:6653
 * ```
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (options: {
  readonly level: LogLevel.LogLevel
  readonly format: LogFormat
  readonly write?: ((line: string) => void) | undefined
}): Layer.Layer<never> =>
  Layer.mergeAll(
    Logger.layer([
      make({
        format: options.format,
        stacks: LogLevel.isLessThanOrEqualTo(options.level, "Debug"),
        write: options.write
      })
    ]),
    Layer.succeed(References.MinimumLogLevel)(options.level)
  )
