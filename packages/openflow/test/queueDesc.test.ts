/**
 * OFPMP_QUEUE_DESC (OpenFlow 1.4 §7.3.5.19; the same in 1.5), which replaced 1.3's
 * QUEUE_GET_CONFIG. The vectors are checked against Ryu in `conformance.test.ts`; here
 * the layout by hand and hostile input.
 */
import { describe, expect, it } from "@effect/vitest"
import { Message, Port, QueueDesc } from "@switchyard/openflow"
import { decodeError, encodeOk, hex, multipart, roundTrip } from "./families.ts"

describe("QueueDesc", () => {
  it("the request names a port and a queue (every one by default)", () => {
    expect(QueueDesc.request()).toEqual({ _tag: "QueueDescRequest", flags: 0, portNo: Port.ANY, queueId: 0xffff_ffff })
    const m = QueueDesc.request({ portNo: 7, queueId: 1 })
    for (const version of [5, 6]) {
      const bytes = multipart(version, false, 15, "00000007 00000001")
      expect(hex(encodeOk(m, version))).toBe(hex(bytes))
      expect(roundTrip(bytes)).toEqual(m)
    }
    expect(Message.isEncodable("QueueDescRequest", 4)).toBe(false)
  })

  it("a reply entry is port_no, queue_id, len, pad[6] and rate properties", () => {
    const m: QueueDesc.QueueDescReply = {
      _tag: "QueueDescReply",
      flags: 0,
      queues: [
        {
          portNo: 7,
          queueId: 1,
          properties: [{ _tag: "QueueDescPropMinRate", rate: 300 }, { _tag: "QueueDescPropMaxRate", rate: QueueDesc.RATE_UNCONFIGURED }]
        },
        { portNo: 8, queueId: 2, properties: [] }
      ]
    }
    const bytes = multipart(
      5,
      true,
      15,
      "00000007 00000001 0020 000000000000 | 0001 0008 012c 0000 | 0002 0008 ffff 0000 | 00000008 00000002 0010 000000000000"
    )
    expect(hex(encodeOk(m, 5))).toBe(hex(bytes))
    expect(roundTrip(bytes)).toEqual(m)
  })

  it.each([
    ["an entry short of its 16 fixed bytes", "OFPBRC_BAD_LEN", "00000007 00000001"],
    ["an entry length below 16", "OFPBRC_BAD_LEN", "00000007 00000001 0008 000000000000"],
    ["an entry length past the message", "OFPBRC_BAD_LEN", "00000007 00000001 0018 000000000000"],
    ["a min-rate property of length 12", "OFPBPC_BAD_LEN", "00000007 00000001 0020 000000000000 | 0001 000c 012c 0000 00000000 00000000"],
    ["a property past its entry", "OFPBPC_BAD_LEN", "00000007 00000001 0018 000000000000 | 0001 0010 012c 0000 | 00000000 00000000"]
  ])("%s is %s", (_name, code, body) => {
    decodeError(multipart(5, true, 15, body), code)
  })

  it("a request body of other than 8 bytes is OFPBRC_BAD_LEN", () => {
    decodeError(multipart(5, false, 15, "00000007"), "OFPBRC_BAD_LEN")
  })
})
