/**
 * OFPT_REQUESTFORWARD (OpenFlow 1.4 §7.4.7; the same in 1.5): a GROUP_MOD or METER_MOD
 * another controller sent, forwarded whole with its own header. The 1.5 vector is checked
 * against Ryu in `conformance.test.ts`; here the layout by hand and the checks Open
 * vSwitch makes on the forwarded request.
 */
import { describe, expect, it } from "@effect/vitest"
import { Message, MeterMod, RequestForward } from "@switchyard/openflow"
import { decodeError, encodeFailure, encodeOk, hex, message, roundTrip } from "./families.ts"

describe("RequestForward", () => {
  const m: RequestForward.RequestForward = { _tag: "RequestForward", request: MeterMod.remove(5), xid: 0x1234 }

  it("the body is the forwarded request, header and xid included", () => {
    for (const version of [5, 6]) {
      const v = version.toString(16).padStart(2, "0")
      const bytes = message(version, 32, `${v}1d0010 00001234 | 0002 0000 00000005`)
      expect(hex(encodeOk(m, version))).toBe(hex(bytes))
      expect(roundTrip(bytes)).toEqual(m)
    }
    expect(Message.isEncodable("RequestForward", 4)).toBe(false)
  })

  it.each([
    ["a forwarded request of length 7", "OFPBFC_MSG_BAD_LEN", "051d0007 00001234"],
    ["a forwarded request longer than the message", "OFPBFC_MSG_BAD_LEN", "051d0018 00001234 | 0002 0000 00000005"],
    ["bytes after the forwarded request", "OFPBRC_BAD_LEN", "051d0010 00001234 | 0002 0000 00000005 | 00000000 00000000"],
    ["a forwarded request of another version", "OFPBRC_BAD_VERSION", "041d0010 00001234 | 0002 0000 00000005"],
    ["a forwarded ECHO_REQUEST", "OFPBRC_BAD_TYPE", "05020008 00001234"],
    ["a forwarded METER_MOD with a bad command", "OFPMMFC_BAD_COMMAND", "051d0010 00001234 | 0009 0000 00000005"]
  ])("%s is %s", (_name, code, body) => {
    decodeError(message(5, 32, body), code)
  })

  it("the forwarded request is encoded with the request's own checks", () => {
    expect(encodeFailure({ ...m, request: { ...MeterMod.remove(5), command: 9 as 0 } }, 5).code).toBe("OFPMMFC_BAD_COMMAND")
  })
})
