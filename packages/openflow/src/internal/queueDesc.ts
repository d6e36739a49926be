/**
 * Wire codec for the OFPMP_QUEUE_DESC request (`port_no, queue_id`) and reply (OpenFlow
 * 1.4 §7.3.5.19; the same in 1.5): entries of `port_no, queue_id, len u16, pad[6]` and
 * properties. Each entry's length is checked against its 16-byte fixed part and what
 * remains before it is read; the rate properties must be exactly 8 bytes.
 */
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import type { Property, QueueDesc, QueueDescReply, QueueDescRequest } from "../QueueDesc.ts"
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
  EXPERIMENTER
} from "./property.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const OFPMP_QUEUE_DESC = 15
const QUEUE_DESC_SIZE = 16
const OFPQDPT_MIN_RATE = 1
const OFPQDPT_MAX_RATE = 2

const queueProperty = (r: Reader, type: number, length: number): Property | OpenFlowError => {
  switch (type) {
    case OFPQDPT_MIN_RATE:
    case OFPQDPT_MAX_RATE: {
      const error = expectLength("QUEUE_DESC reply", type === OFPQDPT_MIN_RATE ? "min-rate" : "max-rate", length, 8)
      if (error !== undefined) return error
      const rate = r.u16()
      return type === OFPQDPT_MIN_RATE ? { _tag: "QueueDescPropMinRate", rate } : { _tag: "QueueDescPropMaxRate", rate }
    }
    case EXPERIMENTER:
      return decodeExperimenter(r, length, "QUEUE_DESC reply")
    default:
      return decodeUnknown(r, type, length)
  }
}

const decodeReply = (r: Reader, flags: number): QueueDescReply | OpenFlowError => {
  const queues: Array<QueueDesc> = []
  while (r.pos < r.end) {
    const left = r.remaining()
    if (left < QUEUE_DESC_SIZE) return OFE.make("OFPBRC_BAD_LEN", `QUEUE_DESC reply: ${left} bytes left over, short of a 16-byte queue`)
    const start = r.pos
    const portNo = r.u32()
    const queueId = r.u32()
    const length = r.u16()
    if (length < QUEUE_DESC_SIZE || length > left) {
      return OFE.make("OFPBRC_BAD_LEN", `QUEUE_DESC reply: queue ${queueId} length ${length} is not between 16 and the ${left} bytes that remain`)
    }
    r.skip(6)
    const properties = decodeProperties(r, start + length, "QUEUE_DESC reply", queueProperty)
    if (OFE.isOpenFlowError(properties)) return properties
    queues.push({ portNo, queueId, properties })
  }
  return { _tag: "QueueDescReply", flags, queues }
}

const encodeReply = (w: Writer, m: QueueDescReply): undefined => {
  for (const q of m.queues) {
    const start = w.mark()
    w.u32(q.portNo)
    w.u32(q.queueId)
    w.u16(0)
    w.zeros(6)
    for (const p of q.properties) {
      switch (p._tag) {
        case "QueueDescPropMinRate":
        case "QueueDescPropMaxRate": {
          const at = begin(w, p._tag === "QueueDescPropMinRate" ? OFPQDPT_MIN_RATE : OFPQDPT_MAX_RATE)
          w.u16(p.rate)
          w.zeros(2)
          end(w, at, "QUEUE_DESC rate property")
          break
        }
        case "ExperimenterProperty":
          encodeExperimenter(w, p, "QUEUE_DESC reply")
          break
        case "UnknownProperty":
          encodeUnknown(w, p, "QUEUE_DESC reply")
          break
      }
    }
    patchLength(w, start + 8, w.pos - start, `queue ${q.queueId} description`)
  }
  return undefined
}

export const rows = [
  row<QueueDescRequest>({
    tag: "QueueDescRequest",
    type: 18,
    multipart: OFPMP_QUEUE_DESC,
    since: 5,
    minBody: 8,
    element: 0,
    decode: (r: Reader, flags) => {
      const portNo = r.u32()
      return { _tag: "QueueDescRequest", flags, portNo, queueId: r.u32() }
    },
    encode: (w: Writer, m) => {
      w.u32(m.portNo)
      w.u32(m.queueId)
      return undefined
    }
  }),
  row<QueueDescReply>({
    tag: "QueueDescReply",
    type: 19,
    multipart: OFPMP_QUEUE_DESC,
    since: 5,
    minBody: 0,
    element: 8,
    decode: decodeReply,
    encode: encodeReply
  })
]
