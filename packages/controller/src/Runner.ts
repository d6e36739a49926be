/**
 * The shared runner: what `node examples/l2switch.js` calls. It parses flags and the
 * environment into a `ControllerConfig`, builds the runtime and the apps, starts listening
 * only once every app is built, and shuts everything down in order on SIGINT/SIGTERM.
 *
 * Starting a controller has an order that is easy to get wrong. Apps subscribe to events
 * while they are built, so a switch accepted before the last app is ready would have its
 * first events (its handshake, its port list) missed by that app: listening comes last.
 * Shutting down runs the other way: stop accepting, interrupt every datapath and wait for
 * it, then close the apps, then the runtime. And a typo on the command line must be one
 * clear line and exit code 2, not a stack trace, while a bad value must name the flag or
 * environment variable it came from. With `--workers N` all of this holds for a tree of
 * processes: a primary that binds the ports and hands switches out, and N workers that
 * each run the controller and the apps, started, supervised and stopped by the primary.
 *
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Cause from "effect/Cause"
import type * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Console from "effect/Console"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Result from "effect/Result"
import * as EffectRuntime from "effect/Runtime"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import type * as Scope from "effect/Scope"
import * as Controller from "./Controller.ts"
import * as ControllerConfig from "./ControllerConfig.ts"
import * as Flags from "./internal/flags.ts"
import { type WorkerInit, workerInit } from "./internal/ipc.ts"
import * as Primary from "./internal/primary.ts"
import { makeService } from "./internal/shared.ts"
import * as Worker from "./internal/worker.ts"
import type * as Listener from "./Listener.ts"
import * as Logging from "./Logging.ts"
import * as Metrics from "./Metrics.ts"
import * as NodeListener from "./NodeListener.ts"
import * as Workers from "./Workers.ts"

/**
 * Why the runner stopped before serving: a malformed command line or a bad value (exit
 * code 2), or a listener that could not start (exit code 1). The message is one line,
 * ready to print after the program name.
 *
 * @category errors
 * @since 0.1.0
 */
export class RunnerError extends Data.TaggedError("RunnerError")<{
  readonly message: string
  readonly exitCode: number
}> {
  /** Read by Effect's `Runtime.defaultTeardown` to pick the process exit code. */
  override get [EffectRuntime.errorExitCode](): number {
    return this.exitCode
  }
  /**
   * `false`: `runMain` prints the line itself, so Effect's automatic error log (which
   * this marker turns off) must not repeat it.
   */
  override get [EffectRuntime.errorReported](): boolean {
    return false
  }
}

/**
 * Options of `runWith`, `run` and `runMain`.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  /** Program name for `--help` and error lines (default: `"switchyard"`). */
  readonly name?: string | undefined
  /** One paragraph for `--help`. */
  readonly description?: string | undefined
  /** Command-line arguments, without node and the script (default: `process.argv.slice(2)`). */
  readonly argv?: ReadonlyArray<string> | undefined
  /** Environment (default: `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined
  /**
   * Builds the listener (default: `NodeListener.make` from the configuration). The seam
   * for serving sockets opened elsewhere, e.g. a listening handle passed to a worker.
   */
  readonly makeListener?:
    | ((
      config: ControllerConfig.ControllerConfig
    ) => Effect.Effect<Listener.Listener["Service"], Listener.ListenerError, Scope.Scope>)
    | undefined
  /** Where log lines go (default: stderr). */
  readonly writeLog?: ((line: string) => void) | undefined
  /**
   * The app's own flags. `--mac-ttl 300` is read by the app as `Config.String("MAC_TTL")`
   * (or any `Config` at that key), falling back to the environment variable `MAC_TTL`.
   */
  readonly flags?: ReadonlyArray<AppFlag> | undefined
  /**
   * The program a worker process runs with `--workers N` (default: this process's main
   * script, `process.argv[1]`, with the same arguments). It must reach the same runner
   * call with the same options: that call turns into the worker.
   */
  readonly workerScript?: string | undefined
  /** How long a worker has to close its switches at shutdown before it is killed (default 10 seconds). */
  readonly workerStopTimeout?: Duration.Input | undefined
}

/**
 * A flag of the app's own, listed by `--help` after the controller's.
 *
 * @example
 * ```ts
 * import { Runner } from "@switchyard/controller"
 *
 * const macTtl: Runner.AppFlag = { name: "mac-ttl", metavar: "SECONDS", description: "forget a MAC after this long" }
 * ```
 *
 * @category models
 * @since 0.1.0
 */
export interface AppFlag {
  /** Without dashes, e.g. `"mac-ttl"`; the config key is its upper snake case, `MAC_TTL`. */
  readonly name: string
  /** Placeholder for the value in `--help`; omit for an on/off flag (read as `"true"`). */
  readonly metavar?: string | undefined
  readonly description: string
}

/**
 * The runtime the runner serves connections with: a layer providing some service `S`
 * (the `Controller`), and how to get the connection handler from it.
 *
 * @category models
 * @since 0.1.0
 */
export interface Runtime<S> {
  readonly layer: Layer.Layer<S>
  readonly serve: Effect.Effect<(connection: Listener.Connection) => Effect.Effect<void>, never, S>
}

/**
 * What the command line asks for: help text to print, or a configuration to run with
 * (and the provider it came from, flags over environment, which apps read too).
 *
 * @category models
 * @since 0.1.0
 */
export type Parsed =
  | { readonly _tag: "Help"; readonly text: string }
  | {
    readonly _tag: "Run"
    readonly config: ControllerConfig.ControllerConfig
    readonly provider: ConfigProvider.ConfigProvider
  }

const flagSpecs: ReadonlyArray<Flags.FlagSpec> = ControllerConfig.options.map((o) => ({
  flag: o.flag,
  path: ControllerConfig.pathOf(o.key),
  metavar: o.metavar,
  description: o.description,
  env: `${ControllerConfig.ENV_PREFIX}_${o.key}`
}))

/**
 * Parses a command line and an environment into a configuration (or a request for help).
 *
 * **Details**
 *
 * Flags use Ryu's names (`--ofp-tcp-listen-port 6653` or `--ofp-tcp-listen-port=6653`);
 * each can also be set with `SWITCHYARD_` + the flag in upper snake case. Flags win over
 * the environment, the environment over defaults. An unknown flag, a flag without its
 * value, a stray argument or a bad value fails with a `RunnerError` (exit code 2) whose
 * one-line message names the flag or variable: `--ofp-tcp-listen-port: expected a TCP
 * port 0-65535, got "70000"`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Runner } from "@switchyard/controller"
 *
 * const parsed = Effect.runSync(Runner.parseArgs({
 *   argv: ["--ofp-tcp-listen-port", "6653"],
 *   env: { SWITCHYARD_OFP_LISTEN_HOST: "127.0.0.1" }
 * }))
 * ```
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseArgs = (options: Options = {}): Effect.Effect<Parsed, RunnerError> =>
  Effect.suspend(() => {
    const name = options.name ?? "switchyard"
    const argv = options.argv ?? process.argv.slice(2)
    const env = options.env ?? process.env
    const specs = withAppFlags(options.flags)
    const parsed = Flags.parse(specs, argv)
    if (Result.isFailure(parsed)) {
      return Effect.fail(new RunnerError({ message: `${parsed.failure} (see --help)`, exitCode: 2 }))
    }
    if (parsed.success._tag === "Help") {
      return Effect.succeed<Parsed>({ _tag: "Help", text: Flags.help(name, options.description, specs) })
    }
    const { given, values } = parsed.success
    const provider = ConfigProvider.orElse(
      Flags.provider(values),
      ConfigProvider.fromEnv({ env: definedOnly(env) })
    )
    return ControllerConfig.config.parse(provider).pipe(
      Effect.mapError((error) => new RunnerError({ message: describeConfigError(error, given, env), exitCode: 2 })),
      Effect.map((config): Parsed => ({ _tag: "Run", config, provider }))
    )
  })

// The controller's flags, then the app's. An app flag that reuses a controller flag's name
// is a programming error, reported as a defect naming it.
const withAppFlags = (flags: ReadonlyArray<AppFlag> | undefined): ReadonlyArray<Flags.FlagSpec> => {
  if (flags === undefined || flags.length === 0) return flagSpecs
  const out = [...flagSpecs]
  for (const flag of flags) {
    if (out.some((s) => s.flag === flag.name) || flag.name === "help") {
      throw new Error(`app flag --${flag.name} is already a controller flag`)
    }
    const key = flag.name.toUpperCase().replaceAll("-", "_")
    out.push({ flag: flag.name, path: [key], metavar: flag.metavar, description: flag.description, env: key })
  }
  return out
}

const definedOnly = (env: Readonly<Record<string, string | undefined>>): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const key in env) {
    const value = env[key]
    if (value !== undefined) out[key] = value
  }
  return out
}

// "--ofp-tcp-listen-port: expected a TCP port 0-65535, got "x"", naming the flag when the
// value came from the command line and the variable when it came from the environment.
const describeConfigError = (
  error: Config.ConfigError,
  given: ReadonlyMap<string, string>,
  env: Readonly<Record<string, string | undefined>>
): string => {
  const cause = error.cause
  if (!Schema.isSchemaError(cause)) return cause.message
  let issue: SchemaIssue.Issue = cause.issue
  let path: ReadonlyArray<PropertyKey> = []
  while (issue._tag === "Pointer") {
    path = [...path, ...issue.path]
    issue = issue.issue
  }
  const message = new Schema.SchemaError(issue).message
  const key = path[path.length - 1]
  const option = ControllerConfig.options.find((o) => o.key === key)
  if (option === undefined) return `${path.map(String).join("_")}: ${message}`
  const variable = `${ControllerConfig.ENV_PREFIX}_${option.key}`
  const label = !given.has(option.flag) && env[variable] !== undefined ? variable : `--${option.flag}`
  return `${label}: ${message}`
}

/**
 * Runs apps on a given runtime until interrupted: the runner without the choice of
 * runtime, for tests and alternative runtimes. `run` and `runMain` call it with the
 * `Controller`.
 *
 * **Details**
 *
 * In order: parse flags and environment (`--help` prints and returns); install the
 * logger, the `ControllerConfig` and a `ConfigProvider` of flags over environment for
 * everything below; build the runtime, then the apps (with `Workers.Shared` provided);
 * start the metrics endpoint and summary if configured; build the listener (binding its
 * ports) and log one line per address; serve every connection with the runtime's handler.
 * Interruption closes it all in reverse order.
 *
 * With `--workers N` above 1 this process becomes the primary of N worker processes
 * (see "Multi-worker mode" in the package README): it binds the ports and hands each
 * switch to a worker, and each worker runs this same call, which there builds the
 * runtime and the apps and serves the switches it is given.
 *
 * @category running
 * @since 0.1.0
 */
export const runWith = <S, A, E>(
  runtime: Runtime<S>,
  app: Layer.Layer<A, E, S | Workers.Shared>,
  options: Options = {}
): Effect.Effect<void, RunnerError | E> =>
  Effect.gen(function*() {
    const parsed = yield* parseArgs(options)
    if (parsed._tag === "Help") return yield* Console.log(parsed.text)
    const { config, provider } = parsed
    const worker = workerInit()
    const program: Effect.Effect<void, RunnerError | E> = worker !== undefined
      ? serveWorker(runtime, app, config, options, worker)
      : config.workers > 1
      ? runPrimary(config, options)
      : serve(runtime, app, config, options, single)
    return yield* program.pipe(
      Effect.provideService(ControllerConfig.ControllerConfig, config),
      Effect.provideService(ConfigProvider.ConfigProvider, provider),
      Effect.provide(Logging.layer({ level: config.logLevel, format: config.logFormat, write: options.writeLog }))
    )
  })

// What differs between a single process and a worker: where `Workers.Shared` keeps its
// maps, where sockets come from, whether this process serves metrics and announces its
// addresses, what it does once it can serve, and what ends serving besides interruption.
interface Mode {
  readonly shared: Layer.Layer<Workers.Shared>
  readonly makeListener: ((config: ControllerConfig.ControllerConfig) => Effect.Effect<Listener.Listener["Service"], Listener.ListenerError, Scope.Scope>) | undefined
  readonly ownsPorts: boolean
  readonly started: (context: Context.Context<never>) => Effect.Effect<void, never, Scope.Scope>
  readonly until: Effect.Effect<void>
}

const single: Mode = {
  shared: Workers.layerLocal,
  makeListener: undefined,
  ownsPorts: true,
  started: () => Effect.void,
  until: Effect.never
}

const serve = <S, A, E>(
  runtime: Runtime<S>,
  app: Layer.Layer<A, E, S | Workers.Shared>,
  config: ControllerConfig.ControllerConfig,
  options: Options,
  mode: Mode
): Effect.Effect<void, RunnerError | E> =>
  Effect.gen(function*() {
    // The runtime first, then the apps on top of it: once this returns every app has
    // subscribed to what it needs.
    const context = yield* Layer.build(Layer.provideMerge(app, Layer.merge(runtime.layer, mode.shared)))
    const handle = yield* Effect.provideContext(runtime.serve, context as Context.Context<S>)
    if (config.metricsPort !== undefined && mode.ownsPorts) {
      yield* Layer.build(Metrics.layerHttp({ host: config.metricsHost, port: config.metricsPort })).pipe(
        Effect.mapError((error) =>
          new RunnerError({
            message: `cannot serve metrics on port ${config.metricsPort}: ${describe(error)}`,
            exitCode: 1
          })
        )
      )
    }
    yield* Layer.build(Metrics.layerSummaryLog(config.metricsLogInterval))
    const makeListener = mode.makeListener ?? options.makeListener ??
      ((c: ControllerConfig.ControllerConfig) => Effect.flatMap(NodeListener.optionsFromConfig(c), NodeListener.make))
    const listener = yield* makeListener(config).pipe(
      Effect.mapError((error) => new RunnerError({ message: error.message, exitCode: 1 }))
    )
    for (const address of listener.addresses) {
      if (address.startsWith("active:")) yield* Effect.logInfo(`connecting to switch ${address.slice(7)}`)
      else if (mode.ownsPorts) yield* Effect.logInfo(`listening on ${address}`)
    }
    yield* mode.started(context as Context.Context<never>)
    return yield* Effect.raceFirst(
      listener.run(handle).pipe(
        Effect.mapError((error) => new RunnerError({ message: error.message, exitCode: 1 })),
        Effect.onInterrupt(() => Effect.logInfo("shutting down"))
      ),
      mode.until
    )
  }).pipe(Effect.scoped)

// A worker process: the single-process runner, with its sockets, shared maps and
// shutdown coming from the primary, its share of the switches to dial, and its log lines
// marked with its number.
const serveWorker = <S, A, E>(
  runtime: Runtime<S>,
  app: Layer.Layer<A, E, S | Workers.Shared>,
  config: ControllerConfig.ControllerConfig,
  options: Options,
  init: WorkerInit
): Effect.Effect<void, RunnerError | E> =>
  Effect.gen(function*() {
    const channel = yield* Worker.connect(init)
    // Switches the controller dials are dealt out, the i-th to worker i mod N, so that
    // each is dialled once; a restarted worker dials its share again.
    const share = config.ofpSwitchAddressList.filter((_, i) => i % init.count === init.id - 1)
    const workerConfig: ControllerConfig.ControllerConfig = { ...config, ofpSwitchAddressList: share }
    const mode: Mode = {
      shared: Layer.succeed(Workers.Shared)(makeService(channel.shared)),
      makeListener: (c) =>
        Effect.flatMap(NodeListener.optionsFromConfig(c), (o) =>
          NodeListener.make({
            ...o,
            listen: init.listeners.map((l, index) => ({
              transport: l.transport,
              label: l.label,
              connections: channel.connections(index)
            }))
          })),
      ownsPorts: false,
      started: (context) =>
        Effect.gen(function*() {
          const controller = Context.getOption(context, Controller.Controller)
          if (controller._tag === "Some") yield* Worker.bridge(channel, controller.value)
          yield* channel.ready
        }),
      until: channel.stopRequested
    }
    return yield* serve(runtime, app, workerConfig, options, mode).pipe(
      Effect.provideService(ControllerConfig.ControllerConfig, workerConfig),
      Effect.provideService(Workers.WorkerInfo, { id: init.id, count: init.count })
    )
  }).pipe(Effect.scoped, Effect.annotateLogs({ worker: init.id }))

const runPrimary = (
  config: ControllerConfig.ControllerConfig,
  options: Options
): Effect.Effect<void, RunnerError> =>
  Effect.suspend(() => {
    const script = options.workerScript ?? process.argv[1]
    if (script === undefined) {
      return Effect.fail(
        new RunnerError({ message: "--workers: cannot tell which program the workers should run", exitCode: 2 })
      )
    }
    return Primary.run({
      config,
      script,
      args: options.argv ?? process.argv.slice(2),
      execArgv: process.execArgv,
      env: options.env ?? process.env,
      stopTimeout: options.workerStopTimeout
    }).pipe(Effect.mapError((error) => new RunnerError({ message: error.message, exitCode: error.exitCode })))
  })

const describe = (error: unknown): string => {
  const cause = (error as { cause?: unknown }).cause
  return cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error)
}

/**
 * Runs `runWith` as the process's main program (`NodeRuntime.runMain`): SIGINT and
 * SIGTERM interrupt it and the process exits once everything has closed (code 130); a
 * `RunnerError` is printed as one line `name: message` on stderr with its exit code (2
 * for a bad command line); other failures are reported by Effect with exit code 1.
 *
 * @category running
 * @since 0.1.0
 */
export const runMainWith = <S, A, E>(
  runtime: Runtime<S>,
  app: Layer.Layer<A, E, S | Workers.Shared>,
  options: Options = {}
): void => {
  const name = options.name ?? "switchyard"
  NodeRuntime.runMain(
    runWith(runtime, app, options).pipe(
      Effect.tapCause((cause) => {
        const error = Cause.squash(cause)
        return error instanceof RunnerError
          ? Effect.sync(() => void process.stderr.write(`${name}: ${error.message}\n`))
          : Effect.void
      })
    )
  )
}

/**
 * Options of `run` and `runMain`: the runner's, plus options for the `Controller` (which
 * override the configuration's values for it).
 *
 * @category models
 * @since 0.1.0
 */
export interface RunOptions extends Options {
  readonly controller?: Controller.Options | undefined
}

/**
 * Runs apps on the `Controller` until interrupted (see `runWith` for the order of
 * things). The Effect behind `runMain`, for tests and embedding.
 *
 * @category running
 * @since 0.1.0
 */
export const run = <A, E>(
  app: Layer.Layer<A, E, Controller.Controller | Workers.Shared>,
  options: RunOptions = {}
): Effect.Effect<void, RunnerError | E> => runWith(Controller.runtime(options.controller), app, options)

/**
 * The entry point of a controller program: parses `process.argv` and the environment,
 * runs the apps on the `Controller`, and exits when interrupted (Ctrl-C, SIGTERM) after
 * closing every connection, app and listener.
 *
 * **Details**
 *
 * Flags (each also settable as `SWITCHYARD_<FLAG_IN_UPPER_SNAKE_CASE>`; `--help` prints
 * them): `--ofp-listen-host`, `--ofp-tcp-listen-port`, `--ofp-ssl-listen-port`,
 * `--ctl-privkey`, `--ctl-cert`, `--ca-certs`, `--ofp-switch-address-list`,
 * `--ofp-switch-connect-interval` (Ryu's names), and the runtime's knobs, logging and
 * metrics (`--log-level`, `--verbose`, `--metrics-port`, …), and `--workers N` to serve
 * switches from N worker processes (the apps run in each; state they share across
 * datapaths goes through `Workers.Shared`). Exit codes: 0 after `--help`, 2 for a bad
 * command line or value, 1 when a listener cannot start or an app fails, 130 after
 * SIGINT/SIGTERM.
 *
 * @example
 * ```ts
 * import { Controller, Runner } from "@switchyard/controller"
 * import { Effect, Layer, Stream } from "effect"
 *
 * const Hello = Layer.effectDiscard(Effect.gen(function*() {
 *   const controller = yield* Controller.Controller
 *   const ups = yield* controller.datapathEvents("DatapathUp")
 *   yield* ups.pipe(
 *     Stream.runForEach((event) => Effect.logInfo(`hello ${event.datapath.id}`)),
 *     Effect.forkScoped
 *   )
 * }))
 *
 * Runner.runMain(Hello, { name: "hello", description: "Greets every switch." })
 * ```
 *
 * @category running
 * @since 0.1.0
 */
export const runMain = <A, E>(
  app: Layer.Layer<A, E, Controller.Controller | Workers.Shared>,
  options: RunOptions = {}
): void => runMainWith(Controller.runtime(options.controller), app, options)
