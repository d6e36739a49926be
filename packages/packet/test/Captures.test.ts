/**
 * Frames the Linux kernel wrote, checked against what TShark decodes from them.
 *
 * `fixtures/kernel-veth.pcap` and `fixtures/kernel-veth.tshark.json` are described in
 * `fixtures/README.md`. Every checksum in the capture was computed by the kernel and
 * verified good by TShark, so they are independent of this package's code.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import { FlowKey, Frame, Icmp6, Ipv4Address, Ipv6, Ipv6Address, Lldp, MacAddress, Pcap } from "@switchyard/packet"
import { fixtures, hex } from "./support.ts"

const file = Result.getOrThrow(Pcap.decode(new Uint8Array(readFileSync(join(fixtures, "kernel-veth.pcap")))))
const tshark: Array<Record<string, string>> = JSON.parse(readFileSync(join(fixtures, "kernel-veth.tshark.json"), "utf8"))

const num = (s: string | undefined) => (s === undefined ? undefined : Number(s))

describe("kernel capture", () => {
  it("is a little-endian microsecond Ethernet capture of 46 frames", () => {
    expect(file.linkType).toBe(Pcap.LINKTYPE_ETHERNET)
    expect(file.byteOrder).toBe("little")
    expect(file.precision).toBe("micro")
    expect(file.truncated).toBe(false)
    expect(file.records.length).toBe(46)
    expect(tshark.length).toBe(46)
  })

  for (const [index, t] of tshark.entries()) {
    it(`frame ${t["frame.number"]} decodes as TShark says, verifies and rebuilds`, () => {
      const record = file.records[index]!
      const frame = Frame.decode(record.data)
      expect(frame.errors).toEqual([])
      expect(Frame.verifyChecksums(frame)).toEqual([])
      expect(Frame.buildUnsafe(frame.layers)).toEqual(record.data)

      const eth = frame.ethernet!
      expect(MacAddress.format(eth.dst)).toBe(t["eth.dst"])
      expect(MacAddress.format(eth.src)).toBe(t["eth.src"])
      expect(frame.etherType).toBe(num(t["eth.type"]))

      const ip = frame.ipv4
      if (t["ip.src"] !== undefined) {
        expect(Ipv4Address.format(ip!.src)).toBe(t["ip.src"])
        expect(Ipv4Address.format(ip!.dst)).toBe(t["ip.dst"])
        expect(ip!.protocol).toBe(num(t["ip.proto"]))
        expect(ip!.identification).toBe(num(t["ip.id"]))
        expect(ip!.ttl).toBe(num(t["ip.ttl"]))
        expect(ip!.checksum).toBe(num(t["ip.checksum"]))
        expect(ip!.moreFragments).toBe(t["ip.flags.mf"] === "1")
        expect(ip!.fragmentOffset).toBe(num(t["ip.frag_offset"]))
      } else {
        expect(ip).toBeUndefined()
      }

      const ip6 = frame.ipv6
      if (t["ipv6.src"] !== undefined) {
        expect(Ipv6Address.format(ip6!.src)).toBe(t["ipv6.src"])
        expect(Ipv6Address.format(ip6!.dst)).toBe(t["ipv6.dst"])
        expect(ip6!.nextHeader).toBe(num(t["ipv6.nxt"]))
        expect(ip6!.payloadLength).toBe(num(t["ipv6.plen"]))
        expect(ip6!.flowLabel).toBe(num(t["ipv6.flow"]))
        expect(ip6!.hopLimit).toBe(num(t["ipv6.hlim"]))
        if (t["ipv6.fraghdr.ident"] !== undefined) {
          expect(Ipv6.fragment(ip6!)?.identification).toBe(num(t["ipv6.fraghdr.ident"]))
        }
      } else {
        expect(ip6).toBeUndefined()
      }

      // TShark reports the reassembled datagram's transport fields on every fragment,
      // and the quoted packet's TCP/UDP fields inside ICMP errors; neither is this frame's.
      const fragment = frame.fragment !== "none"
      const icmpError = t["icmp.type"] === "3" || t["icmpv6.type"] === "1"

      if (t["tcp.srcport"] !== undefined && !icmpError) {
        const tcp = frame.tcp!
        expect(tcp.srcPort).toBe(num(t["tcp.srcport"]))
        expect(tcp.dstPort).toBe(num(t["tcp.dstport"]))
        expect(tcp.seq).toBe(num(t["tcp.seq_raw"]))
        expect(tcp.ack).toBe(num(t["tcp.ack_raw"]))
        expect(tcp.flags).toBe(num(t["tcp.flags"]))
        expect(tcp.window).toBe(num(t["tcp.window_size_value"]))
        expect(tcp.checksum).toBe(num(t["tcp.checksum"]))
        const mss = tcp.options.find((o) => o._tag === "Mss")
        expect(mss?._tag === "Mss" ? mss.value : undefined).toBe(num(t["tcp.options.mss_val"]))
        const ws = tcp.options.find((o) => o._tag === "WindowScale")
        expect(ws?._tag === "WindowScale" ? ws.shift : undefined).toBe(num(t["tcp.options.wscale.shift"]))
        const ts = tcp.options.find((o) => o._tag === "Timestamps")
        expect(ts?._tag === "Timestamps" ? ts.value : undefined).toBe(num(t["tcp.options.timestamp.tsval"]))
        expect(FlowKey.extract(frame).tcpDst).toBe(num(t["tcp.dstport"]))
      }

      if (t["udp.srcport"] !== undefined && !icmpError) {
        const udp = frame.udp!
        expect(udp.srcPort).toBe(num(t["udp.srcport"]))
        expect(udp.dstPort).toBe(num(t["udp.dstport"]))
        expect(udp.length).toBe(num(t["udp.length"]))
        expect(udp.checksum).toBe(num(t["udp.checksum"]))
      }

      if (t["icmp.type"] !== undefined && !fragment) {
        const icmp = frame.icmp!
        expect(icmp.type).toBe(num(t["icmp.type"]))
        expect(icmp.code).toBe(num(t["icmp.code"]))
        expect(icmp.checksum).toBe(num(t["icmp.checksum"]))
        if (icmp.body._tag === "Echo") {
          expect(icmp.body.identifier).toBe(num(t["icmp.ident"]))
          expect(icmp.body.sequence).toBe(num(t["icmp.seq"]))
        }
      }

      if (t["icmpv6.type"] !== undefined && !fragment) {
        const icmp6 = frame.icmp6!
        expect(icmp6.type).toBe(num(t["icmpv6.type"]))
        expect(icmp6.code).toBe(num(t["icmpv6.code"]))
        expect(icmp6.checksum).toBe(num(t["icmpv6.checksum"]))
        const target = t["icmpv6.nd.ns.target_address"] ?? t["icmpv6.nd.na.target_address"]
        const ndTarget = Icmp6.ndTarget(icmp6)
        expect(ndTarget === undefined ? undefined : Ipv6Address.format(ndTarget)).toBe(target)
        const linkAddress = Icmp6.sourceLinkLayerAddress(icmp6) ?? Icmp6.targetLinkLayerAddress(icmp6)
        expect(linkAddress === undefined ? undefined : MacAddress.format(linkAddress)).toBe(t["icmpv6.opt.linkaddr"])
        if (icmp6.body._tag === "Echo") expect(icmp6.body.identifier).toBe(num(t["icmpv6.echo.identifier"]))
      }

      if (t["arp.opcode"] !== undefined) {
        const arp = frame.arp!
        expect(arp.operation).toBe(num(t["arp.opcode"]))
        expect(MacAddress.format(arp.senderMac)).toBe(t["arp.src.hw_mac"])
        expect(Ipv4Address.format(arp.senderIp)).toBe(t["arp.src.proto_ipv4"])
        expect(MacAddress.format(arp.targetMac)).toBe(t["arp.dst.hw_mac"])
        expect(Ipv4Address.format(arp.targetIp)).toBe(t["arp.dst.proto_ipv4"])
      }

      if (t["lldp.time_to_live"] !== undefined) {
        const lldp = frame.lldp!
        expect(Lldp.formatId(Lldp.chassisId(lldp)!)).toBe(t["lldp.chassis.id.mac"])
        expect(Lldp.formatId(Lldp.portId(lldp)!)).toBe(t["lldp.port.id.mac"])
        expect(Lldp.ttl(lldp)).toBe(num(t["lldp.time_to_live"]))
        expect(Lldp.systemName(lldp)).toBe(t["lldp.tlv.system.name"])
        const description = lldp.tlvs.find((tlv) => tlv._tag === "SystemDescription")
        expect(description?._tag === "SystemDescription" ? description.text : undefined).toBe(t["lldp.tlv.system.desc"])
      }
    })
  }

  it("tells first and later IPv4 and IPv6 fragments apart", () => {
    const kinds = file.records.map((r) => Frame.decode(r.data).fragment)
    // Frames 11/13 are first IPv4 fragments, 12/14 later ones; 19/21 and 20/22 the same for IPv6.
    expect([kinds[10], kinds[11], kinds[12], kinds[13]]).toEqual(["first", "later", "first", "later"])
    expect([kinds[18], kinds[19], kinds[20], kinds[21]]).toEqual(["first", "later", "first", "later"])
    const first = Frame.decode(file.records[10]!.data)
    expect(first.icmp?.type).toBe(8)
    const later = Frame.decode(file.records[11]!.data)
    expect(later.icmp).toBeUndefined()
    expect(later.ipProtocol).toBe(1)
    expect(later.payload.length).toBe(562 - 14 - 20)
  })

  it("walks the hop-by-hop header of MLDv2 reports to ICMPv6", () => {
    const frame = Frame.decode(file.records[0]!.data)
    expect(frame.ipv6?.nextHeader).toBe(0)
    expect(frame.ipv6?.extensions.map((e) => e._tag)).toEqual(["HopByHop"])
    expect(frame.ipProtocol).toBe(58)
    expect(frame.icmp6?.type).toBe(143)
    // Router alert (type 5, value 0 = MLD) then PadN, as RFC 3810 §5 sends it.
    const hbh = frame.ipv6!.extensions[0]!
    expect(hbh._tag === "HopByHop" && hbh.options.map((o) => o.type)).toEqual([5, 1])
    expect(FlowKey.extract(frame).ipv6Exthdr).toBe(FlowKey.IEH_HOP)
  })

  it("decodes every TLV lldpd sends", () => {
    const lldp = Frame.decode(file.records[42]!.data).lldp!
    expect(lldp.tlvs.map((t) => t._tag)).toEqual([
      "ChassisId",
      "PortId",
      "Ttl",
      "SystemName",
      "SystemDescription",
      "SystemCapabilities",
      "ManagementAddress",
      "ManagementAddress",
      "PortDescription",
      "OrganizationallySpecific",
      "OrganizationallySpecific",
      "End"
    ])
    const [v4, v6] = lldp.tlvs.filter((t) => t._tag === "ManagementAddress")
    expect(v4?._tag === "ManagementAddress" && [v4.addressSubtype, Ipv4Address.format(Ipv4Address.read(v4.address, 0))])
      .toEqual([1, "10.0.0.1"])
    expect(v6?._tag === "ManagementAddress" && [v6.addressSubtype, Ipv6Address.format(Ipv6Address.read(v6.address, 0))])
      .toEqual([2, "fd00::a"])
    const org = lldp.tlvs.filter((t) => t._tag === "OrganizationallySpecific")
    expect(org.map((t) => t._tag === "OrganizationallySpecific" && [t.oui, t.subtype])).toEqual([[0x00120f, 3], [0x00120f, 1]])
  })
})

/**
 * Frames from the same capture written out as hex, with the values TShark 4.0.17 shows
 * for them; the checksums are the kernel's, which TShark reports as correct.
 */
describe("kernel frames as hex", () => {
  it("ARP request (frame 7)", () => {
    const frame = Frame.decode(hex("ffffffffffff02000000000a0806000108000604000102000000000a0a0000010000000000000a000002"))
    expect(frame.arp).toEqual({
      _tag: "Arp",
      hardwareType: 1,
      protocolType: 0x0800,
      operation: 1,
      senderMac: 0x02000000000a,
      senderIp: Ipv4Address.fromStringUnsafe("10.0.0.1"),
      targetMac: 0,
      targetIp: Ipv4Address.fromStringUnsafe("10.0.0.2")
    })
    expect(FlowKey.extract(frame)).toMatchObject({ ethType: 0x0806, arpOp: 1, arpTpa: 0x0a000002, vlanVid: 0 })
  })

  it("ICMP echo request (frame 9): IPv4 checksum 0xcffa, ICMP checksum 0x42bc", () => {
    const bytes = hex(
      "02000000000b02000000000a08004500005456ac40004001cffa0a0000010a000002080042bc07550001074f026b00000000d8600d0000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637"
    )
    const frame = Frame.decode(bytes)
    expect(frame.ipv4?.checksum).toBe(0xcffa)
    expect(frame.icmp).toEqual({ _tag: "Icmp", type: 8, code: 0, checksum: 0x42bc, body: { _tag: "Echo", identifier: 0x0755, sequence: 1 } })
    expect(Frame.verifyChecksums(frame)).toEqual([])
    // Rebuilding recomputes both checksums from scratch: they must come out as the kernel's.
    const zeroed = Frame.update(
      Frame.update(frame.layers, "Ipv4", (ip) => ({ ...ip, checksum: 0 })),
      "Icmp",
      (icmp) => ({ ...icmp, checksum: 0 })
    )
    expect(Frame.buildUnsafe(zeroed)).toEqual(bytes)
  })

  it("neighbour solicitation and advertisement (frames 15, 16): checksums 0x7d73, 0x1c76", () => {
    const ns = Frame.decode(
      hex("3333ff00000b02000000000a86dd6000000000203afffd00000000000000000000000000000aff0200000000000000000001ff00000b87007d7300000000fd00000000000000000000000000000b010102000000000a")
    )
    expect(ns.icmp6).toEqual({
      _tag: "Icmp6",
      type: 135,
      code: 0,
      checksum: 0x7d73,
      body: {
        _tag: "NeighborSolicitation",
        target: Ipv6Address.fromStringUnsafe("fd00::b"),
        options: [{ _tag: "SourceLinkLayerAddress", address: 0x02000000000a }]
      }
    })
    expect(FlowKey.extract(ns)).toMatchObject({ icmpv6Type: 135, ipv6NdTarget: Ipv6Address.fromStringUnsafe("fd00::b"), ipv6NdSll: 0x02000000000a })
    expect(ns.ipv6?.dst).toBe(Ipv6.solicitedNodeAddress(Ipv6Address.fromStringUnsafe("fd00::b")))
    expect(ns.ethernet?.dst).toBe(Ipv6.multicastMac(ns.ipv6!.dst))
    const na = Frame.decode(
      hex("02000000000a02000000000b86dd6000000000203afffd00000000000000000000000000000bfd00000000000000000000000000000a88001c7660000000fd00000000000000000000000000000b020102000000000b")
    )
    expect(na.icmp6?.checksum).toBe(0x1c76)
    expect(na.icmp6?.body).toEqual({
      _tag: "NeighborAdvertisement",
      router: false,
      solicited: true,
      override: true,
      target: Ipv6Address.fromStringUnsafe("fd00::b"),
      options: [{ _tag: "TargetLinkLayerAddress", address: 0x02000000000b }]
    })
    expect(Frame.verifyChecksums(na)).toEqual([])
  })

  it("TCP SYN with options (frame 23): checksum 0x100b", () => {
    const frame = Frame.decode(
      hex("02000000000b02000000000a08004500003ce3854000400643340a0000010a00000281481f901dfd893f00000000a002faf0100b0000020405b40402080a71ca6f1f000000000103030a")
    )
    expect(frame.tcp?.options).toEqual([
      { _tag: "Mss", value: 1460 },
      { _tag: "SackPermitted" },
      { _tag: "Timestamps", value: 1909092127, echoReply: 0 },
      { _tag: "Nop" },
      { _tag: "WindowScale", shift: 10 }
    ])
    expect(frame.tcp?.checksum).toBe(0x100b)
    expect(frame.ipv4?.dontFragment).toBe(true)
    expect(Frame.verifyChecksums(frame)).toEqual([])
  })

  it("UDP datagram (frame 39): checksum 0x5926", () => {
    const frame = Frame.decode(hex("02000000000b02000000000a08004500002074d340004011b1f70a0000010a000002862f270f000c59267564700a"))
    expect(frame.udp).toEqual({ _tag: "Udp", srcPort: 34351, dstPort: 9999, length: 12, checksum: 0x5926 })
    expect(new TextDecoder().decode(frame.payload)).toBe("udp\n")
  })

  it("LLDP shutdown frame from lldpd (frame 46)", () => {
    const frame = Frame.decode(hex("0180c200000e02000000000a88cc02070402000000000a04070302000000000a060200000000"))
    expect(frame.lldp?.tlvs).toEqual([
      { _tag: "ChassisId", subtype: 4, id: hex("02000000000a") },
      { _tag: "PortId", subtype: 3, id: hex("02000000000a") },
      { _tag: "Ttl", seconds: 0 },
      { _tag: "End" }
    ])
    expect(frame.errors).toEqual([])
  })
})
