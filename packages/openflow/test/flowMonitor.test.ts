/**
 * OFPMP_FLOW_MONITOR (OpenFlow 1.4 §7.3.5.19; the same in 1.5): the request is a list of
 * monitors, the reply a list of flow updates. The vectors are checked against Ryu in
 * `conformance.test.ts`; here the layout by hand and hostile input.
 */
import { describe, expect, it } from "@effect/vitest"
import { FlowMonitor, Instruction, Match, Message, Port } from "@switchyard/openflow"
import { decodeError, encodeOk, hex, multipart, roundTrip } from "./families.ts"

describe("FlowMonitorRequest", () => {
  it("each monitor is monitor_id, out_port, out_group, flags, table_id, command and a match", () => {
    const m = FlowMonitor.add(7, { tableId: 1, match: Match.make({ inPort: 2 }) })
    expect(m.monitors[0]!.outPort).toBe(Port.ANY)
    for (const version of [5, 6]) {
      const bytes = multipart(version, false, 16, "00000007 ffffffff ffffffff 001f 01 00 | 0001 000c 80000004 00000002 00000000")
      expect(hex(encodeOk(m, version))).toBe(hex(bytes))
      expect(roundTrip(bytes)).toEqual(m)
    }
    expect(Message.isEncodable("FlowMonitorRequest", 4)).toBe(false)
  })

  it.each([
    ["a monitor short of its fixed part and match header", "OFPBRC_BAD_LEN", "00000007 ffffffff ffffffff 001f 01 00"],
    ["an unknown command", "OFPMOFC_BAD_COMMAND", "00000007 ffffffff ffffffff 001f 01 03 | 0001 0004 00000000"],
    ["a match without its prerequisite (checked strictly)", "OFPBMC_BAD_PREREQ", "00000007 ffffffff ffffffff 001f 01 00 | 0001 0009 80001401 06 00000000000000"]
  ])("%s is %s", (_name, code, body) => {
    decodeError(multipart(5, false, 16, body), code)
  })
})

describe("FlowMonitorReply", () => {
  const full: FlowMonitor.FlowUpdateFull = {
    _tag: "FlowUpdateFull",
    event: FlowMonitor.Event.ADDED,
    tableId: 1,
    reason: 0,
    idleTimeout: 10,
    hardTimeout: 20,
    priority: 30,
    cookie: 0x1122n,
    match: Match.make({ inPort: 2 }),
    instructions: [Instruction.gotoTable(3)]
  }
  const fullHex = "0030 0001 01 00 000a 0014 001e 00000000 0000000000001122 | 0001 000c 80000004 00000002 00000000 | 0001 0008 03 000000"

  it("full, abbreviated and paused updates, each with its length and event", () => {
    const m: FlowMonitor.FlowMonitorReply = {
      _tag: "FlowMonitorReply",
      flags: 0,
      updates: [full, { _tag: "FlowUpdateAbbrev", xid: 0x1234 }, { _tag: "FlowUpdatePaused", event: FlowMonitor.Event.PAUSED }]
    }
    const bytes = multipart(5, true, 16, `${fullHex} | 0008 0004 00001234 | 0008 0005 00000000`)
    expect(hex(encodeOk(m, 5))).toBe(hex(bytes))
    expect(roundTrip(bytes)).toEqual(m)
  })

  it("an event the spec does not define is kept opaque, byte for byte", () => {
    const bytes = multipart(5, true, 16, "0008 0009 abcdef01")
    expect(roundTrip(bytes)).toEqual({ _tag: "FlowMonitorReply", flags: 0, updates: [{ _tag: "FlowUpdateUnknown", event: 9, data: Uint8Array.of(0xab, 0xcd, 0xef, 0x01) }] })
  })

  it.each([
    ["an update header cut short", "OFPBRC_BAD_LEN", "0008"],
    ["an abbreviated update of length 12", "OFPBRC_BAD_LEN", "000c 0004 00001234 00000000"],
    ["a full update shorter than its fixed part and match header", "OFPBRC_BAD_LEN", "0018 0001 01 00 000a 0014 001e 00000000 0000000000001122"],
    ["a full update length past the message", "OFPBRC_BAD_LEN", fullHex.replace("0030", "0040")],
    ["a full update whose match runs past it", "OFPBMC_BAD_LEN", fullHex.replace("0030", "0028").replace(" | 0001 0008 03 000000", "").replace("0001 000c", "0001 0014")],
    ["a full update whose instruction runs past it", "OFPBIC_BAD_LEN", fullHex.replace("0001 0008 03", "0001 0010 03")]
  ])("%s is %s", (_name, code, body) => {
    decodeError(multipart(5, true, 16, body), code)
  })
})
