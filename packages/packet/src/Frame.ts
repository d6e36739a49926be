/**
 * A decoded Ethernet frame as a stack of typed layers, decoded lazily, and the builder
 * that turns layer descriptions back into bytes.
 *
 * Frames come from the network, so this is where robustness matters most. Ryu's packet
 * library raised on odd frames, and Faucet had to catch three exception types around it
 * and later fuzz it. Here {@link decode} never throws: a truncated or inconsistent layer
 * is reported in `frame.errors` as a `PacketError` naming the layer, the reason and the
 * offset, and the layers decoded before it stay available. It is also lazy: an app that
 * reads `frame.ethernet` pays for the Ethernet header only; `frame.ipv4` decodes up to
 * the IP header, `frame.tcp` up to the transport header, and each result is cached.
 *
 * The builder ({@link build}) is the other half: it takes the same layers (decoded ones,
 * modified ones, or ones made with each module's `make`), fills in every length, the
 * next-protocol fields and every checksum, and returns the bytes. Decoding a frame and
 * building its `layers` gives the same bytes back for any well-formed frame.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import * as Arp from "./Arp.ts"
import * as Checksum from "./Checksum.ts"
import * as Ethernet from "./Ethernet.ts"
import * as EtherType from "./EtherType.ts"
import * as Icmp from "./Icmp.ts"
import * as Icmp6 from "./Icmp6.ts"
import { build as buildFrame } from "./internal/builder.ts"
import { FrameDecoder } from "./internal/decoder.ts"
import type { AnyInput } from "./internal/inputs.ts"
import * as IpProtocol from "./IpProtocol.ts"
import * as Ipv4 from "./Ipv4.ts"
import * as Ipv6 from "./Ipv6.ts"
import * as Llc from "./Llc.ts"
import * as Lldp from "./Lldp.ts"
import * as Mpls from "./Mpls.ts"
import * as PacketError from "./PacketError.ts"
import * as Payload from "./Payload.ts"
import * as Sctp from "./Sctp.ts"
import * as Tcp from "./Tcp.ts"
import * as Udp from "./Udp.ts"
import * as Vlan from "./Vlan.ts"

/**
 * Any decoded layer.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Layer = Schema.Union([
  Ethernet.Ethernet,
  Vlan.Vlan,
  Mpls.Mpls,
  Llc.Llc,
  Arp.Arp,
  Ipv4.Ipv4,
  Ipv6.Ipv6,
  Icmp.Icmp,
  Icmp6.Icmp6,
  Tcp.Tcp,
  Udp.Udp,
  Sctp.Sctp,
  Lldp.Lldp,
  Payload.Payload,
  Payload.Padding
])

const optional = <F extends Schema.Struct.Fields, const K extends keyof F>(fields: F, keys: ReadonlyArray<K>) => {
  const out: Record<string, unknown> = { ...fields }
  for (const key of keys) out[key as string] = Schema.optionalKey(fields[key] as unknown as Schema.Top)
  return out as Omit<F, K> & { [P in K]: Schema.optionalKey<F[P]> }
}

const Ipv6ExtensionInput = Schema.Union([
  Ipv6.HopByHop.mapFields((f) => optional(f, ["nextHeader"])),
  Ipv6.Routing.mapFields((f) => optional(f, ["nextHeader"])),
  Ipv6.Fragment.mapFields((f) => optional(f, ["nextHeader"])),
  Ipv6.DestinationOptions.mapFields((f) => optional(f, ["nextHeader"]))
])

/**
 * A layer as {@link build} accepts it, as a schema: {@link Layer} with the computed
 * fields (lengths, checksums, next-protocol fields) optional.
 *
 * **When to use**
 *
 * To read frames described in JSON (`switchyard pkt encode`, test fixtures): the JSON
 * `pkt decode` prints is accepted as is, and hand-written JSON may leave out what the
 * builder computes anyway.
 *
 * @category schemas
 * @since 0.1.0
 */
export const InputLayer = Schema.Union([
  Ethernet.Ethernet.mapFields((f) => optional(f, ["etherType"])),
  Vlan.Vlan.mapFields((f) => optional(f, ["etherType"])),
  Mpls.Mpls.mapFields((f) => optional(f, ["bos"])),
  Llc.Llc,
  Arp.Arp,
  Ipv4.Ipv4.mapFields((f) => optional(f, ["totalLength", "checksum", "protocol"])),
  Ipv6.Ipv6.mapFields((f) => ({ ...optional(f, ["payloadLength", "nextHeader"]), extensions: Schema.Array(Ipv6ExtensionInput) })),
  Icmp.Icmp.mapFields((f) => optional(f, ["checksum"])),
  Icmp6.Icmp6.mapFields((f) => optional(f, ["checksum"])),
  Tcp.Tcp.mapFields((f) => optional(f, ["checksum"])),
  Udp.Udp.mapFields((f) => optional(f, ["length", "checksum"])),
  Sctp.Sctp.mapFields((f) => optional(f, ["checksum"])),
  Lldp.Lldp,
  Payload.Payload,
  Payload.Padding
])

/**
 * A decoded layer; switch on `_tag`.
 *
 * @category models
 * @since 0.1.0
 */
export type Layer = typeof Layer.Type

/**
 * A layer as {@link build} accepts it: any decoded {@link Layer}, or one made by a module's
 * `make`, where computed fields may be left out.
 *
 * @category models
 * @since 0.1.0
 */
export type Input = AnyInput

/**
 * Whether the IP datagram is a fragment: `"first"` for the fragment at offset 0 (it
 * carries the transport header), `"later"` for the others (they do not). An IPv6
 * "atomic" fragment (offset 0, no more fragments) is a whole datagram: `"none"`.
 *
 * @category models
 * @since 0.1.0
 */
export type Fragment = "none" | "first" | "later"

/**
 * A decoded frame. Every getter decodes what it needs on first use and caches it.
 *
 * **Details**
 *
 * - Link layer: `ethernet`, `vlans` (outermost first), `mpls`, `llc`, and `etherType`,
 *   the EtherType after the VLAN tags (0x05ff for 802.3 frames without a SNAP EtherType,
 *   as Open vSwitch reports them).
 * - Network layer: `arp`, `ipv4`, `ipv6`, `lldp`; `ipProtocol` is the upper-layer
 *   protocol after any IPv6 extension headers; `fragment` tells fragments apart.
 * - Transport layer: `tcp`, `udp`, `icmp`, `icmp6`, `sctp`.
 * - `payload`: the innermost undecoded bytes (empty when there are none); `padding`: the
 *   bytes after the datagram's own length.
 * - `layers`: everything above, in wire order, ready for {@link build}.
 * - `errors`: every problem found (decoding the whole frame to find them); `error` is the
 *   first one.
 *
 * **Gotchas**
 *
 * The frame, its payload and every byte field of its layers are views into the bytes
 * given to {@link decode}: nothing is copied. If that buffer is reused (a socket read
 * buffer, for example), copy what you keep with `slice()` first.
 *
 * @category models
 * @since 0.1.0
 */
export interface Frame {
  /** The bytes the frame was decoded from (the caller's, not a copy). */
  readonly bytes: Uint8Array
  readonly ethernet: Ethernet.Ethernet | undefined
  readonly vlans: ReadonlyArray<Vlan.Vlan>
  readonly mpls: ReadonlyArray<Mpls.Mpls>
  readonly llc: Llc.Llc | undefined
  readonly etherType: number | undefined
  readonly arp: Arp.Arp | undefined
  readonly ipv4: Ipv4.Ipv4 | undefined
  readonly ipv6: Ipv6.Ipv6 | undefined
  readonly lldp: Lldp.Lldp | undefined
  readonly ipProtocol: number | undefined
  readonly fragment: Fragment
  readonly tcp: Tcp.Tcp | undefined
  readonly udp: Udp.Udp | undefined
  readonly icmp: Icmp.Icmp | undefined
  readonly icmp6: Icmp6.Icmp6 | undefined
  readonly sctp: Sctp.Sctp | undefined
  readonly payload: Uint8Array
  readonly padding: Uint8Array
  readonly layers: ReadonlyArray<Layer>
  readonly errors: ReadonlyArray<PacketError.PacketError>
  readonly error: PacketError.PacketError | undefined
}

/**
 * Decodes a frame lazily. Never throws.
 *
 * **When to use**
 *
 * For anything past the Ethernet addresses: ARP, IP addresses, ports, LLDP. For the
 * MAC addresses alone, `Ethernet.view` allocates less.
 *
 * **Details**
 *
 * Nothing is decoded until a getter is read. A broken fixed header ends decoding there:
 * the layer is absent, its bytes and everything after are `payload`, and `errors` says
 * why. A problem inside a layer whose header is sound (a bad IPv4 header checksum, a
 * malformed option, an IP datagram longer than the bytes present because the switch
 * truncated the packet-in) keeps the layer and is reported in `errors` too. Transport
 * checksums are not verified on decode; call {@link verifyChecksums}.
 *
 * **Example** (Reading an ARP request from a packet-in)
 *
 * ```ts
 * import { Frame, Ipv4Address } from "@switchyard/packet"
 *
 * declare const data: Uint8Array
 * const frame = Frame.decode(data)
 * const arp = frame.arp
 * if (arp !== undefined && arp.operation === 1) {
 *   console.log(`who has ${Ipv4Address.format(arp.targetIp)}?`)
 * } else if (frame.error !== undefined) {
 *   console.log(frame.error.message)
 * }
 * ```
 *
 * @category decoding
 * @since 0.1.0
 */
export const decode = (bytes: Uint8Array): Frame => new FrameDecoder(bytes)

/**
 * Builds a frame from layer descriptions, computing lengths, next-protocol fields and
 * checksums. Never throws.
 *
 * **Details**
 *
 * - Layers are written in order; `Padding` layers, if any, must come last and are left
 *   out of every length and checksum.
 * - Always computed, whatever the input says: IPv4 IHL, total length and header
 *   checksum; IPv6 payload length; TCP data offset and checksum; UDP length and checksum
 *   (but a UDP checksum of exactly 0 over IPv4 is kept, meaning "none"); ICMP, ICMPv6
 *   and SCTP checksums; 802.3 lengths before an `Llc` layer; LLDP TLV lengths; MPLS
 *   bottom-of-stack bits.
 * - Except in IP fragments: there the transport checksum and the UDP length describe
 *   the whole datagram, which one fragment does not hold, so the values given are kept
 *   (they are computed over the fragment only when left out). After rewriting the
 *   addresses of a first fragment, adjust its checksum with `Checksum.adjust`.
 * - Next-protocol fields (EtherTypes, IPv4 `protocol`, IPv6 next headers) are taken
 *   from the following layer when it is one this package knows; they are needed only
 *   before an opaque `Payload`.
 * - Options are padded as their protocol requires: IPv4 and TCP with zero bytes, IPv6
 *   options headers with Pad1/PadN.
 * - Reserved bits are written as zero.
 *
 * A field out of range, an option list too long, a `Tcp` without an IP layer before it
 * and the like fail with a `PacketError` (`BadValue` or `BadLength`) naming the layer.
 *
 * **Gotchas**
 *
 * Frames up to 4 KiB are views into a shared 8 KiB slab (as Node's `Buffer` pool
 * works), because allocating a small typed array costs more than building the frame. Use
 * `byteOffset` with `bytes.buffer`, and `slice()` a frame you keep for a long time if the
 * memory matters.
 *
 * **Example** (An ICMP echo request on VLAN 10)
 *
 * ```ts
 * import { Ethernet, Frame, Icmp, Ipv4, Ipv4Address, Payload, Vlan } from "@switchyard/packet"
 *
 * const result = Frame.build([
 *   Ethernet.make({ dst: 0x020000000002, src: 0x020000000001 }),
 *   Vlan.make({ vid: 10 }),
 *   Ipv4.make({ src: Ipv4Address.fromStringUnsafe("10.0.0.1"), dst: Ipv4Address.fromStringUnsafe("10.0.0.2") }),
 *   Icmp.echoRequest({ identifier: 1, sequence: 1 }),
 *   Payload.make(new Uint8Array(32))
 * ])
 * ```
 *
 * @see {@link buildUnsafe}
 * @category encoding
 * @since 0.1.0
 */
export const build = (layers: ReadonlyArray<Input>): Result.Result<Uint8Array, PacketError.PacketError> =>
  buildFrame(layers)

/**
 * Like {@link build}, but throws the `PacketError`: for frames written in code and tests.
 *
 * @category encoding
 * @since 0.1.0
 */
export const buildUnsafe = (layers: ReadonlyArray<Input>): Uint8Array => Result.getOrThrow(buildFrame(layers))

/**
 * Verifies every checksum in a decoded frame and returns one `BadChecksum` error per
 * checksum that does not match (an empty array when all do).
 *
 * **Details**
 *
 * Checks the IPv4 header checksum and the TCP, UDP, ICMP, ICMPv6 or SCTP checksum.
 * Transport checksums are skipped where they cannot be checked: fragments, datagrams the
 * switch truncated, UDP over IPv4 with checksum 0 (none), a UDP length that disagrees
 * with IP, and IPv6 packets with a routing header that still has segments left (their
 * pseudo-header uses the final destination).
 *
 * @category decoding
 * @since 0.1.0
 */
export const verifyChecksums = (frame: Frame): ReadonlyArray<PacketError.PacketError> => {
  if (!(frame instanceof FrameDecoder)) return verifyChecksums(decode(frame.bytes))
  const errors: Array<PacketError.PacketError> = []
  const b = frame.bytes
  const { ipOffset, l4End, l4Offset } = frame.checksumSpans
  const ipv4 = frame.ipv4
  const bad = (layer: PacketError.LayerName, offset: number, value: number) =>
    errors.push(
      PacketError.make(layer, "BadChecksum", offset, `the ${layer} checksum 0x${value.toString(16).padStart(layer === "Sctp" ? 8 : 4, "0")} is wrong`)
    )
  if (ipv4 !== undefined && Checksum.compute(b, ipOffset, Ipv4.headerLength(ipv4)) !== 0) {
    bad("Ipv4", ipOffset + 10, ipv4.checksum)
  }
  if (l4Offset < 0 || frame.truncatedDatagram || frame.fragment !== "none") return errors
  const ipv6 = frame.ipv6
  if (ipv6 !== undefined && ipv6.extensions.some((e) => e._tag === "Routing" && e.segmentsLeft > 0)) return errors
  const length = l4End - l4Offset
  const pseudo = (protocol: number) =>
    ipv4 !== undefined
      ? Checksum.pseudoHeaderIpv4(b, ipOffset, protocol, length)
      : Checksum.pseudoHeaderIpv6(b, ipOffset, protocol, length)
  const tcp = frame.tcp
  const udp = frame.udp
  const icmp = frame.icmp
  const icmp6 = frame.icmp6
  const sctp = frame.sctp
  if (tcp !== undefined) {
    if (Checksum.finish(Checksum.add(pseudo(IpProtocol.TCP), b, l4Offset, length)) !== 0) {
      bad("Tcp", l4Offset + 16, tcp.checksum)
    }
  } else if (udp !== undefined) {
    if ((ipv4 === undefined || udp.checksum !== 0) && udp.length === length) {
      if (Checksum.finish(Checksum.add(pseudo(IpProtocol.UDP), b, l4Offset, length)) !== 0) {
        bad("Udp", l4Offset + 6, udp.checksum)
      }
    }
  } else if (icmp !== undefined) {
    if (Checksum.compute(b, l4Offset, length) !== 0) bad("Icmp", l4Offset + 2, icmp.checksum)
  } else if (icmp6 !== undefined) {
    if (Checksum.finish(Checksum.add(pseudo(IpProtocol.ICMPV6), b, l4Offset, length)) !== 0) {
      bad("Icmp6", l4Offset + 2, icmp6.checksum)
    }
  } else if (sctp !== undefined) {
    if (!Checksum.verifySctp(b, l4Offset, length)) bad("Sctp", l4Offset + 8, sctp.checksum)
  }
  return errors
}

/**
 * The JSON form of a decoded frame: its layers and its errors.
 *
 * **Details**
 *
 * Addresses encode as text (`"aa:bb:cc:dd:ee:ff"`, `"10.0.0.1"`, `"fe80::1"`), byte
 * fields as lower-case hex; everything else is a JSON number, boolean or string. Decoding
 * this schema from JSON gives layers {@link build} accepts.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Json = Schema.Struct({
  layers: Schema.Array(Layer),
  errors: Schema.Array(PacketError.Json)
})

/**
 * The value {@link Json} describes.
 *
 * @category models
 * @since 0.1.0
 */
export type Json = typeof Json.Type

const encodeJson = Schema.encodeSync(Json)

/**
 * Encodes a frame's layers and errors as a JSON-ready value (see {@link Json}); decodes
 * the whole frame.
 *
 * **Example** (Printing a frame)
 *
 * ```ts
 * import { Frame } from "@switchyard/packet"
 *
 * declare const bytes: Uint8Array
 * console.log(JSON.stringify(Frame.toJson(Frame.decode(bytes)), null, 2))
 * ```
 *
 * @category formatting
 * @since 0.1.0
 */
export const toJson = (frame: Frame): typeof Json.Encoded =>
  encodeJson({ layers: frame.layers, errors: frame.errors.map(PacketError.toJson) })

type Tag = Input["_tag"]
type InputOf<T extends Tag> = Extract<Input, { readonly _tag: T }>

/**
 * Replaces the first layer with the given tag by `f(layer)`; returns a new array (the
 * same contents when no layer has the tag).
 *
 * **When to use**
 *
 * For set-field style rewrites before {@link build}, which recomputes every length and
 * checksum the change affects.
 *
 * **Example** (Rewriting the destination address and decrementing the TTL)
 *
 * ```ts
 * import { Frame } from "@switchyard/packet"
 *
 * declare const frame: Frame.Frame
 * const rewritten = Frame.buildUnsafe(
 *   Frame.update(frame.layers, "Ipv4", (ip) => ({ ...ip, dst: 0x0a000002, ttl: ip.ttl - 1 }))
 * )
 * ```
 *
 * @category combinators
 * @since 0.1.0
 */
export const update = <T extends Tag>(
  layers: ReadonlyArray<Input>,
  tag: T,
  f: (layer: InputOf<T>) => InputOf<T>
): Array<Input> => {
  const out = layers.slice()
  const index = out.findIndex((layer) => layer._tag === tag)
  if (index >= 0) out[index] = f(out[index] as InputOf<T>)
  return out
}

/**
 * Pushes a VLAN tag: inserts it as the outermost tag, right after the Ethernet header.
 *
 * **Details**
 *
 * The new tag carries the EtherType the Ethernet header had, and the Ethernet header now
 * announces the tag's TPID. OpenFlow's rule that a pushed tag copies the VID and PCP of
 * an existing outer tag is the caller's to apply (read `frame.vlans[0]`).
 *
 * @category combinators
 * @since 0.1.0
 */
export const pushVlan = (
  layers: ReadonlyArray<Input>,
  tag: { readonly vid: number; readonly pcp?: number | undefined; readonly dei?: boolean | undefined; readonly tpid?: number | undefined }
): Array<Input> => {
  const out = layers.slice()
  const index = out.findIndex((layer) => layer._tag === "Ethernet")
  if (index < 0) return out
  const ethernet = out[index] as Ethernet.Input
  const vlan = Vlan.make({ ...tag, etherType: ethernet.etherType })
  out[index] = { ...ethernet, etherType: vlan.tpid }
  out.splice(index + 1, 0, vlan)
  return out
}

/**
 * Pops the outermost VLAN tag; the Ethernet header takes over the tag's EtherType.
 * Returns the layers unchanged when there is no tag.
 *
 * @category combinators
 * @since 0.1.0
 */
export const popVlan = (layers: ReadonlyArray<Input>): Array<Input> => {
  const out = layers.slice()
  const index = out.findIndex((layer) => layer._tag === "Vlan")
  if (index < 1 || out[index - 1]!._tag !== "Ethernet") return out
  const tag = out[index] as Vlan.Input
  out[index - 1] = { ...(out[index - 1] as Ethernet.Input), etherType: tag.etherType }
  out.splice(index, 1)
  return out
}

/**
 * Pushes an MPLS label stack entry after the Ethernet header and any VLAN tags (on top of
 * any existing labels), announced with `etherType` (0x8847 unless 0x8848 is given).
 *
 * **Gotchas**
 *
 * Layers after the label stack stay as they are, so the result still shows them; once
 * built and decoded again they are an opaque payload, as on the wire.
 *
 * @category combinators
 * @since 0.1.0
 */
export const pushMpls = (
  layers: ReadonlyArray<Input>,
  entry: Mpls.Input,
  etherType: number = EtherType.MPLS
): Array<Input> => {
  const out = layers.slice()
  let index = out.findIndex((layer) => layer._tag === "Ethernet")
  if (index < 0) return out
  while (out[index + 1]?._tag === "Vlan") index++
  const before = out[index] as Ethernet.Input | Vlan.Input
  out[index] = { ...before, etherType }
  out.splice(index + 1, 0, entry)
  return out
}

/**
 * Pops the outermost MPLS label stack entry. When it was the last one, the layer before
 * it announces `etherType` (what the payload under the labels is, as OpenFlow's
 * `pop_mpls` says). Returns the layers unchanged when there is no label.
 *
 * @category combinators
 * @since 0.1.0
 */
export const popMpls = (layers: ReadonlyArray<Input>, etherType: number): Array<Input> => {
  const out = layers.slice()
  const index = out.findIndex((layer) => layer._tag === "Mpls")
  if (index < 1) return out
  out.splice(index, 1)
  if (out[index]?._tag !== "Mpls") {
    const before = out[index - 1]!
    if (before._tag === "Ethernet" || before._tag === "Vlan") out[index - 1] = { ...before, etherType }
  }
  return out
}
