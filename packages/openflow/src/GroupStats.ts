/**
 * The group multipart requests and replies: GROUP (counters), GROUP_DESC (the groups'
 * buckets) and GROUP_FEATURES (what the group table supports).
 *
 * Groups are switch objects that flows forward to; their configuration is set with
 * GROUP_MOD and read back with GROUP_DESC. GROUP statistics count per group and per
 * bucket, in bucket order, so pair them with GROUP_DESC by position to know which
 * bucket a counter belongs to. Counters the switch does not keep are all ones.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as GroupMod from "./GroupMod.ts"
import * as Uint from "./Uint.ts"


/**
 * OFPMP_GROUP request (`ofp_group_stats_request`).
 *
 * @category models
 * @since 0.1.0
 */
export const GroupStatsRequest = Schema.TaggedStruct("GroupStatsRequest", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  /** The group, or `GroupMod.ALL` for all groups. */
  groupId: Uint.Uint32
})
/** @category models @since 0.1.0 */
export type GroupStatsRequest = typeof GroupStatsRequest.Type

/**
 * The counters of one bucket (`ofp_bucket_counter`).
 *
 * @category models
 * @since 0.1.0
 */
export const BucketCounter = Schema.Struct({
  packetCount: Uint.Uint64,
  byteCount: Uint.Uint64
})
/** @category models @since 0.1.0 */
export type BucketCounter = typeof BucketCounter.Type

/**
 * The counters of one group (`ofp_group_stats`, OpenFlow 1.3 §7.3.5.9).
 *
 * @category models
 * @since 0.1.0
 */
export const GroupStats = Schema.Struct({
  groupId: Uint.Uint32,
  /** Number of flows or groups that forward to this group. */
  refCount: Uint.Uint32,
  packetCount: Uint.Uint64,
  byteCount: Uint.Uint64,
  /** Time the group has been alive: seconds... */
  durationSec: Uint.Uint32,
  /** ...and nanoseconds beyond `durationSec`. */
  durationNsec: Uint.Uint32,
  /** One counter per bucket, in bucket order. */
  bucketStats: Schema.Array(BucketCounter)
})
/** @category models @since 0.1.0 */
export type GroupStats = typeof GroupStats.Type

/**
 * OFPMP_GROUP reply.
 *
 * @category models
 * @since 0.1.0
 */
export const GroupStatsReply = Schema.TaggedStruct("GroupStatsReply", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  stats: Schema.Array(GroupStats)
})
/** @category models @since 0.1.0 */
export type GroupStatsReply = typeof GroupStatsReply.Type

/**
 * OFPMP_GROUP_DESC request.
 *
 * @category models
 * @since 0.1.0
 */
export const GroupDescRequest = Schema.TaggedStruct("GroupDescRequest", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  /**
   * OpenFlow 1.5+: describe only this group. Absent means `GroupMod.ALL` (every group),
   * the only choice earlier versions have; decoding leaves it out then.
   */
  groupId: Schema.optional(Uint.Uint32)
})
/** @category models @since 0.1.0 */
export type GroupDescRequest = typeof GroupDescRequest.Type

/**
 * One group's configuration (`ofp_group_desc`, OpenFlow 1.3 §7.3.5.10): what GROUP_MOD
 * set, as the switch holds it.
 *
 * @category models
 * @since 0.1.0
 */
export const GroupDesc = Schema.Struct({
  /** One of `GroupMod.Type`. */
  groupType: Schema.Literals([0, 1, 2, 3]),
  groupId: Uint.Uint32,
  buckets: Schema.Array(GroupMod.Bucket),
  /** OpenFlow 1.5+: group properties, in wire order; absent when none. */
  properties: Schema.optional(Schema.Array(GroupMod.GroupProperty))
})
/** @category models @since 0.1.0 */
export type GroupDesc = typeof GroupDesc.Type

/**
 * OFPMP_GROUP_DESC reply.
 *
 * @category models
 * @since 0.1.0
 */
export const GroupDescReply = Schema.TaggedStruct("GroupDescReply", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  groups: Schema.Array(GroupDesc)
})
/** @category models @since 0.1.0 */
export type GroupDescReply = typeof GroupDescReply.Type

/**
 * OFPMP_GROUP_FEATURES request.
 *
 * @category models
 * @since 0.1.0
 */
export const GroupFeaturesRequest = Schema.TaggedStruct("GroupFeaturesRequest", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16
})
/** @category models @since 0.1.0 */
export type GroupFeaturesRequest = typeof GroupFeaturesRequest.Type

/**
 * Four 32-bit values, one per group type (ALL, SELECT, INDIRECT, FF).
 *
 * @category schemas
 * @since 0.1.0
 */
export const PerGroupType = Schema.Tuple([Uint.Uint32, Uint.Uint32, Uint.Uint32, Uint.Uint32])
/** @category models @since 0.1.0 */
export type PerGroupType = typeof PerGroupType.Type

/**
 * OFPMP_GROUP_FEATURES reply (`ofp_group_features`, OpenFlow 1.3 §7.3.5.11).
 *
 * @category models
 * @since 0.1.0
 */
export const GroupFeaturesReply = Schema.TaggedStruct("GroupFeaturesReply", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  /** Bitmap of supported group types: bit n set for group type n. */
  types: Uint.Uint32,
  /** Bitmap of {@link Capability}. */
  capabilities: Uint.Uint32,
  /** Maximum number of groups of each type. */
  maxGroups: PerGroupType,
  /** Bitmaps of supported action types (bit n for action type n), per group type. */
  actions: PerGroupType
})
/** @category models @since 0.1.0 */
export type GroupFeaturesReply = typeof GroupFeaturesReply.Type

/**
 * Group capability bits (`OFPGFC_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const Capability = {
  /** Weights for select groups. */
  SELECT_WEIGHT: 1 << 0,
  /** Liveness for select groups. */
  SELECT_LIVENESS: 1 << 1,
  /** Groups that forward to groups. */
  CHAINING: 1 << 2,
  /** Checks chaining for loops and deletes. */
  CHAINING_CHECKS: 1 << 3
} as const

/**
 * A GROUP statistics request; every group by default.
 *
 * @example
 * ```ts
 * import { GroupStats } from "@switchyard/openflow"
 *
 * const all = GroupStats.request()
 * const one = GroupStats.request(7)
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const request = (groupId: number = GroupMod.ALL): GroupStatsRequest => ({ _tag: "GroupStatsRequest", flags: 0, groupId })

/** A GROUP_DESC request. @category constructors @since 0.1.0 */
export const descRequest: GroupDescRequest = { _tag: "GroupDescRequest", flags: 0 }

/** A GROUP_FEATURES request. @category constructors @since 0.1.0 */
export const featuresRequest: GroupFeaturesRequest = { _tag: "GroupFeaturesRequest", flags: 0 }
