/**
 * OFPT_FEATURES_REQUEST and OFPT_FEATURES_REPLY: the switch's identity and capabilities.
 *
 * The reply names the datapath (a 64-bit id, usually a MAC in its low 48 bits), which is
 * how the controller tells switches apart across reconnects. In OpenFlow 1.3 the port
 * list moved out of this reply into the PORT_DESC multipart reply.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Uint from "./Uint.ts"

/** OFPT_FEATURES_REQUEST. @category models @since 0.1.0 */
export const FeaturesRequest = Schema.TaggedStruct("FeaturesRequest", {})
/** @category models @since 0.1.0 */
export type FeaturesRequest = typeof FeaturesRequest.Type

/**
 * OFPT_FEATURES_REPLY.
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
  /** Bitmap of {@link Capability}. */
  capabilities: Uint.Uint32,
  /** OpenFlow 1.3 `reserved` (1.0: the supported-actions bitmap). */
  reserved: Uint.Uint32
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
 * Formats a datapath id as Open vSwitch prints it: 16 hex digits.
 *
 * @category formatting
 * @since 0.1.0
 */
export const formatDatapathId = (datapathId: bigint): string => datapathId.toString(16).padStart(16, "0")
