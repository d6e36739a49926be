/**
 * The PORT_STATS multipart request and reply (OpenFlow 1.3 only: 1.2 had no durations,
 * 1.4 uses properties). Ryu has no 1.3 reply vector and no other version shares the
 * layout, so the reply bytes are built by hand from the spec's `ofp_port_stats`
 * (OpenFlow 1.3 §7.3.5.6): port_no, pad[4], twelve 64-bit counters, duration_sec,
 * duration_nsec: 112 bytes.
 */
import { describe, expect, it } from "@effect/vitest"
import { Port, PortStats } from "@switchyard/openflow"
import { decodeError, encodeOk, hex, multipart, roundTrip } from "./families.ts"

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
