/**
 * Encodes many messages into one reusable buffer.
 *
 * Writing a burst of messages to a socket should cost one write, not one per message; an
 * encoder appends each message to a growing buffer it keeps between batches, and
 * {@link Encoder.flush} hands out the batch as one `Uint8Array`.
 *
 * @since 0.1.0
 */
import type { EncodeError } from "./EncodeError.ts"
import { encodeInto } from "./internal/catalog.ts"
import { Writer } from "./internal/writer.ts"
import type { Message } from "./Message.ts"
import type { OpenFlowError } from "./OpenFlowError.ts"
import type { Version } from "./Version.ts"

/**
 * A batch encoder for one wire version.
 *
 * @category models
 * @since 0.1.0
 */
export interface Encoder {
  readonly version: Version
  /** Bytes encoded since the last flush. */
  readonly size: number
  /**
   * Appends `message` with `xid`. On failure nothing is appended and the error is
   * returned; earlier messages in the batch are unaffected.
   */
  add(message: Message, xid: number): OpenFlowError | EncodeError | undefined
  /** Appends already-encoded message bytes as they are. */
  addRaw(bytes: Uint8Array): void
  /**
   * Returns the batch and starts a new one. The result is a fresh copy, safe to hand to
   * a socket that writes asynchronously; the encoder keeps its buffer for the next batch.
   */
  flush(): Uint8Array
}

class EncoderImpl implements Encoder {
  readonly version: Version
  private readonly w: Writer

  constructor(version: Version, capacity: number) {
    this.version = version
    this.w = new Writer(version, capacity)
  }

  get size(): number {
    return this.w.pos
  }

  add(message: Message, xid: number): OpenFlowError | EncodeError | undefined {
    return encodeInto(this.w, message, xid)
  }

  addRaw(bytes: Uint8Array): void {
    this.w.bytes(bytes)
  }

  flush(): Uint8Array {
    const out = this.w.copy()
    this.w.reset(this.version)
    return out
  }
}

/**
 * Makes an encoder for a wire version.
 *
 * **Details**
 *
 * `capacity` is the buffer's initial size in bytes; it grows (doubling) when a batch
 * needs more, and keeps its size for later batches.
 *
 * @example
 * ```ts
 * import { Barrier, Echo, Encoder, Version } from "@switchyard/openflow"
 *
 * const encoder = Encoder.make(Version.OF13)
 * encoder.add(Echo.request(), 1)
 * encoder.add(Barrier.request, 2)
 * const bytes = encoder.flush() // both messages, back to back
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (version: Version, capacity = 16 * 1024): Encoder => new EncoderImpl(version, capacity)
