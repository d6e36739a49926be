/**
 * OFPT_EXPERIMENTER (OFPT_VENDOR in OpenFlow 1.0): vendor-defined messages, kept opaque.
 *
 * Switchyard does not interpret experimenter payloads; it keeps them byte for byte so a
 * message decoded and re-encoded is unchanged, and apps that know a vendor's format can
 * parse `data` themselves.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Uint from "./Uint.ts"

/**
 * OFPT_EXPERIMENTER.
 *
 * @category models
 * @since 0.1.0
 */
export const Experimenter = Schema.TaggedStruct("Experimenter", {
  experimenter: Uint.Uint32,
  /** The experimenter-defined type (absent on the wire in OpenFlow 1.0, where it is 0). */
  expType: Uint.Uint32,
  data: Schema.Uint8Array
})
/** @category models @since 0.1.0 */
export type Experimenter = typeof Experimenter.Type

/** Nicira's experimenter id (Open vSwitch extensions). @category constants @since 0.1.0 */
export const NICIRA = 0x0000_2320
/** The ONF's experimenter id. @category constants @since 0.1.0 */
export const ONF = 0x4f4e_4600
