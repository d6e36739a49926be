/**
 * Properties of the whole codec over every message kind, generated from the Schemas.
 *
 * The kinds are read from the members of the `Message` union, so a family that adds its
 * Schema there is covered without touching this file. Two round trips are checked:
 *
 * - wire: `Message.encode` then `Message.decode` gives back the value. A value the Schema
 *   admits but the encoder refuses, or one that comes back different, means the Schema
 *   describes values the wire cannot carry: the Schema must be tightened (or the codec
 *   fixed), so this fails rather than filters.
 * - JSON: the `Message.Envelope` JSON codec (what `switchyard ofp` prints and reads)
 *   survives `JSON.stringify`/`JSON.parse`, 64-bit values included.
 */
import { describe, expect, it } from "@effect/vitest"
import { Message, Uint, Version } from "@switchyard/openflow"
import { Result, Schema } from "effect"
import { allRows } from "../src/internal/catalog.ts"
import { project } from "./versions.ts"

const tagOf = (member: Schema.Top): string => {
  const tag = (member as unknown as { readonly fields?: { readonly _tag?: { readonly ast: { readonly literal?: unknown } } } })
    .fields?._tag?.ast.literal
  if (typeof tag !== "string") throw new Error("a Message member is not a tagged struct")
  return tag
}

const members = Message.Message.members.map((schema) => ({ tag: tagOf(schema), schema: schema as Schema.Codec<Message.Message> }))

/** The wire versions a kind can be encoded in. */
const versionsOf = (tag: string) => ([1, 2, 3, 4, 5, 6] as const).filter((v) => Message.isEncodable(tag as Message.Tag, v))

/**
 * The versions the wire property runs a kind in: each of 1.3, 1.4 and 1.5 that can encode
 * it, else the first version that can. OpenFlow 1.0 has its own generators
 * (`of10.property.test.ts`): most Schema values use something 1.0 cannot carry.
 */
const wireVersionsOf = (tag: string) => {
  const versions = versionsOf(tag)
  const modern = versions.filter((v) => v >= 4)
  return modern.length > 0 ? modern : versions.slice(0, 1)
}

/**
 * Values the wire carries as a set rather than a list: the decoder returns them in their
 * one canonical order, so the generated value is put in that order before comparing.
 * Each entry is a documented normalisation of the codec, not a tolerance for a bug.
 */
const canonicalForms: { readonly [tag: string]: (m: any) => unknown } = {
  // A version bitmap is a set of bits: any order and repeats encode to the same bitmap,
  // which decodes in ascending order.
  Hello: (m: Message.Of<"Hello">) => ({
    ...m,
    elements: m.elements.map((e) => e._tag === "VersionBitmap" ? { ...e, versions: [...new Set(e.versions)].sort((a, b) => a - b) } : e)
  }),
  // A bundled message is put in its own canonical form.
  BundleAddMessage: (m: Message.Of<"BundleAddMessage">) => ({ ...m, message: canonicalMessage(m.message) })
}

const canonicalMessage = (m: Message.Message): unknown => canonical(canonicalForms[m._tag]?.(m) ?? m)

/** `-0` and `0` are the same wire value; the arbitraries may produce either. */
const canonical = (value: unknown): unknown => {
  if (Object.is(value, -0)) return 0
  if (Array.isArray(value)) return value.map(canonical)
  if (value instanceof Uint8Array) return Array.from(value)
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = canonical(v)
    return out
  }
  return value
}

// A fixed seed keeps `npm test` deterministic; SWITCHYARD_PROPERTY_RUNS and
// SWITCHYARD_PROPERTY_SEED allow a deeper search by hand.
const runs = {
  arbitrary: {
    runs: Number(process.env["SWITCHYARD_PROPERTY_RUNS"] ?? 150),
    seed: Number(process.env["SWITCHYARD_PROPERTY_SEED"] ?? 4)
  },
  timeout: 120_000
}

describe("every Message kind", () => {
  it("the union has no duplicate tags and every kind has an encoder", () => {
    const tags = members.map((m) => m.tag)
    expect(new Set(tags).size).toBe(tags.length)
    expect(tags.filter((tag) => versionsOf(tag).length === 0)).toEqual([])
  })

  it("the union and the wire catalog list the same kinds", () => {
    // A catalog row whose kind is not in the union decodes to values that cannot be
    // printed as JSON or read back by `switchyard ofp encode`; a union member without a
    // row cannot be sent at all.
    const union = [...new Set(members.map((m) => m.tag))].sort()
    const catalog = [...new Set(allRows.map((r) => r.tag))].sort()
    expect(union).toEqual(catalog)
  })
})

describe("wire round trip: encode then decode gives the value back", () => {
  for (const { tag, schema } of members) for (const version of wireVersionsOf(tag)) {
    it.prop(`${tag} (OpenFlow ${Version.format(version)})`, [schema, Uint.Uint32], ([generated, xid]) => {
      // The value as this version carries it: fields of other versions dropped, as
      // `versions.ts` documents (the encoder refuses them otherwise).
      const message = project(generated, version)
      const encoded = Message.encode(message, { version, xid })
      if (Result.isFailure(encoded)) {
        throw new Error(`the Schema admits a ${tag} the encoder refuses: ${encoded.failure.toLine()}`)
      }
      const bytes = encoded.success
      expect((bytes[2]! << 8) | bytes[3]!, "header length").toBe(bytes.length)
      const decoded = Message.decode(bytes)
      if (Result.isFailure(decoded)) {
        throw new Error(`${tag} encodes to bytes that do not decode: ${decoded.failure.toLine()}`)
      }
      expect(decoded.success.version).toBe(version)
      expect(decoded.success.xid).toBe(xid)
      expect(canonicalMessage(decoded.success.message)).toEqual(canonicalMessage(message))
    }, runs)
  }
})

describe("JSON round trip of the Envelope codec (the CLI's format)", () => {
  const json = Schema.toCodecJson(Message.Envelope)
  const encodeJson = Schema.encodeUnknownSync(json)
  const decodeJson = Schema.decodeUnknownSync(json)

  for (const { tag, schema } of members) {
    const envelope = Schema.Struct({ version: Version.Version, xid: Uint.Uint32, message: schema })
    it.prop(tag, [envelope], ([value]) => {
      const text = JSON.stringify(encodeJson(value))
      const back = decodeJson(JSON.parse(text))
      expect(canonical(back)).toEqual(canonical(value))
    }, runs)
  }

  it("64-bit values are decimal strings in JSON and survive exactly", () => {
    const value = {
      version: 4,
      xid: 0xffff_ffff,
      message: { _tag: "FeaturesReply", datapathId: 0xffff_ffff_ffff_fff1n, nBuffers: 0, nTables: 1, auxiliaryId: 0, capabilities: 0, reserved: 0 }
    }
    const text = JSON.stringify(encodeJson(value))
    expect(text).toContain(`"datapathId":"18446744073709551601"`)
    expect(decodeJson(JSON.parse(text))).toEqual(value)
  })
})
