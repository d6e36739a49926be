/**
 * BUNDLE_CONTROL and BUNDLE_ADD_MESSAGE (OpenFlow 1.4 §7.3.9, the same in 1.5) and the
 * 1.5 OFPMP_BUNDLE_FEATURES multipart. The vectors are checked against Ryu in
 * `conformance.test.ts`; here the layout from the spec by hand, the added message's
 * checks as Open vSwitch makes them, and hostile input.
 */
import { describe, expect, it } from "@effect/vitest"
import { Bundle, Echo, FlowMod, Match, Message } from "@switchyard/openflow"
import { decodeError, decodeOk, encodeFailure, encodeOk, hex, message, multipart, roundTrip } from "./families.ts"

/** A BUNDLE_ADD_MESSAGE with `xid` in its header, carrying `inner` (hex of a whole message). */
const addMessage = (version: number, inner: string, rest = "", xid = "00000000"): Uint8Array => {
  const m = message(version, 34, "00000001 0000 0001" + inner + rest)
  m.set(Buffer.from(xid, "hex"), 4)
  return m
}

describe("BundleControl", () => {
  it("is bundle_id, type, flags and properties", () => {
    const m = Bundle.control(0x1234, Bundle.ControlType.OPEN_REQUEST, Bundle.Flags.ATOMIC | Bundle.Flags.ORDERED)
    for (const version of [5, 6]) {
      expect(hex(encodeOk(m, version))).toBe(hex(message(version, 33, "00001234 0000 0003")))
      expect(roundTrip(encodeOk(m, version))).toEqual(m)
    }
    expect(Message.isEncodable("BundleControl", 4)).toBe(false)
  })

  it("TIME is a 1.5 flag: 1.4 refuses it both ways (OFPBFC_BAD_FLAGS)", () => {
    const m = Bundle.control(1, Bundle.ControlType.COMMIT_REQUEST, Bundle.Flags.TIME)
    expect(roundTrip(encodeOk(m, 6))).toEqual(m)
    expect(encodeFailure(m, 5).code).toBe("OFPBFC_BAD_FLAGS")
    decodeError(message(5, 33, "00000001 0004 0004"), "OFPBFC_BAD_FLAGS")
  })

  it("a 1.5 time property is 24 bytes: pad, seconds, nanoseconds, pad", () => {
    const m: Bundle.BundleControl = {
      ...Bundle.control(1, Bundle.ControlType.COMMIT_REQUEST, Bundle.Flags.TIME),
      properties: [{ _tag: "BundlePropTime", scheduledTime: { seconds: 0x1_0000_0000n, nanoseconds: 5 } }]
    }
    const bytes = message(6, 33, "00000001 0004 0004 | 0001 0018 00000000 0000000100000000 00000005 00000000")
    expect(hex(encodeOk(m, 6))).toBe(hex(bytes))
    expect(roundTrip(bytes)).toEqual(m)
    decodeError(message(6, 33, "00000001 0004 0004 | 0001 0010 00000000 0000000100000000"), "OFPBPC_BAD_LEN")
  })

  it.each([
    ["a control type above 7", "OFPBFC_BAD_TYPE", message(5, 33, "00000001 0008 0000")],
    ["a body short of the 8 fixed bytes", "OFPBRC_BAD_LEN", message(5, 33, "00000001 0000")],
    ["a property of length 2", "OFPBPC_BAD_LEN", message(5, 33, "00000001 0000 0000 | ffff 0002 00000000")],
    ["a property running past the message", "OFPBPC_BAD_LEN", message(5, 33, "00000001 0000 0000 | ffff 0010 00000000")],
    ["OpenFlow 1.3 (type 33 is not defined there)", "OFPBRC_BAD_TYPE", message(4, 33, "00000001 0000 0000")]
  ])("%s is %s", (_name, code, input) => {
    decodeError(input, code)
  })

  it("a control type above 7 is refused on encoding too", () => {
    expect(encodeFailure({ ...Bundle.control(1, 0), type: 8 }, 5).code).toBe("OFPBFC_BAD_TYPE")
  })
})

describe("BundleAddMessage", () => {
  const flowMod = FlowMod.add({ match: Match.make({ inPort: 1 }), priority: 7, instructions: [] })

  it("carries a whole message whose xid repeats the outer one; no padding without properties", () => {
    const m = Bundle.add(0x55, flowMod, Bundle.Flags.ATOMIC)
    for (const version of [5, 6]) {
      const encoded = Message.encode(m, { version: version as 5, xid: 0xabcd })
      if (encoded._tag !== "Success") throw new Error("does not encode")
      const bytes = encoded.success
      const inner = Message.encode(flowMod, { version: version as 5, xid: 0xabcd })
      if (inner._tag !== "Success") throw new Error("does not encode")
      expect(hex(bytes.subarray(8, 16))).toBe("0000005500000001")
      expect(hex(bytes.subarray(16))).toBe(hex(inner.success))
      const back = decodeOk(bytes)
      expect(back.xid).toBe(0xabcd)
      expect(back.message).toEqual(m)
    }
  })

  it("pads the added message to 8 bytes when properties follow", () => {
    const m: Bundle.BundleAddMessage = {
      ...Bundle.add(1, Echo.request(Uint8Array.of(1, 2, 3)), 1),
      properties: [{ _tag: "ExperimenterProperty", experimenter: 0x65, expType: 0, data: new Uint8Array(0) }]
    }
    const bytes = addMessage(5, "0502000b00000000 010203", "0000000000 | ffff 000c 00000065 00000000 00000000")
    expect(hex(encodeOk(m, 5))).toBe(hex(bytes))
    expect(roundTrip(bytes)).toEqual(m)
    // Without the padding the properties cannot be found.
    decodeError(addMessage(5, "0502000b00000000 010203", "0000"), "OFPBRC_BAD_LEN")
  })

  it.each([
    ["an added message of length 7", "OFPBFC_MSG_BAD_LEN", addMessage(5, "0502000700000000")],
    ["an added message longer than what remains", "OFPBFC_MSG_BAD_LEN", addMessage(5, "0502001000000000")],
    ["an added message of another version", "OFPBRC_BAD_VERSION", addMessage(5, "0402000800000000")],
    ["an added message with another xid", "OFPBFC_MSG_BAD_XID", addMessage(5, "0502000800000001")],
    ["an added message that does not decode", "OFPBFC_MSG_UNSUP", addMessage(5, "05ee000800000000")],
    ["a BUNDLE_ADD_MESSAGE added to a bundle", "OFPBFC_MSG_UNSUP", addMessage(5, "0522001800000000 00000001 0000 0000 0502000800000000")],
    ["TIME in 1.4", "OFPBFC_BAD_FLAGS", message(5, 34, "00000001 0000 0004 0502000800000000")],
    ["a body without an added message", "OFPBRC_BAD_LEN", message(5, 34, "00000001 0000 0000")]
  ])("%s is %s", (_name, code, input) => {
    decodeError(input, code)
  })

  it("the xid check compares with the outer header's xid", () => {
    const bytes = addMessage(5, "05020008cafef00d", "", "cafef00d")
    const back = decodeOk(bytes)
    expect(back.xid).toBe(0xcafef00d)
    expect(back.message).toEqual(Bundle.add(1, Echo.request(new Uint8Array(0)), 1))
  })

  it("refuses to nest bundles and to carry what the version cannot encode", () => {
    const inner = Bundle.add(1, Echo.request(new Uint8Array(0)))
    expect(encodeFailure({ ...inner, message: inner } as Message.Message, 5).code).toBe("OFPBFC_MSG_UNSUP")
    // A 1.5-only kind inside a 1.4 bundle: the inner encoder's own failure.
    expect(encodeFailure(Bundle.add(1, Bundle.control(1, 0, 4)), 5).code).toBe("OFPBFC_BAD_FLAGS")
  })
})

describe("BundleFeatures (OpenFlow 1.5 multipart 19)", () => {
  it("request: feature_request_flags, pad, properties", () => {
    const m: Bundle.BundleFeaturesRequest = { _tag: "BundleFeaturesRequest", flags: 0, featureRequestFlags: 1, properties: [] }
    const bytes = multipart(6, false, 19, "00000001 00000000")
    expect(hex(encodeOk(m, 6))).toBe(hex(bytes))
    expect(roundTrip(bytes)).toEqual(m)
    expect(Message.isEncodable("BundleFeaturesRequest", 5)).toBe(false)
  })

  it("reply: capabilities, pad, a 72-byte time capability property", () => {
    const t = (n: number) => ({ seconds: BigInt(n), nanoseconds: n })
    const m: Bundle.BundleFeaturesReply = {
      _tag: "BundleFeaturesReply",
      flags: 0,
      capabilities: 3,
      properties: [{ _tag: "BundleFeaturesPropTime", schedAccuracy: t(1), schedMaxFuture: t(2), schedMaxPast: t(3), timestamp: t(4) }]
    }
    const time = (n: number) => `000000000000000${n} 0000000${n} 00000000`
    const bytes = multipart(6, true, 19, `0003 000000000000 | 0001 0048 00000000 ${time(1)} ${time(2)} ${time(3)} ${time(4)}`)
    expect(hex(encodeOk(m, 6))).toBe(hex(bytes))
    expect(roundTrip(bytes)).toEqual(m)
    decodeError(multipart(6, true, 19, `0003 000000000000 | 0001 0040 00000000 ${time(1)} ${time(2)} ${time(3)}`), "OFPBPC_BAD_LEN")
  })
})
