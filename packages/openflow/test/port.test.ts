/**
 * The port family: the `ofp_port` model, PORT_STATUS and PORT_MOD.
 *
 * The OpenFlow 1.3 vectors are also checked field by field against Ryu's JSON by the
 * whole-codec conformance test (`conformance.test.ts`, mappings in `ryu/config.ts`); here
 * the same kinds are checked against the OpenFlow 1.2 vectors (the layout is identical
 * in 1.1-1.3), the text encoding of port names, hostile lengths and the builders.
 */
import { describe, expect, it } from "@effect/vitest"
import { Port, PortMod, PortStatus } from "@switchyard/openflow"
import { MacAddress } from "@switchyard/packet"
import { Schema } from "effect"
import { agreesWithRyu, bytes, decodeError, decodeOk, encodeFailure, encodeOk, hex, message, roundTrip, vector } from "./families.ts"
import { vectorsPresent } from "./vectors.ts"

// An ofp_port: port 7, f2:0b:a4:d0:3f:70, name field `name`, config 0, state LIVE,
// curr/advertised/supported/peer, 5 Mb/s current and maximum speed.
const portBody = (name: string) =>
  "00000007 00000000 f20ba4d03f70 0000" + name.padEnd(32, "0") + "00000000 00000004 00002808 00002800 00002808 00002808 00001388 00001388"

describe("Port.Port in PORT_STATUS", () => {
  it("decodes every field (Ryu's OpenFlow 1.3 vector with a UTF-8 port name)", () => {
    const v = vector("of13", "4-39-ofp_port_status.packet")
    if (!vectorsPresent || v === undefined) return
    const m = roundTrip(v.bytes) as PortStatus.PortStatus
    expect(m).toEqual({
      _tag: "PortStatus",
      reason: PortStatus.Reason.ADD,
      desc: {
        portNo: 7,
        hwAddr: MacAddress.fromStringUnsafe("f2:0b:a4:d0:3f:70"),
        name: "私のポート",
        config: 0,
        state: Port.State.LIVE,
        curr: Port.Feature["100MB_FD"] | Port.Feature.COPPER | Port.Feature.AUTONEG,
        advertised: Port.Feature.COPPER | Port.Feature.AUTONEG,
        supported: 0x2808,
        peer: 0x2808,
        currSpeed: 5000,
        maxSpeed: 5000
      }
    })
    expect(Port.isLive(m.desc)).toBe(true)
  })

  it.each([
    ["of12", "3-39-ofp_port_status.packet"],
    ["of12", "3-22-ofp_port_mod.packet"]
  ])("OpenFlow 1.2 %s/%s (same layout as 1.3) round-trips and agrees with Ryu", (folder, name) => {
    const m = agreesWithRyu(folder, name)
    if (m !== undefined) expect(["PortStatus", "PortMod"]).toContain(m._tag)
  })

  it("keeps a port name that is not UTF-8 byte for byte (escaped as U+DC80..U+DCFF)", () => {
    const input = message(4, 12, "02 00000000000000" + portBody("657468ff30"))
    const m = roundTrip(input) as PortStatus.PortStatus
    expect(m.desc.name).toBe("eth\udcff0")
  })

  it("keeps a 16-byte name sent without its terminating NUL", () => {
    const input = message(4, 12, "02 00000000000000" + portBody("41".repeat(16)))
    expect((roundTrip(input) as PortStatus.PortStatus).desc.name).toBe("A".repeat(16))
  })

  it("refuses to encode a name longer than the field or containing NUL, instead of truncating it", () => {
    const desc = (decodeOk(message(4, 12, "02 00000000000000" + portBody("657468"))).message as PortStatus.PortStatus).desc
    const long = encodeFailure({ _tag: "PortStatus", reason: 2, desc: { ...desc, name: "interface-name-17" } })
    expect(long.tag).toBe("EncodeError")
    expect(long.text).toMatch(/17 bytes in UTF-8, over its 16-byte field/)
    expect(encodeFailure({ _tag: "PortStatus", reason: 2, desc: { ...desc, name: "a\u0000b" } }).text).toMatch(/NUL/)
    // Five 3-byte characters fit (15 bytes); six do not.
    expect(hex(encodeOk({ _tag: "PortStatus", reason: 2, desc: { ...desc, name: "私のポート" } }))).toContain("e7a781e381aee3839de383bce3838800")
    expect(encodeFailure({ _tag: "PortStatus", reason: 2, desc: { ...desc, name: "私のポートだ" } }).tag).toBe("EncodeError")
  })

  it("the name Schema admits exactly what the field can carry", () => {
    const is = Schema.is(Port.Name)
    expect(is("eth0")).toBe(true)
    expect(is("A".repeat(16))).toBe(true)
    expect(is("A".repeat(17))).toBe(false)
    expect(is("a\u0000")).toBe(false)
    expect(is("私のポート")).toBe(true)
    expect(is("私のポートだ")).toBe(false)
    expect(is("\udcff")).toBe(true)
    // Escapes of bytes that together form valid UTF-8 ("é" is c3 a9) would read back as "é".
    expect(is("\udcc3\udca9")).toBe(false)
    expect(is("\ud800")).toBe(false)
  })

  it.each([
    ["PORT_STATUS one byte short", message(4, 12, "00 00000000000000" + portBody("").slice(0, -2))],
    ["PORT_STATUS one byte long", message(4, 12, "00 00000000000000" + portBody("") + "00")],
    ["PORT_STATUS without its port", message(4, 12, "00 00000000000000")],
    ["PORT_MOD one byte short", message(4, 16, "00000001 00000000 001100001111 0000 00000000 00000000 00001000 000000")],
    ["PORT_MOD one byte long", message(4, 16, "00000001 00000000 001100001111 0000 00000000 00000000 00001000 00000000 00")]
  ])("%s is OFPBRC_BAD_LEN", (_name, input) => {
    expect(decodeError(input, "OFPBRC_BAD_LEN")).toMatch(/body of \d+ bytes/)
  })
})

describe("PortMod", () => {
  it("decodes Ryu's OpenFlow 1.3 PORT_MOD", () => {
    const v = vector("of13", "libofproto-OFP13-port_mod.packet")
    if (!vectorsPresent || v === undefined) return
    expect(roundTrip(v.bytes)).toEqual({
      _tag: "PortMod",
      portNo: 1,
      hwAddr: MacAddress.fromStringUnsafe("aa:bb:cc:99:88:77"),
      config: Port.Config.PORT_DOWN,
      mask: Port.Config.PORT_DOWN,
      advertise: 0x2808
    })
  })

  it("setConfig addresses the port by number and hardware address and changes only the masked bits", () => {
    const port: Port.Port = {
      portNo: 3,
      hwAddr: MacAddress.fromStringUnsafe("00:11:22:33:44:55"),
      name: "eth3",
      config: Port.Config.NO_PACKET_IN,
      state: 0,
      curr: 0,
      advertised: 0,
      supported: 0,
      peer: 0,
      currSpeed: 0,
      maxSpeed: 0
    }
    const m = PortMod.setConfig(port, Port.Config.PORT_DOWN, Port.Config.PORT_DOWN)
    expect(hex(encodeOk(m))).toBe(hex(message(4, 16, "00000003 00000000 001122334455 0000 00000001 00000001 00000000 00000000")))
    expect(Port.isLive({ ...port, config: Port.Config.PORT_DOWN })).toBe(false)
    expect(Port.isLive({ ...port, state: Port.State.LINK_DOWN })).toBe(false)
  })

  it("OpenFlow 1.4+: 24 bytes, advertise in an Ethernet property sent only when not 0", () => {
    const base = { _tag: "PortMod" as const, portNo: 3, hwAddr: 0x001122334455, config: 1, mask: 1, advertise: 0 }
    for (const version of [5, 6]) {
      const plain = encodeOk(base, version)
      expect(hex(plain)).toBe(hex(message(version, 16, "00000003 00000000 001122334455 0000 00000001 00000001")))
      expect(decodeOk(plain).message).toEqual(base)
      const advertised = encodeOk({ ...base, advertise: 0x20 }, version)
      expect(hex(advertised)).toBe(hex(message(version, 16, "00000003 00000000 001122334455 0000 00000001 00000001 0000 0008 00000020")))
      expect(decodeOk(advertised).message).toEqual({ ...base, advertise: 0x20 })
    }
    // Properties are 1.4's: 1.3 refuses them.
    const f = encodeFailure({ ...base, properties: [{ _tag: "ExperimenterProperty", experimenter: 1, expType: 2, data: new Uint8Array(0) }] }, 4)
    expect(f.tag).toBe("EncodeError")
  })

  it("bytes() helper sanity: separators are ignored", () => {
    expect(hex(bytes("00 | 01\n02"))).toBe("000102")
  })
})
