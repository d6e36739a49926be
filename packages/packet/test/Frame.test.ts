/**
 * The `Frame` API around decoding and building: laziness, the rewrite helpers used by
 * the fake switch, the JSON form and build errors; plus `Ethernet.view`, `FlowKey`,
 * `Hex` and `Pcap`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import {
  Arp,
  Ethernet,
  EtherType,
  FlowKey,
  Frame,
  Hex,
  Icmp6,
  Ipv4,
  Ipv4Address,
  Ipv6,
  Lldp,
  MacAddress,
  Mpls,
  Payload,
  Pcap,
  Tcp,
  Udp,
  Vlan
} from "@switchyard/packet"
import { hex } from "./support.ts"

const A = MacAddress.fromStringUnsafe("02:00:00:00:00:01")
const B = MacAddress.fromStringUnsafe("02:00:00:00:00:02")
const ipA = Ipv4Address.fromStringUnsafe("10.0.0.1")
const ipB = Ipv4Address.fromStringUnsafe("10.0.0.2")

const udpFrame = (): ReadonlyArray<Frame.Input> => [
  Ethernet.make({ dst: B, src: A }),
  Ipv4.make({ src: ipA, dst: ipB }),
  Udp.make({ srcPort: 5000, dstPort: 53 }),
  Payload.make(new TextEncoder().encode("query"))
]

describe("Frame.decode is lazy", () => {
  it("reading the Ethernet header decodes nothing beyond it", () => {
    // An IPv4 header with version 7: decoding it would record an error.
    const bytes = Frame.buildUnsafe(udpFrame())
    bytes[14] = 0x75
    const frame = Frame.decode(bytes)
    expect(frame.ethernet?.src).toBe(A)
    expect((frame as unknown as { issueList: unknown }).issueList).toBeUndefined()
    expect(frame.ipv4).toBeUndefined()
    expect(frame.errors.map((e) => e.reason)).toEqual(["BadVersion"])
  })

  it("caches each layer: repeated reads return the same object", () => {
    const frame = Frame.decode(Frame.buildUnsafe(udpFrame()))
    expect(frame.udp).toBe(frame.udp)
    expect(frame.layers).toBe(frame.layers)
    expect(frame.layers[2]).toBe(frame.udp)
  })

  it("decodes views into the caller's bytes, not copies", () => {
    const bytes = Frame.buildUnsafe(udpFrame())
    const frame = Frame.decode(bytes)
    expect(frame.payload.buffer).toBe(bytes.buffer)
    bytes[bytes.length - 1] = 0x21
    expect(new TextDecoder().decode(frame.payload)).toBe("quer!")
  })
})

describe("Ethernet.view", () => {
  it("reads addresses and types straight from the bytes", () => {
    const bytes = Frame.buildUnsafe([
      Ethernet.make({ dst: B, src: A }),
      Vlan.make({ tpid: EtherType.QINQ, vid: 100 }),
      Vlan.make({ vid: 7 }),
      Arp.make({ operation: Arp.REQUEST, senderMac: A, senderIp: ipA, targetIp: ipB })
    ])
    const view = Ethernet.view(bytes)!
    expect([view.dst, view.src, view.etherType, view.innerEtherType, view.vlanId]).toEqual([B, A, 0x88a8, 0x0806, 100])
    expect(view.bytes).toBe(bytes)
    expect(Ethernet.view(bytes.subarray(0, 13))).toBeUndefined()
    // A frame that ends inside its tags reports the last type field present.
    expect(Ethernet.view(bytes.subarray(0, 19))!.innerEtherType).toBe(0x8100)
  })
})

describe("Frame.build", () => {
  it("fills in the EtherType and IP protocol from the next layer", () => {
    const frame = Frame.decode(Frame.buildUnsafe(udpFrame()))
    expect(frame.ethernet?.etherType).toBe(EtherType.IPV4)
    expect(frame.ipv4?.protocol).toBe(17)
    expect(frame.ipv4?.totalLength).toBe(20 + 8 + 5)
    expect(frame.udp?.length).toBe(13)
  })

  it("keeps a zero UDP checksum over IPv4 and computes it over IPv6", () => {
    const v4 = Frame.decode(Frame.buildUnsafe(Frame.update(udpFrame(), "Udp", (u) => ({ ...u, checksum: 0 }))))
    expect(v4.udp?.checksum).toBe(0)
    const v6 = Frame.decode(Frame.buildUnsafe([
      Ethernet.make({ dst: B, src: A }),
      Ipv6.make({ src: 1n, dst: 2n }),
      { ...Udp.make({ srcPort: 1, dstPort: 2 }), checksum: 0 }
    ]))
    expect(v6.udp?.checksum).not.toBe(0)
    expect(Frame.verifyChecksums(v6)).toEqual([])
  })

  const failures: ReadonlyArray<[string, ReadonlyArray<Frame.Input>, string, string]> = [
    ["a VLAN ID of 4096", [Ethernet.make({ dst: A, src: B }), Vlan.make({ vid: 4096, etherType: 0x88b5 })], "Vlan", "BadValue"],
    ["a TPID that is not a VLAN TPID", [Ethernet.make({ dst: A, src: B }), Vlan.make({ vid: 1, tpid: 0x0800, etherType: 0x88b5 })], "Vlan", "BadValue"],
    ["a MAC address above 2^48", [Ethernet.make({ dst: 2 ** 48, src: B, etherType: 0x88b5 })], "Ethernet", "BadValue"],
    ["an IPv6 address that is a number", [Ethernet.make({ dst: A, src: B }), { ...Ipv6.make({ src: 1n, dst: 2n, nextHeader: 59 }), dst: 2 as unknown as bigint }], "Ipv6", "BadValue"],
    ["an EtherType missing before a payload", [Ethernet.make({ dst: A, src: B }), Payload.make(new Uint8Array(1))], "Ethernet", "BadValue"],
    ["TCP without an IP layer", [Ethernet.make({ dst: A, src: B, etherType: 0x0800 }), Tcp.make({ srcPort: 1, dstPort: 2 })], "Tcp", "BadValue"],
    ["41 bytes of IPv4 options", [Ethernet.make({ dst: A, src: B }), Ipv4.make({ src: 1, dst: 2, protocol: 59, options: [{ type: 7, data: new Uint8Array(38) }, { type: 1, data: new Uint8Array(0) }] })], "Ipv4", "BadLength"],
    ["an IPv4 datagram over 65535 bytes", [Ethernet.make({ dst: A, src: B }), Ipv4.make({ src: 1, dst: 2, protocol: 59 }), Payload.make(new Uint8Array(65536))], "Ipv4", "BadLength"],
    ["padding before the payload", [Ethernet.make({ dst: A, src: B, etherType: 0x88b5 }), Payload.padding(2), Payload.make(new Uint8Array(1))], "Padding", "BadValue"],
    ["an 802.3 payload over 1500 bytes", [Ethernet.make({ dst: A, src: B, etherType: 0 }), Payload.make(new Uint8Array(1501))], "Ethernet", "BadLength"],
    ["an LLDP system name over 511 bytes", [Ethernet.make({ dst: A, src: B }), Lldp.make({ chassisId: "c", portId: "p", ttl: 1, systemName: "x".repeat(512) })], "Lldp", "BadLength"],
    ["a layer that is not a layer", [Ethernet.make({ dst: A, src: B, etherType: 0x88b5 }), null as unknown as Frame.Input], "Payload", "BadValue"]
  ]
  for (const [name, layers, layer, reason] of failures) {
    it(`fails with a PacketError, not an exception, on ${name}`, () => {
      const result = Frame.build(layers)
      expect(Result.isFailure(result)).toBe(true)
      if (Result.isFailure(result)) expect([result.failure.layer, result.failure.reason]).toEqual([layer, reason])
      expect(() => Frame.buildUnsafe(layers)).toThrow(/./)
    })
  }

  it("computes 802.3 lengths before an LLC header", () => {
    const bytes = Frame.buildUnsafe([
      Ethernet.make({ dst: Lldp.NEAREST_CUSTOMER_BRIDGE, src: A }),
      { _tag: "Llc", dsap: 0x42, ssap: 0x42, control: 3 },
      Payload.make(new Uint8Array(35)),
      Payload.padding(8)
    ])
    expect(bytes.length).toBe(60)
    expect((bytes[12]! << 8) | bytes[13]!).toBe(38)
  })
})

describe("rewrites for OpenFlow actions", () => {
  const base = udpFrame()

  it("set-field: rewriting an address recomputes the IPv4 and UDP checksums", () => {
    const rewritten = Frame.decode(Frame.buildUnsafe(Frame.update(base, "Ipv4", (ip) => ({ ...ip, dst: 0x0a0000fe, ttl: ip.ttl - 1 }))))
    expect(rewritten.ipv4?.dst).toBe(0x0a0000fe)
    expect(rewritten.ipv4?.ttl).toBe(63)
    expect(Frame.verifyChecksums(rewritten)).toEqual([])
  })

  it("push_vlan then pop_vlan gives the original bytes back", () => {
    const original = Frame.buildUnsafe(base)
    const pushed = Frame.buildUnsafe(Frame.pushVlan(Frame.decode(original).layers, { vid: 10, pcp: 5 }))
    const tagged = Frame.decode(pushed)
    expect(tagged.vlans).toEqual([{ _tag: "Vlan", tpid: 0x8100, pcp: 5, dei: false, vid: 10, etherType: 0x0800 }])
    expect(tagged.udp?.dstPort).toBe(53)
    const qinq = Frame.decode(Frame.buildUnsafe(Frame.pushVlan(tagged.layers, { vid: 20, tpid: EtherType.QINQ })))
    expect(qinq.vlans.map((v) => [v.tpid, v.vid])).toEqual([[0x88a8, 20], [0x8100, 10]])
    expect(Frame.buildUnsafe(Frame.popVlan(Frame.popVlan(qinq.layers)))).toEqual(original)
    expect(Frame.popVlan(base)).toEqual(base)
  })

  it("push_vlan on a frame with an opaque payload keeps its EtherType inside the tag", () => {
    const frame = Frame.decode(Frame.buildUnsafe([Ethernet.make({ dst: A, src: B, etherType: 0x88b5 }), Payload.make(hex("0102"))]))
    const tagged = Frame.decode(Frame.buildUnsafe(Frame.pushVlan(frame.layers, { vid: 3 })))
    expect(tagged.vlans[0]?.etherType).toBe(0x88b5)
    expect(tagged.etherType).toBe(0x88b5)
  })

  it("push_mpls then pop_mpls gives the original bytes back", () => {
    const original = Frame.buildUnsafe(base)
    const layers = Frame.pushMpls(Frame.pushVlan(Frame.decode(original).layers, { vid: 10 }), Mpls.make({ label: 100, ttl: 64 }))
    const labelled = Frame.decode(Frame.buildUnsafe(layers))
    expect(labelled.vlans.length).toBe(1)
    expect(labelled.vlans[0]?.etherType).toBe(EtherType.MPLS)
    expect(labelled.mpls).toEqual([{ _tag: "Mpls", label: 100, tc: 0, bos: true, ttl: 64 }])
    expect(labelled.ipv4).toBeUndefined()
    const twice = Frame.decode(Frame.buildUnsafe(Frame.pushMpls(labelled.layers, Mpls.make({ label: 200 }))))
    expect(twice.mpls.map((m) => [m.label, m.bos])).toEqual([[200, false], [100, true]])
    const popped = Frame.popMpls(Frame.popMpls(twice.layers, EtherType.IPV4), EtherType.IPV4)
    expect(Frame.buildUnsafe(Frame.popVlan(Frame.decode(Frame.buildUnsafe(popped)).layers))).toEqual(original)
  })
})

describe("JSON", () => {
  it("prints addresses as text and bytes as hex, and decodes back to buildable layers", () => {
    const frame = Frame.decode(Frame.buildUnsafe(udpFrame()))
    const json = Frame.toJson(frame)
    expect(json.layers[0]).toEqual({ _tag: "Ethernet", dst: "02:00:00:00:00:02", src: "02:00:00:00:00:01", etherType: 2048 })
    expect(json.layers[1]).toMatchObject({ src: "10.0.0.1", dst: "10.0.0.2" })
    expect(json.layers[3]).toEqual({ _tag: "Payload", bytes: "7175657279" })
    const text = JSON.stringify(json)
    const decoded = Schema.decodeUnknownSync(Frame.Json)(JSON.parse(text))
    expect(Frame.buildUnsafe(decoded.layers)).toEqual(frame.bytes)
  })

  it("reads layers without their computed fields through InputLayer", () => {
    const layers = Schema.decodeUnknownSync(Schema.Array(Frame.InputLayer))([
      { _tag: "Ethernet", dst: "02:00:00:00:00:02", src: "02:00:00:00:00:01" },
      { _tag: "Ipv6", dscp: 0, ecn: 0, flowLabel: 0, hopLimit: 64, src: "fd00::1", dst: "fd00::2", extensions: [{ _tag: "Fragment", fragmentOffset: 0, moreFragments: false, identification: 9 }] },
      { _tag: "Udp", srcPort: 1, dstPort: 2 },
      { _tag: "Payload", bytes: "abcd" }
    ])
    const frame = Frame.decode(Frame.buildUnsafe(layers))
    expect(frame.ipv6?.extensions[0]).toEqual({ _tag: "Fragment", nextHeader: 17, fragmentOffset: 0, moreFragments: false, identification: 9 })
    expect(frame.udp?.length).toBe(10)
    expect(Frame.verifyChecksums(frame)).toEqual([])
    expect(() => Schema.decodeUnknownSync(Frame.InputLayer)({ _tag: "Ethernet", dst: "x", src: "02:00:00:00:00:01" })).toThrow(/MAC address/)
  })

  it("includes errors with layer, reason and offset", () => {
    const json = Frame.toJson(Frame.decode(hex("ffffffffffff0200000000010800450000")))
    expect(json.errors).toEqual([
      { _tag: "PacketError", layer: "Ipv4", reason: "Truncated", offset: 14, message: "an IPv4 header needs 20 bytes, 3 remain" }
    ])
  })
})

describe("FlowKey.extract", () => {
  it("gives OFPVID_NONE for untagged frames and the outer tag's VID for tagged ones", () => {
    expect(FlowKey.extract(Frame.decode(Frame.buildUnsafe(udpFrame())))).toEqual({
      ethDst: B,
      ethSrc: A,
      ethType: 0x0800,
      vlanVid: 0,
      ipDscp: 0,
      ipEcn: 0,
      ipProto: 17,
      ipv4Src: ipA,
      ipv4Dst: ipB,
      udpSrc: 5000,
      udpDst: 53
    })
    const tagged = Frame.decode(Frame.buildUnsafe(Frame.pushVlan(udpFrame(), { vid: 42, pcp: 6 })))
    expect(FlowKey.extract(tagged)).toMatchObject({ vlanVid: 0x1000 | 42, vlanPcp: 6, ethType: 0x0800 })
  })

  it("reports a neighbour advertisement's target and TLL", () => {
    const frame = Frame.decode(Frame.buildUnsafe([
      Ethernet.make({ dst: B, src: A }),
      Ipv6.make({ src: 1n, dst: 2n, hopLimit: 255 }),
      Icmp6.neighborAdvertisement({ target: 0xfe80n << 112n | 1n, targetMac: A })
    ]))
    expect(FlowKey.extract(frame)).toMatchObject({ icmpv6Type: 136, icmpv6Code: 0, ipv6NdTarget: 0xfe80n << 112n | 1n, ipv6NdTll: A })
    expect(FlowKey.extract(frame).ipv6NdSll).toBeUndefined()
  })

  it("flags out-of-order and repeated IPv6 extension headers", () => {
    const hop = { _tag: "HopByHop", options: [] } as const
    const dst = { _tag: "DestinationOptions", options: [] } as const
    const frag = { _tag: "Fragment", fragmentOffset: 0, moreFragments: false, identification: 1 } as const
    const flags = (extensions: ReadonlyArray<Ipv6.ExtensionInput>) =>
      FlowKey.extract(Frame.decode(Frame.buildUnsafe([
        Ethernet.make({ dst: B, src: A }),
        Ipv6.make({ src: 1n, dst: 2n, extensions }),
        Udp.make({ srcPort: 1, dstPort: 2 })
      ]))).ipv6Exthdr
    expect(flags([hop, frag, dst])).toBe(FlowKey.IEH_HOP | FlowKey.IEH_FRAG | FlowKey.IEH_DEST)
    expect(flags([frag, hop])).toBe(FlowKey.IEH_HOP | FlowKey.IEH_FRAG | FlowKey.IEH_UNSEQ)
    expect(flags([frag, frag])).toBe(FlowKey.IEH_FRAG | FlowKey.IEH_UNREP)
    expect(FlowKey.ipv6ExtensionFlags([], 59)).toBe(FlowKey.IEH_NONEXT)
    expect(FlowKey.ipv6ExtensionFlags([], 50)).toBe(FlowKey.IEH_ESP)
  })
})

describe("Hex", () => {
  it("accepts 0x, spaces, colons and newlines", () => {
    expect(Hex.decodeUnsafe("0x0a:0B 0c\n0d")).toEqual(hex("0a0b0c0d"))
    expect(Hex.encode(hex("0a0b"), ":")).toBe("0a:0b")
    expect(Hex.decodeUnsafe("")).toEqual(new Uint8Array(0))
  })

  it("rejects non-hex text, odd digit counts and split bytes with a position", () => {
    const fail = (text: string) => {
      const result = Hex.decode(text)
      return Result.isFailure(result) ? [result.failure.position, result.failure.message] : undefined
    }
    expect(fail("0g")).toEqual([1, "a byte needs two hex digits, position 1 has \"g\""])
    expect(fail("abc")).toEqual([3, "odd number of hex digits"])
    expect(fail("a bc")).toEqual([1, "a byte needs two hex digits, position 1 has \" \""])
    expect(fail("zz")).toEqual([0, "not a hex digit at position 0: \"z\""])
    expect(fail("é")).toEqual([0, "not a hex digit at position 0: \"é\""])
  })
})

describe("Pcap", () => {
  const frames = [Frame.buildUnsafe(udpFrame()), hex("0102030405")]

  it("writes files that read back, in both byte orders and precisions", () => {
    for (const byteOrder of ["big", "little"] as const) {
      for (const precision of ["micro", "nano"] as const) {
        const bytes = Pcap.encode({ byteOrder, precision, records: frames.map((data, i) => ({ data, seconds: 1700000000 + i, subseconds: 999 })) })
        const file = Result.getOrThrow(Pcap.decode(bytes))
        expect([file.byteOrder, file.precision, file.versionMajor, file.versionMinor, file.linkType]).toEqual([byteOrder, precision, 2, 4, 1])
        expect(file.records).toEqual(frames.map((data, i) => ({ seconds: 1700000000 + i, subseconds: 999, originalLength: data.length, data })))
      }
    }
  })

  it("reports a record cut off at the end of the file instead of failing", () => {
    const bytes = Pcap.encode({ records: frames.map((data) => ({ data })) })
    const file = Result.getOrThrow(Pcap.decode(bytes.subarray(0, bytes.length - 2)))
    expect(file.truncated).toBe(true)
    expect(file.records.length).toBe(1)
    expect(Result.getOrThrow(Pcap.decode(bytes.subarray(0, 24 + 10))).records).toEqual([])
  })

  it("rejects pcapng, non-pcap and corrupt files with a typed error", () => {
    const reason = (bytes: Uint8Array) => {
      const result = Pcap.decode(bytes)
      return Result.isFailure(result) ? result.failure.reason : "ok"
    }
    expect(reason(hex("0a0d0d0a0000001c4d3c2b1a"))).toBe("Pcapng")
    expect(reason(hex("7f454c46020101000000000000000000"))).toBe("BadMagic")
    expect(reason(hex("d4c3b2a1"))).toBe("Truncated")
    const corrupt = Pcap.encode({ records: [{ data: new Uint8Array(4) }] })
    corrupt.set([0xff, 0xff, 0xff, 0x7f], 24 + 8)
    expect(reason(corrupt)).toBe("BadLength")
  })
})

describe("LLDP for topology discovery", () => {
  it("builds the frame Ryu's switches app sends and reads it back", () => {
    const bytes = Frame.buildUnsafe([
      Ethernet.make({ dst: Lldp.NEAREST_BRIDGE, src: A }),
      Lldp.make({ chassisId: "dpid:0000000000000001", portId: { subtype: Lldp.PORT_LOCAL, id: hex("00000003") }, ttl: 120 }),
      Payload.padding(Math.max(0, 60 - 14 - 42))
    ])
    const lldp = Frame.decode(bytes).lldp!
    expect(Lldp.formatId(Lldp.chassisId(lldp)!)).toBe("dpid:0000000000000001")
    expect(Lldp.portId(lldp)?.id).toEqual(hex("00000003"))
    expect(Lldp.ttl(lldp)).toBe(120)
    expect(Frame.decode(bytes).errors).toEqual([])
  })
})
