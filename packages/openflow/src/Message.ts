/**
 * The union of every OpenFlow message, and the entry points that decode and encode one.
 *
 * A message value is the version-free meaning of an OpenFlow message (its `_tag` is the
 * message kind, never a wire type number, in the way Open vSwitch separates `ofptype`
 * from `ofpraw`); the version and transaction id travel next to it in an
 * {@link Envelope}. The same value encodes to whichever version a connection negotiated.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import * as Barrier from "./Barrier.ts"
import * as Echo from "./Echo.ts"
import type { EncodeError } from "./EncodeError.ts"
import * as ErrorMsg from "./ErrorMsg.ts"
import * as Experimenter from "./Experimenter.ts"
import * as Features from "./Features.ts"
import * as Hello from "./Hello.ts"
import * as Async from "./Async.ts"
import * as Desc from "./Desc.ts"
import * as FlowStats from "./FlowStats.ts"
import * as GroupStats from "./GroupStats.ts"
import * as MeterMod from "./MeterMod.ts"
import * as MeterStats from "./MeterStats.ts"
import * as Multipart from "./Multipart.ts"
import * as PortDesc from "./PortDesc.ts"
import * as PortMod from "./PortMod.ts"
import * as PortStats from "./PortStats.ts"
import * as PortStatus from "./PortStatus.ts"
import * as QueueConfig from "./QueueConfig.ts"
import * as QueueStats from "./QueueStats.ts"
import * as Role from "./Role.ts"
import * as SwitchConfig from "./SwitchConfig.ts"
import * as TableFeatures from "./TableFeatures.ts"
import * as TableMod from "./TableMod.ts"
import * as TableDesc from "./TableDesc.ts"
import * as QueueDesc from "./QueueDesc.ts"
import * as FlowMonitor from "./FlowMonitor.ts"
import * as ControllerStatus from "./ControllerStatus.ts"
import * as Bundle from "./Bundle.ts"
import * as RequestForward from "./RequestForward.ts"
import * as TableStats from "./TableStats.ts"
import * as FlowMod from "./FlowMod.ts"
import * as FlowRemoved from "./FlowRemoved.ts"
import * as GroupMod from "./GroupMod.ts"
import * as PacketIn from "./PacketIn.ts"
import * as PacketOut from "./PacketOut.ts"
import { canEncode, decodeBody as decodeBodyInternal, encodeInto } from "./internal/catalog.ts"
import { nested } from "./internal/nested.ts"
import { Writer } from "./internal/writer.ts"
import * as OpenFlowError from "./OpenFlowError.ts"
import * as Uint from "./Uint.ts"
import * as Version from "./Version.ts"

/**
 * Schema of every message kind.
 *
 * **When to use**
 *
 * For untrusted structured input (JSON for `switchyard ofp encode`), for the JSON form
 * (`Schema.toCodecJson(Message)`), and for property tests (`Schema` arbitraries). The
 * binary codec never runs it: decoded messages are plain objects of this type.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Message = Schema.Union([
  Hello.Hello,
  ErrorMsg.ErrorMsg,
  ErrorMsg.ExperimenterErrorMsg,
  Echo.EchoRequest,
  Echo.EchoReply,
  Experimenter.Experimenter,
  Features.FeaturesRequest,
  Features.FeaturesReply,
  Barrier.BarrierRequest,
  Barrier.BarrierReply,
  SwitchConfig.GetConfigRequest,
  SwitchConfig.GetConfigReply,
  SwitchConfig.SetConfig,
  PortStatus.PortStatus,
  PortMod.PortMod,
  TableMod.TableMod,
  TableDesc.TableStatus,
  RequestForward.RequestForward,
  Bundle.BundleControl,
  Bundle.BundleAddMessage,
  ControllerStatus.ControllerStatus,
  MeterMod.MeterMod,
  Role.RoleRequest,
  Role.RoleReply,
  Role.RoleStatus,
  Async.GetAsyncRequest,
  Async.GetAsyncReply,
  Async.SetAsync,
  QueueConfig.QueueGetConfigRequest,
  QueueConfig.QueueGetConfigReply,
  Desc.DescRequest,
  Desc.DescReply,
  FlowStats.FlowStatsRequest,
  FlowStats.FlowStatsReply,
  FlowStats.AggregateStatsRequest,
  FlowStats.AggregateStatsReply,
  FlowStats.FlowCountersRequest,
  FlowStats.FlowCountersReply,
  TableStats.TableStatsRequest,
  TableStats.TableStatsReply,
  PortStats.PortStatsRequest,
  PortStats.PortStatsReply,
  PortDesc.PortDescRequest,
  PortDesc.PortDescReply,
  QueueStats.QueueStatsRequest,
  QueueStats.QueueStatsReply,
  GroupStats.GroupStatsRequest,
  GroupStats.GroupStatsReply,
  GroupStats.GroupDescRequest,
  GroupStats.GroupDescReply,
  GroupStats.GroupFeaturesRequest,
  GroupStats.GroupFeaturesReply,
  MeterStats.MeterStatsRequest,
  MeterStats.MeterStatsReply,
  MeterStats.MeterConfigRequest,
  MeterStats.MeterConfigReply,
  MeterStats.MeterFeaturesRequest,
  MeterStats.MeterFeaturesReply,
  TableFeatures.TableFeaturesRequest,
  TableFeatures.TableFeaturesReply,
  TableDesc.TableDescRequest,
  TableDesc.TableDescReply,
  QueueDesc.QueueDescRequest,
  QueueDesc.QueueDescReply,
  FlowMonitor.FlowMonitorRequest,
  FlowMonitor.FlowMonitorReply,
  ControllerStatus.ControllerStatusRequest,
  ControllerStatus.ControllerStatusReply,
  Bundle.BundleFeaturesRequest,
  Bundle.BundleFeaturesReply,
  Multipart.ExperimenterMultipartRequest,
  Multipart.ExperimenterMultipartReply,
  FlowMod.FlowMod,
  PacketIn.PacketIn,
  PacketOut.PacketOut,
  FlowRemoved.FlowRemoved,
  GroupMod.GroupMod
])

// The Schema of a message inside a message (BUNDLE_ADD_MESSAGE) is this union.
nested.schema = () => Message

/**
 * Any OpenFlow message.
 *
 * @category models
 * @since 0.1.0
 */
export type Message = typeof Message.Type

/**
 * The message kind names (`"FlowMod"`, `"PacketIn"`, ...).
 *
 * @category models
 * @since 0.1.0
 */
export type Tag = Message["_tag"]

/**
 * The message type of one kind: `Of<"PacketIn">` is `PacketIn`.
 *
 * @category models
 * @since 0.1.0
 */
export type Of<T extends Tag> = Extract<Message, { readonly _tag: T }>

/**
 * A message with the header fields that are not part of its meaning.
 *
 * @category models
 * @since 0.1.0
 */
export interface Envelope<M extends Message = Message> {
  readonly version: Version.Version
  readonly xid: number
  readonly message: M
}

/**
 * Schema of an {@link Envelope}, the JSON form the CLI reads and writes.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Envelope = Schema.Struct({
  version: Version.Version,
  xid: Uint.Uint32,
  message: Message
})

/**
 * Decodes one complete message: `bytes` holds exactly one message, header included (as
 * framing delivers it).
 *
 * **Details**
 *
 * Never throws. Malformed input fails with the {@link OpenFlowError.OpenFlowError} to send
 * back (`OFPBRC_BAD_LEN`, `OFPBRC_BAD_TYPE`, `OFPBMC_BAD_PREREQ`, ...).
 *
 * **Gotchas**
 *
 * Byte fields of the result (packet data, payloads) are views into `bytes`, not copies:
 * copy them if you keep them after `bytes` is reused.
 *
 * `lenient: true` decodes structure only: matches a controller sends (FLOW_MOD, flow-stats
 * requests) are not checked for OXM prerequisites (§7.2.3.8) or unknown fields. Strict is
 * the default because it is what a switch enforces (Open vSwitch answers
 * `OFPBMC_BAD_PREREQ`); lenient is for reading captures of what some other encoder wrote.
 *
 * @example
 * ```ts
 * import { Message } from "@switchyard/openflow"
 * import { Result } from "effect"
 *
 * const result = Message.decode(Uint8Array.of(4, 2, 0, 8, 0, 0, 0, 7))
 * if (Result.isSuccess(result)) result.success.message // { _tag: "EchoRequest", data: ... }
 * ```
 *
 * @category decoding
 * @since 0.1.0
 */
export const decode = (
  bytes: Uint8Array,
  options?: { readonly lenient?: boolean | undefined }
): Result.Result<Envelope, OpenFlowError.OpenFlowError> => {
  const message = decodeBodyInternal(bytes, options?.lenient === true)
  if (OpenFlowError.isOpenFlowError(message)) return Result.fail(message)
  return Result.succeed({
    version: bytes[0] as Version.Version,
    xid: ((bytes[4]! << 24) >>> 0) + ((bytes[5]! << 16) | (bytes[6]! << 8) | bytes[7]!),
    message: message as Message
  })
}

/**
 * The allocation-light core of {@link decode}: returns the message or the error, without
 * wrapping either. The version and xid are in the header bytes (see `Header`).
 *
 * **When to use**
 *
 * In a batch loop that already owns the frame, as the controller's read path does.
 *
 * **Gotchas**
 *
 * Always strict (there is no `lenient` option), and byte fields are views into `bytes`,
 * as with {@link decode}.
 *
 * @category decoding
 * @since 0.1.0
 */
export const decodeMessage = (bytes: Uint8Array): Message | OpenFlowError.OpenFlowError =>
  decodeBodyInternal(bytes) as Message | OpenFlowError.OpenFlowError

/**
 * Encodes a message in a wire version with a transaction id.
 *
 * **Details**
 *
 * Semantic problems the switch would reject (a match field without its prerequisite, a
 * duplicated field) fail with that {@link OpenFlowError.OpenFlowError}; values that do not
 * fit their wire fields fail with an `EncodeError`. To encode many messages into one
 * buffer, use `Encoder`. `lenient: true` skips the OXM prerequisite checks, to reproduce a
 * message exactly as another encoder wrote it (see {@link decode}).
 *
 * @example
 * ```ts
 * import { Echo, Message, Version } from "@switchyard/openflow"
 *
 * const bytes = Message.encode(Echo.request(), { version: Version.OF13, xid: 1 })
 * ```
 *
 * @category encoding
 * @since 0.1.0
 */
export const encode = (
  message: Message,
  options: { readonly version: Version.Version; readonly xid: number; readonly lenient?: boolean | undefined }
): Result.Result<Uint8Array, OpenFlowError.OpenFlowError | EncodeError> => {
  const w = scratch.reset(options.version)
  w.lenient = options.lenient === true
  const error = encodeInto(w, message, options.xid)
  w.lenient = false
  return error === undefined ? Result.succeed(w.copy()) : Result.fail(error)
}

// One writer reused by every `encode` call, so a call allocates only its result: encoding
// is synchronous and never re-entered, and `copy` hands out a fresh array.
const scratch = new Writer(4, 4096)

/**
 * `true` when this codec can encode message kind `tag` in wire version `version`.
 *
 * @category predicates
 * @since 0.1.0
 */
export const isEncodable = (tag: Tag, version: number): boolean => canEncode(tag, version)
