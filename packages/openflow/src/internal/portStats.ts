/**
 * Wire codec for the OFPMP_PORT_STATS request (port_no, 4 bytes of padding) and reply
 * (112-byte `ofp_port_stats` entries), OpenFlow 1.3. OpenFlow 1.2 had no durations and
 * 1.4 turned the tail into properties, so this row is 1.3 only.
 */
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import type { PortStats, PortStatsReply, PortStatsRequest, Property } from "../PortStats.ts"
import { fromOf10 } from "../Port.ts"
import { invalid } from "./invalid.ts"
import { writePort10 } from "./port.ts"
import { patchLength } from "./invalid.ts"
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

const OFPMP_PORT_STATS = 4

// OpenFlow 1.0 (§5.3.5): the request is a 16-bit port_no (OFPP_NONE, which becomes
// Port.ANY, for all ports) and 6 bytes of padding; an entry is 104 bytes, the 1.3 entry
// with a 16-bit port number and without the durations, which must be 0 to encode.
const decodeReply10 = (r: Reader, flags: number): PortStatsReply => {
  const stats: Array<PortStats> = []
  // The central length check guarantees a whole number of 104-byte entries.
  while (r.pos < r.end) {
    const portNo = fromOf10(r.u16())
    r.skip(6)
    stats.push({
      portNo,
      rxPackets: r.u64(),
      txPackets: r.u64(),
      rxBytes: r.u64(),
      txBytes: r.u64(),
      rxDropped: r.u64(),
      txDropped: r.u64(),
      rxErrors: r.u64(),
      txErrors: r.u64(),
      rxFrameErr: r.u64(),
      rxOverErr: r.u64(),
      rxCrcErr: r.u64(),
      collisions: r.u64(),
      durationSec: 0,
      durationNsec: 0
    })
  }
  return { _tag: "PortStatsReply", flags, stats }
}

const encodeReply10 = (w: Writer, m: PortStatsReply): undefined => {
  for (const s of m.stats) {
    if (s.durationSec !== 0 || s.durationNsec !== 0) {
      invalid(w, `port ${s.portNo}: OpenFlow 1.0 port statistics have no duration (use 0)`)
    }
    if (s.properties !== undefined && s.properties.length > 0) needsVersion(w, `port ${s.portNo} statistics properties`, 5)
    writePort10(w, s.portNo, "port statistics port")
    w.zeros(6)
    w.u64(s.rxPackets)
    w.u64(s.txPackets)
    w.u64(s.rxBytes)
    w.u64(s.txBytes)
    w.u64(s.rxDropped)
    w.u64(s.txDropped)
    w.u64(s.rxErrors)
    w.u64(s.txErrors)
    w.u64(s.rxFrameErr)
    w.u64(s.rxOverErr)
    w.u64(s.rxCrcErr)
    w.u64(s.collisions)
  }
  return undefined
}

// ---------------------------------------------------------------------------------------
// OpenFlow 1.4+ (§7.3.5.7): each entry is `length u16, pad[2], port_no`, the durations,
// eight counters (80 bytes), then properties; the Ethernet property holds the four error
// counters 1.3 had as fixed fields and is always encoded first.
// ---------------------------------------------------------------------------------------

const PORT_STATS14_SIZE = 80
const OFPPSPT_ETHERNET = 0
const OFPPSPT_OPTICAL = 1

/** The Ethernet property's counters, collected while an entry's properties are read. */
const ethernet = { seen: false, rxFrameErr: 0n, rxOverErr: 0n, rxCrcErr: 0n, collisions: 0n }

const portStatsProperty = (r: Reader, type: number, length: number): Property | null | OpenFlowError => {
  switch (type) {
    case OFPPSPT_ETHERNET: {
      const error = expectLength("PORT_STATS reply", "Ethernet", length, 40)
      if (error !== undefined) return error
      if (ethernet.seen) return OFE.make("OFPBPC_DUP_TYPE", "PORT_STATS reply: more than one Ethernet property in an entry")
      ethernet.seen = true
      r.skip(4)
      ethernet.rxFrameErr = r.u64()
      ethernet.rxOverErr = r.u64()
      ethernet.rxCrcErr = r.u64()
      ethernet.collisions = r.u64()
      return null
    }
    case OFPPSPT_OPTICAL: {
      const error = expectLength("PORT_STATS reply", "optical", length, 44)
      if (error !== undefined) return error
      r.skip(4)
      return {
        _tag: "PortStatsPropOptical",
        flags: r.u32(),
        txFreqLmda: r.u32(),
        txOffset: r.u32(),
        txGridSpan: r.u32(),
        rxFreqLmda: r.u32(),
        rxOffset: r.u32(),
        rxGridSpan: r.u32(),
        txPwr: r.u16(),
        rxPwr: r.u16(),
        biasCurrent: r.u16(),
        temperature: r.u16()
      }
    }
    case EXPERIMENTER:
      return decodeExperimenter(r, length, "PORT_STATS reply")
    default:
      return decodeUnknown(r, type, length)
  }
}

const decodeReply14 = (r: Reader, flags: number): PortStatsReply | OpenFlowError => {
  const stats: Array<PortStats> = []
  while (r.pos < r.end) {
    const left = r.remaining()
    if (left < PORT_STATS14_SIZE) return OFE.make("OFPBRC_BAD_LEN", `PORT_STATS reply: ${left} bytes left over, short of an 80-byte entry`)
    const start = r.pos
    const length = r.u16()
    if (length < PORT_STATS14_SIZE || length > left) {
      return OFE.make("OFPBRC_BAD_LEN", `PORT_STATS reply: entry length ${length} is not between 80 and the ${left} bytes that remain`)
    }
    r.skip(2)
    const portNo = r.u32()
    const durationSec = r.u32()
    const durationNsec = r.u32()
    const rxPackets = r.u64()
    const txPackets = r.u64()
    const rxBytes = r.u64()
    const txBytes = r.u64()
    const rxDropped = r.u64()
    const txDropped = r.u64()
    const rxErrors = r.u64()
    const txErrors = r.u64()
    ethernet.seen = false
    ethernet.rxFrameErr = ethernet.rxOverErr = ethernet.rxCrcErr = ethernet.collisions = 0n
    const decoded = decodeProperties(r, start + length, "PORT_STATS reply", portStatsProperty)
    if (OFE.isOpenFlowError(decoded)) return decoded
    const properties: Array<Property> = []
    for (const p of decoded) if (p !== null) properties.push(p)
    const { collisions, rxCrcErr, rxFrameErr, rxOverErr } = ethernet
    const entry: PortStats = {
      portNo,
      rxPackets,
      txPackets,
      rxBytes,
      txBytes,
      rxDropped,
      txDropped,
      rxErrors,
      txErrors,
      rxFrameErr,
      rxOverErr,
      rxCrcErr,
      collisions,
      durationSec,
      durationNsec
    }
    stats.push(properties.length === 0 ? entry : { ...entry, properties })
  }
  return { _tag: "PortStatsReply", flags, stats }
}

const encodeReply14 = (w: Writer, m: PortStatsReply): undefined => {
  for (const s of m.stats) {
    const what = `port ${s.portNo} statistics`
    const start = w.mark()
    w.u16(0)
    w.zeros(2)
    w.u32(s.portNo)
    w.u32(s.durationSec)
    w.u32(s.durationNsec)
    w.u64(s.rxPackets)
    w.u64(s.txPackets)
    w.u64(s.rxBytes)
    w.u64(s.txBytes)
    w.u64(s.rxDropped)
    w.u64(s.txDropped)
    w.u64(s.rxErrors)
    w.u64(s.txErrors)
    const eth = begin(w, OFPPSPT_ETHERNET)
    w.zeros(4)
    w.u64(s.rxFrameErr)
    w.u64(s.rxOverErr)
    w.u64(s.rxCrcErr)
    w.u64(s.collisions)
    end(w, eth, what)
    for (const p of s.properties ?? []) {
      switch (p._tag) {
        case "PortStatsPropOptical": {
          const at = begin(w, OFPPSPT_OPTICAL)
          w.zeros(4)
          w.u32(p.flags)
          w.u32(p.txFreqLmda)
          w.u32(p.txOffset)
          w.u32(p.txGridSpan)
          w.u32(p.rxFreqLmda)
          w.u32(p.rxOffset)
          w.u32(p.rxGridSpan)
          w.u16(p.txPwr)
          w.u16(p.rxPwr)
          w.u16(p.biasCurrent)
          w.u16(p.temperature)
          end(w, at, what)
          break
        }
        case "ExperimenterProperty":
          encodeExperimenter(w, p, what)
          break
        case "UnknownProperty":
          encodeUnknown(w, p, what)
          break
      }
    }
    patchLength(w, start, w.pos - start, what)
  }
  return undefined
}

export const rows = [
  row<PortStatsRequest>({
    tag: "PortStatsRequest",
    type: 16,
    multipart: OFPMP_PORT_STATS,
    since: 1,
    until: 1,
    minBody: 8,
    element: 0,
    decode: (r: Reader, flags) => ({ _tag: "PortStatsRequest", flags, portNo: fromOf10(r.u16()) }),
    encode: (w: Writer, m) => {
      writePort10(w, m.portNo, "port statistics request port")
      w.zeros(6)
      return undefined
    }
  }),
  row<PortStatsReply>({
    tag: "PortStatsReply",
    type: 17,
    multipart: OFPMP_PORT_STATS,
    since: 1,
    until: 1,
    minBody: 0,
    element: 104,
    decode: decodeReply10,
    encode: encodeReply10
  }),
  row<PortStatsRequest>({
    tag: "PortStatsRequest",
    type: 18,
    multipart: OFPMP_PORT_STATS,
    since: 4,
    minBody: 8,
    element: 0,
    decode: (r: Reader, flags) => ({ _tag: "PortStatsRequest", flags, portNo: r.u32() }),
    encode: (w: Writer, m) => {
      w.u32(m.portNo)
      w.zeros(4)
      return undefined
    }
  }),
  row<PortStatsReply>({
    tag: "PortStatsReply",
    type: 19,
    multipart: OFPMP_PORT_STATS,
    since: 4,
    until: 4,
    minBody: 0,
    element: 112,
    // The central length check guarantees a whole number of 112-byte entries.
    decode: (r: Reader, flags) => {
      const stats: Array<PortStats> = []
      while (r.pos < r.end) {
        const portNo = r.u32()
        r.skip(4)
        stats.push({
          portNo,
          rxPackets: r.u64(),
          txPackets: r.u64(),
          rxBytes: r.u64(),
          txBytes: r.u64(),
          rxDropped: r.u64(),
          txDropped: r.u64(),
          rxErrors: r.u64(),
          txErrors: r.u64(),
          rxFrameErr: r.u64(),
          rxOverErr: r.u64(),
          rxCrcErr: r.u64(),
          collisions: r.u64(),
          durationSec: r.u32(),
          durationNsec: r.u32()
        })
      }
      return { _tag: "PortStatsReply", flags, stats }
    },
    encode: (w: Writer, m) => {
      for (const s of m.stats) {
        if (s.properties !== undefined && s.properties.length > 0) needsVersion(w, `port ${s.portNo} statistics properties`, 5)
        w.u32(s.portNo)
        w.zeros(4)
        w.u64(s.rxPackets)
        w.u64(s.txPackets)
        w.u64(s.rxBytes)
        w.u64(s.txBytes)
        w.u64(s.rxDropped)
        w.u64(s.txDropped)
        w.u64(s.rxErrors)
        w.u64(s.txErrors)
        w.u64(s.rxFrameErr)
        w.u64(s.rxOverErr)
        w.u64(s.rxCrcErr)
        w.u64(s.collisions)
        w.u32(s.durationSec)
        w.u32(s.durationNsec)
      }
      return undefined
    }
  }),
  row<PortStatsReply>({
    tag: "PortStatsReply",
    type: 19,
    multipart: OFPMP_PORT_STATS,
    since: 5,
    minBody: 0,
    element: 8,
    decode: decodeReply14,
    encode: encodeReply14
  })
]
