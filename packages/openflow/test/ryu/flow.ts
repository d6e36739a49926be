/**
 * Ryu mappings of the flow family's building blocks (matches, actions, instructions) and
 * messages (FLOW_MOD, PACKET_IN, PACKET_OUT, FLOW_REMOVED, GROUP_MOD).
 *
 * Ryu names:
 * - A match is `OFPMatch { type: 1, oxm_fields }`, each field `OXMTlv { field, value,
 *   mask }` with the spec's snake_case name (our `Match.oxmName`), addresses as text and
 *   `mask: null` when unmasked. Ryu also names some non-OpenFlow-basic fields; we keep
 *   those opaque, so {@link opaqueOxm} decodes their payload here, in the test, for the
 *   classes the vectors use (Nicira NXM_0/NXM_1 and the ONF experimenter's `pbb_uca`).
 * - Actions are `OFPAction<Kind>` with their `type` number; set-field is
 *   `OFPActionSetField { field: OXMTlv }`; an experimenter action we keep opaque is
 *   `OFPActionExperimenterUnknown { experimenter, data }` unless it is Nicira's, which
 *   Ryu decodes (`NXAction*`, mapped in `nicira.ts`).
 * - Instructions are `OFPInstructionGotoTable`, `OFPInstructionWriteMetadata`,
 *   `OFPInstructionActions` (write, apply and clear alike, told apart by `type`) and
 *   `OFPInstructionMeter`.
 */
import type { Action, GroupMod, Instruction, Match, Message } from "@switchyard/openflow"
import { Match as M } from "@switchyard/openflow"
import { Ipv4Address } from "@switchyard/packet"
import { actionsLength } from "../../src/internal/action.ts"
import { base64, fields, ipv4, ipv6, mac, wrap, type Json, type RyuObject } from "./common.ts"
import { canonicalFlow } from "../../src/internal/stats.ts"
import { nicira } from "./nicira.ts"
import { experimenterProperty, unknownProperty } from "./properties.ts"
import { stats } from "./stats.ts"
import { oxmId } from "./tableFeatures.ts"

type Of<T extends Message.Tag> = Message.Of<T>

const kindOf = new Map(M.fields.map((row) => [row.name, row.kind]))

/** A basic field's value (or mask) as Ryu prints it. */
const basicValue = (name: Match.FieldName, value: number | bigint): Json => {
  switch (kindOf.get(name)) {
    case "mac":
      return mac(value as number)
    case "ipv4":
      return ipv4(value as number)
    case "ipv6":
      return ipv6(value as bigint)
    default:
      return value
  }
}

const be = (bytes: Uint8Array): number | bigint => {
  let v = 0n
  for (const b of bytes) v = (v << 8n) | BigInt(b)
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v
}

/** Ryu's names of the Nicira NXM_1 fields that appear in the vectors. */
const nxm1: Record<number, { readonly name: string; readonly ipv4?: true }> = {
  31: { name: "tun_ipv4_src", ipv4: true },
  32: { name: "tun_ipv4_dst", ipv4: true },
  33: { name: "pkt_mark" },
  37: { name: "conj_id" },
  105: { name: "ct_state" },
  106: { name: "ct_zone" },
  107: { name: "ct_mark" }
}
for (let i = 0; i < 16; i++) nxm1[i] = { name: `reg${i}` }

const ONF = 0x4f4e_4600

/**
 * An opaque OXM field as Ryu decodes it: name, value and mask taken from the payload in
 * the layout of its class. Throws (failing the test) for a class the vectors do not use.
 */
export const opaqueOxm = (f: Match.OpaqueOxm): { readonly field: string; readonly value: Json; readonly mask: Json } => {
  const split = (payload: Uint8Array, toJson: (b: Uint8Array) => Json) => {
    if (!f.hasMask) return { value: toJson(payload), mask: null }
    const half = payload.length / 2
    return { value: toJson(payload.subarray(0, half)), mask: toJson(payload.subarray(half)) }
  }
  if (f.oxmClass === M.NXM_1 && nxm1[f.oxmField] !== undefined) {
    const { ipv4: isIpv4, name } = nxm1[f.oxmField]!
    return { field: name, ...split(f.payload, (b) => isIpv4 ? Ipv4Address.format(be(b) as number) : be(b)) }
  }
  if (f.oxmClass === M.EXPERIMENTER) {
    const experimenter = be(f.payload.subarray(0, 4))
    const expType = be(f.payload.subarray(4, 6))
    // ONF's OpenFlow 1.3 extension 256 carries PBB_UCA as ONF experimenter type 2560.
    if (experimenter === ONF && expType === 2560 && !f.hasMask) return { field: "pbb_uca", value: be(f.payload.subarray(6)), mask: null }
  }
  throw new Error(`ryu mapping: no Ryu name for OXM class 0x${f.oxmClass.toString(16)} field ${f.oxmField}`)
}

/** `OXMTlv { field, value, mask }`. */
export const oxm = (f: Match.OxmField): RyuObject => {
  if (f.field === "opaque") return wrap("OXMTlv", opaqueOxm(f))
  const value = f.value as number | bigint
  const mask = f.mask as number | bigint | undefined
  return wrap("OXMTlv", {
    field: M.oxmName(f.field),
    value: basicValue(f.field, value),
    mask: mask === undefined ? null : basicValue(f.field, mask)
  })
}

/** `OFPMatch { type: 1, oxm_fields }`. */
export const match = (m: Match.Match): RyuObject => wrap("OFPMatch", { type: 1, oxm_fields: m.map(oxm) })

const ACTION_TYPE: Record<Action.Tag, number> = {
  Output: 0,
  CopyTtlOut: 11,
  CopyTtlIn: 12,
  SetMplsTtl: 15,
  DecMplsTtl: 16,
  PushVlan: 17,
  PopVlan: 18,
  PushMpls: 19,
  PopMpls: 20,
  SetQueue: 21,
  Group: 22,
  SetNwTtl: 23,
  DecNwTtl: 24,
  SetField: 25,
  PushPbb: 26,
  PopPbb: 27,
  CopyField: 28,
  MeterAction: 29,
  ExperimenterAction: 0xffff
}

const NICIRA = 0x2320

/** One action as Ryu shows it. */
export const action = (a: Action.Action): RyuObject => {
  const type = ACTION_TYPE[a._tag]
  switch (a._tag) {
    case "SetField":
      return wrap("OFPActionSetField", { type, field: oxm(a.field) })
    case "ExperimenterAction":
      if (a.experimenter === NICIRA) return nicira(a.data)
      return wrap("OFPActionExperimenterUnknown", { type, experimenter: a.experimenter, data: base64(a.data) })
    // OpenFlow 1.5's meter and copy-field actions: no vector has one; these are the shapes
    // of Ryu's JSON-only 1.5 ofctl fixtures.
    case "MeterAction":
      return wrap("OFPActionMeter", { type, meter_id: a.meterId })
    case "CopyField":
      return wrap("OFPActionCopyField", {
        type,
        n_bits: a.nBits,
        src_offset: a.srcOffset,
        dst_offset: a.dstOffset,
        oxm_ids: [oxmId(a.src), oxmId(a.dst)]
      })
    default:
      return wrap(`OFPAction${a._tag}`, { type, ...fields(a) })
  }
}

/** One instruction as Ryu shows it. */
export const instruction = (i: Instruction.Instruction): RyuObject => {
  switch (i._tag) {
    case "GotoTable":
      return wrap("OFPInstructionGotoTable", { type: 1, table_id: i.tableId })
    case "WriteMetadata":
      return wrap("OFPInstructionWriteMetadata", { type: 2, metadata: i.metadata, metadata_mask: i.metadataMask })
    case "WriteActions":
      return wrap("OFPInstructionActions", { type: 3, actions: i.actions.map(action) })
    case "ApplyActions":
      return wrap("OFPInstructionActions", { type: 4, actions: i.actions.map(action) })
    case "ClearActions":
      return wrap("OFPInstructionActions", { type: 5, actions: [] })
    case "Meter":
      return wrap("OFPInstructionMeter", { type: 6, meter_id: i.meterId })
    case "StatTrigger":
      // No vector has one; this is the shape of Ryu 1.5's OFPInstructionStatTrigger.
      return wrap("OFPInstructionStatTrigger", { type: 7, flags: i.flags, thresholds: stats(i.thresholds) })
    case "ExperimenterInstruction":
      // No vector has one; this is the shape of Ryu's OFPInstructionExperimenter... with data.
      return wrap("OFPInstructionExperimenter", { type: 0xffff, experimenter: i.experimenter, data: base64(i.data) })
  }
}

/** `OFPBucket { weight, watch_port, watch_group, actions }`, shared with GROUP_DESC. */
export const bucket = (b: GroupMod.Bucket): RyuObject =>
  wrap("OFPBucket", { weight: b.weight, watch_port: b.watchPort, watch_group: b.watchGroup, actions: b.actions.map(action) })

/**
 * The properties a 1.5 bucket is sent with: weight for SELECT groups and when not 0,
 * watches when not ANY (the encoder's rule), then the others, as Ryu 1.5 shows them.
 */
const bucketProperties = (b: GroupMod.Bucket, groupType: number): Array<RyuObject> => [
  ...(groupType === 1 || b.weight !== 0 ? [wrap("OFPGroupBucketPropWeight", { type: 0, weight: b.weight })] : []),
  ...(b.watchPort !== 0xffff_ffff ? [wrap("OFPGroupBucketPropWatch", { type: 1, watch: b.watchPort })] : []),
  ...(b.watchGroup !== 0xffff_ffff ? [wrap("OFPGroupBucketPropWatch", { type: 2, watch: b.watchGroup })] : []),
  ...(b.properties ?? []).map((p) => p._tag === "ExperimenterProperty" ? experimenterProperty("OFPGroupBucketPropExperimenter", p) : unknownProperty(p))
]

/** The size of a 1.5 bucket on the wire: 8-byte header, actions, properties. */
const bucketSize = (b: GroupMod.Bucket, groupType: number): number => {
  let n = 8 + actionsLength(b.actions)
  if (groupType === 1 || b.weight !== 0) n += 8
  if (b.watchPort !== 0xffff_ffff) n += 8
  if (b.watchGroup !== 0xffff_ffff) n += 8
  for (const p of b.properties ?? []) n += (p._tag === "ExperimenterProperty" ? 12 + p.data.length + 7 : 4 + p.data.length + 7) & ~7
  return n
}

/** `OFPBucket` of OpenFlow 1.5: `bucket_id`, the actions and properties; Ryu keeps `action_array_len`. */
export const bucket15 = (b: GroupMod.Bucket, i: number, groupType: number): RyuObject =>
  wrap("OFPBucket", {
    bucket_id: b.bucketId ?? i,
    action_array_len: actionsLength(b.actions),
    actions: b.actions.map(action),
    properties: bucketProperties(b, groupType)
  })

/** Ryu's `bucket_array_len` of a 1.5 bucket list. */
export const bucketArrayLength = (buckets: ReadonlyArray<GroupMod.Bucket>, groupType: number): number =>
  buckets.reduce((n, b) => n + bucketSize(b, groupType), 0)

/** A 1.5 group property (GROUP_MOD, GROUP_DESC). */
export const groupProperty = (p: GroupMod.GroupProperty): RyuObject =>
  p._tag === "ExperimenterProperty" ? experimenterProperty("OFPGroupPropExperimenter", p) : unknownProperty(p)

/**
 * Mappings of the flow family's messages. Ryu spells our `groupType` `type`, and shows a
 * PACKET_OUT's computed `actions_len` (a length, but not named `len`, so kept).
 */
export const flow = {
  // From OpenFlow 1.4 Ryu shows `importance` (0 when we leave it out).
  FlowMod: (m: Of<"FlowMod">, version: number) =>
    wrap("OFPFlowMod", {
      ...fields(m, { convert: { match: (x) => match(x), instructions: (list) => list.map(instruction) } }),
      ...(version >= 5 ? { importance: m.importance ?? 0 } : {})
    }),
  PacketIn: (m: Of<"PacketIn">) => wrap("OFPPacketIn", fields(m, { convert: { match: (x) => match(x) } })),
  // OpenFlow 1.5's packet-out has no `in_port`: Ryu shows the match, `in_port` first.
  PacketOut: (m: Of<"PacketOut">, version: number) =>
    version >= 6
      ? wrap("OFPPacketOut", {
        ...fields(m, { omit: ["inPort", "match"], convert: { actions: (list) => list.map(action) } }),
        actions_len: actionsLength(m.actions),
        match: match([{ field: "inPort", value: m.inPort, mask: undefined }, ...(m.match ?? [])])
      })
      : wrap("OFPPacketOut", {
        ...fields(m, { convert: { actions: (list) => list.map(action) } }),
        actions_len: actionsLength(m.actions)
      }),
  // OpenFlow 1.5's FLOW_REMOVED has no fixed counters: Ryu shows the OXS list, which is
  // `stats` when we kept it and otherwise the canonical list the fixed counters imply.
  FlowRemoved: (m: Of<"FlowRemoved">, version: number) =>
    version >= 6
      ? wrap("OFPFlowRemoved", {
        ...fields(m, {
          omit: ["durationSec", "durationNsec", "packetCount", "byteCount", "stats"],
          convert: { match: (x) => match(x) }
        }),
        stats: stats(m.stats ?? canonicalFlow(m))
      })
      : wrap("OFPFlowRemoved", fields(m, { convert: { match: (x) => match(x) } })),
  // OpenFlow 1.5's GROUP_MOD: buckets with ids and properties, `command_bucket_id`
  // (OFPG_BUCKET_ALL when we leave it out) and group properties.
  GroupMod: (m: Of<"GroupMod">, version: number) =>
    version < 6
      ? wrap("OFPGroupMod", fields(m, { rename: { groupType: "type" }, convert: { buckets: (list) => list.map(bucket) } }))
      : wrap("OFPGroupMod", {
        command: m.command,
        type: m.groupType,
        group_id: m.groupId,
        bucket_array_len: bucketArrayLength(m.buckets, m.groupType),
        command_bucket_id: m.commandBucketId ?? 0xffff_ffff,
        buckets: m.buckets.map((b, i) => bucket15(b, i, m.groupType)),
        properties: (m.properties ?? []).map(groupProperty)
      })
}

/**
 * Ryu's JSON with every `data` that Ryu wrote as a decoded packet (`{"Packet":
 * {"protocols": [...]}}`) replaced by the base64 of its bytes, so it compares with our
 * byte view. Ryu's PACKET_OUT vector built with its packet library has one: that JSON is
 * the input of Ryu's serializer test. The bytes are laid out from Ryu's fields exactly,
 * checksums included as given, for the protocols that occur there (Ethernet, IPv4 without
 * options, ICMP echo); any other protocol throws.
 */
export const withPacketBytes = (json: unknown): unknown => {
  if (Array.isArray(json)) return json.map(withPacketBytes)
  if (json === null || typeof json !== "object") return json
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(json)) {
    const packet = key === "data" && value !== null && typeof value === "object" ? (value as { Packet?: { protocols: ReadonlyArray<object> } }).Packet : undefined
    out[key] = packet === undefined ? withPacketBytes(value) : base64(packetBytes(packet.protocols))
  }
  return out
}

const packetBytes = (protocols: ReadonlyArray<object>): Uint8Array => {
  const out: Array<number> = []
  const u16 = (v: number) => out.push(v >> 8, v & 0xff)
  const addr = (text: string, sep: string, radix: number) => out.push(...text.split(sep).map((x) => parseInt(x, radix)))
  for (const p of protocols) {
    const [name, f] = Object.entries(p)[0] as [string, Record<string, any>]
    if (name === "ethernet") {
      addr(f["dst"], ":", 16)
      addr(f["src"], ":", 16)
      u16(f["ethertype"])
    } else if (name === "ipv4" && f["option"] === null) {
      out.push((f["version"] << 4) | f["header_length"], f["tos"])
      u16(f["total_length"])
      u16(f["identification"])
      u16((f["flags"] << 13) | f["offset"])
      out.push(f["ttl"], f["proto"])
      u16(f["csum"])
      addr(f["src"], ".", 10)
      addr(f["dst"], ".", 10)
    } else if (name === "icmp" && f["data"]?.echo !== undefined) {
      out.push(f["type"], f["code"])
      u16(f["csum"])
      u16(f["data"].echo.id)
      u16(f["data"].echo.seq)
      out.push(...Buffer.from(f["data"].echo.data, "base64"))
    } else {
      throw new Error(`ryu mapping: cannot lay out Ryu packet protocol ${name}`)
    }
  }
  return Uint8Array.from(out)
}
