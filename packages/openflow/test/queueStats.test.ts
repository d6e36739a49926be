/**
 * The QUEUE multipart request and reply (OpenFlow 1.3; 1.2 had no durations, 1.4 added a
 * length and properties, built by hand below). The 1.3, 1.4 and 1.5 vectors are checked
 * against Ryu in `conformance.test.ts`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Message, QueueStats } from "@switchyard/openflow"
import { Result } from "effect"
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

describe("QueueStats in OpenFlow 1.4+", () => {
  const fields = "00000007 00000001 0000000000000400 0000000000000010 0000000000000001 0000000a 00000064"
  const entry = { portNo: 7, queueId: 1, txBytes: 1024n, txPackets: 16n, txErrors: 1n, durationSec: 10, durationNsec: 100 }

  it("an entry is length, pad[6], the 1.3 fields and properties", () => {
    const plain = multipart(5, true, 5, `0030 000000000000 ${fields}`)
    expect(roundTrip(plain)).toEqual({ _tag: "QueueStatsReply", flags: 0, stats: [entry] })
    const withProperty = multipart(6, true, 5, `0040 000000000000 ${fields} | ffff 000c 00000065 00000002 00000000`)
    const property = { _tag: "ExperimenterProperty", experimenter: 0x65, expType: 2, data: new Uint8Array(0) }
    expect(roundTrip(withProperty)).toEqual({ _tag: "QueueStatsReply", flags: 0, stats: [{ ...entry, properties: [property] }] })
    // 1.3 has no properties: an EncodeError, never dropped.
    expect(Result.isFailure(Message.encode({ _tag: "QueueStatsReply", flags: 0, stats: [{ ...entry, properties: [property] }] } as Message.Message, { version: 4, xid: 0 }))).toBe(true)
  })

  it.each([
    ["an entry short of its 48 fixed bytes", "OFPBRC_BAD_LEN", `0030 000000000000 00000007 00000001`],
    ["an entry length below 48", "OFPBRC_BAD_LEN", `0028 000000000000 ${fields}`],
    ["an entry length past the message", "OFPBRC_BAD_LEN", `0038 000000000000 ${fields}`],
    ["a property past its entry", "OFPBPC_BAD_LEN", `0038 000000000000 ${fields} | ffff 000c 00000065 | 00000002 00000000`]
  ])("%s is %s", (_name, code, body) => {
    decodeError(multipart(5, true, 5, body), code)
  })
})
