import { assert, describe, it } from "@effect/vitest"
import { ErrorMsg, Hello, type OpenFlowError, PacketIn, Version } from "@switchyard/openflow"
import { Effect, Stream } from "effect"
import * as Controller from "../src/Controller.ts"
import * as ScriptedSwitch from "./support/ScriptedSwitch.ts"

const { connect, connectUp, encode } = ScriptedSwitch

/** A valid PACKET_IN (62 bytes: 24 fixed + 16 match + 2 pad + 20 data), to damage. */
const packetIn = (): Uint8Array => encode(PacketIn.make({ inPort: 1, data: new Uint8Array(20).fill(0xab) }), 7)
const withBytes = (bytes: Uint8Array, at: number, values: ReadonlyArray<number>): Uint8Array => {
  const out = bytes.slice()
  out.set(values, at)
  return out
}

interface Case {
  readonly name: string
  /** Before the handshake (the switch's first bytes) or after it. */
  readonly when: "first" | "after-handshake"
  readonly bytes: () => Uint8Array
  /** The error the controller must send back, or none. */
  readonly error: OpenFlowError.ErrorName | undefined
  /** Whether the offending bytes are echoed in full in the error's data. */
  readonly echoesBytes: boolean
  /** Whether the controller must close the connection afterwards. */
  readonly closes: boolean
  /** Close the switch's write side right after sending (a disconnect). */
  readonly disconnect?: boolean
}

const cases: ReadonlyArray<Case> = [
  {
    name: "garbage instead of HELLO",
    when: "first",
    bytes: () => new TextEncoder().encode("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 TLS hello to the wrong port"),
    error: "OFPHFC_INCOMPATIBLE",
    echoesBytes: false,
    closes: true
  },
  {
    name: "no common version",
    when: "first",
    // OpenFlow 1.1 and 1.2: versions this codec does not speak.
    bytes: () => encode(Hello.make([Version.OF11, Version.OF12]), 1, Version.OF12),
    error: "OFPHFC_INCOMPATIBLE",
    echoesBytes: false,
    closes: true
  },
  {
    name: "header length 0",
    when: "after-handshake",
    bytes: () => Uint8Array.of(4, 10, 0, 0, 0, 0, 0, 9),
    error: "OFPBRC_BAD_LEN",
    echoesBytes: true,
    closes: true
  },
  {
    name: "garbage with a header length below 8",
    when: "after-handshake",
    bytes: () => Uint8Array.of(0xde, 0xad, 0x00, 0x05, 0xbe, 0xef, 0xca, 0xfe, 1, 2, 3),
    error: "OFPBRC_BAD_LEN",
    echoesBytes: false,
    closes: true
  },
  {
    name: "unknown message type",
    when: "after-handshake",
    bytes: () => Uint8Array.of(4, 99, 0, 8, 0, 0, 0, 9),
    error: "OFPBRC_BAD_TYPE",
    echoesBytes: true,
    closes: false
  },
  {
    name: "truncated PACKET_IN (no room for its match)",
    when: "after-handshake",
    bytes: () => withBytes(packetIn().slice(0, 24), 2, [0, 24]),
    error: "OFPBMC_BAD_LEN",
    echoesBytes: true,
    closes: false
  },
  {
    name: "PACKET_IN whose match runs past the message",
    when: "after-handshake",
    bytes: () => withBytes(packetIn(), 26, [0, 0xf0]),
    error: "OFPBMC_BAD_LEN",
    echoesBytes: true,
    closes: false
  },
  {
    name: "PACKET_IN with a match that is not OXM",
    when: "after-handshake",
    bytes: () => withBytes(packetIn(), 24, [0, 0]),
    error: "OFPBMC_BAD_TYPE",
    echoesBytes: true,
    closes: false
  },
  {
    name: "PACKET_IN with an OXM field longer than its match",
    when: "after-handshake",
    bytes: () => withBytes(packetIn(), 31, [9]),
    error: "OFPBMC_BAD_LEN",
    echoesBytes: true,
    closes: false
  },
  {
    name: "disconnect in the middle of a PACKET_IN",
    when: "after-handshake",
    bytes: () => packetIn().slice(0, 30),
    error: undefined,
    echoesBytes: false,
    closes: true,
    disconnect: true
  }
]

describe("hostile peers", () => {
  it.effect.each(cases)("$name: answered precisely, and the other switch carries on", (c) =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const packetIns = yield* controller.messages("PacketIn")
      const bystander = yield* connectUp(controller, { dpid: 100n, remoteAddress: "memory:bystander" })
      const hostile = c.when === "first"
        ? yield* connect(controller, { remoteAddress: "memory:hostile" })
        : (yield* connectUp(controller, { dpid: 200n, remoteAddress: "memory:hostile" })).sw
      yield* hostile.drain
      const bytes = c.bytes()
      yield* hostile.write(bytes)
      if (c.disconnect === true) yield* hostile.closeWrite
      if (c.error !== undefined) {
        const reply = yield* hostile.expect("ErrorMsg")
        assert.strictEqual(ErrorMsg.errorName(reply.message, reply.version), c.error)
        if (c.echoesBytes) {
          assert.deepStrictEqual([...reply.message.data], [...bytes])
          assert.strictEqual(reply.xid, ((bytes[4]! << 24) >>> 0) + (bytes[5]! << 16) + (bytes[6]! << 8) + bytes[7]!)
        }
      }
      if (c.closes) {
        yield* hostile.awaitClosed
      } else {
        // Still up: the next valid message is handled.
        yield* hostile.send({ _tag: "EchoRequest", data: Uint8Array.of(1) }, { xid: 55 })
        assert.strictEqual((yield* hostile.expect("EchoReply")).xid, 55)
      }
      // The bystander was never disturbed.
      yield* bystander.sw.write(packetIn())
      const [event] = yield* packetIns.pipe(Stream.filter((e) => e.datapath.dpid === 100n), Stream.take(1), Stream.runCollect)
      assert.strictEqual(PacketIn.inPort(event!.message), 1)
      yield* bystander.sw.send({ _tag: "EchoRequest", data: new Uint8Array(0) }, { xid: 3 })
      assert.strictEqual((yield* bystander.sw.expect("EchoReply")).xid, 3)
      assert.strictEqual(bystander.datapath.state, "MAIN")
      assert.strictEqual(yield* controller.connectionCount, c.closes ? 1 : 2)
    }).pipe(Effect.scoped, Effect.provide(Controller.layer())))

  it.effect("a flood of malformed messages gets one error each and a rate-limited log, not a closed connection", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const { datapath, sw } = yield* connectUp(controller)
      const bad = withBytes(packetIn(), 24, [0, 0])
      const burst = new Uint8Array(bad.length * 200)
      for (let i = 0; i < 200; i++) burst.set(bad, i * bad.length)
      yield* sw.write(burst)
      let errors = 0
      while (errors < 200) {
        const frame = yield* sw.receive
        if (frame.message?._tag === "ErrorMsg") errors++
      }
      assert.strictEqual(datapath.stats.errorsSent, 200)
      assert.strictEqual(datapath.state, "MAIN")
    }).pipe(Effect.scoped, Effect.provide(Controller.layer())))
})

