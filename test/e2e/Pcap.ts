/**
 * A minimal reader of classic libpcap files, for the frames Open vSwitch's dummy ports write
 * with `options:tx_pcap` and `options:rxq_pcap`.
 *
 * The e2e suite only needs the frames' bytes, in order, from files that OVS is still appending
 * to. That last point is the awkward one: a file read while ovs-vswitchd writes to it can end in
 * the middle of a record, so a truncated trailing record is not an error here, it is simply not
 * there yet (the next read will see it). A malformed header or a record that claims an absurd
 * length is an error, since no amount of waiting fixes it. This is deliberately not a general
 * pcap library: `@switchyard/packet` is getting one, and this file should give way to it.
 *
 * @since 0.1.0
 */

/**
 * One captured frame: its bytes (a copy, safe to keep) and its capture time in microseconds.
 *
 * @category models
 * @since 0.1.0
 */
export interface Record {
  readonly timestampUs: number
  readonly frame: Uint8Array
  /** The frame's length on the wire; larger than `frame.length` when the capture truncated it. */
  readonly originalLength: number
}

/**
 * Parses the complete records of a classic pcap file (microsecond or nanosecond timestamps,
 * either byte order). A partial record at the end is left out.
 *
 * **Gotchas**: throws on a bad magic number or a record length over 256 KiB; an empty buffer
 * (the file exists but its header is not written yet) yields no records.
 *
 * @category decoding
 * @since 0.1.0
 */
export const parse = (bytes: Uint8Array): ReadonlyArray<Record> => {
  if (bytes.length < 24) return []
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const magicBE = view.getUint32(0, false)
  let little: boolean
  let nano: boolean
  switch (magicBE) {
    case 0xa1b2c3d4: little = false; nano = false; break
    case 0xd4c3b2a1: little = true; nano = false; break
    case 0xa1b23c4d: little = false; nano = true; break
    case 0x4d3cb2a1: little = true; nano = true; break
    default:
      throw new Error(`not a pcap file: magic 0x${magicBE.toString(16).padStart(8, "0")}`)
  }
  const records: Array<Record> = []
  let offset = 24
  while (offset + 16 <= bytes.length) {
    const seconds = view.getUint32(offset, little)
    const fraction = view.getUint32(offset + 4, little)
    const included = view.getUint32(offset + 8, little)
    const original = view.getUint32(offset + 12, little)
    if (included > 256 * 1024) throw new Error(`pcap record at offset ${offset} claims ${included} bytes`)
    if (offset + 16 + included > bytes.length) break
    records.push({
      timestampUs: seconds * 1e6 + (nano ? Math.floor(fraction / 1000) : fraction),
      // A copy: Buffer#slice would return a view into the whole file.
      frame: new Uint8Array(bytes.subarray(offset + 16, offset + 16 + included)),
      originalLength: original
    })
    offset += 16 + included
  }
  return records
}
