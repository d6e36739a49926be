/**
 * Ryu mapping of OpenFlow 1.5 OXS statistics: `OFPStats { oxs_fields }`, each field
 * `OXSTlv { field, value }` with the spec's snake_case name. Ryu shows a duration as one
 * number of seconds (`sec + nsec / 1e9`, its `Int4Double`).
 */
import type { Stats } from "@switchyard/openflow"
import { base64, wrap, type Json, type RyuObject } from "./common.ts"

const oxsName: Record<string, string> = {
  duration: "duration",
  idleTime: "idle_time",
  flowCount: "flow_count",
  packetCount: "packet_count",
  byteCount: "byte_count"
}

const oxs = (f: Stats.OxsField): RyuObject => {
  switch (f.field) {
    case "duration":
    case "idleTime":
      return wrap("OXSTlv", { field: oxsName[f.field]!, value: f.sec + f.nsec / 1e9 })
    case "opaque":
      // Ryu has no class for OXS fields it does not know; no vector has one.
      return wrap("OXSTlv", { field: `opaque_${f.oxsClass}_${f.oxsField}`, value: base64(f.payload) })
    default:
      return wrap("OXSTlv", { field: oxsName[f.field]!, value: f.value as Json })
  }
}

/** `OFPStats { oxs_fields }`. */
export const stats = (s: Stats.Stats): RyuObject => wrap("OFPStats", { oxs_fields: s.map(oxs) })
