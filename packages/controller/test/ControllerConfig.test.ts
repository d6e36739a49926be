import { assert, describe, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as ControllerConfig from "../src/ControllerConfig.ts"
import * as Runner from "../src/Runner.ts"

const load = (argv: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  Runner.parseArgs({ argv, env }).pipe(
    Effect.flatMap((parsed) =>
      parsed._tag === "Run" ? Effect.succeed(parsed.config) : Effect.die("expected a configuration, got help")
    )
  )

const loadError = (argv: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  Effect.flip(Runner.parseArgs({ argv, env }))

describe("ControllerConfig from flags and environment", () => {
  it.effect("with nothing set, the defaults: TCP on 6653 and the legacy 6633 on all interfaces", () =>
    Effect.gen(function*() {
      const config = yield* load([])
      assert.deepStrictEqual(config, ControllerConfig.defaults)
      assert.deepStrictEqual(ControllerConfig.listenAddresses(config), [
        { transport: "tcp", host: "", port: 6653 },
        { transport: "tcp", host: "", port: 6633 }
      ])
    }))

  it.effect("reads Ryu's flag names", () =>
    Effect.gen(function*() {
      const config = yield* load([
        "--ofp-listen-host", "10.1.2.3",
        "--ofp-tcp-listen-port", "16653",
        "--ofp-ssl-listen-port", "16654",
        "--ctl-privkey", "/etc/switchyard/ctl.key",
        "--ctl-cert", "/etc/switchyard/ctl.crt",
        "--ca-certs", "/etc/switchyard/ca.crt",
        "--ofp-switch-address-list", "10.0.0.1:6653,[fe80::1]:6633,switch-7.lab:6653",
        "--ofp-switch-connect-interval", "0.5",
        "--echo-request-interval", "5",
        "--maximum-unreplied-echo-requests", "0"
      ])
      assert.strictEqual(config.ofpListenHost, "10.1.2.3")
      assert.strictEqual(config.ofpTcpListenPort, 16653)
      assert.strictEqual(config.ofpSslListenPort, 16654)
      assert.strictEqual(config.ctlPrivkey, "/etc/switchyard/ctl.key")
      assert.strictEqual(config.ctlCert, "/etc/switchyard/ctl.crt")
      assert.strictEqual(config.caCerts, "/etc/switchyard/ca.crt")
      assert.deepStrictEqual(config.ofpSwitchAddressList, [
        { host: "10.0.0.1", port: 6653 },
        { host: "fe80::1", port: 6633 },
        { host: "switch-7.lab", port: 6653 }
      ])
      assert.strictEqual(Duration.toMillis(config.ofpSwitchConnectInterval), 500)
      assert.strictEqual(Duration.toMillis(config.echoRequestInterval), 5000)
      assert.strictEqual(config.maximumUnrepliedEchoRequests, 0)
      assert.deepStrictEqual(ControllerConfig.listenAddresses(config), [
        { transport: "tcp", host: "10.1.2.3", port: 16653 },
        { transport: "tls", host: "10.1.2.3", port: 16654 }
      ])
    }))

  it.effect("accepts --flag=value as well as --flag value", () =>
    Effect.gen(function*() {
      const config = yield* load(["--ofp-tcp-listen-port=7001", "--send-queue-size=64", "--subscriber-overflow=sliding"])
      assert.strictEqual(config.ofpTcpListenPort, 7001)
      assert.strictEqual(config.sendQueueSize, 64)
      assert.strictEqual(config.subscriberOverflow, "sliding")
    }))

  it.effect.each([
    ["ofp-tcp-listen-port", "OFP_TCP_LISTEN_PORT", "7001", "7002", (c: ControllerConfig.ControllerConfig) => c.ofpTcpListenPort, 7001, 7002, undefined],
    ["ofp-listen-host", "OFP_LISTEN_HOST", "10.0.0.1", "10.0.0.2", (c: ControllerConfig.ControllerConfig) => c.ofpListenHost, "10.0.0.1", "10.0.0.2", ""],
    ["send-queue-size", "SEND_QUEUE_SIZE", "32", "64", (c: ControllerConfig.ControllerConfig) => c.sendQueueSize, 32, 64, 16],
    ["log-level", "LOG_LEVEL", "warn", "debug", (c: ControllerConfig.ControllerConfig) => c.logLevel, "Warn", "Debug", "Info"],
    ["echo-request-interval", "ECHO_REQUEST_INTERVAL", "3", "4", (c: ControllerConfig.ControllerConfig) => Duration.toSeconds(c.echoRequestInterval), 3, 4, 15]
  ] as const)("precedence for --%s: flag over SWITCHYARD_%s over default", ([flag, key, flagValue, envValue, get, fromFlag, fromEnv, fallback]) =>
    Effect.gen(function*() {
      const env = { [`SWITCHYARD_${key}`]: envValue }
      assert.strictEqual(get(yield* load([`--${flag}`, flagValue], env)), fromFlag)
      assert.strictEqual(get(yield* load([], env)), fromEnv)
      assert.strictEqual(get(yield* load([])), fallback)
    }))

  it.effect("--verbose means debug unless a level is given; it can come from the environment too", () =>
    Effect.gen(function*() {
      assert.strictEqual((yield* load(["--verbose"])).logLevel, "Debug")
      assert.strictEqual((yield* load(["--verbose", "--log-level", "error"])).logLevel, "Error")
      assert.strictEqual((yield* load([], { SWITCHYARD_VERBOSE: "true" })).logLevel, "Debug")
      assert.strictEqual((yield* load(["--verbose=false"])).logLevel, "Info")
    }))

  it.effect.each([
    [["--ofp-tcp-listen-port", "abc"], {}, `--ofp-tcp-listen-port: expected a TCP port 0-65535, got "abc"`],
    [["--ofp-tcp-listen-port", "70000"], {}, `--ofp-tcp-listen-port: expected a TCP port 0-65535, got "70000"`],
    [["--ofp-tcp-listen-port", "-1"], {}, `--ofp-tcp-listen-port: expected a TCP port 0-65535, got "-1"`],
    [[], { SWITCHYARD_OFP_TCP_LISTEN_PORT: "66000" }, `SWITCHYARD_OFP_TCP_LISTEN_PORT: expected a TCP port 0-65535, got "66000"`],
    [["--echo-request-interval", "soon"], {}, `--echo-request-interval: expected seconds (e.g. 15 or 0.5) or a duration (e.g. 500ms, "15 seconds"), got "soon"`],
    [["--ofp-switch-address-list", "10.0.0.1"], {}, `--ofp-switch-address-list: entry "10.0.0.1": expected host:port or [ipv6]:port, got "10.0.0.1"`],
    [["--ofp-switch-address-list", "10.0.0.1:6653,::1:6653"], {}, `--ofp-switch-address-list: entry "::1:6653": expected host:port or [ipv6]:port, got "10.0.0.1:6653,::1:6653"`],
    [["--log-level", "loud"], {}, `--log-level: expected trace, debug, info, warn, error or none, got "loud"`],
    [["--send-queue-size", "0"], {}, `--send-queue-size: expected a whole number >= 1, got "0"`],
    [["--subscriber-overflow", "block"], {}, `--subscriber-overflow: expected dropping or sliding or suspend, got "block"`],
    [["--ctl-privkey", "k.pem"], {}, "--ctl-cert: required with --ctl-privkey (TLS needs both a key and a certificate)"],
    [["--ca-certs", "ca.pem"], {}, "--ca-certs: needs --ctl-privkey and --ctl-cert (client certificates need TLS)"],
    [["--ofp-ssl-listen-port", "6653"], {}, "--ofp-ssl-listen-port: needs --ctl-privkey and --ctl-cert (TLS)"],
    [["--ofp-switch-connect-interval", "10", "--ofp-switch-connect-max-interval", "5"], {}, "--ofp-switch-connect-max-interval: must not be below --ofp-switch-connect-interval"]
  ] as const)("a bad value is one clear line naming its source, exit code 2: %j %j", ([argv, env, message]) =>
    Effect.gen(function*() {
      const error = yield* loadError(argv, env)
      assert.strictEqual(error.message, message)
      assert.strictEqual(error.exitCode, 2)
    }))

  it.effect("a flag wins over a bad environment value (the environment is not read for it)", () =>
    Effect.gen(function*() {
      const config = yield* load(["--ofp-tcp-listen-port", "7001"], { SWITCHYARD_OFP_TCP_LISTEN_PORT: "nope" })
      assert.strictEqual(config.ofpTcpListenPort, 7001)
    }))

  it.effect.each([
    [["--ofp-tcp-port", "6653"], "unknown flag --ofp-tcp-port (did you mean --ofp-tcp-listen-port?) (see --help)"],
    [["--frobnicate"], "unknown flag --frobnicate (see --help)"],
    [["-v"], "unknown flag -v (see --help)"],
    [["--ctl-cert"], "flag --ctl-cert needs a value (FILE) (see --help)"],
    [["--ctl-cert", "--ca-certs", "ca.pem"], "flag --ctl-cert needs a value (FILE) (see --help)"],
    [["simple_switch_13.py"], `unexpected argument "simple_switch_13.py" (see --help)`]
  ] as const)("a malformed command line is one line, exit code 2: %j", ([argv, message]) =>
    Effect.gen(function*() {
      const error = yield* loadError(argv)
      assert.strictEqual(error.message, message)
      assert.strictEqual(error.exitCode, 2)
      assert.notInclude(error.message, "\n")
    }))

  it.effect("--help lists every flag with its environment variable", () =>
    Effect.gen(function*() {
      const parsed = yield* Runner.parseArgs({ argv: ["--ofp-tcp-listen-port", "1", "--help"], env: {}, name: "l2switch" })
      assert.strictEqual(parsed._tag, "Help")
      if (parsed._tag !== "Help") return
      assert.match(parsed.text, /^usage: l2switch \[flags\]/)
      for (const option of ControllerConfig.options) {
        assert.include(parsed.text, `--${option.flag}`)
        assert.include(parsed.text, `SWITCHYARD_${option.key}`)
      }
    }))

  it.effect("the provider it returns answers flags first, then the environment, for apps too", () =>
    Effect.gen(function*() {
      const parsed = yield* Runner.parseArgs({ argv: ["--ofp-tcp-listen-port", "1"], env: { MY_APP_SETTING: "x" } })
      assert.strictEqual(parsed._tag, "Run")
      if (parsed._tag !== "Run") return
      const app = yield* ConfigProvider.ConfigProvider.pipe(Effect.flatMap((p) => p.load(["MY_APP_SETTING"])))
      assert.strictEqual(app, undefined) // the default provider here is the test's real env
      const fromParsed = yield* parsed.provider.load(["MY_APP_SETTING"])
      assert.strictEqual(fromParsed?.value, "x")
      const flag = yield* parsed.provider.load(["SWITCHYARD", "OFP_TCP_LISTEN_PORT"])
      assert.strictEqual(flag?.value, "1")
    }))
})

describe("ControllerConfig rules and parsers", () => {
  it.effect("with TLS on, TLS takes over 6653 and 6633; plain TCP listens only on an explicit port", () =>
    Effect.gen(function*() {
      const tls = { ctlPrivkey: "k", ctlCert: "c" }
      assert.deepStrictEqual(ControllerConfig.listenAddresses(ControllerConfig.make(tls)), [
        { transport: "tls", host: "", port: 6653 },
        { transport: "tls", host: "", port: 6633 }
      ])
      assert.deepStrictEqual(ControllerConfig.listenAddresses(ControllerConfig.make({ ...tls, ofpTcpListenPort: 6653, ofpSslListenPort: 6654 })), [
        { transport: "tcp", host: "", port: 6653 },
        { transport: "tls", host: "", port: 6654 }
      ])
      assert.deepStrictEqual(ControllerConfig.listenAddresses(ControllerConfig.make({ ofpTcpListenPort: 0 })), [
        { transport: "tcp", host: "", port: 0 }
      ])
    }))

  it.effect.each([
    ["15", 15_000],
    ["0.5", 500],
    ["500ms", 500],
    ["2m", 120_000],
    ["1h", 3_600_000],
    ["15 seconds", 15_000],
    ["250 millis", 250]
  ] as const)("parseDuration(%s)", ([input, millis]) =>
    Effect.sync(() => {
      const parsed = ControllerConfig.parseDuration(input)
      assert.isTrue(Result.isSuccess(parsed))
      if (Result.isSuccess(parsed)) assert.strictEqual(Duration.toMillis(parsed.success), millis)
    }))

  it.effect.each(["", "-1", "soon", "1 fortnight", "Infinity", "5 s econds"])("parseDuration rejects %j", (input) =>
    Effect.sync(() => {
      assert.isTrue(Result.isFailure(ControllerConfig.parseDuration(input)))
    }))

  it.effect.each([
    ["10.0.0.1:6653", { host: "10.0.0.1", port: 6653 }],
    ["[::1]:6633", { host: "::1", port: 6633 }],
    ["switch.example:6653", { host: "switch.example", port: 6653 }]
  ] as const)("parseSwitchAddress(%s)", ([input, expected]) =>
    Effect.sync(() => {
      assert.deepStrictEqual(ControllerConfig.parseSwitchAddress(input), Result.succeed(expected))
    }))

  it.effect.each(["10.0.0.1", "10.0.0.1:", "10.0.0.1:0", "10.0.0.1:65536", "::1:6653", "[10.0.0.1]:6653", "[::1:6653", ":6653", "a b:6653"])(
    "parseSwitchAddress rejects %j",
    (input) =>
      Effect.sync(() => {
        assert.isTrue(Result.isFailure(ControllerConfig.parseSwitchAddress(input)))
      })
  )

  it("make throws on a broken rule (for code, not user input)", () => {
    assert.throws(() => ControllerConfig.make({ caCerts: "ca.pem" }), /client certificates need TLS/)
  })
})
