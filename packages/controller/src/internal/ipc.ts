/**
 * The messages between the multi-worker primary and its workers, and how a worker learns
 * who it is.
 *
 * The channel is Node's child-process IPC with the "advanced" serialization (structured
 * clone), so datapath ids cross it as `bigint`s and shared values keep their `Map`s and
 * byte arrays. A switch connection crosses it too: the primary sends the accepted socket
 * as the message's handle, and from then on the worker owns it. Every message carries a
 * `_tag` starting with `sy:`, so anything else arriving on the channel (an app's own
 * `process.send`) is told apart and ignored.
 */
import type { ChangeMessage, Op, OpResult } from "./shared.ts"

/** The environment variable that makes a process a worker; its value is `WorkerInit` as JSON. */
export const WORKER_ENV = "SWITCHYARD_WORKER_INIT"

/** What a worker is told when it is started. */
export interface WorkerInit {
  /** 1 to `count`. */
  readonly id: number
  readonly count: number
  /** The primary's listening sockets, in order: a `Connection` message names one by index. */
  readonly listeners: ReadonlyArray<{ readonly transport: "tcp" | "tls"; readonly label: string }>
}

/** Messages from the primary to a worker. */
export type ToWorker =
  /** The message's handle is an accepted switch socket, from `listeners[listener]`. */
  | { readonly _tag: "sy:Connection"; readonly listener: number }
  /** Close this worker's session `session` of datapath `dpid`: it reconnected through worker `by`. */
  | { readonly _tag: "sy:Drop"; readonly dpid: bigint; readonly session: number; readonly by: number }
  | { readonly _tag: "sy:SharedReply"; readonly id: number; readonly result: OpResult }
  | { readonly _tag: "sy:SharedChange"; readonly change: ChangeMessage }
  | { readonly _tag: "sy:MetricsRequest"; readonly id: number }
  /** Stop serving and exit: close every switch, then the apps. */
  | { readonly _tag: "sy:Shutdown" }

/** Messages from a worker to the primary. */
export type ToPrimary =
  /** The apps are built and the listener is ready: the worker can take switches. */
  | { readonly _tag: "sy:Ready" }
  /** A socket handed to this worker has closed (for least-connections dispatch). */
  | { readonly _tag: "sy:Closed" }
  /**
   * Datapath `dpid` is up here as session `session` (numbered by this worker), its
   * handshake completed at `at` (milliseconds since the epoch, sub-millisecond precision).
   */
  | { readonly _tag: "sy:Up"; readonly dpid: bigint; readonly session: number; readonly at: number }
  | { readonly _tag: "sy:Down"; readonly dpid: bigint; readonly session: number }
  | { readonly _tag: "sy:Shared"; readonly id: number; readonly op: Op }
  /** Send this worker the changes of map `map` from now on. */
  | { readonly _tag: "sy:Watch"; readonly map: string }
  | { readonly _tag: "sy:Metrics"; readonly id: number; readonly snapshots: ReadonlyArray<SnapshotData> }

/** A metric snapshot as plain data (what `Metric.snapshot` returns, without prototypes). */
export interface SnapshotData {
  readonly id: string
  readonly type: string
  readonly description: string | undefined
  readonly attributes: Readonly<Record<string, string>> | undefined
  readonly state: unknown
}

/** Whether `message` is one of ours (`_tag` starting with `sy:`). */
export const isMessage = (message: unknown): message is { readonly _tag: string } =>
  typeof message === "object" && message !== null && typeof (message as { _tag?: unknown })._tag === "string" &&
  (message as { _tag: string })._tag.startsWith("sy:")

/**
 * The worker's identity when this process was started as one (the environment variable
 * is set and an IPC channel exists), `undefined` otherwise. A malformed value is a bug
 * of the primary, thrown as a defect rather than taken for "not a worker" (which would
 * make this process a primary of its own).
 */
export const workerInit = (): WorkerInit | undefined => {
  const raw = process.env[WORKER_ENV]
  if (raw === undefined || typeof process.send !== "function") return undefined
  const init = JSON.parse(raw) as WorkerInit
  if (!Number.isInteger(init.id) || !Number.isInteger(init.count) || !Array.isArray(init.listeners)) {
    throw new Error(`${WORKER_ENV} is malformed: ${raw}`)
  }
  return init
}
