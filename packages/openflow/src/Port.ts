/**
 * Port numbers and the reserved ports of OpenFlow.
 *
 * OpenFlow 1.1+ numbers ports with 32 bits and reserves the top of the range for
 * pseudo-ports (CONTROLLER, FLOOD, ...); OpenFlow 1.0 used 16 bits with the reserved
 * ports at 0xfff8-0xffff. Switchyard uses the 32-bit space everywhere and converts 1.0
 * numbers at the edge, as Open vSwitch's `ofputil_port_from_ofp11` does.
 *
 * This module also models `ofp_port`, the description of one port that PORT_STATUS and
 * the PORT_DESC reply carry. Its bitmaps are awkward in their own way: `config` is what
 * the controller sets (PORT_MOD), `state` what the switch observes, and the four
 * feature bitmaps mix link speeds, media and pause capabilities in one word; the
 * speed bits stop at 1 Tb/s, which is why OpenFlow 1.1 added `currSpeed`/`maxSpeed`
 * in kb/s. OpenFlow 1.4 moved the feature bitmaps and speeds into an Ethernet property
 * and added optical (and in 1.5 pipeline and recirculation) properties; Switchyard keeps
 * the Ethernet fields where every version has them and the other properties in
 * `properties`.
 *
 * @since 0.1.0
 */
import { MacAddress } from "@switchyard/packet"
import { Schema } from "effect"
import { fixedText } from "./internal/text.ts"
import * as Match from "./Match.ts"
import { ExperimenterProperty, unknownProperty } from "./Property.ts"
import * as Uint from "./Uint.ts"

/**
 * A port number in the 32-bit space of OpenFlow 1.1+.
 *
 * @category models
 * @since 0.1.0
 */
export type PortNo = number

/** Maximum number of a physical or logical port (`OFPP_MAX`). @category constants @since 0.1.0 */
export const MAX = 0xffff_ff00
/** Send the packet out the input port (`OFPP_IN_PORT`). @category constants @since 0.1.0 */
export const IN_PORT = 0xffff_fff8
/** Submit the packet to the first flow table (`OFPP_TABLE`, packet-out only). @category constants @since 0.1.0 */
export const TABLE = 0xffff_fff9
/** Forward using the switch's non-OpenFlow pipeline (`OFPP_NORMAL`). @category constants @since 0.1.0 */
export const NORMAL = 0xffff_fffa
/** Flood along the spanning tree, excluding the input port (`OFPP_FLOOD`). @category constants @since 0.1.0 */
export const FLOOD = 0xffff_fffb
/** All ports except the input port (`OFPP_ALL`). @category constants @since 0.1.0 */
export const ALL = 0xffff_fffc
/** Send to the controller (`OFPP_CONTROLLER`). @category constants @since 0.1.0 */
export const CONTROLLER = 0xffff_fffd
/** The switch's local networking stack (`OFPP_LOCAL`). @category constants @since 0.1.0 */
export const LOCAL = 0xffff_fffe
/** Wildcard port in requests and flow mod filters (`OFPP_ANY`). @category constants @since 0.1.0 */
export const ANY = 0xffff_ffff

const reserved: Record<number, string> = {
  [IN_PORT]: "IN_PORT",
  [TABLE]: "TABLE",
  [NORMAL]: "NORMAL",
  [FLOOD]: "FLOOD",
  [ALL]: "ALL",
  [CONTROLLER]: "CONTROLLER",
  [LOCAL]: "LOCAL",
  [ANY]: "ANY"
}

/** `true` for a reserved (pseudo) port. @category predicates @since 0.1.0 */
export const isReserved = (port: PortNo): boolean => port > MAX

/**
 * Formats a port number, naming reserved ports as the spec does (`CONTROLLER`).
 *
 * @category formatting
 * @since 0.1.0
 */
export const format = (port: PortNo): string => reserved[port] ?? String(port)

/**
 * Maps an OpenFlow 1.0 16-bit port number into the 32-bit space, as Open vSwitch's
 * `ofputil_port_to_ofp11` does: numbers below 0xff00 (1.0's `OFPP_MAX`) keep their
 * value, 0xff00-0xffff move to 0xffffff00-0xffffffff. The reserved ports land on their
 * 1.1+ numbers (`OFPP_NONE` 0xffff becomes {@link ANY}), and 1.0's unassigned
 * 0xff01-0xfff7 on the equally unassigned 0xffffff01-0xfffffff7.
 *
 * @category conversions
 * @since 0.1.0
 */
export const fromOf10 = (port: number): PortNo => (port >= 0xff00 ? port + 0xffff_0000 : port)

/**
 * Maps a 32-bit port number to OpenFlow 1.0's 16 bits, the inverse of {@link fromOf10}:
 * `undefined` for physical ports 0xff00-0xfffffeff, which 1.0 cannot number (and for
 * anything that is not a 32-bit port number at all).
 *
 * @category conversions
 * @since 0.1.0
 */
export const toOf10 = (port: PortNo): number | undefined =>
  !Number.isInteger(port) || port < 0
    ? undefined
    : port < 0xff00
    ? port
    : port >= 0xffff_ff00 && port <= 0xffff_ffff
    ? port - 0xffff_0000
    : undefined

/**
 * Schema of a port number: the 32-bit space of OpenFlow 1.1+.
 *
 * @category schemas
 * @since 0.1.0
 */
export const PortNumber = Uint.Uint32

/** Width of the port name field in bytes (`OFP_MAX_PORT_NAME_LEN`). @category constants @since 0.1.0 */
export const NAME_WIDTH = 16

/**
 * Schema of a port name: UTF-8 text of at most 16 bytes without NUL.
 *
 * **Gotchas**
 *
 * The spec asks for a terminating NUL, so a name should be at most 15 bytes; a full
 * 16-byte name from a switch that leaves out the NUL is kept as is and re-encoded the
 * same way.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Name = fixedText(NAME_WIDTH, "PortName")

/**
 * The optical port property (`ofp_port_desc_prop_optical`, OpenFlow 1.4+): what an
 * optical port can tune. Frequencies or wavelengths (see {@link OpticalFeature}
 * `USE_FREQ`) in the spec's units; powers in dBm * 10.
 *
 * @category models
 * @since 0.1.0
 */
export const PortDescPropOptical = Schema.TaggedStruct("PortDescPropOptical", {
  /** Bitmap of {@link OpticalFeature}. */
  supported: Uint.Uint32,
  txMinFreqLmda: Uint.Uint32,
  txMaxFreqLmda: Uint.Uint32,
  txGridFreqLmda: Uint.Uint32,
  rxMinFreqLmda: Uint.Uint32,
  rxMaxFreqLmda: Uint.Uint32,
  rxGridFreqLmda: Uint.Uint32,
  txPwrMin: Uint.Uint16,
  txPwrMax: Uint.Uint16
})
/** @category models @since 0.1.0 */
export type PortDescPropOptical = typeof PortDescPropOptical.Type

/**
 * The pipeline-input property (OpenFlow 1.5): the pipeline fields a packet received on
 * this port may carry.
 *
 * @category models
 * @since 0.1.0
 */
export const PortDescPropPipelineInput = Schema.TaggedStruct("PortDescPropPipelineInput", {
  oxmIds: Schema.Array(Match.OxmId)
})
/** @category models @since 0.1.0 */
export type PortDescPropPipelineInput = typeof PortDescPropPipelineInput.Type

/**
 * The pipeline-output property (OpenFlow 1.5): the pipeline fields a packet output on
 * this port may carry.
 *
 * @category models
 * @since 0.1.0
 */
export const PortDescPropPipelineOutput = Schema.TaggedStruct("PortDescPropPipelineOutput", {
  oxmIds: Schema.Array(Match.OxmId)
})
/** @category models @since 0.1.0 */
export type PortDescPropPipelineOutput = typeof PortDescPropPipelineOutput.Type

/**
 * The recirculation property (OpenFlow 1.5): the ports where a packet output on this
 * (logical) port comes back in.
 *
 * @category models
 * @since 0.1.0
 */
export const PortDescPropRecirculate = Schema.TaggedStruct("PortDescPropRecirculate", {
  portNos: Schema.Array(Uint.Uint32)
})
/** @category models @since 0.1.0 */
export type PortDescPropRecirculate = typeof PortDescPropRecirculate.Type

/**
 * Port description property types (`OFPPDPT_*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const PropertyType = {
  /** Ethernet: the feature bitmaps and speeds, which the {@link Port} fields hold. */
  ETHERNET: 0,
  OPTICAL: 1,
  PIPELINE_INPUT: 2,
  PIPELINE_OUTPUT: 3,
  RECIRCULATE: 4,
  EXPERIMENTER: 0xffff
} as const

/**
 * A port description property other than Ethernet (OpenFlow 1.4+).
 *
 * @category models
 * @since 0.1.0
 */
export const Property = Schema.Union([
  PortDescPropOptical,
  PortDescPropPipelineInput,
  PortDescPropPipelineOutput,
  PortDescPropRecirculate,
  ExperimenterProperty,
  unknownProperty("port description", Object.values(PropertyType))
])
/** @category models @since 0.1.0 */
export type Property = typeof Property.Type

/**
 * A port description (`ofp_port`, OpenFlow 1.1-1.5 §7.2.1), as PORT_STATUS and the
 * PORT_DESC reply carry it.
 *
 * **Details**
 *
 * `config` holds {@link Config} bits, `state` {@link State} bits, `curr`, `advertised`,
 * `supported` and `peer` {@link Feature} bits. `currSpeed`/`maxSpeed` are in kb/s and
 * are meaningful only when the feature bits say `OTHER`. `hwAddr` is a 48-bit number
 * (JSON: `"aa:bb:cc:dd:ee:ff"`).
 *
 * In OpenFlow 1.4+ the feature bitmaps and speeds travel as the Ethernet property, which
 * Switchyard always encodes first; `properties` holds the others (optical, experimenter,
 * ...) in wire order, and is left out when there are none.
 *
 * OpenFlow 1.0's 48-byte `ofp_phy_port` (in PORT_STATUS and the 1.0 FEATURES_REPLY)
 * decodes into the same value: a 16-bit port number folded by {@link fromOf10}, the
 * feature bitmaps moved into the bit positions of {@link Feature} (1.0 places COPPER to
 * PAUSE_ASYM four bits lower, having no 40 Gb/s to OTHER), and `currSpeed`/`maxSpeed` 0.
 * Encoding one in 1.0 fails (`EncodeError`) when it uses what 1.0 cannot say.
 *
 * **Gotchas**
 *
 * A 1.4+ port without an Ethernet property (a purely optical port) decodes with the
 * feature and speed fields 0 and re-encodes with an all-zero Ethernet property, which
 * means the same thing ("no Ethernet features"), as Open vSwitch reads it. Encoding a
 * port with `properties` in OpenFlow 1.3 fails with an `EncodeError`: 1.3 cannot carry
 * them.
 *
 * @example
 * ```ts
 * import { Port } from "@switchyard/openflow"
 *
 * const up = (port: Port.Port) => Port.isLive(port)
 * ```
 *
 * @category models
 * @since 0.1.0
 */
export const Port = Schema.Struct({
  portNo: PortNumber,
  hwAddr: MacAddress.MacAddress,
  name: Name,
  /** Bitmap of {@link Config}. */
  config: Uint.Uint32,
  /** Bitmap of {@link State}. */
  state: Uint.Uint32,
  /** Current features: bitmap of {@link Feature}. */
  curr: Uint.Uint32,
  /** Features being advertised by the port. */
  advertised: Uint.Uint32,
  /** Features supported by the port. */
  supported: Uint.Uint32,
  /** Features advertised by the peer. */
  peer: Uint.Uint32,
  /** Current port bitrate in kb/s. */
  currSpeed: Uint.Uint32,
  /** Maximum port bitrate in kb/s. */
  maxSpeed: Uint.Uint32,
  /** OpenFlow 1.4+: the properties other than Ethernet, in wire order; absent when none. */
  properties: Schema.optional(Schema.Array(Property))
})
/** @category models @since 0.1.0 */
export type Port = typeof Port.Type

/**
 * Optical port feature bits (`OFPOPF_*`, OpenFlow 1.4+), in {@link PortDescPropOptical}.
 *
 * @category constants
 * @since 0.1.0
 */
export const OpticalFeature = {
  /** The receiver is tunable. */
  RX_TUNE: 1 << 0,
  /** The transmitter is tunable. */
  TX_TUNE: 1 << 1,
  /** The transmit power is configurable. */
  TX_PWR: 1 << 2,
  /** Frequencies, not wavelengths. */
  USE_FREQ: 1 << 3
} as const

/**
 * Port configuration bits (`OFPPC_*`), set by the controller with PORT_MOD.
 *
 * @category constants
 * @since 0.1.0
 */
export const Config = {
  /** Port is administratively down. */
  PORT_DOWN: 1 << 0,
  /** Drop all packets received by the port. */
  NO_RECV: 1 << 2,
  /** Drop packets forwarded to the port. */
  NO_FWD: 1 << 5,
  /** Do not send packet-in messages for the port. */
  NO_PACKET_IN: 1 << 6
} as const

/**
 * Port state bits (`OFPPS_*`), observed by the switch; read-only for the controller.
 *
 * @category constants
 * @since 0.1.0
 */
export const State = {
  /** No physical link present. */
  LINK_DOWN: 1 << 0,
  /** Port is blocked (by spanning tree or similar). */
  BLOCKED: 1 << 1,
  /** Live for fast-failover groups. */
  LIVE: 1 << 2
} as const

/**
 * Port feature bits (`OFPPF_*`): link speeds and duplex, medium, auto-negotiation and
 * pause. Keys are the spec's names after the prefix (`Feature["10GB_FD"]`).
 *
 * @category constants
 * @since 0.1.0
 */
export const Feature = {
  "10MB_HD": 1 << 0,
  "10MB_FD": 1 << 1,
  "100MB_HD": 1 << 2,
  "100MB_FD": 1 << 3,
  "1GB_HD": 1 << 4,
  "1GB_FD": 1 << 5,
  "10GB_FD": 1 << 6,
  "40GB_FD": 1 << 7,
  "100GB_FD": 1 << 8,
  "1TB_FD": 1 << 9,
  /** A speed not in the list: see `currSpeed`/`maxSpeed`. */
  OTHER: 1 << 10,
  COPPER: 1 << 11,
  FIBER: 1 << 12,
  AUTONEG: 1 << 13,
  PAUSE: 1 << 14,
  PAUSE_ASYM: 1 << 15
} as const

/**
 * `true` when the port can forward: not administratively down and its link is up.
 *
 * **When to use**
 *
 * To react to PORT_STATUS: flush state learned on a port when this turns `false`.
 *
 * @category predicates
 * @since 0.1.0
 */
export const isLive = (port: Port): boolean =>
  (port.config & Config.PORT_DOWN) === 0 && (port.state & State.LINK_DOWN) === 0
