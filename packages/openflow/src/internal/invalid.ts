/**
 * Records a value the wire cannot carry, the way the writer's own range checks do: the
 * first such problem is kept in `w.invalid` and the central encoder turns it into an
 * `EncodeError` (nothing of the message stays in the writer).
 */
import type { Writer } from "./writer.ts"

export const invalid = (w: Writer, detail: string): void => {
  if (w.invalid === undefined) w.invalid = detail
}

/** Patches a nested 16-bit length at `at`, recording a misfit when it exceeds 65535. */
export const patchLength = (w: Writer, at: number, length: number, what: string): void => {
  if (length > 0xffff) invalid(w, `${what} is ${length} bytes, over the 65535 its length field can hold`)
  w.patchU16(at, length)
}
