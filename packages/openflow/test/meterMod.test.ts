/**
 * METER_MOD and meter bands (OpenFlow 1.3-1.5 share the layout). The 1.4 and 1.5 vectors
 * are checked against Ryu here, the 1.3 one in `conformance.test.ts`; band errors follow
 * Open vSwitch (`ofputil_pull_bands`): lengths are OFPBRC_BAD_LEN, an unknown band type
 * is OFPMMFC_BAD_BAND.
 */
import { describe, expect, it } from "@effect/vitest"
import { MeterMod } from "@switchyard/openflow"
import { agreesWithRyu, decodeError, encodeFailure, encodeOk, hex, message, roundTrip } from "./families.ts"

// command ADD, flags KBPS|BURST, meter 100
const head = "0000 0005 00000064"
const drop = "0001 0010 000003e8 0000000a 00000000"

describe("MeterMod", () => {
  it.each([
    ["of14", "5-43-ofp_meter_mod.packet"],
    ["of15", "libofproto-OFP15-meter_mod.packet"]
  ])("%s/%s agrees with Ryu", (folder, name) => {
    const m = agreesWithRyu(folder, name)
    if (m !== undefined) expect((m as MeterMod.MeterMod).bands[0]).toEqual({ _tag: "MeterBandDrop", rate: 1000, burstSize: 10 })
  })

  it("builds ADD / MODIFY / DELETE with DROP and DSCP_REMARK bands", () => {
    const add = MeterMod.add({ meterId: 100, flags: MeterMod.Flags.KBPS | MeterMod.Flags.BURST, bands: [MeterMod.drop(1000, 10)] })
    expect(hex(encodeOk(add))).toBe(hex(message(4, 29, head + drop)))
    const modify = MeterMod.modify({ meterId: 1, flags: MeterMod.Flags.PKTPS, bands: [MeterMod.dscpRemark(50, 2)] })
    expect(hex(encodeOk(modify))).toBe(hex(message(4, 29, "0001 0002 00000001 | 0002 0010 00000032 00000000 02 000000")))
    expect(hex(encodeOk(MeterMod.remove(MeterMod.ALL)))).toBe(hex(message(4, 29, "0002 0000 ffffffff")))
  })

  it("keeps an experimenter band's body byte for byte", () => {
    const input = message(4, 29, head + "ffff 0018 000003e8 0000000a 00002320 0102030405060708")
    const m = roundTrip(input) as MeterMod.MeterMod
    expect(m.bands[0]!._tag).toBe("MeterBandExperimenter")
    expect(Array.from((m.bands[0] as MeterMod.MeterBandExperimenter).data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
  })

  it.each([
    ["a band of length 0", head + "0001 0000 000003e8 0000000a 00000000", "OFPBRC_BAD_LEN"],
    ["a band of length 8", head + "0001 0008 000003e8 0000000a 00000000", "OFPBRC_BAD_LEN"],
    ["a DROP band of length 24", head + "0001 0018 000003e8 0000000a 00000000 0000000000000000", "OFPBRC_BAD_LEN"],
    ["a DSCP_REMARK band of length 12", head + "0002 000c 000003e8 0000000a", "OFPBRC_BAD_LEN"],
    ["an experimenter band of length 12", head + "ffff 000c 000003e8 0000000a", "OFPBRC_BAD_LEN"],
    ["a band longer than the message", head + "0001 0020 000003e8 0000000a 00000000", "OFPBRC_BAD_LEN"],
    ["4 bytes after the last band", head + drop + "00000000", "OFPBRC_BAD_LEN"],
    ["an unknown band type", head + "0003 0010 000003e8 0000000a 00000000", "OFPMMFC_BAD_BAND"],
    ["an unknown command", "0003 0005 00000064" + drop, "OFPMMFC_BAD_COMMAND"]
  ])("%s is %s", (_name, body, code) => {
    decodeError(message(4, 29, body), code)
  })

  it("a body shorter than the 8-byte header is OFPBRC_BAD_LEN", () => {
    decodeError(message(4, 29, "0000 0005 0000"), "OFPBRC_BAD_LEN")
  })

  it("refuses to encode an unknown command", () => {
    const bad = { ...MeterMod.remove(1), command: 3 } as unknown as MeterMod.MeterMod
    expect(encodeFailure(bad).code).toBe("OFPMMFC_BAD_COMMAND")
  })
})
