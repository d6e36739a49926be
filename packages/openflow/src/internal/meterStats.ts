/**
 * Wire codec for the OFPMP_METER, OFPMP_METER_CONFIG and OFPMP_METER_FEATURES requests
 * and replies (OpenFlow 1.3 §7.3.5.12-14).
 *
 * Meter statistics and meter configuration entries carry their own lengths; each is
 * checked against its fixed part and against what remains before the entry is read, so
 * a length of 0 is OFPBRC_BAD_LEN rather than an endless loop. Bands inside a meter
 * configuration are decoded by the METER_MOD band codec, with its error codes.
 *
 * Versions: METER and METER_CONFIG (called METER_DESC in 1.5, where `flowCount` is
 * called `ref_count`) keep their layout from 1.3 to 1.5. OpenFlow 1.5 grew
 * `ofp_meter_features` from 16 to 24 bytes (a `features` word and padding), which has a
 * row of its own.
 *
 * Ryu's known-bad vector `libofproto-OFP15-meter_features_reply.packet` has a header
 * length of 32 over a 40-byte file (its generator did not update the length for the
 * bigger 1.5 struct). Decoded as a whole it is OFPBRC_BAD_LEN (the length does not match
 * the bytes); framed by its header, the first 32 bytes are the 1.5 reply with a 16-byte
 * body, which the 1.5 row (minimum body 24) refuses with OFPBRC_BAD_LEN. Ryu's JSON for
 * it (`features: 3`) was made from all 40 bytes: with the header length corrected to 40
 * the file decodes to it, which the conformance test checks.
 */
import type {
  MeterBandStats,
  MeterConfig,
  MeterConfigReply,
  MeterFeaturesReply,
  MeterFeaturesRequest,
  MeterStats,
  MeterStatsReply
} from "../MeterStats.ts"
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import { patchLength } from "./invalid.ts"
import { decodeBands, encodeBands } from "./meterMod.ts"
import { needsVersion } from "./property.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const OFPMP_METER = 9
const OFPMP_METER_CONFIG = 10
const OFPMP_METER_FEATURES = 11
const METER_STATS_SIZE = 40
const BAND_STATS_SIZE = 16
const METER_CONFIG_SIZE = 8

const decodeMeterStats = (r: Reader, flags: number): MeterStatsReply | OpenFlowError => {
  const stats: Array<MeterStats> = []
  while (r.pos < r.end) {
    const left = r.remaining()
    if (left < METER_STATS_SIZE) {
      return OFE.make("OFPBRC_BAD_LEN", `METER reply: ${left} bytes left over, short of a 40-byte meter statistics entry`)
    }
    const meterId = r.u32()
    const len = r.u16()
    if (len < METER_STATS_SIZE || len > left || (len - METER_STATS_SIZE) % BAND_STATS_SIZE !== 0) {
      return OFE.make(
        "OFPBRC_BAD_LEN",
        `METER reply: meter ${meterId} length ${len} is not 40 plus a multiple of 16 within the ${left} bytes that remain`
      )
    }
    r.skip(6)
    const flowCount = r.u32()
    const packetInCount = r.u64()
    const byteInCount = r.u64()
    const durationSec = r.u32()
    const durationNsec = r.u32()
    const bandStats: Array<MeterBandStats> = []
    for (let n = (len - METER_STATS_SIZE) / BAND_STATS_SIZE; n > 0; n--) {
      const packetBandCount = r.u64()
      bandStats.push({ packetBandCount, byteBandCount: r.u64() })
    }
    stats.push({ meterId, flowCount, packetInCount, byteInCount, durationSec, durationNsec, bandStats })
  }
  return { _tag: "MeterStatsReply", flags, stats }
}

const encodeMeterStats = (w: Writer, m: MeterStatsReply): undefined => {
  for (const s of m.stats) {
    w.u32(s.meterId)
    // A length over 16 bits is caught by the writer's range check.
    w.u16(METER_STATS_SIZE + BAND_STATS_SIZE * s.bandStats.length)
    w.zeros(6)
    w.u32(s.flowCount)
    w.u64(s.packetInCount)
    w.u64(s.byteInCount)
    w.u32(s.durationSec)
    w.u32(s.durationNsec)
    for (const b of s.bandStats) {
      w.u64(b.packetBandCount)
      w.u64(b.byteBandCount)
    }
  }
  return undefined
}

const decodeMeterConfig = (r: Reader, flags: number): MeterConfigReply | OpenFlowError => {
  const meters: Array<MeterConfig> = []
  while (r.pos < r.end) {
    const left = r.remaining()
    if (left < METER_CONFIG_SIZE) {
      return OFE.make("OFPBRC_BAD_LEN", `METER_CONFIG reply: ${left} bytes left over, short of an 8-byte meter configuration`)
    }
    const length = r.u16()
    if (length < METER_CONFIG_SIZE || length > left) {
      return OFE.make("OFPBRC_BAD_LEN", `METER_CONFIG reply: entry length ${length} is not between 8 and the ${left} bytes that remain`)
    }
    const meterFlags = r.u16()
    const meterId = r.u32()
    const bands = decodeBands(r, r.pos + length - METER_CONFIG_SIZE, `METER_CONFIG reply, meter ${meterId}`)
    if (OFE.isOpenFlowError(bands)) return bands
    meters.push({ flags: meterFlags, meterId, bands })
  }
  return { _tag: "MeterConfigReply", flags, meters }
}

const encodeMeterConfig = (w: Writer, m: MeterConfigReply): undefined => {
  for (const c of m.meters) {
    const start = w.mark()
    w.u16(0)
    w.u16(c.flags)
    w.u32(c.meterId)
    encodeBands(w, c.bands)
    patchLength(w, start, w.pos - start, `meter ${c.meterId} configuration`)
  }
  return undefined
}

const meterRequest = <T extends "MeterStatsRequest" | "MeterConfigRequest">(tag: T, multipart: number) =>
  row<{ readonly _tag: T; readonly flags: number; readonly meterId: number }>({
    tag,
    type: 18,
    multipart,
    since: 4,
    minBody: 8,
    element: 0,
    decode: (r: Reader, flags) => ({ _tag: tag, flags, meterId: r.u32() }),
    encode: (w: Writer, m) => {
      w.u32(m.meterId)
      w.zeros(4)
      return undefined
    }
  })

export const rows = [
  meterRequest("MeterStatsRequest", OFPMP_METER),
  row<MeterStatsReply>({
    tag: "MeterStatsReply",
    type: 19,
    multipart: OFPMP_METER,
    since: 4,
    minBody: 0,
    element: 8,
    decode: decodeMeterStats,
    encode: encodeMeterStats
  }),
  meterRequest("MeterConfigRequest", OFPMP_METER_CONFIG),
  row<MeterConfigReply>({
    tag: "MeterConfigReply",
    type: 19,
    multipart: OFPMP_METER_CONFIG,
    since: 4,
    minBody: 0,
    element: 1,
    // Experimenter bands may have any length, so entries need not be multiples of 8.
    decode: decodeMeterConfig,
    encode: encodeMeterConfig
  }),
  row<MeterFeaturesRequest>({
    tag: "MeterFeaturesRequest",
    type: 18,
    multipart: OFPMP_METER_FEATURES,
    since: 4,
    minBody: 0,
    element: 0,
    decode: (_r: Reader, flags) => ({ _tag: "MeterFeaturesRequest", flags }),
    encode: () => undefined
  }),
  row<MeterFeaturesReply>({
    tag: "MeterFeaturesReply",
    type: 19,
    multipart: OFPMP_METER_FEATURES,
    since: 4,
    until: 5,
    minBody: 16,
    element: 0,
    decode: (r: Reader, flags) => ({
      _tag: "MeterFeaturesReply",
      flags,
      maxMeter: r.u32(),
      bandTypes: r.u32(),
      capabilities: r.u32(),
      maxBands: r.u8(),
      maxColor: r.u8()
    }),
    encode: (w: Writer, m) => {
      if (m.features !== undefined && m.features !== 0) needsVersion(w, `meter features 0x${m.features.toString(16)}`, 6)
      w.u32(m.maxMeter)
      w.u32(m.bandTypes)
      w.u32(m.capabilities)
      w.u8(m.maxBands)
      w.u8(m.maxColor)
      w.zeros(2)
      return undefined
    }
  }),
  row<MeterFeaturesReply>({
    tag: "MeterFeaturesReply",
    type: 19,
    multipart: OFPMP_METER_FEATURES,
    since: 6,
    minBody: 24,
    element: 0,
    decode: (r: Reader, flags) => {
      const maxMeter = r.u32()
      const bandTypes = r.u32()
      const capabilities = r.u32()
      const maxBands = r.u8()
      const maxColor = r.u8()
      r.skip(2)
      const features = r.u32()
      return features === 0
        ? { _tag: "MeterFeaturesReply", flags, maxMeter, bandTypes, capabilities, maxBands, maxColor }
        : { _tag: "MeterFeaturesReply", flags, maxMeter, bandTypes, capabilities, maxBands, maxColor, features }
    },
    encode: (w: Writer, m) => {
      w.u32(m.maxMeter)
      w.u32(m.bandTypes)
      w.u32(m.capabilities)
      w.u8(m.maxBands)
      w.u8(m.maxColor)
      w.zeros(2)
      w.u32(m.features ?? 0)
      w.zeros(4)
      return undefined
    }
  })
]
