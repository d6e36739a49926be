/**
 * The 8-byte OpenFlow header and the message type numbers.
 *
 * Every OpenFlow message starts with `version u8, type u8, length u16, xid u32`, big-endian.
 * The type numbers of OpenFlow 1.1 and later are shared; OpenFlow 1.0 numbers the same
 * messages differently from 15 upward, which is why type numbers are looked up per version
 * (see {@link typeName}). The accessors read straight from the bytes so framing and dispatch
 * never allocate a header object.
 *
 * @since 0.1.0
 */

/** Size of the OpenFlow header in bytes. @category constants @since 0.1.0 */
export const SIZE = 8

/**
 * A decoded header.
 *
 * @category models
 * @since 0.1.0
 */
export interface Header {
  readonly version: number
  readonly type: number
  readonly length: number
  readonly xid: number
}

/** The version byte of the message at `offset`. @category accessors @since 0.1.0 */
export const version = (bytes: Uint8Array, offset = 0): number => bytes[offset]!

/** The type byte of the message at `offset`. @category accessors @since 0.1.0 */
export const type = (bytes: Uint8Array, offset = 0): number => bytes[offset + 1]!

/** The 16-bit length of the message at `offset`, header included. @category accessors @since 0.1.0 */
export const length = (bytes: Uint8Array, offset = 0): number => (bytes[offset + 2]! << 8) | bytes[offset + 3]!

/** The transaction id of the message at `offset`. @category accessors @since 0.1.0 */
export const xid = (bytes: Uint8Array, offset = 0): number =>
  ((bytes[offset + 4]! << 24) >>> 0) + ((bytes[offset + 5]! << 16) | (bytes[offset + 6]! << 8) | bytes[offset + 7]!)

/**
 * Reads the header at `offset`; `undefined` when fewer than 8 bytes are there.
 *
 * @category decoding
 * @since 0.1.0
 */
export const read = (bytes: Uint8Array, offset = 0): Header | undefined =>
  bytes.length - offset < SIZE
    ? undefined
    : { version: version(bytes, offset), type: type(bytes, offset), length: length(bytes, offset), xid: xid(bytes, offset) }

/**
 * Writes a header at `offset`. The caller guarantees 8 bytes of space.
 *
 * @category encoding
 * @since 0.1.0
 */
export const write = (bytes: Uint8Array, offset: number, header: Header): void => {
  bytes[offset] = header.version
  bytes[offset + 1] = header.type
  bytes[offset + 2] = header.length >>> 8
  bytes[offset + 3] = header.length
  bytes[offset + 4] = header.xid >>> 24
  bytes[offset + 5] = header.xid >>> 16
  bytes[offset + 6] = header.xid >>> 8
  bytes[offset + 7] = header.xid
}

/**
 * Message type numbers of OpenFlow 1.1 and later (`OFPT_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const OFPT = {
  HELLO: 0,
  ERROR: 1,
  ECHO_REQUEST: 2,
  ECHO_REPLY: 3,
  EXPERIMENTER: 4,
  FEATURES_REQUEST: 5,
  FEATURES_REPLY: 6,
  GET_CONFIG_REQUEST: 7,
  GET_CONFIG_REPLY: 8,
  SET_CONFIG: 9,
  PACKET_IN: 10,
  FLOW_REMOVED: 11,
  PORT_STATUS: 12,
  PACKET_OUT: 13,
  FLOW_MOD: 14,
  GROUP_MOD: 15,
  PORT_MOD: 16,
  TABLE_MOD: 17,
  MULTIPART_REQUEST: 18,
  MULTIPART_REPLY: 19,
  BARRIER_REQUEST: 20,
  BARRIER_REPLY: 21,
  QUEUE_GET_CONFIG_REQUEST: 22,
  QUEUE_GET_CONFIG_REPLY: 23,
  ROLE_REQUEST: 24,
  ROLE_REPLY: 25,
  GET_ASYNC_REQUEST: 26,
  GET_ASYNC_REPLY: 27,
  SET_ASYNC: 28,
  METER_MOD: 29,
  ROLE_STATUS: 30,
  TABLE_STATUS: 31,
  REQUESTFORWARD: 32,
  BUNDLE_CONTROL: 33,
  BUNDLE_ADD_MESSAGE: 34,
  CONTROLLER_STATUS: 35
} as const

/**
 * Message type numbers of OpenFlow 1.0 (`OFPT10_*`), which differ from 1.1+ from
 * PORT_MOD onwards.
 *
 * @category constants
 * @since 0.1.0
 */
export const OFPT10 = {
  HELLO: 0,
  ERROR: 1,
  ECHO_REQUEST: 2,
  ECHO_REPLY: 3,
  VENDOR: 4,
  FEATURES_REQUEST: 5,
  FEATURES_REPLY: 6,
  GET_CONFIG_REQUEST: 7,
  GET_CONFIG_REPLY: 8,
  SET_CONFIG: 9,
  PACKET_IN: 10,
  FLOW_REMOVED: 11,
  PORT_STATUS: 12,
  PACKET_OUT: 13,
  FLOW_MOD: 14,
  PORT_MOD: 15,
  STATS_REQUEST: 16,
  STATS_REPLY: 17,
  BARRIER_REQUEST: 18,
  BARRIER_REPLY: 19,
  QUEUE_GET_CONFIG_REQUEST: 20,
  QUEUE_GET_CONFIG_REPLY: 21
} as const

const names11 = Object.fromEntries(Object.entries(OFPT).map(([k, v]) => [v, `OFPT_${k}`])) as Record<number, string>
const names10 = Object.fromEntries(Object.entries(OFPT10).map(([k, v]) => [v, `OFPT_${k}`])) as Record<number, string>

/**
 * The spec name of a type number in a wire version (`OFPT_FLOW_MOD`), or `undefined`.
 *
 * @category formatting
 * @since 0.1.0
 */
export const typeName = (version: number, type: number): string | undefined =>
  version === 1 ? names10[type] : names11[type]
