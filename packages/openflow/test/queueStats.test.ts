/**
 * The QUEUE multipart request and reply (OpenFlow 1.3 only: 1.2 had no durations, 1.4
 * added a length and properties). The 1.3 vectors are checked against Ryu in
 * `conformance.test.ts`.
 */
import { describe, expect, it } from "@effect/vitest"
import { QueueStats } from "@switchyard/openflow"
import { decodeError, encodeOk, hex, multipart, roundTrip } from "./families.ts"

describe("QueueStats", () => {
  it("request() defaults to every queue of every port", () => {
    expect(hex(encodeOk(QueueStats.request()))).toBe(hex(multipart(4, false, 5, "ffffffff ffffffff")))
    expect(hex(encodeOk(QueueStats.request({ portNo: 1, queueId: 2 })))).toBe(hex(multipart(4, false, 5, "00000001 00000002")))
  })

  it("decodes an entry field by field", () => {
    const input = multipart(4, true, 5, "00000007 00000001 0000000000000400 0000000000000010 0000000000000001 0000000a 00000064")
    expect(roundTrip(input)).toEqual({
      _tag: "QueueStatsReply",
      flags: 0,
      stats: [{ portNo: 7, queueId: 1, txBytes: 1024n, txPackets: 16n, txErrors: 1n, durationSec: 10, durationNsec: 100 }]
    })
  })

  it.each([
    ["a reply of 39 bytes", multipart(4, true, 5, "00".repeat(39))],
    ["a reply of 41 bytes", multipart(4, true, 5, "00".repeat(41))],
    ["a request of 4 bytes", multipart(4, false, 5, "ffffffff")]
  ])("%s is OFPBRC_BAD_LEN", (_name, input) => {
    decodeError(input, "OFPBRC_BAD_LEN")
  })
})
