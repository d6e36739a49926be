/**
 * The libpcap captures shipped with Ryu's packet library tests
 * (`../shared/vectors/ryu/pcap/`, see its README), read with `Pcap` and decoded with
 * `Frame`.
 *
 * The loopback captures were taken with TCP checksum offload on, so their TCP checksums
 * are wrong on the wire. TShark 4.0.17 (`-o tcp.check_checksum:TRUE -T fields -e
 * tcp.checksum_calculated`) says what they should be; those values are the independent
 * check on this package's TCP checksum, which must report each one as bad and rebuild
 * the frame with exactly TShark's value.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import { Frame, IpProtocol, Pcap } from "@switchyard/packet"
import { ryuVectors } from "./support.ts"

const vectors = ryuVectors()

/** TShark's calculated TCP checksums, frame by frame. */
const TCP_CHECKSUMS: Record<string, ReadonlyArray<number>> = {
  openflow_flowmod: [0x8e55],
  openflow_flowstats_req: [0xa1b6],
  openflow_invalid_version: [0x9354],
  zebra_v2: [0x4e0a, 0x5708, 0x53ca, 0x5709, 0x1055, 0xa738, 0x7604, 0x267e, 0x2da1],
  zebra_v3: [0xd3fa, 0xdcf6, 0x6786, 0xdcf3, 0x3909, 0xacd2, 0x9ecd, 0x0f64, 0x0c45, 0xca48],
  zebra_v4_frr_v2: [
    0x0ba8, 0x14a6, 0x14ac, 0x1390, 0x1383, 0xd7c3, 0x6882, 0x2527, 0x3689, 0xcc29, 0x02b4, 0xd76e, 0x74c7, 0xf665,
    0x38f6, 0x0e1d, 0xb24b, 0xe226, 0xe1fe, 0x043c, 0xed41, 0xea22, 0xb5d2, 0x5851, 0xa638, 0x70b4, 0x93cd, 0x8d91, 0x86ee
  ]
}

if (vectors === undefined) {
  it("Ryu pcap vectors", () => {
    console.log("Ryu vectors absent (../shared/vectors/ryu or $SWITCHYARD_RYU_VECTORS): pcap tests not run")
  })
} else {
  const read = (name: string) =>
    Result.getOrThrow(Pcap.decode(new Uint8Array(readFileSync(join(vectors, "pcap", `${name}.pcap`)))))

  describe("Ryu pcap files", () => {
    it("reads both byte orders to the same records", () => {
      const big = read("big_endian")
      const little = read("little_endian")
      expect(big.byteOrder).toBe("big")
      expect(little.byteOrder).toBe("little")
      expect(big.linkType).toBe(Pcap.LINKTYPE_ETHERNET)
      expect(little.linkType).toBe(Pcap.LINKTYPE_ETHERNET)
      expect(big.records.length).toBe(2)
      expect(big.records).toEqual(little.records)
      // Ryu's test data: 11-byte dummy frames "test_data\x00\x01"-style, too short for Ethernet.
      const frame = Frame.decode(big.records[0]!.data)
      expect(frame.ethernet).toBeUndefined()
      expect(frame.error).toMatchObject({ layer: "Ethernet", reason: "Truncated", offset: 0 })
      expect(Frame.buildUnsafe(frame.layers)).toEqual(big.records[0]!.data)
    })

    for (const [name, expected] of Object.entries(TCP_CHECKSUMS)) {
      it(`${name}: TCP checksums are bad as captured and rebuild to TShark's values`, () => {
        const file = read(name)
        expect(file.records.map((r) => {
          const frame = Frame.decode(r.data)
          expect(frame.errors).toEqual([])
          expect(frame.ipv4?.protocol).toBe(IpProtocol.TCP)
          expect(Frame.verifyChecksums(frame).map((e) => [e.layer, e.reason])).toEqual([["Tcp", "BadChecksum"]])
          const rebuilt = Frame.decode(Frame.buildUnsafe(frame.layers))
          expect(Frame.verifyChecksums(rebuilt)).toEqual([])
          // Only the checksum differs from the captured frame.
          expect({ ...rebuilt.tcp, checksum: 0 }).toEqual({ ...frame.tcp, checksum: 0 })
          expect(rebuilt.payload).toEqual(frame.payload)
          return rebuilt.tcp!.checksum
        })).toEqual(expected)
      })
    }

    it("openflow_*: the OpenFlow message is the TCP payload from port 6633", () => {
      const flowMod = Frame.decode(read("openflow_flowmod").records[0]!.data)
      expect(flowMod.tcp?.srcPort).toBe(6633)
      // OF1.3 FLOW_MOD, length 80, xid 0x78d072af (README of the vectors).
      expect(Array.from(flowMod.payload.subarray(0, 8))).toEqual([0x04, 14, 0, 80, 0x78, 0xd0, 0x72, 0xaf])
      expect(flowMod.payload.length).toBe(80)
      const invalid = Frame.decode(read("openflow_invalid_version").records[0]!.data)
      expect(invalid.payload[0]).toBe(0xff)
      expect(invalid.payload.subarray(1)).toEqual(flowMod.payload.subarray(1))
      const stats = Frame.decode(read("openflow_flowstats_req").records[0]!.data)
      expect(Array.from(stats.payload.subarray(0, 8))).toEqual([0x04, 18, 0, 56, 0x2a, 0xf0, 0x50, 0x9a])
    })

    it("GRE and Geneve tunnels: the outer headers decode, the encapsulation is payload", () => {
      for (const name of ["gre_full_options", "gre_no_option", "gre_nvgre_option"]) {
        const frame = Frame.decode(read(name).records[0]!.data)
        expect(frame.errors).toEqual([])
        expect(frame.ipProtocol).toBe(IpProtocol.GRE)
        expect(frame.layers.map((l) => l._tag)).toEqual(["Ethernet", "Ipv4", "Payload"])
        expect(Frame.verifyChecksums(frame)).toEqual([])
        expect(Frame.buildUnsafe(frame.layers)).toEqual(frame.bytes)
      }
      const geneve = Frame.decode(read("geneve_unknown").records[0]!.data)
      expect(geneve.udp?.dstPort).toBe(6081)
      expect(geneve.udp?.checksum).toBe(0x70d0)
      expect(Frame.verifyChecksums(geneve)).toEqual([])
      expect(Frame.buildUnsafe(geneve.layers)).toEqual(geneve.bytes)
    })
  })
}
