/**
 * Hostile and broken frames, table-driven as in Open vSwitch's `tests/ofp-print.at`:
 * every case names the layer, reason and offset of each error expected, and the layers
 * that must survive. Frames are built correct and then damaged at a known offset, so each
 * case says exactly what was broken.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  Arp,
  Ethernet,
  Frame,
  Icmp,
  Icmp6,
  Ipv4,
  Ipv6,
  Lldp,
  Mpls,
  Payload,
  Sctp,
  Tcp,
  Udp,
  Vlan
} from "@switchyard/packet"
import { hex } from "./support.ts"

const A = 0x020000000001
const B = 0x020000000002
const eth = Ethernet.make({ dst: B, src: A })
const ip4 = Ipv4.make({ src: 0x0a000001, dst: 0x0a000002, protocol: 253 })
const ip6 = Ipv6.make({ src: 0xfd00n << 112n | 1n, dst: 0xfd00n << 112n | 2n, nextHeader: 253 })
const data = Payload.make(hex("0102030405060708"))

/** A copy of `bytes` with `patch` written at `offset`, or cut to `offset` bytes when `patch` is "cut". */
const damage = (layers: ReadonlyArray<Frame.Input>, offset: number, patch: ReadonlyArray<number> | "cut"): Uint8Array => {
  const bytes = Frame.buildUnsafe(layers)
  if (patch === "cut") return bytes.slice(0, offset)
  const out = bytes.slice()
  out.set(patch, offset)
  return out
}

interface Case {
  readonly name: string
  readonly bytes: Uint8Array
  readonly layers: ReadonlyArray<string>
  readonly errors: ReadonlyArray<readonly [string, string, number]>
  /** Rebuilding the decoded layers gives the input back (true for every hard error). */
  readonly exact: boolean
}

const tcp = Tcp.make({ srcPort: 1000, dstPort: 80, flags: Tcp.SYN, options: [{ _tag: "Mss", value: 1460 }, { _tag: "Nop" }, { _tag: "WindowScale", shift: 7 }] })
const lldp = Lldp.make({ chassisId: "c", portId: "p", ttl: 120 })

const cases: ReadonlyArray<Case> = [
  { name: "empty frame", bytes: new Uint8Array(0), layers: [], errors: [["Ethernet", "Truncated", 0]], exact: true },
  { name: "13-byte frame", bytes: new Uint8Array(13), layers: ["Payload"], errors: [["Ethernet", "Truncated", 0]], exact: true },
  {
    name: "VLAN tag cut in half",
    bytes: damage([eth, Vlan.make({ vid: 5 }), ip4, data], 16, "cut"),
    layers: ["Ethernet", "Payload"],
    errors: [["Vlan", "Truncated", 14]],
    exact: true
  },
  {
    name: "IPv4 header shorter than 20 bytes",
    bytes: damage([eth, ip4, data], 30, "cut"),
    layers: ["Ethernet", "Payload"],
    errors: [["Ipv4", "Truncated", 14]],
    exact: true
  },
  {
    name: "IPv4 version 5",
    bytes: damage([eth, ip4, data], 14, [0x55]),
    layers: ["Ethernet", "Payload"],
    errors: [["Ipv4", "BadVersion", 14]],
    exact: true
  },
  {
    name: "IPv4 header length 16",
    bytes: damage([eth, ip4, data], 14, [0x44]),
    layers: ["Ethernet", "Payload"],
    errors: [["Ipv4", "BadLength", 14]],
    exact: true
  },
  {
    name: "IPv4 header length 60 with 28 bytes present",
    bytes: damage([eth, ip4, data], 14, [0x4f]),
    layers: ["Ethernet", "Payload"],
    errors: [["Ipv4", "Truncated", 14]],
    exact: true
  },
  {
    name: "IPv4 total length below the header length",
    bytes: damage([eth, ip4, data], 16, [0, 19]),
    layers: ["Ethernet", "Payload"],
    errors: [["Ipv4", "BadLength", 14]],
    exact: true
  },
  {
    name: "IPv4 datagram cut by miss_send_len: header and TCP ports survive",
    bytes: damage([eth, ip4, tcp, Payload.make(new Uint8Array(200))], 128, "cut"),
    layers: ["Ethernet", "Ipv4", "Tcp", "Payload"],
    errors: [["Ipv4", "Truncated", 14]],
    exact: false
  },
  {
    name: "IPv4 header checksum wrong: reported, decoding goes on",
    bytes: damage([eth, ip4, Udp.make({ srcPort: 1, dstPort: 2 }), data], 24, [0xde, 0xad]),
    layers: ["Ethernet", "Ipv4", "Udp", "Payload"],
    errors: [["Ipv4", "BadChecksum", 24]],
    exact: false
  },
  {
    name: "IPv4 option with length 1",
    bytes: damage([eth, { ...ip4, options: [{ type: 7, data: hex("04000000000000") }] }, data], 35, [1]),
    layers: ["Ethernet", "Ipv4", "Payload"],
    errors: [["Ipv4", "BadChecksum", 24], ["Ipv4", "BadLength", 34]],
    exact: false
  },
  {
    name: "IPv6 header shorter than 40 bytes",
    bytes: damage([eth, ip6, data], 50, "cut"),
    layers: ["Ethernet", "Payload"],
    errors: [["Ipv6", "Truncated", 14]],
    exact: true
  },
  {
    name: "IPv6 header with version 4",
    bytes: damage([eth, ip6, data], 14, [0x40]),
    layers: ["Ethernet", "Payload"],
    errors: [["Ipv6", "BadVersion", 14]],
    exact: true
  },
  {
    name: "IPv6 hop-by-hop header longer than the packet",
    bytes: damage([eth, { ...ip6, extensions: [{ _tag: "HopByHop", options: [], nextHeader: 253 }] }, data], 55, [4]),
    layers: ["Ethernet", "Ipv6", "Payload"],
    errors: [["Ipv6", "Truncated", 54]],
    exact: true
  },
  {
    name: "TCP data offset 4",
    bytes: damage([eth, ip4, tcp], 46, [0x40]),
    layers: ["Ethernet", "Ipv4", "Payload"],
    errors: [["Tcp", "BadLength", 34]],
    exact: true
  },
  {
    name: "TCP header shorter than 20 bytes",
    bytes: damage([eth, ip4, Tcp.make({ srcPort: 1, dstPort: 2 })], 50, "cut"),
    layers: ["Ethernet", "Ipv4", "Payload"],
    errors: [["Ipv4", "Truncated", 14], ["Tcp", "Truncated", 34]],
    exact: false
  },
  {
    name: "TCP option with length 0: the header survives",
    bytes: damage([eth, ip4, tcp], 55, [0]),
    layers: ["Ethernet", "Ipv4", "Tcp"],
    errors: [["Tcp", "BadLength", 54]],
    exact: false
  },
  {
    name: "UDP length 7",
    bytes: damage([eth, ip4, Udp.make({ srcPort: 1, dstPort: 2 }), data], 38, [0, 7]),
    layers: ["Ethernet", "Ipv4", "Udp", "Payload"],
    errors: [["Udp", "BadLength", 38]],
    exact: false
  },
  {
    name: "UDP length beyond the IPv4 datagram",
    bytes: damage([eth, ip4, Udp.make({ srcPort: 1, dstPort: 2 }), data], 38, [0, 99]),
    layers: ["Ethernet", "Ipv4", "Udp", "Payload"],
    errors: [["Udp", "BadLength", 38]],
    exact: false
  },
  {
    name: "ICMP header shorter than 8 bytes",
    bytes: damage([eth, ip4, Icmp.echoRequest({ identifier: 1, sequence: 1 })], 40, "cut"),
    layers: ["Ethernet", "Ipv4", "Payload"],
    errors: [["Ipv4", "Truncated", 14], ["Icmp", "Truncated", 34]],
    exact: false
  },
  {
    name: "neighbour solicitation shorter than 24 bytes",
    bytes: damage([eth, ip6, Icmp6.neighborSolicitation({ target: 1n, sourceMac: A })], 70, "cut"),
    layers: ["Ethernet", "Ipv6", "Payload"],
    errors: [["Ipv6", "Truncated", 14], ["Icmp6", "Truncated", 54]],
    exact: false
  },
  {
    name: "neighbour discovery option of length 0 (RFC 4861 §4.6)",
    bytes: damage([eth, ip6, Icmp6.neighborSolicitation({ target: 1n, sourceMac: A })], 79, [0]),
    layers: ["Ethernet", "Ipv6", "Icmp6", "Payload"],
    errors: [["Icmp6", "BadLength", 78]],
    exact: false
  },
  {
    name: "ARP with 8-byte hardware addresses",
    bytes: damage([eth, Arp.make({ operation: 1, senderMac: A, senderIp: 1, targetIp: 2 })], 18, [8]),
    layers: ["Ethernet", "Payload"],
    errors: [["Arp", "Unsupported", 14]],
    exact: true
  },
  {
    name: "ARP packet cut short",
    bytes: damage([eth, Arp.make({ operation: 1, senderMac: A, senderIp: 1, targetIp: 2 })], 30, "cut"),
    layers: ["Ethernet", "Payload"],
    errors: [["Arp", "Truncated", 14]],
    exact: true
  },
  {
    name: "LLDP TLV longer than the frame",
    // The TTL TLV header (offset 22) now claims 511 bytes.
    bytes: damage([eth, lldp], 22, [0x07, 0xff]),
    layers: ["Ethernet", "Lldp", "Payload"],
    errors: [["Lldp", "Truncated", 22], ["Lldp", "BadValue", 14]],
    exact: true
  },
  {
    name: "LLDPDU without Port ID and TTL",
    bytes: Frame.buildUnsafe([eth, { _tag: "Lldp", tlvs: [{ _tag: "ChassisId", subtype: 7, id: hex("63") }, { _tag: "End" }] }]),
    layers: ["Ethernet", "Lldp"],
    errors: [["Lldp", "BadValue", 14]],
    exact: true
  },
  {
    name: "LLDPDU without End",
    bytes: Frame.buildUnsafe([eth, { _tag: "Lldp", tlvs: lldp.tlvs.slice(0, 3) }]),
    layers: ["Ethernet", "Lldp"],
    errors: [["Lldp", "BadValue", 26]],
    exact: true
  },
  {
    name: "LLDP TTL TLV of length 3",
    bytes: Frame.buildUnsafe([eth, {
      _tag: "Lldp",
      tlvs: [lldp.tlvs[0]!, lldp.tlvs[1]!, { _tag: "UnknownTlv", type: 3, value: hex("000078") }, { _tag: "End" }]
    }]),
    layers: ["Ethernet", "Lldp"],
    errors: [["Lldp", "BadLength", 22], ["Lldp", "BadValue", 14]],
    exact: true
  },
  {
    name: "802.3 length beyond the frame",
    bytes: hex("0180c2000000020000000001" + "0040" + "424203" + "00000000"),
    layers: ["Ethernet", "Payload"],
    errors: [["Llc", "BadLength", 14]],
    exact: false
  },
  {
    name: "802.3 length 1510, between the largest length and the smallest EtherType",
    bytes: hex("0180c2000000020000000001" + "05e6" + "424203" + "00".repeat(1507)),
    layers: ["Ethernet", "Payload"],
    errors: [["Llc", "BadLength", 14]],
    exact: true
  },
  {
    name: "802.3 length 2: no room for LLC",
    bytes: hex("0180c2000000020000000001" + "0002" + "4242" + "000000000000"),
    layers: ["Ethernet", "Payload", "Padding"],
    errors: [["Llc", "Truncated", 14]],
    exact: true
  },
  {
    name: "MPLS stack ends before its bottom label",
    // Byte 16 holds the bottom-of-stack bit: cleared, the stack goes on into 2 bytes.
    bytes: damage([eth, Mpls.make({ label: 16 }), data], 16, [0x00]).slice(0, 20),
    layers: ["Ethernet", "Mpls", "Payload"],
    errors: [["Mpls", "Truncated", 18]],
    exact: false
  },
  {
    name: "SCTP common header shorter than 12 bytes",
    bytes: damage([eth, ip4, Sctp.make({ srcPort: 1, dstPort: 2 })], 40, "cut"),
    layers: ["Ethernet", "Ipv4", "Payload"],
    errors: [["Ipv4", "Truncated", 14], ["Sctp", "Truncated", 34]],
    exact: false
  }
]

describe("malformed frames", () => {
  for (const c of cases) {
    it(c.name, () => {
      const frame = Frame.decode(c.bytes)
      expect(frame.layers.map((l) => l._tag)).toEqual(c.layers)
      expect(frame.errors.map((e) => [e.layer, e.reason, e.offset])).toEqual(c.errors)
      for (const e of frame.errors) {
        expect(e._tag).toBe("PacketError")
        expect(e.message).not.toContain("\n")
      }
      expect(frame.error).toBe(frame.errors[0])
      const rebuilt = Frame.build(frame.layers)
      expect(rebuilt._tag).toBe("Success")
      if (c.exact && rebuilt._tag === "Success") expect(rebuilt.success).toEqual(c.bytes)
      // Every piece of the frame is accounted for by exactly one layer.
      expect(Frame.toJson(frame).layers.length).toBe(c.layers.length)
    })
  }

  it("a frame cut by miss_send_len still yields its flow fields", () => {
    const bytes = damage([eth, ip4, tcp, Payload.make(new Uint8Array(200))], 128, "cut")
    const frame = Frame.decode(bytes)
    expect(frame.tcp?.dstPort).toBe(80)
    expect(frame.ipv4?.totalLength).toBe(20 + 28 + 200)
    // The datagram is incomplete, so its transport checksum cannot be judged.
    expect(Frame.verifyChecksums(frame)).toEqual([])
  })

  it("a damaged TCP checksum is found by verifyChecksums, not by decode", () => {
    const bytes = damage([eth, ip4, tcp], 50, [0, 0])
    const frame = Frame.decode(bytes)
    expect(frame.errors).toEqual([])
    expect(Frame.verifyChecksums(frame).map((e) => [e.layer, e.reason, e.offset])).toEqual([["Tcp", "BadChecksum", 50]])
  })
})
