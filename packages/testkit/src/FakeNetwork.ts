/**
 * Several fake switches wired together, with hosts on their ports: a network a test can
 * send a frame into and see where it ends up, across datapaths, like Faucet's
 * `FakeOFNetwork`.
 *
 * An app that manages more than one switch (a learning switch on a tree, a router, a
 * topology service) is only right if a frame from one host reaches the other host
 * through every switch on the way, each acting on its own flow table and its own
 * conversation with the controller. Here a frame a switch transmits on a port is handed
 * to whatever is attached there: a host keeps it, a link delivers it to the peer
 * switch's port, where that switch's table takes over. A frame that circles (a flooding
 * loop in the topology) is stopped after 64 switch hops and reported as a problem, so a
 * test fails rather than hangs.
 *
 * @since 0.1.0
 */
import type { MacAddress } from "@switchyard/packet"
import * as Effect from "effect/Effect"
import * as FakeSwitch from "./FakeSwitch.ts"
import * as FakeSwitchError from "./FakeSwitchError.ts"
import * as Frames from "./Frames.ts"
import type { SwitchImpl } from "./internal/fakeSwitch.ts"
import { TestController } from "./internal/harness.ts"

/**
 * A host attached to a switch port.
 *
 * @category models
 * @since 0.1.0
 */
export interface Host {
  readonly name: string
  readonly mac: MacAddress.MacAddress
  /** Its IPv4 address, as text. */
  readonly ip: string
  readonly switch: FakeSwitch.FakeSwitch
  readonly port: number
  /** Every frame delivered to it, in order. */
  readonly received: ReadonlyArray<Uint8Array>
}

/**
 * Where frames went after one `send`, once everything settled.
 *
 * @category models
 * @since 0.1.0
 */
export interface Delivery {
  /** Names of the hosts that received anything, sorted. */
  readonly hosts: ReadonlyArray<string>
  /** The frames one host received. */
  readonly on: (host: Host | string) => ReadonlyArray<Uint8Array>
  /** PACKET_INs sent to the controller, over every switch. */
  readonly packetIns: number
}

/**
 * A network of fake switches and hosts.
 *
 * @category models
 * @since 0.1.0
 */
export interface FakeNetwork {
  readonly switches: ReadonlyArray<FakeSwitch.FakeSwitch>
  readonly hosts: ReadonlyArray<Host>
  /** Connects a new switch to the controller and adds it to the network. */
  readonly addSwitch: (options: FakeSwitch.Options) => Effect.Effect<FakeSwitch.FakeSwitch, FakeSwitchError.FakeSwitchError>
  /** Attaches a host to a free port. The MAC defaults to one derived from the host's index, the IP to 10.0.0.<index>. */
  readonly addHost: (options: {
    readonly name: string
    readonly switch: FakeSwitch.FakeSwitch
    readonly port: number
    readonly mac?: Frames.MacInput | undefined
    readonly ip?: string | undefined
  }) => Effect.Effect<Host, FakeSwitchError.FakeSwitchError>
  /** Connects two free switch ports with a link. */
  readonly link: (
    a: FakeSwitch.FakeSwitch,
    portA: number,
    b: FakeSwitch.FakeSwitch,
    portB: number
  ) => Effect.Effect<void, FakeSwitchError.FakeSwitchError>
  /** Takes a link down (both ports' links go down, each switch sends PORT_STATUS), then settles. */
  readonly linkDown: (a: FakeSwitch.FakeSwitch, portA: number) => Effect.Effect<void, FakeSwitchError.FakeSwitchError>
  /** Brings a link up again, then settles. */
  readonly linkUp: (a: FakeSwitch.FakeSwitch, portA: number) => Effect.Effect<void, FakeSwitchError.FakeSwitchError>
  /** `host` sends `frame`: it enters the host's switch port; settles and reports who received what. */
  readonly send: (host: Host | string, frame: Uint8Array) => Effect.Effect<Delivery, FakeSwitchError.FakeSwitchError>
  /**
   * `from` sends a UDP datagram to `to` (their MACs and IPs); `text` tells datagrams
   * apart. Settles and reports who received what.
   */
  readonly udp: (from: Host | string, to: Host | string, text?: string) => Effect.Effect<Delivery, FakeSwitchError.FakeSwitchError>
}

interface HostImpl extends Host {
  readonly received: Array<Uint8Array>
}

type Endpoint =
  | { readonly _tag: "Host"; readonly host: HostImpl }
  | { readonly _tag: "Link"; readonly peer: SwitchImpl; readonly port: number }

/** Switch hops after which a frame is considered looping. */
const MAX_HOPS = 64

const bad = (detail: string) => Effect.fail(FakeSwitchError.make(new FakeSwitchError.BadRequest({ detail })))

/**
 * Makes an empty network on the test's controller.
 *
 * **Example** (Two switches in a line)
 *
 * ```ts
 * import { Effect } from "effect"
 * import { FakeNetwork } from "@switchyard/testkit"
 *
 * const program = Effect.gen(function*() {
 *   const net = yield* FakeNetwork.make
 *   const s1 = yield* net.addSwitch({ dpid: 1n, ports: [1, 2] })
 *   const s2 = yield* net.addSwitch({ dpid: 2n, ports: [1, 2] })
 *   yield* net.link(s1, 2, s2, 2)
 *   yield* net.addHost({ name: "h1", switch: s1, port: 1 })
 *   yield* net.addHost({ name: "h2", switch: s2, port: 1 })
 *   const delivery = yield* net.udp("h1", "h2")
 *   return delivery.hosts // ["h2"] once the path is learned; flooding reaches every host before
 * })
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const make: Effect.Effect<FakeNetwork, never, TestController> = TestController.use((harness) =>
  Effect.sync(() => {
    const switches: Array<SwitchImpl> = []
    const hosts: Array<HostImpl> = []
    const endpoints = new Map<SwitchImpl, Map<number, Endpoint>>()
    const queue: Array<{ readonly from: SwitchImpl; readonly port: number; readonly frame: Uint8Array; readonly hops: number }> = []
    let draining = false
    let currentHops = 0
    const problems: Array<string> = []
    let reported = 0

    harness.participants.add({
      takeFailure: () => {
        if (reported >= problems.length) return undefined
        const list = problems.slice(reported)
        reported = problems.length
        return new FakeSwitchError.Undefined({ dpid: "network", problems: list })
      }
    })

    const endpoint = (sw: SwitchImpl, port: number) => endpoints.get(sw)?.get(port)

    const setEndpoint = (sw: SwitchImpl, port: number, e: Endpoint) => {
      let m = endpoints.get(sw)
      if (m === undefined) endpoints.set(sw, (m = new Map()))
      m.set(port, e)
    }

    // Frames transmitted while a delivery is being processed are one hop further; frames
    // transmitted later (a PACKET_OUT from the controller) start again at hop 0.
    const drain = () => {
      if (draining) return
      draining = true
      try {
        while (queue.length > 0) {
          const item = queue.shift()!
          const e = endpoint(item.from, item.port)
          if (e === undefined) continue
          if (e._tag === "Host") {
            e.host.received.push(item.frame)
            continue
          }
          if (item.hops >= MAX_HOPS) {
            problems.push(`a frame (${Frames.describe(item.frame)}) crossed ${MAX_HOPS} switches: a forwarding loop`)
            continue
          }
          currentHops = item.hops + 1
          e.peer.receive(e.port, item.frame)
          currentHops = 0
        }
      } finally {
        draining = false
      }
    }

    const attach = (sw: SwitchImpl) => {
      switches.push(sw)
      sw.onTransmit = (port, frame) => {
        queue.push({ from: sw, port, frame, hops: currentHops })
        drain()
      }
    }

    const find = (host: Host | string): HostImpl | undefined =>
      typeof host === "string" ? hosts.find((h) => h.name === host) : hosts.find((h) => h === host)

    const isFree = (sw: FakeSwitch.FakeSwitch, port: number): string | undefined => {
      if (!switches.includes(sw as SwitchImpl)) return `datapath ${sw.id} is not part of this network (add it with addSwitch)`
      if (!sw.ports.has(port)) return `datapath ${sw.id} has no port ${port}`
      if (endpoint(sw as SwitchImpl, port) !== undefined) return `datapath ${sw.id} port ${port} is already in use`
      return undefined
    }

    const sendFrom = (h: HostImpl, frame: Uint8Array): Effect.Effect<Delivery, FakeSwitchError.FakeSwitchError> =>
      // Settled first, so that what was sent to the switches just before is in place.
      Effect.andThen(harness.settle, () => {
        const marks = hosts.map((x) => x.received.length)
        const sentMarks = switches.map((s) => s.sent("PacketIn").length)
        ;(h.switch as SwitchImpl).receive(h.port, frame)
        return Effect.map(harness.settle, (): Delivery => {
          const got = new Map<string, ReadonlyArray<Uint8Array>>()
          hosts.forEach((x, i) => {
            if (x.received.length > (marks[i] ?? 0)) got.set(x.name, x.received.slice(marks[i] ?? 0))
          })
          let packetIns = 0
          switches.forEach((s, i) => (packetIns += s.sent("PacketIn").length - (sentMarks[i] ?? 0)))
          return {
            hosts: [...got.keys()].sort(),
            on: (host) => got.get(typeof host === "string" ? host : host.name) ?? [],
            packetIns
          }
        })
      })

    const linkState = (a: FakeSwitch.FakeSwitch, portA: number, up: boolean) =>
      Effect.suspend(() => {
        const e = endpoint(a as SwitchImpl, portA)
        if (e === undefined || e._tag !== "Link") return bad(`datapath ${a.id} port ${portA} has no link`)
        const change = (sw: FakeSwitch.FakeSwitch, port: number) => (up ? sw.portUp(port) : sw.portDown(port))
        return Effect.andThen(change(a, portA), change(e.peer, e.port))
      })

    const network: FakeNetwork = {
      get switches() {
        return switches
      },
      get hosts() {
        return hosts
      },
      addSwitch: (options) =>
        Effect.tap(FakeSwitch.make(options).pipe(Effect.provideService(TestController, harness)), (sw) => {
          attach(sw as SwitchImpl)
          return (sw as SwitchImpl).connect
        }),
      addHost: (options) =>
        Effect.suspend(() => {
          const why = isFree(options.switch, options.port)
          if (why !== undefined) return bad(why)
          if (hosts.some((h) => h.name === options.name)) return bad(`a host named ${options.name} already exists`)
          const index = hosts.length + 1
          const host: HostImpl = {
            name: options.name,
            mac: options.mac === undefined ? 0x0000_0000_0000 + index : Frames.mac(options.mac),
            ip: options.ip ?? `10.0.${Math.floor(index / 256)}.${index % 256}`,
            switch: options.switch,
            port: options.port,
            received: []
          }
          hosts.push(host)
          setEndpoint(options.switch as SwitchImpl, options.port, { _tag: "Host", host })
          return Effect.succeed(host as Host)
        }),
      link: (a, portA, b, portB) =>
        Effect.suspend(() => {
          const why = isFree(a, portA) ?? isFree(b, portB)
          if (why !== undefined) return bad(why)
          if (a === b && portA === portB) return bad("a link needs two different ports")
          setEndpoint(a as SwitchImpl, portA, { _tag: "Link", peer: b as SwitchImpl, port: portB })
          setEndpoint(b as SwitchImpl, portB, { _tag: "Link", peer: a as SwitchImpl, port: portA })
          return Effect.void
        }),
      linkDown: (a, portA) => linkState(a, portA, false),
      linkUp: (a, portA) => linkState(a, portA, true),
      send: (host, frame) => {
        const h = find(host)
        return h === undefined ? bad(`no host ${typeof host === "string" ? host : host.name}`) : sendFrom(h, frame)
      },
      udp: (from, to, text) => {
        const a = find(from)
        const b = find(to)
        if (a === undefined || b === undefined) return bad(`no host ${a === undefined ? String(typeof from === "string" ? from : from.name) : String(typeof to === "string" ? to : to.name)}`)
        return sendFrom(a, Frames.udp({ src: a.mac, dst: b.mac, srcIp: a.ip, dstIp: b.ip, payload: text ?? `${a.name} to ${b.name}` }))
      }
    }
    return network
  })
)
