/**
 * The PORT_DESC multipart request and reply: the description of every port.
 *
 * OpenFlow 1.3 moved the port list out of FEATURES_REPLY into this reply, so a
 * controller learns a switch's ports with one request after the handshake and follows
 * changes through PORT_STATUS afterwards. A switch with many ports splits the reply
 * over several messages (`Multipart.Flags.REPLY_MORE`); `Multipart.merge` joins them.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Port from "./Port.ts"
import * as Uint from "./Uint.ts"

/**
 * OFPMP_PORT_DESC request (OpenFlow 1.3+; 1.5 can name one port).
 *
 * @category models
 * @since 0.1.0
 */
export const PortDescRequest = Schema.TaggedStruct("PortDescRequest", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  /**
   * OpenFlow 1.5+: describe only this port. Absent means `Port.ANY` (every port), the
   * only choice earlier versions have; a decoded 1.5 request for every port leaves it out.
   */
  portNo: Schema.optional(Port.PortNumber)
})
/** @category models @since 0.1.0 */
export type PortDescRequest = typeof PortDescRequest.Type

/**
 * OFPMP_PORT_DESC reply (OpenFlow 1.3 §7.3.5.17; 1.4+ ports carry properties, see `Port.Port`).
 *
 * @category models
 * @since 0.1.0
 */
export const PortDescReply = Schema.TaggedStruct("PortDescReply", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  ports: Schema.Array(Port.Port)
})
/** @category models @since 0.1.0 */
export type PortDescReply = typeof PortDescReply.Type

/**
 * A PORT_DESC request.
 *
 * @example
 * ```ts
 * import { PortDesc } from "@switchyard/openflow"
 *
 * const req = PortDesc.request
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const request: PortDescRequest = { _tag: "PortDescRequest", flags: 0 }
