// The learning switch on Open vSwitch bridges speaking OpenFlow 1.0, 1.4 and 1.5 (the main
// suite uses 1.3), and on a bridge offering all of them, where the controller must negotiate
// the highest common version. The app is version-free: the same FlowMod and PacketOut values
// are encoded per connection, so the switching behaviour must not change with the version.
import { afterEach, describe, expect, it } from "vitest"
import * as Controller from "./Controller.ts"
import * as Frames from "./Frames.ts"
import * as Ovs from "./Ovs.ts"
import { frame, hosts, send, settledFlows } from "./SimpleSwitch13.ts"

const cases: ReadonlyArray<{ readonly name: string; readonly protocols: ReadonlyArray<string>; readonly negotiated: string }> = [
  { name: "OpenFlow 1.0", protocols: ["OpenFlow10"], negotiated: "1.0" },
  { name: "OpenFlow 1.4", protocols: ["OpenFlow14"], negotiated: "1.4" },
  { name: "OpenFlow 1.5", protocols: ["OpenFlow15"], negotiated: "1.5" },
  { name: "1.0 to 1.5 offered (1.5 negotiated)", protocols: ["OpenFlow15", "OpenFlow10", "OpenFlow13", "OpenFlow14"], negotiated: "1.5" }
]

describe.each(cases)("switchyard l2switch on an Open vSwitch bridge speaking $name", ({ negotiated, protocols }) => {
  let controller: Controller.Controller | undefined
  let ovs: Ovs.Ovs | undefined

  afterEach(async () => {
    await ovs?.stop()
    await controller?.stop()
    ovs = undefined
    controller = undefined
  })

  it("negotiates the version, installs the table-miss flow, floods, learns and unicasts", async () => {
    controller = await Controller.start(Controller.l2switch)
    ovs = await Ovs.make({ ports: 3, controller: controller.target, protocols })
    await ovs.waitForController()
    const { h1, h2 } = hosts
    expect(await settledFlows(ovs)).toEqual(["priority=0 actions=CONTROLLER:65535"])
    const flooded = frame(h1, h2, "h1 to unknown h2")
    expect(await send(ovs, "p1", flooded, ["p2", "p3"])).toEqual({ p2: [Frames.toHex(flooded)], p3: [Frames.toHex(flooded)] })
    const reply = frame(h2, h1, "h2 answers h1")
    expect(await send(ovs, "p2", reply, ["p1"])).toEqual({ p1: [Frames.toHex(reply)] })
    const flows = await ovs.dumpFlows()
    expect(flows).toContain(`priority=1,in_port=2,dl_src=${h2.mac},dl_dst=${h1.mac} actions=output:1`)
    // The controller logs the negotiated version when the datapath comes up.
    expect(controller.output()).toContain(`OpenFlow ${negotiated},`)
  })
})
