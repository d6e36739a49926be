/**
 * ICMP for IPv4 (RFC 792): echo for ping, and the error messages routers send.
 *
 * Every ICMP message starts with type, code and checksum; the next four bytes mean
 * different things per type (identifier and sequence for echo, the next-hop MTU for
 * "fragmentation needed", a gateway for redirects, unused for most errors). Echo messages
 * are decoded into identifier and sequence; every other type keeps the four bytes as
 * `rest`. What follows (echo data, or the offending packet's header in an error) is a
 * payload. The checksum covers the whole message and is computed on build.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Uint16, Uint32, Uint8 } from "./internal/schemas.ts"

/**
 * The body of an echo request or reply.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Echo = Schema.TaggedStruct("Echo", { identifier: Uint16, sequence: Uint16 })

/**
 * The second word of any other message, undecoded.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Other = Schema.TaggedStruct("Other", { rest: Uint32 })

/**
 * The second word of an ICMP message.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Body = Schema.Union([Echo, Other])

/**
 * A decoded second word.
 *
 * @category models
 * @since 0.1.0
 */
export type Body = typeof Body.Type

/**
 * An ICMP message header as decoded.
 *
 * **Details**
 *
 * `body` is `Echo` exactly for types 0 and 8; the builder writes whichever body it is
 * given, so a mismatched pair decodes back as `Other`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Icmp = Schema.TaggedStruct("Icmp", {
  type: Uint8,
  code: Uint8,
  checksum: Uint16,
  body: Body
})

/**
 * A decoded ICMP header.
 *
 * @category models
 * @since 0.1.0
 */
export type Icmp = typeof Icmp.Type

/**
 * What `Frame.build` accepts: the checksum is always computed and may be omitted.
 *
 * @category models
 * @since 0.1.0
 */
export interface Input {
  readonly _tag: "Icmp"
  readonly type: number
  readonly code: number
  readonly checksum?: number | undefined
  readonly body: Body
}

/**
 * The size of the header (type, code, checksum and the second word).
 *
 * @category constants
 * @since 0.1.0
 */
export const HEADER_LENGTH = 8

/** Echo reply. @category constants @since 0.1.0 */
export const ECHO_REPLY = 0
/** Destination unreachable. @category constants @since 0.1.0 */
export const DESTINATION_UNREACHABLE = 3
/** Redirect. @category constants @since 0.1.0 */
export const REDIRECT = 5
/** Echo request. @category constants @since 0.1.0 */
export const ECHO_REQUEST = 8
/** Time exceeded. @category constants @since 0.1.0 */
export const TIME_EXCEEDED = 11
/** Parameter problem. @category constants @since 0.1.0 */
export const PARAMETER_PROBLEM = 12

/**
 * `true` for the types whose second word is an identifier and a sequence number.
 *
 * @category predicates
 * @since 0.1.0
 */
export const isEcho = (type: number): boolean => type === ECHO_REQUEST || type === ECHO_REPLY

/**
 * Makes an ICMP header.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: {
  readonly type: number
  readonly code?: number | undefined
  readonly body?: Body | undefined
}): Input => ({
  _tag: "Icmp",
  type: options.type,
  code: options.code ?? 0,
  body: options.body ?? (isEcho(options.type) ? { _tag: "Echo", identifier: 0, sequence: 0 } : { _tag: "Other", rest: 0 })
})

/**
 * Makes an echo request (ping); put the data in a `Payload` after it.
 *
 * @category constructors
 * @since 0.1.0
 */
export const echoRequest = (options: { readonly identifier: number; readonly sequence: number }): Input => ({
  _tag: "Icmp",
  type: ECHO_REQUEST,
  code: 0,
  body: { _tag: "Echo", identifier: options.identifier, sequence: options.sequence }
})

/**
 * Makes the echo reply to a request, with the same identifier and sequence.
 *
 * @category constructors
 * @since 0.1.0
 */
export const echoReplyTo = (request: Icmp): Input => ({
  _tag: "Icmp",
  type: ECHO_REPLY,
  code: 0,
  body: request.body._tag === "Echo" ? request.body : { _tag: "Echo", identifier: 0, sequence: 0 }
})
