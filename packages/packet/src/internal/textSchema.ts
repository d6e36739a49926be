/**
 * Builds schemas whose type is a compact value (a number or bigint) and whose encoded
 * form is its text, for addresses in JSON.
 */
import { Effect, Result, Schema, SchemaIssue, SchemaTransformation } from "effect"

export const fromText = <S extends Schema.Top>(
  to: S,
  expected: string,
  parse: (input: string) => Result.Result<S["Type"], unknown>,
  format: (value: S["Type"]) => string
) =>
  Schema.String.pipe(
    Schema.decodeTo(
      to,
      SchemaTransformation.transformEffect<S["Encoded"], string>({
        decode: (input, options) => {
          const result = parse(input)
          return Result.isSuccess(result)
            ? Effect.succeed(result.success)
            : Effect.fail(new SchemaIssue.InvalidValue({ expected }, input, options))
        },
        encode: (value) => Effect.succeed(format(value))
      })
    )
  )
