/**
 * The TABLE multipart request and reply (24-byte entries, unchanged from 1.3 to 1.5). The
 * 1.4 and 1.5 vectors are checked against Ryu here, the 1.3 ones in `conformance.test.ts`.
 */
import { describe, expect, it } from "@effect/vitest"
import { TableStats } from "@switchyard/openflow"
import { agreesWithRyu, decodeError, encodeOk, hex, multipart, roundTrip } from "./families.ts"

describe("TableStats", () => {
  it.each([
    ["of14", "5-27-ofp_table_stats_request.packet"],
    ["of14", "5-28-ofp_table_stats_reply.packet"],
    ["of15", "libofproto-OFP15-table_stats_request.packet"],
    ["of15", "libofproto-OFP15-table_stats_reply.packet"]
  ])("%s/%s agrees with Ryu", (folder, name) => {
    const m = agreesWithRyu(folder, name)
    if (m?._tag === "TableStatsReply") expect(m.stats.map((s) => s.tableId)).toEqual([0, 1])
  })

  it("64-bit counters stay exact", () => {
    const input = multipart(4, true, 3, "fe 000000 00000005 ffffffffffffffff 0020000000000001")
    expect(roundTrip(input)).toEqual({
      _tag: "TableStatsReply",
      flags: 0,
      stats: [{ tableId: 254, activeCount: 5, lookupCount: 0xffff_ffff_ffff_ffffn, matchedCount: 0x20_0000_0000_0001n }]
    })
    expect(hex(encodeOk(TableStats.request))).toBe(hex(multipart(4, false, 3, "")))
  })

  it.each([
    ["23 bytes", "00".repeat(23)],
    ["25 bytes", "00".repeat(25)],
    ["one entry and a half", "00".repeat(36)]
  ])("a reply body of %s is OFPBRC_BAD_LEN", (_name, body) => {
    decodeError(multipart(4, true, 3, body), "OFPBRC_BAD_LEN")
  })
})
