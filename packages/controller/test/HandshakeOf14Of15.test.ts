/**
 * The handshake with OpenFlow 1.4 and 1.5 switches, which the controller offers since the
 * codec speaks them: a switch offering 1.3-1.5 gets 1.5; PORT_DESC and PORT_STATUS carry
 * the 1.4 port structure (Ethernet fields in a property, optical and experimenter
 * properties kept); requests of kinds only 1.4+ have work through `Datapath.request`.
 */
import { assert, describe, it } from "@effect/vitest"
import { Features, Hello, Multipart, PortStatus, TableDesc, Version } from "@switchyard/openflow"
import type { Port } from "@switchyard/openflow"
import { Effect, Fiber, Stream } from "effect"
import * as Controller from "../src/Controller.ts"
import * as ScriptedSwitch from "./support/ScriptedSwitch.ts"

const layer = Controller.layer({ echoRequestInterval: "15 seconds", maximumUnrepliedEchoRequests: 2 })

const ports: ReadonlyArray<Port.Port> = [
  ScriptedSwitch.port(1, { curr: 0x840, advertised: 0x840, supported: 0x840, currSpeed: 10_000_000, maxSpeed: 10_000_000 }),
  ScriptedSwitch.port(2, {
    properties: [{ _tag: "ExperimenterProperty", experimenter: 0x2320, expType: 7, data: Uint8Array.of(1, 2, 3, 4) }]
  }),
  ScriptedSwitch.port(3, {
    properties: [{
      _tag: "PortDescPropOptical",
      supported: 1,
      txMinFreqLmda: 2,
      txMaxFreqLmda: 3,
      txGridFreqLmda: 4,
      rxMinFreqLmda: 5,
      rxMaxFreqLmda: 6,
      rxGridFreqLmda: 7,
      txPwrMin: 8,
      txPwrMax: 9
    }]
  })
]

describe("Controller handshake with OpenFlow 1.4 and 1.5 switches", () => {
  it.effect.each([
    ["1.4", [Version.OF13, Version.OF14], Version.OF14],
    ["1.5", [Version.OF13, Version.OF14, Version.OF15], Version.OF15]
  ] as const)("a switch offering up to %s gets it; ports from a two-part PORT_DESC, then PORT_STATUS", ([_name, offered, version]) =>
    Effect.gen(function*() {
      const controller = yield* Controller.Controller
      const ups = yield* controller.datapathEvents("DatapathUp")
      const changes = yield* controller.datapathEvents("PortChange")
      const sw = yield* ScriptedSwitch.connect(controller)
      yield* sw.write(ScriptedSwitch.encode(Hello.make(offered), 1, version))
      const hello = yield* sw.expect("Hello")
      assert.includeMembers([...Hello.offeredVersions(hello.message, hello.version)], [Version.OF14, Version.OF15])
      const fr = yield* sw.expect("FeaturesRequest")
      assert.strictEqual(fr.version, version)
      yield* sw.send(
        { ...Features.request, _tag: "FeaturesReply", datapathId: 0x15n, nBuffers: 0, nTables: 254, auxiliaryId: 0, capabilities: 0, reserved: 0 },
        { xid: fr.xid, version }
      )
      const pd = yield* sw.expect("PortDescRequest")
      assert.strictEqual(pd.version, version)
      yield* sw.send({ _tag: "PortDescReply", flags: Multipart.Flags.REPLY_MORE, ports: ports.slice(0, 2) }, { xid: pd.xid, version })
      yield* sw.send({ _tag: "PortDescReply", flags: 0, ports: ports.slice(2) }, { xid: pd.xid, version })

      const [up] = yield* ups.pipe(Stream.take(1), Stream.runCollect)
      const dp = up!.datapath
      assert.strictEqual(dp.version, version)
      assert.strictEqual(dp.state, "MAIN")
      assert.deepStrictEqual([...dp.ports.keys()], [1, 2, 3])
      assert.deepStrictEqual(dp.ports.get(1), ports[0])
      assert.deepStrictEqual(dp.ports.get(2), ports[1])
      assert.deepStrictEqual(dp.ports.get(3), ports[2])

      // A PORT_STATUS in the 1.4 layout updates the port.
      const down = { ...ports[0]!, state: 1 }
      yield* sw.send({ _tag: "PortStatus", reason: PortStatus.Reason.MODIFY, desc: down }, { version })
      const [change] = yield* changes.pipe(Stream.take(1), Stream.runCollect)
      assert.strictEqual(change!.reason, "MODIFY")
      assert.deepStrictEqual(change!.port, down)
      assert.deepStrictEqual(change!.previous, ports[0])
      assert.deepStrictEqual(dp.ports.get(1), down)

      // A request of a kind 1.3 does not have.
      const reply = yield* Effect.forkChild(dp.request(TableDesc.request), { startImmediately: true })
      const request = yield* sw.expect("TableDescRequest")
      assert.strictEqual(request.version, version)
      const tables: TableDesc.TableDescReply = {
        _tag: "TableDescReply",
        flags: 0,
        tables: [{ tableId: 0, config: 0, properties: [{ _tag: "TableModPropEviction", flags: 1 }] }]
      }
      yield* sw.send(tables, { xid: request.xid, version })
      assert.deepStrictEqual(yield* Fiber.join(reply), tables)
    }).pipe(Effect.scoped, Effect.provide(layer)))
})
