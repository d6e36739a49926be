/**
 * TABLE_MOD (OpenFlow 1.1-1.3 layout); the 1.2 vector is checked against Ryu here, the
 * 1.3 ones in `conformance.test.ts`.
 */
import { describe, expect, it } from "@effect/vitest"
import { TableMod } from "@switchyard/openflow"
import { agreesWithRyu, decodeError, encodeFailure, encodeOk, hex, message } from "./families.ts"

describe("TableMod", () => {
  it("of12/3-23-ofp_table_mod.packet agrees with Ryu", () => {
    const m = agreesWithRyu("of12", "3-23-ofp_table_mod.packet")
    if (m !== undefined) expect(m).toEqual({ _tag: "TableMod", tableId: TableMod.ALL, config: 0 })
  })

  it("make() targets every table by default", () => {
    expect(hex(encodeOk(TableMod.make(TableMod.DEPRECATED_MASK)))).toBe(hex(message(4, 17, "ff 000000 00000003")))
    expect(hex(encodeOk(TableMod.make(0, 3)))).toBe(hex(message(4, 17, "03 000000 00000000")))
  })

  it("a table id over 8 bits is an EncodeError", () => {
    expect(encodeFailure({ _tag: "TableMod", tableId: 256, config: 0 }).tag).toBe("EncodeError")
  })

  it.each([
    ["short", message(4, 17, "ff 000000 000000")],
    ["long", message(4, 17, "ff 000000 00000000 00000000")]
  ])("TABLE_MOD %s is OFPBRC_BAD_LEN", (_name, input) => {
    decodeError(input, "OFPBRC_BAD_LEN")
  })
})
