/**
 * @switchyard/testkit: fake OpenFlow switches with real flow tables, frame builders and an
 * in-process controller, for deterministic app tests without sockets or sleeps.
 *
 * @since 0.1.0
 */

/** A real OpenFlow 1.3 flow table in memory: flow and group mods, matching, actions, "where does this packet go". @since 0.1.0 */
export * as FlowTable from "./FlowTable.ts"

/** Frame builders (Ethernet, ARP, IPv4/IPv6 UDP/TCP/ICMP, LLDP) with correct lengths and checksums. @since 0.1.0 */
export * as Frames from "./Frames.ts"

/** The error of the testkit's fakes, with a tagged reason per cause. @since 0.1.0 */
export * as FakeSwitchError from "./FakeSwitchError.ts"

/** A fake OpenFlow 1.3 switch connected in-process through the real codec, with a real flow table. @since 0.1.0 */
export * as FakeSwitch from "./FakeSwitch.ts"

/** The controller runtime and an app in-process for tests, with settle and captured logs. @since 0.1.0 */
export * as TestController from "./TestController.ts"

/** Fake switches linked together with hosts on their ports: follow a frame across datapaths. @since 0.1.0 */
export * as FakeNetwork from "./FakeNetwork.ts"
