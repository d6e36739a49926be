// The learning-switch app of the controller benchmarks: what an L2 switch app does per
// packet-in (learn the source MAC, answer with FLOW_MOD + PACKET_OUT or flood), on the
// runtime's batch API: one `Stream.runForEachArray` callback and one `sendAll` per batch.
import { Action, FlowMod, PacketIn, PacketOut, Port } from "@switchyard/openflow"
import { Effect, Layer, Stream } from "effect"

export const makeL2Switch = (Controller) => Layer.effectDiscard(Effect.gen(function*() {
  const controller = yield* Controller.Controller
  const tables = new Map()
  const packetIns = yield* controller.messages("PacketIn")
  yield* packetIns.pipe(
    Stream.runForEachArray((batch) => {
      const datapath = batch[0].datapath
      let table = tables.get(datapath.dpid)
      if (table === undefined) tables.set(datapath.dpid, table = new Map())
      const out = []
      for (let i = 0; i < batch.length; i++) learn(table, batch[i].message, out)
      return datapath.sendAll(out)
    }),
    Effect.forkScoped
  )
}))

// ---------------------------------------------------------------------------------------
// The app: a learning switch on raw frames (as an L2 switch app would, minus logging).
// ---------------------------------------------------------------------------------------

export const macOf = (b, at) => b[at] * 2 ** 40 + b[at + 1] * 2 ** 32 + ((b[at + 2] << 24) >>> 0) + (b[at + 3] << 16) + (b[at + 4] << 8) + b[at + 5]

/** Learns and answers one packet-in; pushes the replies onto `out`. */
export const learn = (table, packetIn, out) => {
  const data = packetIn.data
  const inPort = PacketIn.inPort(packetIn)
  const dst = macOf(data, 0)
  const src = macOf(data, 6)
  table.set(src, inPort)
  const port = table.get(dst)
  if (port === undefined) {
    out.push(PacketOut.reply(packetIn, [Action.output(Port.FLOOD)]))
  } else {
    const actions = [Action.output(port)]
    out.push(FlowMod.add({
      match: [{ field: "inPort", value: inPort, mask: undefined }, { field: "ethDst", value: dst, mask: undefined }],
      actions,
      priority: 1,
      idleTimeout: 60
    }))
    out.push(PacketOut.reply(packetIn, actions))
  }
}


