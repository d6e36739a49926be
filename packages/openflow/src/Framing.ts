/**
 * Splits a TCP byte stream into OpenFlow messages on the header's 16-bit length.
 *
 * A read from a socket may hold several messages, a part of one, or the end of one and
 * the start of the next. A {@link Framer} keeps what is left over between reads. A message
 * that lies inside one chunk is returned as a `subarray` view of that chunk (no copy); only
 * a message split across chunks is copied, into a buffer of exactly its length. A header
 * length below 8 means the stream can no longer be framed: the connection must be closed
 * after reporting `OFPBRC_BAD_LEN` (Ryu silently treats such a length as 8, which turns
 * one bad message into a stream of garbage).
 *
 * @since 0.1.0
 */
import * as OpenFlowError from "./OpenFlowError.ts"

/**
 * A stateful splitter of one connection's byte stream.
 *
 * @category models
 * @since 0.1.0
 */
export interface Framer {
  /**
   * Appends `chunk` to the stream and pushes every message it completes onto `out`, in
   * order.
   *
   * **Details**
   *
   * Returns `undefined` normally. Returns an `OFPBRC_BAD_LEN` error when a header length
   * is below 8; messages completed before the bad header have been pushed, and the framer
   * must not be used again.
   *
   * **Gotchas**
   *
   * Pushed messages may be views into `chunk`: do not reuse or mutate chunks after
   * pushing them (Node's socket chunks are fresh buffers, so this holds for sockets).
   */
  push(chunk: Uint8Array, out: Array<Uint8Array>): OpenFlowError.OpenFlowError | undefined
  /** Bytes held for an incomplete message. */
  readonly buffered: number
}

class FramerImpl implements Framer {
  /**
   * The first bytes of a header split across chunks; allocated the first time a header is
   * split, since most connections (an idle switch's, say) never split one and a framer
   * is kept per connection.
   */
  private head: Uint8Array | undefined = undefined
  private headFill = 0
  /** The message being assembled across chunks, allocated once its length is known. */
  private partial: Uint8Array | undefined = undefined
  private partialFill = 0

  get buffered(): number {
    return this.partial !== undefined ? this.partialFill : this.headFill
  }

  push(chunk: Uint8Array, out: Array<Uint8Array>): OpenFlowError.OpenFlowError | undefined {
    let pos = 0
    const end = chunk.length
    if (this.headFill > 0) {
      const take = Math.min(8 - this.headFill, end)
      const head = this.head!
      head.set(chunk.subarray(0, take), this.headFill)
      this.headFill += take
      pos = take
      if (this.headFill < 8) return undefined
      const length = (head[2]! << 8) | head[3]!
      this.headFill = 0
      if (length < 8) return badLength(length)
      this.partial = new Uint8Array(length)
      this.partial.set(head)
      this.partialFill = 8
    }
    if (this.partial !== undefined) {
      const message = this.partial
      const take = Math.min(message.length - this.partialFill, end - pos)
      message.set(chunk.subarray(pos, pos + take), this.partialFill)
      this.partialFill += take
      pos += take
      if (this.partialFill < message.length) return undefined
      this.partial = undefined
      this.partialFill = 0
      out.push(message)
    }
    while (end - pos >= 8) {
      const length = (chunk[pos + 2]! << 8) | chunk[pos + 3]!
      if (length < 8) return badLength(length)
      if (end - pos < length) {
        const message = new Uint8Array(length)
        message.set(chunk.subarray(pos, end))
        this.partial = message
        this.partialFill = end - pos
        return undefined
      }
      out.push(chunk.subarray(pos, pos + length))
      pos += length
    }
    if (pos < end) {
      ;(this.head ??= new Uint8Array(8)).set(chunk.subarray(pos, end))
      this.headFill = end - pos
    }
    return undefined
  }
}

const badLength = (length: number) =>
  OpenFlowError.make("OFPBRC_BAD_LEN", `header length ${length} is below the 8-byte header; framing is lost`)

/**
 * Makes a framer for one connection.
 *
 * @example
 * ```ts
 * import { Framing } from "@switchyard/openflow"
 *
 * const framer = Framing.make()
 * const messages: Array<Uint8Array> = []
 * framer.push(Uint8Array.of(4, 2, 0, 8), messages) // half a header: nothing yet
 * framer.push(Uint8Array.of(0, 0, 0, 1), messages) // messages.length === 1
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (): Framer => new FramerImpl()
