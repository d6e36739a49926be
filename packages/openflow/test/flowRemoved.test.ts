/**
 * OFPT_FLOW_REMOVED: Ryu's OpenFlow 1.3 vectors (and 1.4's, whose layout is the same)
 * decode, re-encode byte for byte and agree with Ryu's JSON; the match is a switch's
 * report, decoded loosely; the exact error for each malformed part; generated messages
 * round-trip.
 */
import { describe, expect, it } from "@effect/vitest"
import { FlowRemoved } from "@switchyard/openflow"
import { agreesWithRyu, decodeError, decodeOk, encodeOk, message, roundTrip } from "./families.ts"
import { vectorsDir, vectorsPresent } from "./vectors.ts"
import { project } from "./versions.ts"

describe("Ryu's FLOW_REMOVED vectors", () => {
  it("4-40: an idle timeout with its counters", () => {
    if (!vectorsPresent) return console.warn(`Ryu vectors not found at ${vectorsDir}`)
    const m = agreesWithRyu("of13", "4-40-ofp_flow_removed.packet") as FlowRemoved.FlowRemoved
    expect(m.reason).toBe(FlowRemoved.Reason.IDLE_TIMEOUT)
    expect([m.packetCount, m.byteCount]).toEqual([1n, 86n])
    expect(FlowRemoved.duration(m)).toBeCloseTo(3.048825, 9)
  })

  it("libofproto-OFP13-flow_removed: a match with Nicira tunnel fields and a 64-bit cookie", () => {
    const m = agreesWithRyu("of13", "libofproto-OFP13-flow_removed.packet") as FlowRemoved.FlowRemoved | undefined
    if (m === undefined) return
    expect(m.cookie).toBe(0x1234_5678_9abc_def0n)
    expect(m.match.filter((f) => f.field === "opaque").length).toBe(2)
  })

  it("5-38 (OpenFlow 1.4, same layout)", () => {
    expect(agreesWithRyu("of14", "5-38-ofp_flow_removed.packet")?._tag ?? "absent").toMatch(/FlowRemoved|absent/)
  })
})

const fixedPart = "0000000000000001 8000 02 00 00000005 00000000 000a 0000 0000000000000003 00000000000000c8"

describe("hostile flow-removeds: the exact error", () => {
  const cases: ReadonlyArray<readonly [string, string, string]> = [
    ["body shorter than the 40-byte fixed part", "0000000000000001 8000 02 00", "OFPBRC_BAD_LEN"],
    ["no match", fixedPart, "OFPBMC_BAD_LEN"],
    ["match longer than the message", fixedPart + "0001 0040 80000004 00000001 00000000", "OFPBMC_BAD_LEN"],
    ["8 bytes after the match", fixedPart + "0001000c 80000004 00000001 00000000 0000000000000000", "OFPBRC_BAD_LEN"],
    ["match type 0", fixedPart + "0000000400000000", "OFPBMC_BAD_TYPE"],
    ["in_port twice", fixedPart + "00010014 80000004 00000001 80000004 00000002 00000000", "OFPBMC_DUP_FIELD"]
  ]
  it.each(cases)("%s", (_, body, code) => {
    decodeError(message(4, 11, body), code)
  })

  it("a match without prerequisites is taken as the switch reports it", () => {
    const m = decodeOk(message(4, 11, fixedPart + "0001000c 80001604 0a000001 00000000")).message as FlowRemoved.FlowRemoved
    expect(m.match).toEqual([{ field: "ipv4Src", value: 0x0a000001, mask: undefined }])
    expect(m).toMatchObject({ cookie: 1n, priority: 0x8000, reason: FlowRemoved.Reason.DELETE, durationSec: 5, idleTimeout: 10, packetCount: 3n, byteCount: 200n })
  })
})

describe("properties", () => {
  it.prop("generated flow-removeds round-trip (in 1.3, without 1.5's OXS stats list)", [FlowRemoved.FlowRemoved], ([m]) => {
    const v = project(m, 4)
    expect(roundTrip(encodeOk(v))).toEqual(v)
  }, { arbitrary: { runs: 200, seed: 15 } })
})
