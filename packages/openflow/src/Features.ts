/**
 * OFPT_FEATURES_REQUEST and OFPT_FEATURES_REPLY: the switch's identity and capabilities.
 *
 * The reply names the datapath (a 64-bit id, usually a MAC in its low 48 bits), which is
 * how the controller tells switches apart across reconnects. In OpenFlow 1.3 the port
 * list moved out of this reply into the PORT_DESC multipart reply; OpenFlow 1.0's reply
 * still carries it, with a bitmap of the actions the switch supports.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Port from "./Port.ts"
import * as Uint from "./Uint.ts"

/** OFPT_FEATURES_REQUEST. @category models @since 0.1.0 */
export const FeaturesRequest = Schema.TaggedStruct("FeaturesRequest", {})
/** @category models @since 0.1.0 */
export type FeaturesRequest = typeof FeaturesRequest.Type

/**
 * OFPT_FEATURES_REPLY.
 *
 * **Details**
 *
 * One value for every version. An OpenFlow 1.0 reply also lists the supported actions
 * and the ports, in the optional `actions` and `ports`, which a 1.0 decode always sets
 * and other versions never do; it has no `auxiliaryId` or `reserved`, which read as 0.
 * Encoding refuses (`EncodeError`) what the target version cannot carry: `actions` or
 * `ports` outside 1.0, a non-zero `auxiliaryId` or `reserved` in 1.0.
 *
 * **Gotchas**
 *
 * `capabilities` keeps the wire bits of its version: bit 3 is GROUP_STATS in 1.1+ but
 * STP in 1.0, and 1.0's bit 7 is ARP_MATCH_IP ({@link Capability10}).
 *
 * @category models
 * @since 0.1.0
 */
export const FeaturesReply = Schema.TaggedStruct("FeaturesReply", {
  datapathId: Uint.Uint64,
  /** Packets the switch can buffer at once for PACKET_IN. */
  nBuffers: Uint.Uint32,
  nTables: Uint.Uint8,
  /** Identifies an auxiliary connection (OpenFlow 1.3+); 0 on the main connection. */
  auxiliaryId: Uint.Uint8,
  /** Bitmap of {@link Capability} (OpenFlow 1.0: of {@link Capability10}). */
  capabilities: Uint.Uint32,
  /** OpenFlow 1.1+ `reserved`; 0 in OpenFlow 1.0, which has no such field. */
  reserved: Uint.Uint32,
  /**
   * OpenFlow 1.0 only: the bitmap of supported actions, bit `n` for 1.0 action type `n`
   * (OUTPUT = bit 0 ... ENQUEUE = bit 11). Absent in other versions.
   */
  actions: Schema.optional(Uint.Uint32),
  /**
   * OpenFlow 1.0 only: the switch's ports, which 1.3 moved to the PORT_DESC reply.
   * Absent in other versions.
   */
  ports: Schema.optional(Schema.Array(Port.Port))
})
/** @category models @since 0.1.0 */
export type FeaturesReply = typeof FeaturesReply.Type

/** A features request. @category constructors @since 0.1.0 */
export const request: FeaturesRequest = { _tag: "FeaturesRequest" }

/**
 * Capability bits of OpenFlow 1.3 (`OFPC_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const Capability = {
  FLOW_STATS: 1 << 0,
  TABLE_STATS: 1 << 1,
  PORT_STATS: 1 << 2,
  GROUP_STATS: 1 << 3,
  IP_REASM: 1 << 5,
  QUEUE_STATS: 1 << 6,
  PORT_BLOCKED: 1 << 8
} as const

/**
 * Capability bits of OpenFlow 1.0 (`OFPC_*` of 1.0), as a 1.0 switch reports them.
 *
 * @category constants
 * @since 0.1.0
 */
export const Capability10 = {
  FLOW_STATS: 1 << 0,
  TABLE_STATS: 1 << 1,
  PORT_STATS: 1 << 2,
  /** 802.1d spanning tree (1.1+ reuses this bit for GROUP_STATS). */
  STP: 1 << 3,
  IP_REASM: 1 << 5,
  QUEUE_STATS: 1 << 6,
  /** Matches IP addresses in ARP packets. */
  ARP_MATCH_IP: 1 << 7
} as const

/**
 * Formats a datapath id as Open vSwitch prints it: 16 hex digits.
 *
 * @category formatting
 * @since 0.1.0
 */
export const formatDatapathId = (datapathId: bigint): string => datapathId.toString(16).padStart(16, "0")
