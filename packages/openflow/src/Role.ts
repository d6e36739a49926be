/**
 * OFPT_ROLE_REQUEST and OFPT_ROLE_REPLY: a controller's role on a switch with several
 * controllers.
 *
 * A switch may be connected to several controllers; the master (or any EQUAL) may
 * modify state, a SLAVE only reads. Becoming MASTER demotes the previous master to
 * SLAVE. `generationId` orders mastership claims between controllers: the switch
 * refuses a MASTER or SLAVE request whose id is older than the newest it has seen
 * (OFPRRFC_STALE), compared as a wrapping 64-bit counter. The comparison is the
 * spec's `(int64)(generation_id - cached) < 0`, which {@link isStale} implements.
 * OpenFlow 1.4 added ROLE_STATUS, with which a switch tells a controller that its role
 * changed (another controller became master); 1.5 added a `shortId` the controller
 * may ask to be known by.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { ExperimenterProperty, unknownProperty } from "./Property.ts"
import * as Uint from "./Uint.ts"

/**
 * OFPT_ROLE_REQUEST (OpenFlow 1.3 §7.3.9).
 *
 * @category models
 * @since 0.1.0
 */
export const RoleRequest = Schema.TaggedStruct("RoleRequest", {
  /** One of {@link Role}. */
  role: Uint.Uint32,
  /** Master election generation id; ignored for NOCHANGE and EQUAL. */
  generationId: Uint.Uint64,
  /**
   * OpenFlow 1.5+: the short id the controller asks to be known by. Absent means
   * `OFPCID_UNDEFINED` (0), the only value earlier versions can carry.
   */
  shortId: Schema.optional(Uint.Uint16)
})
/** @category models @since 0.1.0 */
export type RoleRequest = typeof RoleRequest.Type

/**
 * OFPT_ROLE_REPLY: the role now in effect and the switch's current generation id.
 *
 * @category models
 * @since 0.1.0
 */
export const RoleReply = Schema.TaggedStruct("RoleReply", {
  /** One of {@link Role}. */
  role: Uint.Uint32,
  generationId: Uint.Uint64,
  /** OpenFlow 1.5+: the controller's short id; absent means 0 (`OFPCID_UNDEFINED`). */
  shortId: Schema.optional(Uint.Uint16)
})
/** @category models @since 0.1.0 */
export type RoleReply = typeof RoleReply.Type

/**
 * A ROLE_STATUS property (OpenFlow 1.4+): only experimenter properties are defined.
 *
 * @category models
 * @since 0.1.0
 */
export const RoleProperty = Schema.Union([ExperimenterProperty, unknownProperty("role", [0xffff])])
/** @category models @since 0.1.0 */
export type RoleProperty = typeof RoleProperty.Type

/**
 * OFPT_ROLE_STATUS (OpenFlow 1.4 §7.4.4): the switch tells a controller that its role
 * changed without it asking, typically because another controller became master.
 *
 * @example
 * ```ts
 * import { Role } from "@switchyard/openflow"
 *
 * const demoted = (m: Role.RoleStatus) => m.role === Role.Role.SLAVE
 * ```
 *
 * @category models
 * @since 0.1.0
 */
export const RoleStatus = Schema.TaggedStruct("RoleStatus", {
  /** The new role, one of {@link Role}. */
  role: Uint.Uint32,
  /** Why it changed, one of {@link StatusReason}. */
  reason: Uint.Uint8,
  /** The generation id of the master election that caused the change. */
  generationId: Uint.Uint64,
  properties: Schema.Array(RoleProperty)
})
/** @category models @since 0.1.0 */
export type RoleStatus = typeof RoleStatus.Type

/**
 * Why a ROLE_STATUS was sent (`OFPCRR_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const StatusReason = {
  /** Another controller asked to be master. */
  MASTER_REQUEST: 0,
  /** The switch's configuration changed. */
  CONFIG: 1,
  /** Experimenter data changed. */
  EXPERIMENTER: 2
} as const

/**
 * Controller roles (`OFPCR_ROLE_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const Role = {
  /** Do not change the role; just query it. */
  NOCHANGE: 0,
  /** Full access; the default role. */
  EQUAL: 1,
  /** Full access; at most one master. */
  MASTER: 2,
  /** Read-only access. */
  SLAVE: 3
} as const

/**
 * A ROLE_REQUEST.
 *
 * @example
 * ```ts
 * import { Role } from "@switchyard/openflow"
 *
 * const query = Role.request(Role.Role.NOCHANGE)
 * const claim = Role.request(Role.Role.MASTER, 42n)
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const request = (role: number, generationId: bigint = 0n): RoleRequest => ({
  _tag: "RoleRequest",
  role,
  generationId
})

/**
 * `true` when `generationId` is older than `cached` in the spec's wrapping 64-bit order,
 * i.e. a switch that has seen `cached` must refuse it with OFPRRFC_STALE.
 *
 * @category predicates
 * @since 0.1.0
 */
export const isStale = (generationId: bigint, cached: bigint): boolean => BigInt.asIntN(64, generationId - cached) < 0n
