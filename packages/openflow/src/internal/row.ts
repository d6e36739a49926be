/**
 * One row of the wire catalog: how one message kind looks on the wire in a range of
 * versions, in the spirit of Open vSwitch's `enum ofpraw` table.
 *
 * The central decoder (`internal/catalog.ts`) checks the header, finds the row, checks
 * the body length against `minBody`/`element` once, and only then calls the family's
 * `decode`, which may therefore read the fixed part without further checks.
 */
import type { OpenFlowError } from "../OpenFlowError.ts"
import type { Reader } from "./reader.ts"
import type { Writer } from "./writer.ts"

export interface Row<M extends { readonly _tag: string } = { readonly _tag: string }> {
  /** The message's `_tag`. */
  readonly tag: M["_tag"]
  /** The header type number in these versions. */
  readonly type: number
  /** For multipart requests/replies: the multipart type (`OFPMP_*`). */
  readonly multipart?: number
  /** First and last wire version (inclusive) this row describes. */
  readonly since: number
  readonly until?: number
  /**
   * Set when another row of the same wire type decodes both kinds (an experimenter error
   * is an OFPT_ERROR whose type field is 0xffff): this row is used only to encode.
   */
  readonly encodeOnly?: true
  /** Minimum body size in bytes, after the header (and after the multipart header). */
  readonly minBody: number
  /**
   * What may follow the fixed `minBody` bytes, as in Open vSwitch's `extra_multiple`:
   * 0 means nothing (the body is exactly `minBody`), 1 any number of bytes, n a multiple of n.
   */
  readonly element: number
  /**
   * Decodes the body; the reader spans exactly the body. `flags` is the multipart flags
   * word for multipart rows, 0 otherwise.
   */
  readonly decode: (r: Reader, flags: number) => M | OpenFlowError
  /** Encodes the body (the header and multipart header are written by the caller). */
  readonly encode: (w: Writer, message: M) => OpenFlowError | undefined
}

/** Helps TypeScript check a row against its message type. */
export const row = <M extends { readonly _tag: string }>(r: Row<M>): Row<M> => r
