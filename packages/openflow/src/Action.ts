/**
 * OpenFlow actions (OpenFlow 1.3 §7.2.5): what happens to a packet — output it, push or
 * pop a tag, rewrite a header field, send it to a group or queue.
 *
 * Actions appear in apply-actions and write-actions instructions, in packet-outs and in
 * group buckets. The awkward parts: a set-field action carries a whole OXM field and may
 * only write some fields (never `inPort`, `ethType` or `ipProto`); pushes accept only
 * certain EtherTypes; outputs to the reserved-port gap are invalid; and vendors extend the
 * list with experimenter actions (Open vSwitch's Nicira actions: `learn`, `ct`,
 * `resubmit`, ...). Experimenter actions are kept opaque, byte for byte, so a flow that
 * uses them survives a decode and re-encode unchanged.
 *
 * OpenFlow 1.0 has a flat action list with an action per rewritten field; the same
 * values encode to it where 1.0 has a counterpart: `Output`, `SetField` of `vlanVid`
 * (with OFPVID_PRESENT; 1.0's SET_VLAN_VID also tags an untagged packet), `vlanPcp`,
 * `ethSrc`, `ethDst`, `ipv4Src`, `ipv4Dst`, `ipDscp` and the TCP/UDP/SCTP ports (1.0's
 * protocol-agnostic SET_TP_SRC/DST, decoded as the protocol the flow's match fixes, TCP
 * when none), `PopVlan` (STRIP_VLAN), `SetQueue` immediately followed by `Output`
 * (ENQUEUE: the queue applies to that one output) and `ExperimenterAction` (VENDOR).
 * Other actions fail with OFPBAC_BAD_TYPE, values 1.0 cannot carry with
 * OFPBAC_BAD_ARGUMENT or OFPBAC_BAD_OUT_PORT.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { withArbitrary } from "./internal/arbitrary.ts"
import * as Match from "./Match.ts"
import * as Port from "./Port.ts"
import * as Uint from "./Uint.ts"

/**
 * OFPAT_OUTPUT: send the packet out a port.
 *
 * @category models
 * @since 0.1.0
 */
export const Output = Schema.TaggedStruct("Output", {
  /**
   * A port number or reserved port (`Port.CONTROLLER`, `Port.FLOOD`, ...); not `Port.ANY`
   * and not the unassigned range 0xffffff01-0xfffffff7, which switches refuse with
   * OFPBAC_BAD_OUT_PORT.
   */
  port: Uint.Uint32.check(
    Schema.makeFilter((port) =>
      (port > Port.MAX && port < Port.IN_PORT) || port === Port.ANY ? "a port an action may output to" : undefined
    )
  ),
  /**
   * For output to the controller: how many bytes of the packet to send in the
   * PACKET_IN; {@link NO_BUFFER} (0xffff) sends the whole packet unbuffered. Ignored for
   * other ports.
   */
  maxLen: Uint.Uint16
})
/** @category models @since 0.1.0 */
export type Output = typeof Output.Type

/** OFPAT_COPY_TTL_OUT: copy the TTL from the next-to-outermost to the outermost header. @category models @since 0.1.0 */
export const CopyTtlOut = Schema.TaggedStruct("CopyTtlOut", {})
/** @category models @since 0.1.0 */
export type CopyTtlOut = typeof CopyTtlOut.Type

/** OFPAT_COPY_TTL_IN: copy the TTL from the outermost to the next-to-outermost header. @category models @since 0.1.0 */
export const CopyTtlIn = Schema.TaggedStruct("CopyTtlIn", {})
/** @category models @since 0.1.0 */
export type CopyTtlIn = typeof CopyTtlIn.Type

/** OFPAT_SET_MPLS_TTL. @category models @since 0.1.0 */
export const SetMplsTtl = Schema.TaggedStruct("SetMplsTtl", { mplsTtl: Uint.Uint8 })
/** @category models @since 0.1.0 */
export type SetMplsTtl = typeof SetMplsTtl.Type

/** OFPAT_DEC_MPLS_TTL. @category models @since 0.1.0 */
export const DecMplsTtl = Schema.TaggedStruct("DecMplsTtl", {})
/** @category models @since 0.1.0 */
export type DecMplsTtl = typeof DecMplsTtl.Type

const VlanEthertype = Schema.Literals([0x8100, 0x88a8])
const MplsEthertype = Schema.Literals([0x8847, 0x8848])

/**
 * OFPAT_PUSH_VLAN: push a VLAN tag with TPID `ethertype` (0x8100 or 0x88a8). Set its id
 * with a following `setField(vlanVid)`.
 *
 * @category models
 * @since 0.1.0
 */
export const PushVlan = Schema.TaggedStruct("PushVlan", { ethertype: VlanEthertype })
/** @category models @since 0.1.0 */
export type PushVlan = typeof PushVlan.Type

/** OFPAT_POP_VLAN: pop the outer VLAN tag. @category models @since 0.1.0 */
export const PopVlan = Schema.TaggedStruct("PopVlan", {})
/** @category models @since 0.1.0 */
export type PopVlan = typeof PopVlan.Type

/** OFPAT_PUSH_MPLS: push an MPLS label with EtherType 0x8847 or 0x8848. @category models @since 0.1.0 */
export const PushMpls = Schema.TaggedStruct("PushMpls", { ethertype: MplsEthertype })
/** @category models @since 0.1.0 */
export type PushMpls = typeof PushMpls.Type

/** OFPAT_POP_MPLS: pop the outer MPLS label; `ethertype` is that of the payload. @category models @since 0.1.0 */
export const PopMpls = Schema.TaggedStruct("PopMpls", { ethertype: Uint.Uint16 })
/** @category models @since 0.1.0 */
export type PopMpls = typeof PopMpls.Type

/** OFPAT_SET_QUEUE: the queue of the port the packet is output to. @category models @since 0.1.0 */
export const SetQueue = Schema.TaggedStruct("SetQueue", { queueId: Uint.Uint32 })
/** @category models @since 0.1.0 */
export type SetQueue = typeof SetQueue.Type

/** OFPAT_GROUP: process the packet through a group. @category models @since 0.1.0 */
export const Group = Schema.TaggedStruct("Group", { groupId: Uint.Uint32 })
/** @category models @since 0.1.0 */
export type Group = typeof Group.Type

/** OFPAT_SET_NW_TTL: set the IPv4 TTL or IPv6 hop limit. @category models @since 0.1.0 */
export const SetNwTtl = Schema.TaggedStruct("SetNwTtl", { nwTtl: Uint.Uint8 })
/** @category models @since 0.1.0 */
export type SetNwTtl = typeof SetNwTtl.Type

/** OFPAT_DEC_NW_TTL. @category models @since 0.1.0 */
export const DecNwTtl = Schema.TaggedStruct("DecNwTtl", {})
/** @category models @since 0.1.0 */
export type DecNwTtl = typeof DecNwTtl.Type

/**
 * OFPAT_SET_FIELD: rewrite one header field with the value of an OXM field.
 *
 * **Gotchas**
 *
 * The field must be writable (not `inPort`, `inPhyPort`, `ethType`, `ipProto`,
 * `mplsBos`, ...) and unmasked before OpenFlow 1.5; otherwise encoding fails with
 * OFPBAC_BAD_SET_ARGUMENT. In OpenFlow 1.5 a `vlanVid` value must include
 * OFPVID_PRESENT (use `Match.vlanVid`). The flow's match must make the field meaningful
 * (an IPv4 field needs an IPv4 match); switches check that, the codec does not.
 *
 * @category models
 * @since 0.1.0
 */
export const SetField = Schema.TaggedStruct("SetField", { field: Match.OxmField })
/** @category models @since 0.1.0 */
export type SetField = typeof SetField.Type

/** OFPAT_PUSH_PBB: push a PBB service tag (I-TAG), EtherType normally 0x88e7. @category models @since 0.1.0 */
export const PushPbb = Schema.TaggedStruct("PushPbb", { ethertype: Uint.Uint16 })
/** @category models @since 0.1.0 */
export type PushPbb = typeof PushPbb.Type

/** OFPAT_POP_PBB: pop the outer PBB service tag. @category models @since 0.1.0 */
export const PopPbb = Schema.TaggedStruct("PopPbb", {})
/** @category models @since 0.1.0 */
export type PopPbb = typeof PopPbb.Type

/**
 * OFPAT_COPY_FIELD (OpenFlow 1.5): copy `nBits` bits from the field `src` (starting at bit
 * `srcOffset`) into the field `dst` (at `dstOffset`); either may be a packet register.
 *
 * @category models
 * @since 0.1.0
 */
export const CopyField = Schema.TaggedStruct("CopyField", {
  nBits: Uint.Uint16,
  srcOffset: Uint.Uint16,
  dstOffset: Uint.Uint16,
  /** The source field, as an OXM id (a bare header). */
  src: Match.OxmId,
  /** The destination field, as an OXM id. */
  dst: Match.OxmId
})
/** @category models @since 0.1.0 */
export type CopyField = typeof CopyField.Type

/**
 * OFPAT_METER (OpenFlow 1.5): send the packet through a meter. In OpenFlow 1.3 and 1.4
 * this is the `Meter` instruction.
 *
 * @category models
 * @since 0.1.0
 */
export const MeterAction = Schema.TaggedStruct("MeterAction", { meterId: Uint.Uint32 })
/** @category models @since 0.1.0 */
export type MeterAction = typeof MeterAction.Type

const ExperimenterData = withArbitrary(
  Schema.Uint8Array.check(
    Schema.makeFilter((data) =>
      data.length % 8 === 0 && data.length <= 0xfff0 ? undefined : "a multiple of 8 bytes (the action is padded to 8)"
    )
  ),
  Schema.Uint8Array,
  (data) => {
    const out = new Uint8Array((data.length + 7) & ~7)
    out.set(data)
    return out
  }
)

/**
 * OFPAT_EXPERIMENTER: a vendor action, kept opaque.
 *
 * **Details**
 *
 * `data` is everything after the 4-byte experimenter id, so for Nicira actions
 * (`experimenter` 0x2320) it starts with the 16-bit subtype. Its length must keep the
 * action a multiple of 8 bytes (`data.length % 8 === 0`); encoding fails with
 * OFPBAC_BAD_LEN otherwise. In decoded messages `data` is a view into the message bytes.
 *
 * @category models
 * @since 0.1.0
 */
export const ExperimenterAction = Schema.TaggedStruct("ExperimenterAction", {
  experimenter: Uint.Uint32,
  data: ExperimenterData
})
/** @category models @since 0.1.0 */
export type ExperimenterAction = typeof ExperimenterAction.Type

/**
 * Any action.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Action = Schema.Union([
  Output,
  CopyTtlOut,
  CopyTtlIn,
  SetMplsTtl,
  DecMplsTtl,
  PushVlan,
  PopVlan,
  PushMpls,
  PopMpls,
  SetQueue,
  Group,
  SetNwTtl,
  DecNwTtl,
  SetField,
  PushPbb,
  PopPbb,
  CopyField,
  MeterAction,
  ExperimenterAction
])

/**
 * Any action.
 *
 * @category models
 * @since 0.1.0
 */
export type Action = typeof Action.Type

/** The action kind names. @category models @since 0.1.0 */
export type Tag = Action["_tag"]

/**
 * `OFPCML_NO_BUFFER`: an output to the controller with this `maxLen` sends the whole
 * packet and asks the switch not to buffer it.
 *
 * @category constants
 * @since 0.1.0
 */
export const NO_BUFFER = 0xffff

/**
 * `OFPCML_MAX`: the largest `maxLen` that asks the switch to buffer the packet and send
 * only that many bytes.
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_LEN = 0xffe5

/**
 * Output to `port`.
 *
 * **Details**
 *
 * `maxLen` matters only for output to the controller; it defaults to {@link NO_BUFFER}
 * there (the whole packet, unbuffered, as Open vSwitch's `controller` action does) and to
 * 0 for every other port, as `ovs-ofctl` writes it.
 *
 * @example
 * ```ts
 * import { Action, Port } from "@switchyard/openflow"
 *
 * const toPort2 = Action.output(2)
 * const toController = Action.output(Port.CONTROLLER) // maxLen 0xffff: whole packet
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const output = (port: Port.PortNo, maxLen?: number): Output => ({
  _tag: "Output",
  port,
  maxLen: maxLen ?? (port === Port.CONTROLLER ? NO_BUFFER : 0)
})

/** Copy TTL outwards. @category constructors @since 0.1.0 */
export const copyTtlOut: CopyTtlOut = { _tag: "CopyTtlOut" }
/** Copy TTL inwards. @category constructors @since 0.1.0 */
export const copyTtlIn: CopyTtlIn = { _tag: "CopyTtlIn" }
/** Set the MPLS TTL. @category constructors @since 0.1.0 */
export const setMplsTtl = (mplsTtl: number): SetMplsTtl => ({ _tag: "SetMplsTtl", mplsTtl })
/** Decrement the MPLS TTL. @category constructors @since 0.1.0 */
export const decMplsTtl: DecMplsTtl = { _tag: "DecMplsTtl" }
/** Push a VLAN tag (TPID 0x8100 unless given). @category constructors @since 0.1.0 */
export const pushVlan = (ethertype: 0x8100 | 0x88a8 = 0x8100): PushVlan => ({ _tag: "PushVlan", ethertype })
/** Pop the outer VLAN tag. @category constructors @since 0.1.0 */
export const popVlan: PopVlan = { _tag: "PopVlan" }
/** Push an MPLS label (unicast 0x8847 unless given). @category constructors @since 0.1.0 */
export const pushMpls = (ethertype: 0x8847 | 0x8848 = 0x8847): PushMpls => ({ _tag: "PushMpls", ethertype })
/** Pop the outer MPLS label; `ethertype` is the payload's. @category constructors @since 0.1.0 */
export const popMpls = (ethertype: number): PopMpls => ({ _tag: "PopMpls", ethertype })
/** Select the output queue. @category constructors @since 0.1.0 */
export const setQueue = (queueId: number): SetQueue => ({ _tag: "SetQueue", queueId })
/** Process through group `groupId`. @category constructors @since 0.1.0 */
export const group = (groupId: number): Group => ({ _tag: "Group", groupId })
/** Set the IP TTL / hop limit. @category constructors @since 0.1.0 */
export const setNwTtl = (nwTtl: number): SetNwTtl => ({ _tag: "SetNwTtl", nwTtl })
/** Decrement the IP TTL / hop limit. @category constructors @since 0.1.0 */
export const decNwTtl: DecNwTtl = { _tag: "DecNwTtl" }
/** Push a PBB service tag (EtherType 0x88e7 unless given). @category constructors @since 0.1.0 */
export const pushPbb = (ethertype = 0x88e7): PushPbb => ({ _tag: "PushPbb", ethertype })
/** Pop the outer PBB service tag. @category constructors @since 0.1.0 */
export const popPbb: PopPbb = { _tag: "PopPbb" }

/**
 * Rewrite header field `name` with `value`.
 *
 * @example
 * ```ts
 * import { Action, Match } from "@switchyard/openflow"
 * import { MacAddress } from "@switchyard/packet"
 *
 * const actions = [
 *   Action.pushVlan(),
 *   Action.setField("vlanVid", Match.vlanVid(10)),
 *   Action.setField("ethDst", MacAddress.fromStringUnsafe("aa:bb:cc:dd:ee:ff"))
 * ]
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const setField = <N extends Match.FieldName>(name: N, value: Match.ValueOf<N>): SetField => ({
  _tag: "SetField",
  field: Match.field(name, value)
})

/**
 * A vendor action with raw `data` (after the experimenter id; a multiple of 8 bytes).
 *
 * @category constructors
 * @since 0.1.0
 */
export const experimenter = (experimenterId: number, data: Uint8Array): ExperimenterAction => ({
  _tag: "ExperimenterAction",
  experimenter: experimenterId,
  data
})

/**
 * The output ports of an action list, in order (for tests and logs).
 *
 * @category accessors
 * @since 0.1.0
 */
export const outputs = (actions: ReadonlyArray<Action>): ReadonlyArray<Port.PortNo> => {
  const ports: Array<number> = []
  for (const a of actions) if (a._tag === "Output") ports.push(a.port)
  return ports
}
