// A small OpenFlow 1.3 switch over a real TCP socket, for integration tests: it says
// HELLO, answers FEATURES_REQUEST, PORT_DESC, ECHO_REQUEST and BARRIER_REQUEST, and can
// send its own ECHO_REQUEST and wait for the reply. Every byte goes through the real
// codec (Framing, Message.decode, Encoder).
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { Barrier, Echo, Encoder, Framing, Hello, Message, type Port } from "@switchyard/openflow"
import * as Net from "node:net"

export interface FakeSwitch {
  readonly dpid: bigint
  /** Every message received from the controller, by tag, in order. */
  readonly received: Array<Message.Message["_tag"]>
  /** Sends ECHO_REQUEST with `data` and waits for the controller's ECHO_REPLY. */
  readonly echo: (data: Uint8Array) => Effect.Effect<Uint8Array, Error>
  /** Resolves once the controller has asked for the port list (the handshake's last step). */
  readonly handshakeDone: Effect.Effect<void>
  /** Resolves when the controller's BARRIER_REQUEST has been answered. */
  readonly barrierAnswered: Effect.Effect<void>
  /** Closes the connection (as a switch that goes away). */
  readonly close: Effect.Effect<void>
  /** Resolves when the socket is closed, by either side. */
  readonly closed: Effect.Effect<void>
}

const VERSION = 4 // OpenFlow 1.3

const port = (portNo: number): Port.Port => ({
  portNo,
  hwAddr: 0x0200_0000_0000 + portNo,
  name: `eth${portNo}`,
  config: 0,
  state: 4, // OFPPS_LIVE
  curr: 0x2040, // 1 Gb FD, copper
  advertised: 0,
  supported: 0,
  peer: 0,
  currSpeed: 1_000_000,
  maxSpeed: 1_000_000
})

export const connect = (options: {
  readonly port: number
  readonly host?: string
  readonly dpid: bigint
  readonly ports?: number
}): Effect.Effect<FakeSwitch, Error, Scope.Scope> =>
  Effect.gen(function*() {
    const socket = yield* Effect.acquireRelease(
      Effect.callback<Net.Socket, Error>((resume) => {
        const s = Net.createConnection({ port: options.port, host: options.host ?? "127.0.0.1" })
        s.once("connect", () => resume(Effect.succeed(s)))
        s.once("error", (e) => resume(Effect.fail(e)))
      }),
      (s) => Effect.sync(() => s.destroy())
    )
    const received: Array<Message.Message["_tag"]> = []
    const handshakeDone = yield* Deferred.make<void>()
    const barrierAnswered = yield* Deferred.make<void>()
    const closed = yield* Deferred.make<void>()
    const echoWaiters = new Map<number, (data: Uint8Array) => void>()
    const encoder = Encoder.make(VERSION)
    const framer = Framing.make()
    let nextXid = 0x1000
    const send = (message: Message.Message, xid: number) => {
      const error = encoder.add(message, xid)
      if (error !== undefined) throw new Error(`fake switch cannot encode ${message._tag}: ${error.message}`)
      socket.write(encoder.flush())
    }
    socket.on("error", () => {})
    socket.on("close", () => Deferred.doneUnsafe(closed, Effect.void))
    socket.on("data", (chunk: Buffer) => {
      const frames: Array<Uint8Array> = []
      const error = framer.push(chunk, frames)
      for (const frame of frames) {
        const decoded = Message.decode(frame)
        if (decoded._tag === "Failure") throw new Error(`fake switch cannot decode: ${decoded.failure.message}`)
        const { message, xid } = decoded.success
        received.push(message._tag)
        switch (message._tag) {
          case "FeaturesRequest":
            send({
              _tag: "FeaturesReply",
              datapathId: options.dpid,
              nBuffers: 256,
              nTables: 254,
              auxiliaryId: 0,
              capabilities: 0x4f,
              reserved: 0
            }, xid)
            break
          case "PortDescRequest": {
            const ports = Array.from({ length: options.ports ?? 4 }, (_, i) => port(i + 1))
            send({ _tag: "PortDescReply", flags: 0, ports }, xid)
            Deferred.doneUnsafe(handshakeDone, Effect.void)
            break
          }
          case "EchoRequest":
            send(Echo.reply(message), xid)
            break
          case "EchoReply": {
            const waiter = echoWaiters.get(xid)
            echoWaiters.delete(xid)
            waiter?.(message.data)
            break
          }
          case "BarrierRequest":
            send(Barrier.reply, xid)
            Deferred.doneUnsafe(barrierAnswered, Effect.void)
            break
          default:
            break
        }
      }
      if (error !== undefined) socket.destroy()
    })
    send(Hello.make([VERSION]), 1)
    return {
      dpid: options.dpid,
      received,
      echo: (data) =>
        Effect.callback<Uint8Array, Error>((resume) => {
          const xid = nextXid++
          echoWaiters.set(xid, (reply) => resume(Effect.succeed(reply)))
          send(Echo.request(data), xid)
          return Effect.sync(() => echoWaiters.delete(xid))
        }),
      handshakeDone: Deferred.await(handshakeDone),
      barrierAnswered: Deferred.await(barrierAnswered),
      close: Effect.sync(() => socket.end()),
      closed: Deferred.await(closed)
    }
  })
