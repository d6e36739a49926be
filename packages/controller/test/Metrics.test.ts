import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Logger from "effect/Logger"
import * as Metric from "effect/Metric"
import * as Logging from "../src/Logging.ts"
import * as Metrics from "../src/Metrics.ts"

// A fresh registry per test: the default one is shared by everything in the process.
const isolated = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.suspend(() => Effect.provideService(effect, Metric.MetricRegistry, new Map()))

describe("Metrics.prometheus", () => {
  it.effect("renders counters and gauges with sorted, escaped labels and one HELP/TYPE per name", () =>
    Effect.gen(function*() {
      const dp1 = Metrics.forDatapath(1n)
      const dp2 = Metrics.forDatapath(0xabcn)
      yield* Metric.update(dp2.messagesReceived, 7)
      yield* Metric.update(dp1.messagesReceived, 3)
      yield* Metric.update(dp1.sendQueueDepth, 5)
      yield* Metric.update(Metric.withAttributes(Metrics.switchConnectFailures, { address: "we\"ird\\host\n:1" }), 1)
      const text = Metrics.prometheus(yield* Metric.snapshot)
      assert.strictEqual(
        text,
        [
          "# HELP switchyard_messages_received_total OpenFlow messages received from the switch",
          "# TYPE switchyard_messages_received_total counter",
          "switchyard_messages_received_total{dpid=\"0000000000000001\"} 3",
          "switchyard_messages_received_total{dpid=\"0000000000000abc\"} 7",
          "# HELP switchyard_send_queue_depth Messages queued for sending to the switch",
          "# TYPE switchyard_send_queue_depth gauge",
          "switchyard_send_queue_depth{dpid=\"0000000000000001\"} 5",
          "# HELP switchyard_switch_connect_failures_total Failed attempts to connect to a configured switch address",
          "# TYPE switchyard_switch_connect_failures_total counter",
          "switchyard_switch_connect_failures_total{address=\"we\\\"ird\\\\host\\n:1\"} 1",
          ""
        ].join("\n")
      )
    }).pipe(isolated))

  it.effect("renders histograms cumulatively with +Inf, _sum and _count, frequencies with a key label", () =>
    Effect.gen(function*() {
      const rtt = Metric.histogram("rtt seconds", { description: "rtt", boundaries: [0.001, 0.01] })
      yield* Metric.update(rtt, 0.0005)
      yield* Metric.update(rtt, 0.005)
      yield* Metric.update(rtt, 0.5)
      const kinds = Metric.frequency("kinds", { description: "message kinds" })
      yield* Metric.update(kinds, "PacketIn")
      yield* Metric.update(kinds, "PacketIn")
      const text = Metrics.prometheus(yield* Metric.snapshot)
      assert.include(
        text,
        [
          "# TYPE rtt_seconds histogram",
          "rtt_seconds_bucket{le=\"0.001\"} 1",
          "rtt_seconds_bucket{le=\"0.01\"} 2",
          "rtt_seconds_bucket{le=\"+Inf\"} 3",
          "rtt_seconds_sum 0.5055",
          "rtt_seconds_count 3"
        ].join("\n")
      )
      assert.include(text, "# TYPE kinds counter\nkinds{key=\"PacketIn\"} 2\n")
    }).pipe(isolated))

  it.effect("removeDatapath drops every series of that datapath and no other", () =>
    Effect.gen(function*() {
      const gone = Metrics.forDatapath(1n)
      const kept = Metrics.forDatapath(2n)
      for (const dp of [gone, kept]) {
        yield* Metric.update(dp.messagesReceived, 1)
        yield* Metric.update(dp.messagesSent, 1)
        yield* Metric.update(dp.errorsSent, 1)
        yield* Metric.update(dp.errorsReceived, 1)
        yield* Metric.update(dp.sendQueueDepth, 1)
        yield* Metric.update(dp.echoRoundTripSeconds, 0.001)
      }
      yield* Metrics.removeDatapath(gone)
      const snapshots = yield* Metric.snapshot
      assert.strictEqual(snapshots.length, 6)
      assert.isTrue(snapshots.every((s) => s.attributes?.dpid === "0000000000000002"))
    }).pipe(isolated))

  it.effect("summary sums each metric over its series and always shows the core figures", () =>
    Effect.gen(function*() {
      assert.strictEqual(
        Metrics.summary(yield* Metric.snapshot),
        "connections_open=0 datapaths=0 errors_sent_total=0 events_dropped_total=0 messages_received_total=0 messages_sent_total=0"
      )
      yield* Metric.update(Metrics.forDatapath(1n).messagesReceived, 10)
      yield* Metric.update(Metrics.forDatapath(2n).messagesReceived, 5)
      yield* Metric.update(Metrics.datapaths, 2)
      yield* Metric.update(Metrics.forDatapath(1n).echoRoundTripSeconds, 0.0012345)
      assert.strictEqual(
        Metrics.summary(yield* Metric.snapshot),
        "connections_open=0 datapaths=2 echo_rtt_seconds=0.001234 errors_sent_total=0 events_dropped_total=0 messages_received_total=15 messages_sent_total=0"
      )
    }).pipe(isolated))
})

describe("Logging", () => {
  const capture = (level: "Info" | "Debug", program: Effect.Effect<void>) =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      yield* program.pipe(Effect.provide(Logging.layer({ level, format: "logfmt", write: (l) => lines.push(l) })))
      return lines.map((l) => l.replace(/^\S+Z /, "<time> "))
    })

  it.effect("one concise line: level, message, spans and annotations as key=value, quoted when needed", () =>
    Effect.gen(function*() {
      const lines = yield* capture(
        "Info",
        Effect.logInfo("datapath up", 3).pipe(Effect.annotateLogs({ dpid: "0000000000000001", remote: "10.0.0.1:53122", note: "a b" }))
      )
      assert.deepStrictEqual(lines, ["<time> INFO  datapath up 3 dpid=0000000000000001 remote=10.0.0.1:53122 note=\"a b\""])
    }))

  it.effect("a failure is summarized on the same line at Info; the stack follows only at Debug", () =>
    Effect.gen(function*() {
      const failing = Effect.logWarning("handshake failed", new Error("no common version")).pipe(Effect.asVoid)
      const withCause = Effect.logError("connection handler failed").pipe(
        Effect.andThen(Effect.die(new Error("boom"))),
        Effect.catchCause((cause) => Effect.logError("connection handler failed", cause))
      )
      const info = yield* capture("Info", Effect.andThen(failing, withCause))
      assert.strictEqual(info[0], "<time> WARN  handshake failed no common version")
      assert.strictEqual(info[2], "<time> ERROR connection handler failed cause=boom")
      assert.strictEqual(info.length, 3)
      const debug = yield* capture("Debug", withCause)
      assert.match(debug[1]!, /^<time> ERROR connection handler failed cause=boom\n {4}Error: boom\n {4}\s*at /)
    }))

  it.effect("the minimum level filters, and json format writes one object per line", () =>
    Effect.gen(function*() {
      const lines = yield* capture("Info", Effect.andThen(Effect.logDebug("hidden"), Effect.logInfo("shown")))
      assert.deepStrictEqual(lines, ["<time> INFO  shown"])
      const json: Array<string> = []
      yield* Effect.logInfo("hello").pipe(
        Effect.annotateLogs({ dpid: "01" }),
        Effect.provide(Logger.layer([Logging.make({ format: "json", write: (l) => json.push(l) })]))
      )
      const entry = JSON.parse(json[0]!)
      assert.strictEqual(entry.level, "INFO")
      assert.deepStrictEqual(entry.message, "hello")
      assert.deepStrictEqual(entry.annotations, { dpid: "01" })
    }))
})
