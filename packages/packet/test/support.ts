/**
 * Helpers shared by the packet tests: hex literals, stripping the fields the builder
 * computes, and locating the Ryu vectors.
 */
import { existsSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { Frame, Hex } from "@switchyard/packet"

/** Bytes from hex text with spaces/colons/newlines allowed. */
export const hex = (text: string): Uint8Array => Hex.decodeUnsafe(text)

/** The fields the builder computes from other layers, per layer tag. */
const COMPUTED: Record<string, ReadonlyArray<string>> = {
  Ethernet: ["etherType"],
  Vlan: ["etherType"],
  Mpls: ["bos"],
  Ipv4: ["totalLength", "checksum", "protocol"],
  Ipv6: ["payloadLength", "nextHeader"],
  Icmp: ["checksum"],
  Icmp6: ["checksum"],
  Tcp: ["checksum"],
  Udp: ["length", "checksum"],
  Sctp: ["checksum"]
}

/**
 * A layer without the fields the builder computes (lengths, checksums, next-protocol
 * fields), as a plain object with byte fields copied to plain arrays so that views and
 * copies compare equal.
 */
export const strip = (layer: Frame.Input): unknown => {
  const out: Record<string, unknown> = {}
  const computed = COMPUTED[layer._tag] ?? []
  for (const [key, value] of Object.entries(layer)) {
    if (computed.includes(key) || value === undefined) continue
    out[key] = plain(value)
  }
  if (layer._tag === "Ipv6") {
    out.extensions = layer.extensions.map((e) => {
      const { nextHeader: _, ...rest } = e
      return plain(rest)
    })
  }
  return out
}

const plain = (value: unknown): unknown => {
  if (value instanceof Uint8Array) return Array.from(value)
  if (Array.isArray(value)) return value.map(plain)
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = plain(v)
    return out
  }
  return value
}

/** Where the Ryu golden vectors live: `$SWITCHYARD_RYU_VECTORS` or `../shared/vectors/ryu` from the repo root. */
export const ryuVectors = (): string | undefined => {
  const fromEnv = process.env.SWITCHYARD_RYU_VECTORS
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..")
  const dir = fromEnv !== undefined && fromEnv !== "" ? fromEnv : join(repoRoot, "../shared/vectors/ryu")
  if (existsSync(join(dir, "pcap"))) return dir
  if (process.env.CI !== undefined && process.env.CI !== "") {
    throw new Error(`Ryu vectors not found at ${dir}: set SWITCHYARD_RYU_VECTORS or check out ../shared/vectors/ryu`)
  }
  return undefined
}

/** The directory holding this test's fixtures. */
export const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures")
