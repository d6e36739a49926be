/**
 * `switchyard ofp`: turns one captured OpenFlow message into JSON and JSON back into the
 * wire bytes, the way `ovs-ofctl ofp-parse` lets an operator read a capture.
 *
 * Debugging a switch usually starts from bytes someone else produced (a tcpdump
 * extract, a log line in hex, a vendor's bug report), so the decoder is the strict one
 * the controller uses: a malformed message is reported with the OpenFlow error a switch
 * would answer (`OFPET_BAD_REQUEST/OFPBRC_BAD_LEN: ...`) on one line, never a stack
 * trace. The JSON is the `Message.Envelope` codec (`Schema.toCodecJson`), so 64-bit
 * values are decimal strings, MACs and IPs are text, and byte strings are base64; the
 * same JSON read back by `encode` gives the same bytes.
 *
 * @since 0.1.0
 */
import { Message } from "@switchyard/openflow"
import { Effect, Result, Runtime, Schema } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { failWith, oneLine, readBytes, writeStdout } from "./internal/io.ts"

const envelopeJson = Schema.toCodecJson(Message.Envelope)
const encodeEnvelope = Schema.encodeResult(envelopeJson)
const decodeEnvelope = Schema.decodeUnknownResult(envelopeJson)


/**
 * Decodes the raw bytes of one OpenFlow message (header included) to the JSON that
 * `switchyard ofp decode` prints, or the one-line error it reports.
 *
 * **Details**
 *
 * The bytes must be exactly one message: a header length that disagrees with the input
 * is `OFPBRC_BAD_LEN`, as it would be on a connection. The error line is
 * `OpenFlowError.toLine()`: `OFPET_<TYPE>/<CODE>: <explanation>`. With `lenient`, only
 * the structure is checked, so a FLOW_MOD a switch would refuse for its match
 * prerequisites (`OFPBMC_BAD_PREREQ`) can still be read.
 *
 * @example
 * ```ts
 * import { OfpCommand } from "@switchyard/cli"
 *
 * OfpCommand.decodeToJson(Uint8Array.of(4, 2, 0, 8, 0, 0, 0, 7))
 * // Result.succeed('{\n  "version": 4,\n  "xid": 7,\n  "message": {\n    "_tag": "EchoRequest",\n    "data": ""\n  }\n}')
 * ```
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeToJson = (
  bytes: Uint8Array,
  options?: { readonly lenient?: boolean | undefined }
): Result.Result<string, string> => {
  const decoded = Message.decode(bytes, options)
  if (Result.isFailure(decoded)) return Result.fail(decoded.failure.toLine())
  const json = encodeEnvelope(decoded.success)
  // A decoded message that its own Schema rejects is a codec bug, but the user still
  // deserves one line saying what could not be printed rather than a crash.
  if (Result.isFailure(json)) {
    return Result.fail(`cannot print the decoded ${decoded.success.message._tag} as JSON: ${oneLine(json.failure.message)}`)
  }
  return Result.succeed(JSON.stringify(json.success, null, 2))
}

/**
 * Encodes the JSON form of a message (`{ "version", "xid", "message": { "_tag", ... } }`,
 * as {@link decodeToJson} prints it) to wire bytes, or the one-line error
 * `switchyard ofp encode` reports; `source` names the input in that line.
 *
 * **Details**
 *
 * The JSON is validated with the `Message.Envelope` Schema first, so a wrong field is
 * reported with its path. Then the message is encoded in the envelope's version: a value
 * a switch would reject fails with that OpenFlow error (`OpenFlowError.toLine()`), a
 * value that does not fit its wire field with `EncodeError.toLine()`; `lenient` skips the
 * match prerequisite checks, to write back what a lenient decode read.
 *
 * @category encoding
 * @since 0.1.0
 */
export const encodeFromJson = (
  text: string,
  source = "input",
  options?: { readonly lenient?: boolean | undefined }
): Result.Result<Uint8Array, string> => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    return Result.fail(`${source} is not valid JSON: ${oneLine(e instanceof Error ? e.message : String(e))}`)
  }
  const envelope = decodeEnvelope(json)
  if (Result.isFailure(envelope)) {
    return Result.fail(`${source} is not an OpenFlow message: ${oneLine(envelope.failure.message)}`)
  }
  const { message, version, xid } = envelope.success
  const encoded = Message.encode(message, { version, xid, lenient: options?.lenient })
  return Result.isFailure(encoded) ? Result.fail(encoded.failure.toLine()) : Result.succeed(encoded.success)
}

/**
 * The failure of an `ofp` command once its one-line explanation has been written to
 * stderr.
 *
 * **Details**
 *
 * It is marked as already reported, so the runtime exits with status 1 without logging
 * it again (a logged failure would print a multi-line trace, which the command promises
 * never to do).
 *
 * @category errors
 * @since 0.1.0
 */
export class OfpCommandError extends Schema.TaggedError<OfpCommandError>()("OfpCommandError", {
  message: Schema.String
}) {
  override readonly [Runtime.errorReported] = false
  override readonly [Runtime.errorExitCode] = 1
}

const fail = failWith((line) => new OfpCommandError({ message: line }))
const write = writeStdout(fail)
const readInput = readBytes(fail)

/**
 * The codec never throws on bad input; should a bug make it throw anyway, the user still
 * gets one line (naming it as a bug) instead of a stack trace.
 */
const guarded = <A, R>(effect: Effect.Effect<A, OfpCommandError, R>) =>
  effect.pipe(
    Effect.catchDefect((defect) =>
      fail(`internal error, please report it with the input: ${oneLine(defect instanceof Error ? defect.message : String(defect))}`)
    )
  )

const file = Argument.String("file").pipe(
  Argument.withDescription("the file to read (- for standard input)")
)

const lenient = Flag.Boolean("lenient").pipe(
  Flag.withDefault(false),
  Flag.withDescription(
    "check structure only: accept a FLOW_MOD whose match breaks the OXM prerequisites a switch enforces (OFPBMC_BAD_PREREQ)"
  )
)

/**
 * `switchyard ofp decode FILE`: prints the one OpenFlow message in FILE (raw bytes,
 * header included) as JSON on stdout.
 *
 * @category commands
 * @since 0.1.0
 */
export const decode = Command.make("decode", { file, lenient }, ({ file, lenient }) =>
  guarded(Effect.gen(function*() {
    const bytes = yield* readInput(file)
    const json = decodeToJson(bytes, { lenient })
    if (Result.isFailure(json)) return yield* fail(json.failure)
    yield* write(`${json.success}\n`)
  }))).pipe(
    Command.withDescription("Print the OpenFlow message in FILE (raw bytes of one message) as JSON"),
    Command.withExamples([
      { command: "switchyard ofp decode flow_mod.bin", description: "Show a captured FLOW_MOD" },
      { command: "switchyard ofp decode --lenient flow_mod.bin", description: "Show it even if a switch would refuse its match" }
    ])
  )

/**
 * `switchyard ofp encode FILE`: reads the JSON form of a message from FILE and writes the
 * binary message to stdout.
 *
 * @category commands
 * @since 0.1.0
 */
export const encode = Command.make("encode", { file, lenient }, ({ file, lenient }) =>
  guarded(Effect.gen(function*() {
    const text = new TextDecoder().decode(yield* readInput(file))
    const bytes = encodeFromJson(text, file === "-" ? "standard input" : file, { lenient })
    if (Result.isFailure(bytes)) return yield* fail(bytes.failure)
    yield* write(bytes.success)
  }))).pipe(
    Command.withDescription("Write the binary OpenFlow message described by the JSON in FILE to stdout"),
    Command.withExamples([{
      command: "switchyard ofp decode in.bin > msg.json && switchyard ofp encode msg.json > out.bin",
      description: "Edit a captured message and write it back"
    }])
  )

/**
 * `switchyard ofp`: the OpenFlow message tools (`decode`, `encode`).
 *
 * **Example** (Registering the command in a dispatcher)
 *
 * ```ts
 * import { OfpCommand } from "@switchyard/cli"
 * import { Command } from "effect/cli"
 *
 * const switchyard = Command.make("switchyard").pipe(Command.withSubcommands([OfpCommand.command]))
 * ```
 *
 * @category commands
 * @since 0.1.0
 */
export const command = Command.make("ofp").pipe(
  Command.withDescription("Decode and encode OpenFlow messages (like ovs-ofctl ofp-parse)"),
  Command.withSubcommands([decode, encode])
)
