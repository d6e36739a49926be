/**
 * `switchyard pkt`: turns an Ethernet frame written in hex into its decoded layers as
 * JSON, and JSON layers back into hex, the way `tshark -V` or scapy's `show()` let an
 * operator look inside a frame.
 *
 * Frames reach an operator as hex: a packet-in logged by the controller, a line of
 * `ovs-ofctl` output, a `tcpdump -xx` dump. The decoder is the one apps use
 * (`Frame.decode`), so a malformed frame is not a command failure: its JSON lists the
 * layers that decoded and the errors found (with every checksum verified, too). Only
 * input that is not hex, or JSON that does not describe layers, fails, with one line on
 * stderr and exit status 1, never a stack trace. The JSON is `Frame.Json`: MACs and IPs
 * as text, byte strings as hex; `pkt encode` reads it back and computes lengths and
 * checksums, so an edited frame comes out consistent.
 *
 * @since 0.1.0
 */
import { Frame, Hex, PacketError } from "@switchyard/packet"
import { Effect, Result, Runtime, Schema } from "effect"
import { Argument, Command } from "effect/cli"
import { failWith, oneLine, readBytes, writeStdout } from "./internal/io.ts"


/**
 * The JSON `switchyard pkt decode` prints for a frame: `Frame.toJson`, with the errors
 * of `Frame.verifyChecksums` added to the decoding errors (each problem once).
 *
 * **Example**
 *
 * ```ts
 * import { PktCommand } from "@switchyard/cli"
 *
 * PktCommand.decodeToJson(Uint8Array.of(0xff, 0xff))
 * // '{\n  "layers": [\n    {\n      "_tag": "Payload",\n      "bytes": "ffff"\n ...'
 * ```
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeToJson = (bytes: Uint8Array): string => {
  const frame = Frame.decode(bytes)
  const json = Frame.toJson(frame)
  const seen = new Set(json.errors.map((e) => `${e.layer}/${e.reason}/${e.offset}`))
  const checksums = Frame.verifyChecksums(frame)
    .map(PacketError.toJson)
    .filter((e) => !seen.has(`${e.layer}/${e.reason}/${e.offset}`))
  return JSON.stringify({ layers: json.layers, errors: [...json.errors, ...checksums] }, null, 2)
}

/**
 * Decodes hex text (as `pkt decode` takes it: whitespace and colons allowed, an optional
 * `0x`) and prints the frame, or the one-line error for text that is not hex.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeHexToJson = (text: string): Result.Result<string, string> => {
  const bytes = Hex.decode(text)
  return Result.isFailure(bytes)
    ? Result.fail(`not hex: ${bytes.failure.message}`)
    : Result.succeed(decodeToJson(bytes.success))
}

const InputJson = Schema.Struct({ layers: Schema.Array(Frame.InputLayer) })
const decodeInput = Schema.decodeUnknownResult(InputJson)

/**
 * Builds the frame described by JSON (`{ "layers": [...] }` as `pkt decode` prints it;
 * other keys, like `errors`, are ignored) and returns it as hex, or the one-line error
 * `pkt encode` reports; `source` names the input in that line.
 *
 * **Details**
 *
 * Lengths, checksums and next-protocol fields may be left out, and are recomputed when
 * present (see `Frame.build`), so an edited frame comes out consistent.
 *
 * @category encoding
 * @since 0.1.0
 */
export const encodeFromJson = (text: string, source = "input"): Result.Result<string, string> => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    return Result.fail(`${source} is not valid JSON: ${oneLine(e instanceof Error ? e.message : String(e))}`)
  }
  const input = decodeInput(json)
  if (Result.isFailure(input)) return Result.fail(`${source} does not describe frame layers: ${oneLine(input.failure.message)}`)
  const bytes = Frame.build(input.success.layers)
  return Result.isFailure(bytes)
    ? Result.fail(`cannot build the frame: ${bytes.failure.layer} ${bytes.failure.reason}: ${bytes.failure.message}`)
    : Result.succeed(Hex.encode(bytes.success))
}

/**
 * The failure of a `pkt` command once its one-line explanation has been written to
 * stderr; marked as reported, so the runtime exits with status 1 without logging it
 * again (as `OfpCommandError` does).
 *
 * @category errors
 * @since 0.1.0
 */
export class PktCommandError extends Schema.TaggedError<PktCommandError>()("PktCommandError", {
  message: Schema.String
}) {
  override readonly [Runtime.errorReported] = false
  override readonly [Runtime.errorExitCode] = 1
}

const fail = failWith((line) => new PktCommandError({ message: line }))
const write = writeStdout(fail)
const readText = (file: string) => Effect.map(readBytes(fail)(file), (bytes) => new TextDecoder().decode(bytes))

const hexArgument = Argument.String("hex").pipe(
  Argument.variadic({ min: 1 }),
  Argument.withDescription("the frame in hex (several words are joined; - reads standard input)")
)

/**
 * `switchyard pkt decode HEX`: prints the frame's layers and errors as JSON.
 *
 * @category commands
 * @since 0.1.0
 */
export const decode = Command.make("decode", { hex: hexArgument }, ({ hex }) =>
  Effect.gen(function*() {
    const text = hex.length === 1 && hex[0] === "-" ? yield* readText("-") : hex.join("")
    const json = decodeHexToJson(text)
    if (Result.isFailure(json)) return yield* fail(json.failure)
    yield* write(`${json.success}\n`)
  })).pipe(
    Command.withDescription("Print the Ethernet frame given in hex as JSON: its layers and every error found"),
    Command.withExamples([
      {
        command: "switchyard pkt decode ffffffffffff020000000001080600010800060400010200000000010a0000010000000000000a000002",
        description: "Show an ARP request"
      },
      { command: "tshark -r in.pcap -T fields -e frame.raw -c 1 | switchyard pkt decode -", description: "Decode a capture's first frame" }
    ])
  )

const fileArgument = Argument.String("file").pipe(
  Argument.withDescription("JSON as pkt decode prints it (- for standard input)")
)

/**
 * `switchyard pkt encode FILE`: reads frame layers as JSON and prints the frame in hex.
 *
 * @category commands
 * @since 0.1.0
 */
export const encode = Command.make("encode", { file: fileArgument }, ({ file }) =>
  Effect.gen(function*() {
    const text = yield* readText(file)
    const hex = encodeFromJson(text, file === "-" ? "standard input" : file)
    if (Result.isFailure(hex)) return yield* fail(hex.failure)
    yield* write(`${hex.success}\n`)
  })).pipe(
    Command.withDescription("Print, in hex, the frame described by the JSON in FILE; lengths and checksums are computed"),
    Command.withExamples([{
      command: "switchyard pkt decode $HEX > frame.json && switchyard pkt encode frame.json",
      description: "Edit a frame and get its bytes back"
    }])
  )

/**
 * `switchyard pkt`: the frame tools (`decode`, `encode`).
 *
 * @category commands
 * @since 0.1.0
 */
export const command = Command.make("pkt").pipe(
  Command.withDescription("Decode and encode Ethernet frames (Ethernet, VLAN, MPLS, ARP, IPv4/6, ICMP, TCP, UDP, SCTP, LLDP)"),
  Command.withSubcommands([decode, encode])
)
