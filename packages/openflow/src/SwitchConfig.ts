/**
 * OFPT_GET_CONFIG_REQUEST/REPLY and OFPT_SET_CONFIG: the switch-wide configuration.
 *
 * There are only two settings: how IP fragments are handled (`flags`) and how many bytes
 * of a packet a table-miss PACKET_IN carries when the packet is buffered
 * (`missSendLen`). The second one matters more than it looks: with the default of 128
 * a controller that needs whole packets must set {@link NO_BUFFER}, or it will see
 * truncated frames and have to reference switch buffers in its PACKET_OUTs. SET_CONFIG
 * has no reply; send a barrier or a GET_CONFIG_REQUEST to learn that it was applied.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Uint from "./Uint.ts"

/** OFPT_GET_CONFIG_REQUEST. @category models @since 0.1.0 */
export const GetConfigRequest = Schema.TaggedStruct("GetConfigRequest", {})
/** @category models @since 0.1.0 */
export type GetConfigRequest = typeof GetConfigRequest.Type

/**
 * OFPT_GET_CONFIG_REPLY (OpenFlow 1.3 §7.3.2).
 *
 * @category models
 * @since 0.1.0
 */
export const GetConfigReply = Schema.TaggedStruct("GetConfigReply", {
  /** Bitmap of {@link Flags}. */
  flags: Uint.Uint16,
  /** Bytes of a table-miss packet sent to the controller; {@link NO_BUFFER} for all. */
  missSendLen: Uint.Uint16
})
/** @category models @since 0.1.0 */
export type GetConfigReply = typeof GetConfigReply.Type

/**
 * OFPT_SET_CONFIG (OpenFlow 1.3 §7.3.2).
 *
 * @category models
 * @since 0.1.0
 */
export const SetConfig = Schema.TaggedStruct("SetConfig", {
  /** Bitmap of {@link Flags}. */
  flags: Uint.Uint16,
  /** Bytes of a table-miss packet sent to the controller; {@link NO_BUFFER} for all. */
  missSendLen: Uint.Uint16
})
/** @category models @since 0.1.0 */
export type SetConfig = typeof SetConfig.Type

/**
 * Configuration flags (`OFPC_*`): the IP fragment handling mode in the low two bits.
 *
 * @category constants
 * @since 0.1.0
 */
export const Flags = {
  /** No special handling for fragments. */
  FRAG_NORMAL: 0,
  /** Drop fragments. */
  FRAG_DROP: 1,
  /** Reassemble (only if the switch has the IP_REASM capability). */
  FRAG_REASM: 2,
  /** The bits of the fragment mode. */
  FRAG_MASK: 3
} as const

/**
 * `missSendLen` value asking the switch not to buffer table-miss packets and to send
 * them whole (`OFPCML_NO_BUFFER`).
 *
 * @category constants
 * @since 0.1.0
 */
export const NO_BUFFER = 0xffff

/** The largest `missSendLen` that still asks for buffering (`OFPCML_MAX`). @category constants @since 0.1.0 */
export const MAX = 0xffe5

/** The switch's default `missSendLen` (`OFP_DEFAULT_MISS_SEND_LEN`). @category constants @since 0.1.0 */
export const DEFAULT_MISS_SEND_LEN = 128

/** A GET_CONFIG_REQUEST. @category constructors @since 0.1.0 */
export const getConfig: GetConfigRequest = { _tag: "GetConfigRequest" }

/**
 * A SET_CONFIG; by default normal fragment handling and whole packets to the controller.
 *
 * @example
 * ```ts
 * import { SwitchConfig } from "@switchyard/openflow"
 *
 * const whole = SwitchConfig.set()                       // missSendLen = NO_BUFFER
 * const short = SwitchConfig.set({ missSendLen: 128 })
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const set = (options?: { readonly flags?: number; readonly missSendLen?: number }): SetConfig => ({
  _tag: "SetConfig",
  flags: options?.flags ?? Flags.FRAG_NORMAL,
  missSendLen: options?.missSendLen ?? NO_BUFFER
})
