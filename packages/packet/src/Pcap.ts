/**
 * Classic libpcap capture files: read and write.
 *
 * Captures are how network people exchange frames: tcpdump and Wireshark write them,
 * Open vSwitch's dummy ports write and replay them (`options:pcap=`, `rx_pcap=`,
 * `tx_pcap=`), and Ryu's packet tests ship them. The format is a 24-byte global header
 * followed by records, each a 16-byte header and the captured bytes. Its awkward parts:
 * the byte order is whatever the writing machine used (the magic number says which), the
 * magic also says whether timestamps are micro- or nanoseconds, a record may be cut short
 * by the snapshot length (its original length is kept), and a file still being written
 * ends in the middle of a record. This reader handles all of these; a partial record at
 * the end is reported, not treated as an error. pcapng files are recognised and rejected
 * with a clear error.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"

/**
 * A file that is not a readable classic pcap file.
 *
 * **Details**
 *
 * `reason`: `BadMagic` (not pcap at all), `Pcapng` (the newer block format, not
 * supported), `Truncated` (shorter than the global header), `BadLength` (a record
 * length beyond any sane snapshot length, meaning the file is corrupt from there on).
 *
 * @category errors
 * @since 0.1.0
 */
export class PcapError extends Schema.TaggedError<PcapError>()("PcapError", {
  reason: Schema.Literals(["BadMagic", "Pcapng", "Truncated", "BadLength"]),
  offset: Schema.Int,
  message: Schema.String
}) {}

/**
 * One captured packet.
 *
 * **Details**
 *
 * `subseconds` is in microseconds or nanoseconds, as the file's `precision` says.
 * `data` may be shorter than `originalLength` when the capture was cut at the snapshot
 * length. Decoded records' `data` are views into the file's bytes.
 *
 * @category models
 * @since 0.1.0
 */
export interface Record {
  readonly seconds: number
  readonly subseconds: number
  readonly originalLength: number
  readonly data: Uint8Array
}

/**
 * A capture file.
 *
 * **Details**
 *
 * `linkType` says what the records hold: 1 (`LINKTYPE_ETHERNET`) for Ethernet frames,
 * which is what `Frame.decode` reads. `truncated` is `true` when the file ended inside
 * a record (a capture still being written); that record is not in `records`.
 *
 * @category models
 * @since 0.1.0
 */
export interface PcapFile {
  readonly byteOrder: "big" | "little"
  readonly precision: "micro" | "nano"
  readonly versionMajor: number
  readonly versionMinor: number
  readonly snapLength: number
  readonly linkType: number
  readonly records: ReadonlyArray<Record>
  readonly truncated: boolean
}

/** Ethernet frames. @category constants @since 0.1.0 */
export const LINKTYPE_ETHERNET = 1
/** Raw IPv4 or IPv6 packets, no link header. @category constants @since 0.1.0 */
export const LINKTYPE_RAW = 101
/** Linux "cooked" capture (tcpdump -i any). @category constants @since 0.1.0 */
export const LINKTYPE_LINUX_SLL = 113

const MAGIC_MICRO = 0xa1b2c3d4
const MAGIC_NANO = 0xa1b23c4d
const MAGIC_PCAPNG = 0x0a0d0d0a
const GLOBAL_HEADER = 24
const RECORD_HEADER = 16
// libpcap refuses records larger than this when the snapshot length is smaller
// (MAXIMUM_SNAPLEN in pcap-int.h); anything bigger means the file is corrupt.
const MAX_SNAPLEN = 262144

const read32 = (b: Uint8Array, o: number, little: boolean): number =>
  little
    ? ((b[o + 3]! << 24) >>> 0) + ((b[o + 2]! << 16) | (b[o + 1]! << 8) | b[o]!)
    : ((b[o]! << 24) >>> 0) + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!)

const read16 = (b: Uint8Array, o: number, little: boolean): number =>
  little ? (b[o + 1]! << 8) | b[o]! : (b[o]! << 8) | b[o + 1]!

const write32 = (b: Uint8Array, o: number, v: number, little: boolean): void => {
  for (let i = 0; i < 4; i++) b[o + (little ? i : 3 - i)] = (v >>> (8 * i)) & 0xff
}

const write16 = (b: Uint8Array, o: number, v: number, little: boolean): void => {
  b[o + (little ? 0 : 1)] = v & 0xff
  b[o + (little ? 1 : 0)] = (v >>> 8) & 0xff
}

/**
 * Reads a classic pcap file. Never throws.
 *
 * **Example** (Decoding every Ethernet frame in a capture)
 *
 * ```ts
 * import { readFileSync } from "node:fs"
 * import { Frame, Pcap } from "@switchyard/packet"
 * import { Result } from "effect"
 *
 * const file = Pcap.decode(readFileSync("capture.pcap"))
 * if (Result.isSuccess(file) && file.success.linkType === Pcap.LINKTYPE_ETHERNET) {
 *   for (const record of file.success.records) console.log(Frame.decode(record.data).ipv4?.src)
 * }
 * ```
 *
 * @category decoding
 * @since 0.1.0
 */
export const decode = (bytes: Uint8Array): Result.Result<PcapFile, PcapError> => {
  if (bytes.length < 4) {
    return Result.fail(new PcapError({ reason: "Truncated", offset: 0, message: "too short for a pcap file" }))
  }
  const be = read32(bytes, 0, false)
  const le = read32(bytes, 0, true)
  let little: boolean
  let precision: "micro" | "nano"
  if (be === MAGIC_MICRO || be === MAGIC_NANO) {
    little = false
    precision = be === MAGIC_NANO ? "nano" : "micro"
  } else if (le === MAGIC_MICRO || le === MAGIC_NANO) {
    little = true
    precision = le === MAGIC_NANO ? "nano" : "micro"
  } else if (be === MAGIC_PCAPNG) {
    return Result.fail(
      new PcapError({ reason: "Pcapng", offset: 0, message: "a pcapng file; convert it with `editcap -F pcap`" })
    )
  } else {
    return Result.fail(
      new PcapError({ reason: "BadMagic", offset: 0, message: `not a pcap file (magic 0x${be.toString(16).padStart(8, "0")})` })
    )
  }
  if (bytes.length < GLOBAL_HEADER) {
    return Result.fail(
      new PcapError({ reason: "Truncated", offset: 0, message: `a pcap global header needs 24 bytes, the file has ${bytes.length}` })
    )
  }
  const snapLength = read32(bytes, 16, little)
  const records: Array<Record> = []
  let offset = GLOBAL_HEADER
  let truncated = false
  while (offset < bytes.length) {
    if (bytes.length - offset < RECORD_HEADER) {
      truncated = true
      break
    }
    const captured = read32(bytes, offset + 8, little)
    if (captured > Math.max(snapLength, MAX_SNAPLEN)) {
      return Result.fail(
        new PcapError({
          reason: "BadLength",
          offset,
          message: `record at offset ${offset} claims ${captured} captured bytes (snapshot length ${snapLength})`
        })
      )
    }
    if (bytes.length - offset - RECORD_HEADER < captured) {
      truncated = true
      break
    }
    records.push({
      seconds: read32(bytes, offset, little),
      subseconds: read32(bytes, offset + 4, little),
      originalLength: read32(bytes, offset + 12, little),
      data: bytes.subarray(offset + RECORD_HEADER, offset + RECORD_HEADER + captured)
    })
    offset += RECORD_HEADER + captured
  }
  return Result.succeed({
    byteOrder: little ? "little" : "big",
    precision,
    versionMajor: read16(bytes, 4, little),
    versionMinor: read16(bytes, 6, little),
    snapLength,
    linkType: read32(bytes, 20, little) & 0x0fff_ffff,
    records,
    truncated
  })
}

/**
 * Writes a classic pcap file (version 2.4).
 *
 * **Details**
 *
 * Defaults: little-endian, microsecond timestamps, Ethernet link type, snapshot length
 * 262144. A record's `data` is written whole; `originalLength` defaults to its length.
 * Open vSwitch's dummy ports (`rx_pcap=`) and every pcap tool read the result.
 *
 * **Example** (Writing frames for a dummy port to replay)
 *
 * ```ts
 * import { writeFileSync } from "node:fs"
 * import { Pcap } from "@switchyard/packet"
 *
 * declare const frames: ReadonlyArray<Uint8Array>
 * writeFileSync("in.pcap", Pcap.encode({ records: frames.map((data) => ({ data })) }))
 * ```
 *
 * @category encoding
 * @since 0.1.0
 */
export const encode = (file: {
  readonly records: ReadonlyArray<{
    readonly data: Uint8Array
    readonly seconds?: number | undefined
    readonly subseconds?: number | undefined
    readonly originalLength?: number | undefined
  }>
  readonly linkType?: number | undefined
  readonly snapLength?: number | undefined
  readonly precision?: "micro" | "nano" | undefined
  readonly byteOrder?: "big" | "little" | undefined
}): Uint8Array => {
  const little = file.byteOrder !== "big"
  let size = GLOBAL_HEADER
  for (const record of file.records) size += RECORD_HEADER + record.data.length
  const out = new Uint8Array(size)
  write32(out, 0, file.precision === "nano" ? MAGIC_NANO : MAGIC_MICRO, little)
  write16(out, 4, 2, little)
  write16(out, 6, 4, little)
  write32(out, 16, file.snapLength ?? MAX_SNAPLEN, little)
  write32(out, 20, file.linkType ?? LINKTYPE_ETHERNET, little)
  let offset = GLOBAL_HEADER
  for (const record of file.records) {
    write32(out, offset, record.seconds ?? 0, little)
    write32(out, offset + 4, record.subseconds ?? 0, little)
    write32(out, offset + 8, record.data.length, little)
    write32(out, offset + 12, record.originalLength ?? record.data.length, little)
    out.set(record.data, offset + RECORD_HEADER)
    offset += RECORD_HEADER + record.data.length
  }
  return out
}
