/**
 * Builders for the Ethernet frames the e2e suite injects into Open vSwitch: IPv4/UDP, ARP and
 * LLDP, with valid lengths and checksums.
 *
 * The frames have to be valid, not just plausible: OVS parses every injected frame into a flow
 * key, and a frame whose IPv4 total length disagrees with its size is treated as malformed and
 * matched with zeroed L3 fields, which changes what an exact-match controller installs. They are
 * also padded to the 60-byte Ethernet minimum, as a NIC would, so the bytes a port transmits can
 * be compared with the bytes injected. `@switchyard/packet` will have full builders; these stay
 * small on purpose so the harness does not depend on code under test.
 *
 * @since 0.1.0
 */

/**
 * Parses "aa:bb:cc:dd:ee:ff" into 6 bytes; throws on anything else.
 *
 * @category constructors
 * @since 0.1.0
 */
export const mac = (text: string): Uint8Array => {
  const parts = text.split(":")
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{2}$/.test(p))) throw new Error(`bad MAC address "${text}"`)
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)))
}

const ipv4 = (text: string): Uint8Array => {
  const parts = text.split(".").map(Number)
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`bad IPv4 address "${text}"`)
  return Uint8Array.from(parts)
}

// The Internet checksum (RFC 1071) of "bytes[start..end)".
const checksum = (bytes: Uint8Array, start: number, end: number): number => {
  let sum = 0
  for (let i = start; i < end; i += 2) sum += (bytes[i]! << 8) | (i + 1 < end ? bytes[i + 1]! : 0)
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16)
  return ~sum & 0xffff
}

/**
 * An Ethernet II frame, padded with zeros to the 60-byte minimum (the 4-byte FCS is not part of
 * what OVS sees or writes to a pcap).
 *
 * @category constructors
 * @since 0.1.0
 */
export const ethernet = (options: {
  readonly dst: string
  readonly src: string
  readonly etherType: number
  readonly payload: Uint8Array
}): Uint8Array => {
  const frame = new Uint8Array(Math.max(60, 14 + options.payload.length))
  frame.set(mac(options.dst), 0)
  frame.set(mac(options.src), 6)
  frame[12] = options.etherType >> 8
  frame[13] = options.etherType & 0xff
  frame.set(options.payload, 14)
  return frame
}

/**
 * An Ethernet + IPv4 + UDP frame with correct lengths and checksums. "size" pads the UDP payload
 * so the whole frame is that many bytes (at least 60; default 60).
 *
 * @category constructors
 * @since 0.1.0
 */
export const udp = (options: {
  readonly dst: string
  readonly src: string
  readonly srcIp: string
  readonly dstIp: string
  readonly srcPort?: number
  readonly dstPort?: number
  readonly text?: string
  readonly size?: number
}): Uint8Array => {
  const text = new TextEncoder().encode(options.text ?? "switchyard e2e")
  const minimum = 14 + 20 + 8 + text.length
  const size = Math.max(60, options.size ?? 0, minimum)
  const udpLength = size - 14 - 20
  const ip = new Uint8Array(20 + udpLength)
  ip[0] = 0x45
  ip[2] = (20 + udpLength) >> 8
  ip[3] = (20 + udpLength) & 0xff
  ip[5] = 1 // identification
  ip[8] = 64 // TTL
  ip[9] = 17 // UDP
  ip.set(ipv4(options.srcIp), 12)
  ip.set(ipv4(options.dstIp), 16)
  const ipSum = checksum(ip, 0, 20)
  ip[10] = ipSum >> 8
  ip[11] = ipSum & 0xff
  const srcPort = options.srcPort ?? 40000
  const dstPort = options.dstPort ?? 9
  ip[20] = srcPort >> 8
  ip[21] = srcPort & 0xff
  ip[22] = dstPort >> 8
  ip[23] = dstPort & 0xff
  ip[24] = udpLength >> 8
  ip[25] = udpLength & 0xff
  ip.set(text, 28)
  // The UDP checksum covers a pseudo-header of addresses, protocol and length.
  const pseudo = new Uint8Array(12 + udpLength)
  pseudo.set(ip.subarray(12, 20), 0)
  pseudo[9] = 17
  pseudo[10] = udpLength >> 8
  pseudo[11] = udpLength & 0xff
  pseudo.set(ip.subarray(20), 12)
  const udpSum = checksum(pseudo, 0, pseudo.length) || 0xffff
  ip[26] = udpSum >> 8
  ip[27] = udpSum & 0xff
  return ethernet({ dst: options.dst, src: options.src, etherType: 0x0800, payload: ip })
}

/**
 * A broadcast ARP request (who-has "targetIp", tell "senderIp").
 *
 * @category constructors
 * @since 0.1.0
 */
export const arpRequest = (options: { readonly src: string; readonly senderIp: string; readonly targetIp: string }): Uint8Array => {
  const arp = new Uint8Array(28)
  arp.set([0, 1, 8, 0, 6, 4, 0, 1], 0) // Ethernet, IPv4, lengths 6 and 4, request
  arp.set(mac(options.src), 8)
  arp.set(ipv4(options.senderIp), 14)
  arp.set(ipv4(options.targetIp), 24)
  return ethernet({ dst: "ff:ff:ff:ff:ff:ff", src: options.src, etherType: 0x0806, payload: arp })
}

/**
 * An LLDP frame to the nearest-bridge group address with chassis id, port id and TTL TLVs.
 *
 * @category constructors
 * @since 0.1.0
 */
export const lldp = (options: { readonly src: string; readonly port: string }): Uint8Array => {
  const portId = new TextEncoder().encode(options.port)
  const tlvs = [
    [0x02, 7, 4, ...mac(options.src)], // chassis id, subtype MAC address
    [0x04, 1 + portId.length, 5, ...portId], // port id, subtype interface name
    [0x06, 2, 0, 120], // TTL 120 s
    [0x00, 0] // end of LLDPDU
  ].flatMap(([type, length, ...value]) => [(type! << 1) | (length! >> 8), length! & 0xff, ...value])
  return ethernet({ dst: "01:80:c2:00:00:0e", src: options.src, etherType: 0x88cc, payload: Uint8Array.from(tlvs) })
}

/**
 * The frame as a lowercase hex string, the form `ovs-appctl netdev-dummy/receive` accepts.
 *
 * @category formatting
 * @since 0.1.0
 */
export const toHex = (frame: Uint8Array): string => Buffer.from(frame).toString("hex")
