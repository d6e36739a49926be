/**
 * The examples of `packages/openflow/README.md`, run as written (with assertions where
 * the README shows a result in a comment), so the README cannot drift from the codec.
 *
 * Each `describe` is one README section; when an example there changes, change it here
 * too. Output the README quotes (error lines, sizes, JSON) is asserted exactly.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  Action,
  Desc,
  Encoder,
  ErrorMsg,
  FlowMod,
  FlowStats,
  Framing,
  GroupMod,
  GroupStats,
  Header,
  Instruction,
  Match,
  Message,
  MeterMod,
  MeterStats,
  Multipart,
  OpenFlowError,
  PacketIn,
  PacketOut,
  Port,
  PortDesc,
  PortStats,
  Uint,
  Version
} from "@switchyard/openflow"
import { Ipv4Address, MacAddress } from "@switchyard/packet"
import { Effect, Result, Schema } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const readme = fs.readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../README.md"), "utf8")

/** Asserts that the README quotes `text` exactly (an error line, a JSON text). */
const shown = (text: string) => expect(readme, "the README quotes it verbatim").toContain(text)

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex")
const encode13 = (m: Message.Message, xid = 0) => Result.getOrThrow(Message.encode(m, { version: Version.OF13, xid }))

/** A 1.3 PACKET_IN as Open vSwitch sends it for a table miss, and a 60-byte frame. */
const frame = Uint8Array.from({ length: 60 }, (_, i) => i)
const packetInBytes = encode13(PacketIn.make({ inPort: 3, data: frame, cookie: 0n }), 0x2a)

describe("README: Decoding", () => {
  it("Message.decode gives an envelope; the _tag says what it is", () => {
    const result = Message.decode(Uint8Array.of(4, 2, 0, 8, 0, 0, 0, 7))
    // Result.succeed({ version: 4, xid: 7, message: { _tag: "EchoRequest", data: Uint8Array [] } })
    expect(Result.isSuccess(result) && result.success).toEqual({
      version: 4,
      xid: 7,
      message: { _tag: "EchoRequest", data: new Uint8Array(0) }
    })

    const seen: Array<unknown> = []
    const handle = (bytes: Uint8Array) => {
      const result = Message.decode(bytes)
      if (Result.isFailure(result)) return seen.push(result.failure.toLine()) // the error a switch would send
      const { message, version, xid } = result.success
      switch (message._tag) {
        case "PacketIn":
          return seen.push([version, xid, PacketIn.inPort(message), message.data.length])
        case "PortStatus":
          return seen.push(message.desc.name)
        default:
          return seen.push(message._tag)
      }
    }
    handle(packetInBytes)
    handle(packetInBytes.subarray(0, 40))
    expect(seen).toEqual([
      [4, 42, 3, 60],
      "OFPET_BAD_REQUEST/OFPBRC_BAD_LEN: header length 102 does not match the 40 bytes of the message"
    ])
    shown(`"${seen[1]}"`)
  })

  it("decodeMessage: the hot-path form, version and xid read from the header", () => {
    const frames = [packetInBytes, Uint8Array.of(4, 99, 0, 8, 0, 0, 0, 1)]
    const out: Array<unknown> = []
    for (const frame of frames) {
      const message = Message.decodeMessage(frame) // the message or the error, nothing wrapped
      if (OpenFlowError.isOpenFlowError(message)) {
        out.push(message.code)
        continue
      }
      out.push([message._tag, Header.version(frame), Header.xid(frame)])
    }
    expect(out).toEqual([["PacketIn", 4, 42], "OFPBRC_BAD_TYPE"])
  })

  it("lenient reads what a switch would refuse, and writes it back byte for byte", () => {
    // A capture of a flow mod whose match breaks the prerequisites (tcp_dst without ip_proto).
    const capture = Result.getOrThrow(
      Message.encode(FlowMod.add({ match: { tcpDst: 80 } }), { version: Version.OF13, xid: 0, lenient: true })
    )
    const strict = Message.decode(capture)
    expect(Result.isFailure(strict) && strict.failure.toLine()).toBe(
      "OFPET_BAD_MATCH/OFPBMC_BAD_PREREQ: tcp_dst requires ip_proto=6 earlier in the match"
    )
    shown(`Failure: ${Result.isFailure(strict) && strict.failure.toLine()}`)
    const lenient = Result.getOrThrow(Message.decode(capture, { lenient: true }))
    const again = Message.encode(lenient.message, { version: lenient.version, xid: lenient.xid, lenient: true })
    expect(hex(Result.getOrThrow(again))).toBe(hex(capture))
    expect(Result.isFailure(Message.encode(lenient.message, { version: lenient.version, xid: lenient.xid }))).toBe(true)
  })

  it("byte fields are views into the input: copy what you keep", () => {
    const buffer = Uint8Array.from(packetInBytes)
    const msg = Message.decodeMessage(buffer) as PacketIn.PacketIn
    const kept = msg.data.slice()
    buffer.fill(0)
    expect(msg.data[1]).toBe(0) // the view saw the buffer change
    expect(kept[1]).toBe(1) // the copy did not
  })
})

describe("README: Encoding", () => {
  it("one value, any version", () => {
    const flow = FlowMod.add({ match: { inPort: 1 }, actions: [Action.output(2)], priority: 10 })
    const of13 = Message.encode(flow, { version: Version.OF13, xid: 1 }) // OXM match, apply-actions instruction: 88 bytes
    const of10 = Message.encode(flow, { version: Version.OF10, xid: 1 }) // fixed 40-byte match, flat action list: 80 bytes
    expect(Result.getOrThrow(of13).length).toBe(88)
    expect(Result.getOrThrow(of10).length).toBe(80)
    expect(Message.decode(Result.getOrThrow(of10)).pipe(Result.map((e) => e.message))).toEqual(
      Message.decode(Result.getOrThrow(of13)).pipe(Result.map((e) => e.message))
    )
    expect(Message.isEncodable("GroupMod", Version.OF10)).toBe(false)
  })

  it("the two kinds of encode failure", () => {
    const line = (m: Message.Message, version: Version.Version = Version.OF13) => {
      const r = Message.encode(m, { version, xid: 0 })
      if (Result.isFailure(r)) {
        // The README's table quotes each line from its code (OpenFlowError) or from "cannot encode X: " on.
        const text = r.failure.toLine()
        shown(r.failure._tag === "OpenFlowError" ? text.slice(text.indexOf("/") + 1) : text.replace(/^cannot encode \w+: /, ""))
      }
      return Result.isFailure(r) ? `${r.failure._tag}: ${r.failure.toLine()}` : "ok"
    }
    expect(line(FlowMod.add({ match: { tcpDst: 80 } }))).toBe(
      "OpenFlowError: OFPET_BAD_MATCH/OFPBMC_BAD_PREREQ: tcp_dst requires ip_proto=6 earlier in the match"
    )
    expect(line(FlowMod.add({ actions: [Action.setField("ethType", 0x0800)] }))).toBe(
      "OpenFlowError: OFPET_BAD_ACTION/OFPBAC_BAD_SET_ARGUMENT: set_field cannot write eth_type"
    )
    expect(line(GroupMod.delete(1), Version.OF10)).toBe(
      "OpenFlowError: OFPET_BAD_REQUEST/OFPBRC_BAD_VERSION: GroupMod cannot be encoded in OpenFlow 1.0"
    )
    expect(line(FlowMod.add({ priority: 70000 }))).toBe("EncodeError: cannot encode FlowMod: value 70000 does not fit 16 bits (at byte 30)")
    expect(line(FlowMod.add({ importance: 5 }))).toBe(
      "EncodeError: cannot encode FlowMod: flow mod importance 5 needs OpenFlow 1.4 or later (encoding OpenFlow 1.3)"
    )
    expect(line({ _tag: "EchoRequest", data: new Uint8Array(70000) })).toBe(
      "EncodeError: cannot encode EchoRequest: the message is 70008 bytes, over the 65535 its length field can hold"
    )
  })

  it("Encoder: a batch in one buffer, a failed message leaves the rest intact", () => {
    const flows = [
      FlowMod.add({ match: { inPort: 1 }, actions: [Action.output(2)] }),
      FlowMod.add({ match: { tcpDst: 80 } }), // refused: no prerequisites
      FlowMod.add({ match: { inPort: 2 }, actions: [Action.output(1)] })
    ]
    const encoder = Encoder.make(Version.OF13)
    let xid = 100
    const refused: Array<string> = []
    for (const flow of flows) {
      const error = encoder.add(flow, xid++)
      if (error !== undefined) refused.push(error.toLine()) // nothing was appended for this one
    }
    const batch = encoder.flush() // a fresh copy: hand it to the socket; the encoder is reusable
    expect(refused).toEqual(["OFPET_BAD_MATCH/OFPBMC_BAD_PREREQ: tcp_dst requires ip_proto=6 earlier in the match"])
    expect(batch.length).toBe(2 * 88)
    expect([Header.xid(batch, 0), Header.xid(batch, 88)]).toEqual([100, 102])
    expect(encoder.size).toBe(0)
  })
})

describe("README: Framing", () => {
  it("splits a stream chunked anyhow, and stops at a length below 8", () => {
    const handled: Array<string> = []
    const handle = (frame: Uint8Array) => {
      const m = Message.decodeMessage(frame)
      handled.push(OpenFlowError.isOpenFlowError(m) ? m.code : m._tag)
    }
    let closed: string | undefined

    const framer = Framing.make() // one per connection
    const frames: Array<Uint8Array> = []
    const onData = (chunk: Uint8Array): void => {
      const error = framer.push(chunk, frames) // appends every message this chunk completes
      for (const frame of frames) handle(frame)
      frames.length = 0
      if (error !== undefined) closed = error.toLine() // framing is lost: send the error, then close
    }

    const stream = new Uint8Array([...packetInBytes, ...Uint8Array.of(4, 2, 0, 8, 0, 0, 0, 1)])
    onData(stream.subarray(0, 5))
    onData(stream.subarray(5, 111))
    onData(stream.subarray(111))
    onData(Uint8Array.of(4, 2, 0, 4, 0, 0, 0, 2))
    expect(handled).toEqual(["PacketIn", "EchoRequest"])
    expect(closed).toBe("OFPET_BAD_REQUEST/OFPBRC_BAD_LEN: header length 4 is below the 8-byte header; framing is lost")
    shown("`OFPET_BAD_REQUEST/OFPBRC_BAD_LEN: header length 4 is below the 8-byte\nheader; framing is lost`")
  })
})

describe("README: Building messages", () => {
  it("flow mods", () => {
    const h1 = MacAddress.fromStringUnsafe("00:00:00:00:00:01")

    // Packets from port 1 to h1 go out of port 2, for 60 idle seconds.
    const unicast = FlowMod.add({
      match: { inPort: 1, ethDst: h1 },
      actions: [Action.output(2)],
      priority: 1,
      idleTimeout: 60
    })
    const miss = FlowMod.tableMiss() // priority 0, match all, whole packet to the controller
    const clearAll = FlowMod.delete() // every flow of every table (TABLE_ALL)
    const clearPort1 = FlowMod.delete({ match: { inPort: 1 }, tableId: 0 })
    const byCookie = FlowMod.delete({ cookie: 0x42n, cookieMask: Uint.UINT64_MAX })

    expect(unicast).toMatchObject({
      command: FlowMod.Command.ADD,
      tableId: 0,
      priority: 1,
      idleTimeout: 60,
      bufferId: FlowMod.NO_BUFFER,
      match: [{ field: "inPort", value: 1 }, { field: "ethDst", value: 1 }],
      instructions: [{ _tag: "ApplyActions", actions: [{ _tag: "Output", port: 2, maxLen: 0 }] }]
    })
    expect(miss).toMatchObject({
      priority: 0,
      match: [],
      instructions: [{ _tag: "ApplyActions", actions: [{ _tag: "Output", port: Port.CONTROLLER, maxLen: 0xffff }] }]
    })
    expect(clearAll).toMatchObject({ command: FlowMod.Command.DELETE, tableId: FlowMod.TABLE_ALL, match: [] })
    expect(clearPort1).toMatchObject({ command: FlowMod.Command.DELETE, tableId: 0 })
    expect(byCookie).toMatchObject({ cookie: 0x42n, cookieMask: 0xffff_ffff_ffff_ffffn })
    for (const m of [unicast, miss, clearAll, clearPort1, byCookie]) encode13(m)
  })

  it("multi-table pipelines", () => {
    const classify = FlowMod.add({
      tableId: 0,
      match: { inPort: 1 },
      instructions: [Instruction.writeMetadata(7n, 0xffn), Instruction.gotoTable(1)]
    })
    expect(encode13(classify).length).toBe(96)
  })

  it("packet-out", () => {
    const packetIn = Message.decodeMessage(packetInBytes) as PacketIn.PacketIn

    const flood = PacketOut.reply(packetIn, [Action.output(Port.FLOOD)]) // bufferId or data, inPort: all from the packet-in
    const probe = PacketOut.make({ actions: [Action.output(3)], data: frame }) // a frame the controller made (inPort CONTROLLER)

    expect(flood).toEqual({ _tag: "PacketOut", bufferId: PacketOut.NO_BUFFER, inPort: 3, actions: [Action.output(Port.FLOOD)], data: frame })
    expect(probe.inPort).toBe(Port.CONTROLLER)
    encode13(flood)
    encode13(probe)
  })

  it("matches: masks, prerequisites, VLANs, reading", () => {
    const web = Match.make({
      ethType: 0x0800, // ipv4Src needs eth_type=0x0800 earlier in the match
      ipv4Src: { value: Ipv4Address.fromStringUnsafe("10.0.0.0"), mask: Ipv4Address.prefixMask(8) },
      ipProto: 6, // tcpDst needs ip_proto=6
      tcpDst: 443
    })
    expect(Match.validate(web)).toBeUndefined()
    expect(Match.validate(Match.make({ tcpDst: 443 }))?.toLine()).toBe(
      "OFPET_BAD_MATCH/OFPBMC_BAD_PREREQ: tcp_dst requires ip_proto=6 earlier in the match"
    )
    expect(web.map((f) => f.field)).toEqual(["ethType", "ipProto", "ipv4Src", "tcpDst"])

    const vlan10 = Match.make({ vlanVid: Match.vlanVid(10) }) // 0x100a: OFPVID_PRESENT | 10
    const tagged = [Match.anyVlan] // any tagged packet
    const untagged = Match.make({ vlanVid: Match.VID_NONE })
    const oddMacs = Match.make({ ethDst: { value: 0x01_00_00_00_00_00, mask: 0x01_00_00_00_00_00 } }) // multicast bit

    expect(vlan10).toEqual([{ field: "vlanVid", value: 0x100a, mask: undefined }])
    for (const match of [web, vlan10, tagged, untagged, oddMacs]) expect(Match.validate(match)).toBeUndefined()

    const packetIn = Message.decodeMessage(packetInBytes) as PacketIn.PacketIn
    expect(Match.get(packetIn.match, "inPort")).toBe(3) // the value, or undefined
    expect(Match.get(web, "ipv4Src")).toBe(0x0a00_0000)
    expect(Match.oxmName("ipv4Src")).toBe("ipv4_src")
  })

  it("set-field and tags", () => {
    const tagAndSend = FlowMod.add({
      match: { inPort: 1 },
      actions: [Action.pushVlan(), Action.setField("vlanVid", Match.vlanVid(10)), Action.output(2)]
    })
    const nat = FlowMod.add({
      match: { ethType: 0x0800, ipv4Dst: Ipv4Address.fromStringUnsafe("203.0.113.1") },
      actions: [Action.setField("ipv4Dst", Ipv4Address.fromStringUnsafe("192.168.1.10")), Action.decNwTtl, Action.output(3)]
    })
    expect(encode13(tagAndSend).length).toBe(112)
    expect(encode13(nat).length).toBe(120)
  })

  it("groups", () => {
    const ecmp = GroupMod.add({
      groupId: 1,
      groupType: GroupMod.Type.SELECT,
      buckets: [
        GroupMod.bucket([Action.output(1)], { weight: 2 }), // twice the share of port 2
        GroupMod.bucket([Action.output(2)], { weight: 1 })
      ]
    })
    const failover = GroupMod.add({
      groupId: 2,
      groupType: GroupMod.Type.FF,
      buckets: [
        GroupMod.bucket([Action.output(1)], { watchPort: 1 }), // used while port 1 is up
        GroupMod.bucket([Action.output(2)], { watchPort: 2 })
      ]
    })
    const useIt = FlowMod.add({ match: { inPort: 3 }, actions: [Action.group(1)] })
    const dropAll = GroupMod.delete(GroupMod.ALL) // every group, and the flows that use them
    for (const m of [ecmp, failover, useIt, dropAll]) encode13(m)
    expect(ecmp.buckets.map((b) => b.weight)).toEqual([2, 1])
  })

  it("meters", () => {
    const limit = MeterMod.add({
      meterId: 1,
      flags: MeterMod.Flags.KBPS | MeterMod.Flags.BURST,
      bands: [MeterMod.drop(10_000, 1_000)] // above 10 Mb/s (bursts of 1 Mb), drop
    })
    const metered13 = FlowMod.add({ match: { inPort: 1 }, instructions: [Instruction.meter(1)], actions: [Action.output(2)] })
    const metered15 = FlowMod.add({ match: { inPort: 1 }, actions: [{ _tag: "MeterAction", meterId: 1 }, Action.output(2)] })
    encode13(limit)
    encode13(metered13)
    Result.getOrThrow(Message.encode(metered15, { version: Version.OF15, xid: 0 }))
    const r = Message.encode(metered13, { version: Version.OF15, xid: 0 })
    expect(Result.isFailure(r) && r.failure.toLine()).toBe(
      "OFPET_BAD_INSTRUCTION/OFPBIC_UNKNOWN_INST: instruction \"Meter\" does not exist in this OpenFlow version"
    )
    // FlowMod.add puts `actions` first: apply-actions, then the given instructions.
    expect(metered13.instructions.map((i) => i._tag)).toEqual(["ApplyActions", "Meter"])
  })

  it("multipart requests, merge and the assembler", () => {
    const requests = [
      Desc.request,
      PortDesc.request,
      PortStats.request(), // every port (Port.ANY)
      FlowStats.request({ tableId: 0, match: Match.make({ inPort: 1 }) }),
      FlowStats.aggregateRequest({ cookie: 0x42n, cookieMask: Uint.UINT64_MAX }),
      GroupStats.descRequest,
      MeterStats.configRequest() // every meter (MeterMod.ALL)
    ]
    for (const m of requests) encode13(m)

    const assembler = Multipart.assembler(PortDesc.request)
    const parts: Array<Message.Message> = [
      { _tag: "PortDescReply", flags: Multipart.Flags.REPLY_MORE, ports: [] },
      { _tag: "PortDescReply", flags: 0, ports: [] }
    ]
    const results = parts.map((message) => assembler.add(message)) // every reply carrying the request's xid
    expect(results).toEqual([undefined, { _tag: "PortDescReply", flags: 0, ports: [] }])

    const merged = Multipart.merge([
      { _tag: "PortDescReply", flags: Multipart.Flags.REPLY_MORE, ports: [] },
      { _tag: "PortDescReply", flags: Multipart.Flags.REPLY_MORE, ports: [] }
    ])
    expect(Result.isFailure(merged) && merged.failure.toLine()).toBe(
      "OFPET_BAD_REQUEST/OFPBRC_BAD_MULTIPART: the last PortDescReply part still has the more-flag set"
    )
  })
})

describe("README: Errors", () => {
  it("the error value", () => {
    const error = OpenFlowError.make("OFPBMC_BAD_PREREQ", "tcp_dst requires ip_proto=6 earlier in the match")
    expect(error._tag).toBe("OpenFlowError")
    expect(error.code).toBe("OFPBMC_BAD_PREREQ")
    expect(error.type).toBe("OFPET_BAD_MATCH")
    expect(error.reason).toEqual({ _tag: "BadMatch", code: "OFPBMC_BAD_PREREQ" })
    expect(error.toLine()).toBe("OFPET_BAD_MATCH/OFPBMC_BAD_PREREQ: tcp_dst requires ip_proto=6 earlier in the match")
    expect(OpenFlowError.describe("OFPBMC_BAD_PREREQ")).toBe("A prerequisite was not met.")
    expect(OpenFlowError.toWire("OFPBMC_BAD_PREREQ", Version.OF13)).toEqual({ type: 4, code: 9 })
    expect(OpenFlowError.toWire("OFPBMC_BAD_PREREQ", Version.OF10)).toEqual({ type: 1, code: 5 })
    expect(OpenFlowError.toWireExact("OFPBMC_BAD_PREREQ", Version.OF10)).toBeUndefined()
    expect(OpenFlowError.fromWire(Version.OF13, 4, 9)).toBe("OFPBMC_BAD_PREREQ")
    expect(OpenFlowError.fromWire(Version.OF10, 1, 5)).toBe("OFPBRC_EPERM") // what 1.0 receives for it
    expect(error.message).toBe("tcp_dst requires ip_proto=6 earlier in the match")
  })

  it.effect("catchReason handles one error type", () =>
    Effect.gen(function*() {
      const encode = (m: Message.Message) => Effect.fromResult(Message.encode(m, { version: Version.OF13, xid: 1 }))

      const skipBadMatches = (m: Message.Message) =>
        encode(m).pipe(
          Effect.catchReason("OpenFlowError", "BadMatch", (reason, error) =>
            Effect.as(Effect.logWarning(`not sent (${reason.code}): ${error.message}`), new Uint8Array(0)))
        ) // BadAction, BadInstruction, ... and EncodeError are still in the error channel

      expect((yield* skipBadMatches(FlowMod.add({ match: { tcpDst: 80 } }))).length).toBe(0)
      expect((yield* skipBadMatches(FlowMod.tableMiss())).length).toBe(80)
      const other = yield* Effect.flip(skipBadMatches(FlowMod.add({ actions: [Action.setField("ethType", 0x0800)] })))
      expect(other._tag === "OpenFlowError" && other.reason._tag).toBe("BadAction")
    }))

  it("answering a malformed request", () => {
    const request = Uint8Array.of(4, 99, 0, 8, 0, 0, 0, 5) // type 99: not OpenFlow 1.3
    const message = Message.decodeMessage(request)
    if (!OpenFlowError.isOpenFlowError(message)) throw new Error("expected an error")

    const raw = OpenFlowError.reply(message, Header.version(request), Header.xid(request), request) // bytes, ready to send
    const value = ErrorMsg.fromError(message, Header.version(request), request) // a message value, for an Encoder

    expect(hex(raw)).toBe("0401001400000005000100010463000800000005")
    expect(value).toEqual({ _tag: "ErrorMsg", errorType: 1, code: 1, data: request })
    expect(hex(encode13(value, 5))).toBe(hex(raw))

    const received = Result.getOrThrow(Message.decode(raw)).message
    expect(received._tag === "ErrorMsg" && ErrorMsg.errorName(received, Version.OF13)).toBe("OFPBRC_BAD_TYPE")
  })
})

describe("README: JSON", () => {
  it("Schema.toCodecJson(Message.Envelope)", () => {
    const json = Schema.toCodecJson(Message.Envelope)
    const flow = FlowMod.add({
      match: { ethType: 0x0800, ipv4Dst: { value: Ipv4Address.fromStringUnsafe("10.0.0.0"), mask: Ipv4Address.prefixMask(8) } },
      actions: [Action.setField("ethDst", MacAddress.fromStringUnsafe("aa:bb:cc:dd:ee:ff")), Action.output(2)],
      cookie: 0x1234_5678_9abc_def0n
    })
    const text = JSON.stringify(Schema.encodeSync(json)({ version: Version.OF13, xid: 1, message: flow }))
    const back = Schema.decodeUnknownSync(json)(JSON.parse(text)) // validated: a wrong field fails with its path

    expect(back).toEqual({ version: 4, xid: 1, message: flow })
    // The JSON the README prints, line breaks removed.
    const printed = `{"version":4,"xid":1,"message":{"_tag":"FlowMod","cookie":"1311768467463790320","cookieMask":"0",
 "tableId":0,"command":0,"idleTimeout":0,"hardTimeout":0,"priority":32768,"bufferId":4294967295,
 "outPort":4294967295,"outGroup":4294967295,"flags":0,
 "match":[{"field":"ethType","value":2048,"mask":null},{"field":"ipv4Dst","value":"10.0.0.0","mask":"255.0.0.0"}],
 "instructions":[{"_tag":"ApplyActions","actions":[
   {"_tag":"SetField","field":{"field":"ethDst","value":"aa:bb:cc:dd:ee:ff","mask":null}},
   {"_tag":"Output","port":2,"maxLen":0}]}]}}`
    expect(text).toBe(printed.replace(/\n\s*/g, ""))
    shown(printed)
    // On input an absent mask may be left out.
    const noMasks = JSON.parse(text)
    for (const f of noMasks.message.match) if (f.mask === null) delete f.mask
    expect(Schema.decodeUnknownSync(json)(noMasks)).toEqual(back)
    expect(JSON.parse(JSON.stringify(Schema.encodeSync(json)({ version: 4, xid: 0, message: { _tag: "EchoRequest", data: Uint8Array.of(1, 2, 3) } })))).toEqual({
      version: 4,
      xid: 0,
      message: { _tag: "EchoRequest", data: "AQID" }
    })
  })
})

describe("README: Property testing", () => {
  it.prop("packet-ins survive encode and decode in OpenFlow 1.3", [PacketIn.PacketIn], ([packetIn]) => {
    const bytes = Result.getOrThrow(Message.encode(packetIn, { version: Version.OF13, xid: 0 }))
    expect(Result.getOrThrow(Message.decode(bytes)).message).toEqual(packetIn)
  }, { arbitrary: { runs: 200, seed: 1 } })
})
