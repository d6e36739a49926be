import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as NodeSocket from "@effect/platform-node/NodeSocket"
import type * as Tls from "node:tls"
import * as ControllerConfig from "../src/ControllerConfig.ts"
import * as Listener from "../src/Listener.ts"
import * as NodeListener from "../src/NodeListener.ts"
import { type Certs, makeCerts } from "./support/certs.ts"
import { connect, connectTls, portOf } from "./support/client.ts"

let certs: Certs
beforeAll(() => {
  certs = makeCerts()
})
afterAll(() => certs.cleanup())

const echo = (connection: Listener.Connection) =>
  Effect.gen(function*() {
    const reader = yield* connection.socket.reader
    const writer = yield* connection.socket.writer
    while (true) yield* writer.writeAll((yield* reader.pull) as [Uint8Array])
  }).pipe(Effect.scoped, Effect.ignore)

const tlsListener = (withCa: boolean) =>
  NodeListener.make({
    listen: [{ transport: "tls", host: "127.0.0.1", port: 0 }],
    tls: {
      key: certs.read(certs.controllerKey),
      cert: certs.read(certs.controllerCert),
      ca: withCa ? certs.read(certs.caCert) : undefined
    }
  })

const switchOptions = (port: number, identity: "valid" | "rogue" | "none"): Tls.ConnectionOptions => ({
  host: "127.0.0.1",
  port,
  ca: certs.read(certs.caCert),
  ...(identity === "valid"
    ? { key: certs.read(certs.switchKey), cert: certs.read(certs.switchCert) }
    : identity === "rogue"
    ? { key: certs.read(certs.rogueKey), cert: certs.read(certs.rogueCert) }
    : {})
})

// Serves with a handler that counts its invocations, so a refused switch can be shown
// never to reach the runtime.
const countingRun = (listener: Listener.Listener["Service"]) =>
  Effect.gen(function*() {
    const served = yield* Ref.make(0)
    yield* Effect.forkScoped(listener.run((c) => Ref.update(served, (n) => n + 1).pipe(Effect.andThen(echo(c)))))
    return served
  })

// A refused switch either fails its handshake, or (TLS 1.3, where the client finishes
// first) completes it and is then cut off by the controller's alert before any data.
const assertRefused = (options: Tls.ConnectionOptions) =>
  Effect.gen(function*() {
    const attempt = yield* Effect.exit(Effect.scoped(Effect.gen(function*() {
      const client = yield* connectTls(options)
      yield* client.write("ping")
      return yield* client.read(4)
    })))
    assert.strictEqual(attempt._tag, "Failure", "a switch without a valid certificate must not get a session")
  })

// Built lazily: the certificates exist only once beforeAll has run.
const config = () =>
  ControllerConfig.make({
    ofpListenHost: "127.0.0.1",
    ofpTcpListenPort: 0,
    ofpSslListenPort: 0,
    ctlPrivkey: certs.controllerKey,
    ctlCert: certs.controllerCert,
    caCerts: certs.caCert
  })

describe("NodeListener TLS", () => {
  it.live("a switch with a certificate signed by the CA connects and is served over TLS", () =>
    Effect.gen(function*() {
      const listener = yield* tlsListener(true)
      assert.match(listener.addresses[0]!, /^tls:127\.0\.0\.1:\d+$/)
      const seen = yield* Deferred.make<readonly [Listener.Transport, string | undefined]>()
      yield* Effect.forkScoped(listener.run((c) =>
        Effect.gen(function*() {
          // The listener puts the Node socket in each connection's context; the Listener
          // contract does not promise it, hence serviceOption.
          const raw = Option.getOrThrow(yield* Effect.serviceOption(NodeSocket.NetSocket)) as Tls.TLSSocket
          const cn = raw.getPeerCertificate().subject?.CN
          yield* Deferred.succeed(seen, [c.transport, Array.isArray(cn) ? cn[0] : cn] as const)
          yield* echo(c)
        })
      ))
      const client = yield* connectTls(switchOptions(portOf(listener.addresses[0]!), "valid"))
      yield* client.write("hello over tls")
      assert.strictEqual((yield* client.read(14)).toString(), "hello over tls")
      const [transport, cn] = yield* Deferred.await(seen)
      assert.strictEqual(transport, "tls")
      assert.strictEqual(cn, "switch-1")
    }).pipe(Effect.scoped))

  it.live("with a CA, a switch without a client certificate is refused and never served", () =>
    Effect.gen(function*() {
      const listener = yield* tlsListener(true)
      const served = yield* countingRun(listener)
      yield* assertRefused(switchOptions(portOf(listener.addresses[0]!), "none"))
      assert.strictEqual(yield* Ref.get(served), 0)
    }).pipe(Effect.scoped))

  it.live("with a CA, a switch whose certificate another CA signed is refused", () =>
    Effect.gen(function*() {
      const listener = yield* tlsListener(true)
      const served = yield* countingRun(listener)
      yield* assertRefused(switchOptions(portOf(listener.addresses[0]!), "rogue"))
      assert.strictEqual(yield* Ref.get(served), 0)
      // The listener still serves a good switch afterwards.
      const client = yield* connectTls(switchOptions(portOf(listener.addresses[0]!), "valid"))
      yield* client.write("ok")
      assert.strictEqual((yield* client.read(2)).toString(), "ok")
      assert.strictEqual(yield* Ref.get(served), 1)
    }).pipe(Effect.scoped))

  it.live("without a CA, switches need no certificate (server authentication only)", () =>
    Effect.gen(function*() {
      const listener = yield* tlsListener(false)
      yield* countingRun(listener)
      const client = yield* connectTls(switchOptions(portOf(listener.addresses[0]!), "none"))
      yield* client.write("anon")
      assert.strictEqual((yield* client.read(4)).toString(), "anon")
    }).pipe(Effect.scoped))

  it.live("a plain TCP client on the TLS port is never served", () =>
    Effect.gen(function*() {
      const listener = yield* tlsListener(true)
      const served = yield* countingRun(listener)
      const client = yield* connect(portOf(listener.addresses[0]!))
      // An OpenFlow HELLO instead of a ClientHello.
      yield* client.write(new Uint8Array([4, 0, 0, 8, 0, 0, 0, 1]))
      yield* client.closed
      assert.strictEqual(yield* Ref.get(served), 0)
    }).pipe(Effect.scoped))

  it.live("the configuration's TLS files are loaded: TLS on the SSL port, plain TCP on an explicit TCP port", () =>
    Effect.gen(function*() {
      const listener = yield* Listener.Listener
      assert.strictEqual(listener.addresses.length, 2)
      const tcp = listener.addresses.find((a) => a.startsWith("tcp:"))!
      const tls = listener.addresses.find((a) => a.startsWith("tls:"))!
      yield* countingRun(listener)
      const secure = yield* connectTls(switchOptions(portOf(tls), "valid"))
      yield* secure.write("s")
      assert.strictEqual((yield* secure.read(1)).toString(), "s")
      const plain = yield* connect(portOf(tcp))
      yield* plain.write("p")
      assert.strictEqual((yield* plain.read(1)).toString(), "p")
    }).pipe(
      Effect.provide(NodeListener.layerConfig),
      Effect.provideService(ControllerConfig.ControllerConfig, config()),
      Effect.scoped
    ))

  it.effect("a missing TLS file is a TlsConfigError naming the file", () =>
    Effect.gen(function*() {
      const config = ControllerConfig.make({
        ctlPrivkey: `${certs.dir}/does-not-exist.key`,
        ctlCert: certs.controllerCert
      })
      const error = yield* Effect.flip(NodeListener.optionsFromConfig(config))
      assert.strictEqual(error.reason._tag, "TlsConfigError")
      assert.include(error.message, "does-not-exist.key")
    }))

  it.live("a key that does not match the certificate fails at startup, not at the first switch", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(NodeListener.make({
        listen: [{ transport: "tls", host: "127.0.0.1", port: 0 }],
        tls: { key: certs.read(certs.switchKey), cert: certs.read(certs.controllerCert) }
      }))
      assert.strictEqual(error.reason._tag, "TlsConfigError")
      assert.match(error.message, /invalid TLS configuration: .*key values mismatch/)
    }).pipe(Effect.scoped))
})
