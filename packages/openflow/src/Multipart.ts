/**
 * What every multipart request and reply shares: the flags, the `OFPMP_*` numbers, the
 * experimenter multipart messages, and the splitting and reassembly of a message sent
 * in several parts.
 *
 * OpenFlow 1.3 carries all statistics and descriptions in MULTIPART_REQUEST/REPLY
 * messages, each with a multipart type. A reply may not fit one message (64 KiB), so
 * the switch sends it in parts that share the request's xid, every part but the last
 * with `REPLY_MORE` set; a request may also be split (`REQ_MORE`, used by TABLE_FEATURES).
 * Each kind is its own message in Switchyard (`PortDescReply`, `FlowStatsReply`, ...)
 * whose first field is `flags`; {@link merge} and {@link assembler} turn the parts of one
 * reply back into a single value, so apps never see a partial list, and {@link split}
 * cuts a value that is too big for one message into parts (the switch side's job).
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import type * as Bundle from "./Bundle.ts"
import type * as ControllerStatus from "./ControllerStatus.ts"
import type * as Desc from "./Desc.ts"
import type * as FlowMonitor from "./FlowMonitor.ts"
import { EncodeError } from "./EncodeError.ts"
import type * as FlowStats from "./FlowStats.ts"
import { encodeInto } from "./internal/catalog.ts"
import { Writer } from "./internal/writer.ts"
import type * as GroupStats from "./GroupStats.ts"
import type { Message } from "./Message.ts"
import type * as MeterStats from "./MeterStats.ts"
import * as OpenFlowError from "./OpenFlowError.ts"
import type * as PortDesc from "./PortDesc.ts"
import type * as PortStats from "./PortStats.ts"
import type * as QueueDesc from "./QueueDesc.ts"
import type * as QueueStats from "./QueueStats.ts"
import type * as TableDesc from "./TableDesc.ts"
import type * as TableFeatures from "./TableFeatures.ts"
import type * as TableStats from "./TableStats.ts"
import * as Uint from "./Uint.ts"
import type * as Version from "./Version.ts"

/**
 * Multipart flags (`OFPMPF_*`): the first field of every multipart message.
 *
 * @category constants
 * @since 0.1.0
 */
export const Flags = {
  /** On a request: more request parts follow. */
  REQ_MORE: 1 << 0,
  /** On a reply: more reply parts follow. */
  REPLY_MORE: 1 << 0
} as const

/**
 * Multipart types (`OFPMP_*`) of OpenFlow 1.3, and those 1.4 and 1.5 added (1.5 renamed
 * FLOW to FLOW_DESC and METER_CONFIG to METER_DESC, keeping the numbers).
 *
 * @category constants
 * @since 0.1.0
 */
export const Type = {
  DESC: 0,
  FLOW: 1,
  AGGREGATE: 2,
  TABLE: 3,
  PORT_STATS: 4,
  QUEUE: 5,
  GROUP: 6,
  GROUP_DESC: 7,
  GROUP_FEATURES: 8,
  METER: 9,
  METER_CONFIG: 10,
  METER_FEATURES: 11,
  TABLE_FEATURES: 12,
  PORT_DESC: 13,
  /** OpenFlow 1.4+. */
  TABLE_DESC: 14,
  /** OpenFlow 1.4+. */
  QUEUE_DESC: 15,
  /** OpenFlow 1.4+. */
  FLOW_MONITOR: 16,
  /** OpenFlow 1.5: per-flow counters without instructions (`FlowStats.FlowCountersRequest`). */
  FLOW_STATS: 17,
  /** OpenFlow 1.5. */
  CONTROLLER_STATUS: 18,
  /** OpenFlow 1.5. */
  BUNDLE_FEATURES: 19,
  EXPERIMENTER: 0xffff
} as const

/**
 * An experimenter multipart request (`OFPMP_EXPERIMENTER`), its body kept byte for byte.
 *
 * @category models
 * @since 0.1.0
 */
export const ExperimenterMultipartRequest = Schema.TaggedStruct("ExperimenterMultipartRequest", {
  /** Multipart flags ({@link Flags}). */
  flags: Uint.Uint16,
  experimenter: Uint.Uint32,
  expType: Uint.Uint32,
  /** The experimenter-defined body; a view into the received message. */
  data: Schema.Uint8Array
})
/** @category models @since 0.1.0 */
export type ExperimenterMultipartRequest = typeof ExperimenterMultipartRequest.Type

/**
 * An experimenter multipart reply (`OFPMP_EXPERIMENTER`), its body kept byte for byte.
 *
 * @category models
 * @since 0.1.0
 */
export const ExperimenterMultipartReply = Schema.TaggedStruct("ExperimenterMultipartReply", {
  /** Multipart flags ({@link Flags}). */
  flags: Uint.Uint16,
  experimenter: Uint.Uint32,
  expType: Uint.Uint32,
  /** The experimenter-defined body; a view into the received message. */
  data: Schema.Uint8Array
})
/** @category models @since 0.1.0 */
export type ExperimenterMultipartReply = typeof ExperimenterMultipartReply.Type

/**
 * Every multipart request kind.
 *
 * @category models
 * @since 0.1.0
 */
export type Request =
  | Desc.DescRequest
  | FlowStats.FlowStatsRequest
  | FlowStats.AggregateStatsRequest
  | TableStats.TableStatsRequest
  | PortStats.PortStatsRequest
  | QueueStats.QueueStatsRequest
  | GroupStats.GroupStatsRequest
  | GroupStats.GroupDescRequest
  | GroupStats.GroupFeaturesRequest
  | MeterStats.MeterStatsRequest
  | MeterStats.MeterConfigRequest
  | MeterStats.MeterFeaturesRequest
  | TableFeatures.TableFeaturesRequest
  | PortDesc.PortDescRequest
  | TableDesc.TableDescRequest
  | QueueDesc.QueueDescRequest
  | FlowMonitor.FlowMonitorRequest
  | FlowStats.FlowCountersRequest
  | ControllerStatus.ControllerStatusRequest
  | Bundle.BundleFeaturesRequest
  | ExperimenterMultipartRequest

/**
 * Every multipart reply kind.
 *
 * @category models
 * @since 0.1.0
 */
export type Reply =
  | Desc.DescReply
  | FlowStats.FlowStatsReply
  | FlowStats.AggregateStatsReply
  | TableStats.TableStatsReply
  | PortStats.PortStatsReply
  | QueueStats.QueueStatsReply
  | GroupStats.GroupStatsReply
  | GroupStats.GroupDescReply
  | GroupStats.GroupFeaturesReply
  | MeterStats.MeterStatsReply
  | MeterStats.MeterConfigReply
  | MeterStats.MeterFeaturesReply
  | TableFeatures.TableFeaturesReply
  | PortDesc.PortDescReply
  | TableDesc.TableDescReply
  | QueueDesc.QueueDescReply
  | FlowMonitor.FlowMonitorReply
  | FlowStats.FlowCountersReply
  | ControllerStatus.ControllerStatusReply
  | Bundle.BundleFeaturesReply
  | ExperimenterMultipartReply

/** A multipart request or reply. @category models @since 0.1.0 */
export type Part = Request | Reply

/**
 * The reply kind that answers each request kind.
 *
 * @category constants
 * @since 0.1.0
 */
export const replyTag = {
  DescRequest: "DescReply",
  FlowStatsRequest: "FlowStatsReply",
  AggregateStatsRequest: "AggregateStatsReply",
  TableStatsRequest: "TableStatsReply",
  PortStatsRequest: "PortStatsReply",
  QueueStatsRequest: "QueueStatsReply",
  GroupStatsRequest: "GroupStatsReply",
  GroupDescRequest: "GroupDescReply",
  GroupFeaturesRequest: "GroupFeaturesReply",
  MeterStatsRequest: "MeterStatsReply",
  MeterConfigRequest: "MeterConfigReply",
  MeterFeaturesRequest: "MeterFeaturesReply",
  TableFeaturesRequest: "TableFeaturesReply",
  PortDescRequest: "PortDescReply",
  TableDescRequest: "TableDescReply",
  QueueDescRequest: "QueueDescReply",
  FlowMonitorRequest: "FlowMonitorReply",
  FlowCountersRequest: "FlowCountersReply",
  ControllerStatusRequest: "ControllerStatusReply",
  BundleFeaturesRequest: "BundleFeaturesReply",
  ExperimenterMultipartRequest: "ExperimenterMultipartReply"
} as const satisfies { readonly [T in Request["_tag"]]: Reply["_tag"] }

/** The reply type answering request type `R`. @category models @since 0.1.0 */
export type ReplyFor<R extends Request> = Extract<Reply, { readonly _tag: (typeof replyTag)[R["_tag"]] }>

// For each kind whose body is a list of entries, the field holding the list: the parts
// of a split message are joined by concatenating it. Kinds absent here have a single
// fixed body and cannot be split, except the experimenter kinds, whose opaque bodies
// are concatenated.
const listField: { readonly [tag: string]: string } = {
  FlowStatsReply: "stats",
  TableStatsReply: "stats",
  PortStatsReply: "stats",
  QueueStatsReply: "stats",
  GroupStatsReply: "stats",
  GroupDescReply: "groups",
  MeterStatsReply: "stats",
  MeterConfigReply: "meters",
  TableFeaturesRequest: "tables",
  TableFeaturesReply: "tables",
  PortDescReply: "ports",
  TableDescReply: "tables",
  QueueDescReply: "queues",
  FlowMonitorRequest: "monitors",
  FlowMonitorReply: "updates",
  FlowCountersReply: "flows",
  ControllerStatusReply: "controllers"
}

const requestTags: ReadonlySet<string> = new Set(Object.keys(replyTag))
const replyTags: ReadonlySet<string> = new Set(Object.values(replyTag))

/** `true` for a multipart request of any kind. @category guards @since 0.1.0 */
export const isRequest = (message: Message): message is Message & Request => requestTags.has(message._tag)

/** `true` for a multipart reply of any kind. @category guards @since 0.1.0 */
export const isReply = (message: Message): message is Message & Reply => replyTags.has(message._tag)

/**
 * `true` when more parts of this message follow (`REPLY_MORE` on a reply, `REQ_MORE` on a
 * request: the same bit).
 *
 * @category predicates
 * @since 0.1.0
 */
export const hasMore = (part: { readonly flags: number }): boolean => (part.flags & Flags.REPLY_MORE) !== 0

/**
 * Joins the parts of one split multipart message into one value.
 *
 * **When to use**
 *
 * When every part has arrived: the request/reply machinery collects the replies that
 * share a request's xid until one arrives without `REPLY_MORE`, then merges them. A
 * switch receiving a request split with `REQ_MORE` (TABLE_FEATURES) does the same.
 * {@link assembler} does the collecting too.
 *
 * **Details**
 *
 * The contract:
 *
 * - `parts` are in arrival order, all of the same kind (same `_tag`; for the
 *   experimenter kinds also the same `experimenter` and `expType`), every part but the
 *   last has the more-flag set and the last has it clear. Anything else fails with
 *   `OFPBRC_BAD_MULTIPART`, as does an empty array.
 * - A kind whose body is a list (statistics entries, ports, meters, groups, tables) gets
 *   the lists concatenated in order; the other fields come from the first part.
 * - A kind with a single fixed body (DESC, AGGREGATE, GROUP_FEATURES, METER_FEATURES and
 *   the requests without a body) cannot be split: more than one part fails with
 *   `OFPBRC_BAD_MULTIPART`.
 * - Experimenter bodies are concatenated into a new buffer.
 * - The result has the last part's flags (so the more-flag is clear). A single part
 *   without the more-flag is returned as it is, without copying.
 *
 * **Gotchas**
 *
 * Entries are not copied: byte fields inside them remain views into the frames they
 * were decoded from.
 *
 * @example
 * ```ts
 * import { Multipart, PortDesc } from "@switchyard/openflow"
 * import { Result } from "effect"
 *
 * const parts: Array<PortDesc.PortDescReply> = [
 *   { _tag: "PortDescReply", flags: Multipart.Flags.REPLY_MORE, ports: [] },
 *   { _tag: "PortDescReply", flags: 0, ports: [] }
 * ]
 * const whole = Multipart.merge(parts) // Result.succeed({ _tag: "PortDescReply", flags: 0, ports: [] })
 * ```
 *
 * @category combinators
 * @since 0.1.0
 */
export const merge = <P extends Part>(parts: ReadonlyArray<P>): Result.Result<P, OpenFlowError.OpenFlowError> => {
  const first = parts[0]
  if (first === undefined) return Result.fail(OpenFlowError.make("OFPBRC_BAD_MULTIPART", "no multipart parts to merge"))
  const last = parts.length - 1
  for (let i = 0; i <= last; i++) {
    const part = parts[i]!
    if (part._tag !== first._tag) {
      return Result.fail(OpenFlowError.make("OFPBRC_BAD_MULTIPART", `part ${i + 1} is a ${part._tag}, part 1 a ${first._tag}`))
    }
    if (hasMore(part) !== (i < last)) {
      return Result.fail(
        OpenFlowError.make(
          "OFPBRC_BAD_MULTIPART",
          i < last
            ? `part ${i + 1} of ${parts.length} ${first._tag} parts does not have the more-flag set`
            : `the last ${first._tag} part still has the more-flag set`
        )
      )
    }
  }
  if (parts.length === 1) return Result.succeed(first)
  const field = listField[first._tag]
  if (field !== undefined) {
    const joined: Array<unknown> = []
    for (const part of parts) {
      for (const entry of (part as unknown as Record<string, ReadonlyArray<unknown>>)[field]!) joined.push(entry)
    }
    return Result.succeed({ ...first, flags: parts[last]!.flags, [field]: joined })
  }
  if (first._tag === "ExperimenterMultipartRequest" || first._tag === "ExperimenterMultipartReply") {
    let size = 0
    for (const part of parts as ReadonlyArray<ExperimenterMultipartRequest | ExperimenterMultipartReply>) {
      if (part.experimenter !== first.experimenter || part.expType !== first.expType) {
        return Result.fail(
          OpenFlowError.make(
            "OFPBRC_BAD_MULTIPART",
            `experimenter parts disagree: ${first.experimenter}/${first.expType} then ${part.experimenter}/${part.expType}`
          )
        )
      }
      size += part.data.length
    }
    const data = new Uint8Array(size)
    let at = 0
    for (const part of parts as ReadonlyArray<ExperimenterMultipartRequest | ExperimenterMultipartReply>) {
      data.set(part.data, at)
      at += part.data.length
    }
    return Result.succeed({ ...first, flags: parts[last]!.flags, data })
  }
  return Result.fail(OpenFlowError.make("OFPBRC_BAD_MULTIPART", `a ${first._tag} has a single body and cannot come in ${parts.length} parts`))
}

/**
 * Collects the reply parts of one request; see {@link assembler}.
 *
 * @category models
 * @since 0.1.0
 */
export interface Assembler<R extends Reply> {
  /**
   * Adds the next message received with the request's xid. Returns the merged reply
   * when this was the last part, `undefined` while more parts are expected, or the
   * error that ends the exchange (wrong kind, too many parts, inconsistent parts).
   */
  readonly add: (message: Message) => R | OpenFlowError.OpenFlowError | undefined
  /** Parts received so far. */
  readonly size: () => number
}

/**
 * A collector for the replies to `request`, bounded in the number of parts it keeps.
 *
 * **When to use**
 *
 * In the controller's request/reply path: create one per multipart request, feed it
 * every reply that carries the request's xid, and resolve the request when it returns
 * a value.
 *
 * **Details**
 *
 * A message of another kind than the request's reply fails with `OFPBRC_BAD_MULTIPART`
 * (an OFPT_ERROR answering the request is the caller's to handle before calling `add`).
 * More than `maxParts` parts (default 4096, about 256 MiB of replies) fails with
 * `OFPBRC_MULTIPART_BUFFER_OVERFLOW`, so a switch that never clears `REPLY_MORE` cannot
 * grow the controller's memory without limit. After a result or an error, further
 * calls fail.
 *
 * @example
 * ```ts
 * import { Multipart, PortDesc } from "@switchyard/openflow"
 *
 * const a = Multipart.assembler(PortDesc.request)
 * a.add({ _tag: "PortDescReply", flags: Multipart.Flags.REPLY_MORE, ports: [] }) // undefined
 * a.add({ _tag: "PortDescReply", flags: 0, ports: [] })                          // the merged reply
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const assembler = <R extends Request>(
  request: R,
  options?: { readonly maxParts?: number }
): Assembler<ReplyFor<R>> => {
  const expected: string = replyTag[request._tag]
  const maxParts = options?.maxParts ?? 4096
  let parts: Array<Reply> | undefined = []
  return {
    size: () => parts?.length ?? 0,
    add: (message) => {
      if (parts === undefined) return OpenFlowError.make("OFPBRC_BAD_MULTIPART", `the ${expected} is already complete`)
      if (message._tag !== expected) {
        parts = undefined
        return OpenFlowError.make("OFPBRC_BAD_MULTIPART", `expected a ${expected}, received a ${message._tag}`)
      }
      const part = message as Reply
      if (parts.length >= maxParts) {
        parts = undefined
        return OpenFlowError.make("OFPBRC_MULTIPART_BUFFER_OVERFLOW", `more than ${maxParts} ${expected} parts`)
      }
      parts.push(part)
      if (hasMore(part)) return undefined
      const result = merge(parts)
      parts = undefined
      return Result.isSuccess(result) ? (result.success as ReplyFor<R>) : result.failure
    }
  }
}

/** Bytes of the OpenFlow header plus the multipart header (OpenFlow 1.1+). */
const HEADERS = 16

/**
 * Splits a multipart message into parts that each fit `maxLength` bytes on the wire,
 * the inverse of {@link merge}.
 *
 * **When to use**
 *
 * On the switch side (the fake switch, a proxy): a PORT_DESC reply for more than about
 * a thousand ports, or a FLOW reply for a big table, does not fit one 64 KiB message.
 * Encode each returned part with the request's xid.
 *
 * **Details**
 *
 * List kinds are cut between entries, packing as many entries into each part as fit;
 * experimenter bodies are cut at arbitrary bytes. Every part but the last gets the
 * more-flag, the last has `message.flags` without it. A message that fits is the only
 * part (returned as it is when its more-flag is clear). `merge(split(m))` gives `m` back
 * with the more-flag clear.
 *
 * An entry that alone does not fit a part, and a single-body kind that does not fit,
 * fail with an `EncodeError`; so does any value that does not fit its wire field.
 *
 * @example
 * ```ts
 * import { Multipart, PortDesc, Version } from "@switchyard/openflow"
 * import { Result } from "effect"
 *
 * const reply: PortDesc.PortDescReply = { _tag: "PortDescReply", flags: 0, ports: [] }
 * const parts = Multipart.split(reply, Version.OF13) // Result.succeed([reply])
 * ```
 *
 * @category combinators
 * @since 0.1.0
 */
export const split = <P extends Part>(
  message: P,
  version: Version.Version,
  maxLength = 0xffff
): Result.Result<Array<P>, OpenFlowError.OpenFlowError | EncodeError> => {
  const w = new Writer(version, 1024)
  const sizeOf = (m: Part): number | OpenFlowError.OpenFlowError | EncodeError => {
    w.reset(version)
    const error = encodeInto(w, m, 0)
    return error ?? w.pos
  }
  const last = message.flags & ~Flags.REPLY_MORE
  const moreFlags = message.flags | Flags.REPLY_MORE
  const lastPart = (): P => (message.flags === last ? message : { ...message, flags: last })
  const field = listField[message._tag]
  if (field !== undefined) {
    // Sizes are measured entry by entry (a message with one entry minus one with none),
    // because the whole message may be too long to encode at all.
    const entries = (message as unknown as Record<string, ReadonlyArray<unknown>>)[field]!
    const empty = sizeOf({ ...message, [field]: [] } as P)
    if (typeof empty !== "number") return Result.fail(empty)
    const parts: Array<P> = []
    let current: Array<unknown> = []
    let size = empty
    for (const entry of entries) {
      const one = sizeOf({ ...message, [field]: [entry] } as P)
      if (typeof one !== "number") return Result.fail(one)
      const entrySize = one - empty
      if (empty + entrySize > maxLength) {
        return Result.fail(
          new EncodeError({ messageTag: message._tag, message: `an entry of ${entrySize} bytes does not fit a ${maxLength}-byte message` })
        )
      }
      if (size + entrySize > maxLength) {
        parts.push({ ...message, flags: moreFlags, [field]: current })
        current = []
        size = empty
      }
      current.push(entry)
      size += entrySize
    }
    parts.push(parts.length === 0 ? lastPart() : { ...message, flags: last, [field]: current })
    return Result.succeed(parts)
  }
  if (message._tag === "ExperimenterMultipartRequest" || message._tag === "ExperimenterMultipartReply") {
    const room = maxLength - HEADERS - 8
    const data = message.data
    if (data.length <= room) return Result.succeed([lastPart()])
    if (room <= 0) return Result.fail(new EncodeError({ messageTag: message._tag, message: `${maxLength} bytes leave no room for a body` }))
    const parts: Array<P> = []
    for (let at = 0; at < data.length; at += room) {
      const end = Math.min(at + room, data.length)
      parts.push({ ...message, flags: end < data.length ? moreFlags : last, data: data.subarray(at, end) })
    }
    return Result.succeed(parts)
  }
  const whole = sizeOf(message)
  if (typeof whole !== "number") return Result.fail(whole)
  if (whole <= maxLength) return Result.succeed([lastPart()])
  return Result.fail(
    new EncodeError({ messageTag: message._tag, message: `a ${message._tag} of ${whole} bytes has a single body and cannot be split to ${maxLength} bytes` })
  )
}
