/**
 * OFPMP_TABLE_DESC and OFPT_TABLE_STATUS (OpenFlow 1.4 §7.3.5.6, §7.4.5; the same in
 * 1.5): a table's configuration and its TABLE_MOD properties. The vectors are checked
 * against Ryu in `conformance.test.ts`; here the layout by hand and hostile input.
 */
import { describe, expect, it } from "@effect/vitest"
import { Message, TableDesc } from "@switchyard/openflow"
import { decodeError, encodeOk, hex, message, multipart, roundTrip } from "./families.ts"

const table: TableDesc.TableDesc = {
  tableId: 3,
  config: 4,
  properties: [
    { _tag: "TableModPropEviction", flags: 2 },
    { _tag: "TableModPropVacancy", vacancyDown: 10, vacancyUp: 90, vacancy: 50 }
  ]
}
const tableHex = "0018 03 00 00000004 | 0002 0008 00000002 | 0003 0008 0a 5a 32 00"

describe("TableDesc", () => {
  it("the request is an empty multipart body, in 1.4 and 1.5 only", () => {
    for (const version of [5, 6]) {
      expect(hex(encodeOk(TableDesc.request, version))).toBe(hex(multipart(version, false, 14, "")))
      expect(roundTrip(multipart(version, false, 14, ""))).toEqual(TableDesc.request)
    }
    expect(Message.isEncodable("TableDescRequest", 4)).toBe(false)
    decodeError(multipart(4, false, 14, ""), "OFPBRC_BAD_MULTIPART")
  })

  it("a reply entry is length, table_id, pad, config and properties", () => {
    const m: TableDesc.TableDescReply = { _tag: "TableDescReply", flags: 0, tables: [table, { tableId: 0, config: 0, properties: [] }] }
    const bytes = multipart(5, true, 14, tableHex + " | 0008 00 00 00000000")
    expect(hex(encodeOk(m, 5))).toBe(hex(bytes))
    expect(roundTrip(bytes)).toEqual(m)
  })

  it.each([
    ["an entry short of its 8 fixed bytes", "OFPBRC_BAD_LEN", "0018 03 00 0000"],
    ["an entry length below 8", "OFPBRC_BAD_LEN", "0004 03 00 00000004"],
    ["an entry length past the message", "OFPBRC_BAD_LEN", "0020 03 00 00000004 | 0002 0008 00000002"],
    ["an eviction property of length 12", "OFPBPC_BAD_LEN", "0018 03 00 00000004 | 0002 000c 00000002 00000000 00000000"],
    ["a property past its entry", "OFPBPC_BAD_LEN", "0010 03 00 00000004 | 0002 0010 00000002 | 00000000 00000000"]
  ])("%s is %s", (_name, code, body) => {
    decodeError(multipart(5, true, 14, body), code)
  })
})

describe("TableStatus", () => {
  it("is reason, pad[7] and one table description filling the message", () => {
    const m: TableDesc.TableStatus = { _tag: "TableStatus", reason: TableDesc.StatusReason.VACANCY_DOWN, table }
    for (const version of [5, 6]) {
      const bytes = message(version, 31, "03 00000000000000 | " + tableHex)
      expect(hex(encodeOk(m, version))).toBe(hex(bytes))
      expect(roundTrip(bytes)).toEqual(m)
    }
    expect(Message.isEncodable("TableStatus", 4)).toBe(false)
  })

  it.each([
    ["a body short of reason and a table", "OFPBRC_BAD_LEN", "03 00000000000000 | 0008 00 00"],
    ["a table shorter than the message", "OFPBRC_BAD_LEN", "03 00000000000000 | 0008 03 00 00000004 | 00000000 00000000"],
    ["a table longer than the message", "OFPBRC_BAD_LEN", "03 00000000000000 | 0018 03 00 00000004 | 0002 0008 00000002"]
  ])("%s is %s", (_name, code, body) => {
    decodeError(message(5, 31, body), code)
  })

  it("is not a 1.3 message", () => {
    decodeError(message(4, 31, "03 00000000000000 | 0008 03 00 00000004"), "OFPBRC_BAD_TYPE")
  })
})
