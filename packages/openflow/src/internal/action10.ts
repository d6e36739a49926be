/**
 * OpenFlow 1.0's action list (OpenFlow 1.0.0 §5.2.4), converted to and from the
 * version-free {@link Action} values, as the `OFPAT10_*` half of Open vSwitch's
 * `lib/ofp-actions.c` does.
 *
 * 1.0 predates set-field and push/pop: it rewrites each header field with an action of
 * its own, strips a VLAN tag rather than popping it, and has ENQUEUE (output to a port's
 * queue) where 1.1+ has SET_QUEUE followed by OUTPUT. The mapping, both ways:
 *
 * | OpenFlow 1.0 | model |
 * |---|---|
 * | OUTPUT | `Output` (16-bit port folded into the 32-bit space) |
 * | SET_VLAN_VID v | `SetField(vlanVid = 0x1000 \| v)` |
 * | SET_VLAN_PCP | `SetField(vlanPcp)` |
 * | STRIP_VLAN | `PopVlan` |
 * | SET_DL_SRC / SET_DL_DST | `SetField(ethSrc / ethDst)` |
 * | SET_NW_SRC / SET_NW_DST | `SetField(ipv4Src / ipv4Dst)` |
 * | SET_NW_TOS t | `SetField(ipDscp = t >> 2)` |
 * | SET_TP_SRC / SET_TP_DST | `SetField(tcpSrc / tcpDst)`, or `udp*` / `sctp*` when the flow's match says so |
 * | ENQUEUE p q | `SetQueue(q)` immediately followed by `Output(p)` |
 * | VENDOR | `ExperimenterAction` (byte for byte) |
 *
 * Everything else (MPLS, TTL, groups, PBB, push_vlan, set-field of other fields, masked
 * set-field) has no 1.0 form and is refused with OFPBAC_BAD_TYPE, or OFPBAC_BAD_ARGUMENT
 * for a value 1.0 cannot carry. Decoding errors use codes 1.0 has (OFPBAC_BAD_TYPE,
 * BAD_LEN, BAD_OUT_PORT, BAD_ARGUMENT).
 *
 * Two 1.0 actions are protocol-agnostic where the model is not. SET_TP_SRC/DST rewrite
 * whichever transport port the packet has; they decode to the TCP, UDP or SCTP field the
 * flow's match fixes (`ip_proto`), TCP when it fixes none (as Open vSwitch assumes), and
 * any of the three encodes to them. SET_VLAN_VID also pushes a tag onto an untagged
 * packet, which 1.1+'s set-field does not do: on a tagged packet both mean the same.
 */
import type { Action } from "../Action.ts"
import * as OFE from "../OpenFlowError.ts"
import type { ErrorName, OpenFlowError } from "../OpenFlowError.ts"
import { fromOf10, toOf10 } from "../Port.ts"
import type { Reader } from "./reader.ts"
import type { Writer } from "./writer.ts"

/** Action type numbers of OpenFlow 1.0 (`OFPAT10_*`). */
export const OFPAT10 = {
  OUTPUT: 0,
  SET_VLAN_VID: 1,
  SET_VLAN_PCP: 2,
  STRIP_VLAN: 3,
  SET_DL_SRC: 4,
  SET_DL_DST: 5,
  SET_NW_SRC: 6,
  SET_NW_DST: 7,
  SET_NW_TOS: 8,
  SET_TP_SRC: 9,
  SET_TP_DST: 10,
  ENQUEUE: 11,
  VENDOR: 0xffff
} as const

/** The exact length of each fixed-size 1.0 action, by type. */
const LENGTH: ReadonlyArray<number> = [8, 8, 8, 8, 16, 16, 8, 8, 8, 8, 8, 16]

const NAME: ReadonlyArray<string> = [
  "OUTPUT",
  "SET_VLAN_VID",
  "SET_VLAN_PCP",
  "STRIP_VLAN",
  "SET_DL_SRC",
  "SET_DL_DST",
  "SET_NW_SRC",
  "SET_NW_DST",
  "SET_NW_TOS",
  "SET_TP_SRC",
  "SET_TP_DST",
  "ENQUEUE"
]

const VID_PRESENT = 0x1000
const PORT_MAX = 0xffff_ff00
const PORT_IN_PORT = 0xffff_fff8
const PORT_LOCAL = 0xffff_fffe

const bad = (name: ErrorName, message: string): OpenFlowError => OFE.make(name, message)

/** The reserved-port range no action may output to (0xffffff01..0xfffffff7) and ANY, as in 1.1+. */
const isBadOutPort = (port: number): boolean => (port > PORT_MAX && port < PORT_IN_PORT) || port === 0xffff_ffff

/** ENQUEUE goes to a real port, the input port or LOCAL (Open vSwitch's check). */
const isEnqueuePort = (port: number): boolean => port <= PORT_MAX || port === PORT_IN_PORT || port === PORT_LOCAL

const hex = (n: number): string => `0x${n.toString(16)}`

/** The transport set-field a SET_TP_* becomes under a match fixing `ipProto` (-1: none). */
const l4Field = (ipProto: number, src: boolean): "tcpSrc" | "tcpDst" | "udpSrc" | "udpDst" | "sctpSrc" | "sctpDst" =>
  ipProto === 17 ? (src ? "udpSrc" : "udpDst") : ipProto === 132 ? (src ? "sctpSrc" : "sctpDst") : src ? "tcpSrc" : "tcpDst"

const setField = (name: string, value: number): Action =>
  ({ _tag: "SetField", field: { field: name, value, mask: undefined } }) as Action

/**
 * Decodes a 1.0 action list of exactly `length` bytes at `r.pos`. `ipProto` is what the
 * flow's match fixes (-1 for none, and for a PACKET_OUT), which decides the field of a
 * SET_TP_SRC/DST. An ENQUEUE yields two actions. On success the reader is past the list.
 */
export const decodeActions10 = (r: Reader, length: number, ipProto: number): ReadonlyArray<Action> | OpenFlowError => {
  if (!r.has(length)) {
    return bad("OFPBAC_BAD_LEN", `action list of ${length} bytes exceeds the ${r.remaining()} bytes left in the message`)
  }
  const end = r.pos + length
  const actions: Array<Action> = []
  while (r.pos < end) {
    const left = end - r.pos
    if (left < 8) return bad("OFPBAC_BAD_LEN", `${left} bytes left at the end of the action list, too short for an action`)
    const type = r.u16()
    const len = r.u16()
    if (len < 8 || (len & 7) !== 0) {
      return bad("OFPBAC_BAD_LEN", `action of type ${type} has length ${len}, not a multiple of 8 of at least 8`)
    }
    if (len > left) return bad("OFPBAC_BAD_LEN", `action of type ${type} has length ${len} but only ${left} bytes remain in the list`)
    if (type === OFPAT10.VENDOR) {
      const vendor = r.u32()
      actions.push({ _tag: "ExperimenterAction", experimenter: vendor, data: r.bytesView(len - 8) })
      continue
    }
    const expected = LENGTH[type]
    if (expected === undefined) return bad("OFPBAC_BAD_TYPE", `unknown OpenFlow 1.0 action type ${type}`)
    if (len !== expected) return bad("OFPBAC_BAD_LEN", `${NAME[type]} action has length ${len}, expected ${expected}`)
    switch (type) {
      case OFPAT10.OUTPUT: {
        const port = fromOf10(r.u16())
        const maxLen = r.u16()
        if (isBadOutPort(port)) return bad("OFPBAC_BAD_OUT_PORT", `output port ${hex(port - 0xffff_0000)} is not a port an action may use`)
        actions.push({ _tag: "Output", port, maxLen })
        break
      }
      case OFPAT10.SET_VLAN_VID: {
        const vid = r.u16()
        r.skip(2)
        if (vid > 0xfff) return bad("OFPBAC_BAD_ARGUMENT", `SET_VLAN_VID ${hex(vid)} does not fit the 12-bit VLAN id`)
        actions.push(setField("vlanVid", VID_PRESENT | vid))
        break
      }
      case OFPAT10.SET_VLAN_PCP: {
        const pcp = r.u8()
        r.skip(3)
        if (pcp > 7) return bad("OFPBAC_BAD_ARGUMENT", `SET_VLAN_PCP ${pcp} does not fit the 3-bit priority`)
        actions.push(setField("vlanPcp", pcp))
        break
      }
      case OFPAT10.STRIP_VLAN:
        r.skip(4)
        actions.push({ _tag: "PopVlan" })
        break
      case OFPAT10.SET_DL_SRC:
      case OFPAT10.SET_DL_DST: {
        const mac = r.u48()
        r.skip(6)
        actions.push(setField(type === OFPAT10.SET_DL_SRC ? "ethSrc" : "ethDst", mac))
        break
      }
      case OFPAT10.SET_NW_SRC:
      case OFPAT10.SET_NW_DST:
        actions.push(setField(type === OFPAT10.SET_NW_SRC ? "ipv4Src" : "ipv4Dst", r.u32()))
        break
      case OFPAT10.SET_NW_TOS: {
        const tos = r.u8()
        r.skip(3)
        // §5.2.4: the value is the DSCP in the upper six bits; the ECN bits must be 0.
        if ((tos & 3) !== 0) return bad("OFPBAC_BAD_ARGUMENT", `SET_NW_TOS ${hex(tos)} sets the ECN bits, which 1.0 leaves alone`)
        actions.push(setField("ipDscp", tos >>> 2))
        break
      }
      case OFPAT10.SET_TP_SRC:
      case OFPAT10.SET_TP_DST: {
        const port = r.u16()
        r.skip(2)
        actions.push(setField(l4Field(ipProto, type === OFPAT10.SET_TP_SRC), port))
        break
      }
      default: {
        // ENQUEUE, the only type left.
        const port = fromOf10(r.u16())
        r.skip(6)
        const queueId = r.u32()
        if (!isEnqueuePort(port)) return bad("OFPBAC_BAD_OUT_PORT", `ENQUEUE port ${hex(port)} is not a port, IN_PORT or LOCAL`)
        actions.push({ _tag: "SetQueue", queueId }, { _tag: "Output", port, maxLen: 0 })
      }
    }
  }
  return actions
}

const fixed8 = (w: Writer, type: number): void => {
  w.u16(type)
  w.u16(8)
}

/** Writes OUTPUT or ENQUEUE's port, refusing one 1.0 cannot number. */
const port10 = (port: number, what: string): number | OpenFlowError => {
  const wire = toOf10(port)
  return wire === undefined ? bad("OFPBAC_BAD_OUT_PORT", `${what} port ${hex(Number(port))} has no OpenFlow 1.0 number`) : wire
}

const encodeSetField = (w: Writer, a: Extract<Action, { _tag: "SetField" }>): OpenFlowError | undefined => {
  const f = a.field
  if (f.field === "opaque") {
    return bad("OFPBAC_BAD_TYPE", `OpenFlow 1.0 cannot set OXM class ${hex(f.oxmClass)} field ${f.oxmField}`)
  }
  if (f.mask !== undefined) return bad("OFPBAC_BAD_ARGUMENT", `OpenFlow 1.0 cannot set ${f.field} under a mask`)
  const value = f.value as number
  switch (f.field) {
    case "vlanVid":
      if ((value & VID_PRESENT) === 0 || value > 0x1fff) {
        return bad(
          "OFPBAC_BAD_ARGUMENT",
          `set_field vlan_vid ${hex(value)} needs OFPVID_PRESENT (0x1000) and a 12-bit id to become OpenFlow 1.0's SET_VLAN_VID`
        )
      }
      fixed8(w, OFPAT10.SET_VLAN_VID)
      w.u16(value & 0xfff)
      w.zeros(2)
      return undefined
    case "vlanPcp":
      if (value > 7) return bad("OFPBAC_BAD_ARGUMENT", `set_field vlan_pcp ${value} does not fit 3 bits`)
      fixed8(w, OFPAT10.SET_VLAN_PCP)
      w.u8(value)
      w.zeros(3)
      return undefined
    case "ethSrc":
    case "ethDst":
      w.u16(f.field === "ethSrc" ? OFPAT10.SET_DL_SRC : OFPAT10.SET_DL_DST)
      w.u16(16)
      w.u48(value)
      w.zeros(6)
      return undefined
    case "ipv4Src":
    case "ipv4Dst":
      fixed8(w, f.field === "ipv4Src" ? OFPAT10.SET_NW_SRC : OFPAT10.SET_NW_DST)
      w.u32(value)
      return undefined
    case "ipDscp":
      if (value > 63) return bad("OFPBAC_BAD_ARGUMENT", `set_field ip_dscp ${value} does not fit 6 bits`)
      fixed8(w, OFPAT10.SET_NW_TOS)
      w.u8(value << 2)
      w.zeros(3)
      return undefined
    case "tcpSrc":
    case "udpSrc":
    case "sctpSrc":
    case "tcpDst":
    case "udpDst":
    case "sctpDst":
      fixed8(w, f.field.endsWith("Src") ? OFPAT10.SET_TP_SRC : OFPAT10.SET_TP_DST)
      w.u16(value)
      w.zeros(2)
      return undefined
    default:
      return bad("OFPBAC_BAD_TYPE", `OpenFlow 1.0 has no action that sets ${f.field}`)
  }
}

/**
 * Appends `actions` as a 1.0 action list; fails with the error that says why an action
 * has no 1.0 form (see the module comment). The caller computes the list length from
 * the writer position.
 */
export const encodeActions10 = (w: Writer, actions: ReadonlyArray<Action>): OpenFlowError | undefined => {
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i]!
    switch (a._tag) {
      case "Output": {
        if (isBadOutPort(a.port)) return bad("OFPBAC_BAD_OUT_PORT", `output port ${hex(Number(a.port))} is not a port an action may use`)
        const port = port10(a.port, "output")
        if (typeof port !== "number") return port
        fixed8(w, OFPAT10.OUTPUT)
        w.u16(port)
        w.u16(a.maxLen)
        break
      }
      case "SetQueue": {
        const next = actions[i + 1]
        if (next === undefined || next._tag !== "Output") {
          return bad(
            "OFPBAC_BAD_TYPE",
            "OpenFlow 1.0 has no set_queue action: only set_queue immediately followed by output, which becomes ENQUEUE"
          )
        }
        if (!isEnqueuePort(next.port)) {
          return bad("OFPBAC_BAD_OUT_PORT", `ENQUEUE (set_queue, output) to ${hex(Number(next.port))}: 1.0 enqueues only to a port, IN_PORT or LOCAL`)
        }
        if (next.maxLen !== 0) {
          return bad("OFPBAC_BAD_ARGUMENT", `the output after set_queue has maxLen ${next.maxLen}; OpenFlow 1.0's ENQUEUE has none (use 0)`)
        }
        const port = port10(next.port, "ENQUEUE")
        if (typeof port !== "number") return port
        w.u16(OFPAT10.ENQUEUE)
        w.u16(16)
        w.u16(port)
        w.zeros(6)
        w.u32(a.queueId)
        i++
        break
      }
      case "PopVlan":
        fixed8(w, OFPAT10.STRIP_VLAN)
        w.zeros(4)
        break
      case "SetField": {
        const error = encodeSetField(w, a)
        if (error !== undefined) return error
        break
      }
      case "ExperimenterAction": {
        const length = 8 + a.data.length
        if ((length & 7) !== 0 || length > 0xfff8) {
          return bad("OFPBAC_BAD_LEN", `vendor action of ${length} bytes is not a multiple of 8 up to 65528`)
        }
        w.u16(OFPAT10.VENDOR)
        w.u16(length)
        w.u32(a.experimenter)
        w.bytes(a.data)
        break
      }
      case "PushVlan":
        return bad(
          "OFPBAC_BAD_TYPE",
          "OpenFlow 1.0 has no push_vlan: its SET_VLAN_VID (set_field vlan_vid) tags an untagged packet by itself"
        )
      default:
        return bad("OFPBAC_BAD_TYPE", `action ${a._tag} does not exist in OpenFlow 1.0`)
    }
  }
  return undefined
}
