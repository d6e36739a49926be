/**
 * OFPT_CONTROLLER_STATUS and the CONTROLLER_STATUS multipart request and reply (OpenFlow
 * 1.5): what a switch knows about its controller connections.
 *
 * A switch with several controllers tells each of them when a connection's state
 * changes (a controller connected or lost, its role or short id changed), and answers a
 * CONTROLLER_STATUS request with the status of every connection. A status names the
 * connection by its short id and carries properties, the URI of the connection among
 * them.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { textProblem } from "./internal/text.ts"
import { ExperimenterProperty, unknownProperty } from "./Property.ts"
import * as Uint from "./Uint.ts"

/**
 * The URI property (`OFPCSPT_URI`): how the switch reaches the controller, e.g.
 * `"tls:192.168.34.23:6653"`.
 *
 * @category models
 * @since 0.1.0
 */
export const ControllerStatusPropUri = Schema.TaggedStruct("ControllerStatusPropUri", {
  uri: Schema.String.check(
    Schema.makeFilter((s: string) => {
      const problem = textProblem(s, 0xffff - 4)
      return problem === undefined ? undefined : `a URI of UTF-8 text without NUL (this one ${problem})`
    })
  )
})
/** @category models @since 0.1.0 */
export type ControllerStatusPropUri = typeof ControllerStatusPropUri.Type

/**
 * A controller status property.
 *
 * @category models
 * @since 0.1.0
 */
export const Property = Schema.Union([ControllerStatusPropUri, ExperimenterProperty, unknownProperty("controller status", [0, 0xffff])])
/** @category models @since 0.1.0 */
export type Property = typeof Property.Type

const statusFields = {
  /** The controller's short id (`Role.RoleRequest.shortId`), 0 when it has none. */
  shortId: Uint.Uint16,
  /** The controller's role, one of `Role.Role`. */
  role: Uint.Uint32,
  /** Why the status was sent, one of {@link Reason}. */
  reason: Uint.Uint8,
  /** One of {@link ChannelStatus}. */
  channelStatus: Uint.Uint8,
  /** The URI and experimenter properties, in wire order. */
  properties: Schema.Array(Property)
}

/**
 * The status of one controller connection (`ofp_controller_status`).
 *
 * @category models
 * @since 0.1.0
 */
export const Status = Schema.Struct(statusFields)
/** @category models @since 0.1.0 */
export type Status = typeof Status.Type

/**
 * OFPT_CONTROLLER_STATUS (OpenFlow 1.5 §7.4.6): one connection's status changed.
 *
 * @example
 * ```ts
 * import { ControllerStatus } from "@switchyard/openflow"
 *
 * const lost = (m: ControllerStatus.ControllerStatus) => m.channelStatus === ControllerStatus.ChannelStatus.DOWN
 * ```
 *
 * @category models
 * @since 0.1.0
 */
export const ControllerStatus = Schema.TaggedStruct("ControllerStatus", statusFields)
/** @category models @since 0.1.0 */
export type ControllerStatus = typeof ControllerStatus.Type

/**
 * OFPMP_CONTROLLER_STATUS request (OpenFlow 1.5 §7.3.5.21): the status of every connection.
 *
 * @category models
 * @since 0.1.0
 */
export const ControllerStatusRequest = Schema.TaggedStruct("ControllerStatusRequest", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16
})
/** @category models @since 0.1.0 */
export type ControllerStatusRequest = typeof ControllerStatusRequest.Type

/**
 * OFPMP_CONTROLLER_STATUS reply.
 *
 * @category models
 * @since 0.1.0
 */
export const ControllerStatusReply = Schema.TaggedStruct("ControllerStatusReply", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  controllers: Schema.Array(Status)
})
/** @category models @since 0.1.0 */
export type ControllerStatusReply = typeof ControllerStatusReply.Type

/**
 * Why a controller status was sent (`OFPCSR_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const Reason = {
  /** In reply to a request. */
  REQUEST: 0,
  /** The channel's status changed. */
  CHANNEL_STATUS: 1,
  /** The controller's role changed. */
  ROLE: 2,
  /** A controller was added to the switch's configuration. */
  CONTROLLER_ADDED: 3,
  /** A controller was removed from it. */
  CONTROLLER_REMOVED: 4,
  /** The controller's short id changed. */
  SHORT_ID: 5,
  /** Experimenter data changed. */
  EXPERIMENTER: 6
} as const

/**
 * The state of a control channel (`OFPCT_STATUS_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const ChannelStatus = {
  UP: 0,
  DOWN: 1
} as const

/** A CONTROLLER_STATUS request. @category constructors @since 0.1.0 */
export const request: ControllerStatusRequest = { _tag: "ControllerStatusRequest", flags: 0 }
