/**
 * Frames for the protocols the kernel capture does not cover (stacked VLAN tags, MPLS,
 * IPv4 options, IPv6 extension headers, SCTP, 802.3 LLC and SNAP, router
 * advertisements), written with `Frame.build` and then checked with TShark 4.0.17
 * (`text2pcap` + `tshark -V -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE
 * -o udp.check_checksum:TRUE -o sctp.checksum:CRC-32C`): TShark dissects each one
 * without complaint, reports every checksum as good, and shows the field values listed
 * next to each frame. Those values, not this package, are the reference here.
 */
import { describe, expect, it } from "@effect/vitest"
import { FlowKey, Frame, Ipv4Address, Ipv6Address, MacAddress } from "@switchyard/packet"
import { hex } from "./support.ts"

const decode = (text: string) => {
  const bytes = hex(text)
  const frame = Frame.decode(bytes)
  expect(frame.errors).toEqual([])
  expect(Frame.verifyChecksums(frame)).toEqual([])
  expect(Frame.buildUnsafe(frame.layers)).toEqual(bytes)
  return frame
}

describe("frames checked by TShark", () => {
  it("802.1ad S-tag 100 (PCP 3) over C-tag 20 (DEI) / IPv4 / UDP: checksums 0x1490, 0xa7bb", () => {
    const frame = decode(
      "02000000000202000000000188a860648100101408004500002512344000401114900a0100010a010002138817700011a7bb010203040506070809"
    )
    expect(frame.vlans).toEqual([
      { _tag: "Vlan", tpid: 0x88a8, pcp: 3, dei: false, vid: 100, etherType: 0x8100 },
      { _tag: "Vlan", tpid: 0x8100, pcp: 0, dei: true, vid: 20, etherType: 0x0800 }
    ])
    expect(frame.etherType).toBe(0x0800)
    expect(frame.ipv4?.checksum).toBe(0x1490)
    expect(frame.udp).toEqual({ _tag: "Udp", srcPort: 5000, dstPort: 6000, length: 17, checksum: 0xa7bb })
    expect(FlowKey.extract(frame)).toMatchObject({ vlanVid: 0x1000 | 100, vlanPcp: 3, udpDst: 6000 })
  })

  it("two MPLS labels (1000 TC 5 TTL 63, 2001 BoS TTL 62) over an opaque IPv4 packet", () => {
    const frame = decode(
      "0200000000020200000000018847003e8a3f007d113e4500001c00000000400166df0a0000010a0000020800f7ff00000000"
    )
    expect(frame.mpls).toEqual([
      { _tag: "Mpls", label: 1000, tc: 5, bos: false, ttl: 63 },
      { _tag: "Mpls", label: 2001, tc: 0, bos: true, ttl: 62 }
    ])
    expect(frame.ipv4).toBeUndefined()
    // TShark decodes the labelled packet as IPv4 (header checksum 0x66df) with ICMP 0xf7ff.
    expect(frame.payload.length).toBe(28)
    expect(FlowKey.extract(frame)).toMatchObject({ ethType: 0x8847, mplsLabel: 1000, mplsTc: 5, mplsBos: 0 })
  })

  it("IPv4 with router alert, NOP and record route options / TCP with SACK: 0x9237, 0xec92", () => {
    const frame = decode(
      "02000000000202000000000108004900005e0000000001069237c0a80101c0a801029404000001070b04000000000000000004d200500000000100000002a0180200ec9200000101051200000064000000c80000012c00000190474554202f20485454502f312e300d0a0d0a"
    )
    expect(frame.ipv4?.options).toEqual([
      { type: 148, data: hex("0000") },
      { type: 1, data: new Uint8Array(0) },
      { type: 7, data: hex("040000000000000000") }
    ])
    expect(frame.ipv4?.checksum).toBe(0x9237)
    expect(frame.tcp?.checksum).toBe(0xec92)
    expect(frame.tcp?.options).toEqual([
      { _tag: "Nop" },
      { _tag: "Nop" },
      { _tag: "Sack", blocks: [{ left: 100, right: 200 }, { left: 300, right: 400 }] }
    ])
    expect(new TextDecoder().decode(frame.payload)).toBe("GET / HTTP/1.0\r\n\r\n")
  })

  it("IPv6 with hop-by-hop, destination options, segment routing and fragment headers / UDP: 0x5695", () => {
    const frame = decode(
      "02000000000202000000000186dd6b9abcde003b0040fd000000000000000000000000000001fd0000000000000000000000000000023c000502000001002b001e03010203002c02040000000000fd00000000000000000000000000000211000000deadbeef9c409c41000b5695aabbcc"
    )
    const ip = frame.ipv6!
    expect([ip.dscp, ip.ecn, ip.flowLabel, ip.nextHeader]).toEqual([46, 1, 0xabcde, 0])
    // TShark: option types 0x05, 0x01 (PadN), 0x1e, 0x00 (Pad1); routing type 4; fragment id 0xdeadbeef.
    expect(ip.extensions).toEqual([
      { _tag: "HopByHop", nextHeader: 60, options: [{ type: 5, data: hex("0000") }, { type: 1, data: new Uint8Array(0) }] },
      { _tag: "DestinationOptions", nextHeader: 43, options: [{ type: 0x1e, data: hex("010203") }, { type: 0, data: new Uint8Array(0) }] },
      { _tag: "Routing", nextHeader: 44, routingType: 4, segmentsLeft: 0, data: hex("00000000fd000000000000000000000000000002") },
      { _tag: "Fragment", nextHeader: 17, fragmentOffset: 0, moreFragments: false, identification: 0xdeadbeef }
    ])
    expect(frame.fragment).toBe("none")
    expect(frame.udp?.checksum).toBe(0x5695)
    expect(FlowKey.extract(frame).ipv6Exthdr).toBe(
      FlowKey.IEH_HOP | FlowKey.IEH_DEST | FlowKey.IEH_ROUTER | FlowKey.IEH_FRAG
    )
  })

  it("SCTP INIT: CRC32c 0xe09b2ef1", () => {
    const frame = decode(
      "02000000000202000000000108004500003400000000408466440a0000010a00000213888e3c00000000e09b2ef10100001412345678000100000004000400000001"
    )
    expect(frame.sctp).toEqual({ _tag: "Sctp", srcPort: 5000, dstPort: 36412, verificationTag: 0, checksum: 0xe09b2ef1 })
    expect(FlowKey.extract(frame)).toMatchObject({ ipProto: 132, sctpSrc: 5000, sctpDst: 36412 })
  })

  it("802.3 spanning tree BPDU with LLC 42/42/03", () => {
    const frame = decode(
      "0180c20000000200000000010026424203000000000080000200000000b00000000080000200000000b080010000140002000f00"
    )
    expect(frame.ethernet?.etherType).toBe(38)
    expect(frame.llc).toEqual({ _tag: "Llc", dsap: 0x42, ssap: 0x42, control: 3 })
    expect(frame.etherType).toBe(0x05ff)
    // TShark: root 02:00:00:00:00:b0, forward delay 15.
    expect(MacAddress.format(MacAddress.read(frame.payload, 7))).toBe("02:00:00:00:00:b0")
    expect(frame.payload[33]).toBe(15)
  })

  it("802.3 LLC/SNAP with OUI 000000 carrying IPv4 / ICMP: 0x66db, 0xf3e9", () => {
    const frame = decode(
      "0200000000020200000000010028aaaa0300000008004500002000000000400166db0a0000010a0000020800f3e90007000901020304"
    )
    expect(frame.llc).toEqual({ _tag: "Llc", dsap: 0xaa, ssap: 0xaa, control: 3, snap: { oui: 0, protocolId: 0x0800 } })
    expect(frame.etherType).toBe(0x0800)
    expect(Ipv4Address.format(frame.ipv4!.src)).toBe("10.0.0.1")
    expect(frame.icmp).toEqual({ _tag: "Icmp", type: 8, code: 0, checksum: 0xf3e9, body: { _tag: "Echo", identifier: 7, sequence: 9 } })
  })

  it("router advertisement with source link-layer address, MTU and prefix options: 0xed69", () => {
    const frame = decode(
      "33330000000102000000000186dd6000000000403afffe800000000000000000000000000001ff0200000000000000000000000000018600ed69408007080000000000000000010102000000000105010000000005dc030440c000278d0000093a800000000020010db8000000000000000000000000"
    )
    expect(frame.icmp6).toEqual({
      _tag: "Icmp6",
      type: 134,
      code: 0,
      checksum: 0xed69,
      body: {
        _tag: "RouterAdvertisement",
        curHopLimit: 64,
        managed: true,
        other: false,
        routerLifetime: 1800,
        reachableTime: 0,
        retransTimer: 0,
        options: [
          { _tag: "SourceLinkLayerAddress", address: 0x020000000001 },
          { _tag: "Mtu", mtu: 1500 },
          {
            _tag: "PrefixInformation",
            prefixLength: 64,
            onLink: true,
            autonomous: true,
            validLifetime: 2592000,
            preferredLifetime: 604800,
            prefix: Ipv6Address.fromStringUnsafe("2001:db8::")
          }
        ]
      }
    })
  })
})
