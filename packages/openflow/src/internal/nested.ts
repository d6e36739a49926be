/**
 * Messages inside messages (a BUNDLE_ADD_MESSAGE's message, a REQUESTFORWARD's request):
 * the hooks the families that carry them use to decode and encode the inner message with
 * the whole catalog, and to give its Schema the `Message` union.
 *
 * The catalog and `Message.ts` import every family, so a family cannot import them
 * back without a cycle; they fill these hooks when they load instead, before any
 * message can be decoded or validated.
 */
import type { Schema } from "effect"
import type { EncodeError } from "../EncodeError.ts"
import type { OpenFlowError } from "../OpenFlowError.ts"
import type { Writer } from "./writer.ts"

export const nested: {
  /** Decodes one complete inner message with a reader of its own (the shared one is in use). */
  decode: (bytes: Uint8Array, lenient: boolean) => { readonly _tag: string } | OpenFlowError
  /** Appends an inner message to `w` in `w.version` with `xid`. */
  encode: (w: Writer, message: { readonly _tag: string }, xid: number) => OpenFlowError | EncodeError | undefined
  /** The `Message` union Schema. */
  schema: () => Schema.Top
} = {
  decode: () => {
    throw new Error("internal/nested: the catalog is not loaded")
  },
  encode: () => {
    throw new Error("internal/nested: the catalog is not loaded")
  },
  schema: () => {
    throw new Error("internal/nested: Message.ts is not loaded")
  }
}
