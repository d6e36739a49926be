/**
 * The checksum primitives against published values.
 */
import { describe, expect, it } from "@effect/vitest"
import { Checksum, Frame } from "@switchyard/packet"
import { hex } from "./support.ts"

describe("Internet checksum", () => {
  it("matches the RFC 1071 §3 example: sum 0xddf2 of 00 01 f2 03 f4 f5 f6 f7", () => {
    const bytes = hex("0001f203f4f5f6f7")
    expect(Checksum.finish(Checksum.add(0, bytes, 0, 8))).toBe(~0xddf2 & 0xffff)
    // Order does not matter: summing the two halves separately gives the same result.
    expect(Checksum.finish(Checksum.add(Checksum.add(0, bytes, 4, 4), bytes, 0, 4))).toBe(0x220d)
  })

  it("computes the IPv4 header checksum of the textbook header 4500 0073 ... (0xb861)", () => {
    const header = hex("450000730000400040110000c0a80001c0a800c7")
    expect(Checksum.compute(header, 0, 20)).toBe(0xb861)
    header[10] = 0xb8
    header[11] = 0x61
    expect(Checksum.compute(header, 0, 20)).toBe(0)
  })

  it("pads an odd trailing byte with zero", () => {
    expect(Checksum.finish(Checksum.add(0, hex("01"), 0, 1))).toBe(~0x0100 & 0xffff)
  })

  it("folds sums of long buffers", () => {
    const ones = new Uint8Array(70000).fill(0xff)
    // Every word is 0xffff, which is negative zero in ones' complement.
    expect(Checksum.compute(ones, 0, ones.length)).toBe(0)
  })

  it("adjusts a checksum incrementally (RFC 1624) as recomputing would", () => {
    // The ICMP echo request from the kernel capture (frame 9), destination rewritten.
    const bytes = hex(
      "02000000000b02000000000a08004500005456ac40004001cffa0a0000010a000002080042bc07550001074f026b00000000d8600d0000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637"
    )
    const frame = Frame.decode(bytes)
    const rewritten = Frame.decode(Frame.buildUnsafe(Frame.update(frame.layers, "Ipv4", (ip) => ({ ...ip, dst: 0x0a000063 }))))
    expect(Checksum.adjust(frame.ipv4!.checksum, hex("0a000002"), hex("0a000063"))).toBe(rewritten.ipv4!.checksum)
  })
})

describe("CRC32c", () => {
  // RFC 3720 Appendix B.4 (iSCSI): the CRC bytes as sent, least significant first.
  const cases: ReadonlyArray<[string, Uint8Array, number]> = [
    ["32 bytes of zeroes", new Uint8Array(32), 0x8a9136aa],
    ["32 bytes of ones", new Uint8Array(32).fill(0xff), 0x62a8ab43],
    ["32 incrementing bytes", Uint8Array.from({ length: 32 }, (_, i) => i), 0x46dd794e],
    ["32 decrementing bytes", Uint8Array.from({ length: 32 }, (_, i) => 31 - i), 0x113fdb5c]
  ]
  for (const [name, bytes, crc] of cases) {
    it(`RFC 3720 B.4: ${name}`, () => expect(Checksum.crc32c(bytes, 0, bytes.length)).toBe(crc))
  }

  it("verifies the SCTP checksum TShark accepts (0xe09b2ef1) and rejects a flipped bit", () => {
    const sctp = hex("13888e3c00000000e09b2ef10100001412345678000100000004000400000001")
    expect(Checksum.sctp(sctp, 0, sctp.length)).toBe(0xe09b2ef1)
    expect(Checksum.verifySctp(sctp, 0, sctp.length)).toBe(true)
    sctp[20] ^= 1
    expect(Checksum.verifySctp(sctp, 0, sctp.length)).toBe(false)
  })
})
