/**
 * @switchyard/controller: the OpenFlow controller runtime — listeners, supervised datapaths,
 * typed event streams, apps as Layers, and the shared runner.
 *
 * @since 0.1.0
 */

/** Every knob of the runtime, read from flags and the environment with Ryu's names. @since 0.1.0 */
export * as ControllerConfig from "./ControllerConfig.ts"

/** The service that hands switch connections to the runtime, and its errors. @since 0.1.0 */
export * as Listener from "./Listener.ts"

/** Concise logfmt (or JSON) log lines and the layer installing them. @since 0.1.0 */
export * as Logging from "./Logging.ts"

/** The controller's metrics, Prometheus exposition and summary log line. @since 0.1.0 */
export * as Metrics from "./Metrics.ts"

/** TCP, TLS and active (dialled) switch connections on Node. @since 0.1.0 */
export * as NodeListener from "./NodeListener.ts"

/** The shared runner every example uses: flags + env, runtime, apps, listeners, clean shutdown. @since 0.1.0 */
export * as Runner from "./Runner.ts"

/** The controller service apps use, and the `serve` entry point for connections. @since 0.1.0 */
export * as Controller from "./Controller.ts"

/** The handle of one connected switch: identity, ports, state, send, request, barrier. @since 0.1.0 */
export * as Datapath from "./Datapath.ts"

/** The error of datapath operations, with its tagged reasons. @since 0.1.0 */
export * as DatapathError from "./DatapathError.ts"

/** Typed message and lifecycle events, and subscription options. @since 0.1.0 */
export * as Events from "./Events.ts"

/** Dispatcher states and HELLO version negotiation. @since 0.1.0 */
export * as Handshake from "./Handshake.ts"

/** In-memory socket pairs with honest back-pressure and close semantics, for tests and benchmarks. @since 0.1.0 */
export * as MemorySocket from "./MemorySocket.ts"

/** Multi-worker mode for apps: which worker this is, and maps shared by every worker through the primary. @since 0.1.0 */
export * as Workers from "./Workers.ts"
