/**
 * Wire codec for OFPT_PORT_MOD (OpenFlow 1.1-1.3 §7.3.4.3): 32 bytes; in OpenFlow 1.0
 * (type 15) 24 bytes, with a 16-bit port number and the feature bits of 1.0 in
 * `advertise`. OpenFlow 1.4+ (§7.3.4.3): 24 bytes and properties, `advertise` in the
 * Ethernet one.
 */
import * as OFE from "../OpenFlowError.ts"
import { fromOf10 } from "../Port.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import type { PortMod, Property } from "../PortMod.ts"
import { featuresFromOf10, featuresToOf10, writePort10 } from "./port.ts"
import { invalid } from "./invalid.ts"
import {
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
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const OFPPMPT_ETHERNET = 0
const OFPPMPT_OPTICAL = 1

/** The Ethernet property's `advertise`, collected while the property list is read. */
let advertise = 0
let sawEthernet = false

const portModProperty = (r: Reader, type: number, length: number): Property | null | OpenFlowError => {
  switch (type) {
    case OFPPMPT_ETHERNET: {
      const error = expectLength("PORT_MOD", "Ethernet", length, 8)
      if (error !== undefined) return error
      if (sawEthernet) return OFE.make("OFPBPC_DUP_TYPE", "PORT_MOD: more than one Ethernet property")
      sawEthernet = true
      advertise = r.u32()
      return null
    }
    case OFPPMPT_OPTICAL: {
      const error = expectLength("PORT_MOD", "optical", length, 24)
      if (error !== undefined) return error
      const configure = r.u32()
      const freqLmda = r.u32()
      const flOffset = r.u32() | 0
      const gridSpan = r.u32()
      return { _tag: "PortModPropOptical", configure, freqLmda, flOffset, gridSpan, txPwr: r.u32() }
    }
    case EXPERIMENTER:
      return decodeExperimenter(r, length, "PORT_MOD")
    default:
      return decodeUnknown(r, type, length)
  }
}

const decodePortMod14 = (r: Reader): PortMod | OpenFlowError => {
  const portNo = r.u32()
  r.skip(4)
  const hwAddr = r.u48()
  r.skip(2)
  const config = r.u32()
  const mask = r.u32()
  advertise = 0
  sawEthernet = false
  const decoded = decodeProperties(r, r.end, "PORT_MOD", portModProperty)
  if (OFE.isOpenFlowError(decoded)) return decoded
  const properties: Array<Property> = []
  for (const p of decoded) if (p !== null) properties.push(p)
  return properties.length === 0
    ? { _tag: "PortMod", portNo, hwAddr, config, mask, advertise }
    : { _tag: "PortMod", portNo, hwAddr, config, mask, advertise, properties }
}

const encodePortMod14 = (w: Writer, m: PortMod): undefined => {
  w.u32(m.portNo)
  w.zeros(4)
  w.u48(m.hwAddr)
  w.zeros(2)
  w.u32(m.config)
  w.u32(m.mask)
  if (m.advertise !== 0) {
    const at = begin(w, OFPPMPT_ETHERNET)
    w.u32(m.advertise)
    end(w, at, "PORT_MOD Ethernet property")
  }
  for (const p of m.properties ?? []) {
    switch (p._tag) {
      case "PortModPropOptical": {
        const at = begin(w, OFPPMPT_OPTICAL)
        w.u32(p.configure)
        w.u32(p.freqLmda)
        if (!Number.isInteger(p.flOffset) || p.flOffset < -0x8000_0000 || p.flOffset > 0x7fff_ffff) {
          invalid(w, `PORT_MOD optical fl_offset ${p.flOffset} does not fit a signed 32-bit field`)
        }
        w.u32(p.flOffset >>> 0)
        w.u32(p.gridSpan)
        w.u32(p.txPwr)
        end(w, at, "PORT_MOD optical property")
        break
      }
      case "ExperimenterProperty":
        encodeExperimenter(w, p, "PORT_MOD")
        break
      case "UnknownProperty":
        encodeUnknown(w, p, "PORT_MOD")
        break
    }
  }
  return undefined
}

export const rows = [
  row<PortMod>({
    tag: "PortMod",
    type: 15,
    since: 1,
    until: 1,
    minBody: 24,
    element: 0,
    decode: (r: Reader) => {
      const portNo = fromOf10(r.u16())
      const hwAddr = r.u48()
      const config = r.u32()
      const mask = r.u32()
      const advertise = featuresFromOf10(r.u32())
      return { _tag: "PortMod", portNo, hwAddr, config, mask, advertise }
    },
    encode: (w: Writer, m) => {
      // A speed 1.0 cannot name is a request the switch would refuse, not a value that
      // does not fit: the error is the one a switch sends for a bad advertise.
      const advertise = featuresToOf10(m.advertise)
      if (advertise === undefined) {
        return OFE.make(
          "OFPPMFC_BAD_ADVERTISE",
          `advertise 0x${m.advertise.toString(16)} uses 40GB_FD, 100GB_FD, 1TB_FD or OTHER, which OpenFlow 1.0 cannot express`
        )
      }
      if (m.properties !== undefined && m.properties.length > 0) needsVersion(w, "port-mod properties", 5)
      writePort10(w, m.portNo, "port-mod port")
      w.u48(m.hwAddr)
      w.u32(m.config)
      w.u32(m.mask)
      w.u32(advertise)
      w.zeros(4)
      return undefined
    }
  }),
  row<PortMod>({
    tag: "PortMod",
    type: 16,
    since: 2,
    until: 4,
    minBody: 32,
    element: 0,
    decode: (r: Reader) => {
      const portNo = r.u32()
      r.skip(4)
      const hwAddr = r.u48()
      r.skip(2)
      const config = r.u32()
      const mask = r.u32()
      const advertise = r.u32()
      return { _tag: "PortMod", portNo, hwAddr, config, mask, advertise }
    },
    encode: (w: Writer, m) => {
      if (m.properties !== undefined && m.properties.length > 0) needsVersion(w, "port-mod properties", 5)
      w.u32(m.portNo)
      w.zeros(4)
      w.u48(m.hwAddr)
      w.zeros(2)
      w.u32(m.config)
      w.u32(m.mask)
      w.u32(m.advertise)
      w.zeros(4)
      return undefined
    }
  }),
  // OpenFlow 1.4+ (§7.3.4.3): port_no, pad[4], hw_addr, pad[2], config, mask, then
  // properties; `advertise` is the Ethernet property.
  row<PortMod>({
    tag: "PortMod",
    type: 16,
    since: 5,
    minBody: 24,
    element: 8,
    decode: decodePortMod14,
    encode: encodePortMod14
  })
]
