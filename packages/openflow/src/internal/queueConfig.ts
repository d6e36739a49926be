/**
 * Wire codec for OFPT_QUEUE_GET_CONFIG_REQUEST/REPLY (OpenFlow 1.2/1.3 §7.3.6; OpenFlow
 * 1.0 §5.3.6, with 16-bit ports and shorter queue headers).
 *
 * Each `ofp_packet_queue` (16-byte header with its own length) holds properties, each an
 * 8-byte header (`property u16, len u16, pad[4]`) and a body; lengths are exact, with
 * no padding between properties or queues. Every length is checked against what
 * remains before anything is read, and a length shorter than its header is refused, so
 * a 0 can never stall the loop.
 */
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import type { PacketQueue, QueueGetConfigReply, QueueGetConfigRequest, QueueProperty } from "../QueueConfig.ts"
import { fromOf10 } from "../Port.ts"
import { invalid, patchLength } from "./invalid.ts"
import { writePort10 } from "./port.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const OFPQT_MIN_RATE = 1
const OFPQT_MAX_RATE = 2
const OFPQT_EXPERIMENTER = 0xffff

const decodeProperties = (r: Reader, end: number, queueId: number): Array<QueueProperty> | OpenFlowError => {
  const properties: Array<QueueProperty> = []
  while (r.pos < end) {
    const left = end - r.pos
    if (left < 8) return OFE.make("OFPBRC_BAD_LEN", `queue ${queueId}: ${left} bytes left over, short of an 8-byte property header`)
    const property = r.u16()
    const len = r.u16()
    if (len < 8 || len > left) {
      return OFE.make("OFPBRC_BAD_LEN", `queue ${queueId}: property length ${len} is not between 8 and the ${left} bytes that remain`)
    }
    r.skip(4)
    if (property === OFPQT_MIN_RATE || property === OFPQT_MAX_RATE) {
      if (len !== 16) return OFE.make("OFPBRC_BAD_LEN", `queue ${queueId}: rate property length ${len}, expected 16`)
      const rate = r.u16()
      r.skip(6)
      properties.push(property === OFPQT_MIN_RATE ? { _tag: "QueuePropMinRate", rate } : { _tag: "QueuePropMaxRate", rate })
    } else if (property === OFPQT_EXPERIMENTER) {
      if (len < 16) return OFE.make("OFPBRC_BAD_LEN", `queue ${queueId}: experimenter property length ${len} is shorter than 16`)
      const experimenter = r.u32()
      r.skip(4)
      properties.push({ _tag: "QueuePropExperimenter", experimenter, data: r.bytesView(len - 16) })
    } else {
      properties.push({ _tag: "QueuePropUnknown", property, data: r.bytesView(len - 8) })
    }
  }
  return properties
}

const decodeReply = (r: Reader): QueueGetConfigReply | OpenFlowError => {
  const port = r.u32()
  r.skip(4)
  const queues: Array<PacketQueue> = []
  while (r.pos < r.end) {
    const left = r.remaining()
    if (left < 16) return OFE.make("OFPBRC_BAD_LEN", `QUEUE_GET_CONFIG_REPLY: ${left} bytes left over, short of a 16-byte queue header`)
    const queueId = r.u32()
    const queuePort = r.u32()
    const len = r.u16()
    if (len < 16 || len > left) {
      return OFE.make("OFPBRC_BAD_LEN", `queue ${queueId}: length ${len} is not between 16 and the ${left} bytes that remain`)
    }
    r.skip(6)
    const properties = decodeProperties(r, r.pos + len - 16, queueId)
    if (OFE.isOpenFlowError(properties)) return properties
    queues.push({ queueId, port: queuePort, properties })
  }
  return { _tag: "QueueGetConfigReply", port, queues }
}

const encodeProperty = (w: Writer, p: QueueProperty): void => {
  switch (p._tag) {
    case "QueuePropMinRate":
    case "QueuePropMaxRate":
      w.u16(p._tag === "QueuePropMinRate" ? OFPQT_MIN_RATE : OFPQT_MAX_RATE)
      w.u16(16)
      w.zeros(4)
      w.u16(p.rate)
      w.zeros(6)
      break
    case "QueuePropExperimenter":
      w.u16(OFPQT_EXPERIMENTER)
      w.u16(16 + p.data.length)
      w.zeros(4)
      w.u32(p.experimenter)
      w.zeros(4)
      w.bytes(p.data)
      break
    case "QueuePropUnknown":
      w.u16(p.property)
      w.u16(8 + p.data.length)
      w.zeros(4)
      w.bytes(p.data)
      break
  }
}

const encodeReply = (w: Writer, m: QueueGetConfigReply): undefined => {
  w.u32(m.port)
  w.zeros(4)
  for (const q of m.queues) {
    const start = w.mark()
    w.u32(q.queueId)
    w.u32(q.port)
    w.u16(0)
    w.zeros(6)
    for (const p of q.properties) {
      if (p._tag === "QueuePropUnknown" && (p.property === OFPQT_MIN_RATE || p.property === OFPQT_MAX_RATE || p.property === OFPQT_EXPERIMENTER)) {
        invalid(w, `queue ${q.queueId}: QueuePropUnknown cannot use the defined property type ${p.property}`)
      }
      encodeProperty(w, p)
    }
    patchLength(w, start + 8, w.pos - start, `queue ${q.queueId}`)
  }
  return undefined
}

// ---------------------------------------------------------------------------------------
// OpenFlow 1.0 (§5.3.6, types 20 and 21): a 16-bit port in the request (2 bytes of
// padding) and in the reply (6), and an 8-byte queue header (queue_id, len, pad[2])
// without the queue's own port. The properties are laid out as in 1.3. A 1.0 queue
// belongs to the port the reply is about, so each queue's `port` decodes as the reply's
// and must equal it to encode.
// ---------------------------------------------------------------------------------------

const decodeReply10 = (r: Reader): QueueGetConfigReply | OpenFlowError => {
  const port = fromOf10(r.u16())
  r.skip(6)
  const queues: Array<PacketQueue> = []
  while (r.pos < r.end) {
    const left = r.remaining()
    if (left < 8) return OFE.make("OFPBRC_BAD_LEN", `QUEUE_GET_CONFIG_REPLY: ${left} bytes left over, short of an 8-byte queue header`)
    const queueId = r.u32()
    const len = r.u16()
    if (len < 8 || len > left) {
      return OFE.make("OFPBRC_BAD_LEN", `queue ${queueId}: length ${len} is not between 8 and the ${left} bytes that remain`)
    }
    r.skip(2)
    const properties = decodeProperties(r, r.pos + len - 8, queueId)
    if (OFE.isOpenFlowError(properties)) return properties
    queues.push({ queueId, port, properties })
  }
  return { _tag: "QueueGetConfigReply", port, queues }
}

const encodeReply10 = (w: Writer, m: QueueGetConfigReply): undefined => {
  writePort10(w, m.port, "queue config port")
  w.zeros(6)
  for (const q of m.queues) {
    if (q.port !== m.port) {
      invalid(w, `queue ${q.queueId} is on port ${q.port}, not the reply's ${m.port}: an OpenFlow 1.0 reply lists the queues of one port`)
    }
    const start = w.mark()
    w.u32(q.queueId)
    w.u16(0)
    w.zeros(2)
    for (const p of q.properties) {
      if (p._tag === "QueuePropUnknown" && (p.property === OFPQT_MIN_RATE || p.property === OFPQT_MAX_RATE || p.property === OFPQT_EXPERIMENTER)) {
        invalid(w, `queue ${q.queueId}: QueuePropUnknown cannot use the defined property type ${p.property}`)
      }
      encodeProperty(w, p)
    }
    patchLength(w, start + 4, w.pos - start, `queue ${q.queueId}`)
  }
  return undefined
}

export const rows = [
  row<QueueGetConfigRequest>({
    tag: "QueueGetConfigRequest",
    type: 20,
    since: 1,
    until: 1,
    minBody: 4,
    element: 0,
    decode: (r: Reader) => ({ _tag: "QueueGetConfigRequest", port: fromOf10(r.u16()) }),
    encode: (w: Writer, m) => {
      writePort10(w, m.port, "queue config port")
      w.zeros(2)
      return undefined
    }
  }),
  row<QueueGetConfigReply>({
    tag: "QueueGetConfigReply",
    type: 21,
    since: 1,
    until: 1,
    minBody: 8,
    element: 1,
    decode: decodeReply10,
    encode: encodeReply10
  }),
  row<QueueGetConfigRequest>({
    tag: "QueueGetConfigRequest",
    type: 22,
    since: 3,
    until: 4,
    minBody: 8,
    element: 0,
    decode: (r: Reader) => ({ _tag: "QueueGetConfigRequest", port: r.u32() }),
    encode: (w: Writer, m) => {
      w.u32(m.port)
      w.zeros(4)
      return undefined
    }
  }),
  row<QueueGetConfigReply>({
    tag: "QueueGetConfigReply",
    type: 23,
    since: 3,
    until: 4,
    minBody: 8,
    element: 1,
    decode: decodeReply,
    encode: encodeReply
  })
]
