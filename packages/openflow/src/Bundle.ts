/**
 * Bundles (OpenFlow 1.4+): OFPT_BUNDLE_CONTROL, OFPT_BUNDLE_ADD_MESSAGE and the 1.5
 * BUNDLE_FEATURES multipart request and reply.
 *
 * A bundle groups modifications so the switch applies them all or none (ATOMIC), in the
 * order sent (ORDERED), or, in 1.5, at a scheduled time. The controller opens a bundle
 * with BUNDLE_CONTROL, adds whole messages to it with BUNDLE_ADD_MESSAGE (the added
 * message keeps its own header, with the same xid as the message carrying it), then
 * closes and commits or discards it; the switch answers each control request with the
 * matching reply type. Which messages a switch accepts in a bundle is its decision
 * (OFPBFC_MSG_UNSUP otherwise); the codec only refuses a bundle inside a bundle.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { nested } from "./internal/nested.ts"
import type { Message } from "./Message.ts"
import { ExperimenterProperty, unknownProperty } from "./Property.ts"
import * as Uint from "./Uint.ts"

/**
 * A point in time (`ofp_time`): seconds since the Unix epoch, and nanoseconds beyond.
 *
 * @category models
 * @since 0.1.0
 */
export const Time = Schema.Struct({
  seconds: Uint.Uint64,
  nanoseconds: Uint.Uint32
})
/** @category models @since 0.1.0 */
export type Time = typeof Time.Type

/**
 * The time property of BUNDLE_CONTROL and BUNDLE_ADD_MESSAGE (`OFPBPT_TIME`, OpenFlow
 * 1.5): when a bundle opened with the TIME flag is to be committed.
 *
 * @category models
 * @since 0.1.0
 */
export const BundlePropTime = Schema.TaggedStruct("BundlePropTime", {
  scheduledTime: Time
})
/** @category models @since 0.1.0 */
export type BundlePropTime = typeof BundlePropTime.Type

/**
 * A bundle property (`OFPBPT_*`).
 *
 * @category models
 * @since 0.1.0
 */
export const BundleProperty = Schema.Union([BundlePropTime, ExperimenterProperty, unknownProperty("bundle", [1, 0xffff])])
/** @category models @since 0.1.0 */
export type BundleProperty = typeof BundleProperty.Type

/**
 * OFPT_BUNDLE_CONTROL (OpenFlow 1.4 §7.3.9): open, close, commit or discard a bundle, and
 * the switch's replies.
 *
 * @example
 * ```ts
 * import { Bundle } from "@switchyard/openflow"
 *
 * const open = Bundle.control(1, Bundle.ControlType.OPEN_REQUEST, Bundle.Flags.ATOMIC)
 * ```
 *
 * @category models
 * @since 0.1.0
 */
export const BundleControl = Schema.TaggedStruct("BundleControl", {
  bundleId: Uint.Uint32,
  /** One of {@link ControlType}. */
  type: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 7 })),
  /** Bitmap of {@link Flags}. */
  flags: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 7 })),
  properties: Schema.Array(BundleProperty)
})
/** @category models @since 0.1.0 */
export type BundleControl = typeof BundleControl.Type

/**
 * OFPT_BUNDLE_ADD_MESSAGE (OpenFlow 1.4 §7.3.9.6).
 *
 * **Details**
 *
 * On the wire the added message is a whole message with its own header: the same
 * version, and the same xid as the BUNDLE_ADD_MESSAGE (as the spec and Open vSwitch
 * require; another xid is OFPBFC_MSG_BAD_XID), so the model keeps only the message.
 *
 * **Gotchas**
 *
 * Byte fields of a decoded `message` are views into the received bytes, like those of
 * any decoded message.
 *
 * @category models
 * @since 0.1.0
 */
export interface BundleAddMessage {
  readonly _tag: "BundleAddMessage"
  readonly bundleId: number
  /** Bitmap of {@link Flags}. */
  readonly flags: number
  /** The message added to the bundle; anything but another BUNDLE_ADD_MESSAGE. */
  readonly message: Message
  readonly properties: ReadonlyArray<BundleProperty>
}

/** The JSON form of a {@link BundleAddMessage}. @category models @since 0.1.0 */
export interface BundleAddMessageEncoded {
  readonly _tag: "BundleAddMessage"
  readonly bundleId: number
  readonly flags: number
  readonly message: unknown
  readonly properties: ReadonlyArray<unknown>
}

/**
 * Schema of {@link BundleAddMessage}. The message is any `Message` (the union is
 * referenced lazily: it includes this schema).
 *
 * @category models
 * @since 0.1.0
 */
export const BundleAddMessage: Schema.Codec<BundleAddMessage, BundleAddMessageEncoded> = Schema.TaggedStruct("BundleAddMessage", {
  bundleId: Uint.Uint32,
  flags: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 7 })),
  message: Schema.suspend((): Schema.Codec<Message, unknown> => nested.schema() as unknown as Schema.Codec<Message, unknown>),
  properties: Schema.Array(BundleProperty)
}).check(
  Schema.makeFilter((m: { readonly message: { readonly _tag: string } }) =>
    m.message._tag === "BundleAddMessage" ? "a message other than BUNDLE_ADD_MESSAGE (bundles do not nest)" : undefined
  )
) as unknown as Schema.Codec<BundleAddMessage, BundleAddMessageEncoded>

/**
 * Bundle control types (`OFPBCT_*`): each request and the reply that answers it.
 *
 * @category constants
 * @since 0.1.0
 */
export const ControlType = {
  OPEN_REQUEST: 0,
  OPEN_REPLY: 1,
  CLOSE_REQUEST: 2,
  CLOSE_REPLY: 3,
  COMMIT_REQUEST: 4,
  COMMIT_REPLY: 5,
  DISCARD_REQUEST: 6,
  DISCARD_REPLY: 7
} as const

/**
 * Bundle flags (`OFPBF_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const Flags = {
  /** Apply every message or none. */
  ATOMIC: 1 << 0,
  /** Apply the messages in the order they were added. */
  ORDERED: 1 << 1,
  /** OpenFlow 1.5: commit at the time of the time property. */
  TIME: 1 << 2
} as const

/**
 * The time-capability property of BUNDLE_FEATURES (`OFPTMPBF_TIME_CAPABILITY`, OpenFlow
 * 1.5): how precisely the switch schedules commits, and how far ahead and behind.
 *
 * @category models
 * @since 0.1.0
 */
export const BundleFeaturesPropTime = Schema.TaggedStruct("BundleFeaturesPropTime", {
  schedAccuracy: Time,
  schedMaxFuture: Time,
  schedMaxPast: Time,
  /** The switch's clock when it sent the reply (the controller's, in a request). */
  timestamp: Time
})
/** @category models @since 0.1.0 */
export type BundleFeaturesPropTime = typeof BundleFeaturesPropTime.Type

/**
 * A BUNDLE_FEATURES property (`OFPTMPBF_*`).
 *
 * @category models
 * @since 0.1.0
 */
export const BundleFeaturesProperty = Schema.Union([
  BundleFeaturesPropTime,
  ExperimenterProperty,
  unknownProperty("bundle features", [1, 0xffff])
])
/** @category models @since 0.1.0 */
export type BundleFeaturesProperty = typeof BundleFeaturesProperty.Type

/**
 * OFPMP_BUNDLE_FEATURES request (OpenFlow 1.5 §7.3.5.22).
 *
 * @category models
 * @since 0.1.0
 */
export const BundleFeaturesRequest = Schema.TaggedStruct("BundleFeaturesRequest", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  /** Bitmap of {@link FeatureFlags}: what the request carries. */
  featureRequestFlags: Uint.Uint32,
  properties: Schema.Array(BundleFeaturesProperty)
})
/** @category models @since 0.1.0 */
export type BundleFeaturesRequest = typeof BundleFeaturesRequest.Type

/**
 * OFPMP_BUNDLE_FEATURES reply.
 *
 * @category models
 * @since 0.1.0
 */
export const BundleFeaturesReply = Schema.TaggedStruct("BundleFeaturesReply", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  /** Bitmap of {@link Flags}: the bundle flags the switch supports. */
  capabilities: Uint.Uint16,
  properties: Schema.Array(BundleFeaturesProperty)
})
/** @category models @since 0.1.0 */
export type BundleFeaturesReply = typeof BundleFeaturesReply.Type

/**
 * BUNDLE_FEATURES request flags (`OFPBF_*` of `ofp_bundle_features_request`).
 *
 * @category constants
 * @since 0.1.0
 */
export const FeatureFlags = {
  /** The request carries the controller's timestamp. */
  TIMESTAMP: 1 << 0,
  /** The request sets the scheduling tolerances. */
  TIME_SET_SCHED: 1 << 1
} as const

/** A BUNDLE_CONTROL without properties. @category constructors @since 0.1.0 */
export const control = (bundleId: number, type: number, flags = 0): BundleControl => ({
  _tag: "BundleControl",
  bundleId,
  type,
  flags,
  properties: []
})

/**
 * A BUNDLE_ADD_MESSAGE adding `message` to bundle `bundleId`.
 *
 * @example
 * ```ts
 * import { Bundle, FlowMod } from "@switchyard/openflow"
 *
 * const add = Bundle.add(1, FlowMod.delete(), Bundle.Flags.ATOMIC)
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const add = (bundleId: number, message: Message, flags = 0): BundleAddMessage => ({
  _tag: "BundleAddMessage",
  bundleId,
  flags,
  message,
  properties: []
})
