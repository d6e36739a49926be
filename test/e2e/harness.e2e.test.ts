// Self-check of the end-to-end harness (Ovs.ts, Controller.ts) against a controller
// that is known to work: Open vSwitch's own ovs-testcontroller, a learning switch. If these
// fail, the problem is the harness or the machine's OVS, not Switchyard.
import { Pcap } from "@switchyard/packet"
import { Result } from "effect"
import * as fs from "node:fs"
import { describe, expect, it } from "vitest"
import * as Controller from "./Controller.ts"
import * as Frames from "./Frames.ts"
import * as Ovs from "./Ovs.ts"
import * as Process from "./Process.ts"
import { frame, hosts, send, settledFlows } from "./SimpleSwitch13.ts"

const { h1, h2, h3 } = hosts

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe("the e2e harness, with ovs-testcontroller as the controller", () => {
  it("Open vSwitch and ovs-testcontroller are installed", () => {
    expect(Ovs.unavailable()).toBeUndefined()
    expect(Controller.ovsTestcontroller.unavailable?.()).toBeUndefined()
  })

  it("floods to unknown destinations, then forwards learned ones by exact-match flows, byte for byte", async () => {
    const controller = await Controller.start(Controller.ovsTestcontroller)
    const ovs = await Ovs.make({ ports: 3, controller: controller.target })
    try {
      await ovs.waitForController()
      expect(await settledFlows(ovs)).toEqual(["priority=0 actions=CONTROLLER:128"])

      const first = frame(h1, h2, "h1 to unknown h2")
      expect(await send(ovs, "p1", first, ["p2", "p3"])).toEqual({ p2: [Frames.toHex(first)], p3: [Frames.toHex(first)] })
      // What a port received is what was injected into it.
      expect(ovs.received("p1").map(Frames.toHex)).toEqual([Frames.toHex(first)])

      const reply = frame(h2, h1, "h2 answers h1")
      expect(await send(ovs, "p2", reply, ["p1"])).toEqual({ p1: [Frames.toHex(reply)] })
      const again = frame(h1, h2, "h1 to learned h2")
      expect(await send(ovs, "p1", again, ["p2"])).toEqual({ p2: [Frames.toHex(again)] })

      const learned = (await ovs.dumpFlows()).filter((f) => f.includes("priority=1,"))
      expect(learned).toHaveLength(2)
      expect(learned.find((f) => f.includes("in_port=1,") && f.includes(`dl_src=${h1.mac},dl_dst=${h2.mac}`))).toMatch(/actions=output:2$/)
      expect(learned.find((f) => f.includes("in_port=2,") && f.includes(`dl_src=${h2.mac},dl_dst=${h1.mac}`))).toMatch(/actions=output:1$/)
      // Its flows match every header field, so the very same frame is forwarded by the flow table.
      expect((await ovs.trace("p1", again)).datapathActions).toBe("2")
      expect((await ovs.trace("p3", frame(h3, h1, "from h3"))).datapathActions).toMatch(/^userspace\(.*controller\(/)
      // Every port's capture holds exactly the frames it sent, in order.
      expect(ovs.transmitted("p2").map(Frames.toHex)).toEqual([Frames.toHex(first), Frames.toHex(again)])
      expect(ovs.transmitted("p3").map(Frames.toHex)).toEqual([Frames.toHex(first)])
    } finally {
      await ovs.stop()
      await controller.stop()
    }
  })

  it("runs OVS in its own directory and stop() ends every process by PID and removes it", async () => {
    const systemDirs = ["/var/run/openvswitch", "/run/openvswitch", "/var/log/openvswitch", "/etc/openvswitch"]
    const before = systemDirs.map((d) => (fs.existsSync(d) ? fs.readdirSync(d).sort().join(",") : "absent"))
    const controller = await Controller.start(Controller.ovsTestcontroller)
    const ovs = await Ovs.make({ ports: 2, controller: controller.target })
    await ovs.waitForController()
    expect(ovs.env["OVS_RUNDIR"]).toBe(ovs.dir)
    expect(ovs.mgmt).toBe(`unix:${ovs.dir}/br0.mgmt`)
    expect(fs.readdirSync(ovs.dir)).toEqual(expect.arrayContaining(["conf.db", "db.sock", "ovs-vswitchd.ctl", "br0.mgmt", "p1-tx.pcap", "p2-rx.pcap"]))
    const pids = [ovs.pids.ovsdbServer, ovs.pids.vswitchd, controller.pid]
    expect(pids.every(alive)).toBe(true)
    expect(Process.livePids()).toEqual(expect.arrayContaining(pids))

    await ovs.stop()
    await controller.stop()
    expect(pids.filter(alive)).toEqual([])
    expect(Process.livePids().filter((p) => pids.includes(p))).toEqual([])
    expect(fs.existsSync(ovs.dir)).toBe(false)
    expect(systemDirs.map((d) => (fs.existsSync(d) ? fs.readdirSync(d).sort().join(",") : "absent"))).toEqual(before)
  })

  it("reads a capture that OVS is still writing: a partial last record is not there yet", async () => {
    const controller = await Controller.start(Controller.ovsTestcontroller)
    const ovs = await Ovs.make({ ports: 2, controller: controller.target })
    try {
      await ovs.waitForController()
      await settledFlows(ovs)
      const a = frame(h1, h2, "first")
      const b = frame(h1, h2, "second", 200)
      await send(ovs, "p1", a, ["p2"])
      await send(ovs, "p1", b, ["p2"])
      // OVS writes a classic little-endian microsecond pcap of Ethernet frames, which
      // @switchyard/packet's reader (used by Ovs.ts) reads record by record.
      const bytes = new Uint8Array(fs.readFileSync(ovs.ports[1]!.txPcap))
      const whole = Result.getOrThrow(Pcap.decode(bytes))
      expect(whole.linkType).toBe(Pcap.LINKTYPE_ETHERNET)
      expect(whole.truncated).toBe(false)
      expect(whole.records.map((r) => Frames.toHex(r.data))).toEqual([Frames.toHex(a), Frames.toHex(b)])
      expect(whole.records.map((r) => r.originalLength)).toEqual([a.length, b.length])
      const cut = Result.getOrThrow(Pcap.decode(bytes.subarray(0, bytes.length - 1)))
      expect(cut.truncated).toBe(true)
      expect(cut.records.map((r) => Frames.toHex(r.data))).toEqual([Frames.toHex(a)])
      expect(ovs.transmitted("p2").map(Frames.toHex)).toEqual([Frames.toHex(a), Frames.toHex(b)])
    } finally {
      await ovs.stop()
      await controller.stop()
    }
  })

  it("reports a controller that exits before listening, with its output", async () => {
    const failing: Controller.Spec = {
      name: "failing controller",
      command: () => ({ command: process.execPath, args: ["-e", "console.error('cannot bind: on purpose'); process.exit(3)"] })
    }
    await expect(Controller.start(failing)).rejects.toThrow(/failing controller exited before listening \(code 3[\s\S]*cannot bind: on purpose/)
  })
})
