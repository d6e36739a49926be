/**
 * The examples of `packages/cli/README.md`, replayed: every output and error line the
 * README shows is produced here from the README's own inputs and must appear in the
 * README verbatim, so the README cannot drift from the commands.
 *
 * The outputs come from the functions the commands print (`OfpCommand`, `PktCommand`);
 * what the commands add around them (reading files, exit status, usage errors) is
 * checked on the real executable.
 */
import { beforeAll, describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as OfpCommand from "../src/OfpCommand.ts"
import * as PktCommand from "../src/PktCommand.ts"
import { buildCli, repoRoot } from "./support/build.ts"

const readme = fs.readFileSync(path.join(repoRoot, "packages/cli/README.md"), "utf8")

/** Asserts that the README shows `text` exactly. */
const shown = (text: string) => expect(readme, "the README shows it verbatim").toContain(text)

const fromHex = (text: string) => Uint8Array.from(Buffer.from(text, "hex"))

/** `xxd` of whole 16-byte lines, as the README prints it. */
const xxd = (bytes: Uint8Array): string => {
  expect(bytes.length % 16, "the README's dumps are whole lines").toBe(0)
  const lines: Array<string> = []
  for (let at = 0; at < bytes.length; at += 16) {
    const line = bytes.subarray(at, at + 16)
    const groups = Array.from({ length: 8 }, (_, i) => Buffer.from(line.subarray(2 * i, 2 * i + 2)).toString("hex")).join(" ")
    const ascii = Array.from(line, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("")
    lines.push(`${at.toString(16).padStart(8, "0")}: ${groups}  ${ascii}`)
  }
  return lines.join("\n")
}

const ok = <A>(result: Result.Result<A, string>): A => {
  if (Result.isFailure(result)) expect.fail(result.failure)
  return result.success
}

const failure = <A>(result: Result.Result<A, string>): string => {
  if (Result.isSuccess(result)) expect.fail("expected a failure")
  return result.failure
}

/** The flow mod JSON of the README's `cat flow.json`. */
const flowJson = `{
  "version": 4,
  "xid": 1,
  "message": {
    "_tag": "FlowMod",
    "cookie": "0", "cookieMask": "0", "tableId": 0, "command": 0,
    "idleTimeout": 60, "hardTimeout": 0, "priority": 100,
    "bufferId": 4294967295, "outPort": 4294967295, "outGroup": 4294967295, "flags": 0,
    "match": [
      { "field": "inPort", "value": 1 },
      { "field": "ethDst", "value": "aa:bb:cc:dd:ee:ff" }
    ],
    "instructions": [
      { "_tag": "ApplyActions", "actions": [{ "_tag": "Output", "port": 2, "maxLen": 0 }] }
    ]
  }
}`

const arpHex = "ffffffffffff020000000001080600010800060400010200000000010a0000010000000000000a000002"
const udpHex = "02000000000202000000000108004500002100000000401166ca0a0000010a00000213880035000d944268656c6c6f"
const badChecksumHex = "02000000000202000000000108004500002100000000401166ca0a0000010a00000213880035000d123468656c6c6f"

const vectorsDir = process.env["SWITCHYARD_RYU_VECTORS"] ?? path.resolve(repoRoot, "../shared/vectors/ryu")
const vector4_60 = path.join(vectorsDir, "packet_data/of13/4-60-ofp_flow_mod.packet")
const vectorsPresent = fs.existsSync(path.join(vectorsDir, "packet_data"))
if (!vectorsPresent && process.env["CI"]) {
  throw new Error(`Ryu vectors not found at ${vectorsDir} (set SWITCHYARD_RYU_VECTORS); CI must have them`)
}

describe("README: switchyard ofp", () => {
  it("decode echo.bin", () => {
    shown("$ echo 0402000c00000009686f6765 | xxd -r -p > echo.bin")
    shown(ok(OfpCommand.decodeToJson(fromHex("0402000c00000009686f6765"))))
  })

  if (vectorsPresent) {
    it("--lenient on Ryu's 4-60 flow mod", () => {
      const bytes = new Uint8Array(fs.readFileSync(vector4_60))
      shown(`$ switchyard ofp decode 4-60-ofp_flow_mod.packet\n${failure(OfpCommand.decodeToJson(bytes))}\n`)
      const json = ok(OfpCommand.decodeToJson(bytes, { lenient: true }))
      shown(`# ${`${json}\n`.split("\n").length - 1} lines of JSON`) // as `wc -l` counts what decode prints
      const again = ok(OfpCommand.encodeFromJson(json, "flow.json", { lenient: true }))
      expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true)
    })
  } else {
    it("Ryu vectors absent: the --lenient example is not replayed", () => {
      console.warn(`Ryu vectors not found at ${vectorsDir}; set SWITCHYARD_RYU_VECTORS`)
      expect(vectorsPresent).toBe(false)
    })
  }

  it("encode flow.json, in 1.3 and in 1.0", () => {
    shown(`$ cat flow.json\n${flowJson}\n`)
    shown(`$ switchyard ofp encode flow.json | xxd\n${xxd(ok(OfpCommand.encodeFromJson(flowJson, "flow.json")))}\n`)
    const of10 = flowJson.replace(`"version": 4`, `"version": 1`)
    shown(`$ sed 's/"version": 4/"version": 1/' flow.json | switchyard ofp encode - | xxd\n${xxd(ok(OfpCommand.encodeFromJson(of10, "standard input")))}\n`)
  })

  it("an unchanged JSON gives back the identical bytes", () => {
    const bytes = ok(OfpCommand.encodeFromJson(flowJson, "flow.json"))
    expect(ok(OfpCommand.encodeFromJson(ok(OfpCommand.decodeToJson(bytes)), "flow.json"))).toEqual(bytes)
  })
})

describe("README: switchyard pkt", () => {
  it("decode an ARP request", () => {
    shown(`$ switchyard pkt decode ${arpHex}\n${ok(PktCommand.decodeHexToJson(arpHex))}\n`)
  })

  it("decode a UDP datagram with a wrong checksum", () => {
    const json = ok(PktCommand.decodeHexToJson(badChecksumHex))
    shown(`$ switchyard pkt decode ${badChecksumHex}\n…\n${json.slice(json.indexOf(`  "errors": [`))}\n`)
  })

  it("encode an edited datagram", () => {
    const json = ok(PktCommand.decodeHexToJson(udpHex))
    expect(json).toContain(`"dstPort": 53,`)
    const edited = json.replace(`"dstPort": 53`, `"dstPort": 5353`)
    shown(`$ switchyard pkt decode ${udpHex} > udp.json\n$ sed -i 's/"dstPort": 53/"dstPort": 5353/' udp.json\n$ switchyard pkt encode udp.json\n${ok(PktCommand.encodeFromJson(edited, "udp.json"))}\n`)
    shown("(`9442` → `7f8e`)")
    expect(udpHex).toContain("000d9442")
    expect(ok(PktCommand.encodeFromJson(edited, "udp.json"))).toContain("000d7f8e")
  })
})

describe("README: errors", () => {
  const flow = JSON.parse(flowJson)
  const flowBytes = ok(OfpCommand.encodeFromJson(flowJson, "flow.json"))
  const row = (line: string) => shown(`| \`${line}\` |`)

  it("the one-line errors of the table", () => {
    row(failure(OfpCommand.decodeToJson(flowBytes.subarray(0, 40))))
    row(failure(OfpCommand.decodeToJson(fromHex("ff0e000800000000"))))
    flow.message.match = [{ field: "tcpDst", value: 80 }]
    row(failure(OfpCommand.encodeFromJson(JSON.stringify(flow), "flow.json")))
    row(failure(OfpCommand.encodeFromJson(
      JSON.stringify({ version: 4, xid: 0, message: { _tag: "EchoRequest", data: Buffer.alloc(70000).toString("base64") } }),
      "flow.json"
    )))
    row(failure(OfpCommand.encodeFromJson(flowJson.replace(`"port": 2`, `"port": "2"`), "flow.json")))
    row(failure(OfpCommand.encodeFromJson(flowJson.replace(`"priority": 100`, `"priority": 70000`), "flow.json")))
    // JSON.parse words its errors per Node version: the README quotes Node 20's.
    const notJson = failure(OfpCommand.encodeFromJson(`{"version": 4,\n`, "flow.json"))
    expect(notJson.startsWith("flow.json is not valid JSON: ")).toBe(true)
    shown("| text that is not JSON | `flow.json is not valid JSON: ")
    row(failure(PktCommand.decodeHexToJson("0x0200zz")))
    row(failure(PktCommand.encodeFromJson(`{"layers":[{"_tag":"Udp","srcPort":1}]}`, "standard input")))
  })

  it("a strict decode refuses what encode refuses", () => {
    flow.message.match = [{ field: "tcpDst", value: 80 }]
    const line = failure(OfpCommand.encodeFromJson(JSON.stringify(flow), "flow.json"))
    const lenient = ok(OfpCommand.encodeFromJson(JSON.stringify(flow), "flow.json", { lenient: true }))
    expect(failure(OfpCommand.decodeToJson(lenient))).toBe(line)
  })
})

// ---------------------------------------------------------------------------------------
// What only the executable shows: reading files, exit status, usage errors.

const bin = path.join(repoRoot, "packages/cli/bin/switchyard.js")

const run = (args: ReadonlyArray<string>, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr })
    })
  })

describe("README: exit status", () => {
  beforeAll(buildCli, 180_000)

  it("bad input, a malformed frame and a usage error", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-readme-"))
    try {
      const [missing, directory, malformed, usage] = await Promise.all([
        run(["ofp", "decode", "nope.bin"], dir),
        run(["ofp", "decode", "/tmp"], dir),
        run(["pkt", "decode", badChecksumHex], dir),
        run(["ofp", "decode"], dir)
      ])
      expect({ code: missing.code, stdout: missing.stdout }).toEqual({ code: 1, stdout: "" })
      expect({ code: directory.code, stdout: directory.stdout }).toEqual({ code: 1, stdout: "" })
      shown(`\`${missing.stderr.trimEnd()}\`, \`${directory.stderr.trimEnd()}\``)
      expect(malformed.code).toBe(0)
      expect(JSON.parse(malformed.stdout).errors).toHaveLength(1)
      expect(usage.code).toBe(1)
      expect(usage.stdout).toContain("USAGE\n  switchyard ofp decode [flags] <file>")
      expect(usage.stderr).toContain("Missing required argument: file")
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
