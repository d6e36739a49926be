/**
 * The TABLE_FEATURES multipart request and reply (OpenFlow 1.3 layout).
 *
 * Ryu's 1.3 request and reply are checked against Ryu in `conformance.test.ts`. Its 1.4
 * reply uses only properties that 1.3 defines, so with its version byte set to 4 it is a
 * valid 1.3 reply, checked here against Ryu's JSON (it names table 0 in Japanese). The
 * other cases are built by hand from the spec's `ofp_table_features` (64-byte header)
 * and `ofp_table_feature_prop_*` layouts; errors follow the spec's table-features
 * codes: OFPTFFC_BAD_LEN for lengths, OFPTFFC_BAD_TYPE for unknown property types.
 */
import { describe, expect, it } from "@effect/vitest"
import { TableFeatures } from "@switchyard/openflow"
import { agreesWithRyu, decodeError, encodeFailure, encodeOk, hex, multipart, roundTrip } from "./families.ts"

const name = Buffer.from("t0").toString("hex").padEnd(64, "0")
/** One table: `ofp_table_features` with `length`, table 0, then the properties (hex). */
const table = (props: string, length?: number) => {
  const body = props.replace(/[\s|]/g, "")
  const len = length ?? 64 + body.length / 2
  return len.toString(16).padStart(4, "0") + "00 0000000000" + name + "ffffffffffffffff 0000000000000000 00000003 00010000" + body
}
const reply = (tables: string) => multipart(4, true, 12, tables)

describe("TableFeatures", () => {
  it("Ryu's 1.4 reply, which uses only 1.3 properties, agrees with Ryu as a 1.3 reply", () => {
    const m = agreesWithRyu("of14", "5-54-ofp_table_features_reply.packet", 4)
    if (m?._tag === "TableFeaturesReply") expect(m.tables[0]!.name).toBe("私のテーブル")
  })

  it("the empty request only asks", () => {
    expect(hex(encodeOk(TableFeatures.request))).toBe(hex(multipart(4, false, 12, "")))
  })

  it("decodes every property kind, regular and miss, padded to 8 bytes", () => {
    const props = [
      "0000 000c 0001 0004 | 0003 0004 | 00000000", // INSTRUCTIONS: goto-table, write-actions ids
      "0001 000c ffff 0008 00002320 | 00000000", // INSTRUCTIONS_MISS: an experimenter instruction id
      "0002 0007 010203 | 00", // NEXT_TABLES 1, 2, 3
      "0003 0004 | 00000000", // NEXT_TABLES_MISS, empty
      "0004 000c 0000 0004 0011 0004 | 00000000", // WRITE_ACTIONS: output, push_vlan
      "0005 0008 0019 0004", // WRITE_ACTIONS_MISS: set_field
      "0006 0008 0000 0004", // APPLY_ACTIONS
      "0007 0008 0016 0004", // APPLY_ACTIONS_MISS: group
      "0008 000c 80000004 80000708 | 00000000", // MATCH: in_port, eth_dst (masked)
      "000a 0008 80000004", // WILDCARDS: in_port
      "000c 0008 80000606", // WRITE_SETFIELD: eth_dst
      "000d 0008 80000606", // WRITE_SETFIELD_MISS
      "000e 000c ffff0408 4f4e4600 | 00000000", // APPLY_SETFIELD: an experimenter OXM id
      "000f 0004 | 00000000", // APPLY_SETFIELD_MISS, empty
      "fffe 000c 00002320 00000001 | 00000000", // EXPERIMENTER
      "ffff 000f 00002320 00000002 aabbcc | 00" // EXPERIMENTER_MISS with 3 bytes of data
    ].join("")
    const m = roundTrip(reply(table(props))) as TableFeatures.TableFeaturesReply
    const t = m.tables[0]!
    expect([t.tableId, t.name, t.metadataMatch, t.metadataWrite, t.config, t.maxEntries]).toEqual([0, "t0", 0xffff_ffff_ffff_ffffn, 0n, 3, 65536])
    expect(t.properties.map((p) => [p._tag, "miss" in p ? p.miss : "-"])).toEqual([
      ["TableFeaturePropInstructions", false],
      ["TableFeaturePropInstructions", true],
      ["TableFeaturePropNextTables", false],
      ["TableFeaturePropNextTables", true],
      ["TableFeaturePropWriteActions", false],
      ["TableFeaturePropWriteActions", true],
      ["TableFeaturePropApplyActions", false],
      ["TableFeaturePropApplyActions", true],
      ["TableFeaturePropMatch", "-"],
      ["TableFeaturePropWildcards", "-"],
      ["TableFeaturePropWriteSetfield", false],
      ["TableFeaturePropWriteSetfield", true],
      ["TableFeaturePropApplySetfield", false],
      ["TableFeaturePropApplySetfield", true],
      ["TableFeaturePropExperimenter", false],
      ["TableFeaturePropExperimenter", true]
    ])
    expect(TableFeatures.property(t, "TableFeaturePropInstructions", { miss: true })!.instructionIds).toEqual([
      { type: 0xffff, data: Uint8Array.of(0, 0, 0x23, 0x20) }
    ])
    expect(TableFeatures.property(t, "TableFeaturePropNextTables")!.tableIds).toEqual([1, 2, 3])
    expect(TableFeatures.property(t, "TableFeaturePropMatch")!.oxmIds).toEqual([
      { field: "inPort", hasMask: false, length: 4 },
      { field: "ethDst", hasMask: true, length: 8 }
    ])
    expect(TableFeatures.property(t, "TableFeaturePropApplySetfield")!.oxmIds).toEqual([
      { field: "opaque", oxmClass: 0xffff, oxmField: 2, hasMask: false, length: 8, experimenter: 0x4f4e4600 }
    ])
    expect(TableFeatures.property(t, "TableFeaturePropExperimenter", { miss: true })!.data).toEqual(Uint8Array.of(0xaa, 0xbb, 0xcc))
    expect(TableFeatures.property(t, "TableFeaturePropWildcards", { miss: true })).toBeUndefined()
  })

  it("carries several tables, split over parts with REQ_MORE in a request", () => {
    const input = multipart(4, false, 12, table("0002 0005 01 000000") + table(""), 1)
    const m = roundTrip(input) as TableFeatures.TableFeaturesRequest
    expect(m.flags).toBe(1)
    expect(m.tables).toHaveLength(2)
  })

  it.each([
    ["a table of length 0", table("", 0), "OFPTFFC_BAD_LEN"],
    ["a table of length 56", table("", 56), "OFPTFFC_BAD_LEN"],
    ["a table longer than the message", table("", 72), "OFPTFFC_BAD_LEN"],
    ["a table length that is not a multiple of 8", table("0003 0004 00000000", 68), "OFPTFFC_BAD_LEN"],
    ["56 bytes after the last table", table("") + "00".repeat(56), "OFPTFFC_BAD_LEN"],
    ["a property of length 0", table("0000 0000 00000000"), "OFPTFFC_BAD_LEN"],
    ["a property of length 2", table("0000 0002 00000000"), "OFPTFFC_BAD_LEN"],
    ["a property longer than its table", table("0000 0010 00000000"), "OFPTFFC_BAD_LEN"],
    ["a property whose padding runs past its table", table("0000 000c 00010004"), "OFPTFFC_BAD_LEN"],
    ["an instruction id of length 0", table("0000 0008 00010000"), "OFPTFFC_BAD_LEN"],
    ["an instruction id longer than its property", table("0000 0008 00010008"), "OFPTFFC_BAD_LEN"],
    ["2 bytes left over after the instruction ids", table("0000 000a 00010004 0000 | 000000000000"), "OFPTFFC_BAD_LEN"],
    ["an action id of length 3", table("0004 0008 00000003"), "OFPTFFC_BAD_LEN"],
    ["a truncated OXM id", table("0008 0006 8000 0000"), "OFPTFFC_BAD_LEN"],
    ["an experimenter OXM id without its experimenter", table("0008 0008 ffff0408"), "OFPTFFC_BAD_LEN"],
    ["an experimenter property of length 8", table("fffe 0008 00002320"), "OFPTFFC_BAD_LEN"],
    ["property type 9 (MATCH has no miss twin)", table("0009 0004 00000000"), "OFPTFFC_BAD_TYPE"],
    ["property type 16 (OpenFlow 1.4's TABLE_SYNC_FROM)", table("0010 0004 00000000"), "OFPTFFC_BAD_TYPE"]
  ])("%s is %s", (_name, tables, code) => {
    decodeError(reply(tables), code)
  })

  it("a body that is not a multiple of 8 is OFPBRC_BAD_LEN (checked before any table is read)", () => {
    decodeError(reply(table("") + "00000000"), "OFPBRC_BAD_LEN")
  })

  it("refuses to encode an OXM id the match codec rejects, and a name over 32 bytes", () => {
    const base: TableFeatures.TableFeatures = {
      tableId: 0,
      name: "t0",
      metadataMatch: 0n,
      metadataWrite: 0n,
      config: 0,
      maxEntries: 0,
      properties: []
    }
    const badId = { field: "opaque", oxmClass: 0xffff, oxmField: 1, hasMask: false, length: 4, experimenter: undefined } as const
    const f = encodeFailure({ _tag: "TableFeaturesReply", flags: 0, tables: [{ ...base, properties: [{ _tag: "TableFeaturePropMatch", oxmIds: [badId] }] }] })
    expect(f.code).toBe("OFPBMC_BAD_LEN")
    expect(encodeFailure({ _tag: "TableFeaturesReply", flags: 0, tables: [{ ...base, name: "x".repeat(33) }] }).tag).toBe("EncodeError")
  })
})
