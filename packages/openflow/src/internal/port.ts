/**
 * Wire codec for `ofp_port` (OpenFlow 1.1-1.3 §7.2.1): 64 bytes, shared by PORT_STATUS and
 * the PORT_DESC reply.
 */
import type { Port } from "../Port.ts"
import type { Reader } from "./reader.ts"
import { readText, writeText } from "./text.ts"
import type { Writer } from "./writer.ts"

/** Size of `ofp_port` in OpenFlow 1.1-1.3. */
export const PORT_SIZE = 64

/** Reads one `ofp_port`; the caller has checked that 64 bytes remain. */
export const decodePort = (r: Reader): Port => {
  const portNo = r.u32()
  r.skip(4)
  const hwAddr = r.u48()
  r.skip(2)
  const name = readText(r, 16)
  const config = r.u32()
  const state = r.u32()
  const curr = r.u32()
  const advertised = r.u32()
  const supported = r.u32()
  const peer = r.u32()
  const currSpeed = r.u32()
  const maxSpeed = r.u32()
  return { portNo, hwAddr, name, config, state, curr, advertised, supported, peer, currSpeed, maxSpeed }
}

/** Writes one `ofp_port`. */
export const encodePort = (w: Writer, p: Port): void => {
  w.u32(p.portNo)
  w.zeros(4)
  w.u48(p.hwAddr)
  w.zeros(2)
  writeText(w, p.name, 16, "port name")
  w.u32(p.config)
  w.u32(p.state)
  w.u32(p.curr)
  w.u32(p.advertised)
  w.u32(p.supported)
  w.u32(p.peer)
  w.u32(p.currSpeed)
  w.u32(p.maxSpeed)
}
