/**
 * GET_CONFIG_REQUEST/REPLY and SET_CONFIG. The layout is the same in every version, so
 * the rows cover OpenFlow 1.0-1.5 and the 1.2, 1.4 and 1.5 vectors are checked against
 * Ryu's JSON here (the 1.3 ones are in `conformance.test.ts`).
 */
import { describe, expect, it } from "@effect/vitest"
import { Message, SwitchConfig } from "@switchyard/openflow"
import { agreesWithRyu, decodeError, encodeOk, hex, message } from "./families.ts"

describe("SwitchConfig", () => {
  it.each([
    ["of12", "3-7-ofp_set_config.packet"],
    ["of12", "3-8-ofp_get_config_request.packet"],
    ["of12", "3-9-ofp_get_config_reply.packet"],
    ["of14", "5-7-ofp_set_config.packet"],
    ["of14", "5-8-ofp_get_config_request.packet"],
    ["of14", "5-9-ofp_get_config_reply.packet"],
    ["of15", "libofproto-OFP15-set_config.packet"],
    ["of15", "libofproto-OFP15-get_config_request.packet"],
    ["of15", "libofproto-OFP15-get_config_reply.packet"]
  ])("%s/%s agrees with Ryu", (folder, name) => {
    const m = agreesWithRyu(folder, name)
    if (m !== undefined) expect(["SetConfig", "GetConfigRequest", "GetConfigReply"]).toContain(m._tag)
  })

  it("set() asks for whole packets by default", () => {
    expect(SwitchConfig.set()).toEqual({ _tag: "SetConfig", flags: 0, missSendLen: 0xffff })
    expect(hex(encodeOk(SwitchConfig.set()))).toBe(hex(message(4, 9, "0000 ffff")))
    expect(hex(encodeOk(SwitchConfig.set({ missSendLen: 128, flags: SwitchConfig.Flags.FRAG_DROP })))).toBe(hex(message(4, 9, "0001 0080")))
    expect(hex(encodeOk(SwitchConfig.getConfig))).toBe(hex(message(4, 7, "")))
  })

  it("OpenFlow 1.0 uses the same bytes", () => {
    expect(Message.isEncodable("SetConfig", 1)).toBe(true)
    expect(hex(encodeOk(SwitchConfig.set(), 1))).toBe(hex(message(1, 9, "0000 ffff")))
  })

  it.each([
    ["GET_CONFIG_REQUEST with a body", message(4, 7, "00")],
    ["GET_CONFIG_REPLY short", message(4, 8, "0000 00")],
    ["SET_CONFIG long", message(4, 9, "0000 0080 00")]
  ])("%s is OFPBRC_BAD_LEN", (_name, input) => {
    decodeError(input, "OFPBRC_BAD_LEN")
  })
})
