// The baseline of the controller benchmarks: no runtime at all. One fiber per connection
// pulls a batch, frames it, decodes packet-ins, runs the same learning logic as the app
// (l2app.mjs) and writes the batch's replies with one write; HELLO, FEATURES, PORT_DESC
// and echo are answered just enough for ofbench and ofidle. This is the "one fiber per
// connection" probe of /work/shared/notes/hot-path-measurements.md, with the same codec.
import { Encoder, Features, Framing, Hello, Message } from "@switchyard/openflow"
import { Effect } from "effect"
import { learn } from "./l2app.mjs"

const OF13 = 4

export const rawServe = (socket) =>
  Effect.scoped(Effect.gen(function*() {
    const { pull } = yield* socket.reader
    const writer = yield* socket.writer
    const framer = Framing.make()
    const encoder = Encoder.make(OF13, 256)
    const table = new Map()
    const frames = []
    let xid = 1
    encoder.add(Hello.make([OF13]), xid++)
    yield* writer.write(encoder.flush())
    while (true) {
      const chunks = yield* pull
      frames.length = 0
      for (const c of chunks) framer.push(c, frames)
      const raw = []
      let n = 0
      for (const frame of frames) {
        const type = frame[1]
        if (type === 0) {
          encoder.add(Features.request, xid++)
          n++
        } else if (type === 6) {
          encoder.add({ _tag: "PortDescRequest", flags: 0 }, xid++)
          n++
        } else if (type === 2) {
          const reply = frame.slice()
          reply[1] = 3
          raw.push(reply)
        } else if (type === 10) {
          const out = []
          learn(table, Message.decodeMessage(frame), out)
          for (const r of out) encoder.add(r, xid++)
          n++
        }
      }
      if (n > 0) raw.push(encoder.flush())
      if (raw.length > 0) yield* writer.writeAll(raw)
    }
  })).pipe(Effect.ignore)
