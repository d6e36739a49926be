/**
 * Packet codec micro-benchmark: operations per second on one core for what a controller
 * does with packet-in data.
 *
 * - The learning switch's hot path: the source and destination MACs of a frame, through
 *   `Ethernet.view` and through `Frame.decode(...).ethernet`.
 * - Routing/ACL apps: `Frame.decode(...).tcp` on a TCP SYN with options, and the OpenFlow
 *   match fields (`FlowKey.extract`).
 * - Everything: `Frame.decode(...).layers` on the same SYN and on an LLDP frame.
 * - Building: a UDP datagram and an ARP reply with `Frame.build`, and rewriting a frame
 *   (decode, change the IPv4 destination, build with new checksums), as a fake switch
 *   applying set-field does.
 * - Checksums: verifying a 1500-byte TCP segment, and the Internet checksum in MB/s.
 *
 * Usage (from the repository root):
 *
 *   npx tsc -b packages/packet/bench && node packages/packet/dist/bench/decode.js [--seconds S] [--rounds N]
 *
 * Each case runs for `--seconds` (default 1) after a warm-up, `--rounds` times (default
 * 3); the best round is reported, as the least disturbed by other load on the machine.
 */
import { parseArgs } from "node:util"
import { Arp, Checksum, Ethernet, FlowKey, Frame, Ipv4, Lldp, Payload, Tcp, Udp } from "@switchyard/packet"

const { values: opts } = parseArgs({
  options: { seconds: { type: "string", default: "1" }, rounds: { type: "string", default: "3" } }
})
const seconds = Number(opts.seconds)
const rounds = Number(opts.rounds)

const A = 0x020000000001
const B = 0x020000000002
const syn = Frame.buildUnsafe([
  Ethernet.make({ dst: B, src: A }),
  Ipv4.make({ src: 0x0a000001, dst: 0x0a000002, dontFragment: true }),
  Tcp.make({
    srcPort: 40000,
    dstPort: 443,
    flags: Tcp.SYN,
    options: [
      { _tag: "Mss", value: 1460 },
      { _tag: "SackPermitted" },
      { _tag: "Timestamps", value: 1, echoReply: 0 },
      { _tag: "Nop" },
      { _tag: "WindowScale", shift: 7 }
    ]
  })
])
const segment = Frame.buildUnsafe([
  Ethernet.make({ dst: B, src: A }),
  Ipv4.make({ src: 0x0a000001, dst: 0x0a000002 }),
  Tcp.make({ srcPort: 40000, dstPort: 443, flags: Tcp.ACK }),
  Payload.make(new Uint8Array(1460).fill(0x5a))
])
const lldp = Frame.buildUnsafe([
  Ethernet.make({ dst: Lldp.NEAREST_BRIDGE, src: A }),
  Lldp.make({ chassisId: "dpid:0000000000000001", portId: "3", ttl: 120, systemName: "switch-1" })
])
const udp = [
  Ethernet.make({ dst: B, src: A }),
  Ipv4.make({ src: 0x0a000001, dst: 0x0a000002 }),
  Udp.make({ srcPort: 5000, dstPort: 53 }),
  Payload.make(new Uint8Array(32))
]
const arpRequest = Arp.make({ operation: Arp.REQUEST, senderMac: A, senderIp: 0x0a000001, targetIp: 0x0a0000fe })
const checksumBuffer = new Uint8Array(1 << 16).fill(0xa5)

let sink = 0

const cases: ReadonlyArray<readonly [string, () => void, number?]> = [
  ["Ethernet.view: src + dst", () => {
    const view = Ethernet.view(syn)!
    sink += view.src + view.dst
  }],
  ["Frame.decode(...).ethernet: src + dst", () => {
    const eth = Frame.decode(syn).ethernet!
    sink += eth.src + eth.dst
  }],
  ["Frame.decode(...).tcp (SYN with 5 options)", () => {
    sink += Frame.decode(syn).tcp!.dstPort
  }],
  ["FlowKey.extract (TCP SYN)", () => {
    sink += FlowKey.extract(Frame.decode(syn)).tcpDst!
  }],
  ["Frame.decode(...).layers (TCP SYN)", () => {
    sink += Frame.decode(syn).layers.length
  }],
  ["Frame.decode(...).layers (LLDP)", () => {
    sink += Frame.decode(lldp).layers.length
  }],
  ["Frame.build (IPv4/UDP, 32-byte payload)", () => {
    sink += Frame.buildUnsafe(udp).length
  }],
  ["Frame.build (ARP reply)", () => {
    sink += Frame.buildUnsafe([Ethernet.make({ dst: A, src: B }), Arp.replyTo(arpRequest, B)]).length
  }],
  ["rewrite IPv4 dst (decode, update, build)", () => {
    sink += Frame.buildUnsafe(Frame.update(Frame.decode(syn).layers, "Ipv4", (ip) => ({ ...ip, dst: 0x0a000063 }))).length
  }],
  ["Frame.verifyChecksums (1500-byte TCP)", () => {
    sink += Frame.verifyChecksums(Frame.decode(segment)).length
  }],
  ["Checksum.compute over 64 KiB", () => {
    sink += Checksum.compute(checksumBuffer, 0, checksumBuffer.length)
  }, checksumBuffer.length]
]

const measure = (f: () => void): number => {
  const deadline = performance.now() + seconds * 1000
  let n = 0
  const started = performance.now()
  while (performance.now() < deadline) {
    for (let i = 0; i < 1000; i++) f()
    n += 1000
  }
  return n / ((performance.now() - started) / 1000)
}

console.log(`@switchyard/packet codec benchmark (Node ${process.version}, best of ${rounds} x ${seconds} s)`)
console.log()
console.log("| case | ops/s | ns/op |")
console.log("|---|---:|---:|")
for (const [name, f, bytes] of cases) {
  measure(f)
  let best = 0
  for (let r = 0; r < rounds; r++) best = Math.max(best, measure(f))
  const extra = bytes === undefined ? "" : ` (${((best * bytes) / 1e6).toFixed(0)} MB/s)`
  console.log(`| ${name}${extra} | ${Math.round(best).toLocaleString("en-US")} | ${(1e9 / best).toFixed(0)} |`)
}
if (sink === 0.5) console.log(sink)
