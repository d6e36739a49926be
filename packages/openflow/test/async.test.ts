/**
 * GET_ASYNC_REQUEST/REPLY and SET_ASYNC (OpenFlow 1.3 only: 1.4 replaced the masks with
 * properties). Ryu has no 1.3 SET_ASYNC vector, so its bytes are built from the spec.
 */
import { describe, expect, it } from "@effect/vitest"
import { Async, Message } from "@switchyard/openflow"
import { decodeError, encodeOk, hex, message, roundTrip, vector } from "./families.ts"
import { vectorsPresent } from "./vectors.ts"

describe("Async", () => {
  it("decodes Ryu's GET_ASYNC_REPLY: [master/equal, slave] per mask", () => {
    const v = vector("of13", "4-43-ofp_get_async_reply.packet")
    if (!vectorsPresent || v === undefined) return
    expect(roundTrip(v.bytes)).toEqual({
      _tag: "GetAsyncReply",
      packetInMask: [5, 1],
      portStatusMask: [7, 3],
      flowRemovedMask: [15, 3]
    })
  })

  it("SET_ASYNC (no 1.3 vector): packet_in[2], port_status[2], flow_removed[2] in that order", () => {
    const bytes = message(4, 28, "00000003 00000000 00000007 00000007 0000000f 00000000")
    expect(roundTrip(bytes)).toEqual({ _tag: "SetAsync", ...Async.defaults })
    expect(hex(encodeOk(Async.set(Async.defaults)))).toBe(hex(bytes))
  })

  it("is OpenFlow 1.3 only", () => {
    expect(Message.isEncodable("SetAsync", 4)).toBe(true)
    expect(Message.isEncodable("SetAsync", 5)).toBe(false)
    expect(hex(encodeOk(Async.getAsync))).toBe(hex(message(4, 26, "")))
  })

  it.each([
    ["GET_ASYNC_REPLY short", message(4, 27, "00".repeat(23))],
    ["SET_ASYNC long", message(4, 28, "00".repeat(25))],
    ["GET_ASYNC_REQUEST with a body", message(4, 26, "00000000")]
  ])("%s is OFPBRC_BAD_LEN", (_name, input) => {
    decodeError(input, "OFPBRC_BAD_LEN")
  })
})
