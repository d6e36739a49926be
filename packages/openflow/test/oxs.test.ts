/**
 * OpenFlow 1.5's OXS statistics (`ofp_stats`, §7.2.4) in FLOW_REMOVED, the FLOW_DESC and
 * FLOW_STATS multiparts and the AGGREGATE reply: the fixed counters of the version-free
 * models map to the canonical OXS list, a list that is not canonical is kept exactly in
 * `stats`, and hostile lists give the exact error. The vectors are checked against Ryu in
 * `conformance.test.ts`.
 */
import { describe, expect, it } from "@effect/vitest"
import { FlowRemoved, FlowStats, Match, Message, Stats } from "@switchyard/openflow"
import { decodeError, encodeFailure, encodeOk, hex, message, multipart, roundTrip } from "./families.ts"

/** OXS fields (class 0x8002): duration 0, idle_time 1, flow_count 3, packet_count 4, byte_count 5. */
const duration = (sec: string, nsec: string) => `8002 0008 ${sec} ${nsec}`
const packets = (n: string) => `8002 0808 ${n}`
const bytes = (n: string) => `8002 0a08 ${n}`
const flowCount = (n: string) => `8002 0604 ${n}`
const idleTime = (sec: string, nsec: string) => `8002 0208 ${sec} ${nsec}`
const emptyMatch = "0001 0004 00000000"

const removed: FlowRemoved.FlowRemoved = {
  _tag: "FlowRemoved",
  cookie: 0x11n,
  priority: 5,
  reason: 0,
  tableId: 1,
  durationSec: 2,
  durationNsec: 3,
  idleTimeout: 10,
  hardTimeout: 20,
  packetCount: 4n,
  byteCount: 5n,
  match: Match.empty
}
const removedHead = "01 00 0005 000a 0014 0000000000000011 | " + emptyMatch

describe("FLOW_REMOVED in OpenFlow 1.5", () => {
  it("the fixed counters are the canonical list: duration, packet count, byte count", () => {
    const bytes15 = message(6, 11, `${removedHead} | 0000 0028 ${duration("00000002", "00000003")} ${packets("0000000000000004")} ${bytes("0000000000000005")}`)
    expect(hex(encodeOk(removed, 6))).toBe(hex(bytes15))
    expect(roundTrip(bytes15)).toEqual(removed)
  })

  it("another list is kept exactly; the counters it lacks are 0", () => {
    const bytes15 = message(6, 11, `${removedHead} | 0000 001c ${idleTime("00000007", "00000000")} ${packets("0000000000000009")} | 00000000`)
    const m = roundTrip(bytes15) as FlowRemoved.FlowRemoved
    expect(m.stats).toEqual([{ field: "idleTime", sec: 7, nsec: 0 }, { field: "packetCount", value: 9n }])
    expect([m.durationSec, m.packetCount, m.byteCount]).toEqual([0, 9n, 0n])
    expect(Stats.get(m.stats!, "idleTime")?.sec).toBe(7)
  })

  it("a list that disagrees with the fixed counters, or one 1.3/1.4 cannot carry, is an EncodeError", () => {
    expect(encodeFailure({ ...removed, stats: [{ field: "packetCount", value: 99n }] }, 6).tag).toBe("EncodeError")
    expect(encodeFailure({ ...removed, stats: [{ field: "idleTime", sec: 1, nsec: 0 }] }, 4).tag).toBe("EncodeError")
    // The canonical list is the fixed counters: every version carries it.
    const canonical = { ...removed, stats: [{ field: "duration" as const, sec: 2, nsec: 3 }, { field: "packetCount" as const, value: 4n }, { field: "byteCount" as const, value: 5n }] }
    expect(roundTrip(encodeOk(canonical, 4))).toEqual(removed)
  })
})

describe("hostile OXS lists (in a FLOW_REMOVED)", () => {
  it.each([
    ["a stats header cut short", "OFPBRC_BAD_LEN", `${removedHead}`],
    ["a stats length below 4", "OFPBRC_BAD_LEN", `${removedHead} | 0000 0002 00000000`],
    ["a stats length past the message", "OFPBRC_BAD_LEN", `${removedHead} | 0000 0018 ${packets("0000000000000004")}`],
    ["a field payload past the list", "OFPBRC_BAD_LEN", `${removedHead} | 0000 000c 8002 0810 00000000`],
    ["a known field of the wrong size", "OFPBRC_BAD_LEN", `${removedHead} | 0000 000c 8002 0804 00000004 | 00000000`],
    ["a field header cut short", "OFPBRC_BAD_LEN", `${removedHead} | 0000 0006 8002 0000`],
    ["an experimenter field without its id", "OFPBRC_BAD_LEN", `${removedHead} | 0000 000a ffff 0002 0000 000000000000`],
    ["bytes after the list", "OFPBRC_BAD_LEN", `${removedHead} | 0000 0004 00000000 | 00000000 00000000`]
  ])("%s is %s", (_name, code, body) => {
    decodeError(message(6, 11, body), code)
  })

  it("fields of other classes and experimenters are kept opaque", () => {
    const input = message(6, 11, `${removedHead} | 0000 0011 ffff 0204 00002320 | 0001 0001 aa 00000000000000`)
    const m = roundTrip(input) as FlowRemoved.FlowRemoved
    expect(m.stats).toEqual([
      { field: "opaque", oxsClass: 0xffff, oxsField: 1, reserved: false, payload: Uint8Array.of(0, 0, 0x23, 0x20) },
      { field: "opaque", oxsClass: 0x0001, oxsField: 0, reserved: false, payload: Uint8Array.of(0xaa) }
    ])
  })
})

describe("FLOW_DESC (OpenFlow 1.5's flow statistics, multipart 1)", () => {
  const entry: FlowStats.FlowStats = {
    tableId: 1,
    durationSec: 2,
    durationNsec: 3,
    priority: 5,
    idleTimeout: 10,
    hardTimeout: 20,
    flags: 1,
    cookie: 0x11n,
    packetCount: 4n,
    byteCount: 5n,
    match: Match.empty,
    instructions: [],
    importance: 0xaaaa
  }

  it("length, pad, table_id, pad, priority, timeouts, flags, importance, cookie, match, stats, instructions", () => {
    const m: FlowStats.FlowStatsReply = { _tag: "FlowStatsReply", flags: 0, stats: [entry] }
    const body = `0048 0000 01 00 0005 000a 0014 0001 aaaa 0000000000000011 | ${emptyMatch} | 0000 0028 ${duration("00000002", "00000003")} ${packets("0000000000000004")} ${bytes("0000000000000005")}`
    const input = multipart(6, true, 1, body)
    expect(hex(encodeOk(m, 6))).toBe(hex(input))
    expect(roundTrip(input)).toEqual(m)
    // 1.3 has no importance; 1.4 puts it where 1.3 pads.
    expect(encodeFailure(m, 4).tag).toBe("EncodeError")
    expect(roundTrip(encodeOk(m, 5))).toEqual(m)
  })

  it.each([
    ["an entry short of its fixed part, match and stats", "OFPBRC_BAD_LEN", "0020 0000 01 00 0005 000a 0014 0001 aaaa 0000000000000011"],
    ["an entry length past the message", "OFPBRC_BAD_LEN", `0060 0000 01 00 0005 000a 0014 0001 aaaa 0000000000000011 | ${emptyMatch} | 0000 0004 00000000`],
    ["stats past the entry", "OFPBRC_BAD_LEN", `0028 0000 01 00 0005 000a 0014 0001 aaaa 0000000000000011 | ${emptyMatch} | 0000 0010 ${flowCount("00000001")} 00000000`]
  ])("%s is %s", (_name, code, body) => {
    decodeError(multipart(6, true, 1, body), code)
  })
})

describe("FLOW_STATS (OpenFlow 1.5 multipart 17) and AGGREGATE", () => {
  it("a FLOW_STATS entry is length, pad, table_id, reason, priority, match and its stats as sent", () => {
    const m: FlowStats.FlowCountersReply = {
      _tag: "FlowCountersReply",
      flags: 0,
      flows: [{ tableId: 1, reason: FlowStats.CountersReason.STAT_TRIGGER, priority: 5, match: Match.empty, stats: [{ field: "flowCount", value: 1 }] }]
    }
    const input = multipart(6, true, 17, `0020 0000 01 01 0005 | ${emptyMatch} | 0000 000c ${flowCount("00000001")} 00000000`)
    expect(hex(encodeOk(m, 6))).toBe(hex(input))
    expect(roundTrip(input)).toEqual(m)
    expect(Message.isEncodable("FlowCountersReply", 5)).toBe(false)
    expect(roundTrip(encodeOk(FlowStats.countersRequest(), 6))).toEqual(FlowStats.countersRequest())
    decodeError(multipart(6, true, 17, `0020 0000 01 01 0005 | ${emptyMatch} | 0000 0004 00000000 | 00000000 00000000`), "OFPBRC_BAD_LEN")
  })

  it("an AGGREGATE reply is flow, packet and byte count as a canonical OXS list", () => {
    const m: FlowStats.AggregateStatsReply = { _tag: "AggregateStatsReply", flags: 0, packetCount: 4n, byteCount: 5n, flowCount: 1 }
    const input = multipart(6, true, 2, `0000 0024 ${flowCount("00000001")} ${packets("0000000000000004")} ${bytes("0000000000000005")} 00000000`)
    expect(hex(encodeOk(m, 6))).toBe(hex(input))
    expect(roundTrip(input)).toEqual(m)
    // In another order the list is kept as sent.
    const reordered = multipart(6, true, 2, `0000 0024 ${packets("0000000000000004")} ${flowCount("00000001")} ${bytes("0000000000000005")} 00000000`)
    expect((roundTrip(reordered) as FlowStats.AggregateStatsReply).stats?.map((f) => f.field)).toEqual(["packetCount", "flowCount", "byteCount"])
    decodeError(multipart(6, true, 2, `0000 0024 ${flowCount("00000001")} ${packets("0000000000000004")} ${bytes("0000000000000005")} 00000000 | 00000000 00000000`), "OFPBRC_BAD_LEN")
  })
})
