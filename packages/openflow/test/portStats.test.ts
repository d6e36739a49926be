/**
 * The PORT_STATS multipart request and reply (OpenFlow 1.3 only: 1.2 had no durations,
 * 1.4 uses properties). Ryu has no 1.3 reply vector and no other version shares the
 * layout, so the reply bytes are built by hand from the spec's `ofp_port_stats`
 * (OpenFlow 1.3 §7.3.5.6): port_no, pad[4], twelve 64-bit counters, duration_sec,
 * duration_nsec: 112 bytes. The 1.4/1.5 layout (length, counters, properties) is built by
 * hand from 1.4 §7.3.5.7 below; Ryu's 1.5 reply vector is checked in `conformance.test.ts`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Port, PortStats } from "@switchyard/openflow"
import { decodeError, decodeOk, encodeOk, hex, multipart, roundTrip } from "./families.ts"

const counter = (n: number) => n.toString(16).padStart(16, "0")
const entry = (port: string, base: number) =>
  port + " 00000000 " + Array.from({ length: 12 }, (_, i) => counter(base + i)).join(" ") + " 0000012c 1dcd6500"

describe("PortStats", () => {
  it("decodes a hand-built two-port reply field by field", () => {
    const input = multipart(4, true, 4, entry("00000001", 100) + entry("fffffffe", 200))
    const m = roundTrip(input) as PortStats.PortStatsReply
    expect(m.stats).toHaveLength(2)
    expect(m.stats[0]).toEqual({
      portNo: 1,
      rxPackets: 100n,
      txPackets: 101n,
      rxBytes: 102n,
      txBytes: 103n,
      rxDropped: 104n,
      txDropped: 105n,
      rxErrors: 106n,
      txErrors: 107n,
      rxFrameErr: 108n,
      rxOverErr: 109n,
      rxCrcErr: 110n,
      collisions: 111n,
      durationSec: 300,
      durationNsec: 500_000_000
    })
    expect(m.stats[1]!.portNo).toBe(Port.LOCAL)
  })

  it("request() asks for every port by default (Ryu's 1.3 request vector has the same bytes)", () => {
    expect(hex(encodeOk(PortStats.request()))).toBe(hex(multipart(4, false, 4, "ffffffff 00000000")))
    expect(hex(encodeOk(PortStats.request(3)))).toBe(hex(multipart(4, false, 4, "00000003 00000000")))
  })

  it.each([
    ["a reply entry one byte short", multipart(4, true, 4, entry("00000001", 0).replace(/\s/g, "").slice(0, -2))],
    ["a reply with one extra byte", multipart(4, true, 4, entry("00000001", 0) + "00")],
    ["a request without padding", multipart(4, false, 4, "ffffffff")]
  ])("%s is OFPBRC_BAD_LEN", (_name, input) => {
    decodeError(input, "OFPBRC_BAD_LEN")
  })
})

describe("PortStats in OpenFlow 1.4+", () => {
  // ofp_port_stats 1.4: length, pad[2], port_no, durations, eight counters (80 bytes),
  // then properties; the Ethernet property (type 0, 40 bytes) holds the other four.
  const fixed = (length: string) => `${length} 0000 00000001 0000012c 1dcd6500 ` + Array.from({ length: 8 }, (_, i) => counter(100 + i)).join(" ")
  const ethernetHex = "0000 0028 00000000 " + [108, 109, 110, 111].map(counter).join(" ")
  const stats: PortStats.PortStats = {
    portNo: 1,
    rxPackets: 100n,
    txPackets: 101n,
    rxBytes: 102n,
    txBytes: 103n,
    rxDropped: 104n,
    txDropped: 105n,
    rxErrors: 106n,
    txErrors: 107n,
    rxFrameErr: 108n,
    rxOverErr: 109n,
    rxCrcErr: 110n,
    collisions: 111n,
    durationSec: 300,
    durationNsec: 500_000_000
  }

  it("the Ethernet counters travel in the Ethernet property, always sent first", () => {
    const m: PortStats.PortStatsReply = { _tag: "PortStatsReply", flags: 0, stats: [stats] }
    for (const version of [5, 6]) {
      const input = multipart(version, true, 4, `${fixed("0078")} | ${ethernetHex}`)
      expect(hex(encodeOk(m, version))).toBe(hex(input))
      expect(roundTrip(input)).toEqual(m)
    }
  })

  it("without an Ethernet property the four counters are 0; other properties are kept", () => {
    const input = multipart(5, true, 4, `${fixed("0060")} | ffff 0010 00000065 00000001 01020304`)
    const m = decodeOk(input).message as PortStats.PortStatsReply
    expect([m.stats[0]!.rxFrameErr, m.stats[0]!.collisions]).toEqual([0n, 0n])
    expect(m.stats[0]!.properties).toEqual([{ _tag: "ExperimenterProperty", experimenter: 0x65, expType: 1, data: Uint8Array.of(1, 2, 3, 4) }])
    // Re-encoded, the (zero) Ethernet property comes first: the same value, not the same bytes.
    expect(roundTrip(encodeOk(m, 5))).toEqual(m)
  })

  it.each([
    ["an entry short of its 80 fixed bytes", "OFPBRC_BAD_LEN", fixed("0050").slice(0, -17)],
    ["an entry length past the message", "OFPBRC_BAD_LEN", fixed("0078")],
    ["an Ethernet property of length 32", "OFPBPC_BAD_LEN", `${fixed("0070")} | 0000 0020 00000000 ${[108, 109, 110].map(counter).join(" ")}`],
    ["two Ethernet properties", "OFPBPC_DUP_TYPE", `${fixed("00a0")} | ${ethernetHex} | ${ethernetHex}`]
  ])("%s is %s", (_name, code, body) => {
    decodeError(multipart(5, true, 4, body), code)
  })
})
