/**
 * Wire codec for OFPT_HELLO (OpenFlow 1.3.1 §7.5.1): a list of TLV elements, each padded
 * to 8 bytes; before OpenFlow 1.3 the body is ignored.
 */
import type { Hello, Element } from "../Hello.ts"
import * as OpenFlowError from "../OpenFlowError.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

const OFPHET_VERSIONBITMAP = 1

const decode = (r: Reader): Hello | OpenFlowError.OpenFlowError => {
  const elements: Array<Element> = []
  // OpenFlow 1.0-1.2 peers must ignore any HELLO body; so do we.
  if (r.version < 4) return { _tag: "Hello", elements }
  while (r.has(1)) {
    if (!r.has(4)) return OpenFlowError.make("OFPBRC_BAD_LEN", `HELLO element header truncated at ${r.remaining()} bytes`)
    const type = r.u16()
    const length = r.u16()
    if (length < 4 || !r.has(length - 4)) {
      return OpenFlowError.make("OFPBRC_BAD_LEN", `HELLO element length ${length} does not fit the message`)
    }
    if (type === OFPHET_VERSIONBITMAP) {
      if ((length - 4) % 4 !== 0) {
        return OpenFlowError.make("OFPBRC_BAD_LEN", `HELLO version bitmap length ${length} is not 4 plus a multiple of 4`)
      }
      const versions: Array<number> = []
      for (let word = 0; word < (length - 4) / 4; word++) {
        const bits = r.u32()
        // A version is one byte, so bits past 255 name no version; they are ignored
        // rather than kept as values no HELLO could be encoded with.
        if (word >= 8) continue
        for (let bit = 0; bit < 32; bit++) if ((bits >>> bit) & 1) versions.push(word * 32 + bit)
      }
      elements.push({ _tag: "VersionBitmap", versions })
    } else {
      elements.push({ _tag: "UnknownHelloElement", type, data: r.bytesView(length - 4) })
    }
    // Elements are padded to 8 bytes; tolerate a final element sent without its padding.
    r.skip(Math.min((8 - (length & 7)) & 7, r.remaining()))
  }
  return { _tag: "Hello", elements }
}

const encode = (w: Writer, m: Hello): OpenFlowError.OpenFlowError | undefined => {
  if (w.version < 4) return undefined
  for (const element of m.elements) {
    const start = w.mark()
    if (element._tag === "VersionBitmap") {
      let max = -1
      for (const v of element.versions) {
        if (!Number.isInteger(v) || v < 0 || v > 255) {
          return OpenFlowError.make("OFPBRC_BAD_VERSION", `version bitmap entry ${v} is not in 0..255`)
        }
        if (v > max) max = v
      }
      const words = Math.max(1, Math.ceil((max + 1) / 32))
      const bits = new Array<number>(words).fill(0)
      for (const v of element.versions) bits[v >>> 5] = (bits[v >>> 5]! | (1 << (v & 31))) >>> 0
      w.u16(OFPHET_VERSIONBITMAP)
      w.u16(4 + words * 4)
      for (const b of bits) w.u32(b)
    } else {
      if (element.data.length > 0xffff - 4) {
        return OpenFlowError.make("OFPBRC_BAD_LEN", `HELLO element of ${element.data.length} bytes does not fit its 16-bit length`)
      }
      w.u16(element.type)
      w.u16(4 + element.data.length)
      w.bytes(element.data)
    }
    w.pad8(start)
  }
  return undefined
}

export const rows = [row<Hello>({ tag: "Hello", type: 0, since: 1, minBody: 0, element: 1, decode, encode })]
