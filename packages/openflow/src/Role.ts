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
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
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
  generationId: Uint.Uint64
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
  generationId: Uint.Uint64
})
/** @category models @since 0.1.0 */
export type RoleReply = typeof RoleReply.Type

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
