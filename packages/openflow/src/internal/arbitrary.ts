/**
 * Schemas whose generated values (for property tests) obey rules a Schema cannot state.
 *
 * Some wire rules relate several fields: a match field needs its prerequisite earlier in
 * the same match, an action set holds one instruction of each type. Validating those in
 * the Schema would make it reject values the wire can carry (a switch may report a match
 * that breaks them), and filtering random values would discard nearly all of them. So the
 * Schema keeps accepting every representable value, and only its arbitrary is replaced:
 * values are generated from a `seed` Schema and repaired by `repair` into ones the codec
 * accepts. This uses Effect's `toCodecArbitrary` declaration annotation.
 */
import { Schema, SchemaGetter, SchemaParser } from "effect"

export const withArbitrary = <S extends Schema.Top, Seed extends Schema.Top>(
  schema: S,
  seed: Seed,
  repair: (seed: Seed["Type"]) => S["Type"]
): Schema.Codec<S["Type"], S["Encoded"]> =>
  Schema.declareConstructor<S["Type"], S["Encoded"]>()(
    [schema],
    ([codec]) => (input, _ast, options) => SchemaParser.decodeUnknownEffect(codec)(input, options),
    {
      toCodec: ([codec]) =>
        Schema.link<S["Type"]>()(codec, { decode: SchemaGetter.passthrough(), encode: SchemaGetter.passthrough() }),
      toCodecArbitrary: () =>
        Schema.link<S["Type"]>()(Schema.toType(seed), {
          decode: SchemaGetter.transform(repair),
          encode: SchemaGetter.forbiddenEncoding
        })
    }
  ) as unknown as Schema.Codec<S["Type"], S["Encoded"]>
