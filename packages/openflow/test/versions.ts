/**
 * What one wire version makes of a version-free message: the value that
 * `decode(encode(m, version))` gives back.
 *
 * The model is written once for every version, with optional fields for what later
 * versions add (a flow mod's `importance`, a port's `properties`, a 1.5 packet-out's
 * `match`, ...). A version without such a field cannot carry a non-default value (the
 * encoder refuses it), and every decoder leaves an optional field out when it holds its
 * default, so a message that uses no later feature looks the same whichever version
 * carried it. {@link project} applies exactly these two rules to a generated value, so
 * a property test can encode any Schema value in any version and compare. Each rule is
 * the codec's documented behaviour, not a tolerance.
 */
import type { Message } from "@switchyard/openflow"

type Any = any

/** Drops `key` from `o` (a copy) when `drop` says so. */
const without = <T extends object>(o: T, key: string, drop: boolean): T => {
  if (!drop || !(key in o)) return o
  const copy: Record<string, unknown> = { ...o }
  delete copy[key]
  return copy as T
}

/** `true` for the default of an optional field: absent, 0, or an empty list. */
const isDefault = (v: unknown): boolean => v === undefined || v === 0 || (Array.isArray(v) && v.length === 0)

/** Keeps an optional field only from `since` on, and only when it is not its default. */
const later = <T extends object>(o: T, key: string, version: number, since: number): T =>
  without(o, key, version < since || isDefault((o as Any)[key]))

/** A port as `version` carries it. */
export const projectPort = (p: Any, version: number): Any => later(p, "properties", version, 5)

const projections: { readonly [tag: string]: (m: Any, version: number) => Any } = {
  FlowMod: (m, v) => later(m, "importance", v, 5),
  PacketOut: (m, v) => later(m, "match", v, 6),
  PortStatus: (m, v) => ({ ...m, desc: projectPort(m.desc, v) }),
  PortDescRequest: (m, v) => without(m, "portNo", v < 6 || m.portNo === undefined || m.portNo === 0xffff_ffff),
  PortDescReply: (m, v) => ({ ...m, ports: m.ports.map((p: Any) => projectPort(p, v)) })
}

/**
 * `m` as `version` carries it: later-version fields dropped before their version, and
 * optional fields holding their default left out.
 */
export const project = <M extends Message.Message>(m: M, version: number): M => (projections[m._tag]?.(m, version) ?? m) as M
