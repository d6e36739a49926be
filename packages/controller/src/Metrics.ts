/**
 * The controller's metrics: their definitions (one place, so names stay stable), the
 * per-datapath series, and two ways to read them: Prometheus text over HTTP and a
 * periodic summary line in the log.
 *
 * Metrics in a controller are awkward in two ways. They sit on the hot path (a counter per
 * message received is a counter per packet-in), so updating them must cost a map lookup and
 * an addition, not an Effect; and they are keyed by switches that come and go, so a series
 * per datapath must be removed when the datapath leaves, or a flapping switch fleet grows
 * the registry forever. Everything here is built on `effect` `Metric`, so any exporter
 * that reads `Metric.snapshot` (OTLP included) sees the same values.
 *
 * Recording: listener metrics are recorded by `NodeListener`; datapath metrics by the
 * runtime, once per batch, through the `…Unsafe` updates:
 * `Metric.updateUnsafe(dp.messagesReceived, n, context)`.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as References from "effect/References"
import * as Schedule from "effect/Schedule"
import type { ServeError } from "effect/http/HttpServerError"
import * as LogLevel from "effect/LogLevel"

// ---------------------------------------------------------------------------------------
// Listener metrics (recorded by NodeListener)
// ---------------------------------------------------------------------------------------

/**
 * Connections handed to the runtime, by `transport` (`tcp`, `tls`, `active`).
 *
 * @category listener
 * @since 0.1.0
 */
export const connectionsTotal: Metric.Counter<number> = Metric.counter("switchyard_connections_total", {
  description: "Switch connections accepted or dialled, by transport",
  incremental: true
})

/**
 * Connections currently being served, by `transport`.
 *
 * @category listener
 * @since 0.1.0
 */
export const connectionsOpen: Metric.Gauge<number> = Metric.gauge("switchyard_connections_open", {
  description: "Switch connections currently open, by transport"
})

/**
 * Connection handlers that failed or died (they are logged; the listener carries on).
 *
 * @category listener
 * @since 0.1.0
 */
export const connectionHandlerFailures: Metric.Counter<number> = Metric.counter(
  "switchyard_connection_handler_failures_total",
  { description: "Connection handlers that ended with a failure or defect", incremental: true }
)

/**
 * Failed attempts to dial a switch of `--ofp-switch-address-list`, by `address`.
 *
 * @category listener
 * @since 0.1.0
 */
export const switchConnectFailures: Metric.Counter<number> = Metric.counter(
  "switchyard_switch_connect_failures_total",
  { description: "Failed attempts to connect to a configured switch address", incremental: true }
)

// ---------------------------------------------------------------------------------------
// Multi-worker metrics (recorded by the primary of `--workers N`; the workers' own series
// are exported beside them with a `worker` label)
// ---------------------------------------------------------------------------------------

/**
 * Worker processes ready to take switches.
 *
 * @category workers
 * @since 0.1.0
 */
export const workersReady: Metric.Gauge<number> = Metric.gauge("switchyard_workers_ready", {
  description: "Worker processes ready to take switches"
})

/**
 * Worker processes that exited unexpectedly and were restarted, by `worker`.
 *
 * @category workers
 * @since 0.1.0
 */
export const workerRestarts: Metric.Counter<number> = Metric.counter("switchyard_worker_restarts_total", {
  description: "Worker processes restarted after an unexpected exit",
  incremental: true
})

// ---------------------------------------------------------------------------------------
// Runtime metrics (recorded by the Controller)
// ---------------------------------------------------------------------------------------

/**
 * Datapaths currently connected (handshake completed).
 *
 * @category runtime
 * @since 0.1.0
 */
export const datapaths: Metric.Gauge<number> = Metric.gauge("switchyard_datapaths", {
  description: "Datapaths connected and past the handshake"
})

/**
 * Handshakes that failed (no HELLO in common, timeout, malformed FEATURES_REPLY, …).
 *
 * @category runtime
 * @since 0.1.0
 */
export const handshakeFailures: Metric.Counter<number> = Metric.counter("switchyard_handshake_failures_total", {
  description: "Connections closed before the handshake completed",
  incremental: true
})

/**
 * Events an app subscription discarded because the app fell behind, by `app` when known.
 *
 * @category runtime
 * @since 0.1.0
 */
export const eventsDropped: Metric.Counter<number> = Metric.counter("switchyard_events_dropped_total", {
  description: "Events discarded by full app subscriptions",
  incremental: true
})

/**
 * OpenFlow messages received, per `dpid`.
 *
 * @category datapath
 * @since 0.1.0
 */
export const messagesReceived: Metric.Counter<number> = Metric.counter("switchyard_messages_received_total", {
  description: "OpenFlow messages received from the switch",
  incremental: true
})

/**
 * OpenFlow messages sent, per `dpid`.
 *
 * @category datapath
 * @since 0.1.0
 */
export const messagesSent: Metric.Counter<number> = Metric.counter("switchyard_messages_sent_total", {
  description: "OpenFlow messages sent to the switch",
  incremental: true
})

/**
 * OFPT_ERROR messages the controller sent (malformed or unsupported input), per `dpid`.
 *
 * @category datapath
 * @since 0.1.0
 */
export const errorsSent: Metric.Counter<number> = Metric.counter("switchyard_errors_sent_total", {
  description: "OFPT_ERROR messages sent to the switch",
  incremental: true
})

/**
 * OFPT_ERROR messages received from the switch, per `dpid`.
 *
 * @category datapath
 * @since 0.1.0
 */
export const errorsReceived: Metric.Counter<number> = Metric.counter("switchyard_errors_received_total", {
  description: "OFPT_ERROR messages received from the switch",
  incremental: true
})

/**
 * Messages waiting in the send queue, per `dpid`.
 *
 * @category datapath
 * @since 0.1.0
 */
export const sendQueueDepth: Metric.Gauge<number> = Metric.gauge("switchyard_send_queue_depth", {
  description: "Messages queued for sending to the switch"
})

/**
 * The last echo round-trip time in seconds, per `dpid`.
 *
 * @category datapath
 * @since 0.1.0
 */
export const echoRoundTripSeconds: Metric.Gauge<number> = Metric.gauge("switchyard_echo_rtt_seconds", {
  description: "Round-trip time of the last answered ECHO_REQUEST"
})

/**
 * The metric series of one datapath: the datapath metrics with a `dpid` attribute
 * (16 hex digits, as Ryu and OVS print it).
 *
 * @category models
 * @since 0.1.0
 */
export interface DatapathMetrics {
  readonly dpid: string
  readonly messagesReceived: Metric.Counter<number>
  readonly messagesSent: Metric.Counter<number>
  readonly errorsSent: Metric.Counter<number>
  readonly errorsReceived: Metric.Counter<number>
  readonly sendQueueDepth: Metric.Gauge<number>
  readonly echoRoundTripSeconds: Metric.Gauge<number>
}

/**
 * The series of one datapath.
 *
 * **When to use**
 *
 * Call once when a datapath's handshake completes, keep the result with the datapath,
 * update it per batch, and call `removeDatapath` when the datapath goes away.
 *
 * **Details**
 *
 * Each metric is a `Metric.withAttributes` copy carrying `dpid`; updating it is a map
 * lookup in the registry plus the arithmetic, so use the `…Unsafe` updates with the
 * fiber's context on hot paths.
 *
 * @example
 * ```ts
 * import { Effect, Metric } from "effect"
 * import { Metrics } from "@switchyard/controller"
 *
 * const program = Effect.gen(function*() {
 *   const dp = Metrics.forDatapath(1n)
 *   const context = yield* Effect.context<never>()
 *   Metric.updateUnsafe(dp.messagesReceived, 64, context) // one call per batch of 64
 *   yield* Metrics.removeDatapath(dp)
 * })
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const forDatapath = (dpid: bigint): DatapathMetrics => {
  const id = dpid.toString(16).padStart(16, "0")
  const attributes = { dpid: id }
  return {
    dpid: id,
    messagesReceived: Metric.withAttributes(messagesReceived, attributes),
    messagesSent: Metric.withAttributes(messagesSent, attributes),
    errorsSent: Metric.withAttributes(errorsSent, attributes),
    errorsReceived: Metric.withAttributes(errorsReceived, attributes),
    sendQueueDepth: Metric.withAttributes(sendQueueDepth, attributes),
    echoRoundTripSeconds: Metric.withAttributes(echoRoundTripSeconds, attributes)
  }
}

/**
 * Removes every series of a datapath from the registry, so departed switches do not
 * accumulate.
 *
 * @category constructors
 * @since 0.1.0
 */
export const removeDatapath = (metrics: DatapathMetrics): Effect.Effect<void> =>
  Effect.all([
    Metric.remove(metrics.messagesReceived),
    Metric.remove(metrics.messagesSent),
    Metric.remove(metrics.errorsSent),
    Metric.remove(metrics.errorsReceived),
    Metric.remove(metrics.sendQueueDepth),
    Metric.remove(metrics.echoRoundTripSeconds)
  ], { discard: true })

// ---------------------------------------------------------------------------------------
// Reading: Prometheus text and a summary line
// ---------------------------------------------------------------------------------------

const sanitizeName = (name: string): string => {
  const s = name.replace(/[^a-zA-Z0-9_:]/g, "_")
  return /^[a-zA-Z_:]/.test(s) ? s : `_${s}`
}

const escapeLabel = (value: string): string =>
  value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, "\\\"")

const escapeHelp = (value: string): string => value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")

const labels = (attributes: Metric.Metric.AttributeSet | undefined, extra?: readonly [string, string]): string => {
  const parts: Array<string> = []
  if (attributes !== undefined) {
    for (const key of Object.keys(attributes).sort()) {
      parts.push(`${sanitizeName(key)}="${escapeLabel(attributes[key]!)}"`)
    }
  }
  if (extra !== undefined) parts.push(`${extra[0]}="${escapeLabel(extra[1])}"`)
  return parts.length === 0 ? "" : `{${parts.join(",")}}`
}

const num = (value: number | bigint): string =>
  typeof value === "bigint"
    ? value.toString()
    : Number.isNaN(value)
    ? "NaN"
    : value === Infinity
    ? "+Inf"
    : value === -Infinity
    ? "-Inf"
    : String(value)

const promType = (type: Metric.Metric.Type): string =>
  type === "Counter" || type === "Frequency" ? "counter" : type === "Gauge" ? "gauge" : type === "Histogram"
  ? "histogram"
  : "summary"

/**
 * Renders metric snapshots in the Prometheus text exposition format (version 0.0.4).
 *
 * **Details**
 *
 * One `# HELP`/`# TYPE` block per metric name, series sorted by name then labels.
 * Counters and gauges become one sample per series; a `Frequency` becomes a counter with a
 * `key` label; histograms get cumulative `_bucket{le=…}` samples (always ending with
 * `+Inf`), `_sum` and `_count`; summaries get `{quantile=…}` samples, `_sum` and `_count`.
 * Names and label names are sanitized to `[a-zA-Z_:][a-zA-Z0-9_:]*`; label values are
 * escaped.
 *
 * @example
 * ```ts
 * import { Effect, Metric } from "effect"
 * import { Metrics } from "@switchyard/controller"
 *
 * const text = Effect.map(Metric.snapshot, Metrics.prometheus)
 * ```
 *
 * @category formatting
 * @since 0.1.0
 */
export const prometheus = (snapshots: ReadonlyArray<Metric.Metric.Snapshot>): string => {
  const byName = new Map<string, Array<Metric.Metric.Snapshot>>()
  for (const snapshot of snapshots) {
    const name = sanitizeName(snapshot.id)
    const group = byName.get(name)
    if (group === undefined) byName.set(name, [snapshot])
    else group.push(snapshot)
  }
  const out: Array<string> = []
  for (const name of [...byName.keys()].sort()) {
    const group = byName.get(name)!.sort((a, b) => labels(a.attributes).localeCompare(labels(b.attributes)))
    const first = group[0]!
    if (first.description !== undefined) out.push(`# HELP ${name} ${escapeHelp(first.description)}`)
    out.push(`# TYPE ${name} ${promType(first.type)}`)
    for (const s of group) {
      switch (s.type) {
        case "Counter":
          out.push(`${name}${labels(s.attributes)} ${num(s.state.count)}`)
          break
        case "Gauge":
          out.push(`${name}${labels(s.attributes)} ${num(s.state.value)}`)
          break
        case "Frequency":
          for (const [key, count] of s.state.occurrences) {
            out.push(`${name}${labels(s.attributes, ["key", key])} ${num(count)}`)
          }
          break
        case "Histogram": {
          let sawInf = false
          for (const [le, count] of s.state.buckets) {
            if (le === Infinity) sawInf = true
            out.push(`${name}_bucket${labels(s.attributes, ["le", num(le)])} ${num(count)}`)
          }
          if (!sawInf) out.push(`${name}_bucket${labels(s.attributes, ["le", "+Inf"])} ${num(s.state.count)}`)
          out.push(`${name}_sum${labels(s.attributes)} ${num(s.state.sum)}`)
          out.push(`${name}_count${labels(s.attributes)} ${num(s.state.count)}`)
          break
        }
        case "Summary":
          for (const [q, value] of s.state.quantiles) {
            out.push(`${name}${labels(s.attributes, ["quantile", String(q)])} ${num(value ?? NaN)}`)
          }
          out.push(`${name}_sum${labels(s.attributes)} ${num(s.state.sum)}`)
          out.push(`${name}_count${labels(s.attributes)} ${num(s.state.count)}`)
          break
      }
    }
  }
  return out.length === 0 ? "" : out.join("\n") + "\n"
}

/**
 * A one-line summary of the metrics: counters and gauges summed over their series
 * (all datapaths together), histograms and summaries by their count, the `switchyard_`
 * prefix dropped, sorted by name; the core figures appear even before they are recorded.
 *
 * @example
 * ```ts
 * // "connections_open=64 datapaths=64 messages_received_total=12800 ..."
 * ```
 *
 * @category formatting
 * @since 0.1.0
 */
export const summary = (snapshots: ReadonlyArray<Metric.Metric.Snapshot>): string => {
  // The core figures are always shown, at 0 before they are first recorded (series are
  // created lazily), so successive lines line up.
  const totals = new Map<string, number>(SUMMARY_CORE.map((id) => [id, 0]))
  for (const s of snapshots) {
    let value: number | undefined
    if (s.type === "Counter") value = Number(s.state.count)
    else if (s.type === "Gauge") value = Number(s.state.value)
    else if (s.type === "Histogram" || s.type === "Summary") value = s.state.count
    if (value === undefined) continue
    const id = sanitizeName(s.id)
    const name = id.startsWith("switchyard_") ? id.slice("switchyard_".length) : id
    totals.set(name, (totals.get(name) ?? 0) + value)
  }
  return [...totals.keys()].sort().map((k) => `${k}=${round(totals.get(k)!)}`).join(" ")
}

const SUMMARY_CORE = [
  "connections_open",
  "datapaths",
  "messages_received_total",
  "messages_sent_total",
  "errors_sent_total",
  "events_dropped_total"
]

const round = (n: number): string => Number.isInteger(n) ? String(n) : n.toPrecision(4)

/**
 * Logs `summary` at Debug level every `interval`, starting one interval after the layer is
 * built; does nothing when the interval is zero or the minimum log level is above Debug.
 *
 * @category layers
 * @since 0.1.0
 */
export const layerSummaryLog = (interval: Duration.Input): Layer.Layer<never> =>
  Layer.effectDiscard(Effect.gen(function*() {
    const every = Duration.fromInputUnsafe(interval)
    const minimum = yield* References.MinimumLogLevel
    if (Duration.isZero(every) || LogLevel.isGreaterThan(minimum, "Debug")) return
    yield* Metric.snapshot.pipe(
      Effect.flatMap((snapshots) => Effect.logDebug(`metrics ${summary(snapshots)}`)),
      Effect.delay(every),
      Effect.repeat(Schedule.forever),
      Effect.forkScoped
    )
  }))

/**
 * Serves `prometheus(Metric.snapshot)` at `GET /metrics` on `host:port` (port 0 picks a
 * free port), and logs the URL once listening.
 *
 * **Details**
 *
 * Built on `effect/http` with `NodeHttpServer`, loaded only when this layer is built, so
 * programs without a metrics port do not pay for the HTTP stack at start-up. Any other
 * path answers 404. The server closes with the layer's scope. Fails with `ServeError` when
 * the port cannot be bound.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { Metrics } from "@switchyard/controller"
 *
 * const WithMetrics = Metrics.layerHttp({ host: "127.0.0.1", port: 9100 })
 * ```
 *
 * @category layers
 * @since 0.1.0
 */
export const layerHttp = (options: {
  readonly host: string
  readonly port: number
}): Layer.Layer<never, ServeError> =>
  Layer.unwrap(
    Effect.map(
      Effect.promise(() => import("./internal/metricsHttp.ts")),
      (http) => http.layer(options, prometheus)
    )
  )
