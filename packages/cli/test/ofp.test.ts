/**
 * `switchyard ofp decode|encode`, the way users run it on captures.
 *
 * Three layers, fastest first: the pure functions over every Ryu OpenFlow 1.3 vector
 * (decode -> JSON -> encode gives the same bytes); the effect/cli command in-process
 * (arguments, stdout/stderr, the exit failure); and the real executable spawned as a
 * user would, one message kind per spawn (each spawn pays Node's and Effect's start-up,
 * so they run in parallel and do not repeat kinds the in-process tests cover).
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Message } from "@switchyard/openflow"
import { Cause, Effect, Exit, Layer, Result, Runtime, Sink, Stdio, Stream } from "effect"
import { Command } from "effect/cli"
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as OfpCommand from "../src/OfpCommand.ts"
import { buildCli, repoRoot } from "./support/build.ts"

const vectorsDir = process.env["SWITCHYARD_RYU_VECTORS"] ?? path.resolve(repoRoot, "../shared/vectors/ryu")
const vectorsPresent = fs.existsSync(path.join(vectorsDir, "packet_data"))
if (!vectorsPresent && process.env["CI"]) {
  throw new Error(`Ryu vectors not found at ${vectorsDir} (set SWITCHYARD_RYU_VECTORS); CI must have them`)
}

interface Vector {
  readonly name: string
  readonly file: string
  readonly bytes: Uint8Array
}

const of13: ReadonlyArray<Vector> = vectorsPresent
  ? fs.readdirSync(path.join(vectorsDir, "packet_data/of13")).filter((f) => f.endsWith(".packet")).sort().map((name) => {
    const file = path.join(vectorsDir, "packet_data/of13", name)
    return { name, file, bytes: new Uint8Array(fs.readFileSync(file)) }
  })
  : []

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex")

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-ofp-test-"))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))
const tmpFile = (name: string, content: string | Uint8Array) => {
  const file = path.join(tmp, name)
  fs.writeFileSync(file, content)
  return file
}

/** A FLOW_MOD-free, always-implemented message: OF1.3 ECHO_REQUEST with payload "hoge". */
const echo = Uint8Array.of(4, 2, 0, 12, 0, 0, 0, 9, 0x68, 0x6f, 0x67, 0x65)

describe("decodeToJson / encodeFromJson", () => {
  if (!vectorsPresent) {
    it("Ryu vectors absent: round trips over them not checked", () => {
      console.warn(`Ryu vectors not found at ${vectorsDir}; set SWITCHYARD_RYU_VECTORS`)
      expect(of13).toEqual([])
    })
  }

  // Whether a vector must decode is the conformance test's business (packages/openflow);
  // here the command must agree with the codec: what decodes round-trips through the
  // JSON, and what the codec refuses is reported as the codec's one error line.
  it.each(of13.map((v) => [v.name, v] as const))("%s: decode -> JSON -> encode gives the same bytes", (_name, v) => {
    const json = OfpCommand.decodeToJson(v.bytes)
    const codec = Message.decode(v.bytes)
    if (Result.isFailure(codec)) {
      expect(json).toEqual(Result.fail(codec.failure.toLine()))
      expect(codec.failure.toLine()).toMatch(/^OFPET_[A-Z_]+\/OFP[A-Z_]+: [^\n]+$/)
      // A flow mod refused only for its OXM prerequisites (4-60) still round-trips with --lenient.
      if (codec.failure.code !== "OFPBMC_BAD_PREREQ") return
      const lenientJson = Result.getOrThrow(OfpCommand.decodeToJson(v.bytes, { lenient: true }))
      expect(OfpCommand.encodeFromJson(lenientJson).pipe(Result.isFailure)).toBe(true)
      const lenientBytes = Result.getOrThrow(OfpCommand.encodeFromJson(lenientJson, "input", { lenient: true }))
      expect(hex(lenientBytes)).toBe(hex(v.bytes))
      return
    }
    if (Result.isFailure(json)) expect.fail(json.failure)
    const parsed = JSON.parse(json.success)
    expect(Object.keys(parsed)).toEqual(["version", "xid", "message"])
    expect(parsed.version).toBe(4)
    expect(parsed.xid).toBe(0)
    const bytes = OfpCommand.encodeFromJson(json.success)
    if (Result.isFailure(bytes)) expect.fail(bytes.failure)
    expect(hex(bytes.success)).toBe(hex(v.bytes))
  })

  it("prints the Envelope JSON form, 64-bit values as decimal strings", () => {
    const reply = Message.encode(
      { _tag: "FeaturesReply", datapathId: 0xffff_ffff_ffff_fff1n, nBuffers: 256, nTables: 254, auxiliaryId: 0, capabilities: 0x4f, reserved: 0 },
      { version: 4, xid: 0x1234 }
    )
    const json = OfpCommand.decodeToJson(Result.getOrThrow(reply))
    expect(JSON.parse(Result.getOrThrow(json))).toEqual({
      version: 4,
      xid: 0x1234,
      message: { _tag: "FeaturesReply", datapathId: "18446744073709551601", nBuffers: 256, nTables: 254, auxiliaryId: 0, capabilities: 0x4f, reserved: 0 }
    })
    expect(JSON.parse(Result.getOrThrow(OfpCommand.decodeToJson(echo)))).toEqual({
      version: 4,
      xid: 9,
      message: { _tag: "EchoRequest", data: "aG9nZQ==" }
    })
  })

  const oneLineFailure = <A>(result: Result.Result<A, string>): string => {
    expect(Result.isFailure(result)).toBe(true)
    const line = Result.isFailure(result) ? result.failure : ""
    expect(line).not.toMatch(/\n/)
    expect(line).not.toMatch(/\bat .*\.(ts|js):\d+/)
    return line
  }

  it.each([
    ["empty input", new Uint8Array(0), /^OFPET_BAD_REQUEST\/OFPBRC_BAD_LEN: .*0 bytes/],
    ["a truncated message", echo.subarray(0, 10), /^OFPET_BAD_REQUEST\/OFPBRC_BAD_LEN: header length 12 .* 10 bytes/],
    ["two messages", Uint8Array.from([...echo, ...echo]), /^OFPET_BAD_REQUEST\/OFPBRC_BAD_LEN: header length 12 .* 24 bytes/],
    ["version 0xff", Uint8Array.of(0xff, 2, 0, 8, 0, 0, 0, 0), /^OFPET_BAD_REQUEST\/OFPBRC_BAD_VERSION: /],
    ["an unknown type", Uint8Array.of(4, 200, 0, 8, 0, 0, 0, 0), /^OFPET_BAD_REQUEST\/OFPBRC_BAD_TYPE: /]
  ] as const)("decode of %s is one OpenFlow error line", (_what, bytes, expected) => {
    expect(oneLineFailure(OfpCommand.decodeToJson(bytes))).toMatch(expected)
  })

  it.each([
    ["not JSON", "{\"version\": 4", /^m\.json is not valid JSON: /],
    ["a JSON array", "[1, 2]", /^m\.json is not an OpenFlow message: /],
    ["an unknown version", `{"version": 9, "xid": 0, "message": {"_tag": "BarrierRequest"}}`, /^m\.json is not an OpenFlow message: .*\["version"\]/],
    ["a missing field", `{"version": 4, "xid": 0, "message": {"_tag": "FeaturesReply", "datapathId": "1"}}`, /^m\.json is not an OpenFlow message: .*nBuffers/],
    ["a 64-bit value as a JSON number", `{"version": 4, "xid": 0, "message": {"_tag": "FeaturesReply", "datapathId": 1, "nBuffers": 0, "nTables": 1, "auxiliaryId": 0, "capabilities": 0, "reserved": 0}}`, /^m\.json is not an OpenFlow message: .*datapathId/],
    ["an xid over 32 bits", `{"version": 4, "xid": 4294967296, "message": {"_tag": "BarrierRequest"}}`, /^m\.json is not an OpenFlow message: .*xid/],
    ["an unknown kind", `{"version": 4, "xid": 0, "message": {"_tag": "Teleport"}}`, /^m\.json is not an OpenFlow message: .*_tag/],
    ["bad base64", `{"version": 4, "xid": 0, "message": {"_tag": "EchoRequest", "data": "!!"}}`, /^m\.json is not an OpenFlow message: .*data/],
    ["a kind the version lacks", `{"version": 1, "xid": 0, "message": {"_tag": "GetAsyncRequest"}}`, /^OFPET_BAD_REQUEST\/OFPBRC_BAD_VERSION: GetAsyncRequest/],
    ["an echo payload over 64 KiB", `{"version": 4, "xid": 0, "message": {"_tag": "EchoRequest", "data": "${Buffer.alloc(70000).toString("base64")}"}}`, /^cannot encode EchoRequest: .*65535/]
  ] as const)("encode of %s is one error line", (_what, text, expected) => {
    expect(oneLineFailure(OfpCommand.encodeFromJson(text, "m.json"))).toMatch(expected)
  })
})

/** Runs `ofp ARGS` in-process with real files and captured standard streams. */
const runInProcess = (args: ReadonlyArray<string>, stdin: Uint8Array = new Uint8Array(0)) =>
  Effect.gen(function*() {
    const stdout: Array<Uint8Array> = []
    const stderr: Array<string> = []
    const bytes = (chunk: string | Uint8Array) => typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk
    const stdio = Stdio.layerTest({
      stdout: () => Sink.forEach((chunk: string | Uint8Array) => Effect.sync(() => void stdout.push(bytes(chunk)))),
      stderr: () => Sink.forEach((chunk: string | Uint8Array) => Effect.sync(() => void stderr.push(new TextDecoder().decode(bytes(chunk))))),
      stdin: Stream.make(stdin)
    })
    const exit = yield* Command.runWith(OfpCommand.command, { version: "0.1.0" })(args).pipe(
      Effect.provide(Layer.merge(NodeServices.layer, stdio)),
      Effect.exit
    )
    return { exit, stdout: Buffer.concat(stdout), stderr: stderr.join("") }
  })

describe("the ofp command in-process", () => {
  it.effect("decode FILE prints JSON; encode FILE writes the bytes", () =>
    Effect.gen(function*() {
      const decoded = yield* runInProcess(["decode", tmpFile("echo.bin", echo)])
      expect(Exit.isSuccess(decoded.exit)).toBe(true)
      expect(decoded.stderr).toBe("")
      const json = decoded.stdout.toString("utf8")
      expect(json.endsWith("}\n")).toBe(true)
      expect(JSON.parse(json).message).toEqual({ _tag: "EchoRequest", data: "aG9nZQ==" })
      const encoded = yield* runInProcess(["encode", tmpFile("echo.json", json)])
      expect(Exit.isSuccess(encoded.exit)).toBe(true)
      expect(hex(encoded.stdout)).toBe(hex(echo))
    }))

  it.effect("- reads standard input", () =>
    Effect.gen(function*() {
      const decoded = yield* runInProcess(["decode", "-"], echo)
      expect(JSON.parse(decoded.stdout.toString("utf8")).xid).toBe(9)
      const encoded = yield* runInProcess(["encode", "-"], decoded.stdout)
      expect(hex(encoded.stdout)).toBe(hex(echo))
    }))

  it.effect.each([
    ["a truncated message", () => ["decode", tmpFile("cut.bin", echo.subarray(0, 10))], /^OFPET_BAD_REQUEST\/OFPBRC_BAD_LEN: /],
    ["a missing file", () => ["decode", path.join(tmp, "missing.bin")], /^cannot read .*missing\.bin: no such file or directory$/],
    ["a directory", () => ["encode", tmp], /^cannot read .*: is a directory$/],
    ["invalid JSON", () => ["encode", tmpFile("bad.json", "{")], /bad\.json is not valid JSON: /]
  ] as const)("%s: one stderr line, nothing on stdout, exit status 1", ([_what, args, expected]) =>
    Effect.gen(function*() {
      const run = yield* runInProcess(args())
      expect(run.stdout.length).toBe(0)
      expect(run.stderr.endsWith("\n")).toBe(true)
      expect(run.stderr.trimEnd()).toMatch(expected)
      expect(run.stderr.trimEnd()).not.toMatch(/\n/)
      expect(Exit.isFailure(run.exit)).toBe(true)
      if (Exit.isFailure(run.exit)) {
        // Marked as reported with status 1, so NodeRuntime.runMain exits 1 without logging a trace.
        const failure = Cause.squash(run.exit.cause)
        expect(failure).toBeInstanceOf(OfpCommand.OfpCommandError)
        expect(Runtime.getErrorReported(failure)).toBe(false)
        expect(Runtime.getErrorExitCode(failure)).toBe(1)
      }
    }))
})

// ---------------------------------------------------------------------------------------
// The real executable

const bin = path.join(repoRoot, "packages/cli/bin/switchyard.js")

interface Spawned {
  readonly code: number
  readonly stdout: Buffer
  readonly stderr: string
}

const spawn = (command: string, args: ReadonlyArray<string>, options: { readonly shell?: boolean } = {}): Promise<Spawned> =>
  new Promise((resolve) => {
    execFile(command, args, { cwd: repoRoot, encoding: "buffer", shell: options.shell ?? false, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr: stderr.toString("utf8") })
    })
  })

/** Runs `tasks` with at most `limit` at a time (each is a process; more would only contend). */
const pool = async <A>(tasks: ReadonlyArray<() => Promise<A>>, limit: number): Promise<Array<A>> => {
  const results: Array<A> = new Array(tasks.length)
  let next = 0
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, async () => {
    while (next < tasks.length) {
      const i = next++
      results[i] = await tasks[i]!()
    }
  }))
  return results
}

describe("the switchyard executable", () => {
  // The bin runs the compiled dist/ (as after `npm install`); rebuild so it is this
  // checkout's code.
  beforeAll(buildCli, 180_000)

  it("decode | encode through the real bin gives back the bytes", async () => {
    if (!vectorsPresent) return
    // Each spawn costs Node's and Effect's start-up (about half a second of CPU), so the
    // executable is run on a sample chosen to cover every kind of JSON value the
    // Envelope codec writes (64-bit strings, base64, MAC/IPv4/IPv6 text, nested lists of
    // tagged values, fixed-width names, multipart flags). The functions it calls are
    // checked on every vector in-process above.
    const sample = [
      "libofproto-OFP13-flow_mod.packet", // match with MAC/IPv4 values, instructions, actions, 64-bit cookie
      "4-59-ofp_packet_in.packet", // base64 frame, match
      "4-6-ofp_features_reply.packet", // 64-bit datapath id
      "4-39-ofp_port_status.packet", // MAC, port name, nested port
      "4-10-ofp_hello.packet", // version bitmap list
      "4-15-ofp_error_msg.packet", // base64 data
      "4-56-ofp_table_features_reply.packet", // large multipart reply with nested properties
      "4-38-ofp_queue_stats_reply.packet" // multipart reply with 64-bit counters
    ]
    const runs = await pool(
      sample.map((name) => async () => {
        const v = of13.find((v) => v.name === name)!
        const decode = await spawn(process.execPath, [bin, "ofp", "decode", v.file])
        if (decode.code !== 0) return { v, decode, encode: undefined }
        const json = tmpFile(`${v.name}.json`, decode.stdout)
        return { v, decode, encode: await spawn(process.execPath, [bin, "ofp", "encode", json]) }
      }),
      Math.max(2, os.availableParallelism())
    )
    const problems: Array<string> = []
    for (const { decode, encode, v } of runs) {
      const expected = OfpCommand.decodeToJson(v.bytes)
      if (decode.code !== 0) problems.push(`${v.name}: decode exited ${decode.code}: ${decode.stderr.trim()}`)
      else if (decode.stdout.toString("utf8") !== `${Result.getOrElse(expected, () => "")}\n`) problems.push(`${v.name}: decode printed something else`)
      else if (decode.stderr !== "") problems.push(`${v.name}: decode wrote to stderr on success`)
      else if (encode === undefined || encode.code !== 0) problems.push(`${v.name}: encode exited ${encode?.code}: ${encode?.stderr.trim()}`)
      else if (hex(encode.stdout) !== hex(v.bytes)) problems.push(`${v.name}: encode wrote different bytes`)
      else if (encode.stderr !== "") problems.push(`${v.name}: encode wrote to stderr on success`)
    }
    expect(problems).toEqual([])
  }, 120_000)

  it("bad input: exit status 1, exactly one stderr line, nothing on stdout", async () => {
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, RegExp]> = [
      [["decode", tmpFile("cut.bin", echo.subarray(0, 10))], /^OFPET_BAD_REQUEST\/OFPBRC_BAD_LEN: header length 12 /],
      [["decode", tmpFile("v255.bin", Uint8Array.of(0xff, 14, 0, 8, 0, 0, 0, 0))], /^OFPET_BAD_REQUEST\/OFPBRC_BAD_VERSION: /],
      [["decode", path.join(tmp, "missing.bin")], /^cannot read .*missing\.bin: no such file or directory$/],
      [["encode", tmpFile("bad.json", "{\"version\":")], /bad\.json is not valid JSON: /],
      [["encode", tmpFile("bad-field.json", `{"version": 4, "xid": 0, "message": {"_tag": "EchoRequest", "data": 5}}`)], /bad-field\.json is not an OpenFlow message: .*data/]
    ]
    const runs = await pool(cases.map(([args]) => () => spawn(process.execPath, [bin, "ofp", ...args])), Math.max(2, os.availableParallelism()))
    runs.forEach((run, i) => {
      const [args, expected] = cases[i]!
      expect({ args, code: run.code, stdout: run.stdout.length }).toEqual({ args, code: 1, stdout: 0 })
      expect(run.stderr.trimEnd()).toMatch(expected)
      expect(run.stderr.split("\n")).toHaveLength(2)
      expect(run.stderr.endsWith("\n")).toBe(true)
    })
  }, 60_000)

  it("--lenient reads a FLOW_MOD a switch would refuse for its match prerequisites", async () => {
    if (!vectorsPresent) return
    const v = of13.find((v) => v.name === "4-60-ofp_flow_mod.packet")!
    const [strict, lenient] = await Promise.all([
      spawn(process.execPath, [bin, "ofp", "decode", v.file]),
      spawn(process.execPath, [bin, "ofp", "decode", "--lenient", v.file])
    ])
    expect(strict.code).toBe(1)
    expect(strict.stderr).toMatch(/^OFPET_BAD_MATCH\/OFPBMC_BAD_PREREQ: [^\n]+\n$/)
    expect(lenient.code).toBe(0)
    expect(JSON.parse(lenient.stdout.toString("utf8")).message._tag).toBe("FlowMod")
  }, 60_000)

  it("`npx switchyard` from the repository root runs the bin", async () => {
    const run = await spawn("npx", ["--no-install", "switchyard", "ofp", "decode", tmpFile("echo-npx.bin", echo)], { shell: process.platform === "win32" })
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout.toString("utf8")).message._tag).toBe("EchoRequest")
  }, 60_000)
})
