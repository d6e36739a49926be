/**
 * LLDP (IEEE 802.1AB), the frames controllers send out of every port to discover links.
 *
 * An LLDPDU is a list of TLVs with a 7-bit type and a 9-bit length packed into two bytes.
 * The standard requires Chassis ID, Port ID and TTL first, in that order, and an End TLV
 * last; in between come optional TLVs (descriptions, system name, capabilities,
 * management addresses) and organisationally specific ones identified by an OUI. The
 * decoder keeps the TLVs as a list, in wire order, so that a frame rebuilds exactly and a
 * discovery app can read whichever TLV it put there; {@link chassisId}, {@link portId},
 * {@link ttl} and {@link systemName} find the common ones. Missing mandatory TLVs or a
 * missing End are reported as errors without discarding the TLVs that were read.
 * Organisationally specific TLVs are kept opaque.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { bytesUpTo, uint, Uint16, Uint32, Uint8 } from "./internal/schemas.ts"
import { utf8Decode } from "./internal/wire.ts"
import * as MacAddress from "./MacAddress.ts"

/** End of LLDPDU (type 0). @category schemas @since 0.1.0 */
export const End = Schema.TaggedStruct("End", {})

/**
 * Chassis ID (type 1): a subtype and 1..255 bytes of ID whose meaning the subtype gives
 * (4: MAC address, 5: network address, 7: locally assigned text, ...).
 *
 * @category schemas
 * @since 0.1.0
 */
export const ChassisId = Schema.TaggedStruct("ChassisId", {
  subtype: Uint8,
  id: bytesUpTo(255).check(Schema.isMinLength(1))
})

/**
 * Port ID (type 2): a subtype and 1..255 bytes of ID (3: MAC address, 5: interface name,
 * 7: locally assigned, ...).
 *
 * @category schemas
 * @since 0.1.0
 */
export const PortId = Schema.TaggedStruct("PortId", {
  subtype: Uint8,
  id: bytesUpTo(255).check(Schema.isMinLength(1))
})

/** Time to live in seconds (type 3); 0 withdraws the neighbour. @category schemas @since 0.1.0 */
export const Ttl = Schema.TaggedStruct("Ttl", { seconds: Uint16 })

/** Port description (type 4). @category schemas @since 0.1.0 */
export const PortDescription = Schema.TaggedStruct("PortDescription", { text: Schema.String })

/** System name (type 5). @category schemas @since 0.1.0 */
export const SystemName = Schema.TaggedStruct("SystemName", { text: Schema.String })

/** System description (type 6). @category schemas @since 0.1.0 */
export const SystemDescription = Schema.TaggedStruct("SystemDescription", { text: Schema.String })

/**
 * System capabilities (type 7): the capabilities a system has and those enabled, as bit
 * sets (see {@link CAPABILITY_BRIDGE} and friends).
 *
 * @category schemas
 * @since 0.1.0
 */
export const SystemCapabilities = Schema.TaggedStruct("SystemCapabilities", {
  capabilities: Uint16,
  enabled: Uint16
})

/**
 * Management address (type 8).
 *
 * **Details**
 *
 * `addressSubtype` is an IANA address family number (1 IPv4, 2 IPv6, 6 IEEE 802 MAC) and
 * `address` its 1..31 bytes; `interfaceSubtype` says how `interfaceNumber` is numbered
 * (1 unknown, 2 ifIndex, 3 system port number); `oid` is an optional ASN.1 object
 * identifier, kept as bytes.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ManagementAddress = Schema.TaggedStruct("ManagementAddress", {
  addressSubtype: Uint8,
  address: bytesUpTo(31).check(Schema.isMinLength(1)),
  interfaceSubtype: Uint8,
  interfaceNumber: Uint32,
  oid: bytesUpTo(128)
})

/**
 * Organisationally specific TLV (type 127): OUI, subtype and opaque information.
 *
 * @category schemas
 * @since 0.1.0
 */
export const OrganizationallySpecific = Schema.TaggedStruct("OrganizationallySpecific", {
  oui: uint(24),
  subtype: Uint8,
  info: bytesUpTo(507)
})

/**
 * Any other TLV type, or a known type whose length is impossible for it, kept as bytes.
 *
 * @category schemas
 * @since 0.1.0
 */
export const UnknownTlv = Schema.TaggedStruct("UnknownTlv", { type: uint(7), value: bytesUpTo(511) })

/**
 * An LLDP TLV.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Tlv = Schema.Union([
  End,
  ChassisId,
  PortId,
  Ttl,
  PortDescription,
  SystemName,
  SystemDescription,
  SystemCapabilities,
  ManagementAddress,
  OrganizationallySpecific,
  UnknownTlv
])

/**
 * A decoded TLV.
 *
 * @category models
 * @since 0.1.0
 */
export type Tlv = typeof Tlv.Type

/**
 * An LLDPDU as decoded: its TLVs in wire order, up to and including End.
 *
 * **Details**
 *
 * Text TLVs are decoded as UTF-8; a malformed sequence becomes U+FFFD, so such a TLV does
 * not rebuild byte for byte.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Lldp = Schema.TaggedStruct("Lldp", { tlvs: Schema.Array(Tlv) })

/**
 * A decoded LLDPDU.
 *
 * @category models
 * @since 0.1.0
 */
export type Lldp = typeof Lldp.Type

/**
 * What `Frame.build` accepts (LLDP has no computed fields beyond TLV lengths).
 *
 * @category models
 * @since 0.1.0
 */
export type Input = Lldp

/** The "nearest bridge" group address, 01:80:c2:00:00:0e, that bridges never forward. @category constants @since 0.1.0 */
export const NEAREST_BRIDGE: MacAddress.MacAddress = 0x0180_c200_000e
/** The "nearest non-TPMR bridge" group address, 01:80:c2:00:00:03. @category constants @since 0.1.0 */
export const NEAREST_NON_TPMR_BRIDGE: MacAddress.MacAddress = 0x0180_c200_0003
/** The "nearest customer bridge" group address, 01:80:c2:00:00:00. @category constants @since 0.1.0 */
export const NEAREST_CUSTOMER_BRIDGE: MacAddress.MacAddress = 0x0180_c200_0000

/** TLV type: End of LLDPDU. @category constants @since 0.1.0 */
export const TLV_END = 0
/** TLV type: Chassis ID. @category constants @since 0.1.0 */
export const TLV_CHASSIS_ID = 1
/** TLV type: Port ID. @category constants @since 0.1.0 */
export const TLV_PORT_ID = 2
/** TLV type: Time To Live. @category constants @since 0.1.0 */
export const TLV_TTL = 3
/** TLV type: Port Description. @category constants @since 0.1.0 */
export const TLV_PORT_DESCRIPTION = 4
/** TLV type: System Name. @category constants @since 0.1.0 */
export const TLV_SYSTEM_NAME = 5
/** TLV type: System Description. @category constants @since 0.1.0 */
export const TLV_SYSTEM_DESCRIPTION = 6
/** TLV type: System Capabilities. @category constants @since 0.1.0 */
export const TLV_SYSTEM_CAPABILITIES = 7
/** TLV type: Management Address. @category constants @since 0.1.0 */
export const TLV_MANAGEMENT_ADDRESS = 8
/** TLV type: Organizationally Specific. @category constants @since 0.1.0 */
export const TLV_ORGANIZATIONALLY_SPECIFIC = 127

/** Chassis ID subtype: MAC address. @category constants @since 0.1.0 */
export const CHASSIS_MAC_ADDRESS = 4
/** Chassis ID subtype: network address (family byte + address). @category constants @since 0.1.0 */
export const CHASSIS_NETWORK_ADDRESS = 5
/** Chassis ID subtype: interface name. @category constants @since 0.1.0 */
export const CHASSIS_INTERFACE_NAME = 6
/** Chassis ID subtype: locally assigned. @category constants @since 0.1.0 */
export const CHASSIS_LOCAL = 7
/** Port ID subtype: MAC address. @category constants @since 0.1.0 */
export const PORT_MAC_ADDRESS = 3
/** Port ID subtype: interface name. @category constants @since 0.1.0 */
export const PORT_INTERFACE_NAME = 5
/** Port ID subtype: locally assigned. @category constants @since 0.1.0 */
export const PORT_LOCAL = 7

/** Capability: other. @category constants @since 0.1.0 */
export const CAPABILITY_OTHER = 0x0001
/** Capability: repeater. @category constants @since 0.1.0 */
export const CAPABILITY_REPEATER = 0x0002
/** Capability: MAC bridge. @category constants @since 0.1.0 */
export const CAPABILITY_BRIDGE = 0x0004
/** Capability: WLAN access point. @category constants @since 0.1.0 */
export const CAPABILITY_WLAN_ACCESS_POINT = 0x0008
/** Capability: router. @category constants @since 0.1.0 */
export const CAPABILITY_ROUTER = 0x0010
/** Capability: telephone. @category constants @since 0.1.0 */
export const CAPABILITY_TELEPHONE = 0x0020
/** Capability: DOCSIS cable device. @category constants @since 0.1.0 */
export const CAPABILITY_DOCSIS = 0x0040
/** Capability: station only. @category constants @since 0.1.0 */
export const CAPABILITY_STATION = 0x0080

const encoder = new TextEncoder()

/**
 * Makes an LLDPDU with the mandatory TLVs first, then the optional ones given, then End.
 *
 * **Details**
 *
 * `chassisId` and `portId` take either raw `{ subtype, id }` or text, which is encoded as
 * UTF-8 with the "locally assigned" subtype (7), the form Ryu's topology discovery uses
 * (`"dpid:0000000000000001"`).
 *
 * **Example** (A discovery frame for port 3 of datapath 1)
 *
 * ```ts
 * import { Ethernet, Frame, Lldp } from "@switchyard/packet"
 *
 * const frame = Frame.buildUnsafe([
 *   Ethernet.make({ dst: Lldp.NEAREST_BRIDGE, src: 0x020000000003 }),
 *   Lldp.make({ chassisId: "dpid:0000000000000001", portId: "3", ttl: 120, systemName: "sw1" })
 * ])
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: {
  readonly chassisId: string | { readonly subtype: number; readonly id: Uint8Array }
  readonly portId: string | { readonly subtype: number; readonly id: Uint8Array }
  readonly ttl: number
  readonly portDescription?: string | undefined
  readonly systemName?: string | undefined
  readonly systemDescription?: string | undefined
  readonly capabilities?: { readonly capabilities: number; readonly enabled: number } | undefined
  readonly managementAddresses?: ReadonlyArray<Omit<typeof ManagementAddress.Type, "_tag">> | undefined
  readonly extra?: ReadonlyArray<Tlv> | undefined
}): Input => {
  const id = (value: string | { readonly subtype: number; readonly id: Uint8Array }, local: number) =>
    typeof value === "string" ? { subtype: local, id: encoder.encode(value) } : { subtype: value.subtype, id: value.id }
  const tlvs: Array<Tlv> = [
    { _tag: "ChassisId", ...id(options.chassisId, CHASSIS_LOCAL) },
    { _tag: "PortId", ...id(options.portId, PORT_LOCAL) },
    { _tag: "Ttl", seconds: options.ttl }
  ]
  if (options.portDescription !== undefined) tlvs.push({ _tag: "PortDescription", text: options.portDescription })
  if (options.systemName !== undefined) tlvs.push({ _tag: "SystemName", text: options.systemName })
  if (options.systemDescription !== undefined) tlvs.push({ _tag: "SystemDescription", text: options.systemDescription })
  if (options.capabilities !== undefined) tlvs.push({ _tag: "SystemCapabilities", ...options.capabilities })
  for (const address of options.managementAddresses ?? []) tlvs.push({ _tag: "ManagementAddress", ...address })
  for (const tlv of options.extra ?? []) tlvs.push(tlv)
  tlvs.push({ _tag: "End" })
  return { _tag: "Lldp", tlvs }
}

/**
 * The first Chassis ID TLV.
 *
 * @category getters
 * @since 0.1.0
 */
export const chassisId = (lldp: Lldp): typeof ChassisId.Type | undefined => {
  for (const tlv of lldp.tlvs) if (tlv._tag === "ChassisId") return tlv
  return undefined
}

/**
 * The first Port ID TLV.
 *
 * @category getters
 * @since 0.1.0
 */
export const portId = (lldp: Lldp): typeof PortId.Type | undefined => {
  for (const tlv of lldp.tlvs) if (tlv._tag === "PortId") return tlv
  return undefined
}

/**
 * The TTL in seconds.
 *
 * @category getters
 * @since 0.1.0
 */
export const ttl = (lldp: Lldp): number | undefined => {
  for (const tlv of lldp.tlvs) if (tlv._tag === "Ttl") return tlv.seconds
  return undefined
}

/**
 * The system name, if the LLDPDU has one.
 *
 * @category getters
 * @since 0.1.0
 */
export const systemName = (lldp: Lldp): string | undefined => {
  for (const tlv of lldp.tlvs) if (tlv._tag === "SystemName") return tlv.text
  return undefined
}

/**
 * A chassis or port ID as text: a MAC address for the MAC subtypes, UTF-8 otherwise.
 *
 * **Details**
 *
 * The MAC subtype is 4 for chassis IDs and 3 for port IDs; other subtypes (interface
 * names, locally assigned strings) are printed as UTF-8, with U+FFFD for bytes that are
 * not.
 *
 * @category formatting
 * @since 0.1.0
 */
export const formatId = (tlv: typeof ChassisId.Type | typeof PortId.Type): string => {
  const macSubtype = tlv._tag === "ChassisId" ? CHASSIS_MAC_ADDRESS : PORT_MAC_ADDRESS
  return tlv.subtype === macSubtype && tlv.id.length === 6 ? MacAddress.format(MacAddress.read(tlv.id, 0)) : utf8Decode(tlv.id)
}
