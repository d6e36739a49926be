/**
 * Wire codec for OFPT_METER_MOD and meter bands (OpenFlow 1.3 §7.3.4.4). The layout is the
 * same in OpenFlow 1.4 and 1.5.
 *
 * Band lengths follow Open vSwitch: a band shorter than its header or longer than what
 * remains, and a DROP or DSCP_REMARK band that is not exactly 16 bytes, is OFPBRC_BAD_LEN;
 * an unknown band type is OFPMMFC_BAD_BAND.
 */
import type { MeterBand, MeterMod } from "../MeterMod.ts"
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const OFPMBT_DROP = 1
const OFPMBT_DSCP_REMARK = 2
const OFPMBT_EXPERIMENTER = 0xffff
const BAND_SIZE = 16

/**
 * Reads bands up to `end` (exclusive). Returns the bands or the error; `what` names the
 * container in error messages.
 */
export const decodeBands = (r: Reader, end: number, what: string): Array<MeterBand> | OpenFlowError => {
  const bands: Array<MeterBand> = []
  while (r.pos < end) {
    const left = end - r.pos
    if (left < 12) return OFE.make("OFPBRC_BAD_LEN", `${what}: ${left} bytes left over after the bands, short of a 12-byte band header`)
    const type = r.u16()
    const len = r.u16()
    if (len < 12 || len > left) {
      return OFE.make("OFPBRC_BAD_LEN", `${what}: band length ${len} is not between 12 and the ${left} bytes that remain`)
    }
    const rate = r.u32()
    const burstSize = r.u32()
    if (type === OFPMBT_DROP) {
      if (len !== BAND_SIZE) return OFE.make("OFPBRC_BAD_LEN", `${what}: DROP band length ${len}, expected 16`)
      r.skip(4)
      bands.push({ _tag: "MeterBandDrop", rate, burstSize })
    } else if (type === OFPMBT_DSCP_REMARK) {
      if (len !== BAND_SIZE) return OFE.make("OFPBRC_BAD_LEN", `${what}: DSCP_REMARK band length ${len}, expected 16`)
      const precLevel = r.u8()
      r.skip(3)
      bands.push({ _tag: "MeterBandDscpRemark", rate, burstSize, precLevel })
    } else if (type === OFPMBT_EXPERIMENTER) {
      if (len < BAND_SIZE) return OFE.make("OFPBRC_BAD_LEN", `${what}: experimenter band length ${len} is shorter than 16`)
      const experimenter = r.u32()
      bands.push({ _tag: "MeterBandExperimenter", rate, burstSize, experimenter, data: r.bytesView(len - BAND_SIZE) })
    } else {
      return OFE.make("OFPMMFC_BAD_BAND", `${what}: unknown band type ${type}`)
    }
  }
  return bands
}

/** Writes bands; each band's length is computed. */
export const encodeBands = (w: Writer, bands: ReadonlyArray<MeterBand>): void => {
  for (const band of bands) {
    switch (band._tag) {
      case "MeterBandDrop":
        w.u16(OFPMBT_DROP)
        w.u16(BAND_SIZE)
        w.u32(band.rate)
        w.u32(band.burstSize)
        w.zeros(4)
        break
      case "MeterBandDscpRemark":
        w.u16(OFPMBT_DSCP_REMARK)
        w.u16(BAND_SIZE)
        w.u32(band.rate)
        w.u32(band.burstSize)
        w.u8(band.precLevel)
        w.zeros(3)
        break
      case "MeterBandExperimenter":
        w.u16(OFPMBT_EXPERIMENTER)
        w.u16(BAND_SIZE + band.data.length)
        w.u32(band.rate)
        w.u32(band.burstSize)
        w.u32(band.experimenter)
        w.bytes(band.data)
        break
    }
  }
}

const decode = (r: Reader): MeterMod | OpenFlowError => {
  const command = r.u16()
  if (command > 2) return OFE.make("OFPMMFC_BAD_COMMAND", `unknown METER_MOD command ${command}`)
  const flags = r.u16()
  const meterId = r.u32()
  const bands = decodeBands(r, r.end, "METER_MOD")
  if (OFE.isOpenFlowError(bands)) return bands
  return { _tag: "MeterMod", command: command as MeterMod["command"], flags, meterId, bands }
}

const encode = (w: Writer, m: MeterMod): OpenFlowError | undefined => {
  if (!(m.command >= 0 && m.command <= 2)) return OFE.make("OFPMMFC_BAD_COMMAND", `unknown METER_MOD command ${m.command}`)
  w.u16(m.command)
  w.u16(m.flags)
  w.u32(m.meterId)
  encodeBands(w, m.bands)
  return undefined
}

export const rows = [row<MeterMod>({ tag: "MeterMod", type: 29, since: 4, minBody: 8, element: 1, decode, encode })]
