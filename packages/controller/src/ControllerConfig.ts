/**
 * Every knob of the controller runtime in one record, read through `effect` `Config` from
 * command-line flags and the environment, with Ryu's flag names where Ryu has them.
 *
 * Operators coming from Ryu type `--ofp-tcp-listen-port 6653 --ctl-privkey key.pem`, and
 * containers set `SWITCHYARD_OFP_TCP_LISTEN_PORT=6653`; both must mean the same thing, with
 * flags winning over the environment and the environment over defaults. The awkward parts
 * are Ryu's: with no port given it listens on both 6653 (IANA) and the legacy 6633, TLS
 * replaces plain TCP unless a TCP port is asked for explicitly, durations are plain
 * seconds, and a switch address list is `"10.0.0.1:6653,[::1]:6653"`. Bad values must be
 * reported with the flag or variable that carried them, never silently replaced by a
 * default.
 *
 * Each option has one key (`OFP_TCP_LISTEN_PORT`), read at the config path
 * `["SWITCHYARD", key]`: the environment provider maps that to
 * `SWITCHYARD_OFP_TCP_LISTEN_PORT`, and the runner's flag provider answers it from
 * `--ofp-tcp-listen-port`.
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import * as Os from "node:os"

/**
 * The IANA OpenFlow port, where switches connect by default.
 *
 * @category constants
 * @since 0.1.0
 */
export const OFP_TCP_PORT = 6653

/**
 * The pre-IANA port many deployed switches still dial; Ryu listens on it too by default.
 *
 * @category constants
 * @since 0.1.0
 */
export const OFP_TCP_PORT_OLD = 6633

/**
 * A switch the controller dials itself (an entry of `--ofp-switch-address-list`).
 *
 * @category models
 * @since 0.1.0
 */
export interface SwitchAddress {
  /** An IPv4 address, an IPv6 address (without brackets) or a host name. */
  readonly host: string
  readonly port: number
}

/**
 * How a per-app event subscription behaves when the app falls behind: `"suspend"` (the
 * default) back-pressures the publisher and loses nothing, `"dropping"` discards new
 * events, `"sliding"` discards the oldest. Dropping packet-ins is never the right default
 * for a learning switch: an unanswered packet-in is a lost packet, and under load the
 * switches whose events were dropped are the ones that starve.
 *
 * @category models
 * @since 0.1.0
 */
export type OverflowStrategy = "dropping" | "sliding" | "suspend"

/**
 * The format of log lines: `"logfmt"` (concise `key=value` text) or `"json"`.
 *
 * @category models
 * @since 0.1.0
 */
export type LogFormat = "logfmt" | "json"

/**
 * The controller's configuration.
 *
 * **Details**
 *
 * Listener fields follow Ryu: with neither port set, plain TCP listens on 6653 and 6633;
 * with `ctlPrivkey` and `ctlCert` set, TLS takes over those ports (or `ofpSslListenPort`)
 * and plain TCP listens only if `ofpTcpListenPort` is set explicitly. `listenAddresses`
 * spells the rule out. Durations are `Duration`s; on the command line they are seconds
 * (`15`, `0.5`) or `"15 seconds"`/`"500 millis"`.
 *
 * @category models
 * @since 0.1.0
 */
export interface ControllerConfig {
  /** Interface to listen on; `""` means all interfaces. Ryu: `--ofp-listen-host`. */
  readonly ofpListenHost: string
  /** Plain TCP port; `undefined` means 6653 and 6633 (unless TLS is on). `0` picks a free port. */
  readonly ofpTcpListenPort: number | undefined
  /** TLS port; `undefined` means 6653 and 6633 when TLS is on. `0` picks a free port. */
  readonly ofpSslListenPort: number | undefined
  /** PEM private key of the controller (enables TLS together with `ctlCert`). */
  readonly ctlPrivkey: string | undefined
  /** PEM certificate of the controller. */
  readonly ctlCert: string | undefined
  /** PEM CA bundle; when set, switches must present a certificate signed by it. */
  readonly caCerts: string | undefined
  /** Switches to dial (active connections). */
  readonly ofpSwitchAddressList: ReadonlyArray<SwitchAddress>
  /** First delay before redialling a switch; doubles on each failure. Ryu: 1 second. */
  readonly ofpSwitchConnectInterval: Duration.Duration
  /** Upper bound of the redial back-off. */
  readonly ofpSwitchConnectMaxInterval: Duration.Duration
  /** Time a switch has to complete HELLO and FEATURES after connecting. */
  readonly handshakeTimeout: Duration.Duration
  /** Interval between ECHO_REQUEST keepalives. Ryu: 15 seconds. */
  readonly echoRequestInterval: Duration.Duration
  /** Unanswered echo requests tolerated before disconnecting; 0 disables keepalive (as in Ryu). */
  readonly maximumUnrepliedEchoRequests: number
  /** How long a request (multipart, barrier, …) waits for its reply. */
  readonly requestTimeout: Duration.Duration
  /** Messages queued per datapath before `send` back-pressures. Ryu: 16. */
  readonly sendQueueSize: number
  /** Events buffered per app subscription. */
  readonly subscriberBufferSize: number
  /** What a full subscription does. */
  readonly subscriberOverflow: OverflowStrategy
  /** Minimum level of log lines. */
  readonly logLevel: LogLevel.LogLevel
  /** Log line format. */
  readonly logFormat: LogFormat
  /** Interface of the Prometheus endpoint. */
  readonly metricsHost: string
  /** Port of the Prometheus endpoint (`GET /metrics`); `undefined` disables it. */
  readonly metricsPort: number | undefined
  /** Interval of the metrics summary log line (at Debug level); zero disables it. */
  readonly metricsLogInterval: Duration.Duration
  /**
   * Processes serving switches: 1 runs everything in this process; more runs a primary
   * that accepts and hands each switch to one of that many worker processes (see
   * `Runner`, "Multi-worker mode"). `--workers auto` is one per available CPU.
   */
  readonly workers: number
}

/**
 * The defaults, used for every option that neither a flag nor the environment sets.
 *
 * @category constants
 * @since 0.1.0
 */
export const defaults: ControllerConfig = {
  ofpListenHost: "",
  ofpTcpListenPort: undefined,
  ofpSslListenPort: undefined,
  ctlPrivkey: undefined,
  ctlCert: undefined,
  caCerts: undefined,
  ofpSwitchAddressList: [],
  ofpSwitchConnectInterval: Duration.seconds(1),
  ofpSwitchConnectMaxInterval: Duration.seconds(60),
  handshakeTimeout: Duration.seconds(10),
  echoRequestInterval: Duration.seconds(15),
  maximumUnrepliedEchoRequests: 3,
  requestTimeout: Duration.seconds(10),
  sendQueueSize: 16,
  subscriberBufferSize: 1024,
  subscriberOverflow: "suspend",
  logLevel: "Info",
  logFormat: "logfmt",
  metricsHost: "127.0.0.1",
  metricsPort: undefined,
  metricsLogInterval: Duration.seconds(60),
  workers: 1
}

/**
 * The configuration as a context reference: the runner provides the parsed value; code
 * that runs without the runner (tests, the testkit) gets `defaults`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ControllerConfig } from "@switchyard/controller"
 *
 * const program = Effect.gen(function*() {
 *   const config = yield* ControllerConfig.ControllerConfig
 *   return config.sendQueueSize
 * })
 * ```
 *
 * @category services
 * @since 0.1.0
 */
export const ControllerConfig: Context.Reference<ControllerConfig> = Context.Reference<ControllerConfig>(
  "@switchyard/controller/ControllerConfig",
  { defaultValue: () => defaults }
)

/**
 * The config path prefix of every option; with the environment provider, option
 * `OFP_TCP_LISTEN_PORT` is read from `SWITCHYARD_OFP_TCP_LISTEN_PORT`.
 *
 * @category constants
 * @since 0.1.0
 */
export const ENV_PREFIX = "SWITCHYARD"

/**
 * One documented option: its flag, its config key, and its help text.
 *
 * @category models
 * @since 0.1.0
 */
export interface OptionSpec {
  /** The flag without dashes, e.g. `"ofp-tcp-listen-port"`. */
  readonly flag: string
  /** The config key, e.g. `"OFP_TCP_LISTEN_PORT"`; the environment variable is `SWITCHYARD_` + key. */
  readonly key: string
  /** Placeholder for the value in `--help`; absent for on/off flags. */
  readonly metavar: string | undefined
  readonly description: string
  /** Whether Ryu (`ryu-manager`) has a flag of the same name and meaning. */
  readonly ryu: boolean
}

const spec = (flag: string, metavar: string | undefined, description: string, ryu = false): OptionSpec => ({
  flag,
  key: flag.toUpperCase().replaceAll("-", "_"),
  metavar,
  description,
  ryu
})

/**
 * Every option, in `--help` order.
 *
 * @category constants
 * @since 0.1.0
 */
export const options: ReadonlyArray<OptionSpec> = [
  spec("ofp-listen-host", "HOST", "interface to listen on for switches (default: all)", true),
  spec("ofp-tcp-listen-port", "PORT", "OpenFlow TCP port (default: 6653 and 6633; 0 picks a free port)", true),
  spec("ofp-ssl-listen-port", "PORT", "OpenFlow TLS port (default: 6653 and 6633 when TLS is on)", true),
  spec("ctl-privkey", "FILE", "controller private key (PEM); with --ctl-cert turns TLS on", true),
  spec("ctl-cert", "FILE", "controller certificate (PEM)", true),
  spec("ca-certs", "FILE", "CA certificates (PEM); switches must present a certificate signed by one", true),
  spec(
    "ofp-switch-address-list",
    "LIST",
    "switches to connect to, e.g. \"10.0.0.1:6653,[::1]:6653\" (default: none)",
    true
  ),
  spec("ofp-switch-connect-interval", "SECONDS", "first delay before reconnecting to a switch (default: 1)", true),
  spec("ofp-switch-connect-max-interval", "SECONDS", "longest reconnect delay; the delay doubles (default: 60)"),
  spec("handshake-timeout", "SECONDS", "time a switch has to complete the handshake (default: 10)"),
  spec("echo-request-interval", "SECONDS", "interval between echo keepalives (default: 15)", true),
  spec(
    "maximum-unreplied-echo-requests",
    "N",
    "unanswered echo requests before disconnecting; 0 disables keepalive (default: 3)",
    true
  ),
  spec("request-timeout", "SECONDS", "how long a request waits for its reply (default: 10)"),
  spec("send-queue-size", "N", "messages queued per switch before senders wait (default: 16)"),
  spec("subscriber-buffer-size", "N", "events buffered per app subscription (default: 1024)"),
  spec("subscriber-overflow", "POLICY", "full subscription: suspend (back-pressure, lose nothing), dropping or sliding (default: suspend)"),
  spec("log-level", "LEVEL", "trace, debug, info, warn, error or none (default: info)"),
  spec("verbose", undefined, "same as --log-level debug", true),
  spec("log-format", "FORMAT", "logfmt or json (default: logfmt)"),
  spec("metrics-host", "HOST", "interface of the Prometheus endpoint (default: 127.0.0.1)"),
  spec("metrics-port", "PORT", "serve Prometheus metrics at http://HOST:PORT/metrics (default: off)"),
  spec("metrics-log-interval", "SECONDS", "interval of the metrics summary at debug level; 0 disables (default: 60)"),
  spec("workers", "N", "worker processes sharing the listening ports; auto = one per CPU (default: 1)")
]

// Pure value parsers. Each returns the value or a message saying what was expected; the
// message is completed with the flag or variable name by whoever reports it.

const parsePort = (raw: string): Result.Result<number, string> => {
  const n = /^\d{1,5}$/.test(raw.trim()) ? Number(raw.trim()) : NaN
  return n >= 0 && n <= 65535 ? Result.succeed(n) : Result.fail("expected a TCP port 0-65535")
}

const parseNonNegativeInt = (raw: string): Result.Result<number, string> => {
  const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN
  return Number.isSafeInteger(n) ? Result.succeed(n) : Result.fail("expected a whole number >= 0")
}

const parsePositiveInt = (raw: string): Result.Result<number, string> =>
  Result.flatMap(
    parseNonNegativeInt(raw),
    (n) => n > 0 ? Result.succeed(n) : Result.fail("expected a whole number >= 1")
  )

/** The most worker processes `--workers` accepts. */
const MAX_WORKERS = 256

// A worker count, or "auto": one per CPU the process may use.
const parseWorkers = (raw: string): Result.Result<number, string> => {
  const expected = `expected a number of workers 1-${MAX_WORKERS} or auto`
  if (raw.trim().toLowerCase() === "auto") return Result.succeed(Math.min(MAX_WORKERS, Os.availableParallelism()))
  const n = Result.getOrUndefined(parsePositiveInt(raw))
  return n !== undefined && n <= MAX_WORKERS ? Result.succeed(n) : Result.fail(expected)
}

const UNIT_SUFFIX = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/

/**
 * Parses a duration as Ryu writes it (plain seconds, `"15"`, `"0.5"`), with a unit suffix
 * (`"500ms"`, `"15s"`, `"2m"`, `"1h"`), or as Effect writes it (`"15 seconds"`).
 *
 * @example
 * ```ts
 * import { ControllerConfig } from "@switchyard/controller"
 * import { Duration, Result } from "effect"
 *
 * Result.map(ControllerConfig.parseDuration("0.5"), Duration.toMillis) // Result.succeed(500)
 * ```
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseDuration = (raw: string): Result.Result<Duration.Duration, string> => {
  const s = raw.trim()
  const expected = "expected seconds (e.g. 15 or 0.5) or a duration (e.g. 500ms, \"15 seconds\")"
  if (/^\d+(?:\.\d+)?$/.test(s)) return Result.succeed(Duration.millis(Number(s) * 1000))
  const suffixed = UNIT_SUFFIX.exec(s)
  if (suffixed !== null) {
    const n = Number(suffixed[1])
    const unit = suffixed[2]
    const millis = unit === "ms" ? n : unit === "s" ? n * 1000 : unit === "m" ? n * 60_000 : n * 3_600_000
    return Result.succeed(Duration.millis(millis))
  }
  const parsed = Duration.fromInput(s as Duration.Input)
  if (Option.isSome(parsed) && Duration.isFinite(parsed.value) && !Duration.isNegative(parsed.value)) {
    return Result.succeed(parsed.value)
  }
  return Result.fail(expected)
}

/**
 * Parses one `host:port` entry of a switch address list, Ryu style: IPv6 in brackets,
 * port required.
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseSwitchAddress = (raw: string): Result.Result<SwitchAddress, string> => {
  const s = raw.trim()
  const expected = "expected host:port or [ipv6]:port"
  const colon = s.lastIndexOf(":")
  if (colon <= 0) return Result.fail(expected)
  let host = s.slice(0, colon)
  const port = Result.getOrUndefined(parsePort(s.slice(colon + 1)))
  if (port === undefined || port === 0) return Result.fail(expected)
  if (host.startsWith("[") || host.endsWith("]")) {
    if (!(host.startsWith("[") && host.endsWith("]")) || !host.includes(":")) return Result.fail(expected)
    host = host.slice(1, -1)
  } else if (host.includes(":") || !/^[A-Za-z0-9.-]+$/.test(host)) {
    // An unbracketed IPv6 address is ambiguous with the port separator; Ryu rejects it too.
    return Result.fail(expected)
  }
  return Result.succeed({ host, port })
}

/**
 * Parses a comma-separated switch address list (`"10.0.0.1:6653,[::1]:6653"`); an empty
 * string is the empty list.
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseSwitchAddressList = (raw: string): Result.Result<ReadonlyArray<SwitchAddress>, string> => {
  const out: Array<SwitchAddress> = []
  for (const entry of raw.split(",")) {
    if (entry.trim() === "") continue
    const parsed = parseSwitchAddress(entry)
    if (Result.isFailure(parsed)) return Result.fail(`entry "${entry.trim()}": ${parsed.failure}`)
    out.push(parsed.success)
  }
  return Result.succeed(out)
}

const LOG_LEVELS: Record<string, LogLevel.LogLevel> = {
  all: "All",
  trace: "Trace",
  debug: "Debug",
  info: "Info",
  warn: "Warn",
  warning: "Warn",
  error: "Error",
  fatal: "Fatal",
  none: "None",
  off: "None"
}

const parseLogLevel = (raw: string): Result.Result<LogLevel.LogLevel, string> => {
  const level = LOG_LEVELS[raw.trim().toLowerCase()]
  return level === undefined
    ? Result.fail("expected trace, debug, info, warn, error or none")
    : Result.succeed(level)
}

const parseBoolean = (raw: string): Result.Result<boolean, string> => {
  const s = raw.trim().toLowerCase()
  if (s === "true" || s === "1" || s === "yes" || s === "on") return Result.succeed(true)
  if (s === "false" || s === "0" || s === "no" || s === "off") return Result.succeed(false)
  return Result.fail("expected true or false")
}

const parseLiteral = <const A extends string>(values: ReadonlyArray<A>) =>
(raw: string): Result.Result<A, string> => {
  const s = raw.trim().toLowerCase()
  const found = values.find((v) => v === s)
  return found === undefined ? Result.fail(`expected ${values.join(" or ")}`) : Result.succeed(found)
}

const parseString = (raw: string): Result.Result<string, string> => Result.succeed(raw)

const parseFile = (raw: string): Result.Result<string, string> =>
  raw.trim() === "" ? Result.fail("expected a file path") : Result.succeed(raw)

/**
 * The config path of an option key: `["SWITCHYARD", key]`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const pathOf = (key: string): ReadonlyArray<string> => [ENV_PREFIX, key]

/**
 * Builds the `ConfigError` this module reports for a bad value of `key`: a `SchemaError`
 * pointing at the option's path, whose message says what was expected.
 *
 * @category errors
 * @since 0.1.0
 */
export const invalid = (key: string, message: string, input?: string): Config.ConfigError =>
  new Config.ConfigError(
    new Schema.SchemaError(
      new SchemaIssue.Pointer(
        pathOf(key),
        new SchemaIssue.InvalidValue(
          { message: input === undefined ? message : `${message}, got "${input}"` },
          input
        )
      )
    )
  )

// One option, read as a string and parsed here so that the error names the option. A
// missing value yields `undefined`; a present but bad value fails: it is never replaced
// by the default.
const field = <A>(key: string, parse: (raw: string) => Result.Result<A, string>): Config.Config<A | undefined> =>
  Config.option(Config.schema(Schema.String, pathOf(key))).pipe(
    Config.mapEffect((raw) => {
      if (Option.isNone(raw)) return Effect.succeed(undefined)
      const parsed = parse(raw.value)
      return Result.isSuccess(parsed)
        ? Effect.succeed(parsed.success)
        : Effect.fail(invalid(key, parsed.failure, raw.value))
    })
  )

/**
 * Reads the whole configuration from the current `ConfigProvider`.
 *
 * **When to use**
 *
 * `Runner.runMain` uses it with a provider of flags over the environment. Use it directly
 * to load the configuration some other way (a `.env` file, a JSON object in tests).
 *
 * **Details**
 *
 * Fails with a `ConfigError` whose `SchemaError` points at `["SWITCHYARD", key]` of the
 * first bad option; the message says what was expected and what was found. Options that
 * only make sense together are checked too (`--ctl-privkey` needs `--ctl-cert`,
 * `--ca-certs` needs both).
 *
 * @example
 * ```ts
 * import { ConfigProvider, Effect } from "effect"
 * import { ControllerConfig } from "@switchyard/controller"
 *
 * const provider = ConfigProvider.fromEnv({ env: { SWITCHYARD_OFP_TCP_LISTEN_PORT: "6653" } })
 * const config = Effect.runSync(ControllerConfig.config.parse(provider))
 * config.ofpTcpListenPort // 6653
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const config: Config.Config<ControllerConfig> = Config.all({
  ofpListenHost: field("OFP_LISTEN_HOST", parseString),
  ofpTcpListenPort: field("OFP_TCP_LISTEN_PORT", parsePort),
  ofpSslListenPort: field("OFP_SSL_LISTEN_PORT", parsePort),
  ctlPrivkey: field("CTL_PRIVKEY", parseFile),
  ctlCert: field("CTL_CERT", parseFile),
  caCerts: field("CA_CERTS", parseFile),
  ofpSwitchAddressList: field("OFP_SWITCH_ADDRESS_LIST", parseSwitchAddressList),
  ofpSwitchConnectInterval: field("OFP_SWITCH_CONNECT_INTERVAL", parseDuration),
  ofpSwitchConnectMaxInterval: field("OFP_SWITCH_CONNECT_MAX_INTERVAL", parseDuration),
  handshakeTimeout: field("HANDSHAKE_TIMEOUT", parseDuration),
  echoRequestInterval: field("ECHO_REQUEST_INTERVAL", parseDuration),
  maximumUnrepliedEchoRequests: field("MAXIMUM_UNREPLIED_ECHO_REQUESTS", parseNonNegativeInt),
  requestTimeout: field("REQUEST_TIMEOUT", parseDuration),
  sendQueueSize: field("SEND_QUEUE_SIZE", parsePositiveInt),
  subscriberBufferSize: field("SUBSCRIBER_BUFFER_SIZE", parsePositiveInt),
  subscriberOverflow: field("SUBSCRIBER_OVERFLOW", parseLiteral(["dropping", "sliding", "suspend"] as const)),
  logLevel: field("LOG_LEVEL", parseLogLevel),
  verbose: field("VERBOSE", parseBoolean),
  logFormat: field("LOG_FORMAT", parseLiteral(["logfmt", "json"] as const)),
  metricsHost: field("METRICS_HOST", parseString),
  metricsPort: field("METRICS_PORT", parsePort),
  metricsLogInterval: field("METRICS_LOG_INTERVAL", parseDuration),
  workers: field("WORKERS", parseWorkers)
}).pipe(
  Config.mapEffect((v) => {
    const c: ControllerConfig = {
      ofpListenHost: v.ofpListenHost ?? defaults.ofpListenHost,
      ofpTcpListenPort: v.ofpTcpListenPort,
      ofpSslListenPort: v.ofpSslListenPort,
      ctlPrivkey: v.ctlPrivkey,
      ctlCert: v.ctlCert,
      caCerts: v.caCerts,
      ofpSwitchAddressList: v.ofpSwitchAddressList ?? defaults.ofpSwitchAddressList,
      ofpSwitchConnectInterval: v.ofpSwitchConnectInterval ?? defaults.ofpSwitchConnectInterval,
      ofpSwitchConnectMaxInterval: v.ofpSwitchConnectMaxInterval ?? defaults.ofpSwitchConnectMaxInterval,
      handshakeTimeout: v.handshakeTimeout ?? defaults.handshakeTimeout,
      echoRequestInterval: v.echoRequestInterval ?? defaults.echoRequestInterval,
      maximumUnrepliedEchoRequests: v.maximumUnrepliedEchoRequests ?? defaults.maximumUnrepliedEchoRequests,
      requestTimeout: v.requestTimeout ?? defaults.requestTimeout,
      sendQueueSize: v.sendQueueSize ?? defaults.sendQueueSize,
      subscriberBufferSize: v.subscriberBufferSize ?? defaults.subscriberBufferSize,
      subscriberOverflow: v.subscriberOverflow ?? defaults.subscriberOverflow,
      // An explicit level wins over --verbose, which wins over the default.
      logLevel: v.logLevel ?? (v.verbose === true ? "Debug" : defaults.logLevel),
      logFormat: v.logFormat ?? defaults.logFormat,
      metricsHost: v.metricsHost ?? defaults.metricsHost,
      metricsPort: v.metricsPort,
      metricsLogInterval: v.metricsLogInterval ?? defaults.metricsLogInterval,
      workers: v.workers ?? defaults.workers
    }
    const error = validate(c)
    return error === undefined ? Effect.succeed(c) : Effect.fail(error)
  })
)

/**
 * Checks the rules between options; returns the error for the first broken one.
 *
 * @category validation
 * @since 0.1.0
 */
export const validate = (c: ControllerConfig): Config.ConfigError | undefined => {
  if (c.ctlPrivkey !== undefined && c.ctlCert === undefined) {
    return invalid("CTL_CERT", "required with --ctl-privkey (TLS needs both a key and a certificate)")
  }
  if (c.ctlCert !== undefined && c.ctlPrivkey === undefined) {
    return invalid("CTL_PRIVKEY", "required with --ctl-cert (TLS needs both a key and a certificate)")
  }
  if (c.caCerts !== undefined && c.ctlCert === undefined) {
    return invalid("CA_CERTS", "needs --ctl-privkey and --ctl-cert (client certificates need TLS)")
  }
  if (c.ofpSslListenPort !== undefined && c.ctlCert === undefined) {
    return invalid("OFP_SSL_LISTEN_PORT", "needs --ctl-privkey and --ctl-cert (TLS)")
  }
  if (Duration.isZero(c.ofpSwitchConnectInterval)) {
    return invalid("OFP_SWITCH_CONNECT_INTERVAL", "must be greater than zero")
  }
  if (Duration.isLessThan(c.ofpSwitchConnectMaxInterval, c.ofpSwitchConnectInterval)) {
    return invalid("OFP_SWITCH_CONNECT_MAX_INTERVAL", "must not be below --ofp-switch-connect-interval")
  }
  for (const [key, d] of [
    ["HANDSHAKE_TIMEOUT", c.handshakeTimeout],
    ["ECHO_REQUEST_INTERVAL", c.echoRequestInterval],
    ["REQUEST_TIMEOUT", c.requestTimeout]
  ] as const) {
    if (Duration.isZero(d)) return invalid(key, "must be greater than zero")
  }
  return undefined
}

/**
 * A listening socket the configuration asks for.
 *
 * @category models
 * @since 0.1.0
 */
export interface ListenAddress {
  readonly transport: "tcp" | "tls"
  /** `""` means all interfaces. */
  readonly host: string
  readonly port: number
}

/**
 * Whether the configuration turns TLS on (both `ctlPrivkey` and `ctlCert` set).
 *
 * @category getters
 * @since 0.1.0
 */
export const tlsEnabled = (c: ControllerConfig): boolean => c.ctlPrivkey !== undefined && c.ctlCert !== undefined

/**
 * The listening sockets a configuration asks for, following Ryu.
 *
 * **Details**
 *
 * - Without TLS: TCP on `ofpTcpListenPort`, or on 6653 and 6633 when unset.
 * - With TLS: TLS on `ofpSslListenPort`, or on 6653 and 6633 when unset (Ryu's default
 *   pair); plain TCP only when `ofpTcpListenPort` is set explicitly (Ryu would ignore it;
 *   we honour it so TLS and TCP can run side by side on different ports).
 *
 * @example
 * ```ts
 * import { ControllerConfig } from "@switchyard/controller"
 *
 * ControllerConfig.listenAddresses(ControllerConfig.defaults)
 * // [{ transport: "tcp", host: "", port: 6653 }, { transport: "tcp", host: "", port: 6633 }]
 * ```
 *
 * @category getters
 * @since 0.1.0
 */
export const listenAddresses = (c: ControllerConfig): ReadonlyArray<ListenAddress> => {
  const host = c.ofpListenHost
  const pair = (transport: "tcp" | "tls"): Array<ListenAddress> => [
    { transport, host, port: OFP_TCP_PORT },
    { transport, host, port: OFP_TCP_PORT_OLD }
  ]
  if (!tlsEnabled(c)) {
    return c.ofpTcpListenPort === undefined ? pair("tcp") : [{ transport: "tcp", host, port: c.ofpTcpListenPort }]
  }
  const tls = c.ofpSslListenPort === undefined
    ? pair("tls")
    : [{ transport: "tls" as const, host, port: c.ofpSslListenPort }]
  return c.ofpTcpListenPort === undefined ? tls : [{ transport: "tcp", host, port: c.ofpTcpListenPort }, ...tls]
}

/**
 * Builds a configuration from `defaults` and some overrides, checked like a parsed one
 * (throws on a broken rule, so use it in tests and code, not for user input).
 *
 * @example
 * ```ts
 * import { ControllerConfig } from "@switchyard/controller"
 *
 * const config = ControllerConfig.make({ ofpListenHost: "127.0.0.1", ofpTcpListenPort: 0 })
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (overrides: Partial<ControllerConfig> = {}): ControllerConfig => {
  const c = { ...defaults, ...overrides }
  const error = validate(c)
  if (error !== undefined) throw new Error(error.message)
  return c
}

/**
 * Provides `ControllerConfig` from the current `ConfigProvider` (the environment, unless
 * another provider is installed).
 *
 * @category layers
 * @since 0.1.0
 */
export const layer: Layer.Layer<never, Config.ConfigError> = Layer.effect(ControllerConfig)(config)

/**
 * Provides a fixed `ControllerConfig` (see `make`).
 *
 * @example
 * ```ts
 * import { ControllerConfig } from "@switchyard/controller"
 *
 * const TestConfig = ControllerConfig.layerWith({ ofpListenHost: "127.0.0.1", ofpTcpListenPort: 0 })
 * ```
 *
 * @category layers
 * @since 0.1.0
 */
export const layerWith = (overrides: Partial<ControllerConfig>): Layer.Layer<never> =>
  Layer.succeed(ControllerConfig)(make(overrides))
