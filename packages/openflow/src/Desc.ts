/**
 * The DESC multipart request and reply: who made the switch and what it runs.
 *
 * The reply is five fixed-width text fields (256 bytes each, 32 for the serial number),
 * the same in every OpenFlow version. `dpDesc` is the one operators set per switch
 * (Open vSwitch fills it from `other-config:dp-desc`), which makes it the usual way to
 * give a datapath a readable name in logs.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { fixedText } from "./internal/text.ts"
import * as Uint from "./Uint.ts"

/** Width of the description text fields (`DESC_STR_LEN`). @category constants @since 0.1.0 */
export const DESC_WIDTH = 256
/** Width of the serial number field (`SERIAL_NUM_LEN`). @category constants @since 0.1.0 */
export const SERIAL_NUM_WIDTH = 32

/** Schema of a 256-byte description field. @category schemas @since 0.1.0 */
export const DescText = fixedText(DESC_WIDTH, "DescText")
/** Schema of the 32-byte serial number field. @category schemas @since 0.1.0 */
export const SerialNumText = fixedText(SERIAL_NUM_WIDTH, "SerialNumText")

/**
 * OFPMP_DESC request.
 *
 * @category models
 * @since 0.1.0
 */
export const DescRequest = Schema.TaggedStruct("DescRequest", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16
})
/** @category models @since 0.1.0 */
export type DescRequest = typeof DescRequest.Type

/**
 * OFPMP_DESC reply (`ofp_desc`, OpenFlow 1.3 §7.3.5.1).
 *
 * @category models
 * @since 0.1.0
 */
export const DescReply = Schema.TaggedStruct("DescReply", {
  /** Multipart flags (`Multipart.Flags`). */
  flags: Uint.Uint16,
  /** Manufacturer description. */
  mfrDesc: DescText,
  /** Hardware description. */
  hwDesc: DescText,
  /** Software description. */
  swDesc: DescText,
  /** Serial number. */
  serialNum: SerialNumText,
  /** Human readable description of the datapath. */
  dpDesc: DescText
})
/** @category models @since 0.1.0 */
export type DescReply = typeof DescReply.Type

/**
 * A DESC request.
 *
 * @example
 * ```ts
 * import { Desc } from "@switchyard/openflow"
 *
 * const req = Desc.request
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const request: DescRequest = { _tag: "DescRequest", flags: 0 }
