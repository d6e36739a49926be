/**
 * Wire codec for OpenFlow 1.4+ property lists: the TLV loop every list shares, and the
 * experimenter and unknown properties.
 *
 * A property is `type u16, length u16`, a body, then zero padding to a multiple of 8 that
 * `length` does not count (OpenFlow 1.4 §7.1.4 / Open vSwitch's `ofpprop_pull`). The loop
 * checks, before anything is read, that the header fits, that `length` is at least 4 and
 * that the property with its padding fits what remains of the list: anything else is
 * OFPBPC_BAD_LEN, never a loop that does not advance. Each list decodes the bodies of the
 * types it defines; the types it does not define are kept opaque.
 */
import * as OFE from "../OpenFlowError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import type { ExperimenterProperty, UnknownProperty } from "../Property.ts"
import { invalid, patchLength } from "./invalid.ts"
import type { Reader } from "./reader.ts"
import type { Writer } from "./writer.ts"

/** The experimenter property type of most lists (`OFPPDPT_EXPERIMENTER`, `OFPTMPT_EXPERIMENTER`, ...). */
export const EXPERIMENTER = 0xffff

/** OFPBPC_BAD_LEN with `what` as context. */
export const badLen = (what: string, detail: string): OpenFlowError => OFE.make("OFPBPC_BAD_LEN", `${what}: ${detail}`)

/**
 * Decodes the properties from `r.pos` to `end`. For each, `one(r, type, length)` is called
 * with the reader at the body (`length` includes the 4-byte header) and must return the
 * property or an error; the reader is then moved past the padding, whatever `one` read.
 */
export const decodeProperties = <P>(
  r: Reader,
  end: number,
  what: string,
  one: (r: Reader, type: number, length: number) => P | OpenFlowError
): Array<P> | OpenFlowError => {
  const out: Array<P> = []
  while (r.pos < end) {
    const left = end - r.pos
    if (left < 4) return badLen(what, `${left} bytes left over, short of a 4-byte property header`)
    const start = r.pos
    const type = r.u16()
    const length = r.u16()
    const padded = (length + 7) & ~7
    if (length < 4 || padded > left) {
      return badLen(what, `property ${type} has length ${length}, not between 4 and the ${left} bytes that remain (padding included)`)
    }
    const p = one(r, type, length)
    if (OFE.isOpenFlowError(p)) return p
    out.push(p)
    r.pos = start + padded
  }
  return out
}

/** OFPBPC_BAD_LEN unless a fixed-size property has exactly `expected` bytes. */
export const expectLength = (what: string, name: string, length: number, expected: number): OpenFlowError | undefined =>
  length === expected ? undefined : badLen(what, `${name} property has length ${length}, expected ${expected}`)

/** Reads an experimenter property body (`experimenter u32, exp_type u32, data`). */
export const decodeExperimenter = (r: Reader, length: number, what: string): ExperimenterProperty | OpenFlowError => {
  if (length < 12) return badLen(what, `experimenter property of length ${length} is shorter than 12`)
  const experimenter = r.u32()
  const expType = r.u32()
  return { _tag: "ExperimenterProperty", experimenter, expType, data: r.bytesView(length - 12) }
}

/** Keeps a property of an undefined type byte for byte. */
export const decodeUnknown = (r: Reader, type: number, length: number): UnknownProperty => ({
  _tag: "UnknownProperty",
  type,
  data: r.bytesView(length - 4)
})

/** Starts a property: writes its header with a placeholder length; returns where it starts. */
export const begin = (w: Writer, type: number): number => {
  const at = w.mark()
  w.u16(type)
  w.u16(0)
  return at
}

/** Ends a property started at `at`: patches its length and pads it to 8. */
export const end = (w: Writer, at: number, what: string): void => {
  patchLength(w, at + 2, w.pos - at, what)
  w.pad8(at)
}

/** Writes an experimenter property with type `type` (0xffff unless the list says otherwise). */
export const encodeExperimenter = (w: Writer, p: ExperimenterProperty, what: string, type = EXPERIMENTER): void => {
  const at = begin(w, type)
  w.u32(p.experimenter)
  w.u32(p.expType)
  w.bytes(p.data)
  end(w, at, what)
}

/** Writes an unknown property as it was received. */
export const encodeUnknown = (w: Writer, p: UnknownProperty, what: string): void => {
  const at = begin(w, p.type)
  w.bytes(p.data)
  end(w, at, what)
}

/**
 * Records that a value uses something `version` cannot carry (a 1.4+ property list in a
 * 1.3 message, ...), the way a field that does not fit its bits is recorded: the central
 * encoder turns it into an `EncodeError`, so nothing is silently dropped.
 */
export const needsVersion = (w: Writer, what: string, since: number): void => {
  invalid(w, `${what} needs OpenFlow 1.${since - 1} or later (encoding OpenFlow 1.${w.version - 1})`)
}
