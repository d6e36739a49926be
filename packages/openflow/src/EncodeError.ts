/**
 * The error for a message that cannot be put on the wire at all.
 *
 * Two kinds of encode failure exist. A message the switch would reject (a match missing
 * its prerequisite, a duplicated field) fails with the {@link OpenFlowError} the switch
 * would have sent, so the app learns the same thing earlier. A value that cannot be
 * represented (a priority of 70000 in a 16-bit field, a negative port number, a body over
 * 64 KiB) has no OpenFlow error code, because no switch could ever receive it: that is an
 * `EncodeError`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * A value that does not fit its wire field, or a message too long for its length field.
 *
 * @category errors
 * @since 0.1.0
 */
export class EncodeError extends Schema.TaggedError<EncodeError>()("EncodeError", {
  /** The `_tag` of the message being encoded. */
  messageTag: Schema.String,
  message: Schema.String
}) {
  /** One line for logs and the CLI. */
  toLine(): string {
    return `cannot encode ${this.messageTag}: ${this.message}`
  }
}

/** `true` when `u` is an {@link EncodeError}. @category guards @since 0.1.0 */
export const isEncodeError = (u: unknown): u is EncodeError => u instanceof EncodeError
