import { assert, describe, it } from "@effect/vitest"
import * as NodeSocketServer from "@effect/platform-node/NodeSocketServer"
import { Features, Framing, Header, Hello, Message, PacketIn, Version } from "@switchyard/openflow"
import { Effect, Stream } from "effect"
import * as Net from "node:net"
import * as Controller from "../src/Controller.ts"
import { encode } from "./support/ScriptedSwitch.ts"

/** A switch on a real TCP socket, written with plain node:net: no Effect on its side. */
const tcpSwitch = (port: number, dpid: bigint) => {
  const socket = Net.createConnection({ port, host: "127.0.0.1" })
  const framer = Framing.make()
  const received: Array<Message.Message> = []
  const waiters: Array<() => void> = []
  socket.on("data", (chunk) => {
    const frames: Array<Uint8Array> = []
    framer.push(new Uint8Array(chunk), frames)
    for (const frame of frames) {
      const message = Message.decodeMessage(frame)
      if (message instanceof Error) throw message
      const xid = Header.xid(frame)
      switch (message._tag) {
        case "FeaturesRequest":
          socket.write(encode({ ...Features.request, _tag: "FeaturesReply", datapathId: dpid, nBuffers: 0, nTables: 1, auxiliaryId: 0, capabilities: 0, reserved: 0 }, xid))
          break
        case "PortDescRequest":
          socket.write(encode({ _tag: "PortDescReply", flags: 0, ports: [] }, xid))
          break
        case "BarrierRequest":
          socket.write(encode({ _tag: "BarrierReply" }, xid))
          break
        case "EchoRequest":
          socket.write(encode({ _tag: "EchoReply", data: message.data }, xid))
          break
      }
      received.push(message)
    }
    for (const w of waiters.splice(0)) w()
  })
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()))
  return {
    socket,
    received,
    closed,
    hello: () => socket.write(encode(Hello.make([Version.OF13]), 1)),
    waitFor: (tag: Message.Tag) =>
      new Promise<Message.Message>((resolve) => {
        const check = () => {
          const found = received.find((m) => m._tag === tag)
          if (found !== undefined) resolve(found)
          else waiters.push(check)
        }
        check()
      })
  }
}

describe("over real TCP (NodeSocketServer)", () => {
  it.live("handshake, a packet-in through an app and back, a barrier, and the close of a switch that goes away", () =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const server = yield* NodeSocketServer.make({ port: 0, host: "127.0.0.1" })
      const address = server.address
      const port = address._tag === "UnixPathAddress" ? 0 : address.port
      let n = 0
      yield* server.run((socket) => controller.serve({ socket, remoteAddress: `tcp:${++n}`, transport: "tcp" })).pipe(Effect.forkScoped)
      const packetIns = yield* controller.messages("PacketIn")
      const ups = yield* controller.datapathEvents("DatapathUp")
      yield* packetIns.pipe(
        Stream.runForEachArray((batch) =>
          batch[0].datapath.sendAll(batch.map((e) => ({ _tag: "PacketOut", bufferId: 0xffffffff, inPort: 1, actions: [], data: e.message.data }) as const))
        ),
        Effect.forkScoped
      )
      const sw = tcpSwitch(port, 0x42n)
      sw.hello()
      const [up] = yield* ups.pipe(Stream.take(1), Stream.runCollect)
      assert.strictEqual(up!.datapath.dpid, 0x42n)
      assert.strictEqual(up!.datapath.remoteAddress, "tcp:1")
      sw.socket.write(encode(PacketIn.make({ inPort: 1, data: Uint8Array.of(9, 8, 7) }), 0))
      const out = yield* Effect.promise(() => sw.waitFor("PacketOut"))
      assert.isTrue(out._tag === "PacketOut" && out.data.length === 3 && out.data[0] === 9)
      yield* up!.datapath.barrier
      sw.socket.destroy()
      const reason = yield* up!.datapath.awaitClose
      assert.include(reason.detail, "peer closed")
      yield* Effect.promise(() => sw.closed)
    }).pipe(Effect.scoped, Effect.provide(Controller.layer())))
})
