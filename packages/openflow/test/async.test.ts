/**
 * GET_ASYNC_REQUEST/REPLY and SET_ASYNC: the three mask pairs of OpenFlow 1.3, and the
 * properties of 1.4+ (one per kind and role, experimenters, and SET_ASYNCs that carry
 * only some properties). Ryu has no 1.3 SET_ASYNC vector, so its bytes are built from the
 * spec; the 1.4/1.5 vectors are checked in `conformance.test.ts`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Async, Message } from "@switchyard/openflow"
import { decodeError, encodeFailure, encodeOk, hex, message, roundTrip, vector } from "./families.ts"
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

  it("exists from 1.3 to 1.5; the request is empty in every one", () => {
    for (const v of [4, 5, 6]) expect(Message.isEncodable("SetAsync", v)).toBe(true)
    for (const v of [4, 5, 6]) expect(hex(encodeOk(Async.getAsync, v))).toBe(hex(message(v, 26, "")))
  })

  // OpenFlow 1.4: `type u16, length 8, mask u32` per property; slave types even, master odd.
  const prop = (type: number, mask: number) => `${type.toString(16).padStart(4, "0")} 0008 ${mask.toString(16).padStart(8, "0")}`

  it("1.4 SET_ASYNC: the three pairs as six properties, slave before master, in type order", () => {
    const bytes = message(5, 28, prop(0, 0) + prop(1, 3) + prop(2, 7) + prop(3, 7) + prop(4, 0) + prop(5, 15))
    expect(hex(encodeOk(Async.set(Async.defaults), 5))).toBe(hex(bytes))
    // Nothing of 1.4 is used: the value is the one 1.3 decodes too.
    expect(roundTrip(bytes)).toEqual({ _tag: "SetAsync", ...Async.defaults })
  })

  it("1.4 kinds, experimenter properties and left-out properties round-trip", () => {
    const partial = message(
      5,
      28,
      prop(1, 3) + prop(7, 1) + "ffff 0010 00002320 00000001 000000aa"
    )
    const m = roundTrip(partial) as Async.SetAsync
    expect(m).toEqual({
      _tag: "SetAsync",
      packetInMask: [3, 0],
      portStatusMask: [0, 0],
      flowRemovedMask: [0, 0],
      roleStatusMask: [1, 0],
      experimenter: [{ _tag: "AsyncExperimenterProperty", slave: false, experimenter: 0x2320, expType: 1, data: Uint8Array.of(0, 0, 0, 0xaa) }],
      // Everything but PACKET_IN_MASTER (1) and ROLE_STATUS_MASTER (7) is left out.
      omitted: 0b0111_1101
    })
  })

  it("a 1.3 message cannot carry 1.4 kinds or left-out properties: EncodeError, nothing dropped", () => {
    const withRole = { ...Async.set(Async.defaults), roleStatusMask: [1, 0] as const }
    expect(encodeFailure(withRole, 4).text).toMatch(/needs OpenFlow 1.4/)
    const partial = { ...Async.set({ ...Async.defaults, packetInMask: [0, 0] }), omitted: 0b01 }
    expect(encodeFailure(partial, 4).tag).toBe("EncodeError")
    // 1.5's kinds need 1.5.
    expect(encodeFailure({ ...Async.set(Async.defaults), controllerStatusMask: [1, 1] }, 5).text).toMatch(/needs OpenFlow 1.5/)
    expect(roundTrip(encodeOk({ ...Async.set(Async.defaults), controllerStatusMask: [1, 1] }, 6))).toEqual({
      ...Async.set(Async.defaults),
      controllerStatusMask: [1, 1]
    })
  })

  it.each([
    ["a type 1.4 does not define (12)", message(5, 28, prop(12, 1)), "OFPBPC_BAD_TYPE"],
    ["a property twice", message(5, 28, prop(1, 1) + prop(1, 2)), "OFPBPC_DUP_TYPE"],
    ["a reasons property of length 12", message(5, 28, "0001 000c 00000001 00000000 00000000"), "OFPBPC_BAD_LEN"],
    ["a property of length 0", message(5, 28, "0001 0000 00000001"), "OFPBPC_BAD_LEN"],
    ["a property running past the message", message(5, 28, "0001 0010 00000001"), "OFPBPC_BAD_LEN"],
    ["an experimenter property of length 8", message(5, 27, "ffff 0008 00002320"), "OFPBPC_BAD_LEN"]
  ])("1.4: %s is %s", (_name, input, code) => {
    decodeError(input, code)
  })

  it("1.5 defines types 12-15: flow-stats and controller-status masks", () => {
    expect(roundTrip(message(6, 27, prop(14, 0) + prop(15, 3)))).toEqual({
      _tag: "GetAsyncReply",
      packetInMask: [0, 0],
      portStatusMask: [0, 0],
      flowRemovedMask: [0, 0],
      controllerStatusMask: [3, 0],
      omitted: 0b11_1111
    })
  })

  it.each([
    ["GET_ASYNC_REPLY short", message(4, 27, "00".repeat(23))],
    ["SET_ASYNC long", message(4, 28, "00".repeat(25))],
    ["GET_ASYNC_REQUEST with a body", message(4, 26, "00000000")]
  ])("%s is OFPBRC_BAD_LEN", (_name, input) => {
    decodeError(input, "OFPBRC_BAD_LEN")
  })
})
