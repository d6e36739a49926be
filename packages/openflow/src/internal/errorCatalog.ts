/**
 * The OpenFlow error catalog as data: every error type and code, with the wire numbers
 * per version, in the spirit of Open vSwitch's include/openvswitch/ofp-errors.h.
 *
 * Each type lists its codes in OpenFlow 1.1+ numbering; a code's `since`/`until` (wire
 * versions) say where it exists. OpenFlow 1.0 numbers its types and some codes
 * differently, so those are given explicitly where they exist.
 */

/** One error code row. */
export interface CodeRow {
  /** The spec's name, e.g. `OFPBRC_BAD_LEN`. */
  readonly name: string
  /** The code in OpenFlow 1.1+ numbering. */
  readonly code: number
  /** First wire version with this code (defaults to the type's `since`). */
  readonly since?: number
  /** Last wire version with this code (inclusive; defaults to none). */
  readonly until?: number
  /** OpenFlow 1.0 code under the type's `of10` number, where 1.0 has it. */
  readonly of10?: number
  readonly description: string
}

/** One error type row with its codes. */
export interface TypeRow {
  /** The spec's name, e.g. `OFPET_BAD_REQUEST`. */
  readonly name: string
  /** The tag of the `OpenFlowError` reason for this type. */
  readonly reason: string
  /** The type number in OpenFlow 1.1+. */
  readonly type: number
  /** The type number in OpenFlow 1.0, where 1.0 has the type. */
  readonly of10?: number
  readonly since: number
  readonly codes: ReadonlyArray<CodeRow>
}

const row = (name: string, code: number, description: string, extra?: Partial<CodeRow>): CodeRow => ({
  name,
  code,
  description,
  ...extra
})

export const catalog = [
  {
    name: "OFPET_HELLO_FAILED",
    reason: "HelloFailed",
    type: 0,
    of10: 0,
    since: 1,
    codes: [
      row("OFPHFC_INCOMPATIBLE", 0, "No compatible version.", { of10: 0 }),
      row("OFPHFC_EPERM", 1, "Permissions error.", { of10: 1 })
    ]
  },
  {
    name: "OFPET_BAD_REQUEST",
    reason: "BadRequest",
    type: 1,
    of10: 1,
    since: 1,
    codes: [
      row("OFPBRC_BAD_VERSION", 0, "ofp_header.version not supported.", { of10: 0 }),
      row("OFPBRC_BAD_TYPE", 1, "ofp_header.type not supported.", { of10: 1 }),
      row("OFPBRC_BAD_MULTIPART", 2, "ofp_multipart_request.type not supported.", { of10: 2 }),
      row("OFPBRC_BAD_EXPERIMENTER", 3, "Experimenter id not supported.", { of10: 3 }),
      row("OFPBRC_BAD_EXP_TYPE", 4, "Experimenter type not supported.", { of10: 4 }),
      row("OFPBRC_EPERM", 5, "Permissions error.", { of10: 5 }),
      row("OFPBRC_BAD_LEN", 6, "Wrong request length for type.", { of10: 6 }),
      row("OFPBRC_BUFFER_EMPTY", 7, "Specified buffer has already been used.", { of10: 7 }),
      row("OFPBRC_BUFFER_UNKNOWN", 8, "Specified buffer does not exist.", { of10: 8 }),
      row("OFPBRC_BAD_TABLE_ID", 9, "Specified table-id invalid or does not exist."),
      row("OFPBRC_IS_SLAVE", 10, "Denied because controller is slave.", { since: 3 }),
      row("OFPBRC_BAD_PORT", 11, "Invalid port.", { since: 3 }),
      row("OFPBRC_BAD_PACKET", 12, "Invalid packet in packet-out.", { since: 3 }),
      row("OFPBRC_MULTIPART_BUFFER_OVERFLOW", 13, "ofp_multipart_request overflowed the assigned buffer.", { since: 4 }),
      row("OFPBRC_MULTIPART_REQUEST_TIMEOUT", 14, "Timeout during multipart request.", { since: 5 }),
      row("OFPBRC_MULTIPART_REPLY_TIMEOUT", 15, "Timeout during multipart reply.", { since: 5 }),
      row("OFPBRC_MULTIPART_BAD_SCHED", 16, "Switch received a OFPMP_BUNDLE_FEATURES request and failed to update the scheduling tolerance.", { since: 6 }),
      row("OFPBRC_PIPELINE_FIELDS_ONLY", 17, "Match fields must include only pipeline fields.", { since: 6 }),
      row("OFPBRC_UNKNOWN", 18, "Unspecified error.", { since: 6 })
    ]
  },
  {
    name: "OFPET_BAD_ACTION",
    reason: "BadAction",
    type: 2,
    of10: 2,
    since: 1,
    codes: [
      row("OFPBAC_BAD_TYPE", 0, "Unknown or unsupported action type.", { of10: 0 }),
      row("OFPBAC_BAD_LEN", 1, "Length problem in actions.", { of10: 1 }),
      row("OFPBAC_BAD_EXPERIMENTER", 2, "Unknown experimenter id specified.", { of10: 2 }),
      row("OFPBAC_BAD_EXP_TYPE", 3, "Unknown action for experimenter id.", { of10: 3 }),
      row("OFPBAC_BAD_OUT_PORT", 4, "Problem validating output port.", { of10: 4 }),
      row("OFPBAC_BAD_ARGUMENT", 5, "Bad action argument.", { of10: 5 }),
      row("OFPBAC_EPERM", 6, "Permissions error.", { of10: 6 }),
      row("OFPBAC_TOO_MANY", 7, "Can't handle this many actions.", { of10: 7 }),
      row("OFPBAC_BAD_QUEUE", 8, "Problem validating output queue.", { of10: 8 }),
      row("OFPBAC_BAD_OUT_GROUP", 9, "Invalid group id in forward action."),
      row("OFPBAC_MATCH_INCONSISTENT", 10, "Action can't apply for this match, or Set-Field missing prerequisite."),
      row("OFPBAC_UNSUPPORTED_ORDER", 11, "Action order is unsupported for the action list in an Apply-Actions instruction."),
      row("OFPBAC_BAD_TAG", 12, "Actions uses an unsupported tag/encap."),
      row("OFPBAC_BAD_SET_TYPE", 13, "Unsupported type in SET_FIELD action.", { since: 3 }),
      row("OFPBAC_BAD_SET_LEN", 14, "Length problem in SET_FIELD action.", { since: 3 }),
      row("OFPBAC_BAD_SET_ARGUMENT", 15, "Bad argument in SET_FIELD action.", { since: 3 }),
      row("OFPBAC_BAD_SET_MASK", 16, "Bad mask in SET_FIELD action.", { since: 6 })
    ]
  },
  {
    name: "OFPET_BAD_INSTRUCTION",
    reason: "BadInstruction",
    type: 3,
    since: 2,
    codes: [
      row("OFPBIC_UNKNOWN_INST", 0, "Unknown instruction."),
      row("OFPBIC_UNSUP_INST", 1, "Switch or table does not support the instruction."),
      row("OFPBIC_BAD_TABLE_ID", 2, "Invalid Table-ID specified."),
      row("OFPBIC_UNSUP_METADATA", 3, "Metadata value unsupported by datapath."),
      row("OFPBIC_UNSUP_METADATA_MASK", 4, "Metadata mask value unsupported by datapath."),
      row("OFPBIC_BAD_EXPERIMENTER", 5, "Unknown experimenter id specified.", { since: 3 }),
      row("OFPBIC_BAD_EXP_TYPE", 6, "Unknown instruction for experimenter id.", { since: 3 }),
      row("OFPBIC_BAD_LEN", 7, "Length problem in instructions.", { since: 3 }),
      row("OFPBIC_EPERM", 8, "Permissions error.", { since: 3 }),
      row("OFPBIC_DUP_INST", 9, "Duplicate instruction.", { since: 5 })
    ]
  },
  {
    name: "OFPET_BAD_MATCH",
    reason: "BadMatch",
    type: 4,
    since: 2,
    codes: [
      row("OFPBMC_BAD_TYPE", 0, "Unsupported match type specified by the match."),
      row("OFPBMC_BAD_LEN", 1, "Length problem in match."),
      row("OFPBMC_BAD_TAG", 2, "Match uses an unsupported tag/encap."),
      row("OFPBMC_BAD_DL_ADDR_MASK", 3, "Unsupported datalink addr mask."),
      row("OFPBMC_BAD_NW_ADDR_MASK", 4, "Unsupported network addr mask."),
      row("OFPBMC_BAD_WILDCARDS", 5, "Unsupported combination of fields masked or omitted in the match."),
      row("OFPBMC_BAD_FIELD", 6, "Unsupported field type in the match."),
      row("OFPBMC_BAD_VALUE", 7, "Unsupported value in a match field."),
      row("OFPBMC_BAD_MASK", 8, "Unsupported mask specified in the match.", { since: 3 }),
      row("OFPBMC_BAD_PREREQ", 9, "A prerequisite was not met.", { since: 3 }),
      row("OFPBMC_DUP_FIELD", 10, "A field type was duplicated.", { since: 3 }),
      row("OFPBMC_EPERM", 11, "Permissions error.", { since: 3 })
    ]
  },
  {
    name: "OFPET_FLOW_MOD_FAILED",
    reason: "FlowModFailed",
    type: 5,
    of10: 3,
    since: 1,
    codes: [
      row("OFPFMFC_UNKNOWN", 0, "Unspecified error."),
      row("OFPFMFC_TABLE_FULL", 1, "Flow not added because table was full.", { of10: 0 }),
      row("OFPFMFC_BAD_TABLE_ID", 2, "Table does not exist."),
      row("OFPFMFC_OVERLAP", 3, "Attempted to add overlapping flow with CHECK_OVERLAP flag set.", { of10: 1 }),
      row("OFPFMFC_EPERM", 4, "Permissions error.", { of10: 2 }),
      row("OFPFMFC_BAD_TIMEOUT", 5, "Flow not added because of unsupported idle/hard timeout.", { of10: 3 }),
      row("OFPFMFC_BAD_COMMAND", 6, "Unsupported or unknown command.", { of10: 4 }),
      row("OFPFMFC_BAD_FLAGS", 7, "Unsupported or unknown flags.", { since: 3 }),
      row("OFPFMFC_CANT_SYNC", 8, "Problem in table synchronisation.", { since: 5 }),
      row("OFPFMFC_BAD_PRIORITY", 9, "Unsupported priority value.", { since: 5 }),
      row("OFPFMFC_IS_SYNC", 10, "Synchronised flow entry is read only.", { since: 6 })
    ]
  },
  {
    name: "OFPET_GROUP_MOD_FAILED",
    reason: "GroupModFailed",
    type: 6,
    since: 2,
    codes: [
      row("OFPGMFC_GROUP_EXISTS", 0, "Group not added because a group ADD attempted to replace an already-present group."),
      row("OFPGMFC_INVALID_GROUP", 1, "Group not added because Group specified is invalid."),
      row("OFPGMFC_WEIGHT_UNSUPPORTED", 2, "Switch does not support unequal load sharing with select groups."),
      row("OFPGMFC_OUT_OF_GROUPS", 3, "The group table is full."),
      row("OFPGMFC_OUT_OF_BUCKETS", 4, "The maximum number of action buckets for a group has been exceeded."),
      row("OFPGMFC_CHAINING_UNSUPPORTED", 5, "Switch does not support groups that forward to groups."),
      row("OFPGMFC_WATCH_UNSUPPORTED", 6, "This group cannot watch the watch_port or watch_group specified."),
      row("OFPGMFC_LOOP", 7, "Group entry would cause a loop."),
      row("OFPGMFC_UNKNOWN_GROUP", 8, "Group not modified because a group MODIFY attempted to modify a non-existent group."),
      row("OFPGMFC_CHAINED_GROUP", 9, "Group not deleted because another group is forwarding to it."),
      row("OFPGMFC_BAD_TYPE", 10, "Unsupported or unknown group type.", { since: 3 }),
      row("OFPGMFC_BAD_COMMAND", 11, "Unsupported or unknown command.", { since: 3 }),
      row("OFPGMFC_BAD_BUCKET", 12, "Error in bucket.", { since: 3 }),
      row("OFPGMFC_BAD_WATCH", 13, "Error in watch port/group.", { since: 3 }),
      row("OFPGMFC_EPERM", 14, "Permissions error.", { since: 3 }),
      row("OFPGMFC_UNKNOWN_BUCKET", 15, "Invalid bucket identifier used in INSERT BUCKET or REMOVE BUCKET command.", { since: 6 }),
      row("OFPGMFC_BUCKET_EXISTS", 16, "Can't insert bucket because a bucket already exist with that bucket-id.", { since: 6 })
    ]
  },
  {
    name: "OFPET_PORT_MOD_FAILED",
    reason: "PortModFailed",
    type: 7,
    of10: 4,
    since: 1,
    codes: [
      row("OFPPMFC_BAD_PORT", 0, "Specified port number does not exist.", { of10: 0 }),
      row("OFPPMFC_BAD_HW_ADDR", 1, "Specified hardware address does not match the port number.", { of10: 1 }),
      row("OFPPMFC_BAD_CONFIG", 2, "Specified config is invalid."),
      row("OFPPMFC_BAD_ADVERTISE", 3, "Specified advertise is invalid."),
      row("OFPPMFC_EPERM", 4, "Permissions error.", { since: 3 })
    ]
  },
  {
    name: "OFPET_TABLE_MOD_FAILED",
    reason: "TableModFailed",
    type: 8,
    since: 2,
    codes: [
      row("OFPTMFC_BAD_TABLE", 0, "Specified table does not exist."),
      row("OFPTMFC_BAD_CONFIG", 1, "Specified config is invalid."),
      row("OFPTMFC_EPERM", 2, "Permissions error.", { since: 3 })
    ]
  },
  {
    name: "OFPET_QUEUE_OP_FAILED",
    reason: "QueueOpFailed",
    type: 9,
    of10: 5,
    since: 1,
    codes: [
      row("OFPQOFC_BAD_PORT", 0, "Invalid port (or port does not exist).", { of10: 0 }),
      row("OFPQOFC_BAD_QUEUE", 1, "Queue does not exist.", { of10: 1 }),
      row("OFPQOFC_EPERM", 2, "Permissions error.", { of10: 2 })
    ]
  },
  {
    name: "OFPET_SWITCH_CONFIG_FAILED",
    reason: "SwitchConfigFailed",
    type: 10,
    since: 2,
    codes: [
      row("OFPSCFC_BAD_FLAGS", 0, "Specified flags is invalid."),
      row("OFPSCFC_BAD_LEN", 1, "Specified len is invalid."),
      row("OFPSCFC_EPERM", 2, "Permissions error.", { since: 3 })
    ]
  },
  {
    name: "OFPET_ROLE_REQUEST_FAILED",
    reason: "RoleRequestFailed",
    type: 11,
    since: 3,
    codes: [
      row("OFPRRFC_STALE", 0, "Stale Message: old generation_id."),
      row("OFPRRFC_UNSUP", 1, "Controller role change unsupported."),
      row("OFPRRFC_BAD_ROLE", 2, "Invalid role."),
      row("OFPRRFC_ID_UNSUP", 3, "Switch doesn't support changing ID.", { since: 6 }),
      row("OFPRRFC_ID_IN_USE", 4, "Requested ID is in use.", { since: 6 })
    ]
  },
  {
    name: "OFPET_METER_MOD_FAILED",
    reason: "MeterModFailed",
    type: 12,
    since: 4,
    codes: [
      row("OFPMMFC_UNKNOWN", 0, "Unspecified error."),
      row("OFPMMFC_METER_EXISTS", 1, "Meter not added because a Meter ADD attempted to replace an existing Meter."),
      row("OFPMMFC_INVALID_METER", 2, "Meter not added because Meter specified is invalid."),
      row("OFPMMFC_UNKNOWN_METER", 3, "Meter not modified because a Meter MODIFY attempted to modify a non-existent Meter."),
      row("OFPMMFC_BAD_COMMAND", 4, "Unsupported or unknown command."),
      row("OFPMMFC_BAD_FLAGS", 5, "Flag configuration unsupported."),
      row("OFPMMFC_BAD_RATE", 6, "Rate unsupported."),
      row("OFPMMFC_BAD_BURST", 7, "Burst size unsupported."),
      row("OFPMMFC_BAD_BAND", 8, "Band unsupported."),
      row("OFPMMFC_BAD_BAND_VALUE", 9, "Band value unsupported."),
      row("OFPMMFC_OUT_OF_METERS", 10, "No more meters available."),
      row("OFPMMFC_OUT_OF_BANDS", 11, "The maximum number of properties for a meter has been exceeded.")
    ]
  },
  {
    name: "OFPET_TABLE_FEATURES_FAILED",
    reason: "TableFeaturesFailed",
    type: 13,
    since: 4,
    codes: [
      row("OFPTFFC_BAD_TABLE", 0, "Specified table does not exist."),
      row("OFPTFFC_BAD_METADATA", 1, "Invalid metadata mask."),
      // OpenFlow 1.4 moved codes 2-4 to OFPET_BAD_PROPERTY (OFPBPC_BAD_TYPE/LEN/VALUE).
      row("OFPTFFC_BAD_TYPE", 2, "Unknown property type.", { until: 4 }),
      row("OFPTFFC_BAD_LEN", 3, "Length problem in properties.", { until: 4 }),
      row("OFPTFFC_BAD_ARGUMENT", 4, "Unsupported property value.", { until: 4 }),
      row("OFPTFFC_EPERM", 5, "Permissions error."),
      row("OFPTFFC_BAD_CAP", 6, "Invalid capability field.", { since: 6 }),
      row("OFPTFFC_BAD_MAX_ENT", 7, "Invalid max_entries field.", { since: 6 }),
      row("OFPTFFC_BAD_FEATURES", 8, "Invalid features field.", { since: 6 }),
      row("OFPTFFC_BAD_COMMAND", 9, "Invalid command.", { since: 6 }),
      row("OFPTFFC_TOO_MANY", 10, "Can't handle this many flow tables.", { since: 6 })
    ]
  },
  {
    name: "OFPET_BAD_PROPERTY",
    reason: "BadProperty",
    type: 14,
    since: 5,
    codes: [
      row("OFPBPC_BAD_TYPE", 0, "Unknown or unsupported property type."),
      row("OFPBPC_BAD_LEN", 1, "Length problem in property."),
      row("OFPBPC_BAD_VALUE", 2, "Unsupported property value."),
      row("OFPBPC_TOO_MANY", 3, "Can't handle this many properties."),
      row("OFPBPC_DUP_TYPE", 4, "A property type was duplicated."),
      row("OFPBPC_BAD_EXPERIMENTER", 5, "Unknown experimenter id specified."),
      row("OFPBPC_BAD_EXP_TYPE", 6, "Unknown exp_type for experimenter id."),
      row("OFPBPC_BAD_EXP_VALUE", 7, "Unknown value for experimenter id."),
      row("OFPBPC_EPERM", 8, "Permissions error.")
    ]
  },
  {
    name: "OFPET_ASYNC_CONFIG_FAILED",
    reason: "AsyncConfigFailed",
    type: 15,
    since: 5,
    codes: [
      row("OFPACFC_INVALID", 0, "One mask is invalid."),
      row("OFPACFC_UNSUPPORTED", 1, "Requested configuration not supported."),
      row("OFPACFC_EPERM", 2, "Permissions error.")
    ]
  },
  {
    name: "OFPET_FLOW_MONITOR_FAILED",
    reason: "FlowMonitorFailed",
    type: 16,
    since: 5,
    codes: [
      row("OFPMOFC_UNKNOWN", 0, "Unspecified error."),
      row("OFPMOFC_MONITOR_EXISTS", 1, "Monitor not added because a Monitor ADD attempted to replace an existing Monitor."),
      row("OFPMOFC_INVALID_MONITOR", 2, "Monitor not added because Monitor specified is invalid."),
      row("OFPMOFC_UNKNOWN_MONITOR", 3, "Monitor not modified because a Monitor MODIFY attempted to modify a non-existent Monitor."),
      row("OFPMOFC_BAD_COMMAND", 4, "Unsupported or unknown command."),
      row("OFPMOFC_BAD_FLAGS", 5, "Flag configuration unsupported."),
      row("OFPMOFC_BAD_TABLE_ID", 6, "Specified table does not exist."),
      row("OFPMOFC_BAD_OUT", 7, "Error in output port/group.")
    ]
  },
  {
    name: "OFPET_BUNDLE_FAILED",
    reason: "BundleFailed",
    type: 17,
    since: 5,
    codes: [
      row("OFPBFC_UNKNOWN", 0, "Unspecified error."),
      row("OFPBFC_EPERM", 1, "Permissions error."),
      row("OFPBFC_BAD_ID", 2, "Bundle ID doesn't exist."),
      row("OFPBFC_BUNDLE_EXIST", 3, "Bundle ID already exist."),
      row("OFPBFC_BUNDLE_CLOSED", 4, "Bundle ID is closed."),
      row("OFPBFC_OUT_OF_BUNDLES", 5, "Too many bundles IDs."),
      row("OFPBFC_BAD_TYPE", 6, "Unsupported or unknown message control type."),
      row("OFPBFC_BAD_FLAGS", 7, "Unsupported, unknown, or inconsistent flags."),
      row("OFPBFC_MSG_BAD_LEN", 8, "Length problem in included message."),
      row("OFPBFC_MSG_BAD_XID", 9, "Inconsistent or duplicate XID."),
      row("OFPBFC_MSG_UNSUP", 10, "Unsupported message in this bundle."),
      row("OFPBFC_MSG_CONFLICT", 11, "Unsupported message combination in this bundle."),
      row("OFPBFC_MSG_TOO_MANY", 12, "Can't handle this many messages in bundle."),
      row("OFPBFC_MSG_FAILED", 13, "One message in bundle failed."),
      row("OFPBFC_TIMEOUT", 14, "Bundle is taking too long."),
      row("OFPBFC_BUNDLE_IN_PROGRESS", 15, "Bundle is locking the resource."),
      row("OFPBFC_SCHED_NOT_SUPPORTED", 16, "Scheduled commit was received and scheduling is not supported.", { since: 6 }),
      row("OFPBFC_SCHED_FUTURE", 17, "Scheduled commit time exceeds upper bound.", { since: 6 }),
      row("OFPBFC_SCHED_PAST", 18, "Scheduled commit time exceeds lower bound.", { since: 6 })
    ]
  }
] as const satisfies ReadonlyArray<TypeRow>
