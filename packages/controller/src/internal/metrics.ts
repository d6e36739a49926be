/**
 * The runtime's metrics, registered into Effect's `Metric` registry under the names and
 * descriptions defined in `Metrics.ts`.
 *
 * Counters live as plain numbers on the connections (incrementing a field is all the
 * read loop can afford per message); the series registered here read them when a
 * snapshot is taken, through `Metric.registerUnsafe` hooks, so the hot path never looks
 * up the registry. Per-datapath series carry the `dpid` attribute and are removed when
 * the datapath closes, so the registry does not grow with every switch that ever
 * connected.
 *
 * Memory matters here as much as speed: a datapath has six series, and ten thousand idle
 * switches should not cost sixty thousand heavy registry entries; see `DatapathSeries`.
 */
import type * as Context from "effect/Context"
import * as Metric from "effect/Metric"
import * as Metrics from "../Metrics.ts"
import type { Connection } from "./connection.ts"
import type { ControllerState } from "./state.ts"
import type { Subscriber } from "./subscription.ts"

type Registration = { readonly remove: () => void }

const noop = () => {}

const counter = (context: Context.Context<never>, metric: Metric.Counter<number>, get: () => number): Registration =>
  Metric.registerUnsafe(metric, context, { get: () => ({ count: get(), incremental: true }), update: noop, modify: noop })

const gauge = (context: Context.Context<never>, metric: Metric.Gauge<number>, get: () => number): Registration =>
  Metric.registerUnsafe(metric, context, { get: () => ({ value: get() }), update: noop, modify: noop })

/** Registers the controller-wide series; returns their registrations. */
export const registerController = (context: Context.Context<never>, state: ControllerState): Array<Registration> => [
  gauge(context, Metrics.datapaths, () => state.registry.size),
  counter(context, Metrics.handshakeFailures, () => state.totals.handshakeFailures)
]

// What each per-datapath series reads, in registration order.
const series = [
  { metric: Metrics.messagesReceived, read: (c: Connection) => c.counters.messagesReceived },
  { metric: Metrics.messagesSent, read: (c: Connection) => c.counters.messagesSent },
  { metric: Metrics.errorsSent, read: (c: Connection) => c.counters.errorsSent },
  { metric: Metrics.errorsReceived, read: (c: Connection) => c.counters.errorsReceived },
  { metric: Metrics.sendQueueDepth, read: (c: Connection) => c.stats.sendQueueDepth },
  { metric: Metrics.echoRoundTripSeconds, read: (c: Connection) => (c.lastEchoRttMillis ?? 0) / 1000 }
] as const

/**
 * One per-datapath series, entered in the registry directly: the object is both the
 * registry's metadata and its hooks, so a series costs one small object, a short key and
 * a map entry (through `Metric.registerUnsafe` it costs about three times that, mostly
 * in its JSON key). The `Metrics.ts` metric of the same name is never updated per
 * datapath, so no other entry competes with these.
 */
class DatapathSeries {
  readonly id: string
  readonly type: Metric.Metric.Type
  readonly description: string | undefined
  readonly attributes: Metric.Metric.AttributeSet
  readonly hooks: DatapathSeries
  private readonly connection: Connection
  private readonly index: number

  constructor(index: number, connection: Connection, attributes: Metric.Metric.AttributeSet) {
    const metric = series[index]!.metric
    this.id = metric.id
    this.type = metric.type
    this.description = metric.description
    this.attributes = attributes
    this.hooks = this
    this.connection = connection
    this.index = index
  }

  get(): Metric.CounterState<number> | Metric.GaugeState<number> {
    const value = series[this.index]!.read(this.connection)
    return this.type === "Counter" ? { count: value, incremental: true } : { value }
  }

  update(): void {}

  modify(): void {}
}

// Registry keys: numbers (the connection's `metricsBase` plus the series index), outside
// the space of Effect's JSON string keys, so they cannot collide with its entries and cost
// no string per series.
let nextBase = 0
const seriesKey = (c: Connection, index: number): string => (c.metricsBase + index) as unknown as string

/** Registers one datapath's series (attribute `dpid`); `unregisterDatapath` removes them. */
export const registerDatapath = (registry: Metric.MetricRegistry, c: Connection): void => {
  c.metricsBase = nextBase
  nextBase += series.length
  const attributes = { dpid: c.id }
  for (let i = 0; i < series.length; i++) registry.set(seriesKey(c, i), new DatapathSeries(i, c, attributes))
}

/** Removes one datapath's series. */
export const unregisterDatapath = (registry: Metric.MetricRegistry, c: Connection): void => {
  for (let i = 0; i < series.length; i++) registry.delete(seriesKey(c, i))
}

/** The buffered events of one subscription, by `app` (the subscription's name). */
export const subscriberDepth: Metric.Gauge<number> = Metric.gauge("switchyard_subscriber_buffer_depth", {
  description: "Events waiting in an app subscription's buffer"
})

/** Registers one subscription's series (attribute `app`). */
export const registerSubscriber = (context: Context.Context<never>, s: Subscriber): Array<Registration> => {
  const attributes = { app: s.name }
  return [
    gauge(context, Metric.withAttributes(subscriberDepth, attributes), () => s.size),
    counter(context, Metric.withAttributes(Metrics.eventsDropped, attributes), () => s.dropped)
  ]
}
