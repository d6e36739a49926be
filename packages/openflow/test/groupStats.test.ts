/**
 * The GROUP, GROUP_DESC and GROUP_FEATURES multipart requests and replies. Ryu has no
 * 1.3 GROUP reply vector; the 1.4 and 1.5 ones have the 1.3 layout and are checked
 * against Ryu here, as are the 1.4 GROUP_DESC vectors and the 1.2, 1.4 and 1.5
 * GROUP_FEATURES vectors (the 1.3 ones are in `conformance.test.ts`). GROUP_DESC buckets
 * are decoded by the GROUP_MOD bucket codec, so its errors (OFPGMFC_BAD_BUCKET, OFPBAC_*)
 * surface here too.
 */
import { describe, expect, it } from "@effect/vitest"
import { Action, GroupMod, GroupStats, Port } from "@switchyard/openflow"
import { agreesWithRyu, decodeError, encodeOk, hex, multipart, roundTrip } from "./families.ts"

// group 1, ref_count 2, packets 123, bytes 12345, 9 s 609036000 ns, one bucket counter
const entry = "0038 0000 00000001 00000002 00000000 000000000000007b 0000000000003039 00000009 244d26e0 | 00000000000000ea 0000000000000929"

describe("GroupStats", () => {
  it.each([
    ["of14", "5-55-ofp_group_stats_request.packet"],
    ["of14", "5-56-ofp_group_stats_reply.packet"],
    ["of14", "5-33-ofp_group_desc_request.packet"],
    ["of14", "5-34-ofp_group_desc_reply.packet"],
    ["of15", "libofproto-OFP15-group_stats_request.packet"],
    ["of15", "libofproto-OFP15-group_stats_reply.packet"],
    ["of12", "3-31-ofp_group_features_stats_request.packet"],
    ["of12", "3-32-ofp_group_features_stats_reply.packet"],
    ["of14", "5-31-ofp_group_features_request.packet"],
    ["of14", "5-32-ofp_group_features_reply.packet"],
    ["of15", "libofproto-OFP15-group_features_request.packet"],
    ["of15", "libofproto-OFP15-group_features_reply.packet"]
  ])("%s/%s agrees with Ryu", (folder, name) => {
    const m = agreesWithRyu(folder, name)
    if (m?._tag === "GroupFeaturesReply") expect(m.maxGroups).toHaveLength(4)
  })

  it("decodes the 1.4 vector's entry (the 1.3 layout) with its bucket counter", () => {
    const input = multipart(4, true, 6, entry)
    expect(roundTrip(input)).toEqual({
      _tag: "GroupStatsReply",
      flags: 0,
      stats: [{
        groupId: 1,
        refCount: 2,
        packetCount: 123n,
        byteCount: 12345n,
        durationSec: 9,
        durationNsec: 609036000,
        bucketStats: [{ packetCount: 234n, byteCount: 2345n }]
      }]
    })
  })

  it("request() defaults to every group (OFPG_ALL)", () => {
    expect(hex(encodeOk(GroupStats.request()))).toBe(hex(multipart(4, false, 6, "fffffffc 00000000")))
    expect(hex(encodeOk(GroupStats.featuresRequest))).toBe(hex(multipart(4, false, 8, "")))
  })

  it.each([
    // Ryu's 1.3 multipart loop never advances on a length of 0 and hangs.
    ["an entry of length 0", "0000" + entry.replace(/\s|\|/g, "").slice(4)],
    ["an entry of length 8", "0008" + entry.replace(/\s|\|/g, "").slice(4)],
    ["an entry of length 48 (not 40 plus a multiple of 16)", "0030" + entry.replace(/\s|\|/g, "").slice(4) + "0000000000000000"],
    ["an entry longer than the message", "0048" + entry.replace(/\s|\|/g, "").slice(4)],
    ["8 bytes after the last entry", entry + "0000000000000000"],
    ["a 32-byte entry", "0020" + "00".repeat(30)]
  ])("a GROUP reply with %s is OFPBRC_BAD_LEN", (_name, body) => {
    decodeError(multipart(4, true, 6, body), "OFPBRC_BAD_LEN")
  })

  it.each([
    ["a GROUP_FEATURES reply of 36 bytes", multipart(4, true, 8, "00".repeat(36))],
    ["a GROUP request without padding", multipart(4, false, 6, "fffffffc")]
  ])("%s is OFPBRC_BAD_LEN", (_name, input) => {
    decodeError(input, "OFPBRC_BAD_LEN")
  })
})

// group 1, type ALL; one bucket: weight 1, watch port 1, watch group 1, output:2 (max_len 0xffff)
const bucket = "0020 0001 00000001 00000001 00000000 | 0000 0010 00000002 ffff 000000000000"
const desc = (length: string, type: string, buckets: string) => length + type + "00 00000001" + buckets

describe("GroupDesc", () => {
  it("decodes a group's buckets with their actions", () => {
    const m = roundTrip(multipart(4, true, 7, desc("0028", "00", bucket))) as GroupStats.GroupDescReply
    expect(m.groups).toEqual([{
      groupType: GroupMod.Type.ALL,
      groupId: 1,
      buckets: [{ weight: 1, watchPort: 1, watchGroup: 1, actions: [Action.output(2, 0xffff)] }]
    }])
    expect(hex(encodeOk(GroupStats.descRequest))).toBe(hex(multipart(4, false, 7, "")))
    expect(m.groups[0]!.buckets[0]!.watchPort).not.toBe(Port.ANY)
  })

  it.each([
    ["an entry of length 0", "OFPBRC_BAD_LEN", desc("0000", "00", bucket)],
    ["an entry of length 4", "OFPBRC_BAD_LEN", desc("0004", "00", bucket)],
    ["an entry longer than the message", "OFPBRC_BAD_LEN", desc("0030", "00", bucket)],
    ["an unknown group type", "OFPGMFC_BAD_TYPE", desc("0028", "04", bucket)],
    ["a bucket of length 0", "OFPGMFC_BAD_BUCKET", desc("0028", "00", "0000" + bucket.replace(/[\s|]/g, "").slice(4))],
    ["a bucket of length 8", "OFPGMFC_BAD_BUCKET", desc("0028", "00", "0008" + bucket.replace(/[\s|]/g, "").slice(4))],
    ["a bucket length that is not a multiple of 8", "OFPGMFC_BAD_BUCKET", desc("0028", "00", "001c" + bucket.replace(/[\s|]/g, "").slice(4))],
    ["a bucket running past its group", "OFPGMFC_BAD_BUCKET", desc("0020", "00", bucket)],
    ["an action of length 0 in a bucket", "OFPBAC_BAD_LEN", desc("0028", "00", "0020 0001 00000001 00000001 00000000 | 0000 0000 00000002 ffff 000000000000")]
  ])("%s is %s", (_name, code, body) => {
    decodeError(multipart(4, true, 7, body), code)
  })
})
