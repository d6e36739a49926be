/**
 * QUEUE_GET_CONFIG_REQUEST/REPLY (OpenFlow 1.2 and 1.3 share the layout). The 1.2 vectors
 * are checked against Ryu here, the 1.3 reply in `conformance.test.ts`; Ryu has no 1.3
 * request vector, so its bytes are built from the spec.
 */
import { describe, expect, it } from "@effect/vitest"
import { Port, QueueConfig } from "@switchyard/openflow"
import { agreesWithRyu, decodeError, encodeFailure, encodeOk, hex, message, roundTrip, vector } from "./families.ts"
import { vectorsPresent } from "./vectors.ts"

const minRate = (rate: string) => "0001 0010 00000000 " + rate + " 000000000000"
const queue = (id: string, len: string, props: string) => id + " 0000004d " + len + " 000000000000 " + props

describe("QueueConfig", () => {
  it.each([
    ["of12", "3-35-ofp_queue_get_config_request.packet"],
    ["of12", "3-36-ofp_queue_get_config_reply.packet"]
  ])("%s/%s agrees with Ryu", (folder, name) => {
    const m = agreesWithRyu(folder, name)
    if (m !== undefined) expect(["QueueGetConfigRequest", "QueueGetConfigReply"]).toContain(m._tag)
  })

  it("the 1.3 request (no vector) is port_no and 4 bytes of padding", () => {
    expect(hex(encodeOk(QueueConfig.request(Port.ANY)))).toBe(hex(message(4, 22, "ffffffff 00000000")))
  })

  it("decodes Ryu's 1.3 reply, whose experimenter properties are not padded (queue lengths 64, 65, 66)", () => {
    const v = vector("of13", "4-36-ofp_queue_get_config_reply.packet")
    if (!vectorsPresent || v === undefined) return
    const m = roundTrip(v.bytes) as QueueConfig.QueueGetConfigReply
    expect(m.queues.map((q) => q.queueId)).toEqual([99, 88, 77])
    expect(m.queues[2]!.properties).toEqual([
      { _tag: "QueuePropMinRate", rate: 200 },
      { _tag: "QueuePropMaxRate", rate: 400 },
      { _tag: "QueuePropExperimenter", experimenter: 999, data: Uint8Array.of(1, 2) }
    ])
  })

  it("keeps a property of an unknown type byte for byte", () => {
    const input = message(4, 23, "00000001 00000000 " + queue("00000001", "0020", "0007 0010 00000000 0102030405060708"))
    const m = roundTrip(input) as QueueConfig.QueueGetConfigReply
    expect(m.queues[0]!.properties[0]).toEqual({ _tag: "QueuePropUnknown", property: 7, data: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) })
  })

  it("refuses to encode an unknown property that claims a defined type", () => {
    const f = encodeFailure({
      _tag: "QueueGetConfigReply",
      port: 1,
      queues: [{ queueId: 1, port: 1, properties: [{ _tag: "QueuePropUnknown", property: 1, data: new Uint8Array(8) }] }]
    })
    expect(f.tag).toBe("EncodeError")
  })

  it.each([
    ["a queue of length 0", queue("00000001", "0000", "")],
    ["a queue of length 8", queue("00000001", "0008", "")],
    ["a queue longer than the message", queue("00000001", "0040", minRate("000a"))],
    ["a truncated queue header", "00000001 0000004d 0010"],
    ["a property of length 0", queue("00000001", "0020", "0001 0000 00000000 000a000000000000")],
    ["a property of length 4", queue("00000001", "0020", "0001 0004 00000000 000a000000000000")],
    ["a rate property of length 24", queue("00000001", "0028", "0001 0018 00000000 000a000000000000 0000000000000000")],
    ["an experimenter property of length 12", queue("00000001", "001c", "ffff 000c 00000000 000003e7")],
    ["a property longer than its queue", queue("00000001", "0020", "0001 0018 00000000 000a000000000000") + "0000000000000000"],
    ["4 bytes after the last property", queue("00000001", "0024", minRate("000a") + "00000000")]
  ])("%s is OFPBRC_BAD_LEN", (_name, queues) => {
    decodeError(message(4, 23, "00000001 00000000 " + queues), "OFPBRC_BAD_LEN")
  })
})
