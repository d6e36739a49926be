import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import { Encoder, Framing, Hello, Message, OpenFlowError, Version } from "@switchyard/openflow"
import { packets, parseJsonBigInt, vectorsPresent } from "./vectors.ts"

describe("core codec", () => {
  it("parses big integers in JSON exactly", () => {
    expect(parseJsonBigInt('{"a": [18446744073709551615, 1, "x\\"y", null, true, -2.5e3]}')).toEqual({
      a: [18446744073709551615n, 1, 'x"y', null, true, -2500]
    })
  })

  it("round-trips the vectors of the families implemented so far", () => {
    if (!vectorsPresent) return
    const done = new Set(["Hello", "ErrorMsg", "ExperimenterErrorMsg", "EchoRequest", "EchoReply", "Experimenter", "FeaturesRequest", "FeaturesReply", "BarrierRequest", "BarrierReply"])
    let n = 0
    for (const v of packets("of13")) {
      const decoded = Message.decode(v.bytes)
      if (Result.isFailure(decoded)) continue
      if (!done.has(decoded.success.message._tag)) continue
      const encoded = Message.encode(decoded.success.message, { version: decoded.success.version, xid: decoded.success.xid })
      expect(Result.getOrThrow(encoded), v.name).toEqual(v.bytes)
      n++
    }
    expect(n).toBeGreaterThanOrEqual(10)
  })

  it("negotiates versions", () => {
    const ours = { hello: Hello.make([Version.OF13]), version: Version.OF13 }
    expect(Hello.negotiate(ours, { hello: Hello.make([1, 4, 5]), version: 5 })).toBe(4)
    expect(Hello.negotiate(ours, { hello: Hello.make([]), version: 1 })).toBe(undefined)
    expect(Hello.negotiate(ours, { hello: Hello.make([]), version: 6 })).toBe(4)
  })

  it("frames split and coalesced messages and rejects lengths below 8", () => {
    const enc = Encoder.make(Version.OF13)
    for (let i = 0; i < 5; i++) enc.add({ _tag: "EchoRequest", data: new Uint8Array(i * 10) }, i)
    const stream = enc.flush()
    for (let cut = 0; cut <= stream.length; cut++) {
      const f = Framing.make()
      const out: Array<Uint8Array> = []
      expect(f.push(stream.subarray(0, cut), out)).toBeUndefined()
      expect(f.push(stream.subarray(cut), out)).toBeUndefined()
      expect(out.map((m) => m.length)).toEqual([8, 18, 28, 38, 48])
    }
    const err = Framing.make().push(Uint8Array.of(4, 0, 0, 4, 0, 0, 0, 0), [])
    expect(err?.code).toBe("OFPBRC_BAD_LEN")
    expect(err?.toLine()).toMatch(/^OFPET_BAD_REQUEST\/OFPBRC_BAD_LEN: /)
  })

  it("reports encode range errors", () => {
    const r = Message.encode({ _tag: "FeaturesReply", datapathId: 1n, nBuffers: 0, nTables: 300, auxiliaryId: 0, capabilities: 0, reserved: 0 }, { version: 4, xid: 0 })
    expect(Result.isFailure(r) && r.failure._tag).toBe("EncodeError")
    const e = OpenFlowError.make("OFPBMC_DUP_FIELD", "x")
    expect(e.reason).toEqual({ _tag: "BadMatch", code: "OFPBMC_DUP_FIELD" })
  })
})

describe("encoding values built by untyped code", () => {
  it("returns an EncodeError instead of throwing", () => {
    const noMatch = { _tag: "FlowMod", cookie: 0n, priority: 1 } as unknown as Message.Message
    const r = Message.encode(noMatch, { version: 4, xid: 1 })
    expect(Result.isFailure(r) && r.failure._tag).toBe("EncodeError")
    const enc = Encoder.make(Version.OF13)
    expect(enc.add(noMatch, 1)?._tag).toBe("EncodeError")
    expect(enc.size).toBe(0)
  })
})
