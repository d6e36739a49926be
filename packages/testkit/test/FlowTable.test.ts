// FlowTable against OpenFlow 1.3 §5 and §6.4: what a switch must do with each flow mod,
// and where packets go. Every expectation is a sentence of the spec (or Open vSwitch's
// behaviour where the spec is silent), checked by forwarding, not by message contents.
import { assert, describe, it } from "@effect/vitest"
import { Action, FlowMod, FlowRemoved, GroupMod, Instruction, Match, OpenFlowError, PacketIn, Port } from "@switchyard/openflow"
import { Frame, Ipv4Address } from "@switchyard/packet"
import { FlowTable, Frames } from "@switchyard/testkit"

const A = Frames.mac("00:00:00:00:00:0a")
const B = Frames.mac("00:00:00:00:00:0b")

const table = (options?: FlowTable.Options) => FlowTable.make({ ports: [1, 2, 3, 4], ...options })

const ok = (t: FlowTable.FlowTable, mod: FlowMod.FlowMod, now = 0) => {
  const { error, removed } = t.applyFlowMod(mod, now)
  assert.isUndefined(error, error?.toLine())
  return removed
}

const refused = (t: FlowTable.FlowTable, mod: FlowMod.FlowMod | GroupMod.GroupMod, code: OpenFlowError.ErrorName) => {
  const before = t.state()
  const { error } = mod._tag === "FlowMod" ? t.applyFlowMod(mod, 0) : t.applyGroupMod(mod, 0)
  assert.strictEqual(error?.code, code, error === undefined ? "accepted" : error.toLine())
  assert.strictEqual(t.state(), before, "a refused message changes nothing")
}

const out = (port: number) => [Action.output(port)]

describe("FlowTable: lookup (§5.3, §5.4)", () => {
  it("a packet takes the highest-priority entry whose every field matches", () => {
    const t = table()
    ok(t, FlowMod.add({ priority: 10, match: { inPort: 1 }, actions: out(2) }))
    ok(t, FlowMod.add({ priority: 20, match: { inPort: 1, ethDst: B }, actions: out(3) }))
    ok(t, FlowMod.add({ priority: 5, match: {}, actions: out(4) }))
    assert.deepStrictEqual(t.outputs({ inPort: 1, ethDst: B }), [3])
    assert.deepStrictEqual(t.outputs({ inPort: 1, ethDst: A }), [2])
    assert.deepStrictEqual(t.outputs({ inPort: 2, ethDst: B }), [4])
  })

  it("without a table-miss entry an unmatched packet is dropped; with one it goes where it says", () => {
    const t = table()
    ok(t, FlowMod.add({ priority: 10, match: { inPort: 1 }, actions: out(2) }))
    const miss = t.trace({ inPort: 3 })
    assert.deepStrictEqual(miss.outputs, [])
    assert.match(miss.drops[0]!, /table 0 has no entry matching/)
    ok(t, FlowMod.tableMiss())
    const result = t.trace({ inPort: 3, frame: Frames.udp({ src: A, dst: B }) })
    assert.deepStrictEqual(result.toController.map((c) => [c.reason, c.maxLen, c.tableId]), [[PacketIn.Reason.NO_MATCH, Action.NO_BUFFER, 0]])
  })

  it("masks: an IPv4 prefix, a MAC mask across the 32-bit boundary, and the VLAN present bit", () => {
    const t = table()
    ok(t, FlowMod.add({
      priority: 10,
      match: { ethType: 0x0800, ipv4Dst: { value: Ipv4Address.fromStringUnsafe("10.1.0.0"), mask: Ipv4Address.prefixMask(16) } },
      actions: out(2)
    }))
    // The multicast bit sits in the top 16 bits of a MAC: bitwise arithmetic over 48 bits.
    ok(t, FlowMod.add({ priority: 9, match: { ethDst: { value: 0x0100_0000_0000, mask: 0x0100_0000_0000 } }, actions: out(3) }))
    ok(t, FlowMod.add({ priority: 8, match: { vlanVid: { value: Match.VID_PRESENT, mask: Match.VID_PRESENT } }, actions: out(4) }))
    const frame = (dst: string, vlan?: number) => Frames.udp({ src: A, dst: "00:00:00:00:00:02", dstIp: dst, vlan })
    assert.deepStrictEqual(t.outputs({ inPort: 1, frame: frame("10.1.200.3") }), [2])
    assert.deepStrictEqual(t.outputs({ inPort: 1, frame: frame("10.2.0.1") }), [])
    assert.deepStrictEqual(t.outputs({ inPort: 1, frame: Frames.udp({ src: A, dst: "01:00:5e:00:00:fb", dstIp: "10.2.0.1" }) }), [3])
    assert.deepStrictEqual(t.outputs({ inPort: 1, frame: frame("10.2.0.1", 7) }), [4])
  })

  it("exact vlan_vid 0 (OFPVID_NONE) matches untagged packets only", () => {
    const t = table()
    ok(t, FlowMod.add({ priority: 10, match: { vlanVid: Match.VID_NONE }, actions: out(2) }))
    assert.deepStrictEqual(t.outputs({ inPort: 1, frame: Frames.udp({ src: A, dst: B }) }), [2])
    assert.deepStrictEqual(t.outputs({ inPort: 1, frame: Frames.udp({ src: A, dst: B, vlan: 5 }) }), [])
  })

  it("reports two entries of one priority that both match a packet (undefined in §5.3)", () => {
    const t = table()
    ok(t, FlowMod.add({ priority: 10, match: { inPort: 1 }, actions: out(2) }))
    ok(t, FlowMod.add({ priority: 10, match: { ethDst: B }, actions: out(3) }))
    const result = t.trace({ inPort: 1, ethDst: B })
    assert.deepStrictEqual(result.outputs.map((o) => o.port), [2])
    assert.match(result.problems[0]!, /matches two entries of priority 10/)
    assert.deepStrictEqual(t.trace({ inPort: 2, ethDst: B }).problems, [])
  })
})

describe("FlowTable: ADD (§6.4)", () => {
  it("an identical match and priority replaces the entry, keeps its counters, and removes nothing", () => {
    const t = table()
    ok(t, FlowMod.add({ priority: 10, match: { inPort: 1 }, actions: out(2) }))
    t.process({ inPort: 1, frame: Frames.udp({ src: A, dst: B }) }, 1000)
    const removed = ok(t, FlowMod.add({ priority: 10, match: { inPort: 1 }, actions: out(3), flags: FlowMod.Flags.SEND_FLOW_REM }), 2000)
    assert.deepStrictEqual(removed, [])
    const entries = t.entries()
    assert.strictEqual(entries.length, 1)
    assert.strictEqual(entries[0]!.packetCount, 1)
    assert.strictEqual(entries[0]!.installedAt, 2000)
    assert.deepStrictEqual(t.outputs({ inPort: 1 }), [3])
    ok(t, FlowMod.add({ priority: 10, match: { inPort: 1 }, actions: out(3), flags: FlowMod.Flags.RESET_COUNTS }))
    assert.strictEqual(t.entries()[0]!.packetCount, 0)
  })

  it("an all-ones mask is an exact match: the same entry", () => {
    const t = table()
    ok(t, FlowMod.add({ priority: 10, match: { ethDst: B }, actions: out(2) }))
    ok(t, FlowMod.add({ priority: 10, match: { ethDst: { value: B, mask: 0xffff_ffff_ffff } }, actions: out(3) }))
    assert.strictEqual(t.entries().length, 1)
  })

  it("CHECK_OVERLAP refuses an entry that could match the same packet at the same priority", () => {
    const t = table()
    ok(t, FlowMod.add({ priority: 10, match: { inPort: 1 }, actions: out(2) }))
    refused(t, FlowMod.add({ priority: 10, match: { ethDst: B }, actions: out(3), flags: FlowMod.Flags.CHECK_OVERLAP }), "OFPFMFC_OVERLAP")
    // Disjoint matches, another priority, or the identical entry are fine.
    ok(t, FlowMod.add({ priority: 10, match: { inPort: 2, ethDst: B }, actions: out(3), flags: FlowMod.Flags.CHECK_OVERLAP }))
    ok(t, FlowMod.add({ priority: 11, match: { ethDst: B }, actions: out(3), flags: FlowMod.Flags.CHECK_OVERLAP }))
    ok(t, FlowMod.add({ priority: 10, match: { inPort: 1 }, actions: out(4), flags: FlowMod.Flags.CHECK_OVERLAP }))
    assert.strictEqual(t.entries().length, 3)
  })

  it("refuses what a switch refuses, with the spec's codes, and changes nothing", () => {
    const t = table({ nTables: 4, maxEntries: 2 })
    refused(t, FlowMod.add({ tableId: 4, actions: out(1) }), "OFPFMFC_BAD_TABLE_ID")
    refused(t, FlowMod.add({ tableId: 2, instructions: [Instruction.gotoTable(1)] }), "OFPBIC_BAD_TABLE_ID")
    refused(t, FlowMod.add({ actions: out(Port.NORMAL) }), "OFPBAC_BAD_OUT_PORT")
    refused(t, FlowMod.add({ actions: out(Port.TABLE) }), "OFPBAC_BAD_OUT_PORT")
    refused(t, FlowMod.add({ actions: [Action.group(7)] }), "OFPBAC_BAD_OUT_GROUP")
    // Rewriting an IPv4 address in a flow that does not match IPv4 (Open vSwitch checks this too).
    refused(t, FlowMod.add({ match: { inPort: 1 }, actions: [Action.setField("ipv4Dst", 1), Action.output(2)] }), "OFPBAC_MATCH_INCONSISTENT")
    refused(t, FlowMod.add({ match: { inPort: 1 }, actions: [Action.setField("vlanVid", Match.vlanVid(5))] }), "OFPBAC_MATCH_INCONSISTENT")
    refused(
      t,
      FlowMod.add({ match: [{ field: "opaque", oxmClass: Match.NXM_1, oxmField: 0, hasMask: false, payload: new Uint8Array(4) }], actions: out(1) }),
      "OFPBMC_BAD_FIELD"
    )
    ok(t, FlowMod.add({ priority: 1, actions: out(1) }))
    ok(t, FlowMod.add({ priority: 2, actions: out(1) }))
    refused(t, FlowMod.add({ priority: 3, actions: out(1) }), "OFPFMFC_TABLE_FULL")
    // Replacing an entry of a full table is fine.
    ok(t, FlowMod.add({ priority: 2, actions: out(2) }))
  })

  it("a set-field is accepted once the match or an earlier push guarantees the header", () => {
    const t = table()
    ok(t, FlowMod.add({ match: { ethType: 0x0800 }, actions: [Action.setField("ipv4Dst", 1), Action.output(2)] }))
    ok(t, FlowMod.add({ priority: 2, match: { inPort: 1 }, actions: [Action.pushVlan(), Action.setField("vlanVid", Match.vlanVid(5)), Action.output(2)] }))
  })
})

describe("FlowTable: MODIFY and DELETE (§6.4)", () => {
  const setup = () => {
    const t = table()
    ok(t, FlowMod.add({ priority: 10, match: { inPort: 1, ethDst: A }, actions: out(2), cookie: 0x11n }))
    ok(t, FlowMod.add({ priority: 10, match: { inPort: 1, ethDst: B }, actions: out(3), cookie: 0x12n }))
    ok(t, FlowMod.add({ priority: 20, match: { inPort: 1 }, actions: out(3), cookie: 0x21n }))
    ok(t, FlowMod.add({ priority: 10, match: { inPort: 2 }, actions: [Action.output(4)], cookie: 0x22n, flags: FlowMod.Flags.SEND_FLOW_REM }))
    return t
  }

  it("non-strict MODIFY changes the instructions of every entry at least as specific, keeping cookie and counters", () => {
    const t = setup()
    t.process({ inPort: 1, ethDst: A }, 0)
    ok(t, FlowMod.modify({ match: { inPort: 1 }, actions: out(4) }))
    const modified = t.entries().filter((e) => Match.get(e.match, "inPort") === 1)
    assert.strictEqual(modified.length, 3)
    for (const e of modified) assert.deepStrictEqual(Instruction.appliedActions(e.instructions), out(4))
    assert.deepStrictEqual(modified.map((e) => e.cookie).sort(), [0x11n, 0x12n, 0x21n])
    assert.strictEqual(modified.reduce((n, e) => n + e.packetCount, 0), 1)
  })

  it("MODIFY_STRICT changes only the entry with exactly that match and priority; no match is not an error", () => {
    const t = setup()
    ok(t, FlowMod.modifyStrict({ priority: 10, match: { inPort: 1, ethDst: A }, actions: out(4) }))
    assert.deepStrictEqual(t.outputs({ inPort: 1, ethDst: A }), [3]) // the priority-20 entry still wins
    assert.deepStrictEqual(Instruction.appliedActions(t.lookup({ inPort: 1, ethDst: A })!.instructions), out(3))
    const before = t.state()
    ok(t, FlowMod.modifyStrict({ priority: 11, match: { inPort: 1, ethDst: A }, actions: out(4) }))
    ok(t, FlowMod.modify({ match: { inPort: 3 }, actions: out(4) }))
    assert.strictEqual(t.state(), before)
  })

  it("DELETE filters on the match, the cookie under its mask, out_port and out_group", () => {
    const t = setup()
    ok(t, FlowMod.delete({ cookie: 0x10n, cookieMask: 0xf0n }))
    assert.deepStrictEqual(t.entries().map((e) => e.cookie).sort(), [0x21n, 0x22n])
    const t2 = setup()
    ok(t2, FlowMod.delete({ match: { inPort: 1 }, outPort: 3 }))
    assert.deepStrictEqual(t2.entries().map((e) => e.cookie).sort(), [0x11n, 0x22n])
    const t3 = setup()
    const removed = ok(t3, FlowMod.delete({ tableId: 0, match: { inPort: 2 } }))
    assert.deepStrictEqual(removed.map((r) => [r.entry.cookie, r.reason]), [[0x22n, FlowRemoved.Reason.DELETE]])
    const message = FlowTable.flowRemoved(removed[0]!, 1500)
    assert.deepStrictEqual([message.reason, message.durationSec, message.durationNsec, message.priority], [FlowRemoved.Reason.DELETE, 1, 500_000_000, 10])
  })

  it("DELETE_STRICT removes exactly one entry; a wider DELETE in every table removes everything", () => {
    const t = setup()
    ok(t, FlowMod.deleteStrict({ priority: 20, match: { inPort: 1 } }))
    assert.strictEqual(t.entries().length, 3)
    ok(t, FlowMod.deleteStrict({ priority: 10, match: { inPort: 1 } }))
    assert.strictEqual(t.entries().length, 3)
    ok(t, FlowMod.delete())
    assert.deepStrictEqual(t.entries(), [])
  })
})

describe("FlowTable: timeouts (§5.5)", () => {
  it("an idle timeout counts from the last matching packet; a hard timeout from installation", () => {
    const t = table()
    ok(t, FlowMod.add({ priority: 1, match: { inPort: 1 }, actions: out(2), idleTimeout: 10, flags: FlowMod.Flags.SEND_FLOW_REM }), 0)
    ok(t, FlowMod.add({ priority: 1, match: { inPort: 2 }, actions: out(1), hardTimeout: 15, idleTimeout: 100 }), 0)
    assert.strictEqual(t.nextDeadline(), 10_000)
    t.process({ inPort: 1 }, 8_000)
    assert.strictEqual(t.nextDeadline(), 15_000)
    assert.deepStrictEqual(t.expire(14_999), [])
    const hard = t.expire(15_000)
    assert.deepStrictEqual(hard.map((r) => r.reason), [FlowRemoved.Reason.HARD_TIMEOUT])
    const idle = t.expire(18_000)
    assert.deepStrictEqual(idle.map((r) => r.reason), [FlowRemoved.Reason.IDLE_TIMEOUT])
    assert.strictEqual(FlowTable.flowRemoved(idle[0]!, 18_000).packetCount, 1n)
    assert.strictEqual(t.nextDeadline(), undefined)
  })
})

describe("FlowTable: instructions and the action set (§5.9, §5.10)", () => {
  it("write-actions run at the end of the pipeline in the action set's order: set-field before output", () => {
    const t = table()
    ok(t, FlowMod.add({
      match: { ethType: 0x0800 },
      instructions: [Instruction.writeActions([Action.output(2), Action.setField("ipv4Dst", Ipv4Address.fromStringUnsafe("192.0.2.1"))])]
    }))
    const frame = Frames.udp({ src: A, dst: B, srcIp: "10.0.0.1", dstIp: "10.0.0.2" })
    const [sent] = t.trace({ inPort: 1, frame }).outputs
    const decoded = Frame.decode(sent!.frame!)
    assert.strictEqual(Ipv4Address.format(decoded.ipv4!.dst), "192.0.2.1")
    assert.deepStrictEqual(Frame.verifyChecksums(decoded), [], "the rewritten frame has valid IPv4 and UDP checksums")
  })

  it("apply-actions run in list order: an output before a set-field sends the original frame", () => {
    const t = table()
    ok(t, FlowMod.add({ match: { ethType: 0x0800 }, actions: [Action.output(2), Action.setField("ethDst", A), Action.output(3)] }))
    const frame = Frames.udp({ src: B, dst: B })
    const outputs = t.trace({ inPort: 1, frame }).outputs
    assert.deepStrictEqual(outputs[0]!.frame, frame)
    assert.strictEqual(Frame.decode(outputs[1]!.frame!).ethernet!.dst, A)
  })

  it("goto-table, write-metadata and clear-actions: a two-table pipeline", () => {
    const t = table({ nTables: 2 })
    ok(t, FlowMod.add({
      tableId: 0,
      match: { inPort: 1 },
      instructions: [Instruction.writeActions(out(4)), Instruction.writeMetadata(0x5n, 0xffn), Instruction.gotoTable(1)]
    }))
    ok(t, FlowMod.add({
      tableId: 0,
      match: { inPort: 2 },
      instructions: [Instruction.writeActions(out(4)), Instruction.gotoTable(1)]
    }))
    ok(t, FlowMod.add({ tableId: 1, priority: 10, match: { metadata: { value: 0x5n, mask: 0xffn } }, actions: out(2) }))
    ok(t, FlowMod.add({ tableId: 1, priority: 5, match: {}, instructions: [Instruction.clearActions] }))
    const one = t.trace({ inPort: 1 })
    assert.deepStrictEqual(one.outputs.map((o) => o.port), [2, 4])
    assert.deepStrictEqual(one.path.map((e) => e.tableId), [0, 1])
    const two = t.trace({ inPort: 2 })
    assert.deepStrictEqual(two.outputs, [])
    assert.match(two.drops.join(";"), /action set is empty/)
  })

  it("a group in the action set overrides an output", () => {
    const t = table()
    t.applyGroupMod(GroupMod.add({ groupId: 1, groupType: GroupMod.Type.INDIRECT, buckets: [GroupMod.bucket(out(3))] }), 0)
    ok(t, FlowMod.add({ priority: 10, instructions: [Instruction.writeActions([Action.output(2), Action.group(1)])] }))
    assert.deepStrictEqual(t.outputs({ inPort: 1 }), [3])
  })
})

describe("FlowTable: output ports (§4.5)", () => {
  it("FLOOD and ALL skip the ingress port; FLOOD also skips blocked ports; down ports transmit nothing", () => {
    const t = table()
    t.ports.set(3, FlowTable.port(3, { state: Port.State.BLOCKED }))
    t.ports.set(4, FlowTable.port(4, { state: Port.State.LINK_DOWN }))
    ok(t, FlowMod.add({ match: { inPort: 1 }, actions: out(Port.FLOOD) }))
    ok(t, FlowMod.add({ match: { inPort: 2 }, actions: out(Port.ALL) }))
    assert.deepStrictEqual(t.outputs({ inPort: 1 }), [2])
    assert.deepStrictEqual(t.outputs({ inPort: 2 }), [1, 3])
  })

  it("output to the ingress port is dropped unless it says IN_PORT", () => {
    const t = table()
    ok(t, FlowMod.add({ match: { inPort: 1 }, actions: out(1) }))
    ok(t, FlowMod.add({ match: { inPort: 2 }, actions: out(Port.IN_PORT) }))
    const looped = t.trace({ inPort: 1 })
    assert.deepStrictEqual(looped.outputs, [])
    assert.match(looped.drops[0]!, /ingress port: dropped \(use IN_PORT\)/)
    assert.deepStrictEqual(t.outputs({ inPort: 2 }), [2])
  })

  it("output to CONTROLLER from a rule other than the table-miss entry has reason ACTION and the rule's cookie", () => {
    const t = table()
    ok(t, FlowMod.add({ priority: 5, cookie: 0xabn, match: { inPort: 1 }, actions: [Action.output(Port.CONTROLLER, 128)] }))
    const [c] = t.trace({ inPort: 1, frame: Frames.udp({ src: A, dst: B }) }).toController
    assert.deepStrictEqual([c!.reason, c!.cookie, c!.maxLen], [PacketIn.Reason.ACTION, 0xabn, 128])
  })

  it("push and pop VLAN edit the frame: the tag carries the EtherType, and pop restores the original bytes", () => {
    const t = table()
    ok(t, FlowMod.add({ match: { inPort: 1 }, actions: [Action.pushVlan(), Action.setField("vlanVid", Match.vlanVid(42)), Action.output(2)] }))
    ok(t, FlowMod.add({ match: { inPort: 2, vlanVid: Match.vlanVid(42) }, actions: [Action.popVlan, Action.output(3)] }))
    const frame = Frames.udp({ src: A, dst: B, pad: false })
    const [tagged] = t.trace({ inPort: 1, frame }).outputs
    const decoded = Frame.decode(tagged!.frame!)
    assert.strictEqual(decoded.vlans[0]!.vid, 42)
    assert.strictEqual(decoded.etherType, 0x0800)
    const [untagged] = t.trace({ inPort: 2, frame: tagged!.frame! }).outputs
    assert.deepStrictEqual(untagged!.frame, frame)
  })
})

describe("FlowTable: groups (§5.6, §6.5)", () => {
  it("ALL copies to every bucket; INDIRECT runs its one bucket; SELECT picks one bucket per flow by weight", () => {
    const t = table()
    assert.isUndefined(t.applyGroupMod(GroupMod.add({ groupId: 1, groupType: GroupMod.Type.ALL, buckets: [GroupMod.bucket(out(2)), GroupMod.bucket(out(3))] }), 0).error)
    assert.isUndefined(t.applyGroupMod(GroupMod.add({ groupId: 2, groupType: GroupMod.Type.SELECT, buckets: [GroupMod.bucket(out(2), { weight: 1 }), GroupMod.bucket(out(3), { weight: 1 }), GroupMod.bucket(out(4), { weight: 0 })] }), 0).error)
    ok(t, FlowMod.add({ match: { inPort: 1 }, actions: [Action.group(1)] }))
    ok(t, FlowMod.add({ match: { inPort: 4 }, actions: [Action.group(2)] }))
    assert.deepStrictEqual(t.outputs({ inPort: 1 }), [2, 3])
    const chosen = new Set<number>()
    for (let i = 0; i < 64; i++) {
      const probe = { inPort: 4, frame: Frames.udp({ src: A, dst: B, srcPort: 1000 + i }) }
      const ports = t.outputs(probe)
      assert.strictEqual(ports.length, 1)
      assert.deepStrictEqual(t.outputs(probe), ports, "the same flow always takes the same bucket")
      chosen.add(ports[0]!)
    }
    assert.deepStrictEqual([...chosen].sort(), [2, 3], "weight 0 is never chosen; both others are")
  })

  it("fast failover uses the first bucket whose watched port is live", () => {
    const t = table()
    t.applyGroupMod(GroupMod.add({
      groupId: 5,
      groupType: GroupMod.Type.FF,
      buckets: [GroupMod.bucket(out(2), { watchPort: 2 }), GroupMod.bucket(out(3), { watchPort: 3 })]
    }), 0)
    ok(t, FlowMod.add({ match: { inPort: 1 }, actions: [Action.group(5)] }))
    assert.deepStrictEqual(t.outputs({ inPort: 1 }), [2])
    t.ports.set(2, FlowTable.port(2, { state: Port.State.LINK_DOWN }))
    assert.deepStrictEqual(t.outputs({ inPort: 1 }), [3])
  })

  it("group mods are checked: exists, unknown, loops, chained deletes; deleting a group deletes its flows", () => {
    const t = table()
    const add = (groupId: number, actions: ReadonlyArray<Action.Action>) => GroupMod.add({ groupId, groupType: GroupMod.Type.ALL, buckets: [GroupMod.bucket(actions)] })
    assert.isUndefined(t.applyGroupMod(add(1, out(2)), 0).error)
    refused(t, add(1, out(3)), "OFPGMFC_GROUP_EXISTS")
    refused(t, GroupMod.modify({ groupId: 9, groupType: GroupMod.Type.ALL, buckets: [] }), "OFPGMFC_UNKNOWN_GROUP")
    refused(t, GroupMod.add({ groupId: 3, groupType: GroupMod.Type.INDIRECT, buckets: [] }), "OFPGMFC_INVALID_GROUP")
    refused(t, add(4, [Action.group(8)]), "OFPGMFC_BAD_BUCKET")
    assert.isUndefined(t.applyGroupMod(add(2, [Action.group(1)]), 0).error)
    refused(t, GroupMod.modify({ groupId: 1, groupType: GroupMod.Type.ALL, buckets: [GroupMod.bucket([Action.group(2)])] }), "OFPGMFC_LOOP")
    refused(t, GroupMod.delete(1), "OFPGMFC_CHAINED_GROUP")
    ok(t, FlowMod.add({ match: { inPort: 1 }, actions: [Action.group(2)], flags: FlowMod.Flags.SEND_FLOW_REM }))
    const { error, removed } = t.applyGroupMod(GroupMod.delete(2), 0)
    assert.isUndefined(error)
    assert.deepStrictEqual(removed.map((r) => r.reason), [FlowRemoved.Reason.GROUP_DELETE])
    assert.deepStrictEqual(t.entries(), [])
  })
})

describe("FlowTable: statistics, state and convergence", () => {
  it("flow statistics select entries as a non-strict delete does", () => {
    const t = table()
    ok(t, FlowMod.add({ priority: 1, match: { inPort: 1, ethDst: B }, actions: out(2), cookie: 1n }), 0)
    ok(t, FlowMod.add({ priority: 1, match: { inPort: 2 }, actions: out(3), cookie: 2n }), 0)
    t.process({ inPort: 1, ethDst: B, frame: Frames.udp({ src: A, dst: B }) }, 500)
    const all = t.flowStats({ tableId: 0xff, outPort: Port.ANY, outGroup: 0xffff_ffff, cookie: 0n, cookieMask: 0n, match: [] }, 2500)
    assert.strictEqual((all as ReadonlyArray<unknown>).length, 2)
    const one = t.flowStats({ tableId: 0, outPort: 2, outGroup: 0xffff_ffff, cookie: 0n, cookieMask: 0n, match: Match.make({ inPort: 1 }) }, 2500)
    assert.deepStrictEqual((one as ReadonlyArray<{ cookie: bigint; packetCount: bigint; byteCount: bigint; durationSec: number }>).map((s) => [s.cookie, s.packetCount, s.byteCount, s.durationSec]), [[1n, 1n, 60n, 2]])
    assert.instanceOf(t.flowStats({ tableId: 254, outPort: Port.ANY, outGroup: 0xffff_ffff, cookie: 0n, cookieMask: 0n, match: [] }, 0), OpenFlowError.OpenFlowError)
  })

  it("the state and hash ignore counters and the order entries were added in", () => {
    const a = table()
    const b = table()
    const m1 = FlowMod.add({ priority: 1, match: { inPort: 1 }, actions: out(2) })
    const m2 = FlowMod.add({ priority: 2, match: { inPort: 2 }, actions: out(1) })
    ok(a, m1)
    ok(a, m2)
    ok(b, m2)
    ok(b, m1)
    a.process({ inPort: 1 }, 0)
    assert.strictEqual(a.hash(), b.hash())
    assert.match(a.hash(), /^[0-9a-f]{16}$/)
    ok(b, FlowMod.add({ priority: 2, match: { inPort: 2 }, actions: out(3) }))
    assert.notStrictEqual(a.hash(), b.hash())
  })

  it("divergence: re-sending an app's batch must leave the table as it is", () => {
    const t = table()
    const batch = [FlowMod.tableMiss(), FlowMod.add({ priority: 1, match: { inPort: 1 }, actions: out(2) })]
    for (const m of batch) ok(t, m)
    assert.isUndefined(FlowTable.divergence(t, batch))
    const drifting = [FlowMod.add({ priority: 1, match: { inPort: 1 }, actions: out(3) })]
    const d = FlowTable.divergence(t, drifting)
    assert.isDefined(d)
    assert.notStrictEqual(d!.before, d!.after)
    assert.strictEqual(t.entries().length, 2, "the table itself is not touched")
  })
})
