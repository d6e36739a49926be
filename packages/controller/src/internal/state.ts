/**
 * The state a controller shares with its connections: options, subscriptions, the
 * datapath registry, totals and the hooks connections call back into.
 */
import type { Hello, Version } from "@switchyard/openflow"
import type { Overflow } from "../Events.ts"
import type { Connection } from "./connection.ts"
import type { SubscriberIndex } from "./subscription.ts"

/** Controller options with every default applied and durations in milliseconds. */
export interface ResolvedOptions {
  readonly versions: ReadonlyArray<Version.Version>
  readonly sendQueueSize: number
  readonly echoIntervalMillis: number
  readonly maxUnrepliedEchoRequests: number
  readonly handshakeTimeoutMillis: number
  readonly requestTimeout: number
  readonly subscriberBuffer: number
  readonly overflow: Overflow
  readonly holdBytes: number
  readonly datapathMetrics: boolean
}

/** Controller-wide counters of rare events. */
export interface Totals {
  errorsSent: number
  eventsDropped: number
  /** Connections closed before reaching MAIN after their HELLO arrived or failed. */
  handshakeFailures: number
}

export interface ControllerState {
  readonly options: ResolvedOptions
  readonly ourHello: { readonly message: Hello.Hello; readonly version: Version.Version }
  readonly index: SubscriberIndex
  /** Datapaths in `MAIN`, by id. */
  readonly registry: Map<bigint, Connection>
  /** Every open connection, in any state. */
  readonly live: Set<Connection>
  readonly totals: Totals
  shuttingDown: boolean
  /** The current time from the controller's `Clock` (so `TestClock` drives it). */
  readonly nowMillis: () => number
  /** Registers a datapath's metric series (when enabled). */
  readonly registerMetrics: (connection: Connection) => void
  /** Removes them. */
  readonly unregisterMetrics: (connection: Connection) => void
}
