/**
 * Ryu mappings of the TABLE_FEATURES request and reply.
 *
 * Ryu names: each table is `OFPTableFeaturesStats`; properties carry their `type`
 * number, which our `_tag` plus `miss` stand for. Instruction ids are
 * `OFPInstructionId { type, len }` and action ids `OFPActionId { type, len }` (Ryu keeps
 * no bytes past the header; no vector has any); the four OXM-list properties share
 * `OFPTableFeaturePropOxm`, whose ids are `OFPOxmId { type: <field name>, hasmask,
 * length }`; the two action properties share `OFPTableFeaturePropActions`. Ryu shows an
 * experimenter property's data as a list of 32-bit words.
 */
import type { Match, Message, TableFeatures } from "@switchyard/openflow"
import { Match as M } from "@switchyard/openflow"
import { fields, wrap, type Json, type RyuObject } from "./common.ts"
import { oxm } from "./flow.ts"

type Of<T extends Message.Tag> = Message.Of<T>

export const oxmId = (id: Match.OxmId): RyuObject => {
  if (id.field === "opaque") throw new Error("ryu mapping: no vector has an opaque OXM id")
  return wrap("OFPOxmId", { type: M.oxmName(id.field), hasmask: id.hasMask ? 1 : 0, length: id.length })
}

const words = (data: Uint8Array): Array<Json> => {
  const out: Array<Json> = []
  for (let i = 0; i + 4 <= data.length; i += 4) out.push(((data[i]! << 24) >>> 0) + ((data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!))
  return out
}

const property = (p: TableFeatures.TableFeatureProperty): RyuObject => {
  const miss = "miss" in p && p.miss ? 1 : 0
  switch (p._tag) {
    case "TableFeaturePropInstructions":
      return wrap("OFPTableFeaturePropInstructions", {
        type: 0 + miss,
        instruction_ids: p.instructionIds.map((i) => wrap("OFPInstructionId", { type: i.type }))
      })
    case "TableFeaturePropNextTables":
      return wrap("OFPTableFeaturePropNextTables", { type: 2 + miss, table_ids: [...p.tableIds] })
    case "TableFeaturePropWriteActions":
    case "TableFeaturePropApplyActions":
      return wrap("OFPTableFeaturePropActions", {
        type: (p._tag === "TableFeaturePropWriteActions" ? 4 : 6) + miss,
        action_ids: p.actionIds.map((a) => wrap("OFPActionId", { type: a.type }))
      })
    case "TableFeaturePropMatch":
      return wrap("OFPTableFeaturePropOxm", { type: 8, oxm_ids: p.oxmIds.map(oxmId) })
    case "TableFeaturePropWildcards":
      return wrap("OFPTableFeaturePropOxm", { type: 10, oxm_ids: p.oxmIds.map(oxmId) })
    case "TableFeaturePropWriteSetfield":
      return wrap("OFPTableFeaturePropOxm", { type: 12 + miss, oxm_ids: p.oxmIds.map(oxmId) })
    case "TableFeaturePropApplySetfield":
      return wrap("OFPTableFeaturePropOxm", { type: 14 + miss, oxm_ids: p.oxmIds.map(oxmId) })
    case "TableFeaturePropTableSyncFrom":
      return wrap("OFPTableFeaturePropNextTables", { type: 16, table_ids: [...p.tableIds] })
    case "TableFeaturePropWriteCopyfield":
      return wrap("OFPTableFeaturePropOxm", { type: 18 + miss, oxm_ids: p.oxmIds.map(oxmId) })
    case "TableFeaturePropApplyCopyfield":
      return wrap("OFPTableFeaturePropOxm", { type: 20 + miss, oxm_ids: p.oxmIds.map(oxmId) })
    case "TableFeaturePropPacketTypes":
      return wrap("OFPTableFeaturePropOxmValues", { type: 22, oxm_values: p.oxmValues.map(oxm) })
    case "TableFeaturePropExperimenter":
      return wrap("OFPTableFeaturePropExperimenter", {
        type: 0xfffe + miss,
        experimenter: p.experimenter,
        exp_type: p.expType,
        data: words(p.data)
      })
  }
}

/** Ryu 1.5 calls `config` `capabilities` and shows `command` and `features` (0 when we leave them out). */
const table = (version: number) => (t: TableFeatures.TableFeatures): RyuObject =>
  version < 6
    ? wrap("OFPTableFeaturesStats", fields(t, { convert: { properties: (ps) => ps.map(property) } }))
    : wrap("OFPTableFeaturesStats", {
      ...fields(t, { rename: { config: "capabilities" }, convert: { properties: (ps) => ps.map(property) } }),
      command: t.command ?? 0,
      features: t.features ?? 0
    })

export const tableFeatures = {
  TableFeaturesRequest: (m: Of<"TableFeaturesRequest">, version: number) =>
    wrap("OFPTableFeaturesStatsRequest", { flags: m.flags, type: 12, body: m.tables.map(table(version)) }),
  TableFeaturesReply: (m: Of<"TableFeaturesReply">, version: number) =>
    wrap("OFPTableFeaturesStatsReply", { flags: m.flags, type: 12, body: m.tables.map(table(version)) })
}
