/**
 * OFPT_GROUP_MOD: there is no OpenFlow 1.3 group-mod vector in Ryu's set. OpenFlow 1.2's
 * group mod has exactly the 1.3 layout, so Ryu's 1.2 vector is decoded with its version
 * byte set to 4 and compared with Ryu's 1.2 JSON; OpenFlow 1.5 changed the layout
 * (command_bucket_id, bucket ids and properties), so its vector is only checked not to be
 * misread as a 1.3 group mod. Builders; the exact error for each malformed part;
 * generated group mods round-trip.
 */
import { describe, expect, it } from "@effect/vitest"
import { Action, GroupMod, Port } from "@switchyard/openflow"
import { agreesWithRyu, decodeError, encodeFailure, encodeOk, hex, message, roundTrip, vector } from "./families.ts"
import { vectorsDir, vectorsPresent } from "./vectors.ts"

describe("Ryu's group-mod vectors", () => {
  it("3-21 (OpenFlow 1.2, the 1.3 layout) agrees with Ryu read as 1.3", () => {
    if (!vectorsPresent) return console.warn(`Ryu vectors not found at ${vectorsDir}`)
    const m = agreesWithRyu("of12", "3-21-ofp_group_mod.packet", 4) as GroupMod.GroupMod
    expect(m).toEqual(GroupMod.add({ groupId: 1, groupType: GroupMod.Type.ALL, buckets: [GroupMod.bucket([Action.output(2, 0xffff)], { weight: 1, watchPort: 1, watchGroup: 1 })] }))
  })

  it("libofproto-OFP15-group_mod (1.5 layout) is refused, not misread with the 1.3 layout", () => {
    const v = vector("of15", "libofproto-OFP15-group_mod.packet")
    if (v === undefined) return
    decodeError(v.bytes, "OFPBRC_BAD_TYPE")
  })
})

describe("builders", () => {
  it("an ALL group flooding to three ports, byte for byte", () => {
    const flood = GroupMod.add({ groupId: 1, groupType: GroupMod.Type.ALL, buckets: [1, 2, 3].map((p) => GroupMod.bucket([Action.output(p)])) })
    const bucket = (port: number) => "0020 0000 ffffffff ffffffff 00000000" + "0000 0010 0000000" + port + " 0000 000000000000"
    expect(hex(encodeOk(flood))).toBe(
      ("040f 0070 00000000" + "0000 00 00 00000001" + bucket(1) + bucket(2) + bucket(3)).replace(/ /g, "")
    )
    expect(roundTrip(encodeOk(flood))).toEqual(flood)
  })

  it("select with weights, fast failover with watched ports", () => {
    const select = GroupMod.add({
      groupId: 2,
      groupType: GroupMod.Type.SELECT,
      buckets: [GroupMod.bucket([Action.output(1)], { weight: 3 }), GroupMod.bucket([Action.output(2)], { weight: 1 })]
    })
    expect(roundTrip(encodeOk(select))).toEqual(select)
    const ff = GroupMod.modify({
      groupId: 3,
      groupType: GroupMod.Type.FF,
      buckets: [GroupMod.bucket([Action.output(1)], { watchPort: 1 }), GroupMod.bucket([Action.output(2)], { watchPort: 2 })]
    })
    expect(roundTrip(encodeOk(ff))).toEqual(ff)
  })

  it("delete of one group and of every group", () => {
    expect(hex(encodeOk(GroupMod.delete(7)))).toBe("040f001000000000" + "0002000000000007")
    expect(roundTrip(encodeOk(GroupMod.delete(GroupMod.ALL)))).toEqual(GroupMod.delete(GroupMod.ALL))
  })
})

const header = (command = "0000", type = "00", groupId = "00000001") => command + type + "00" + groupId
const outputBucket = "0020 0000 ffffffff ffffffff 00000000 0000 0010 00000001 0000 000000000000"

describe("hostile group mods: the exact error", () => {
  const cases: ReadonlyArray<readonly [string, string, string]> = [
    ["body shorter than 8 bytes", "0000 00 00", "OFPBRC_BAD_LEN"],
    ["command 3 (1.5's INSERT_BUCKET)", header("0003"), "OFPGMFC_BAD_COMMAND"],
    ["type 4", header("0000", "04"), "OFPGMFC_BAD_TYPE"],
    ["ADD of OFPG_ALL", header("0000", "00", "fffffffc"), "OFPGMFC_INVALID_GROUP"],
    ["MODIFY of OFPG_ANY", header("0001", "00", "ffffffff"), "OFPGMFC_INVALID_GROUP"],
    ["DELETE of OFPG_ANY", header("0002", "00", "ffffffff"), "OFPGMFC_INVALID_GROUP"],
    ["8 leftover bytes, too short for a bucket", header() + "0010 0000 00000000", "OFPGMFC_BAD_BUCKET"],
    ["bucket length 8, below its 16-byte header", header() + "0008 0000 ffffffff ffffffff 00000000", "OFPGMFC_BAD_BUCKET"],
    ["bucket length 0 (must not loop)", header() + "0000 0000 ffffffff ffffffff 00000000", "OFPGMFC_BAD_BUCKET"],
    ["bucket longer than the message", header() + "0030 0000 ffffffff ffffffff 00000000", "OFPGMFC_BAD_BUCKET"],
    ["bucket length 20, not a multiple of 8", header() + "0014 0000 ffffffff ffffffff 00000000 00000000 00000000", "OFPGMFC_BAD_BUCKET"],
    ["a bucket with an unknown action", header() + "0018 0000 ffffffff ffffffff 00000000 0001000800000000", "OFPBAC_BAD_TYPE"],
    ["a bucket with an action of length 0", header() + "0018 0000 ffffffff ffffffff 00000000 0000000000000000", "OFPBAC_BAD_LEN"]
  ]
  it.each(cases)("%s", (_, body, code) => {
    decodeError(message(4, 15, body), code)
  })

  it("a good bucket decodes", () => {
    expect(roundTrip(message(4, 15, header() + outputBucket))).toMatchObject({ buckets: [{ watchPort: Port.ANY, actions: [Action.output(1)] }] })
  })

  it("encoding refuses a reserved group id for ADD", () => {
    expect(encodeFailure(GroupMod.add({ groupId: GroupMod.ALL, groupType: GroupMod.Type.ALL, buckets: [] })).code).toBe("OFPGMFC_INVALID_GROUP")
    expect(encodeFailure({ ...GroupMod.delete(1), groupType: 9 as 0 }).code).toBe("OFPGMFC_BAD_TYPE")
  })
})

describe("properties", () => {
  it.prop("generated group mods round-trip", [GroupMod.GroupMod], ([m]) => {
    expect(roundTrip(encodeOk(m))).toEqual(m)
  }, { arbitrary: { runs: 200, seed: 16 } })
})
