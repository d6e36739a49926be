/**
 * @switchyard/openflow: the OpenFlow wire protocol as typed values and a fast binary codec.
 *
 * @since 0.1.0
 */

/** OpenFlow protocol versions and their wire numbers. @since 0.1.0 */
export * as Version from "./Version.ts"

/** Schemas for the unsigned integer widths of the wire format. @since 0.1.0 */
export * as Uint from "./Uint.ts"

/** The 8-byte OpenFlow header and the message type numbers. @since 0.1.0 */
export * as Header from "./Header.ts"

/** Typed OpenFlow errors: what the codec returns and what goes back in OFPT_ERROR. @since 0.1.0 */
export * as OpenFlowError from "./OpenFlowError.ts"

/** The error for a message that cannot be put on the wire at all. @since 0.1.0 */
export * as EncodeError from "./EncodeError.ts"

/** The union of every OpenFlow message, and its decode and encode entry points. @since 0.1.0 */
export * as Message from "./Message.ts"

/** Encodes many messages into one reusable buffer. @since 0.1.0 */
export * as Encoder from "./Encoder.ts"

/** Splits a TCP byte stream into OpenFlow messages. @since 0.1.0 */
export * as Framing from "./Framing.ts"

/** OFPT_HELLO and version negotiation. @since 0.1.0 */
export * as Hello from "./Hello.ts"

/** OFPT_ERROR messages. @since 0.1.0 */
export * as ErrorMsg from "./ErrorMsg.ts"

/** OFPT_ECHO_REQUEST and OFPT_ECHO_REPLY. @since 0.1.0 */
export * as Echo from "./Echo.ts"

/** OFPT_EXPERIMENTER messages, kept opaque. @since 0.1.0 */
export * as Experimenter from "./Experimenter.ts"

/** OFPT_FEATURES_REQUEST and OFPT_FEATURES_REPLY. @since 0.1.0 */
export * as Features from "./Features.ts"

/** Port numbers and the reserved ports. @since 0.1.0 */
export * as Port from "./Port.ts"

/** The property TLVs of OpenFlow 1.4+ shared by every property list (experimenter, unknown). @since 0.1.0 */
export * as Property from "./Property.ts"

/** OFPT_BARRIER_REQUEST and OFPT_BARRIER_REPLY. @since 0.1.0 */
export * as Barrier from "./Barrier.ts"

/** OFPT_GET_CONFIG_REQUEST/REPLY and OFPT_SET_CONFIG: fragment handling and miss_send_len. @since 0.1.0 */
export * as SwitchConfig from "./SwitchConfig.ts"

/** OFPT_PORT_STATUS: a port was added, removed or changed. @since 0.1.0 */
export * as PortStatus from "./PortStatus.ts"

/** OFPT_PORT_MOD: change a port's administrative configuration. @since 0.1.0 */
export * as PortMod from "./PortMod.ts"

/** OFPT_TABLE_MOD and the table id constants. @since 0.1.0 */
export * as TableMod from "./TableMod.ts"

/** The TABLE_DESC multipart request and reply and OFPT_TABLE_STATUS (OpenFlow 1.4+). @since 0.1.0 */
export * as TableDesc from "./TableDesc.ts"

/** OFPT_METER_MOD and meter bands. @since 0.1.0 */
export * as MeterMod from "./MeterMod.ts"

/** OFPT_ROLE_REQUEST/REPLY: controller roles and master election. @since 0.1.0 */
export * as Role from "./Role.ts"

/** OFPT_REQUESTFORWARD: group and meter changes forwarded to every controller (OpenFlow 1.4+). @since 0.1.0 */
export * as RequestForward from "./RequestForward.ts"

/** Bundles: BUNDLE_CONTROL, BUNDLE_ADD_MESSAGE and BUNDLE_FEATURES (OpenFlow 1.4+). @since 0.1.0 */
export * as Bundle from "./Bundle.ts"

/** OFPT_CONTROLLER_STATUS and the CONTROLLER_STATUS multipart (OpenFlow 1.5). @since 0.1.0 */
export * as ControllerStatus from "./ControllerStatus.ts"

/** OFPT_GET_ASYNC_REQUEST/REPLY and OFPT_SET_ASYNC: which asynchronous messages a connection receives. @since 0.1.0 */
export * as Async from "./Async.ts"

/** OFPT_QUEUE_GET_CONFIG_REQUEST/REPLY: the queues configured on a port. @since 0.1.0 */
export * as QueueConfig from "./QueueConfig.ts"

/** Multipart flags and types, experimenter multipart messages, and reassembly of split replies. @since 0.1.0 */
export * as Multipart from "./Multipart.ts"

/** The DESC multipart request and reply: switch description. @since 0.1.0 */
export * as Desc from "./Desc.ts"

/** The FLOW and AGGREGATE multipart requests and replies: flow entries and their counters. @since 0.1.0 */
export * as FlowStats from "./FlowStats.ts"

/** The FLOW_MONITOR multipart request and reply: watching flow tables change (OpenFlow 1.4+). @since 0.1.0 */
export * as FlowMonitor from "./FlowMonitor.ts"

/** The TABLE multipart request and reply: per-table counters. @since 0.1.0 */
export * as TableStats from "./TableStats.ts"

/** The PORT_STATS multipart request and reply: per-port counters. @since 0.1.0 */
export * as PortStats from "./PortStats.ts"

/** The PORT_DESC multipart request and reply: every port's description. @since 0.1.0 */
export * as PortDesc from "./PortDesc.ts"

/** The QUEUE multipart request and reply: per-queue counters. @since 0.1.0 */
export * as QueueStats from "./QueueStats.ts"

/** The QUEUE_DESC multipart request and reply (OpenFlow 1.4+). @since 0.1.0 */
export * as QueueDesc from "./QueueDesc.ts"

/** The GROUP, GROUP_DESC and GROUP_FEATURES multipart requests and replies. @since 0.1.0 */
export * as GroupStats from "./GroupStats.ts"

/** The METER, METER_CONFIG and METER_FEATURES multipart requests and replies. @since 0.1.0 */
export * as MeterStats from "./MeterStats.ts"

/** The TABLE_FEATURES multipart request and reply: what each flow table supports. @since 0.1.0 */
export * as TableFeatures from "./TableFeatures.ts"

/** OXM matches: fields, prerequisites, builders and accessors. @since 0.1.0 */
export * as Match from "./Match.ts"

/** OXS statistics: the counters OpenFlow 1.5 reports as TLV fields. @since 0.1.0 */
export * as Stats from "./Stats.ts"

/** OpenFlow actions: output, push/pop, set-field, group, experimenter. @since 0.1.0 */
export * as Action from "./Action.ts"

/** OpenFlow instructions: apply/write/clear actions, goto-table, metadata, meter. @since 0.1.0 */
export * as Instruction from "./Instruction.ts"

/** OFPT_FLOW_MOD: add, modify and delete flow entries. @since 0.1.0 */
export * as FlowMod from "./FlowMod.ts"

/** OFPT_PACKET_IN: packets the switch sends to the controller. @since 0.1.0 */
export * as PacketIn from "./PacketIn.ts"

/** OFPT_PACKET_OUT: packets the controller sends out of the switch. @since 0.1.0 */
export * as PacketOut from "./PacketOut.ts"

/** OFPT_FLOW_REMOVED: a flow entry expired or was deleted, with its counters. @since 0.1.0 */
export * as FlowRemoved from "./FlowRemoved.ts"

/** OFPT_GROUP_MOD: add, modify and delete groups and their buckets. @since 0.1.0 */
export * as GroupMod from "./GroupMod.ts"
