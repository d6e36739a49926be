/**
 * `switchyard pkt decode|encode`: the pure functions, the effect/cli command in-process
 * (arguments, standard streams, the exit failure), and the real executable spawned as a
 * user runs it.
 */
import { beforeAll, describe, expect, it } from "@effect/vitest"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Frame, Hex } from "@switchyard/packet"
import { Cause, Effect, Exit, Layer, Result, Runtime, Sink, Stdio, Stream } from "effect"
import { Command } from "effect/cli"
import { execFile } from "node:child_process"
import * as os from "node:os"
import * as path from "node:path"
import * as PktCommand from "../src/PktCommand.ts"
import { buildCli, repoRoot } from "./support/build.ts"

/** An ARP request written by the Linux kernel (packages/packet/test/fixtures, frame 7). */
const arpHex = "ffffffffffff02000000000a0806000108000604000102000000000a0a0000010000000000000a000002"
/** A UDP datagram from the same capture (frame 39); UDP checksum 0x5926. */
const udpHex = "02000000000b02000000000a08004500002074d340004011b1f70a0000010a000002862f270f000c59267564700a"

const oneLineFailure = <A>(result: Result.Result<A, string>): string => {
  expect(Result.isFailure(result)).toBe(true)
  const line = Result.isFailure(result) ? result.failure : ""
  expect(line).not.toMatch(/\n/)
  expect(line).not.toMatch(/\bat .*\.(ts|js):\d+/)
  return line
}

describe("decodeHexToJson / encodeFromJson", () => {
  it("prints the layers with addresses as text", () => {
    const json = JSON.parse(Result.getOrThrow(PktCommand.decodeHexToJson(arpHex)))
    expect(json).toEqual({
      layers: [
        { _tag: "Ethernet", dst: "ff:ff:ff:ff:ff:ff", src: "02:00:00:00:00:0a", etherType: 0x0806 },
        {
          _tag: "Arp",
          hardwareType: 1,
          protocolType: 0x0800,
          operation: 1,
          senderMac: "02:00:00:00:00:0a",
          senderIp: "10.0.0.1",
          targetMac: "00:00:00:00:00:00",
          targetIp: "10.0.0.2"
        }
      ],
      errors: []
    })
  })

  it("accepts 0x, spaces and colons", () => {
    const spaced = arpHex.match(/../g)!.join(":")
    expect(PktCommand.decodeHexToJson(`0x${spaced}`)).toEqual(PktCommand.decodeHexToJson(arpHex))
    expect(PktCommand.decodeHexToJson(arpHex.match(/..../g)!.join(" "))).toEqual(PktCommand.decodeHexToJson(arpHex))
  })

  it("reports decoding and checksum errors in the JSON, not as a failure", () => {
    const bytes = Hex.decodeUnsafe(udpHex)
    bytes[40] ^= 0x01
    const json = JSON.parse(Result.getOrThrow(PktCommand.decodeHexToJson(Hex.encode(bytes))))
    expect(json.errors).toEqual([
      { _tag: "PacketError", layer: "Udp", reason: "BadChecksum", offset: 40, message: "the Udp checksum 0x5826 is wrong" }
    ])
    const truncated = JSON.parse(Result.getOrThrow(PktCommand.decodeHexToJson("ffffffffffff0200000000010800450000")))
    expect(truncated.layers.map((l: { _tag: string }) => l._tag)).toEqual(["Ethernet", "Payload"])
    expect(truncated.errors[0]).toMatchObject({ layer: "Ipv4", reason: "Truncated", offset: 14 })
  })

  it("lists an IPv4 header checksum error once", () => {
    const bytes = Hex.decodeUnsafe(udpHex)
    bytes[24] ^= 0xff
    const json = JSON.parse(PktCommand.decodeToJson(bytes))
    expect(json.errors.map((e: { layer: string; reason: string }) => `${e.layer} ${e.reason}`)).toEqual(["Ipv4 BadChecksum"])
  })

  it.each([
    ["a non-hex digit", "0g", /^not hex: a byte needs two hex digits, position 1 has "g"$/],
    ["an odd number of digits", "fff", /^not hex: odd number of hex digits$/],
    ["a word", "hello", /^not hex: not a hex digit at position 0: "h"$/]
  ] as const)("%s is one error line", (_what, text, expected) => {
    expect(oneLineFailure(PktCommand.decodeHexToJson(text))).toMatch(expected)
  })

  it("encode gives back the bytes decode read, and recomputes what was left out", () => {
    const json = Result.getOrThrow(PktCommand.decodeHexToJson(udpHex))
    expect(Result.getOrThrow(PktCommand.encodeFromJson(json))).toBe(udpHex)
    const edited = JSON.parse(json)
    edited.layers[1].dst = "10.0.0.99"
    delete edited.layers[1].checksum
    delete edited.layers[2].checksum
    delete edited.layers[2].length
    const hex = Result.getOrThrow(PktCommand.encodeFromJson(JSON.stringify(edited)))
    const frame = Frame.decode(Hex.decodeUnsafe(hex))
    expect(frame.ipv4?.dst).toBe(0x0a000063)
    expect(Frame.verifyChecksums(frame)).toEqual([])
  })

  it.each([
    ["not JSON", "{", /^f\.json is not valid JSON: /],
    ["no layers", "{}", /^f\.json does not describe frame layers: .*layers/],
    ["a bad MAC", `{"layers":[{"_tag":"Ethernet","dst":"nope","src":"02:00:00:00:00:01","etherType":1536}]}`, /^f\.json does not describe frame layers: .*MAC address/],
    ["an unknown layer", `{"layers":[{"_tag":"Teleport"}]}`, /^f\.json does not describe frame layers: .*_tag/],
    ["a frame that cannot be built", `{"layers":[{"_tag":"Ethernet","dst":"ff:ff:ff:ff:ff:ff","src":"02:00:00:00:00:01"}]}`, /^cannot build the frame: Ethernet BadValue: Ethernet\.etherType is needed/]
  ] as const)("encode of %s is one error line", (_what, text, expected) => {
    expect(oneLineFailure(PktCommand.encodeFromJson(text, "f.json"))).toMatch(expected)
  })
})

/** Runs `pkt ARGS` in-process with captured standard streams. */
const runInProcess = (args: ReadonlyArray<string>, stdin = "") =>
  Effect.gen(function*() {
    const stdout: Array<string> = []
    const stderr: Array<string> = []
    const text = (chunk: string | Uint8Array) => typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk)
    const stdio = Stdio.layerTest({
      stdout: () => Sink.forEach((chunk: string | Uint8Array) => Effect.sync(() => void stdout.push(text(chunk)))),
      stderr: () => Sink.forEach((chunk: string | Uint8Array) => Effect.sync(() => void stderr.push(text(chunk)))),
      stdin: Stream.make(new TextEncoder().encode(stdin))
    })
    const exit = yield* Command.runWith(PktCommand.command, { version: "0.1.0" })(args).pipe(
      Effect.provide(Layer.merge(NodeServices.layer, stdio)),
      Effect.exit
    )
    return { exit, stdout: stdout.join(""), stderr: stderr.join("") }
  })

describe("the pkt command in-process", () => {
  it.effect("decode HEX prints JSON; encode - prints the hex back", () =>
    Effect.gen(function*() {
      const decoded = yield* runInProcess(["decode", arpHex])
      expect(Exit.isSuccess(decoded.exit)).toBe(true)
      expect(decoded.stderr).toBe("")
      expect(JSON.parse(decoded.stdout).layers[1]._tag).toBe("Arp")
      const encoded = yield* runInProcess(["encode", "-"], decoded.stdout)
      expect(encoded.stdout).toBe(`${arpHex}\n`)
    }))

  it.effect("several HEX words are joined; - reads standard input", () =>
    Effect.gen(function*() {
      const words = yield* runInProcess(["decode", arpHex.slice(0, 20), arpHex.slice(20)])
      const stdin = yield* runInProcess(["decode", "-"], `${arpHex}\n`)
      expect(words.stdout).toBe(stdin.stdout)
      expect(JSON.parse(words.stdout).layers.length).toBe(2)
    }))

  it.effect.each([
    ["text that is not hex", ["decode", "xyz"], /^not hex: /],
    ["a missing file", ["encode", path.join(os.tmpdir(), "switchyard-no-such-file.json")], /^cannot read .*: no such file or directory$/]
  ] as const)("%s: one stderr line, nothing on stdout, exit status 1", ([_what, args, expected]) =>
    Effect.gen(function*() {
      const run = yield* runInProcess(args)
      expect(run.stdout).toBe("")
      expect(run.stderr.endsWith("\n")).toBe(true)
      expect(run.stderr.trimEnd()).toMatch(expected)
      expect(run.stderr.trimEnd()).not.toMatch(/\n/)
      expect(Exit.isFailure(run.exit)).toBe(true)
      if (Exit.isFailure(run.exit)) {
        const failure = Cause.squash(run.exit.cause)
        expect(failure).toBeInstanceOf(PktCommand.PktCommandError)
        expect(Runtime.getErrorReported(failure)).toBe(false)
        expect(Runtime.getErrorExitCode(failure)).toBe(1)
      }
    }))
})

const bin = path.join(repoRoot, "packages/cli/bin/switchyard.js")

const spawn = (args: ReadonlyArray<string>): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: repoRoot }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr })
    })
  })

describe("the switchyard executable", () => {
  // The bin runs the compiled dist/ (as after `npm install`); rebuild so it is this
  // checkout's code, one build at a time across test files.
  beforeAll(buildCli, 180_000)

  it("pkt decode HEX prints the frame as JSON and exits 0", async () => {
    const run = await spawn(["pkt", "decode", arpHex])
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" })
    expect(run.stdout).toBe(`${Result.getOrThrow(PktCommand.decodeHexToJson(arpHex))}\n`)
  }, 60_000)

  it("pkt decode of text that is not hex exits 1 with exactly one stderr line", async () => {
    const run = await spawn(["pkt", "decode", "not-hex"])
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 1, stdout: "" })
    expect(run.stderr).toBe("not hex: not a hex digit at position 0: \"n\"\n")
  }, 60_000)
})
