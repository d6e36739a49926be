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

/** Registers one datapath's series (attribute `dpid`). */
export const registerDatapath = (context: Context.Context<never>, c: Connection): Array<Registration> => {
  const m = Metrics.forDatapath(c.dpid)
  return [
    counter(context, m.messagesReceived, () => c.counters.messagesReceived),
    counter(context, m.messagesSent, () => c.counters.messagesSent),
    counter(context, m.errorsSent, () => c.counters.errorsSent),
    counter(context, m.errorsReceived, () => c.counters.errorsReceived),
    gauge(context, m.sendQueueDepth, () => c.stats.sendQueueDepth),
    gauge(context, m.echoRoundTripSeconds, () => (c.lastEchoRttMillis ?? 0) / 1000)
  ]
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
