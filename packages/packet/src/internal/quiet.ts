/**
 * Builds error objects without capturing a stack trace.
 *
 * A `PacketError` describes bytes that came off the wire; the JavaScript stack at the
 * moment it is built (a getter, the builder) says nothing useful about them, and capturing
 * it is most of the cost of an Error object. A peer sending malformed frames at line rate
 * should not make an app that reads `frame.errors` spend its time there, so errors are
 * built with `Error.stackTraceLimit` set to 0, restored right after. Effect does the same
 * in its own hot error paths. Where the limit cannot be written (frozen intrinsics), the
 * errors get their stack as usual.
 */
const writable = (() => {
  const descriptor = Object.getOwnPropertyDescriptor(Error, "stackTraceLimit")
  if (descriptor === undefined) return Object.isExtensible(Error)
  return Object.hasOwn(descriptor, "writable") ? descriptor.writable === true : descriptor.set !== undefined
})()

/** Runs `f` with stack trace capture switched off. */
export const withoutStack = <A>(f: () => A): A => {
  if (!writable) return f()
  const error = Error as { stackTraceLimit?: number | undefined }
  const limit = error.stackTraceLimit
  error.stackTraceLimit = 0
  try {
    return f()
  } finally {
    error.stackTraceLimit = limit
  }
}
