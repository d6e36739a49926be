/**
 * ARP (RFC 826) for IPv4 over Ethernet, the form proxy-ARP and routing apps answer.
 *
 * ARP's header declares its own address sizes, so in principle it carries any hardware
 * and protocol address; on Ethernet with IPv4 it is always 6 and 4 bytes, and that is
 * the only form decoded into typed addresses here. Any other size is reported as
 * `Unsupported` and kept as a payload. RARP (EtherType 0x8035) uses the same packet and
 * decodes the same way.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as EtherType from "./EtherType.ts"
import { Uint16 } from "./internal/schemas.ts"
import * as Ipv4Address from "./Ipv4Address.ts"
import * as MacAddress from "./MacAddress.ts"

/**
 * An ARP packet for Ethernet and IPv4 as decoded.
 *
 * **Details**
 *
 * The OpenFlow match fields map as `arp_op` = `operation`, `arp_sha` = `senderMac`,
 * `arp_spa` = `senderIp`, `arp_tha` = `targetMac`, `arp_tpa` = `targetIp`. The address
 * length fields are not stored: they are always 6 and 4.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Arp = Schema.TaggedStruct("Arp", {
  hardwareType: Uint16,
  protocolType: Uint16,
  operation: Uint16,
  senderMac: MacAddress.MacAddress,
  senderIp: Ipv4Address.Ipv4Address,
  targetMac: MacAddress.MacAddress,
  targetIp: Ipv4Address.Ipv4Address
})

/**
 * A decoded ARP packet.
 *
 * @category models
 * @since 0.1.0
 */
export type Arp = typeof Arp.Type

/**
 * What `Frame.build` accepts (ARP has no computed fields).
 *
 * @category models
 * @since 0.1.0
 */
export type Input = Arp

/**
 * The size of an Ethernet/IPv4 ARP packet in bytes.
 *
 * @category constants
 * @since 0.1.0
 */
export const LENGTH = 28

/** Hardware type for Ethernet. @category constants @since 0.1.0 */
export const HTYPE_ETHERNET = 1
/** ARP request. @category constants @since 0.1.0 */
export const REQUEST = 1
/** ARP reply. @category constants @since 0.1.0 */
export const REPLY = 2
/** RARP request (RFC 903). @category constants @since 0.1.0 */
export const REVERSE_REQUEST = 3
/** RARP reply (RFC 903). @category constants @since 0.1.0 */
export const REVERSE_REPLY = 4

/**
 * Makes an ARP packet; the hardware type defaults to Ethernet, the protocol to IPv4 and
 * `targetMac` to zero (as in a request).
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: {
  readonly operation: number
  readonly senderMac: MacAddress.MacAddress
  readonly senderIp: Ipv4Address.Ipv4Address
  readonly targetMac?: MacAddress.MacAddress | undefined
  readonly targetIp: Ipv4Address.Ipv4Address
  readonly hardwareType?: number | undefined
  readonly protocolType?: number | undefined
}): Input => ({
  _tag: "Arp",
  hardwareType: options.hardwareType ?? HTYPE_ETHERNET,
  protocolType: options.protocolType ?? EtherType.IPV4,
  operation: options.operation,
  senderMac: options.senderMac,
  senderIp: options.senderIp,
  targetMac: options.targetMac ?? MacAddress.ZERO,
  targetIp: options.targetIp
})

/**
 * Makes the reply to an ARP request: "`targetIp` of the request is at `mac`".
 *
 * **Example** (Answering a request for a gateway address)
 *
 * ```ts
 * import { Arp, Ethernet, Frame } from "@switchyard/packet"
 *
 * declare const request: Arp.Arp
 * const gatewayMac = 0x020000000001
 * const reply = Frame.buildUnsafe([
 *   Ethernet.make({ dst: request.senderMac, src: gatewayMac }),
 *   Arp.replyTo(request, gatewayMac)
 * ])
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const replyTo = (request: Arp, mac: MacAddress.MacAddress): Input => ({
  _tag: "Arp",
  hardwareType: request.hardwareType,
  protocolType: request.protocolType,
  operation: REPLY,
  senderMac: mac,
  senderIp: request.targetIp,
  targetMac: request.senderMac,
  targetIp: request.senderIp
})
