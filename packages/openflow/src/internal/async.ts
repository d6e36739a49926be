/**
 * Wire codec for OFPT_GET_ASYNC_REQUEST/REPLY and OFPT_SET_ASYNC (OpenFlow 1.3 §7.3.10):
 * three pairs of 32-bit masks. OpenFlow 1.4 (§7.3.10) replaced the layout with
 * properties: `type, length 8, mask` per kind and role (slave types even, master odd),
 * and experimenter properties (0xfffe slave, 0xffff master). A type the version does not
 * define is OFPBPC_BAD_TYPE, a repeated one OFPBPC_DUP_TYPE, a reasons property of
 * another length than 8 OFPBPC_BAD_LEN. Encoding writes the properties in type order,
 * experimenters last, which is how switches send them.
 */
import type { AsyncExperimenterProperty, GetAsyncReply, GetAsyncRequest, MaskPair, SetAsync } from "../Async.ts"
import { getAsync, maskFields } from "../Async.ts"
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import { badLen, begin, decodeProperties, end, needsVersion } from "./property.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

type Config = GetAsyncReply | SetAsync

/** `true` when `m` uses something only the 1.4+ property layout carries. */
const usesProperties = (m: Config): boolean =>
  m.roleStatusMask !== undefined || m.tableStatusMask !== undefined || m.requestForwardMask !== undefined ||
  m.flowStatsMask !== undefined || m.controllerStatusMask !== undefined ||
  (m.experimenter !== undefined && m.experimenter.length > 0) || (m.omitted !== undefined && m.omitted !== 0)

const encode = (w: Writer, m: GetAsyncReply | SetAsync): undefined => {
  if (usesProperties(m)) needsVersion(w, "async configuration beyond the three 1.3 mask pairs (or with properties left out)", 5)
  w.u32(m.packetInMask[0])
  w.u32(m.packetInMask[1])
  w.u32(m.portStatusMask[0])
  w.u32(m.portStatusMask[1])
  w.u32(m.flowRemovedMask[0])
  w.u32(m.flowRemovedMask[1])
  return undefined
}

// ---------------------------------------------------------------------------------------
// OpenFlow 1.4+: properties.
// ---------------------------------------------------------------------------------------

const EXPERIMENTER_SLAVE = 0xfffe
const EXPERIMENTER_MASTER = 0xffff

/** What one decode collects; decoding is synchronous and never re-entered. */
const masks: Array<number> = new Array(16).fill(0)
let present = 0
let experimenters: Array<AsyncExperimenterProperty> = []
let what = ""

const asyncProperty = (r: Reader, type: number, length: number): null | OpenFlowError => {
  if (type === EXPERIMENTER_SLAVE || type === EXPERIMENTER_MASTER) {
    if (length < 12) return badLen(what, `experimenter property of length ${length} is shorter than 12`)
    const experimenter = r.u32()
    const expType = r.u32()
    experimenters.push({ _tag: "AsyncExperimenterProperty", slave: type === EXPERIMENTER_SLAVE, experimenter, expType, data: r.bytesView(length - 12) })
    return null
  }
  // 1.4 defines types 0-11; 1.5 adds 12-15.
  if (type > (r.version >= 6 ? 15 : 11)) {
    return OFE.make("OFPBPC_BAD_TYPE", `${what}: async property type ${type} is not defined in OpenFlow 1.${r.version - 1}`)
  }
  if (length !== 8) return badLen(what, `async property ${type} has length ${length}, expected 8`)
  if ((present & (1 << type)) !== 0) return OFE.make("OFPBPC_DUP_TYPE", `${what}: async property ${type} appears twice`)
  present |= 1 << type
  masks[type] = r.u32()
  return null
}

const decodeProps = <T extends Config["_tag"]>(tag: T) => (r: Reader): Extract<Config, { _tag: T }> | OpenFlowError => {
  masks.fill(0)
  present = 0
  experimenters = []
  what = tag === "SetAsync" ? "SET_ASYNC" : "GET_ASYNC_REPLY"
  const error = decodeProperties(r, r.end, what, asyncProperty)
  if (OFE.isOpenFlowError(error)) return error
  const m: Record<string, unknown> = { _tag: tag }
  let omitted = 0
  for (let k = 0; k < maskFields.length; k++) {
    const slave = 2 * k
    const master = slave + 1
    const has = present & ((1 << slave) | (1 << master))
    // The three 1.3 kinds are always in the model; later ones only when sent.
    if (k >= 3 && has === 0) continue
    m[maskFields[k]!] = [masks[master]!, masks[slave]!] satisfies MaskPair
    omitted |= ((1 << slave) | (1 << master)) & ~has
  }
  if (experimenters.length > 0) m["experimenter"] = experimenters
  if (omitted !== 0) m["omitted"] = omitted
  return m as Extract<Config, { _tag: T }>
}

const encodeProps = (w: Writer, m: Config): undefined => {
  const omitted = m.omitted ?? 0
  for (let k = 0; k < maskFields.length; k++) {
    const pair = m[maskFields[k]!]
    if (pair === undefined) continue
    if (k >= 6 && w.version < 6) needsVersion(w, `async ${maskFields[k]}`, 6)
    for (const type of [2 * k, 2 * k + 1]) {
      if ((omitted & (1 << type)) !== 0) continue
      const at = begin(w, type)
      // Property 2k is the slave's (pair element 1), 2k + 1 the master's (element 0).
      w.u32(pair[(type & 1) === 0 ? 1 : 0])
      end(w, at, "async property")
    }
  }
  for (const p of m.experimenter ?? []) {
    const at = begin(w, p.slave ? EXPERIMENTER_SLAVE : EXPERIMENTER_MASTER)
    w.u32(p.experimenter)
    w.u32(p.expType)
    w.bytes(p.data)
    end(w, at, "async experimenter property")
  }
  return undefined
}

export const rows = [
  row<GetAsyncRequest>({
    tag: "GetAsyncRequest",
    type: 26,
    since: 4,
    minBody: 0,
    element: 0,
    decode: () => getAsync,
    encode: () => undefined
  }),
  row<GetAsyncReply>({
    tag: "GetAsyncReply",
    type: 27,
    since: 4,
    until: 4,
    minBody: 24,
    element: 0,
    decode: (r: Reader) => ({
      _tag: "GetAsyncReply",
      packetInMask: [r.u32(), r.u32()],
      portStatusMask: [r.u32(), r.u32()],
      flowRemovedMask: [r.u32(), r.u32()]
    }),
    encode
  }),
  row<SetAsync>({
    tag: "SetAsync",
    type: 28,
    since: 4,
    until: 4,
    minBody: 24,
    element: 0,
    decode: (r: Reader) => ({
      _tag: "SetAsync",
      packetInMask: [r.u32(), r.u32()],
      portStatusMask: [r.u32(), r.u32()],
      flowRemovedMask: [r.u32(), r.u32()]
    }),
    encode
  }),
  row<GetAsyncReply>({
    tag: "GetAsyncReply",
    type: 27,
    since: 5,
    minBody: 0,
    element: 8,
    decode: decodeProps("GetAsyncReply"),
    encode: encodeProps
  }),
  row<SetAsync>({
    tag: "SetAsync",
    type: 28,
    since: 5,
    minBody: 0,
    element: 8,
    decode: decodeProps("SetAsync"),
    encode: encodeProps
  })
]
