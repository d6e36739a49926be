/**
 * Property tests: layers generated from the Schemas are built, decoded and rebuilt.
 *
 * For every protocol, a generated header stack must (1) build, (2) decode without errors
 * into the same layers apart from the fields the builder computes, (3) rebuild to the
 * same bytes, and (4) carry checksums that verify. Generated values are first brought
 * into the shape the wire can express (an option list ends where the decoder would stop,
 * a body matches its ICMP type, ...); those rules are spelled out in `normalize*` below.
 */
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Schema } from "effect"
import {
  Arp,
  Ethernet,
  EtherType,
  Frame,
  Icmp,
  Icmp6,
  Ipv4,
  Ipv6,
  Llc,
  Lldp,
  Mpls,
  Payload,
  Sctp,
  Tcp,
  Udp,
  Vlan
} from "@switchyard/packet"
import { strip } from "./support.ts"

const RUNS = { arbitrary: { runs: 200 } }

const arb = <S extends Schema.Top>(schema: S) => Arbitrary.schema(schema as any) as Arbitrary.Arbitrary<S["Type"]>

const smallBytes = arb(Schema.Uint8Array.check(Schema.isMaxLength(64)))

const TPIDS = [EtherType.VLAN, EtherType.QINQ, EtherType.QINQ_9100]
const vlans = Arbitrary.array(
  Arbitrary.map(arb(Vlan.Vlan), (v): Vlan.Vlan => ({ ...v, tpid: TPIDS[v.tpid % 3]! })),
  { maxLength: 3 }
)

/** IPv4 options as the decoder returns them: End only last, no data on End/Nop, 40 bytes at most. */
const normalizeIpv4Options = (options: ReadonlyArray<Ipv4.Option>): Array<Ipv4.Option> => {
  const out: Array<Ipv4.Option> = []
  let size = 0
  for (const option of options) {
    const o = option.type <= 1 ? { type: option.type, data: new Uint8Array(0) } : option
    const length = o.type <= 1 ? 1 : 2 + o.data.length
    if (size + length > 40) break
    out.push(o)
    size += length
    if (o.type === 0) return out
  }
  // The builder pads with zero bytes, which read back as an End option.
  if (size % 4 !== 0) out.push({ type: 0, data: new Uint8Array(0) })
  return out
}

const ipv4 = (opts: { readonly l4: boolean }) =>
  Arbitrary.map(arb(Ipv4.Ipv4), (h): Ipv4.Ipv4 => ({
    ...h,
    // Transport headers are tested in whole datagrams; a later fragment has none.
    moreFragments: opts.l4 ? false : h.moreFragments,
    fragmentOffset: opts.l4 ? 0 : h.fragmentOffset === 0 ? 1 : h.fragmentOffset,
    options: normalizeIpv4Options(h.options)
  }))

/** IPv6 options followed by the Pad1/PadN padding the builder adds. */
const normalizeIpv6Options = (options: ReadonlyArray<Ipv6.Option>): Array<Ipv6.Option> => {
  const out: Array<Ipv6.Option> = []
  let size = 2
  for (const option of options) {
    const o = option.type === 0 ? { type: 0, data: new Uint8Array(0) } : option
    size += o.type === 0 ? 1 : 2 + o.data.length
    out.push(o)
  }
  const gap = ((size + 7) & ~7) - size
  if (gap === 1) out.push({ type: 0, data: new Uint8Array(0) })
  else if (gap >= 2) out.push({ type: 1, data: new Uint8Array(gap - 2) })
  return out
}

const normalizeExtension = (e: Ipv6.Extension): Ipv6.Extension => {
  switch (e._tag) {
    case "HopByHop":
    case "DestinationOptions":
      return { ...e, options: normalizeIpv6Options(e.options.slice(0, 8)) }
    case "Routing": {
      // The header is 4 bytes plus data, in units of 8: data is 8k + 4 bytes.
      const length = Math.floor(e.data.length / 8) * 8 + 4
      return { ...e, data: e.data.length >= length ? e.data.slice(0, length) : new Uint8Array(length) }
    }
    case "Fragment":
      // An atomic fragment: the transport header and its checksum are complete.
      return { ...e, fragmentOffset: 0, moreFragments: false }
  }
}

const ipv6 = Arbitrary.map(arb(Ipv6.Ipv6), (h): Ipv6.Ipv6 => ({
  ...h,
  extensions: h.extensions.slice(0, 4).map(normalizeExtension)
}))

/** TCP options as the decoder returns them. */
const normalizeTcpOptions = (options: ReadonlyArray<Tcp.Option>): Array<Tcp.Option> => {
  const out: Array<Tcp.Option> = []
  let size = 0
  for (let o of options) {
    if (o._tag === "UnknownOption" && [0, 1, 2, 3, 4, 5, 8].includes(o.kind)) o = { ...o, kind: 254 }
    const length = Tcp.optionLength(o)
    if (size + length > 40) break
    out.push(o)
    size += length
    if (o._tag === "End") return out
  }
  if (size % 4 !== 0) out.push({ _tag: "End" })
  return out
}

const tcp = Arbitrary.map(arb(Tcp.Tcp), (h): Tcp.Tcp => ({ ...h, options: normalizeTcpOptions(h.options) }))

const icmp = Arbitrary.map(arb(Icmp.Icmp), (h): Icmp.Icmp =>
  h.body._tag === "Echo"
    ? { ...h, type: h.type % 2 === 0 ? Icmp.ECHO_REQUEST : Icmp.ECHO_REPLY }
    : { ...h, type: Icmp.isEcho(h.type) ? 3 : h.type })

const ND_KNOWN = [1, 2, 3, 5]
const normalizeNdOption = (o: Icmp6.NdOption): Icmp6.NdOption => {
  if (o._tag !== "UnknownOption") return o
  const length = Math.max(8, (o.data.length + 2) & ~7) - 2
  const data = o.data.length >= length ? o.data.slice(0, length) : new Uint8Array(length)
  return { ...o, type: ND_KNOWN.includes(o.type) ? 200 : o.type, data }
}

const ND_TYPES: Record<string, number> = {
  Echo: 128,
  RouterSolicitation: 133,
  RouterAdvertisement: 134,
  NeighborSolicitation: 135,
  NeighborAdvertisement: 136,
  Redirect: 137
}

const icmp6 = Arbitrary.map(arb(Icmp6.Icmp6), (m): Icmp6.Icmp6 => {
  const body = "options" in m.body ? { ...m.body, options: m.body.options.slice(0, 6).map(normalizeNdOption) } : m.body
  const type = body._tag === "Other"
    ? (m.type >= 128 && m.type <= 137 ? 1 : m.type)
    : body._tag === "Echo"
    ? 128 + (m.type % 2)
    : ND_TYPES[body._tag]!
  return { ...m, type, body }
})

const normalizeLldp = (l: Lldp.Lldp): Lldp.Lldp => {
  const middle = l.tlvs
    .filter((t) => t._tag !== "End")
    .map((t): Lldp.Tlv => {
      if (t._tag === "UnknownTlv" && (t.type <= 8 || t.type === 127)) return { ...t, type: 100 }
      // Lone surrogates cannot be encoded as UTF-8; the encoder writes U+FFFD for them.
      if ("text" in t) return { ...t, text: new TextDecoder().decode(new TextEncoder().encode(t.text.slice(0, 100))) }
      return t
    })
  return {
    _tag: "Lldp",
    tlvs: [
      { _tag: "ChassisId", subtype: 4, id: Uint8Array.of(2, 0, 0, 0, 0, 1) },
      { _tag: "PortId", subtype: 5, id: new TextEncoder().encode("eth0") },
      { _tag: "Ttl", seconds: 120 },
      ...middle.slice(0, 8),
      { _tag: "End" }
    ]
  }
}

const payload = Arbitrary.map(smallBytes, (bytes) => Payload.make(bytes))
const nonEmptyPayload = Arbitrary.map(smallBytes, (bytes) => Payload.make(bytes.length === 0 ? Uint8Array.of(0) : bytes))

/** Checks the four round-trip properties for one layer stack. */
const roundTrip = (layers: ReadonlyArray<Frame.Input>): void => {
  const built = Frame.build(layers)
  if (built._tag === "Failure") throw new Error(`build failed: ${built.failure.message}`)
  const bytes = built.success
  const frame = Frame.decode(bytes)
  expect(frame.errors.map((e) => e.message)).toEqual([])
  const expected = layers.filter((l) => !(l._tag === "Payload" && l.bytes.length === 0)).map(strip)
  expect(frame.layers.map(strip)).toEqual(expected)
  expect(Frame.buildUnsafe(frame.layers)).toEqual(bytes)
  expect(Frame.verifyChecksums(frame).map((e) => e.message)).toEqual([])
}

const ethernet = arb(Ethernet.Ethernet)

describe("round trip (build → decode → same layers, decode → build → same bytes)", () => {
  it.prop("Ethernet with an opaque EtherType", [ethernet, payload], ([eth, data]) => {
    const etherType = [0x88b5, 0x88b6, 0x9000, 0x0842][eth.etherType % 4]!
    roundTrip([{ ...eth, etherType }, data])
  }, RUNS)

  it.prop("VLAN tag stacks", [ethernet, vlans, payload], ([eth, tags, data]) => {
    const last = tags.length > 0 ? { ...tags[tags.length - 1]!, etherType: 0x88b5 } : undefined
    const stack = last ? [...tags.slice(0, -1), last] : []
    roundTrip([{ ...eth, etherType: 0x88b5 }, ...stack, data])
  }, RUNS)

  it.prop("ARP, with Ethernet padding", [ethernet, vlans, arb(Arp.Arp), smallBytes], ([eth, tags, arp, pad]) => {
    roundTrip([eth, ...tags, arp, ...(pad.length > 0 ? [Payload.padding(pad)] : [])])
  }, RUNS)

  it.prop("IPv4 / UDP", [ethernet, vlans, ipv4({ l4: true }), arb(Udp.Udp), payload, smallBytes], (
    [eth, tags, ip, udp, data, pad]
  ) => {
    roundTrip([eth, ...tags, ip, udp, data, ...(pad.length > 0 ? [Payload.padding(pad)] : [])])
  }, RUNS)

  it.prop("IPv4 / TCP with options", [ethernet, ipv4({ l4: true }), tcp, payload], ([eth, ip, t, data]) => {
    roundTrip([eth, ip, t, data])
  }, RUNS)

  it.prop("IPv4 / ICMP", [ethernet, ipv4({ l4: true }), icmp, payload], ([eth, ip, message, data]) => {
    roundTrip([eth, ip, message, data])
  }, RUNS)

  it.prop("IPv4 / SCTP", [ethernet, ipv4({ l4: true }), arb(Sctp.Sctp), payload], ([eth, ip, s, data]) => {
    roundTrip([eth, ip, s, data])
  }, RUNS)

  it.prop("IPv4 later fragments", [ethernet, ipv4({ l4: false }), nonEmptyPayload], ([eth, ip, data]) => {
    roundTrip([eth, { ...ip, protocol: 17 }, data])
  }, RUNS)

  it.prop("first fragments keep the datagram's UDP length and checksum", [ethernet, ipv4({ l4: true }), arb(Udp.Udp), payload], (
    [eth, ip, udp, data]
  ) => {
    const layers = [eth, { ...ip, moreFragments: true }, { ...udp, length: udp.length | 0x8000 }, data]
    const frame = Frame.decode(Frame.buildUnsafe(layers))
    expect(frame.fragment).toBe("first")
    expect(frame.errors).toEqual([])
    expect(frame.udp).toEqual({ ...udp, length: udp.length | 0x8000 })
    expect(Frame.buildUnsafe(frame.layers)).toEqual(frame.bytes)
  }, RUNS)

  it.prop("IPv6 with extension headers / UDP", [ethernet, ipv6, arb(Udp.Udp), payload, smallBytes], (
    [eth, ip, udp, data, pad]
  ) => {
    roundTrip([eth, ip, udp, data, ...(pad.length > 0 ? [Payload.padding(pad)] : [])])
  }, RUNS)

  it.prop("IPv6 / TCP", [ethernet, ipv6, tcp, payload], ([eth, ip, t, data]) => {
    roundTrip([eth, ip, t, data])
  }, RUNS)

  it.prop("IPv6 / ICMPv6 and neighbour discovery", [ethernet, ipv6, icmp6, payload], ([eth, ip, message, data]) => {
    // Neighbour discovery messages end with their options; only echo and others carry data.
    const tail = message.body._tag === "Echo" || message.body._tag === "Other" ? [data] : []
    roundTrip([eth, ip, message, ...tail])
  }, RUNS)

  it.prop("IPv6 / SCTP", [ethernet, ipv6, arb(Sctp.Sctp), payload], ([eth, ip, s, data]) => {
    roundTrip([eth, ip, s, data])
  }, RUNS)

  it.prop("LLDP", [ethernet, arb(Lldp.Lldp), smallBytes], ([eth, lldp, pad]) => {
    roundTrip([eth, normalizeLldp(lldp), ...(pad.length > 0 ? [Payload.padding(pad)] : [])])
  }, RUNS)

  it.prop("MPLS label stacks", [ethernet, Arbitrary.array(arb(Mpls.Mpls), { minLength: 1, maxLength: 4 }), payload], (
    [eth, labels, data]
  ) => {
    roundTrip([{ ...eth, etherType: eth.etherType % 2 === 0 ? EtherType.MPLS : EtherType.MPLS_MULTICAST }, ...labels, data])
  }, RUNS)

  it.prop("802.3 with LLC and SNAP", [ethernet, arb(Llc.Llc), nonEmptyPayload, smallBytes], ([eth, llc, data, pad]) => {
    let header: Llc.Llc = { ...llc, control: (llc.control & 3) === 3 ? llc.control & 0xff : llc.control }
    if (header.snap !== undefined) {
      header = { ...header, dsap: 0xaa, ssap: 0xaa, control: 3, snap: { oui: header.snap.oui || 1, protocolId: header.snap.protocolId } }
    } else if (header.dsap === 0xaa && header.ssap === 0xaa && header.control === 3) {
      header = { ...header, dsap: 0x42 }
    }
    roundTrip([eth, header, data, ...(pad.length > 0 ? [Payload.padding(pad)] : [])])
  }, RUNS)
})
