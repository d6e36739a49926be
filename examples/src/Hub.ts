/**
 * The smallest useful app: a hub that floods every packet, the "write your own app" example
 * of the README. Every switch gets a table-miss flow when it connects, and every packet-in
 * is sent back out of every other port.
 *
 * It shows the shape of every Switchyard app: a `Layer` that needs the `Controller`,
 * subscribes while it is built (so it misses no switch), and consumes its events a batch
 * at a time (one switch's events from one socket read), answering each batch with one
 * `sendAll`.
 *
 * @since 0.1.0
 */
import { Controller } from "@switchyard/controller"
import { Action, FlowMod, PacketOut, Port } from "@switchyard/openflow"
import { Effect, Layer, Stream } from "effect"

/**
 * The hub as an app layer.
 *
 * @example
 * ```ts
 * import { Runner } from "@switchyard/controller"
 * import { Hub } from "./Hub.ts"
 *
 * Runner.runMain(Hub, { name: "hub" })
 * ```
 *
 * @category layers
 * @since 0.1.0
 */
export const Hub: Layer.Layer<never, never, Controller.Controller> = Layer.effectDiscard(Effect.gen(function*() {
  const controller = yield* Controller.Controller
  const events = yield* controller.events({ messages: ["PacketIn"], datapathEvents: ["DatapathUp"] })
  yield* events.pipe(
    Stream.runForEachArray((batch) =>
      batch[0]!.datapath.sendAll(batch.map((event) =>
        event._tag === "DatapathUp"
          ? FlowMod.tableMiss() // priority 0, match everything, send to the controller
          : PacketOut.reply(event.message, [Action.output(Port.FLOOD)])
      )).pipe(Effect.ignore)
    ),
    Effect.forkScoped
  )
}))
