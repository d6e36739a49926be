/**
 * What every `switchyard` command does at its edges: read a file or standard input, write
 * to standard output, and report bad input on exactly one stderr line before failing, so
 * that no command ever prints a stack trace.
 */
import { Effect, FileSystem, type PlatformError, Stdio, Stream } from "effect"

/** Collapses a multi-line explanation (Schema issues span lines) onto one line. */
export const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, " ").trim()

/**
 * Writes `line` to stderr, then fails with the command's error, which its class marks as
 * already reported (so the runtime exits 1 without logging it again).
 */
export const failWith = <E>(makeError: (line: string) => E) => (line: string) =>
  Effect.gen(function*() {
    const stdio = yield* Stdio.Stdio
    yield* Stream.run(Stream.make(`${line}\n`), stdio.stderr()).pipe(Effect.ignore)
    return yield* Effect.fail(makeError(line))
  })

/** Writes to stdout; a closed stdout is reported as one line through `fail`. */
export const writeStdout = <E>(fail: (line: string) => Effect.Effect<never, E, Stdio.Stdio>) => (data: string | Uint8Array) =>
  Effect.gen(function*() {
    const stdio = yield* Stdio.Stdio
    yield* Stream.run(Stream.make(data), stdio.stdout()).pipe(
      Effect.catch((e) => fail(`cannot write to stdout: ${oneLine(e.message)}`))
    )
  })

/** What went wrong with a file, in the words `cat` would use rather than the API's. */
export const describeReadError = (error: PlatformError.PlatformError): string => {
  const reason = error.reason
  if (reason._tag === "BadArgument") return oneLine(reason.message)
  const cause = reason.cause as { readonly code?: unknown } | undefined
  switch (cause?.code ?? reason._tag) {
    case "ENOENT":
    case "NotFound":
      return "no such file or directory"
    case "EACCES":
    case "EPERM":
    case "PermissionDenied":
      return "permission denied"
    case "EISDIR":
      return "is a directory"
    default:
      return oneLine(reason.description ?? reason.message)
  }
}

/** Reads FILE, or standard input when FILE is `-`, as bytes; failures become one line. */
export const readBytes = <E>(fail: (line: string) => Effect.Effect<never, E, Stdio.Stdio>) => (file: string) =>
  Effect.gen(function*() {
    if (file === "-") {
      const stdio = yield* Stdio.Stdio
      const chunks = yield* Stream.runCollect(stdio.stdin).pipe(
        Effect.catch((e) => fail(`cannot read standard input: ${oneLine(e.message)}`))
      )
      return Buffer.concat(chunks) as Uint8Array
    }
    const fs = yield* FileSystem.FileSystem
    return yield* fs.readFile(file).pipe(Effect.catch((e) => fail(`cannot read ${file}: ${describeReadError(e)}`)))
  })
