/**
 * OFPT_REQUESTFORWARD (OpenFlow 1.4+): a switch forwards to every controller a group or
 * meter modification that one of them made.
 *
 * With several controllers, each keeps its own view of the groups and meters; when the
 * switch is configured to (the async REQUESTFORWARD mask), it forwards every GROUP_MOD
 * and METER_MOD it accepts to the other controllers, whole and with the xid the sender
 * used, so they can keep their view in sync.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as GroupMod from "./GroupMod.ts"
import * as MeterMod from "./MeterMod.ts"
import * as Uint from "./Uint.ts"

/**
 * OFPT_REQUESTFORWARD (OpenFlow 1.4 §7.4.7).
 *
 * @example
 * ```ts
 * import { RequestForward } from "@switchyard/openflow"
 *
 * const onForward = (m: RequestForward.RequestForward) => m.request._tag === "GroupMod" ? "groups changed" : "meters changed"
 * ```
 *
 * @category models
 * @since 0.1.0
 */
export const RequestForward = Schema.TaggedStruct("RequestForward", {
  /** The forwarded request: a GROUP_MOD (reason GROUP_MOD) or METER_MOD (reason METER_MOD). */
  request: Schema.Union([GroupMod.GroupMod, MeterMod.MeterMod]),
  /** The xid of the forwarded request, as the controller that sent it chose it. */
  xid: Uint.Uint32
})
/** @category models @since 0.1.0 */
export type RequestForward = typeof RequestForward.Type

/**
 * Why a request was forwarded (`OFPRFR_*`), as the async REQUESTFORWARD masks name it.
 *
 * @category constants
 * @since 0.1.0
 */
export const Reason = {
  GROUP_MOD: 0,
  METER_MOD: 1
} as const
