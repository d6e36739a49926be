/**
 * OFPT_ERROR: a peer reports that a message failed, with a type, a code and (part of) the
 * offending message.
 *
 * The numbers on the wire depend on the version (OpenFlow 1.0 numbers types differently);
 * {@link errorName} turns them into the spec's name. Experimenter errors (type 0xffff,
 * OpenFlow 1.2+) are a separate shape because their header carries an experimenter id.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as OpenFlowError from "./OpenFlowError.ts"
import * as Uint from "./Uint.ts"

/**
 * OFPT_ERROR with a standard type and code.
 *
 * @category models
 * @since 0.1.0
 */
export const ErrorMsg = Schema.TaggedStruct("ErrorMsg", {
  /** Any type but OFPET_EXPERIMENTER (0xffff): those errors are {@link ExperimenterErrorMsg}. */
  errorType: Uint.Uint16.check(Schema.makeFilter((type: number) => type !== OFPET_EXPERIMENTER, { expected: "an error type other than 0xffff (experimenter)" })),
  code: Uint.Uint16,
  /** Usually the start of the failed request; for HELLO_FAILED an ASCII explanation. */
  data: Schema.Uint8Array
})
/** @category models @since 0.1.0 */
export type ErrorMsg = typeof ErrorMsg.Type

/**
 * OFPT_ERROR of type OFPET_EXPERIMENTER (0xffff), OpenFlow 1.2+.
 *
 * @category models
 * @since 0.1.0
 */
export const ExperimenterErrorMsg = Schema.TaggedStruct("ExperimenterErrorMsg", {
  expType: Uint.Uint16,
  experimenter: Uint.Uint32,
  data: Schema.Uint8Array
})
/** @category models @since 0.1.0 */
export type ExperimenterErrorMsg = typeof ExperimenterErrorMsg.Type

/** The error type number of experimenter errors. @category constants @since 0.1.0 */
export const OFPET_EXPERIMENTER = 0xffff

/**
 * The spec name of a received error in a wire version, or `undefined` for numbers the
 * spec does not define there.
 *
 * @category accessors
 * @since 0.1.0
 */
export const errorName = (msg: ErrorMsg, version: number): OpenFlowError.ErrorName | undefined =>
  OpenFlowError.fromWire(version, msg.errorType, msg.code)

/**
 * The OFPT_ERROR answering `request` (raw bytes) with `error`, for a wire version.
 *
 * **Details**
 *
 * Carries all of the request that fits, as Open vSwitch does; the spec asks for at least
 * its first 64 bytes. Send it with the request's xid.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromError = (error: OpenFlowError.OpenFlowError, version: number, request: Uint8Array): ErrorMsg => {
  const { code, type } = OpenFlowError.toWire(error.code, version)
  return { _tag: "ErrorMsg", errorType: type, code, data: request.length > 0xffff - 12 ? request.subarray(0, 0xffff - 12) : request }
}

/**
 * A HELLO_FAILED/OFPHFC_INCOMPATIBLE error whose data explains the version mismatch in
 * ASCII, as the spec asks.
 *
 * @category constructors
 * @since 0.1.0
 */
export const incompatible = (explanation: string, version: number): ErrorMsg => {
  const { code, type } = OpenFlowError.toWire("OFPHFC_INCOMPATIBLE", version)
  const data = new Uint8Array(explanation.length)
  for (let i = 0; i < explanation.length; i++) data[i] = explanation.charCodeAt(i) & 0x7f
  return { _tag: "ErrorMsg", errorType: type, code, data }
}
