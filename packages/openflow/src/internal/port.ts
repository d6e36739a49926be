/**
 * Wire codec for `ofp_port` (OpenFlow 1.1-1.3 §7.2.1): 64 bytes, shared by PORT_STATUS and
 * the PORT_DESC reply; and for OpenFlow 1.0's 48-byte `ofp_phy_port` (PORT_STATUS and
 * FEATURES_REPLY), which numbers ports with 16 bits, has no speeds in kb/s and places
 * its medium and pause feature bits differently.
 */
import { fromOf10, toOf10, type Port } from "../Port.ts"
import type { OxmId } from "../Match.ts"
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import type { Property } from "../Port.ts"
import { invalid, patchLength } from "./invalid.ts"
import { decodeOxmId, encodeOxmId } from "./match.ts"
import {
  badLen,
  begin,
  decodeExperimenter,
  decodeProperties,
  decodeUnknown,
  encodeExperimenter,
  encodeUnknown,
  end,
  expectLength,
  EXPERIMENTER,
  needsVersion
} from "./property.ts"
import type { Reader } from "./reader.ts"
import { readText, writeText } from "./text.ts"
import type { Writer } from "./writer.ts"

/** Size of `ofp_port` in OpenFlow 1.1-1.3. */
export const PORT_SIZE = 64

/** Reads one `ofp_port`; the caller has checked that 64 bytes remain. */
export const decodePort = (r: Reader): Port => {
  const portNo = r.u32()
  r.skip(4)
  const hwAddr = r.u48()
  r.skip(2)
  const name = readText(r, 16)
  const config = r.u32()
  const state = r.u32()
  const curr = r.u32()
  const advertised = r.u32()
  const supported = r.u32()
  const peer = r.u32()
  const currSpeed = r.u32()
  const maxSpeed = r.u32()
  return { portNo, hwAddr, name, config, state, curr, advertised, supported, peer, currSpeed, maxSpeed }
}

/** Writes one `ofp_port` (OpenFlow 1.1-1.3), which cannot carry 1.4 properties. */
export const encodePort = (w: Writer, p: Port): void => {
  if (p.properties !== undefined && p.properties.length > 0) needsVersion(w, `port ${p.portNo} properties`, 5)
  w.u32(p.portNo)
  w.zeros(4)
  w.u48(p.hwAddr)
  w.zeros(2)
  writeText(w, p.name, 16, "port name")
  w.u32(p.config)
  w.u32(p.state)
  w.u32(p.curr)
  w.u32(p.advertised)
  w.u32(p.supported)
  w.u32(p.peer)
  w.u32(p.currSpeed)
  w.u32(p.maxSpeed)
}

// ---------------------------------------------------------------------------------------
// OpenFlow 1.0: `ofp_phy_port`, 48 bytes (OpenFlow 1.0.0 §5.2.1).
// ---------------------------------------------------------------------------------------

/** Size of `ofp_phy_port` in OpenFlow 1.0. */
export const PORT10_SIZE = 48

/**
 * OpenFlow 1.0 feature bits in the model's (1.1+) positions. 1.0 has no 40 Gb/s, 100 Gb/s,
 * 1 Tb/s or OTHER bits, so its COPPER..PAUSE_ASYM (bits 7-11) sit four places lower than
 * in 1.1+; the bits 1.0 leaves undefined above them move up with them (bits 28-31 of a
 * 1.0 word, which no switch sets, have nowhere to go and are dropped), as Open vSwitch's
 * `netdev_port_features_from_ofp10` does.
 */
export const featuresFromOf10 = (bits: number): number =>
  ((bits & 0x7f) | (((bits >>> 7) & 0x1f) << 11) | (((bits >>> 12) & 0xffff) << 16)) >>> 0

/**
 * The inverse of {@link featuresFromOf10}, or `undefined` when `bits` uses one of the
 * speeds 1.0 cannot name (40GB_FD, 100GB_FD, 1TB_FD, OTHER: bits 7-10).
 */
export const featuresToOf10 = (bits: number): number | undefined =>
  (bits & 0x780) !== 0 ? undefined : ((bits & 0x7f) | (((bits >>> 11) & 0x1f) << 7) | (((bits >>> 16) & 0xffff) << 12)) >>> 0

/**
 * Reads one `ofp_phy_port`; the caller has checked that 48 bytes remain. The port number
 * is folded into the 32-bit space, the feature bitmaps into 1.1+ positions, and the
 * speeds 1.0 does not report are 0.
 */
export const decodePort10 = (r: Reader): Port => {
  const portNo = fromOf10(r.u16())
  const hwAddr = r.u48()
  const name = readText(r, 16)
  const config = r.u32()
  const state = r.u32()
  const curr = featuresFromOf10(r.u32())
  const advertised = featuresFromOf10(r.u32())
  const supported = featuresFromOf10(r.u32())
  const peer = featuresFromOf10(r.u32())
  return { portNo, hwAddr, name, config, state, curr, advertised, supported, peer, currSpeed: 0, maxSpeed: 0 }
}

const features10 = (w: Writer, bits: number, what: string, portNo: number): void => {
  const wire = featuresToOf10(bits)
  if (wire === undefined) {
    invalid(w, `port ${portNo} ${what} 0x${bits.toString(16)} uses 40GB_FD, 100GB_FD, 1TB_FD or OTHER, which OpenFlow 1.0 cannot express`)
    w.u32(0)
  } else {
    w.u32(wire)
  }
}

/**
 * Writes one `ofp_phy_port`. What 1.0 cannot carry is recorded as the writer's invalid
 * value (an `EncodeError`), never dropped: a port number of 0xff00 or above that is not
 * reserved, a speed bit 1.0 has no name for, non-zero `currSpeed`/`maxSpeed` (1.0 has no
 * such fields; decoding gives 0) and 1.4 properties.
 */
export const encodePort10 = (w: Writer, p: Port): void => {
  if (p.properties !== undefined && p.properties.length > 0) needsVersion(w, `port ${p.portNo} properties`, 5)
  if (p.currSpeed !== 0 || p.maxSpeed !== 0) {
    invalid(w, `port ${p.portNo} speeds (currSpeed ${p.currSpeed}, maxSpeed ${p.maxSpeed}) have no OpenFlow 1.0 field; set them to 0`)
  }
  writePort10(w, p.portNo, `port ${p.portNo}`)
  w.u48(p.hwAddr)
  writeText(w, p.name, 16, "port name")
  w.u32(p.config)
  w.u32(p.state)
  features10(w, p.curr, "curr", p.portNo)
  features10(w, p.advertised, "advertised", p.portNo)
  features10(w, p.supported, "supported", p.portNo)
  features10(w, p.peer, "peer", p.portNo)
}

/**
 * Writes a port number as OpenFlow 1.0's 16 bits; one 1.0 cannot number (0xff00 to
 * 0xfffffeff) is recorded as the writer's invalid value, naming `what`.
 */
export const writePort10 = (w: Writer, port: number, what: string): void => {
  const wire = toOf10(port)
  if (wire === undefined) {
    invalid(w, `${what}: 0x${Number(port).toString(16)} has no OpenFlow 1.0 number (1.0 numbers ports below 0xff00 and the reserved ports)`)
    w.u16(0)
  } else {
    w.u16(wire)
  }
}

// ---------------------------------------------------------------------------------------
// OpenFlow 1.4+: `ofp_port` with properties (OpenFlow 1.4 §7.2.1). A 40-byte fixed part
// carrying its own length, then properties; the Ethernet property holds what 1.1-1.3
// had as fixed fields, so it lives in the model's fixed fields and is always encoded
// first.
// ---------------------------------------------------------------------------------------

/** Size of the fixed part of `ofp_port` in OpenFlow 1.4+. */
export const PORT14_SIZE = 40

const OFPPDPT_ETHERNET = 0
const OFPPDPT_OPTICAL = 1
const OFPPDPT_PIPELINE_INPUT = 2
const OFPPDPT_PIPELINE_OUTPUT = 3
const OFPPDPT_RECIRCULATE = 4

/** OXM ids packed up to `end` (pipeline properties); a truncated id is OFPBPC_BAD_LEN. */
export const decodePropertyOxmIds = (r: Reader, end: number, what: string): Array<OxmId> | OpenFlowError => {
  const ids: Array<OxmId> = []
  while (r.pos < end) {
    const id = decodeOxmId(r, end)
    if (OFE.isOpenFlowError(id)) return badLen(what, id.message)
    ids.push(id)
  }
  return ids
}

/** Writes OXM ids (pipeline properties). */
export const encodePropertyOxmIds = (w: Writer, ids: ReadonlyArray<OxmId>): OpenFlowError | undefined => {
  for (const id of ids) {
    const error = encodeOxmId(w, id)
    if (error !== undefined) return error
  }
  return undefined
}

/** The Ethernet property's fields, collected while the property list is read. */
interface Ethernet {
  seen: boolean
  curr: number
  advertised: number
  supported: number
  peer: number
  currSpeed: number
  maxSpeed: number
}

const ethernet: Ethernet = { seen: false, curr: 0, advertised: 0, supported: 0, peer: 0, currSpeed: 0, maxSpeed: 0 }
let portWhat = ""

/**
 * Decodes one port description property; the Ethernet property fills {@link ethernet}
 * and comes back as `null`. Decoding is synchronous and never re-entered, so one
 * module-level collector serves every port without allocating.
 */
const decodePortProperty = (r: Reader, type: number, length: number): Property | null | OpenFlowError => {
  const what = portWhat
  const bodyEnd = r.pos - 4 + length
  switch (type) {
    case OFPPDPT_ETHERNET: {
      const error = expectLength(what, "Ethernet", length, 32)
      if (error !== undefined) return error
      if (ethernet.seen) return OFE.make("OFPBPC_DUP_TYPE", `${what}: more than one Ethernet property`)
      ethernet.seen = true
      r.skip(4)
      ethernet.curr = r.u32()
      ethernet.advertised = r.u32()
      ethernet.supported = r.u32()
      ethernet.peer = r.u32()
      ethernet.currSpeed = r.u32()
      ethernet.maxSpeed = r.u32()
      return null
    }
    case OFPPDPT_OPTICAL: {
      const error = expectLength(what, "optical", length, 40)
      if (error !== undefined) return error
      r.skip(4)
      return {
        _tag: "PortDescPropOptical",
        supported: r.u32(),
        txMinFreqLmda: r.u32(),
        txMaxFreqLmda: r.u32(),
        txGridFreqLmda: r.u32(),
        rxMinFreqLmda: r.u32(),
        rxMaxFreqLmda: r.u32(),
        rxGridFreqLmda: r.u32(),
        txPwrMin: r.u16(),
        txPwrMax: r.u16()
      }
    }
    case OFPPDPT_PIPELINE_INPUT:
    case OFPPDPT_PIPELINE_OUTPUT: {
      const oxmIds = decodePropertyOxmIds(r, bodyEnd, what)
      if (OFE.isOpenFlowError(oxmIds)) return oxmIds
      return type === OFPPDPT_PIPELINE_INPUT
        ? { _tag: "PortDescPropPipelineInput", oxmIds }
        : { _tag: "PortDescPropPipelineOutput", oxmIds }
    }
    case OFPPDPT_RECIRCULATE: {
      if ((length & 3) !== 0) return badLen(what, `recirculate property length ${length} is not a multiple of 4`)
      const portNos: Array<number> = []
      while (r.pos < bodyEnd) portNos.push(r.u32())
      return { _tag: "PortDescPropRecirculate", portNos }
    }
    case EXPERIMENTER:
      return decodeExperimenter(r, length, what)
    default:
      return decodeUnknown(r, type, length)
  }
}

/**
 * Reads one OpenFlow 1.4+ `ofp_port` at `r.pos`, which must end by `limit` (exactly at
 * `limit` when `exact`: PORT_STATUS holds one port and nothing else). The caller has
 * checked that 40 bytes remain. A port length that does not fit is OFPBRC_BAD_LEN; a
 * property length problem OFPBPC_BAD_LEN.
 */
export const decodePort14 = (r: Reader, limit: number, exact: boolean): Port | OpenFlowError => {
  const start = r.pos
  const portNo = r.u32()
  const length = r.u16()
  const left = limit - start
  if (length < PORT14_SIZE || length > left || (exact && length !== left)) {
    return OFE.make(
      "OFPBRC_BAD_LEN",
      exact
        ? `port ${portNo} has length ${length}, expected the ${left} bytes that remain`
        : `port ${portNo} has length ${length}, not between 40 and the ${left} bytes that remain`
    )
  }
  r.skip(2)
  const hwAddr = r.u48()
  r.skip(2)
  const name = readText(r, 16)
  const config = r.u32()
  const state = r.u32()
  ethernet.seen = false
  ethernet.curr = ethernet.advertised = ethernet.supported = ethernet.peer = ethernet.currSpeed = ethernet.maxSpeed = 0
  portWhat = `port ${portNo}`
  const decoded = decodeProperties(r, start + length, portWhat, decodePortProperty)
  if (OFE.isOpenFlowError(decoded)) return decoded
  const { advertised, curr, currSpeed, maxSpeed, peer, supported } = ethernet
  // The common port has only its Ethernet property: no list to build.
  if (decoded.length === 1 && decoded[0] === null) {
    return { portNo, hwAddr, name, config, state, curr, advertised, supported, peer, currSpeed, maxSpeed }
  }
  const properties: Array<Property> = []
  for (const p of decoded) if (p !== null) properties.push(p)
  return properties.length === 0
    ? { portNo, hwAddr, name, config, state, curr, advertised, supported, peer, currSpeed, maxSpeed }
    : { portNo, hwAddr, name, config, state, curr, advertised, supported, peer, currSpeed, maxSpeed, properties }
}

/** Writes one OpenFlow 1.4+ `ofp_port`: the fixed part, the Ethernet property, then `properties`. */
export const encodePort14 = (w: Writer, p: Port): OpenFlowError | undefined => {
  const start = w.mark()
  const what = `port ${p.portNo}`
  w.u32(p.portNo)
  w.u16(0)
  w.zeros(2)
  w.u48(p.hwAddr)
  w.zeros(2)
  writeText(w, p.name, 16, "port name")
  w.u32(p.config)
  w.u32(p.state)
  const eth = begin(w, OFPPDPT_ETHERNET)
  w.zeros(4)
  w.u32(p.curr)
  w.u32(p.advertised)
  w.u32(p.supported)
  w.u32(p.peer)
  w.u32(p.currSpeed)
  w.u32(p.maxSpeed)
  end(w, eth, what)
  for (const property of p.properties ?? []) {
    switch (property._tag) {
      case "PortDescPropOptical": {
        const at = begin(w, OFPPDPT_OPTICAL)
        w.zeros(4)
        w.u32(property.supported)
        w.u32(property.txMinFreqLmda)
        w.u32(property.txMaxFreqLmda)
        w.u32(property.txGridFreqLmda)
        w.u32(property.rxMinFreqLmda)
        w.u32(property.rxMaxFreqLmda)
        w.u32(property.rxGridFreqLmda)
        w.u16(property.txPwrMin)
        w.u16(property.txPwrMax)
        end(w, at, what)
        break
      }
      case "PortDescPropPipelineInput":
      case "PortDescPropPipelineOutput": {
        const at = begin(w, property._tag === "PortDescPropPipelineInput" ? OFPPDPT_PIPELINE_INPUT : OFPPDPT_PIPELINE_OUTPUT)
        const error = encodePropertyOxmIds(w, property.oxmIds)
        if (error !== undefined) return error
        end(w, at, what)
        break
      }
      case "PortDescPropRecirculate": {
        const at = begin(w, OFPPDPT_RECIRCULATE)
        for (const n of property.portNos) w.u32(n)
        end(w, at, what)
        break
      }
      case "ExperimenterProperty":
        encodeExperimenter(w, property, what)
        break
      case "UnknownProperty":
        encodeUnknown(w, property, what)
        break
    }
  }
  patchLength(w, start + 4, w.pos - start, what)
  return undefined
}
