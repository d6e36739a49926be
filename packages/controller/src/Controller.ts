/**
 * The controller: the service apps use to follow switches and their messages, and the
 * `serve` entry point a listener feeds connections to.
 *
 * This is what Ryu's `OpenFlowController`, `Datapath` and `ofp_handler` do with
 * greenlets, done with fibers. Each connection is one supervised fiber that frames,
 * decodes, answers echo, runs the handshake (HELLO negotiation, FEATURES, PORT_DESC) and
 * publishes typed events; apps are Layers that subscribe to those events and run in
 * their own fibers. The awkward parts are the ones Ryu gets wrong: a slow app must not
 * stall every switch's receive loop, keepalive must be on and must not blame the switch
 * for time the controller spent not reading, a request must not hang when its switch
 * reconnects, a reconnect must not leak the old socket, and one malformed message must
 * cost one OFPT_ERROR, not the connection or the process.
 *
 * @since 0.1.0
 */
import { type Message, Version } from "@switchyard/openflow"
import * as Channel from "effect/Channel"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as Option from "effect/Option"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as ControllerConfig from "./ControllerConfig.ts"
import type { Datapath } from "./Datapath.ts"
import type * as Events from "./Events.ts"
import * as Handshake from "./Handshake.ts"
import { Connection } from "./internal/connection.ts"
import * as InternalMetrics from "./internal/metrics.ts"
import type { ControllerState, ResolvedOptions } from "./internal/state.ts"
import { Subscriber, SubscriberIndex } from "./internal/subscription.ts"
import type * as Listener from "./Listener.ts"

/**
 * Options of {@link layer}. Each overrides the matching field of the `ControllerConfig`
 * in context (whose defaults apply otherwise).
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  /**
   * Versions to offer in HELLO (default: every version the codec supports,
   * `Version.supported`). Offering one the codec does not support is a defect.
   */
  readonly versions?: ReadonlyArray<Version.Version> | undefined
  /** Batches a datapath's send queue holds before senders wait (Ryu: 16). */
  readonly sendQueueSize?: number | undefined
  /** Idle time after which the controller sends ECHO_REQUEST (Ryu: 15 seconds). */
  readonly echoRequestInterval?: Duration.Input | undefined
  /** Unanswered echo requests after which the switch is dropped; 0 turns keepalive off. */
  readonly maximumUnrepliedEchoRequests?: number | undefined
  /** Time a switch has from connecting to reaching `MAIN`; 0 for no limit. */
  readonly handshakeTimeout?: Duration.Input | undefined
  /** Default deadline of `Datapath.request`. */
  readonly requestTimeout?: Duration.Input | undefined
  /** Events a subscription buffers before its overflow policy applies. */
  readonly subscriberBufferSize?: number | undefined
  /** Default overflow policy of subscriptions. */
  readonly subscriberOverflow?: Events.Overflow | undefined
  /**
   * Bytes of events one datapath may hold back for full `"suspend"` subscriptions
   * before it stops reading from its switch (default 256 KiB).
   */
  readonly holdBytes?: number | undefined
  /** Register per-datapath metric series (default `true`). */
  readonly datapathMetrics?: boolean | undefined
}

/**
 * The controller service.
 *
 * @category models
 * @since 0.1.0
 */
export interface Service {
  /**
   * Serves one switch connection in the calling fiber until it closes: handshake, read
   * loop, events, cleanup. Never fails. Interrupting it closes the connection and waits
   * for its cleanup; the controller itself ends it by interruption too when it drops
   * the connection (a newer connection with the same datapath id, keepalive, `close`).
   * This is the handler `Listener.run` takes.
   */
  readonly serve: (connection: Listener.Connection) => Effect.Effect<void>

  /**
   * Subscribes to messages of the given kinds; the stream's elements are precisely typed
   * (`messages("PacketIn")` yields events whose `message` is a `PacketIn`).
   *
   * **Details**
   *
   * The subscription exists from the moment this effect runs until its scope closes or
   * its stream ends, so an app that subscribes while its layer is built misses nothing,
   * and a consumer that stops (a `Stream.take` satisfied) leaves nothing behind. Each
   * chunk of the stream is one batch of events from one datapath, in arrival order;
   * consume with `Stream.runForEachArray` and answer a batch with one `sendAll`. The
   * stream runs once.
   */
  readonly messages: <const T extends Message.Tag>(
    tags: T | ReadonlyArray<T>,
    options?: Events.SubscribeOptions
  ) => Effect.Effect<Stream.Stream<Events.MessageEvent<Message.Of<T>>>, never, Scope.Scope>

  /** Subscribes to lifecycle events (all kinds when `tags` is omitted). */
  readonly datapathEvents: <const T extends Events.DatapathEventTag = Events.DatapathEventTag>(
    tags?: T | ReadonlyArray<T>,
    options?: Events.SubscribeOptions
  ) => Effect.Effect<Stream.Stream<Extract<Events.DatapathEvent, { readonly _tag: T }>>, never, Scope.Scope>

  /**
   * Subscribes to messages and lifecycle events in one stream, which keeps each
   * datapath's order across both (a `PacketIn` received before a port went down comes
   * before the `PortChange`).
   */
  readonly events: <const F extends Events.Filter>(
    filter: F
  ) => Effect.Effect<Stream.Stream<Events.Selected<F>>, never, Scope.Scope>

  /** The datapaths in `MAIN` state. */
  readonly datapaths: Effect.Effect<ReadonlyArray<Datapath>>

  /** The datapath registered under `dpid`, if it is connected. */
  readonly datapath: (dpid: bigint) => Effect.Effect<Option.Option<Datapath>>

  /** The synchronous form of {@link Service.datapath}. */
  readonly datapathUnsafe: (dpid: bigint) => Datapath | undefined

  /** Open connections in any state (including those still in their handshake). */
  readonly connectionCount: Effect.Effect<number>
}

/**
 * The controller service tag.
 *
 * **Example** (An app as a layer: a hub that floods every packet-in)
 *
 * ```ts
 * import { Controller } from "@switchyard/controller"
 * import { Effect, Layer, Stream } from "effect"
 *
 * export const Logger = Layer.effectDiscard(Effect.gen(function*() {
 *   const controller = yield* Controller.Controller
 *   const packetIns = yield* controller.messages("PacketIn")
 *   yield* packetIns.pipe(
 *     Stream.runForEachArray((batch) => Effect.logDebug(`${batch.length} packet-ins from ${batch[0].datapath.id}`)),
 *     Effect.forkScoped
 *   )
 * }))
 * ```
 *
 * @category services
 * @since 0.1.0
 */
export class Controller extends Context.Service<Controller, Service>()("@switchyard/controller/Controller") {}

const defaultHoldBytes = 256 * 1024

const resolve = (config: ControllerConfig.ControllerConfig, options: Options | undefined): ResolvedOptions => {
  const millis = (input: Duration.Input | undefined, fallback: Duration.Duration) =>
    Duration.toMillis(input === undefined ? fallback : input)
  const positive = (n: number | undefined, fallback: number) =>
    n !== undefined && Number.isFinite(n) && n >= 1 ? Math.floor(n) : fallback
  return {
    versions: options?.versions !== undefined && options.versions.length > 0 ? options.versions : Version.supported,
    sendQueueSize: positive(options?.sendQueueSize, config.sendQueueSize),
    echoIntervalMillis: millis(options?.echoRequestInterval, config.echoRequestInterval),
    maxUnrepliedEchoRequests: Math.max(0, Math.floor(options?.maximumUnrepliedEchoRequests ?? config.maximumUnrepliedEchoRequests)),
    handshakeTimeoutMillis: millis(options?.handshakeTimeout, config.handshakeTimeout),
    requestTimeout: millis(options?.requestTimeout, config.requestTimeout),
    subscriberBuffer: positive(options?.subscriberBufferSize, config.subscriberBufferSize),
    overflow: options?.subscriberOverflow ?? config.subscriberOverflow,
    holdBytes: positive(options?.holdBytes, defaultHoldBytes),
    datapathMetrics: options?.datapathMetrics ?? true
  }
}

const asArray = <T>(tags: T | ReadonlyArray<T> | undefined): ReadonlyArray<T> | undefined =>
  tags === undefined ? undefined : Array.isArray(tags) ? tags : [tags as T]

/**
 * Builds the controller service in the current scope.
 *
 * **Details**
 *
 * Reads `ControllerConfig` from context (its defaults when absent) and applies
 * `options` over it. Starts the keepalive ticker. When the scope closes, every
 * connection still served is closed and awaited.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = Effect.fnUntraced(function*(options?: Options) {
  const config = yield* ControllerConfig.ControllerConfig
  const resolved = resolve(config, options)
  const unsupported = resolved.versions.filter((v) => !Version.isSupported(v))
  if (unsupported.length > 0) {
    // A programming error, not a runtime condition: offering a version the codec cannot
    // decode would agree on it with a switch and then fail every message.
    return yield* Effect.die(
      new Error(
        `Controller: cannot offer OpenFlow ${unsupported.map(Version.format).join(", ")}; the codec supports ${
          Version.supported.map(Version.format).join(", ")
        }`
      )
    )
  }
  const clock = yield* Clock.Clock
  const context = yield* Effect.context<never>()
  const registry = yield* Metric.MetricRegistry
  let subscriberIds = 0

  const state: ControllerState = {
    options: resolved,
    ourHello: Handshake.hello(resolved.versions),
    index: new SubscriberIndex(),
    registry: new Map(),
    live: new Set(),
    totals: { errorsSent: 0, eventsDropped: 0, handshakeFailures: 0 },
    shuttingDown: false,
    nowMillis: () => clock.currentTimeMillisUnsafe(),
    registerMetrics: (connection) => {
      if (resolved.datapathMetrics) InternalMetrics.registerDatapath(registry, connection)
    },
    unregisterMetrics: (connection) => {
      if (resolved.datapathMetrics) InternalMetrics.unregisterDatapath(registry, connection)
    }
  }

  const registrations = InternalMetrics.registerController(context, state)
  yield* Effect.addFinalizer(() =>
    Effect.suspend(() => {
      state.shuttingDown = true
      const fibers: Array<Fiber.Fiber<unknown, unknown>> = []
      for (const c of state.live) if (c.fiber !== undefined) fibers.push(c.fiber)
      return Effect.andThen(
        Fiber.interruptAll(fibers),
        Effect.sync(() => {
          for (const r of registrations) r.remove()
        })
      )
    })
  )

  // Keepalive: one ticker for every connection rather than a timer each. At each tick a
  // datapath that received nothing since the last one, and that we were not keeping from
  // reading (a full subscriber), gets an ECHO_REQUEST; one that has let too many go
  // unanswered is dropped.
  if (resolved.echoIntervalMillis > 0 && resolved.maxUnrepliedEchoRequests > 0) {
    const tick = Effect.sync(() => {
      const now = clock.currentTimeMillisUnsafe()
      for (const c of state.live) {
        if (c.state !== "MAIN") continue
        if (c.rxSinceTick || c.pausedSinceTick || c.readerPaused) {
          c.rxSinceTick = false
          c.pausedSinceTick = false
          c.unansweredEchoes = 0
          continue
        }
        if (c.unansweredEchoes >= resolved.maxUnrepliedEchoRequests) {
          c.closeUnresponsive(
            `no answer to ${c.unansweredEchoes} echo requests sent ${resolved.echoIntervalMillis} ms apart`
          )
          continue
        }
        c.sendEcho(now)
        c.unansweredEchoes++
      }
    })
    yield* Effect.sleep(resolved.echoIntervalMillis).pipe(Effect.andThen(tick), Effect.forever, Effect.forkScoped)
  }

  const subscribe = <A>(
    spec: {
      readonly messageTags: ReadonlySet<string> | true | undefined
      readonly lifecycleTags: ReadonlySet<string> | true | undefined
    },
    options: Events.SubscribeOptions | undefined
  ): Effect.Effect<Stream.Stream<A>, never, Scope.Scope> =>
    Effect.acquireRelease(
      Effect.sync(() => {
        const id = ++subscriberIds
        const subscriber = new Subscriber({
          id,
          name: options?.name ?? `subscriber-${id}`,
          capacity: options?.bufferSize ?? resolved.subscriberBuffer,
          overflow: options?.overflow ?? resolved.overflow,
          stateMask: Handshake.stateMask(options?.states),
          messageTags: spec.messageTags,
          lifecycleTags: spec.lifecycleTags
        })
        state.index.add(subscriber)
        return { subscriber, registrations: InternalMetrics.registerSubscriber(context, subscriber) }
      }),
      ({ registrations, subscriber }) =>
        Effect.sync(() => {
          state.index.remove(subscriber)
          subscriber.close()
          for (const r of registrations) r.remove()
        })
    ).pipe(
      // The stream ending (a `Stream.take` satisfied, its consumer done) ends the
      // subscription too: a consumer that stopped must not leave a buffer behind that
      // keeps holding events back.
      Effect.map(({ subscriber }) =>
        Stream.fromChannel(
          Channel.fromTransform((_, scope) =>
            Effect.as(Scope.addFinalizer(scope, Effect.sync(() => subscriber.close())), subscriber.pull)
          )
        ) as unknown as Stream.Stream<A>
      )
    )

  const tagSet = (tags: ReadonlyArray<string> | "all" | undefined): ReadonlySet<string> | true | undefined =>
    tags === "all" ? true : tags === undefined || tags.length === 0 ? undefined : new Set(tags)

  const serve = (connection: Listener.Connection): Effect.Effect<void> =>
    Effect.suspend(() => (state.shuttingDown ? Effect.void : new Connection(state, connection).run()))

  return Controller.of({
    serve,
    messages: (tags, options) =>
      subscribe({ messageTags: tagSet(asArray(tags)), lifecycleTags: undefined }, options),
    datapathEvents: (tags, options) =>
      subscribe({ messageTags: undefined, lifecycleTags: tags === undefined ? true : tagSet(asArray(tags)) }, options),
    events: (filter) =>
      subscribe({ messageTags: tagSet(filter.messages), lifecycleTags: tagSet(filter.datapathEvents) }, filter),
    datapaths: Effect.sync(() => [...state.registry.values()]),
    datapath: (dpid) => Effect.sync(() => Option.fromUndefinedOr(state.registry.get(dpid))),
    datapathUnsafe: (dpid) => state.registry.get(dpid),
    connectionCount: Effect.sync(() => state.live.size)
  })
})

/**
 * The controller as a layer.
 *
 * **Details**
 *
 * Apps are layers that require `Controller`; compose them on top with
 * `Layer.provideMerge(apps, Controller.layer())` (or let `Runner.runMain` do it).
 * Closing the layer closes every connection still being served and waits for them.
 *
 * @example
 * ```ts
 * import { Controller } from "@switchyard/controller"
 *
 * const controller = Controller.layer({ echoRequestInterval: "5 seconds" })
 * ```
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (options?: Options): Layer.Layer<Controller> => Layer.effect(Controller, make(options))

/**
 * The controller as the runner's runtime: its layer and how to get the connection
 * handler from it (`Runner.runWith(Controller.runtime(), apps)`).
 *
 * @category layers
 * @since 0.1.0
 */
export const runtime = (options?: Options): {
  readonly layer: Layer.Layer<Controller>
  readonly serve: Effect.Effect<(connection: Listener.Connection) => Effect.Effect<void>, never, Controller>
} => ({
  layer: layer(options),
  serve: Controller.useSync((c) => c.serve)
})
