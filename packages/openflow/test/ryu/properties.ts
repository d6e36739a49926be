/**
 * Ryu mappings of OpenFlow 1.4+ property lists: the shared experimenter and unknown
 * properties, and the helpers each family's properties use.
 *
 * Ryu names each list's properties after the list (`OFPPortDescPropExperimenter`,
 * `OFPTableModPropExperimenter`, ...), shows the property `type` number that our `_tag`
 * stands for, and shows an experimenter property's data as a list of 32-bit words.
 */
import type { Property } from "@switchyard/openflow"
import { base64, wrap, type Json, type RyuObject } from "./common.ts"

/** Big-endian 32-bit words, as Ryu shows experimenter data. */
export const words = (data: Uint8Array): Array<Json> => {
  if (data.length % 4 !== 0) throw new Error(`ryu mapping: experimenter data of ${data.length} bytes is not whole 32-bit words`)
  const out: Array<Json> = []
  for (let i = 0; i < data.length; i += 4) out.push(((data[i]! << 24) >>> 0) + ((data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!))
  return out
}

/** `OFP<list>PropExperimenter { type, experimenter, exp_type, data }`. */
export const experimenterProperty = (className: string, p: Property.ExperimenterProperty, type = 0xffff): RyuObject =>
  wrap(className, { type, experimenter: p.experimenter, exp_type: p.expType, data: words(p.data) })

/** Ryu has no class for a property of an undefined type (its parsers raise); no vector has one. */
export const unknownProperty = (p: Property.UnknownProperty): RyuObject => wrap("UnknownProperty", { type: p.type, data: base64(p.data) })
