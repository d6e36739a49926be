/**
 * OFPT_GROUP_MOD: add, change or delete a group, a set of action buckets that flow
 * entries can send packets to.
 *
 * Groups express what a single action list cannot: flooding to a port set (ALL: every
 * bucket gets a copy), load balancing (SELECT: one bucket, chosen by the switch with the
 * buckets' weights), indirection (INDIRECT: one bucket shared by many flows, so a next
 * hop changes in one place) and fast failover (FF: the first bucket whose watched port or
 * group is live). Each bucket is an action list plus `weight` (SELECT) and the port and
 * group it watches (FF). Group ids above `MAX` are reserved: `ALL` is valid only to
 * delete every group, `ANY` never.
 *
 * OpenFlow 1.5 gave buckets ids and turned their weight and watches into properties,
 * added commands that insert and remove single buckets, and group properties; the
 * model keeps weight and watches as fields and adds the rest as optional fields.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Action from "./Action.ts"
import * as Port from "./Port.ts"
import { ExperimenterProperty, unknownProperty } from "./Property.ts"
import * as Uint from "./Uint.ts"

/**
 * Group mod commands (`OFPGC_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const Command = {
  ADD: 0,
  MODIFY: 1,
  DELETE: 2,
  /** OpenFlow 1.5+: insert buckets into the group, before `commandBucketId`. */
  INSERT_BUCKET: 3,
  /** OpenFlow 1.5+: remove the bucket `commandBucketId` (or all, first or last). */
  REMOVE_BUCKET: 5
} as const

/**
 * Special bucket ids of OpenFlow 1.5 (`OFPG_BUCKET_*`), for `commandBucketId`.
 *
 * @category constants
 * @since 0.1.0
 */
export const BucketId = {
  /** The largest bucket id. */
  MAX: 0xffff_ff00,
  /** The first bucket of the group. */
  FIRST: 0xffff_fffd,
  /** The last bucket of the group. */
  LAST: 0xffff_fffe,
  /** Every bucket of the group (REMOVE_BUCKET), and the default for other commands. */
  ALL: 0xffff_ffff
} as const


/**
 * Group types (`OFPGT_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const Type = {
  /** Every bucket gets a copy of the packet (multicast, flooding). */
  ALL: 0,
  /** One bucket, chosen by the switch (weighted). */
  SELECT: 1,
  /** Exactly one bucket. */
  INDIRECT: 2,
  /** The first live bucket (fast failover). */
  FF: 3
} as const

/** `OFPG_MAX`: the largest group id. @category constants @since 0.1.0 */
export const MAX = 0xffff_ff00
/** `OFPG_ALL`: every group, for DELETE. @category constants @since 0.1.0 */
export const ALL = 0xffff_fffc
/** `OFPG_ANY`: no group (a bucket's `watchGroup` when it watches none). @category constants @since 0.1.0 */
export const ANY = 0xffff_ffff

/**
 * A bucket property other than weight and watches (OpenFlow 1.5+; `OFPGBPT_*`):
 * experimenter, or a type this codec does not know.
 *
 * @category models
 * @since 0.1.0
 */
export const BucketProperty = Schema.Union([ExperimenterProperty, unknownProperty("group bucket", [0, 1, 2, 0xffff])])
/** @category models @since 0.1.0 */
export type BucketProperty = typeof BucketProperty.Type

/**
 * A group property (OpenFlow 1.5+; `OFPGPT_*`): only experimenter properties are defined.
 *
 * @category models
 * @since 0.1.0
 */
export const GroupProperty = Schema.Union([ExperimenterProperty, unknownProperty("group", [0xffff])])
/** @category models @since 0.1.0 */
export type GroupProperty = typeof GroupProperty.Type

/**
 * One bucket (`ofp_bucket`).
 *
 * **Details**
 *
 * In OpenFlow 1.5 `weight`, `watchPort` and `watchGroup` travel as properties: weight is
 * sent for SELECT groups and whenever it is not 0, a watch whenever it is not `ANY`, as
 * Open vSwitch sends them; an absent property decodes as 0 (weight) or `ANY` (watches).
 *
 * @category models
 * @since 0.1.0
 */
export const Bucket = Schema.Struct({
  /** SELECT groups: the bucket's share of traffic. */
  weight: Uint.Uint16,
  /** FF groups: the port whose liveness decides; `Port.ANY` for none. */
  watchPort: Uint.Uint32,
  /** FF groups: the group whose liveness decides; {@link ANY} for none. */
  watchGroup: Uint.Uint32,
  actions: Schema.Array(Action.Action),
  /**
   * OpenFlow 1.5+: the bucket's id within its group (up to {@link BucketId} MAX). Decoded
   * 1.5 buckets always have it; a 1.5 bucket encoded without one gets its position in the
   * list (0, 1, ...), as Open vSwitch numbers buckets.
   */
  bucketId: Schema.optional(Uint.Uint32.check(Schema.isLessThanOrEqualTo(0xffff_ff00))),
  /** OpenFlow 1.5+: properties other than weight and watches, in wire order; absent when none. */
  properties: Schema.optional(Schema.Array(BucketProperty))
})

/** @category models @since 0.1.0 */
export type Bucket = typeof Bucket.Type

/**
 * `true` for a group id a command may name: up to {@link MAX} for ADD and MODIFY, and
 * also {@link ALL} for DELETE.
 *
 * @category predicates
 * @since 0.1.0
 */
export const isValidGroupId = (command: number, groupId: number): boolean =>
  groupId <= MAX || (command === Command.DELETE && groupId === ALL)

/**
 * OFPT_GROUP_MOD (OpenFlow 1.1-1.4 layout, OpenFlow 1.3 §7.3.4.2; OpenFlow 1.5 §7.3.4.2).
 *
 * **Details**
 *
 * `command` is one of {@link Command}; INSERT_BUCKET and REMOVE_BUCKET exist only in
 * OpenFlow 1.5 (earlier versions refuse them with OFPGMFC_BAD_COMMAND), as do
 * `commandBucketId` and `properties` (an `EncodeError` when earlier versions would have
 * to drop them).
 *
 * @category models
 * @since 0.1.0
 */
export const GroupMod = Schema.TaggedStruct("GroupMod", {
  /** One of {@link Command}. */
  command: Schema.Literals([0, 1, 2, 3, 5]),
  /** One of {@link Type}. */
  groupType: Schema.Literals([0, 1, 2, 3]),
  groupId: Uint.Uint32,
  buckets: Schema.Array(Bucket),
  /**
   * OpenFlow 1.5+: the bucket INSERT_BUCKET inserts before and REMOVE_BUCKET removes
   * (a bucket id or one of {@link BucketId}). Absent means {@link BucketId} ALL, what 1.5
   * sends for the other commands; decoding leaves it out then.
   */
  commandBucketId: Schema.optional(Uint.Uint32),
  /** OpenFlow 1.5+: group properties, in wire order; absent when none. */
  properties: Schema.optional(Schema.Array(GroupProperty))
}).check(
  Schema.makeFilter((m) => (isValidGroupId(m.command, m.groupId) ? undefined : "a group id up to OFPG_MAX, or OFPG_ALL to delete"))
)

/** @category models @since 0.1.0 */
export type GroupMod = typeof GroupMod.Type

/**
 * A bucket running `actions`; weight 0 and no watched port or group unless given.
 *
 * @category constructors
 * @since 0.1.0
 */
export const bucket = (
  actions: ReadonlyArray<Action.Action>,
  options: { readonly weight?: number; readonly watchPort?: number; readonly watchGroup?: number } = {}
): Bucket => ({
  weight: options.weight ?? 0,
  watchPort: options.watchPort ?? Port.ANY,
  watchGroup: options.watchGroup ?? ANY,
  actions
})

/**
 * An ADD of group `groupId`.
 *
 * @example
 * ```ts
 * import { Action, GroupMod } from "@switchyard/openflow"
 *
 * // Flood to ports 1-3: every bucket gets a copy.
 * const flood = GroupMod.add({
 *   groupId: 1,
 *   groupType: GroupMod.Type.ALL,
 *   buckets: [1, 2, 3].map((port) => GroupMod.bucket([Action.output(port)]))
 * })
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const add = (options: {
  readonly groupId: number
  readonly groupType: GroupMod["groupType"]
  readonly buckets: ReadonlyArray<Bucket>
}): GroupMod => ({ _tag: "GroupMod", command: Command.ADD, groupType: options.groupType, groupId: options.groupId, buckets: options.buckets })

/**
 * A MODIFY: replace the type and buckets of group `groupId`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const modify = (options: {
  readonly groupId: number
  readonly groupType: GroupMod["groupType"]
  readonly buckets: ReadonlyArray<Bucket>
}): GroupMod => ({ _tag: "GroupMod", command: Command.MODIFY, groupType: options.groupType, groupId: options.groupId, buckets: options.buckets })

/**
 * A DELETE of group `groupId` ({@link ALL} for every group).
 *
 * **Gotchas**
 *
 * Deleting a group also deletes the flow entries that send to it.
 *
 * @category constructors
 * @since 0.1.0
 */
const delete_ = (groupId: number): GroupMod => ({ _tag: "GroupMod", command: Command.DELETE, groupType: Type.ALL, groupId, buckets: [] })
export { delete_ as delete }
