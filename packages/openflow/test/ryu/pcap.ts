/**
 * A minimal classic-libpcap reader for the conformance test: just enough to pull the TCP
 * payloads out of Ryu's three OpenFlow captures (Ethernet, IPv4, TCP, one segment each).
 *
 * Pcap files record their own byte order in the magic number, and each layer below the
 * payload has a variable header length (IPv4 IHL, TCP data offset), so the offsets are
 * read rather than assumed.
 */

export interface TcpSegment {
  readonly srcPort: number
  readonly dstPort: number
  readonly payload: Uint8Array
}

/** Every TCP segment over IPv4 in an Ethernet capture, in file order. */
export const tcpSegments = (file: Uint8Array): ReadonlyArray<TcpSegment> => {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength)
  const magic = view.getUint32(0, false)
  const little = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1
  if (!little && magic !== 0xa1b2c3d4 && magic !== 0xa1b23c4d) throw new Error(`not a pcap file (magic 0x${magic.toString(16)})`)
  const linkType = view.getUint32(20, little)
  if (linkType !== 1) throw new Error(`pcap link type ${linkType} is not Ethernet`)
  const out: Array<TcpSegment> = []
  let pos = 24
  while (pos + 16 <= file.length) {
    const captured = view.getUint32(pos + 8, little)
    const frame = file.subarray(pos + 16, pos + 16 + captured)
    pos += 16 + captured
    let l3 = 14
    let etherType = (frame[12]! << 8) | frame[13]!
    while (etherType === 0x8100 || etherType === 0x88a8) {
      etherType = (frame[l3 + 2]! << 8) | frame[l3 + 3]!
      l3 += 4
    }
    if (etherType !== 0x0800) continue
    const ihl = (frame[l3]! & 0x0f) * 4
    const totalLength = (frame[l3 + 2]! << 8) | frame[l3 + 3]!
    if (frame[l3 + 9] !== 6) continue
    const l4 = l3 + ihl
    const dataOffset = (frame[l4 + 12]! >>> 4) * 4
    out.push({
      srcPort: (frame[l4]! << 8) | frame[l4 + 1]!,
      dstPort: (frame[l4 + 2]! << 8) | frame[l4 + 3]!,
      payload: frame.subarray(l4 + dataOffset, l3 + totalLength)
    })
  }
  return out
}
