/**
 * OFPT_CONTROLLER_STATUS and the OFPMP_CONTROLLER_STATUS multipart (OpenFlow 1.5
 * §7.4.6, §7.3.5.21). The vectors are checked against Ryu in `conformance.test.ts`; here
 * the layout by hand and hostile input.
 */
import { describe, expect, it } from "@effect/vitest"
import { ControllerStatus, Message } from "@switchyard/openflow"
import { Schema } from "effect"
import { decodeError, encodeOk, hex, message, multipart, roundTrip } from "./families.ts"

const status: ControllerStatus.Status = {
  shortId: 2,
  role: 1,
  reason: ControllerStatus.Reason.CHANNEL_STATUS,
  channelStatus: ControllerStatus.ChannelStatus.DOWN,
  properties: [{ _tag: "ControllerStatusPropUri", uri: "tcp:10.0.0.1:6653" }]
}
const uri = Buffer.from("tcp:10.0.0.1:6653").toString("hex") // 17 bytes
const statusHex = `0028 0002 00000001 01 01 000000000000 | 0000 0015 ${uri} 000000`

describe("ControllerStatus", () => {
  it("is one status: length, short_id, role, reason, channel_status, pad[6], properties", () => {
    const m: ControllerStatus.ControllerStatus = { _tag: "ControllerStatus", ...status }
    const bytes = message(6, 35, statusHex)
    expect(hex(encodeOk(m, 6))).toBe(hex(bytes))
    expect(roundTrip(bytes)).toEqual(m)
    expect(Message.isEncodable("ControllerStatus", 5)).toBe(false)
  })

  it("the multipart request is empty; the reply a list of statuses", () => {
    expect(hex(encodeOk(ControllerStatus.request, 6))).toBe(hex(multipart(6, false, 18, "")))
    const reply: ControllerStatus.ControllerStatusReply = {
      _tag: "ControllerStatusReply",
      flags: 0,
      controllers: [status, { ...status, shortId: 3, properties: [] }]
    }
    const bytes = multipart(6, true, 18, `${statusHex} | 0010 0003 00000001 01 01 000000000000`)
    expect(hex(encodeOk(reply, 6))).toBe(hex(bytes))
    expect(roundTrip(bytes)).toEqual(reply)
  })

  it.each([
    ["a status shorter than the message", "OFPBRC_BAD_LEN", message(6, 35, "0010 0002 00000001 01 01 000000000000 | 00000000 00000000")],
    ["a status length past the message", "OFPBRC_BAD_LEN", message(6, 35, "0020 0002 00000001 01 01 000000000000")],
    ["a reply entry length below 16", "OFPBRC_BAD_LEN", multipart(6, true, 18, "0008 0002 00000001 01 01 000000000000")],
    ["a URI with a NUL byte", "OFPBPC_BAD_VALUE", message(6, 35, "0018 0002 00000001 01 01 000000000000 | 0000 0008 61006200")],
    ["a property past its status", "OFPBPC_BAD_LEN", message(6, 35, "0018 0002 00000001 01 01 000000000000 | 0000 0010 61626364")],
    ["CONTROLLER_STATUS in OpenFlow 1.4", "OFPBRC_BAD_TYPE", message(5, 35, "0010 0002 00000001 01 01 000000000000")]
  ])("%s is %s", (_name, code, input) => {
    decodeError(input, code)
  })

  it("a URI that is not valid for the wire is refused by the Schema", () => {
    const isUri = Schema.is(ControllerStatus.ControllerStatusPropUri)
    expect(isUri({ _tag: "ControllerStatusPropUri", uri: "tcp:10.0.0.1:6653" })).toBe(true)
    expect(isUri({ _tag: "ControllerStatusPropUri", uri: "a\u0000b" })).toBe(false)
  })
})
