/**
 * The METER, METER_CONFIG and METER_FEATURES multipart requests and replies. Ryu has no
 * 1.3 METER request vector; the 1.4 and 1.5 ones have the 1.3 layout. The 1.4 vectors are
 * checked against Ryu with the 1.3 mappings; the 1.5 ones with the names Ryu uses there
 * (METER_CONFIG became METER_DESC, `flow_count` became `ref_count`).
 */
import { describe, expect, it } from "@effect/vitest"
import { Message, MeterMod, MeterStats } from "@switchyard/openflow"
import { Result } from "effect"
import { agreesWithRyu, decodeError, encodeFailure, encodeOk, hex, multipart, roundTrip, vector } from "./families.ts"
import { vectorsPresent } from "./vectors.ts"

const statsEntry = (len: string, bands: string) =>
  "00000064 " + len + " 000000000000 00000002 000000000000000a 00000000000003e8 00000001 00000002 " + bands
const band = "0000000000000005 0000000000000140"
const configEntry = (length: string, bands: string) => length + " 0005 00000064 " + bands
const drop = "0001 0010 000003e8 0000000a 00000000"

describe("MeterStats", () => {
  it.each([
    ["of14", "5-45-ofp_meter_config_request.packet"],
    ["of14", "5-46-ofp_meter_config_reply.packet"],
    ["of14", "5-47-ofp_meter_stats_request.packet"],
    ["of14", "5-48-ofp_meter_stats_reply.packet"],
    ["of14", "5-50-ofp_meter_features_reply.packet"]
  ])("%s/%s agrees with Ryu", (folder, name) => {
    const m = agreesWithRyu(folder, name)
    if (m?._tag === "MeterStatsRequest") expect(m.meterId).toBe(MeterMod.ALL)
  })

  it.each([
    "libofproto-OFP15-meter_desc_request.packet",
    "libofproto-OFP15-meter_desc_reply.packet",
    "libofproto-OFP15-meter_stats_request.packet",
    "libofproto-OFP15-meter_stats_reply.packet"
  ])("of15/%s agrees with Ryu under its 1.5 names (METER_DESC, ref_count)", (name) => {
    agreesWithRyu("of15", name)
  })

  it("Ryu's known-bad 1.5 METER_FEATURES reply (header 32, file 40) is refused, never half-read", () => {
    const v = vector("of15", "libofproto-OFP15-meter_features_reply.packet")
    if (!vectorsPresent || v === undefined) return
    expect(v.bytes.length).toBe(40)
    expect((v.bytes[2]! << 8) | v.bytes[3]!).toBe(32)
    expect(decodeError(v.bytes, "OFPBRC_BAD_LEN")).toMatch(/header length 32 does not match the 40 bytes/)
    // Framed by its header, it is a 1.5 METER_FEATURES reply with a 16-byte body, short
    // of 1.5's 24-byte ofp_meter_features: refused, not read with the 1.3 layout.
    expect(decodeError(v.bytes.subarray(0, 32), "OFPBRC_BAD_LEN")).toMatch(/MeterFeaturesReply body of 16 bytes is shorter than the minimum 24/)
    // With the header length corrected to the 40 bytes, it is the reply Ryu's JSON shows.
    const fixed = Uint8Array.from(v.bytes)
    fixed[3] = 40
    expect(roundTrip(fixed)).toMatchObject({ _tag: "MeterFeaturesReply", maxMeter: 0x0100_0000, features: 3 })
  })

  it("OpenFlow 1.5 features: 8 more bytes; left out when 0; earlier versions cannot carry them", () => {
    const m: MeterStats.MeterFeaturesReply = { _tag: "MeterFeaturesReply", flags: 0, maxMeter: 16, bandTypes: 6, capabilities: 15, maxBands: 2, maxColor: 0, features: MeterStats.MeterFeature.ANY_POSITION }
    expect(hex(encodeOk(m, 6))).toBe(hex(multipart(6, true, 11, "00000010 00000006 0000000f 02 00 0000 00000002 00000000")))
    expect(roundTrip(encodeOk(m, 6))).toEqual(m)
    const { features: _, ...plain } = m
    expect(roundTrip(encodeOk(plain, 6))).toEqual(plain)
    expect(encodeFailure(m, 5).text).toMatch(/meter features 0x2 needs OpenFlow 1.5/)
  })

  it("decodes a METER entry with its band counters and a METER_CONFIG entry with its bands", () => {
    const stats = roundTrip(multipart(4, true, 9, statsEntry("0038", band))) as MeterStats.MeterStatsReply
    expect(stats.stats[0]).toEqual({
      meterId: 100,
      flowCount: 2,
      packetInCount: 10n,
      byteInCount: 1000n,
      durationSec: 1,
      durationNsec: 2,
      bandStats: [{ packetBandCount: 5n, byteBandCount: 320n }]
    })
    const config = roundTrip(multipart(4, true, 10, configEntry("0018", drop))) as MeterStats.MeterConfigReply
    expect(config.meters).toEqual([{ flags: 5, meterId: 100, bands: [MeterMod.drop(1000, 10)] }])
  })

  it("the request builders default to every meter", () => {
    expect(hex(encodeOk(MeterStats.request()))).toBe(hex(multipart(4, false, 9, "ffffffff 00000000")))
    expect(hex(encodeOk(MeterStats.configRequest(7)))).toBe(hex(multipart(4, false, 10, "00000007 00000000")))
    expect(hex(encodeOk(MeterStats.featuresRequest))).toBe(hex(multipart(4, false, 11, "")))
  })

  it.each([
    ["METER entry of length 0", "OFPBRC_BAD_LEN", 9, statsEntry("0000", band)],
    ["METER entry of length 48", "OFPBRC_BAD_LEN", 9, statsEntry("0030", band)],
    ["METER entry longer than the message", "OFPBRC_BAD_LEN", 9, statsEntry("0048", band)],
    ["METER reply with 8 bytes after the entry", "OFPBRC_BAD_LEN", 9, statsEntry("0038", band) + "0000000000000000"],
    ["METER_CONFIG entry of length 0", "OFPBRC_BAD_LEN", 10, configEntry("0000", drop)],
    ["METER_CONFIG entry of length 4", "OFPBRC_BAD_LEN", 10, configEntry("0004", drop)],
    ["METER_CONFIG entry longer than the message", "OFPBRC_BAD_LEN", 10, configEntry("0020", drop)],
    ["METER_CONFIG entry whose band has length 0", "OFPBRC_BAD_LEN", 10, configEntry("0018", "0001 0000 000003e8 0000000a 00000000")],
    ["METER_CONFIG entry whose band overruns the entry", "OFPBRC_BAD_LEN", 10, configEntry("0014", drop)],
    ["METER_CONFIG entry with an unknown band type", "OFPMMFC_BAD_BAND", 10, configEntry("0018", "0009 0010 000003e8 0000000a 00000000")],
    ["METER_FEATURES reply of 12 bytes", "OFPBRC_BAD_LEN", 11, "00".repeat(12)]
  ])("%s is %s", (_name, code, mpType, body) => {
    decodeError(multipart(4, true, mpType, body), code)
  })

  it("a METER_CONFIG band overrunning its entry is reported with the meter", () => {
    const input = multipart(4, true, 10, configEntry("0010", drop))
    const decoded = Message.decode(input)
    expect(Result.isFailure(decoded) && decoded.failure.message).toMatch(/meter 100/)
  })
})
