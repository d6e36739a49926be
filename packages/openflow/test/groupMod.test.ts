/**
 * OFPT_GROUP_MOD: there is no OpenFlow 1.3 group-mod vector in Ryu's set. OpenFlow 1.2's
 * group mod has exactly the 1.3 layout, so Ryu's 1.2 vector is decoded with its version
 * byte set to 4 and compared with Ryu's 1.2 JSON. OpenFlow 1.5 changed the layout
 * (command_bucket_id, bucket ids, weight and watches as bucket properties, group
 * properties); its vector is checked against Ryu here and in `conformance.test.ts`.
 * Builders; the exact error for each malformed part; generated group mods round-trip.
 */
import { describe, expect, it } from "@effect/vitest"
import { Action, GroupMod, Port } from "@switchyard/openflow"
import { agreesWithRyu, decodeError, encodeFailure, encodeOk, hex, message, roundTrip } from "./families.ts"
import { vectorsDir, vectorsPresent } from "./vectors.ts"
import { project } from "./versions.ts"

describe("Ryu's group-mod vectors", () => {
  it("3-21 (OpenFlow 1.2, the 1.3 layout) agrees with Ryu read as 1.3", () => {
    if (!vectorsPresent) return console.warn(`Ryu vectors not found at ${vectorsDir}`)
    const m = agreesWithRyu("of12", "3-21-ofp_group_mod.packet", 4) as GroupMod.GroupMod
    expect(m).toEqual(GroupMod.add({ groupId: 1, groupType: GroupMod.Type.ALL, buckets: [GroupMod.bucket([Action.output(2, 0xffff)], { weight: 1, watchPort: 1, watchGroup: 1 })] }))
  })

  it("libofproto-OFP15-group_mod (1.5 layout: INSERT_BUCKET, bucket id, weight and watch properties) agrees with Ryu", () => {
    const m = agreesWithRyu("of15", "libofproto-OFP15-group_mod.packet") as GroupMod.GroupMod | undefined
    if (m === undefined) return
    expect(m).toMatchObject({
      command: GroupMod.Command.INSERT_BUCKET,
      groupType: GroupMod.Type.SELECT,
      commandBucketId: 0xbbbb_bbbb,
      buckets: [{ weight: 0xcccc, watchPort: 0xdddd, watchGroup: 0xeeee_eeee, bucketId: 0x1234_5678 }]
    })
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

describe("OpenFlow 1.5 group mods", () => {
  const select = GroupMod.add({
    groupId: 2,
    groupType: GroupMod.Type.SELECT,
    buckets: [GroupMod.bucket([Action.output(1)], { weight: 3 }), GroupMod.bucket([Action.output(2)], { weight: 0, watchPort: 9 })]
  })

  it("buckets get their position as id; weight goes as a property in a SELECT group, a watch when not ANY", () => {
    const bytes = encodeOk(select, 6)
    const bucket = (id: string, props: string) => `${id} ${props}`
    expect(hex(bytes)).toBe(
      (
        "060f 0060 00000000" + "0000 01 00 00000002 0048 0000 ffffffff" +
        bucket("0020 0010 00000000 0000 0010 00000001 0000 000000000000", "0000 0008 0003 0000") +
        bucket("0028 0010 00000001 0000 0010 00000002 0000 000000000000", "0000 0008 0000 0000 0001 0008 00000009")
      ).replace(/ /g, "")
    )
    // Decoded 1.5 buckets carry their ids.
    expect(roundTrip(bytes)).toEqual({ ...select, buckets: select.buckets.map((b, i) => ({ ...b, bucketId: i })) })
  })

  it("INSERT_BUCKET, bucket ids and group properties need 1.5", () => {
    const insert = { ...select, command: GroupMod.Command.INSERT_BUCKET, commandBucketId: GroupMod.BucketId.FIRST }
    expect(roundTrip(encodeOk(insert, 6))).toMatchObject({ command: 3, commandBucketId: GroupMod.BucketId.FIRST })
    expect(encodeFailure(insert, 5).code).toBe("OFPGMFC_BAD_COMMAND")
    expect(encodeFailure({ ...select, commandBucketId: 1 }, 4).text).toMatch(/command bucket id 1 needs OpenFlow 1.5/)
    expect(encodeFailure({ ...select, buckets: [{ ...select.buckets[0]!, bucketId: 4 }] }, 4).text).toMatch(/bucket id 4 needs OpenFlow 1.5/)
    decodeError(message(5, 15, header("0003")), "OFPGMFC_BAD_COMMAND")
  })

  const header15 = (bucketsLen: string) => "0000 01 00 00000001" + bucketsLen + "0000 ffffffff"
  it.each([
    ["bucket_array_len past the message", header15("0010"), "OFPGMFC_BAD_BUCKET"],
    ["a bucket of length 0 (must not loop)", header15("0008") + "0000 0000 00000000", "OFPGMFC_BAD_BUCKET"],
    ["action_array_len past the bucket", header15("0008") + "0008 0008 00000000", "OFPGMFC_BAD_BUCKET"],
    ["a weight property of length 4", header15("0010") + "0010 0000 00000000 0000 0004 00000000", "OFPBPC_BAD_LEN"],
    ["two weight properties", header15("0018") + "0018 0000 00000000 0000 0008 00010000 0000 0008 00020000", "OFPBPC_DUP_TYPE"],
    ["command 4 (reserved)", "0004 01 00 00000001 0000 0000 ffffffff", "OFPGMFC_BAD_COMMAND"]
  ])("1.5: %s is %s", (_name, body, code) => {
    decodeError(message(6, 15, body), code)
  })
})

describe("properties", () => {
  it.prop("generated group mods round-trip (in 1.3, without 1.5's bucket ids, properties and bucket commands)", [GroupMod.GroupMod], ([m]) => {
    const v = project(m, 4)
    expect(roundTrip(encodeOk(v))).toEqual(v)
  }, { arbitrary: { runs: 200, seed: 16 } })
})
