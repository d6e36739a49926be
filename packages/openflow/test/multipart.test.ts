/**
 * What all multipart messages share: the flags word in the multipart header, the
 * experimenter multipart messages, and `Multipart.merge` / `Multipart.assembler`, the
 * reassembly of a message split over several parts.
 */
import { describe, expect, it } from "@effect/vitest"
import { Desc, Message, Multipart, PortDesc, TableStats } from "@switchyard/openflow"
import { Result, Schema } from "effect"
import { agreesWithRyu, decodeError, decodeOk, encodeOk, hex, multipart } from "./families.ts"
import { project } from "./versions.ts"

const more = Multipart.Flags.REPLY_MORE
const stats = (tableId: number): TableStats.TableStats => ({ tableId, activeCount: 0, lookupCount: 0n, matchedCount: 0n })
const part = (flags: number, ...ids: Array<number>): TableStats.TableStatsReply => ({ _tag: "TableStatsReply", flags, stats: ids.map(stats) })
const desc: Desc.DescReply = { _tag: "DescReply", flags: 0, mfrDesc: "", hwDesc: "", swDesc: "", serialNum: "", dpDesc: "" }
const failure = <A>(r: Result.Result<A, { readonly code: string }>): string => (Result.isFailure(r) ? r.failure.code : "success")

describe("multipart header", () => {
  it("flags travel in the multipart header and come back as the message's first field", () => {
    const bytes = encodeOk(part(more, 1))
    expect(hex(bytes.subarray(8, 16))).toBe("0003000100000000")
    expect(decodeOk(bytes).message).toEqual(part(more, 1))
  })

  it("an unknown multipart type is OFPBRC_BAD_MULTIPART", () => {
    decodeError(multipart(4, true, 14, ""), "OFPBRC_BAD_MULTIPART")
    decodeError(multipart(4, false, 0xfffe, ""), "OFPBRC_BAD_MULTIPART")
  })

  it("a multipart message cut inside its 8-byte multipart header is OFPBRC_BAD_LEN", () => {
    decodeError(Uint8Array.of(4, 19, 0, 12, 0, 0, 0, 0, 0, 3, 0, 0), "OFPBRC_BAD_LEN")
  })
})

describe("experimenter multipart", () => {
  it.each([
    ["of14", "5-59-ofp_experimenter_request.packet"],
    ["of14", "5-60-ofp_experimenter_reply.packet"],
    ["of15", "libofproto-OFP15-experimenter_request.packet"],
    ["of15", "libofproto-OFP15-experimenter_reply.packet"]
  ])("%s/%s agrees with Ryu", (folder, name) => {
    const m = agreesWithRyu(folder, name)
    if (m !== undefined) expect((m as Multipart.ExperimenterMultipartRequest).experimenter).toBe(0xdeadbeaf)
  })

  it("an experimenter request shorter than experimenter id and type is OFPBRC_BAD_LEN", () => {
    decodeError(multipart(4, false, 0xffff, "00002320 0000"), "OFPBRC_BAD_LEN")
  })
})

describe("Multipart.merge", () => {
  it("concatenates the entries of the parts in order and takes the last part's flags", () => {
    const merged = Multipart.merge([part(more, 0, 1), part(more), part(0, 2)])
    expect(merged).toEqual(Result.succeed(part(0, 0, 1, 2)))
  })

  it("returns a single final part as it is", () => {
    const only = part(0, 5)
    const merged = Multipart.merge([only])
    expect(Result.isSuccess(merged) && merged.success).toBe(only)
  })

  it("joins experimenter bodies", () => {
    const p = (flags: number, data: Array<number>): Multipart.ExperimenterMultipartReply => ({
      _tag: "ExperimenterMultipartReply",
      flags,
      experimenter: 0x2320,
      expType: 7,
      data: Uint8Array.from(data)
    })
    expect(Multipart.merge([p(more, [1, 2]), p(0, [3])])).toEqual(Result.succeed(p(0, [1, 2, 3])))
    expect(failure(Multipart.merge([p(more, [1]), { ...p(0, [2]), expType: 8 }]))).toBe("OFPBRC_BAD_MULTIPART")
  })

  it.each([
    ["no parts", []],
    ["parts of two kinds", [part(more, 1), { _tag: "PortDescReply", flags: 0, ports: [] }]],
    ["a middle part without the more-flag", [part(more, 1), part(0, 2), part(0, 3)]],
    ["a last part with the more-flag", [part(more, 1), part(more, 2)]],
    ["a single-body reply in two parts", [{ ...desc, flags: more }, desc]]
  ] as const)("fails with OFPBRC_BAD_MULTIPART on %s", (_name, parts) => {
    expect(failure(Multipart.merge(parts as ReadonlyArray<Multipart.Part>))).toBe("OFPBRC_BAD_MULTIPART")
  })

  it.prop(
    "splitting a reply anywhere and merging the parts gives the reply back",
    [PortDesc.PortDescReply, Schema.Array(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 8 })))],
    ([reply, cuts]) => {
      const sorted = [...cuts].map((c) => Math.min(c, reply.ports.length)).sort((a, b) => a - b)
      const bounds = [0, ...sorted, reply.ports.length]
      const parts = bounds.slice(1).map((end, i) => ({
        _tag: "PortDescReply" as const,
        flags: i < bounds.length - 2 ? more : 0,
        ports: reply.ports.slice(bounds[i], end)
      }))
      expect(Multipart.merge(parts)).toEqual(Result.succeed({ ...reply, flags: 0, ports: reply.ports }))
    },
    { arbitrary: { runs: 100, seed: 13 } }
  )
})

describe("Multipart.split", () => {
  const port = (portNo: number) => ({
    portNo,
    hwAddr: portNo,
    name: `p${portNo}`,
    config: 0,
    state: 0,
    curr: 0,
    advertised: 0,
    supported: 0,
    peer: 0,
    currSpeed: 0,
    maxSpeed: 0
  })

  it("cuts a 2000-port PORT_DESC reply into parts that fit 64 KiB, which merge back", () => {
    const reply: PortDesc.PortDescReply = { _tag: "PortDescReply", flags: 0, ports: Array.from({ length: 2000 }, (_, i) => port(i + 1)) }
    expect(Result.isFailure(Message.encode(reply, { version: 4, xid: 1 }))).toBe(true)
    const parts = Result.getOrThrow(Multipart.split(reply, 4))
    // (65535 - 16) / 64 = 1023 ports per message.
    expect(parts.map((p) => p.ports.length)).toEqual([1023, 977])
    expect(parts.map((p) => p.flags)).toEqual([more, 0])
    for (const p of parts) expect(encodeOk(p).length).toBeLessThanOrEqual(0xffff)
    expect(Multipart.merge(parts)).toEqual(Result.succeed(reply))
  })

  it("returns a message that fits as its only part", () => {
    const reply = part(0, 1, 2)
    expect(Multipart.split(reply, 4)).toEqual(Result.succeed([reply]))
  })

  it("cuts experimenter bodies at any byte", () => {
    const reply: Multipart.ExperimenterMultipartReply = {
      _tag: "ExperimenterMultipartReply",
      flags: 0,
      experimenter: 1,
      expType: 2,
      data: Uint8Array.from({ length: 40 }, (_, i) => i)
    }
    const parts = Result.getOrThrow(Multipart.split(reply, 4, 40))
    expect(parts.map((p) => p.data.length)).toEqual([16, 16, 8])
    expect(Multipart.merge(parts)).toEqual(Result.succeed(reply))
  })

  it("fails with an EncodeError for what cannot be cut small enough", () => {
    const desc1 = Multipart.split(desc, 4, 100)
    expect(Result.isFailure(desc1) && desc1.failure._tag).toBe("EncodeError")
    const ports = Multipart.split({ _tag: "PortDescReply", flags: 0, ports: [port(1), port(2)] }, 4, 70)
    expect(Result.isFailure(ports) && ports.failure.message).toMatch(/entry of 64 bytes does not fit a 70-byte message/)
  })

  it.prop(
    "merge(split(reply, n)) is the reply, and every part fits n bytes",
    [TableStats.TableStatsReply, Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 6 }))],
    ([generated, perPart]) => {
      // The entries as OpenFlow 1.3 carries them (without 1.0's table descriptions).
      const reply = project(generated, 4)
      const max = 16 + 24 * perPart
      const parts = Result.getOrThrow(Multipart.split(reply, 4, max))
      for (const p of parts) expect(encodeOk(p).length).toBeLessThanOrEqual(max)
      expect(Multipart.merge(parts)).toEqual(Result.succeed({ ...reply, flags: reply.flags & ~more }))
    },
    { arbitrary: { runs: 100, seed: 17 } }
  )
})

describe("Multipart.assembler", () => {
  it("collects parts until the one without REPLY_MORE, then returns the merged reply", () => {
    const a = Multipart.assembler(TableStats.request)
    expect(a.add(part(more, 1))).toBeUndefined()
    expect(a.add(part(more, 2))).toBeUndefined()
    expect(a.size()).toBe(2)
    expect(a.add(part(0, 3))).toEqual(part(0, 1, 2, 3))
    // Complete: nothing more is accepted.
    expect((a.add(part(0, 4)) as { code: string }).code).toBe("OFPBRC_BAD_MULTIPART")
  })

  it("fails on a reply of another kind", () => {
    const a = Multipart.assembler(PortDesc.request)
    expect((a.add(part(0, 1)) as { code: string }).code).toBe("OFPBRC_BAD_MULTIPART")
  })

  it("bounds the parts it keeps", () => {
    const a = Multipart.assembler(TableStats.request, { maxParts: 3 })
    expect(a.add(part(more, 1))).toBeUndefined()
    expect(a.add(part(more, 2))).toBeUndefined()
    expect(a.add(part(more, 3))).toBeUndefined()
    expect((a.add(part(more, 4)) as { code: string }).code).toBe("OFPBRC_MULTIPART_BUFFER_OVERFLOW")
    expect(a.size()).toBe(0)
  })

  it("maps every request kind to a reply kind the catalog knows, in the same versions", () => {
    const versionsOf = (tag: string) => ([4, 5, 6] as const).filter((v) => Message.isEncodable(tag as Message.Tag, v))
    for (const [request, reply] of Object.entries(Multipart.replyTag)) {
      expect(versionsOf(request).length, request).toBeGreaterThan(0)
      expect(versionsOf(reply), reply).toEqual(versionsOf(request))
    }
    // 1.4's and 1.5's kinds are not in 1.3.
    expect(Message.isEncodable("TableDescRequest", 4)).toBe(false)
    expect(Message.isEncodable("TableDescRequest", 5)).toBe(true)
    expect(Message.isEncodable("FlowCountersRequest", 5)).toBe(false)
    expect(Message.isEncodable("FlowCountersRequest", 6)).toBe(true)
  })
})
