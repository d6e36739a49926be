/**
 * @switchyard/openflow: the OpenFlow wire protocol as typed values and a fast binary codec.
 *
 * @since 0.1.0
 */

/** OpenFlow protocol versions and their wire numbers. @since 0.1.0 */
export * as Version from "./Version.ts"

/** Schemas for the unsigned integer widths of the wire format. @since 0.1.0 */
export * as Uint from "./Uint.ts"

/** The 8-byte OpenFlow header and the message type numbers. @since 0.1.0 */
export * as Header from "./Header.ts"

/** Typed OpenFlow errors: what the codec returns and what goes back in OFPT_ERROR. @since 0.1.0 */
export * as OpenFlowError from "./OpenFlowError.ts"

/** The error for a message that cannot be put on the wire at all. @since 0.1.0 */
export * as EncodeError from "./EncodeError.ts"

/** The union of every OpenFlow message, and its decode and encode entry points. @since 0.1.0 */
export * as Message from "./Message.ts"

/** Encodes many messages into one reusable buffer. @since 0.1.0 */
export * as Encoder from "./Encoder.ts"

/** Splits a TCP byte stream into OpenFlow messages. @since 0.1.0 */
export * as Framing from "./Framing.ts"

/** OFPT_HELLO and version negotiation. @since 0.1.0 */
export * as Hello from "./Hello.ts"

/** OFPT_ERROR messages. @since 0.1.0 */
export * as ErrorMsg from "./ErrorMsg.ts"

/** OFPT_ECHO_REQUEST and OFPT_ECHO_REPLY. @since 0.1.0 */
export * as Echo from "./Echo.ts"

/** OFPT_EXPERIMENTER messages, kept opaque. @since 0.1.0 */
export * as Experimenter from "./Experimenter.ts"

/** OFPT_FEATURES_REQUEST and OFPT_FEATURES_REPLY. @since 0.1.0 */
export * as Features from "./Features.ts"

/** Port numbers and the reserved ports. @since 0.1.0 */
export * as Port from "./Port.ts"

/** OFPT_BARRIER_REQUEST and OFPT_BARRIER_REPLY. @since 0.1.0 */
export * as Barrier from "./Barrier.ts"
