import { describe, expect, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import { Ipv4Address, Ipv6Address, MacAddress } from "@switchyard/packet"

describe("MacAddress", () => {
  it("reads, writes, formats and parses", () => {
    const bytes = Uint8Array.of(0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff)
    const mac = MacAddress.read(bytes, 0)
    expect(mac).toBe(0xaabbccddeeff)
    expect(MacAddress.format(mac)).toBe("aa:bb:cc:dd:ee:ff")
    expect(MacAddress.fromStringUnsafe("AA-BB-CC-DD-EE-FF")).toBe(mac)
    const out = new Uint8Array(6)
    MacAddress.write(out, 0, mac)
    expect(out).toEqual(bytes)
    expect(MacAddress.isMulticast(MacAddress.fromStringUnsafe("01:00:5e:00:00:01"))).toBe(true)
    expect(MacAddress.isMulticast(mac)).toBe(false)
    expect(Result.isFailure(MacAddress.fromString("aa:bb:cc:dd:ee"))).toBe(true)
  })
  it("has a JSON form as text", () => {
    const json = Schema.encodeSync(MacAddress.MacAddress)(0x0200_0000_0001)
    expect(json).toBe("02:00:00:00:00:01")
    expect(Schema.decodeSync(MacAddress.MacAddress)(json)).toBe(0x0200_0000_0001)
    expect(() => Schema.decodeSync(MacAddress.MacAddress)("nope")).toThrow(/MAC address/)
  })
})

describe("Ipv4Address", () => {
  it("round-trips and rejects leading zeros", () => {
    const a = Ipv4Address.fromStringUnsafe("192.168.1.254")
    expect(a).toBe(0xc0a801fe)
    expect(Ipv4Address.format(a)).toBe("192.168.1.254")
    const out = new Uint8Array(4)
    Ipv4Address.write(out, 0, a)
    expect(Ipv4Address.read(out, 0)).toBe(a)
    expect(Result.isFailure(Ipv4Address.fromString("010.0.0.1"))).toBe(true)
    expect(Result.isFailure(Ipv4Address.fromString("256.0.0.1"))).toBe(true)
    expect(Ipv4Address.prefixMask(24)).toBe(0xffffff00)
    expect(Ipv4Address.prefixMask(0)).toBe(0)
  })
})

describe("Ipv6Address", () => {
  it("round-trips in canonical form", () => {
    const a = Ipv6Address.fromStringUnsafe("FE80:0:0:0:0:0:0:1")
    expect(a).toBe(0xfe80_0000_0000_0000_0000_0000_0000_0001n)
    expect(Ipv6Address.format(a)).toBe("fe80::1")
    const out = Ipv6Address.toBytes(a)
    expect(out[0]).toBe(0xfe)
    expect(Ipv6Address.read(out, 0)).toBe(a)
    expect(Ipv6Address.format(Ipv6Address.fromStringUnsafe("::ffff:10.0.0.1"))).toBe("::ffff:10.0.0.1")
    expect(Ipv6Address.prefixMask(64)).toBe(0xffff_ffff_ffff_ffff_0000_0000_0000_0000n)
    expect(Schema.encodeSync(Ipv6Address.Ipv6Address)(1n)).toBe("::1")
  })
})
