/**
 * Properties of the OpenFlow 1.0 codec over every message kind 1.0 has, generated from
 * the version-free Schemas: `decode(encode(m, 1.0))` gives `m` back for every value 1.0
 * can express.
 *
 * The Schemas generate values of every version. Each generated value is first projected
 * onto what 1.0 carries by the shared rules of `versions.ts` (later-version fields such as
 * a flow mod's `importance` dropped), then repaired into a value 1.0 can express by the
 * rules below, each of which is a documented limit of 1.0 (and a refusal of the encoder,
 * tested in `of10.test.ts`), never a tolerance: a match reduced to 1.0's fields with
 * prefix masks under their EtherType and protocol, actions reduced to 1.0's (set_queue
 * only before an output), ports renumbered into 1.0's 16 bits, fields 1.0 does not have
 * set to the value its decoding gives. A repaired value must still be a value of its
 * Schema, and enough generated flows keep a non-empty match and action list for the
 * property to mean something.
 */
import { describe, expect, it } from "@effect/vitest"
import { Match, Message, Port, Uint, Version } from "@switchyard/openflow"
import { Ipv4Address } from "@switchyard/packet"
import { Result, Schema } from "effect"
import { project } from "./versions.ts"

type Any = any

const OF10 = Version.OF10

/** A port number 1.0 can number: reserved ports and numbers below 0xff00 stay, others are folded below 0xff00. */
const port10 = (port: number): number => (Port.toOf10(port) === undefined ? port & 0xfeff : port)

const L2 = ["inPort", "ethDst", "ethSrc", "ethType", "vlanVid", "vlanPcp"] as const
const order = new Map(Match.fields.map((row) => [row.name, row.number]))

/** The prefix mask with as many leading ones as `mask` has ones (0: drop the field, 32: exact). */
const prefixOf = (mask: number | undefined): number => {
  if (mask === undefined) return 32
  let n = 0
  for (let m = mask >>> 0; m !== 0; m >>>= 1) n += m & 1
  return n
}

/** A valid 1.3 match reduced to one 1.0 expresses exactly, in the order 1.0 decoding gives. */
export const match10 = (match: Match.Match): Match.Match => {
  const by = new Map<string, Match.BasicField>()
  for (const f of match) if (f.field !== "opaque") by.set(f.field, f)
  const out: Array<Match.OxmField> = []
  const keep = (name: Match.FieldName, value: number, mask?: number) => out.push({ field: name, value, mask } as Match.OxmField)
  for (const name of L2) {
    const f = by.get(name)
    if (f === undefined) continue
    const value = f.value as number
    if (name === "inPort") keep(name, port10(value))
    else if (name === "vlanVid") {
      if (f.mask !== undefined && value === Match.VID_PRESENT && f.mask === Match.VID_PRESENT && by.has("vlanPcp")) {
        keep(name, value, f.mask as number)
      } else if (value === 0 && f.mask === undefined) keep(name, 0)
      else keep(name, (value & 0xfff) | Match.VID_PRESENT)
    } else if (name === "vlanPcp") {
      const vid = out.find((x) => x.field === "vlanVid")
      if (vid !== undefined && (vid as Match.BasicField).value !== 0) keep(name, value)
    } else keep(name, value)
  }
  const ethType = by.get("ethType")?.value
  const address = (name: Match.FieldName) => {
    const f = by.get(name)
    if (f === undefined) return
    const prefix = prefixOf(f.mask as number | undefined)
    if (prefix === 0) return
    if (prefix === 32) keep(name, f.value as number)
    else {
      const mask = Ipv4Address.prefixMask(prefix)
      keep(name, ((f.value as number) & mask) >>> 0, mask)
    }
  }
  const exactly = (name: Match.FieldName) => {
    const f = by.get(name)
    if (f !== undefined) keep(name, f.value as number)
  }
  if (ethType === 0x0800) {
    exactly("ipDscp")
    exactly("ipProto")
    address("ipv4Src")
    address("ipv4Dst")
    const proto = by.get("ipProto")?.value
    if (proto === 6) ["tcpSrc", "tcpDst"].forEach((n) => exactly(n as Match.FieldName))
    if (proto === 17) ["udpSrc", "udpDst"].forEach((n) => exactly(n as Match.FieldName))
    if (proto === 1) ["icmpv4Type", "icmpv4Code"].forEach((n) => exactly(n as Match.FieldName))
  } else if (ethType === 0x0806) {
    const op = by.get("arpOp")
    if (op !== undefined && (op.value as number) <= 0xff) keep("arpOp", op.value as number)
    address("arpSpa")
    address("arpTpa")
  }
  return out.sort((a, b) => order.get((a as Match.BasicField).field)! - order.get((b as Match.BasicField).field)!)
}

const isEnqueuePort = (port: number) => port <= Port.MAX || port === Port.IN_PORT || port === Port.LOCAL

/** An action list reduced to 1.0's actions; SET_TP_* take the field `ipProto` implies. */
export const actions10 = (actions: ReadonlyArray<Any>, ipProto: number): Array<Any> => {
  const out: Array<Any> = []
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i]
    switch (a._tag) {
      case "Output":
        out.push({ ...a, port: port10(a.port) })
        break
      case "SetQueue": {
        const next = actions[i + 1]
        if (next?._tag !== "Output") break
        const port = port10(next.port)
        out.push(a, { _tag: "Output", port: isEnqueuePort(port) ? port : port & 0xfeff, maxLen: 0 })
        i++
        break
      }
      case "PopVlan":
      case "ExperimenterAction":
        out.push(a)
        break
      case "SetField": {
        const f = a.field
        const value = f.value
        if (f.field === "vlanVid") out.push({ _tag: "SetField", field: { field: "vlanVid", value: (value & 0xfff) | 0x1000, mask: undefined } })
        else if (["vlanPcp", "ethSrc", "ethDst", "ipv4Src", "ipv4Dst", "ipDscp"].includes(f.field)) {
          out.push({ _tag: "SetField", field: { field: f.field, value, mask: undefined } })
        } else if (/^(tcp|udp|sctp)(Src|Dst)$/.test(f.field)) {
          const kind = ipProto === 17 ? "udp" : ipProto === 132 ? "sctp" : "tcp"
          out.push({ _tag: "SetField", field: { field: kind + f.field.replace(/^(tcp|udp|sctp)/, ""), value, mask: undefined } })
        }
        break
      }
      default:
        // A kind 1.0 does not have (group, MPLS, TTL, ...): an output in its place keeps
        // the list long enough to test something.
        out.push({ _tag: "Output", port: 1 + (i % 8), maxLen: 0 })
    }
  }
  return out
}

const ipProtoOf = (match: Match.Match): number => (Match.get(match, "ipProto") as number | undefined) ?? -1

/** Instructions reduced to 1.0's one action list (of all their action lists), none when empty. */
const instructions10 = (instructions: ReadonlyArray<Any>, match: Match.Match): Array<Any> => {
  const all = instructions.flatMap((i) => (i._tag === "ApplyActions" || i._tag === "WriteActions" ? i.actions : []))
  const actions = actions10(all, ipProtoOf(match))
  return actions.length === 0 ? [] : [{ _tag: "ApplyActions", actions }]
}

const portDesc10 = (p: Any): Any => {
  const { properties: _properties, ...rest } = p
  const features = (bits: number) => (bits & ~0x780) >>> 0
  return {
    ...rest,
    portNo: port10(p.portNo),
    curr: features(p.curr),
    advertised: features(p.advertised),
    supported: features(p.supported),
    peer: features(p.peer),
    currSpeed: 0,
    maxSpeed: 0
  }
}

const without = (o: Any, ...keys: ReadonlyArray<string>): Any => {
  const copy = { ...o }
  for (const k of keys) delete copy[k]
  return copy
}

/** What 1.0 decoding gives for the fields it does not have, and 1.0's limits on the others. */
const repairs: { readonly [tag: string]: (m: Any) => Any } = {
  Hello: (m) => ({ ...m, elements: [] }),
  Experimenter: (m) => ({ ...m, expType: 0 }),
  FeaturesReply: (m) => ({ ...m, auxiliaryId: 0, reserved: 0, actions: m.actions ?? 0, ports: (m.ports ?? []).map(portDesc10) }),
  PortStatus: (m) => ({ ...m, desc: portDesc10(m.desc) }),
  PortMod: (m) => ({ ...m, portNo: port10(m.portNo), advertise: (m.advertise & ~0x780) >>> 0 }),
  FlowMod: (m) => {
    const match = match10(m.match)
    return {
      ...without(m, "of10Wildcards"),
      cookieMask: 0n,
      outGroup: 0xffff_ffff,
      tableId: m.command >= 3 ? 0xff : 0,
      flags: m.flags & 3,
      outPort: port10(m.outPort),
      match,
      instructions: instructions10(m.instructions, match)
    }
  },
  PacketIn: (m) => ({
    ...m,
    tableId: 0,
    cookie: Uint.UINT64_MAX,
    match: [{ field: "inPort", value: port10((Match.get(m.match, "inPort") as number | undefined) ?? 1), mask: undefined }]
  }),
  PacketOut: (m) => ({ ...m, inPort: port10(m.inPort), actions: actions10(m.actions, -1) }),
  FlowRemoved: (m) => ({ ...m, tableId: 0, hardTimeout: 0, match: match10(m.match) }),
  AggregateStatsReply: (m) => without(m, "stats"),
  FlowStatsRequest: (m) => ({ ...m, outGroup: 0xffff_ffff, cookie: 0n, cookieMask: 0n, outPort: port10(m.outPort), match: match10(m.match) }),
  AggregateStatsRequest: (m) => ({ ...m, outGroup: 0xffff_ffff, cookie: 0n, cookieMask: 0n, outPort: port10(m.outPort), match: match10(m.match) }),
  FlowStatsReply: (m) => ({
    ...m,
    stats: m.stats.map((s: Any) => {
      const match = match10(s.match)
      return { ...without(s, "importance", "stats"), flags: 0, match, instructions: instructions10(s.instructions, match) }
    })
  }),
  TableStatsReply: (m) => ({
    ...m,
    stats: m.stats.map((s: Any) => ({ ...s, name: s.name ?? `table${s.tableId}`, wildcards: s.wildcards ?? s.activeCount, maxEntries: s.maxEntries ?? 0 }))
  }),
  PortStatsRequest: (m) => ({ ...m, portNo: port10(m.portNo) }),
  PortStatsReply: (m) => ({ ...m, stats: m.stats.map((s: Any) => ({ ...s, portNo: port10(s.portNo), durationSec: 0, durationNsec: 0 })) }),
  QueueStatsRequest: (m) => ({ ...m, portNo: m.portNo === Port.ALL ? Port.ANY : port10(m.portNo) }),
  QueueStatsReply: (m) => ({ ...m, stats: m.stats.map((s: Any) => ({ ...s, portNo: port10(s.portNo), durationSec: 0, durationNsec: 0 })) }),
  ExperimenterMultipartRequest: (m) => ({ ...m, expType: 0 }),
  ExperimenterMultipartReply: (m) => ({ ...m, expType: 0 }),
  QueueGetConfigRequest: (m) => ({ ...m, port: port10(m.port) }),
  QueueGetConfigReply: (m) => {
    const port = port10(m.port)
    return { ...m, port, queues: m.queues.map((q: Any) => ({ ...q, port })) }
  }
}

/** `m` as a value OpenFlow 1.0 expresses. */
export const repair10 = <M extends Message.Message>(m: M): M => {
  const projected = project(m, OF10)
  return (repairs[projected._tag]?.(projected) ?? projected) as M
}

const tagOf = (member: Schema.Top): string =>
  (member as unknown as { readonly fields: { readonly _tag: { readonly ast: { readonly literal: string } } } }).fields._tag.ast.literal

const kinds = Message.Message.members
  .map((schema) => ({ tag: tagOf(schema), schema: schema as Schema.Codec<Message.Message> }))
  .filter(({ tag }) => Message.isEncodable(tag as Message.Tag, OF10))

/** Byte fields compare by content; `-0` and `0` are the same wire value. */
const canonical = (value: unknown): unknown => {
  if (Object.is(value, -0)) return 0
  if (Array.isArray(value)) return value.map(canonical)
  if (value instanceof Uint8Array) return Array.from(value)
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = canonical(v)
    return out
  }
  return value
}

const runs = {
  arbitrary: {
    runs: Number(process.env["SWITCHYARD_PROPERTY_RUNS"] ?? 150),
    seed: Number(process.env["SWITCHYARD_PROPERTY_SEED"] ?? 10)
  },
  timeout: 120_000
}

const isMessage = Schema.is(Message.Message)

/** How many generated flow mods kept a non-empty match and a non-empty action list. */
const substance = { flowMods: 0, withMatch: 0, withActions: 0 }

describe("OpenFlow 1.0 kinds", () => {
  it("are the 1.0 message set: 34 kinds, every message and statistics type of OpenFlow 1.0.0", () => {
    expect(kinds.map((k) => k.tag).sort()).toEqual([
      "AggregateStatsReply",
      "AggregateStatsRequest",
      "BarrierReply",
      "BarrierRequest",
      "DescReply",
      "DescRequest",
      "EchoReply",
      "EchoRequest",
      "ErrorMsg",
      "Experimenter",
      "ExperimenterMultipartReply",
      "ExperimenterMultipartRequest",
      "FeaturesReply",
      "FeaturesRequest",
      "FlowMod",
      "FlowRemoved",
      "FlowStatsReply",
      "FlowStatsRequest",
      "GetConfigReply",
      "GetConfigRequest",
      "Hello",
      "PacketIn",
      "PacketOut",
      "PortMod",
      "PortStatsReply",
      "PortStatsRequest",
      "PortStatus",
      "QueueGetConfigReply",
      "QueueGetConfigRequest",
      "QueueStatsReply",
      "QueueStatsRequest",
      "SetConfig",
      "TableStatsReply",
      "TableStatsRequest"
    ])
  })
})

describe("OpenFlow 1.0 wire round trip: encode then decode gives the value back", () => {
  for (const { schema, tag } of kinds) {
    it.prop(tag, [schema, Uint.Uint32], ([generated, xid]) => {
      const m = repair10(generated)
      expect(isMessage(m), "the repaired value is a value of its Schema").toBe(true)
      if (m._tag === "FlowMod") {
        substance.flowMods++
        if (m.match.length > 0) substance.withMatch++
        if (m.instructions.length > 0) substance.withActions++
      }
      const encoded = Message.encode(m, { version: OF10, xid })
      if (Result.isFailure(encoded)) throw new Error(`1.0 refuses a ${tag} it should express: ${encoded.failure.toLine()}`)
      const bytes = encoded.success
      expect(bytes[0]).toBe(OF10)
      expect((bytes[2]! << 8) | bytes[3]!, "header length").toBe(bytes.length)
      const decoded = Message.decode(bytes)
      if (Result.isFailure(decoded)) throw new Error(`${tag} encodes to 1.0 bytes that do not decode: ${decoded.failure.toLine()}`)
      expect(decoded.success.version).toBe(OF10)
      expect(decoded.success.xid).toBe(xid)
      expect(canonical(decoded.success.message)).toEqual(canonical(m))
    }, runs)
  }

  it("generated flow mods kept enough of their match and actions to test something", () => {
    expect(substance.flowMods).toBeGreaterThan(0)
    expect(substance.withMatch / substance.flowMods).toBeGreaterThan(0.25)
    expect(substance.withActions / substance.flowMods).toBeGreaterThan(0.25)
  })
})
