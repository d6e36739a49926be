// The learning switch (examples/src/L2Switch.ts) against fake switches: Ryu's simple_switch_13
// behaviour observed on the switches' ports and flow tables, plus what it does where Ryu's app
// falls short (moving hosts, ports going down, bounded tables, timeouts). No sockets, no sleeps:
// every step settles deterministically, and time is TestClock's.
import { assert, describe, it } from "@effect/vitest"
import { Action, FlowMod, PacketIn, Port } from "@switchyard/openflow"
import { FakeNetwork, FakeSwitch, FlowTable, Frames, TestController } from "@switchyard/testkit"
import { Effect } from "effect"
import { TestClock } from "effect/testing"
import * as L2Switch from "../src/L2Switch.ts"

interface Host {
  readonly mac: string
  readonly ip: string
}
const h1: Host = { mac: "00:00:00:00:00:01", ip: "10.0.0.1" }
const h2: Host = { mac: "00:00:00:00:00:02", ip: "10.0.0.2" }
const h3: Host = { mac: "00:00:00:00:00:03", ip: "10.0.0.3" }

const udp = (from: Host, to: Host, text: string, size?: number) =>
  Frames.udp({ src: from.mac, dst: to.mac, srcIp: from.ip, dstIp: to.ip, payload: text, size })

/** The flow simple_switch_13 installs for traffic from `src` on `inPort` to `dst`. */
const learnedFlow = (inPort: number, src: Host, dst: Host) => ({ inPort, ethSrc: Frames.mac(src.mac), ethDst: Frames.mac(dst.mac) })

const flows = (sw: FakeSwitch.FakeSwitch) => sw.table.entries().filter((e) => !e.isTableMiss)

const provide = (options?: L2Switch.Options) => Effect.provide(TestController.layer(L2Switch.layer(options)))

describe("L2Switch (Ryu's simple_switch_13 on the testkit)", () => {
  it.effect("installs one table-miss flow when a switch connects: priority 0, every packet, whole, to the controller", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2, 3] })
      const entries = sw.table.entries()
      assert.strictEqual(entries.length, 1)
      const miss = entries[0]!
      assert.isTrue(miss.isTableMiss)
      assert.deepStrictEqual(miss.instructions, [{ _tag: "ApplyActions", actions: [Action.output(Port.CONTROLLER, Action.NO_BUFFER)] }])
      assert.deepStrictEqual(sw.table.outputs({ inPort: 1, ethSrc: 1, ethDst: 2 }), [Port.CONTROLLER])
    }).pipe(provide()))

  it.effect("floods a frame for an unknown destination out of every other port, unchanged, without installing a flow", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2, 3, 4] })
      const frame = udp(h1, h2, "h1 to unknown h2")
      const delivery = yield* sw.inject(1, frame)
      assert.deepStrictEqual(delivery.ports, [2, 3, 4])
      for (const port of [2, 3, 4]) assert.deepStrictEqual(delivery.on(port), [frame])
      assert.strictEqual(delivery.packetIns, 1)
      assert.deepStrictEqual(flows(sw), [])
      const [out] = sw.received("PacketOut")
      assert.deepStrictEqual(out!.actions, [Action.output(Port.FLOOD)])
      assert.strictEqual(out!.inPort, 1)
    }).pipe(provide()))

  it.effect("sends a frame for a learned destination out of that port only and installs an in_port/eth_src/eth_dst flow", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2, 3] })
      yield* sw.inject(1, udp(h1, h2, "h1 announces itself"))
      const reply = udp(h2, h1, "h2 answers")
      const delivery = yield* sw.inject(2, reply)
      assert.deepStrictEqual(delivery.ports, [1])
      assert.deepStrictEqual(delivery.on(1), [reply])
      const [flow] = flows(sw)
      assert.strictEqual(flow!.priority, 1)
      assert.strictEqual(flow!.idleTimeout, 0)
      assert.strictEqual(flow!.hardTimeout, 0)
      assert.deepStrictEqual(flow!.match, [
        { field: "inPort", value: 2, mask: undefined },
        { field: "ethDst", value: Frames.mac(h1.mac), mask: undefined },
        { field: "ethSrc", value: Frames.mac(h2.mac), mask: undefined }
      ])
      assert.deepStrictEqual(sw.table.outputs(learnedFlow(2, h2, h1)), [1])
      // Only that exact flow: the same pair from another port, or h3 to h1, still asks the controller.
      assert.deepStrictEqual(sw.table.outputs(learnedFlow(3, h2, h1)), [Port.CONTROLLER])
      assert.deepStrictEqual(sw.table.outputs(learnedFlow(3, h3, h1)), [Port.CONTROLLER])
    }).pipe(provide()))

  it.effect("switches later frames of a learned pair in the flow table, with no further packet-in", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2, 3] })
      yield* sw.inject(1, udp(h1, h2, "learn h1"))
      yield* sw.inject(2, udp(h2, h1, "learn h2, install h2 to h1"))
      yield* sw.inject(1, udp(h1, h2, "install h1 to h2"))
      const packetIns = sw.sent("PacketIn").length
      for (let i = 0; i < 20; i++) {
        const there = udp(h1, h2, `there ${i}`)
        const back = udp(h2, h1, `back ${i}`)
        assert.deepStrictEqual((yield* sw.inject(1, there)).on(2), [there])
        assert.deepStrictEqual((yield* sw.inject(2, back)).on(1), [back])
      }
      assert.strictEqual(sw.sent("PacketIn").length, packetIns)
      const counts = flows(sw).map((e) => e.packetCount).sort()
      assert.deepStrictEqual(counts, [20, 20])
    }).pipe(provide()))

  it.effect("learns a host from a broadcast ARP request and unicasts to it afterwards", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2, 3] })
      const arp = Frames.arpRequest({ src: h3.mac, senderIp: h3.ip, targetIp: h1.ip })
      assert.deepStrictEqual((yield* sw.inject(3, arp)).ports, [1, 2])
      const toH3 = udp(h1, h3, "h1 to h3")
      assert.deepStrictEqual((yield* sw.inject(1, toH3)).ports, [3])
      assert.deepStrictEqual(sw.table.outputs(learnedFlow(1, h1, h3)), [3])
    }).pipe(provide()))

  it.effect("ignores LLDP: the frame is neither forwarded nor learned from", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2, 3] })
      const lldp = yield* sw.inject(3, Frames.lldp({ src: h3.mac, portId: "3" }))
      assert.deepStrictEqual(lldp.ports, [])
      assert.strictEqual(lldp.packetIns, 1)
      assert.deepStrictEqual(sw.received("PacketOut"), [])
      // Had h3 been learned from the LLDP frame, this would go to port 3 only.
      assert.deepStrictEqual((yield* sw.inject(1, udp(h1, h3, "h3 is still unknown"))).ports, [2, 3])
      assert.deepStrictEqual(flows(sw), [])
    }).pipe(provide()))

  it.effect("keeps a separate MAC table for each datapath", () =>
    Effect.gen(function*() {
      const s1 = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2, 3] })
      const s2 = yield* FakeSwitch.connect({ dpid: 2n, ports: [1, 2, 3] })
      yield* s1.inject(1, udp(h1, h2, "h1 on datapath 1"))
      // On datapath 2, h1 is unknown: flooded, no flow.
      assert.deepStrictEqual((yield* s2.inject(2, udp(h2, h1, "h2 to h1 on datapath 2"))).ports, [1, 3])
      assert.deepStrictEqual(flows(s2), [])
      // Datapath 1 still knows h1, and did not learn h2 from datapath 2.
      assert.deepStrictEqual((yield* s1.inject(3, udp(h3, h2, "h3 to h2 on datapath 1"))).ports, [1, 2])
      assert.deepStrictEqual((yield* s1.inject(2, udp(h2, h1, "h2 to h1 on datapath 1"))).ports, [1])
    }).pipe(provide()))

  it.effect("follows a host that moves to another port: flows to its old port are removed", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2, 3] })
      yield* sw.inject(1, udp(h1, h2, "learn h1"))
      yield* sw.inject(2, udp(h2, h1, "learn h2 on port 2"))
      yield* sw.inject(1, udp(h1, h2, "install h1 to h2 via port 2"))
      assert.deepStrictEqual(sw.table.outputs(learnedFlow(1, h1, h2)), [2])
      // h2 shows up behind port 3.
      const moved = udp(h2, h1, "h2 now on port 3")
      assert.deepStrictEqual((yield* sw.inject(3, moved)).ports, [1])
      assert.deepStrictEqual(sw.table.outputs(learnedFlow(1, h1, h2)), [Port.CONTROLLER])
      assert.deepStrictEqual(sw.table.outputs(learnedFlow(2, h2, h1)), [Port.CONTROLLER])
      const after = udp(h1, h2, "h1 to h2 after the move")
      const delivery = yield* sw.inject(1, after)
      assert.deepStrictEqual(delivery.ports, [3])
      assert.deepStrictEqual(sw.table.outputs(learnedFlow(1, h1, h2)), [3])
    }).pipe(provide()))

  it.effect("learned flows expire after the idle timeout in virtual time, and the next frame is learned again", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2, 3] })
      yield* sw.inject(1, udp(h1, h2, "learn h1"))
      yield* sw.inject(2, udp(h2, h1, "install h2 to h1"))
      assert.strictEqual(flows(sw).length, 1)
      assert.strictEqual(flows(sw)[0]!.idleTimeout, 10)
      yield* TestClock.adjust("8 seconds")
      // Traffic keeps it alive: the idle timer restarts.
      yield* sw.inject(2, udp(h2, h1, "keeps the flow busy"))
      yield* TestClock.adjust("8 seconds")
      yield* sw.settle
      assert.strictEqual(flows(sw).length, 1)
      yield* TestClock.adjust("3 seconds")
      yield* sw.settle
      assert.deepStrictEqual(flows(sw), [])
      // The switch asks again; the controller still knows h1 and reinstalls the flow.
      const again = yield* sw.inject(2, udp(h2, h1, "after expiry"))
      assert.strictEqual(again.packetIns, 1)
      assert.deepStrictEqual(again.ports, [1])
      assert.strictEqual(flows(sw).length, 1)
    }).pipe(provide({ idleTimeout: 10 })))

  it.effect("a hard timeout removes a flow however busy it is", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2] })
      yield* sw.inject(1, udp(h1, h2, "learn h1"))
      yield* sw.inject(2, udp(h2, h1, "install"))
      for (let i = 0; i < 3; i++) {
        yield* TestClock.adjust("5 seconds")
        assert.strictEqual((yield* sw.inject(2, udp(h2, h1, `busy ${i}`))).packetIns, 0)
      }
      assert.strictEqual(flows(sw)[0]!.packetCount, 3)
      yield* TestClock.adjust("6 seconds")
      yield* sw.settle
      assert.deepStrictEqual(flows(sw), [])
    }).pipe(provide({ hardTimeout: 20 })))

  it.effect("answers a buffered packet-in with the buffer id: PACKET_OUT without data, or the FLOW_MOD releases it", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2, 3], nBuffers: 16 })
      const first = udp(h1, h2, "buffered, unknown destination")
      const flood = yield* sw.packetIn({ inPort: 1, frame: first, buffered: true })
      assert.deepStrictEqual(flood.ports, [2, 3])
      assert.deepStrictEqual(flood.on(2), [first])
      const [out] = sw.received("PacketOut")
      assert.notStrictEqual(out!.bufferId, PacketIn.NO_BUFFER)
      assert.strictEqual(out!.data.length, 0)
      yield* sw.inject(2, udp(h2, h1, "learn h2"))
      const known = udp(h1, h2, "buffered, known destination")
      const packetOuts = sw.received("PacketOut").length
      const unicast = yield* sw.packetIn({ inPort: 1, frame: known, buffered: true })
      assert.deepStrictEqual(unicast.ports, [2])
      assert.deepStrictEqual(unicast.on(2), [known])
      assert.strictEqual(sw.received("PacketOut").length, packetOuts)
      const mods = sw.received("FlowMod")
      assert.notStrictEqual(mods[mods.length - 1]!.bufferId, FlowMod.NO_BUFFER)
      assert.strictEqual(sw.bufferedPackets, 0)
    }).pipe(provide()))

  it.effect("forgets the hosts behind a port that goes down and removes the flows out of it", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2, 3] })
      yield* sw.inject(1, udp(h1, h2, "learn h1"))
      yield* sw.inject(2, udp(h2, h1, "learn h2"))
      yield* sw.inject(1, udp(h1, h2, "install h1 to h2"))
      yield* sw.portDown(2)
      assert.deepStrictEqual(flows(sw).map((e) => e.match), [])
      const logs = (yield* TestController.logs).filter((l) => l.level === "Info").map((l) => l.message)
      assert.include(logs, "l2switch: datapath 0000000000000001: port 2 (eth2) down, forgot 1 host")
      // h2 is unknown again: flooded, to the ports that are up.
      assert.deepStrictEqual((yield* sw.inject(1, udp(h1, h2, "where is h2?"))).ports, [3])
      yield* sw.portUp(2)
      assert.deepStrictEqual((yield* sw.inject(1, udp(h1, h2, "port 2 is back"))).ports, [2, 3])
    }).pipe(provide()))

  it.effect("bounds the MAC table of a datapath: beyond maxHosts the oldest host is forgotten", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2, 3, 4] })
      yield* sw.inject(1, udp(h1, h3, "h1"))
      yield* sw.inject(2, udp(h2, h3, "h2"))
      // h3 is the third host: h1, the oldest, is forgotten, so a frame to h1 is flooded.
      assert.deepStrictEqual((yield* sw.inject(3, udp(h3, h1, "h3 pushes h1 out"))).ports, [1, 2, 4])
      assert.deepStrictEqual((yield* sw.inject(3, udp(h3, h1, "h1 is still forgotten"))).ports, [1, 2, 4])
      assert.deepStrictEqual((yield* sw.inject(3, udp(h3, h2, "h2 is still known"))).ports, [2])
    }).pipe(provide({ maxHosts: 2 })))

  it.effect("never learns a multicast source address", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2, 3] })
      const group = "01:00:5e:00:00:01"
      yield* sw.inject(1, Frames.udp({ src: group, dst: h2.mac }))
      assert.deepStrictEqual((yield* sw.inject(2, Frames.udp({ src: h2.mac, dst: group }))).ports, [1, 3])
    }).pipe(provide()))

  it.effect("re-installs the same table-miss flow when a switch reconnects: the table converges", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2, 3] })
      yield* sw.inject(1, udp(h1, h2, "learn h1"))
      yield* sw.inject(2, udp(h2, h1, "install h2 to h1"))
      const before = sw.table.state()
      yield* sw.disconnect
      assert.isFalse(yield* sw.isConnected)
      yield* sw.reconnect
      assert.isTrue(yield* sw.isConnected)
      assert.strictEqual(sw.table.state(), before)
      assert.isUndefined(FlowTable.divergence(sw.table, [FlowMod.tableMiss()]))
      // The flow survived the reconnect in the switch; the new session learns afresh.
      assert.deepStrictEqual((yield* sw.inject(2, udp(h2, h1, "by the old flow"))).ports, [1])
    }).pipe(provide()))

  it.effect("logs one line per datapath event at Info, and nothing per packet", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2, 3] })
      for (let i = 0; i < 30; i++) {
        yield* sw.inject(1, udp(h1, h2, `h1 ${i}`))
        yield* sw.inject(2, udp(h2, h1, `h2 ${i}`))
      }
      yield* sw.portDown(3)
      yield* sw.disconnect
      const info = (yield* TestController.logs).filter((l) => l.level !== "Debug" && l.level !== "Trace").map((l) => l.message)
      assert.strictEqual(info.length, 3, info.join("\n"))
      assert.match(info[0]!, /^datapath 0000000000000001 up /)
      assert.match(info[1]!, /^l2switch: datapath 0000000000000001: port 3 \(eth3\) down, forgot 0 hosts$/)
      assert.match(info[2]!, /^datapath 0000000000000001 .* disconnected: /)
    }).pipe(provide()))

  it.effect("at Debug it logs the hosts it learns and the hosts that move, a line per batch", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2, 3] })
      yield* sw.inject(1, udp(h1, h2, "learn h1"))
      yield* sw.inject(3, udp(h1, h2, "h1 moves"))
      yield* sw.inject(3, udp(h1, h2, "nothing new"))
      const debug = (yield* TestController.logs).filter((l) => l.level === "Debug" && (l.message.includes(": learned ") || l.message.includes(" moved ")))
      assert.deepStrictEqual(debug.map((l) => l.message), [
        "l2switch: datapath 0000000000000001: learned 00:00:00:00:00:01 on port 1",
        "l2switch: datapath 0000000000000001: 00:00:00:00:00:01 moved from port 1 to 3"
      ])
    }).pipe(provide()))

  it.effect("keeps the switch connected over minutes of virtual time (echo keepalive answered)", () =>
    Effect.gen(function*() {
      const sw = yield* FakeSwitch.connect({ dpid: 1n, ports: [1, 2] })
      yield* TestClock.adjust("2 minutes")
      yield* sw.settle
      assert.isTrue(yield* sw.isConnected)
      assert.isAbove(sw.received("EchoRequest").length, 0)
    }).pipe(provide()))

  it.effect("switches across a network of two switches: flooding first, then a unicast path", () =>
    Effect.gen(function*() {
      const net = yield* FakeNetwork.make
      const s1 = yield* net.addSwitch({ dpid: 1n, ports: [1, 2, 3] })
      const s2 = yield* net.addSwitch({ dpid: 2n, ports: [1, 2, 3] })
      yield* net.link(s1, 3, s2, 3)
      const a = yield* net.addHost({ name: "a", switch: s1, port: 1, mac: h1.mac, ip: h1.ip })
      yield* net.addHost({ name: "b", switch: s1, port: 2, mac: h2.mac, ip: h2.ip })
      const c = yield* net.addHost({ name: "c", switch: s2, port: 1, mac: h3.mac, ip: h3.ip })
      yield* net.addHost({ name: "d", switch: s2, port: 2, mac: "00:00:00:00:00:04", ip: "10.0.0.4" })
      assert.deepStrictEqual((yield* net.udp(a, c, "a looks for c")).hosts, ["b", "c", "d"])
      const reply = yield* net.udp(c, a, "c answers a")
      assert.deepStrictEqual(reply.hosts, ["a"])
      const direct = yield* net.udp(a, c, "a to c by flows")
      assert.deepStrictEqual(direct.hosts, ["c"])
      const again = yield* net.udp(a, c, "no controller involved now")
      assert.deepStrictEqual(again.hosts, ["c"])
      assert.strictEqual(again.packetIns, 0)
    }).pipe(provide()))
})
