/**
 * The FLOW and AGGREGATE multipart requests and replies (OpenFlow 1.3 layout).
 *
 * Ryu's 1.3 requests (and the `openflow_flowstats_req.pcap` capture) are checked in
 * `conformance.test.ts`. Ryu has no 1.3 FLOW or AGGREGATE reply; its OpenFlow 1.2 ones
 * have the 1.3 layout byte for byte (1.2's six bytes of padding after `hard_timeout` are
 * 1.3's `flags` and four bytes of padding, zero in the vector), so with the version byte
 * set to 4 they are checked here against Ryu's 1.2 JSON, which has no `flags` and uses
 * 1.2's class names.
 */
import { describe, expect, it } from "@effect/vitest"
import { FlowStats, Instruction, Match, Port } from "@switchyard/openflow"
import { asVersion, decodeError, encodeFailure, encodeOk, hex, multipart, roundTrip, ryuJson, vector } from "./families.ts"
import { normalize, toRyu } from "./ryu/index.ts"
import { vectorsPresent } from "./vectors.ts"

/** Our 1.3 mapping in the vocabulary of Ryu's OpenFlow 1.2 JSON. */
const as12 = (ours: unknown): unknown => {
  const [[className, body]] = Object.entries(ours as Record<string, Record<string, unknown>>)
  const { type: _type, ...rest } = body!
  if (className === "OFPFlowStatsReply") {
    return {
      OFPStatsReply: {
        ...body,
        body: (body!["body"] as Array<{ OFPFlowStats: Record<string, unknown> }>).map(({ OFPFlowStats: { flags: _flags, ...entry } }) => ({ OFPFlowStats: entry }))
      }
    }
  }
  if (className === "OFPAggregateStatsReply") {
    return { OFPStatsReply: { ...body, body: { OFPAggregateStatsReply: (body!["body"] as { OFPAggregateStats: unknown }).OFPAggregateStats } } }
  }
  return { [className!]: rest }
}

const selection = "ff 000000 ffffffff ffffffff 00000000 0000000000000000 0000000000000000"
/** A FLOW reply entry: the 48-byte fixed part with `length`, then `rest` (match and instructions). */
const entry = (length: number, rest: string) =>
  length.toString(16).padStart(4, "0") + "00 00 0000000a 00000014 8000 003c 0000 0001 00000000 0000000000000042 0000000000000003 00000000000000b4" + rest
const emptyMatch = "0001 0004 00000000"
const goto1 = "0001 0008 01 000000"

describe("FlowStats", () => {
  it.each([
    "3-11-ofp_flow_stats_request.packet",
    "3-12-ofp_flow_stats_reply.packet",
    "3-25-ofp_aggregate_stats_request.packet",
    "3-26-ofp_aggregate_stats_reply.packet"
  ])("of12/%s, read as OpenFlow 1.3, agrees with Ryu", (name) => {
    const v = vector("of12", name)
    if (!vectorsPresent || v === undefined) return
    const m = roundTrip(asVersion(v.bytes, 4))
    expect(normalize(as12(toRyu(m, 4)))).toEqual(normalize(ryuJson(v)))
  })

  it("decodes the 1.2 FLOW reply's entries: matches read loosely, instructions with their actions", () => {
    const v = vector("of12", "3-12-ofp_flow_stats_reply.packet")
    if (!vectorsPresent || v === undefined) return
    const m = roundTrip(asVersion(v.bytes, 4)) as FlowStats.FlowStatsReply
    expect(m.stats.map((s) => s.priority)).toEqual([65535, 65534, 123, 0])
    expect(m.stats[1]!.match).toEqual([{ field: "ethType", value: 0x0806 }])
    expect(m.stats[1]!.instructions).toEqual([Instruction.applyActions([{ _tag: "Output", port: Port.NORMAL, maxLen: 0 }])])
  })

  it("request() selects every flow of every table by default", () => {
    expect(hex(encodeOk(FlowStats.request()))).toBe(hex(multipart(4, false, 1, selection + emptyMatch)))
    const narrow = FlowStats.aggregateRequest({ tableId: 0, outPort: 2, cookie: 0x42n, cookieMask: 0xffn, match: Match.make({ ethType: 0x0800 }) })
    expect(hex(encodeOk(narrow))).toBe(
      hex(multipart(4, false, 2, "00 000000 00000002 ffffffff 00000000 0000000000000042 00000000000000ff | 0001 000a 80000a02 0800 | 000000000000"))
    )
  })

  it("a FLOW reply entry field by field", () => {
    const input = multipart(4, true, 1, entry(64, emptyMatch + goto1))
    expect(roundTrip(input)).toEqual({
      _tag: "FlowStatsReply",
      flags: 0,
      stats: [{
        tableId: 0,
        durationSec: 10,
        durationNsec: 20,
        priority: 0x8000,
        idleTimeout: 60,
        hardTimeout: 0,
        flags: 1,
        cookie: 0x42n,
        packetCount: 3n,
        byteCount: 180n,
        match: [],
        instructions: [{ _tag: "GotoTable", tableId: 1 }]
      }]
    })
  })

  it("a request's match is checked strictly; a reply's match loosely (as the switch reports it)", () => {
    // ip_proto = 6 without eth_type = IPv4/IPv6.
    const noPrereq = "0001 0009 80001401 06 | 00000000000000"
    decodeError(multipart(4, false, 1, selection + noPrereq), "OFPBMC_BAD_PREREQ")
    const m = roundTrip(multipart(4, true, 1, entry(64, noPrereq))) as FlowStats.FlowStatsReply
    expect(m.stats[0]!.match).toEqual([{ field: "ipProto", value: 6 }])
    expect(encodeFailure(FlowStats.request({ match: [{ field: "ipProto", value: 6 }] })).code).toBe("OFPBMC_BAD_PREREQ")
  })

  it.each([
    ["a request with 8 bytes after its match", "OFPBRC_BAD_LEN", false, selection + emptyMatch + "0000000000000000"],
    ["a request without a match", "OFPBMC_BAD_LEN", false, selection],
    ["a request whose match has length 0", "OFPBMC_BAD_LEN", false, selection + "0001 0000 00000000"],
    ["a reply entry of length 0", "OFPBRC_BAD_LEN", true, entry(0, emptyMatch)],
    ["a reply entry of length 48 (no room for a match)", "OFPBRC_BAD_LEN", true, entry(48, emptyMatch)],
    ["a reply entry longer than the message", "OFPBRC_BAD_LEN", true, entry(72, emptyMatch)],
    ["40 bytes after the last reply entry", "OFPBRC_BAD_LEN", true, entry(56, emptyMatch) + "00".repeat(40)],
    ["a match running past its entry into the next", "OFPBMC_BAD_LEN", true, entry(56, "0001 000c 80000004 00000001") + entry(56, emptyMatch).slice(8)],
    ["an instruction running past its entry", "OFPBIC_BAD_LEN", true, entry(64, emptyMatch + "0001 0010 01 000000") + entry(56, emptyMatch)],
    ["an instruction of length 0", "OFPBIC_BAD_LEN", true, entry(64, emptyMatch + "0001 0000 01 000000")],
    ["an AGGREGATE reply of 16 bytes", "OFPBRC_BAD_LEN", true, "00".repeat(16)]
  ] as const)("%s is %s", (name, code, reply, body) => {
    decodeError(multipart(4, reply, name.includes("AGGREGATE") ? 2 : 1, body), code)
  })
})
