// Frames: the builders produce frames a switch parses as the test meant: right fields, valid
// lengths and checksums, the Ethernet minimum size, and the requested sizes and tags.
import { assert, describe, it } from "@effect/vitest"
import { Arp, FlowKey, Frame, Icmp, Ipv4Address, Ipv6Address, Lldp, MacAddress } from "@switchyard/packet"
import { Frames } from "@switchyard/testkit"

const check = (bytes: Uint8Array) => {
  const frame = Frame.decode(bytes)
  assert.deepStrictEqual(frame.errors, [], "decodes without errors")
  assert.deepStrictEqual(Frame.verifyChecksums(frame), [], "every checksum is valid")
  return frame
}

describe("Frames", () => {
  it("udp: addresses, ports and payload, padded to 60 bytes, or grown to the asked size", () => {
    const bytes = Frames.udp({ src: "00:00:00:00:00:01", dst: "00:00:00:00:00:02", srcIp: "10.0.0.1", dstIp: "10.0.0.2", srcPort: 5, dstPort: 53, payload: "hi" })
    assert.strictEqual(bytes.length, 60)
    const frame = check(bytes)
    const key = FlowKey.extract(frame)
    assert.deepStrictEqual([key.ethSrc, key.ethDst, key.ipv4Src, key.ipv4Dst, key.udpSrc, key.udpDst], [1, 2, Ipv4Address.fromStringUnsafe("10.0.0.1"), Ipv4Address.fromStringUnsafe("10.0.0.2"), 5, 53])
    assert.strictEqual(new TextDecoder().decode(frame.payload), "hi")
    const big = Frames.udp({ src: 1, dst: 2, size: 1514 })
    assert.strictEqual(big.length, 1514)
    assert.strictEqual(check(big).ipv4!.totalLength, 1500)
  })

  it("udp over IPv6 when an address has colons; tagged frames carry the VLAN id and priority", () => {
    const v6 = check(Frames.udp({ src: 1, dst: 2, srcIp: "fe80::1", dstIp: "2001:db8::2" }))
    assert.strictEqual(Ipv6Address.format(v6.ipv6!.dst), "2001:db8::2")
    const tagged = check(Frames.udp({ src: 1, dst: 2, vlan: { vid: 100, pcp: 5 } }))
    assert.deepStrictEqual([tagged.vlans[0]!.vid, tagged.vlans[0]!.pcp, tagged.etherType], [100, 5, 0x0800])
  })

  it("tcp, icmp echo and ethernet", () => {
    const tcp = check(Frames.tcp({ src: 1, dst: 2, dstPort: 443, flags: 0x012 }))
    assert.deepStrictEqual([tcp.tcp!.dstPort, tcp.tcp!.flags], [443, 0x012])
    const ping = check(Frames.icmpEcho({ src: 1, dst: 2, identifier: 7, sequence: 9 }))
    assert.deepStrictEqual([ping.icmp!.type, ping.icmp!.body], [Icmp.ECHO_REQUEST, { _tag: "Echo", identifier: 7, sequence: 9 }])
    const ping6 = check(Frames.icmpEcho({ src: 1, dst: 2, srcIp: "fe80::1", reply: true }))
    assert.strictEqual(ping6.icmp6!.type, 129)
    const raw = check(Frames.ethernet({ src: 1, dst: 2, etherType: 0x88b5, payload: "raw" }))
    assert.strictEqual(raw.etherType, 0x88b5)
  })

  it("ARP request and reply; LLDP to the nearest-bridge address", () => {
    const request = check(Frames.arpRequest({ src: "02:00:00:00:00:03", senderIp: "10.0.0.3", targetIp: "10.0.0.1" }))
    assert.strictEqual(request.ethernet!.dst, MacAddress.BROADCAST)
    assert.deepStrictEqual([request.arp!.operation, Ipv4Address.format(request.arp!.targetIp)], [Arp.REQUEST, "10.0.0.1"])
    const reply = check(Frames.arpReply({ src: 1, dst: 2, senderIp: "10.0.0.1", targetIp: "10.0.0.2" }))
    assert.deepStrictEqual([reply.arp!.operation, reply.arp!.targetMac], [Arp.REPLY, 2])
    const lldp = check(Frames.lldp({ src: 3, portId: "p3" }))
    assert.strictEqual(lldp.ethernet!.dst, Lldp.NEAREST_BRIDGE)
    assert.strictEqual(Lldp.portId(lldp.lldp!)!._tag, "PortId")
  })

  it("describe summarizes a frame in one line", () => {
    assert.strictEqual(
      Frames.describe(Frames.udp({ src: 1, dst: 2, srcIp: "10.0.0.1", dstIp: "10.0.0.2" })),
      "00:00:00:00:00:01 > 00:00:00:00:00:02 udp 10.0.0.1:40000 > 10.0.0.2:9 (60 bytes)"
    )
    assert.strictEqual(Frames.describe(new Uint8Array(5)), "runt frame (5 bytes)")
  })
})
