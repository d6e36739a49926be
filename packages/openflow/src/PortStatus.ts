/**
 * OFPT_PORT_STATUS: the switch reports that a port was added, removed or changed.
 *
 * This is how a controller learns about link changes without polling. The message
 * carries the port's full description after the change (`ofp_port`), not a diff: to
 * know what changed, compare with the description seen before (from PORT_DESC or an
 * earlier PORT_STATUS). A MODIFY is sent for state changes the switch observes (link
 * down, blocked) as well as for config changes made by any controller.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Port from "./Port.ts"
import * as Uint from "./Uint.ts"

/**
 * OFPT_PORT_STATUS (OpenFlow 1.3 §7.4.3).
 *
 * @example
 * ```ts
 * import { Port, PortStatus } from "@switchyard/openflow"
 *
 * const onStatus = (m: PortStatus.PortStatus) =>
 *   m.reason === PortStatus.Reason.DELETE || !Port.isLive(m.desc) ? "flush" : "keep"
 * ```
 *
 * @category models
 * @since 0.1.0
 */
export const PortStatus = Schema.TaggedStruct("PortStatus", {
  /** One of {@link Reason}. */
  reason: Uint.Uint8,
  desc: Port.Port
})
/** @category models @since 0.1.0 */
export type PortStatus = typeof PortStatus.Type

/**
 * Why a PORT_STATUS was sent (`OFPPR_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const Reason = {
  ADD: 0,
  DELETE: 1,
  MODIFY: 2
} as const
