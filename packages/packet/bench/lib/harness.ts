/**
 * The packet fuzzer: a seed corpus of well-formed frames, mutators that damage them the
 * way broken stacks and hostile peers do, and the checks every input must pass.
 *
 * Used by `test/fuzz.test.ts` (a few thousand inputs in `npm test`) and by
 * `bench/fuzz.ts` (millions, on demand). The checks are:
 *
 * 1. Nothing throws: decoding, every getter, `layers`, `errors`, `toJson`,
 *    `verifyChecksums`, `FlowKey.extract`, `Ethernet.view`, and `Frame.build` on the
 *    decoded layers (which may fail, as a value) and on randomly corrupted layers.
 * 2. The decoded model is a fixed point after one rebuild: if the decoded layers build,
 *    decoding and rebuilding once more gives the same bytes again.
 * 3. A frame that decodes without errors and with good checksums rebuilds to exactly its
 *    own bytes, unless it holds one of the few things the model drops on purpose
 *    (reserved bits, option padding, malformed UTF-8), which the check recognises by
 *    rebuilding once more.
 *
 * Everything here is deterministic for a given seed.
 */
import {
  Arp,
  Ethernet,
  EtherType,
  FlowKey,
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

/** A small, fast, seedable PRNG (mulberry32). */
export class Random {
  private state: number
  constructor(seed: number) {
    this.state = seed >>> 0
  }
  /** A uniformly random 32-bit unsigned integer. */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0)
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }
  /** An integer in [0, n). */
  below(n: number): number {
    return n <= 0 ? 0 : this.next() % n
  }
  pick<A>(items: ReadonlyArray<A>): A {
    return items[this.below(items.length)]!
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) out[i] = this.next() & 0xff
    return out
  }
}

const A = 0x020000000001
const B = 0x020000000002
const text = (s: string) => new TextEncoder().encode(s)

/** Well-formed frames covering every protocol and option kind the decoder knows. */
export const seedCorpus = (): Array<Uint8Array> => {
  const eth = Ethernet.make({ dst: B, src: A })
  const ip4 = Ipv4.make({ src: 0x0a000001, dst: 0x0a000002 })
  const ip4opt = Ipv4.make({
    src: 0x0a000001,
    dst: 0x0a000002,
    options: [{ type: 0x94, data: Uint8Array.of(0, 0) }, { type: 1, data: new Uint8Array(0) }, { type: 0, data: new Uint8Array(0) }]
  })
  const ip6 = Ipv6.make({ src: 0xfd00n << 112n | 1n, dst: 0xfd00n << 112n | 2n, flowLabel: 12345 })
  const ip6ext = Ipv6.make({
    src: 1n,
    dst: 2n,
    extensions: [
      { _tag: "HopByHop", options: [{ type: 5, data: Uint8Array.of(0, 0) }] },
      { _tag: "DestinationOptions", options: [{ type: 0x1e, data: Uint8Array.of(1, 2, 3) }] },
      { _tag: "Routing", routingType: 4, segmentsLeft: 1, data: new Uint8Array(20) },
      { _tag: "Fragment", fragmentOffset: 0, moreFragments: true, identification: 7 }
    ]
  })
  const tcp = Tcp.make({
    srcPort: 40000,
    dstPort: 443,
    seq: 123456789,
    flags: Tcp.SYN,
    options: [
      { _tag: "Mss", value: 1460 },
      { _tag: "SackPermitted" },
      { _tag: "Timestamps", value: 1, echoReply: 0 },
      { _tag: "Nop" },
      { _tag: "WindowScale", shift: 7 },
      { _tag: "Sack", blocks: [{ left: 1, right: 2 }] }
    ]
  })
  const data = Payload.make(text("hello, switchyard"))
  const stacks: ReadonlyArray<ReadonlyArray<Frame.Input>> = [
    [Ethernet.make({ dst: 0xffffffffffff, src: A }), Arp.make({ operation: 1, senderMac: A, senderIp: 1, targetIp: 2 }), Payload.padding(18)],
    [eth, ip4, Udp.make({ srcPort: 5000, dstPort: 53 }), data],
    [eth, ip4opt, tcp, data],
    [eth, ip4, Icmp.echoRequest({ identifier: 1, sequence: 2 }), data],
    [eth, { ...ip4, moreFragments: true }, Udp.make({ srcPort: 1, dstPort: 2 }), data],
    [eth, { ...ip4, fragmentOffset: 100, protocol: 17 }, data],
    [eth, ip4, Sctp.make({ srcPort: 1, dstPort: 2 }), data],
    [eth, ip6, tcp, data],
    [eth, ip6ext, Udp.make({ srcPort: 1, dstPort: 2 }), data],
    [eth, ip6, Icmp6.neighborSolicitation({ target: 5n, sourceMac: A })],
    [eth, ip6, Icmp6.neighborAdvertisement({ target: 5n, targetMac: A })],
    [eth, ip6, Icmp6.make({
      type: 134,
      body: {
        _tag: "RouterAdvertisement",
        curHopLimit: 64,
        managed: false,
        other: true,
        routerLifetime: 1800,
        reachableTime: 0,
        retransTimer: 0,
        options: [
          { _tag: "SourceLinkLayerAddress", address: A },
          { _tag: "Mtu", mtu: 1500 },
          { _tag: "PrefixInformation", prefixLength: 64, onLink: true, autonomous: true, validLifetime: 1, preferredLifetime: 1, prefix: 3n << 120n },
          { _tag: "UnknownOption", type: 24, data: new Uint8Array(6) }
        ]
      }
    })],
    [eth, ip6, Icmp6.make({ type: 137, body: { _tag: "Redirect", target: 1n, destination: 2n, options: [] } })],
    [eth, ip6, Icmp6.make({ type: 128, body: { _tag: "Echo", identifier: 1, sequence: 1 } }), data],
    [eth, ip6, Icmp6.make({ type: 1, code: 4, body: { _tag: "Other", rest: 0 } }), data],
    [Ethernet.make({ dst: Lldp.NEAREST_BRIDGE, src: A }), Lldp.make({
      chassisId: { subtype: 4, id: Uint8Array.of(2, 0, 0, 0, 0, 1) },
      portId: "eth0",
      ttl: 120,
      portDescription: "uplink",
      systemName: "sw1",
      systemDescription: "switchyard",
      capabilities: { capabilities: 0x14, enabled: 0x04 },
      managementAddresses: [{ addressSubtype: 1, address: Uint8Array.of(10, 0, 0, 1), interfaceSubtype: 2, interfaceNumber: 3, oid: new Uint8Array(0) }],
      extra: [
        { _tag: "OrganizationallySpecific", oui: 0x0080c2, subtype: 1, info: Uint8Array.of(0, 1) },
        { _tag: "UnknownTlv", type: 9, value: Uint8Array.of(1) }
      ]
    })],
    [eth, Vlan.make({ tpid: EtherType.QINQ, vid: 100 }), Vlan.make({ vid: 20 }), ip4, Udp.make({ srcPort: 1, dstPort: 2 }), data],
    [eth, Mpls.make({ label: 100 }), Mpls.make({ label: 200 }), data],
    [Ethernet.make({ dst: 0x0180c2000000, src: A }), Llc.make({ dsap: 0x42, ssap: 0x42, control: 3 }), Payload.make(new Uint8Array(35))],
    [eth, Llc.make({ snap: { oui: 0, protocolId: 0 } }), ip4, Icmp.echoRequest({ identifier: 1, sequence: 1 })],
    [eth, Llc.make({ dsap: 0x06, ssap: 0x06, control: 0x0102 }), data]
  ]
  return stacks.map((layers) => Frame.buildUnsafe(layers))
}

const INTERESTING_8 = [0, 1, 2, 3, 4, 5, 6, 7, 8, 0x0f, 0x10, 0x3f, 0x40, 0x45, 0x4f, 0x60, 0x7f, 0x80, 0xfe, 0xff]
const INTERESTING_16 = [
  0, 1, 2, 7, 8, 19, 20, 39, 40, 0x05ff, 0x0600, 0x0800, 0x0806, 0x8100, 0x86dd, 0x8847, 0x88a8, 0x88cc, 0x9100, 0x7fff,
  0x8000, 0xfffe, 0xffff
]

/** Applies one to four random mutations to a copy of `input`. */
export const mutate = (random: Random, input: Uint8Array, corpus: ReadonlyArray<Uint8Array>): Uint8Array => {
  let bytes = input.slice()
  const rounds = 1 + random.below(4)
  for (let r = 0; r < rounds; r++) {
    const n = bytes.length
    switch (random.below(10)) {
      case 0:
        if (n > 0) bytes[random.below(n)]! ^= 1 << random.below(8)
        break
      case 1:
        if (n > 0) bytes[random.below(n)] = random.next() & 0xff
        break
      case 2:
        if (n > 0) bytes[random.below(n)] = random.pick(INTERESTING_8)
        break
      case 3:
        if (n > 1) {
          const o = random.below(n - 1)
          const v = random.below(2) === 0 ? random.pick(INTERESTING_16) : ((bytes[o]! << 8) | bytes[o + 1]!) + random.below(5) - 2
          bytes[o] = (v >>> 8) & 0xff
          bytes[o + 1] = v & 0xff
        }
        break
      case 4:
        bytes = bytes.slice(0, random.below(n + 1))
        break
      case 5: {
        const extra = random.bytes(1 + random.below(16))
        const out = new Uint8Array(n + extra.length)
        out.set(bytes)
        out.set(extra, n)
        bytes = out
        break
      }
      case 6: {
        const at = random.below(n + 1)
        const extra = random.bytes(1 + random.below(8))
        const out = new Uint8Array(n + extra.length)
        out.set(bytes.subarray(0, at))
        out.set(extra, at)
        out.set(bytes.subarray(at), at + extra.length)
        bytes = out
        break
      }
      case 7: {
        if (n === 0) break
        const at = random.below(n)
        const count = 1 + random.below(Math.min(8, n - at))
        const out = new Uint8Array(n - count)
        out.set(bytes.subarray(0, at))
        out.set(bytes.subarray(at + count), at)
        bytes = out
        break
      }
      case 8: {
        const other = random.pick(corpus)
        const at = random.below(n + 1)
        const from = random.below(other.length + 1)
        const out = new Uint8Array(at + other.length - from)
        out.set(bytes.subarray(0, at))
        out.set(other.subarray(from), at)
        bytes = out
        break
      }
      case 9:
        // Length and type fields live in the first 60 bytes; hit them more often.
        if (n > 0) bytes[random.below(Math.min(n, 60))] = random.pick(INTERESTING_8)
        break
    }
  }
  return bytes
}

const ETHERTYPES = [0x0800, 0x0806, 0x8035, 0x86dd, 0x8100, 0x88a8, 0x9100, 0x8847, 0x8848, 0x88cc, 0x0040, 0x05dc, 0x88b5]

/** Random bytes, often behind a plausible Ethernet header so deeper decoders are reached. */
export const randomFrame = (random: Random): Uint8Array => {
  const bytes = random.bytes(random.below(200))
  if (bytes.length >= 14 && random.below(4) !== 0) {
    const type = random.pick(ETHERTYPES)
    bytes[12] = type >>> 8
    bytes[13] = type & 0xff
    if (bytes.length > 14 && type === 0x0800) bytes[14] = 0x45
    if (bytes.length > 14 && type === 0x86dd) bytes[14] = 0x60
  }
  return bytes
}

/** A problem the fuzzer found. */
export class FuzzFailure extends Error {
  constructor(readonly input: Uint8Array, readonly problem: string) {
    super(problem)
  }
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

const touch = (frame: Frame.Frame): number => {
  // Read every getter in an order that does not follow the stages, so later stages are
  // sometimes forced before earlier ones are read.
  let n = frame.tcp?.srcPort ?? 0
  n += frame.ethernet?.etherType ?? 0
  n += frame.vlans.length + frame.mpls.length + (frame.llc?.dsap ?? 0) + (frame.etherType ?? 0)
  n += (frame.arp?.operation ?? 0) + (frame.ipv4?.ttl ?? 0) + (frame.ipv6?.hopLimit ?? 0) + (frame.lldp?.tlvs.length ?? 0)
  n += (frame.ipProtocol ?? 0) + frame.fragment.length
  n += (frame.udp?.dstPort ?? 0) + (frame.icmp?.type ?? 0) + (frame.icmp6?.type ?? 0) + (frame.sctp?.srcPort ?? 0)
  n += frame.payload.length + frame.padding.length + frame.layers.length + frame.errors.length
  n += frame.error?.offset ?? 0
  return n
}

/** Replaces one field of one layer with something it must not hold. */
const corrupt = (random: Random, layers: ReadonlyArray<Frame.Input>): Array<Frame.Input> => {
  const out = layers.slice()
  if (out.length === 0) return out
  const index = random.below(out.length)
  const layer = { ...(out[index] as unknown as Record<string, unknown>) }
  const keys = Object.keys(layer).filter((k) => k !== "_tag")
  if (keys.length === 0) return out
  const key = random.pick(keys)
  layer[key] = random.pick<unknown>([-1, 1.5, NaN, 2 ** 53, "x", undefined, null, 1n, {}, [], [null], new Uint8Array(3000)])
  out[index] = layer as unknown as Frame.Input
  return out
}

/**
 * Runs every check on one input; throws a `FuzzFailure` describing the first violation.
 * `json: false` skips the JSON encoding, which costs more than all the other checks
 * together; the long run does it for one input in eight.
 */
export const check = (input: Uint8Array, random: Random, options: { readonly json: boolean } = { json: true }): void => {
  let stage = "decode"
  try {
    const frame = Frame.decode(input)
    touch(frame)
    if (options.json) {
      stage = "toJson"
      JSON.stringify(Frame.toJson(frame))
    }
    stage = "verifyChecksums"
    const bad = Frame.verifyChecksums(frame)
    stage = "FlowKey.extract"
    FlowKey.extract(frame)
    stage = "Ethernet.view"
    const view = Ethernet.view(input)
    if (view !== undefined) view.dst + view.src + view.etherType + view.innerEtherType + (view.vlanId ?? 0)
    stage = "build"
    const rebuilt = Frame.build(frame.layers)
    if (rebuilt._tag === "Success") {
      stage = "rebuild fixed point"
      const again = Frame.decode(rebuilt.success)
      touch(again)
      const twice = Frame.build(again.layers)
      if (twice._tag !== "Success") throw new Error(`rebuilt frame does not build again: ${twice.failure.message}`)
      const third = Frame.build(Frame.decode(twice.success).layers)
      if (third._tag !== "Success" || !sameBytes(third.success, twice.success)) {
        throw new Error("decode/build is not a fixed point after one rebuild")
      }
      if (frame.errors.length === 0 && bad.length === 0 && !sameBytes(rebuilt.success, input)) {
        // Only the dropped-on-purpose details may differ, and then one more round is exact.
        if (!sameBytes(twice.success, rebuilt.success)) throw new Error("a clean frame does not rebuild to its own bytes")
      }
    }
    stage = "build corrupted layers"
    const result = Frame.build(corrupt(random, frame.layers))
    if (result._tag !== "Success" && result._tag !== "Failure") throw new Error("build returned a non-Result")
  } catch (e) {
    if (e instanceof FuzzFailure) throw e
    throw new FuzzFailure(input, `${stage}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`)
  }
}

/** Runs `iterations` fuzz inputs from `seed`; returns how many ran, or throws the first failure. */
export const run = (options: {
  readonly seed: number
  readonly iterations: number
  readonly onProgress?: (done: number) => void
}): number => {
  const random = new Random(options.seed)
  const corpus = seedCorpus()
  for (const frame of corpus) check(frame, random)
  for (let i = 0; i < options.iterations; i++) {
    const input = random.below(5) === 0 ? randomFrame(random) : mutate(random, random.pick(corpus), corpus)
    check(input, random, { json: (i & 7) === 0 })
    if (options.onProgress !== undefined && (i + 1) % 100_000 === 0) options.onProgress(i + 1)
  }
  return options.iterations
}
