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

/** The controller's metrics, Prometheus exposition and summary log line. @since 0.1.0 */
export * as Metrics from "./Metrics.ts"

/** TCP, TLS and active (dialled) switch connections on Node. @since 0.1.0 */
export * as NodeListener from "./NodeListener.ts"
