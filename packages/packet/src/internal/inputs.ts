/**
 * The union of everything `Frame.build` accepts, kept apart from `Frame.ts` so the
 * builder can name it without importing the public module.
 */
import type * as Arp from "../Arp.ts"
import type * as Ethernet from "../Ethernet.ts"
import type * as Icmp from "../Icmp.ts"
import type * as Icmp6 from "../Icmp6.ts"
import type * as Ipv4 from "../Ipv4.ts"
import type * as Ipv6 from "../Ipv6.ts"
import type * as Llc from "../Llc.ts"
import type * as Lldp from "../Lldp.ts"
import type * as Mpls from "../Mpls.ts"
import type * as Payload from "../Payload.ts"
import type * as Sctp from "../Sctp.ts"
import type * as Tcp from "../Tcp.ts"
import type * as Udp from "../Udp.ts"
import type * as Vlan from "../Vlan.ts"

/** A layer description for the builder. */
export type AnyInput =
  | Ethernet.Input
  | Vlan.Input
  | Mpls.Input
  | Llc.Input
  | Arp.Input
  | Ipv4.Input
  | Ipv6.Input
  | Icmp.Input
  | Icmp6.Input
  | Tcp.Input
  | Udp.Input
  | Sctp.Input
  | Lldp.Input
  | Payload.Payload
  | Payload.Padding
