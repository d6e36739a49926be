/**
 * Wire codec for the OFPMP_QUEUE request (port_no, queue_id) and reply (40-byte
 * `ofp_queue_stats` entries), OpenFlow 1.3. OpenFlow 1.2 had no durations and 1.4 added
 * a length and properties, so this row is 1.3 only.
 */
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import type { Property, QueueStats, QueueStatsReply, QueueStatsRequest } from "../QueueStats.ts"
import * as Port from "../Port.ts"
import { invalid } from "./invalid.ts"
import { writePort10 } from "./port.ts"
import { patchLength } from "./invalid.ts"
import { decodeExperimenter, decodeProperties, decodeUnknown, encodeExperimenter, encodeUnknown, EXPERIMENTER, needsVersion } from "./property.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

/** OpenFlow 1.0's OFPP_ALL, which its queue statistics request uses for "every port". */
const OFPP10_ALL = 0xfffc

const OFPMP_QUEUE = 5

// OpenFlow 1.0 (§5.3.5): the request is a 16-bit port_no, 2 bytes of padding and the
// queue id; an entry is 32 bytes (16-bit port, padding, queue id, three counters) with
// no duration, which must be 0 to encode. 1.0 asks for every port with OFPP_ALL where
// 1.1+ uses OFPP_ANY: the request maps one to the other, as Open vSwitch does, so
// `Port.ALL` itself cannot be asked for in 1.0.
const decodeRequest10 = (r: Reader, flags: number): QueueStatsRequest => {
  const wire = r.u16()
  r.skip(2)
  const portNo = wire === OFPP10_ALL ? Port.ANY : Port.fromOf10(wire)
  return { _tag: "QueueStatsRequest", flags, portNo, queueId: r.u32() }
}

const encodeRequest10 = (w: Writer, m: QueueStatsRequest): undefined => {
  if (m.portNo === Port.ALL) {
    invalid(w, "queue statistics for Port.ALL: OpenFlow 1.0 uses OFPP_ALL for every port, which is Port.ANY here")
  }
  if (m.portNo === Port.ANY) w.u16(OFPP10_ALL)
  else writePort10(w, m.portNo, "queue statistics request port")
  w.zeros(2)
  w.u32(m.queueId)
  return undefined
}

const decodeReply10 = (r: Reader, flags: number): QueueStatsReply => {
  const stats: Array<QueueStats> = []
  // The central length check guarantees a whole number of 32-byte entries.
  while (r.pos < r.end) {
    const portNo = Port.fromOf10(r.u16())
    r.skip(2)
    stats.push({
      portNo,
      queueId: r.u32(),
      txBytes: r.u64(),
      txPackets: r.u64(),
      txErrors: r.u64(),
      durationSec: 0,
      durationNsec: 0
    })
  }
  return { _tag: "QueueStatsReply", flags, stats }
}

const encodeReply10 = (w: Writer, m: QueueStatsReply): undefined => {
  for (const s of m.stats) {
    if (s.durationSec !== 0 || s.durationNsec !== 0) {
      invalid(w, `queue ${s.queueId} of port ${s.portNo}: OpenFlow 1.0 queue statistics have no duration (use 0)`)
    }
    if (s.properties !== undefined && s.properties.length > 0) needsVersion(w, `queue ${s.queueId} statistics properties`, 5)
    writePort10(w, s.portNo, "queue statistics port")
    w.zeros(2)
    w.u32(s.queueId)
    w.u64(s.txBytes)
    w.u64(s.txPackets)
    w.u64(s.txErrors)
  }
  return undefined
}

// ---------------------------------------------------------------------------------------
// OpenFlow 1.4+ (§7.3.5.8): each entry is `length u16, pad[6], port_no, queue_id`, the
// counters, the durations (48 bytes), then properties; the length is checked against
// the fixed part and what remains before the entry is read.
// ---------------------------------------------------------------------------------------

const QUEUE_STATS14_SIZE = 48

const queueProperty = (r: Reader, type: number, length: number): Property | OpenFlowError =>
  type === EXPERIMENTER ? decodeExperimenter(r, length, "QUEUE reply") : decodeUnknown(r, type, length)

const decodeReply14 = (r: Reader, flags: number): QueueStatsReply | OpenFlowError => {
  const stats: Array<QueueStats> = []
  while (r.pos < r.end) {
    const left = r.remaining()
    if (left < QUEUE_STATS14_SIZE) return OFE.make("OFPBRC_BAD_LEN", `QUEUE reply: ${left} bytes left over, short of a 48-byte entry`)
    const start = r.pos
    const length = r.u16()
    if (length < QUEUE_STATS14_SIZE || length > left) {
      return OFE.make("OFPBRC_BAD_LEN", `QUEUE reply: entry length ${length} is not between 48 and the ${left} bytes that remain`)
    }
    r.skip(6)
    const portNo = r.u32()
    const queueId = r.u32()
    const txBytes = r.u64()
    const txPackets = r.u64()
    const txErrors = r.u64()
    const durationSec = r.u32()
    const durationNsec = r.u32()
    const properties = decodeProperties(r, start + length, "QUEUE reply", queueProperty)
    if (OFE.isOpenFlowError(properties)) return properties
    stats.push(
      properties.length === 0
        ? { portNo, queueId, txBytes, txPackets, txErrors, durationSec, durationNsec }
        : { portNo, queueId, txBytes, txPackets, txErrors, durationSec, durationNsec, properties }
    )
  }
  return { _tag: "QueueStatsReply", flags, stats }
}

const encodeReply14 = (w: Writer, m: QueueStatsReply): undefined => {
  for (const s of m.stats) {
    const start = w.mark()
    w.u16(0)
    w.zeros(6)
    w.u32(s.portNo)
    w.u32(s.queueId)
    w.u64(s.txBytes)
    w.u64(s.txPackets)
    w.u64(s.txErrors)
    w.u32(s.durationSec)
    w.u32(s.durationNsec)
    for (const p of s.properties ?? []) {
      if (p._tag === "ExperimenterProperty") encodeExperimenter(w, p, "QUEUE reply")
      else encodeUnknown(w, p, "QUEUE reply")
    }
    patchLength(w, start, w.pos - start, `queue ${s.queueId} statistics`)
  }
  return undefined
}

export const rows = [
  row<QueueStatsRequest>({
    tag: "QueueStatsRequest",
    type: 16,
    multipart: OFPMP_QUEUE,
    since: 1,
    until: 1,
    minBody: 8,
    element: 0,
    decode: decodeRequest10,
    encode: encodeRequest10
  }),
  row<QueueStatsReply>({
    tag: "QueueStatsReply",
    type: 17,
    multipart: OFPMP_QUEUE,
    since: 1,
    until: 1,
    minBody: 0,
    element: 32,
    decode: decodeReply10,
    encode: encodeReply10
  }),
  row<QueueStatsRequest>({
    tag: "QueueStatsRequest",
    type: 18,
    multipart: OFPMP_QUEUE,
    since: 4,
    minBody: 8,
    element: 0,
    decode: (r: Reader, flags) => {
      const portNo = r.u32()
      return { _tag: "QueueStatsRequest", flags, portNo, queueId: r.u32() }
    },
    encode: (w: Writer, m) => {
      w.u32(m.portNo)
      w.u32(m.queueId)
      return undefined
    }
  }),
  row<QueueStatsReply>({
    tag: "QueueStatsReply",
    type: 19,
    multipart: OFPMP_QUEUE,
    since: 4,
    until: 4,
    minBody: 0,
    element: 40,
    // The central length check guarantees a whole number of 40-byte entries.
    decode: (r: Reader, flags) => {
      const stats: Array<QueueStats> = []
      while (r.pos < r.end) {
        stats.push({
          portNo: r.u32(),
          queueId: r.u32(),
          txBytes: r.u64(),
          txPackets: r.u64(),
          txErrors: r.u64(),
          durationSec: r.u32(),
          durationNsec: r.u32()
        })
      }
      return { _tag: "QueueStatsReply", flags, stats }
    },
    encode: (w: Writer, m) => {
      for (const s of m.stats) {
        if (s.properties !== undefined && s.properties.length > 0) needsVersion(w, "queue statistics properties", 5)
        w.u32(s.portNo)
        w.u32(s.queueId)
        w.u64(s.txBytes)
        w.u64(s.txPackets)
        w.u64(s.txErrors)
        w.u32(s.durationSec)
        w.u32(s.durationNsec)
      }
      return undefined
    }
  }),
  row<QueueStatsReply>({
    tag: "QueueStatsReply",
    type: 19,
    multipart: OFPMP_QUEUE,
    since: 5,
    minBody: 0,
    element: 8,
    decode: decodeReply14,
    encode: encodeReply14
  })
]
