/**
 * The flow table engine behind `FlowTable`: OpenFlow 1.3 §5 (pipeline, instructions,
 * action sets, groups) and §6.4 (flow table modification), applied to real frames.
 *
 * It follows the spec to the letter where apps can tell the difference, and is stricter
 * than a real switch where a real switch's leniency would hide an app bug, in the way of
 * Faucet's `FakeOFTable`. Where it departs from the spec it says so next to the code.
 */
import { FlowMod, FlowRemoved, GroupMod, OpenFlowError, PacketIn, Port } from "@switchyard/openflow"
import type { Action, FlowStats, Instruction, Match } from "@switchyard/openflow"
import type { FlowEntry, Group, PacketResult, Probe, Removal, TableStats } from "../FlowTable.ts"
import {
  covers,
  fieldInfo,
  formatField,
  intersects,
  matchesValue,
  type NormalizedField,
  normalize,
  type PacketKey,
  sameField,
  valueOf
} from "./fields.ts"
import { apply as applyEdit, canSet, keyOf, type Packet } from "./rewrite.ts"

const OFPTT_ALL = 0xff
const OFPG_ANY = 0xffff_ffff
const COOKIE_ALL = 0xffff_ffff_ffff_ffffn

/** Fields this fake cannot take from a frame: an entry matching on them could never match. */
const unmatchable = new Set(["pbbIsid", "pbbUca", "actsetOutput", "packetType"])

/** A flow entry; the mutable counters are updated as packets match. */
export class Entry implements FlowEntry {
  readonly tableId: number
  readonly priority: number
  readonly match: Match.Match
  readonly fields: ReadonlyArray<NormalizedField>
  readonly matchText: string
  instructions: ReadonlyArray<Instruction.Instruction>
  readonly cookie: bigint
  readonly idleTimeout: number
  readonly hardTimeout: number
  readonly flags: number
  readonly installedAt: number
  lastUsedAt: number
  packetCount: number
  byteCount: number
  readonly seq: number

  constructor(
    mod: FlowMod.FlowMod,
    fields: ReadonlyArray<NormalizedField>,
    now: number,
    seq: number
  ) {
    this.tableId = mod.tableId
    this.priority = mod.priority
    this.fields = fields
    this.match = fields.map((f) => ({ field: f.info.name, value: f.value, mask: f.mask }) as Match.OxmField)
    this.matchText = fields.map(formatField).join(",")
    this.instructions = mod.instructions
    this.cookie = mod.cookie
    this.idleTimeout = mod.idleTimeout
    this.hardTimeout = mod.hardTimeout
    this.flags = mod.flags
    this.installedAt = now
    this.lastUsedAt = now
    this.packetCount = 0
    this.byteCount = 0
    this.seq = seq
  }

  /** OpenFlow 1.3 §5.4: the table-miss entry wildcards every field and has priority 0. */
  get isTableMiss(): boolean {
    return this.priority === 0 && this.fields.length === 0
  }

  matches(key: PacketKey): boolean {
    const fields = this.fields
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!
      if (!matchesValue(f, valueOf(key, f.info.name))) return false
    }
    return true
  }

  toString(): string {
    return `table=${this.tableId} priority=${this.priority}${this.matchText === "" ? "" : ` ${this.matchText}`}`
  }
}

interface GroupEntry extends Group {
  packetCount: number
  byteCount: number
}

const fail = (name: OpenFlowError.ErrorName, message: string) => OpenFlowError.make(name, message)

/** Normalizes and checks a flow mod's match; canonical order is field number order. */
const normalizeMatch = (match: Match.Match): ReadonlyArray<NormalizedField> | OpenFlowError.OpenFlowError => {
  const out: Array<NormalizedField> = []
  for (const f of match) {
    if (f.field === "opaque") {
      return fail("OFPBMC_BAD_FIELD", `the fake switch does not match on OXM class 0x${f.oxmClass.toString(16)} field ${f.oxmField}`)
    }
    if (unmatchable.has(f.field)) return fail("OFPBMC_BAD_FIELD", `the fake switch does not match on ${f.field}`)
    out.push(normalize(f))
  }
  out.sort((a, b) => a.info.number - b.info.number)
  return out
}

/** The match-derived facts set-field prerequisites depend on, carried through an action list. */
interface PrereqState {
  ethType: number | undefined
  ipProto: number | undefined
  vlan: boolean
}

const exactOf = (fields: ReadonlyArray<NormalizedField>, name: string): number | undefined => {
  for (const f of fields) if (f.info.name === name && f.mask === undefined) return f.value as number
  return undefined
}

const prereqStateOf = (fields: ReadonlyArray<NormalizedField>): PrereqState => {
  let vlan = false
  for (const f of fields) {
    if (f.info.name === "vlanVid") {
      const mask = (f.mask ?? 0x1fff) as number
      vlan = ((f.value as number) & 0x1000) !== 0 && (mask & 0x1000) !== 0
    }
  }
  return { ethType: exactOf(fields, "ethType"), ipProto: exactOf(fields, "ipProto"), vlan }
}

const prereqHolds = (p: string, s: PrereqState): boolean => {
  const ip = s.ethType === 0x0800 || s.ethType === 0x86dd
  switch (p) {
    case "none":
      return true
    case "vlan":
      return s.vlan
    case "ip":
      return ip
    case "ipv4":
      return s.ethType === 0x0800
    case "ipv6":
      return s.ethType === 0x86dd
    case "arp":
      return s.ethType === 0x0806 || s.ethType === 0x8035
    case "tcp":
      return ip && s.ipProto === 6
    case "udp":
      return ip && s.ipProto === 17
    case "sctp":
      return ip && s.ipProto === 132
    case "icmpv4":
      return s.ethType === 0x0800 && s.ipProto === 1
    case "icmpv6":
      return s.ethType === 0x86dd && s.ipProto === 58
    case "mpls":
      return s.ethType === 0x8847 || s.ethType === 0x8848
    default:
      return false
  }
}

/**
 * The action set's execution order (OpenFlow 1.3 §5.10): copy TTL inwards, pop, push-MPLS,
 * push-PBB, push-VLAN, copy TTL outwards, decrement TTL, set, qos, group, output.
 */
const setRank = (a: Action.Action): number => {
  switch (a._tag) {
    case "CopyTtlIn":
      return 0
    case "PopVlan":
    case "PopMpls":
    case "PopPbb":
      return 1
    case "PushMpls":
      return 2
    case "PushPbb":
      return 3
    case "PushVlan":
      return 4
    case "CopyTtlOut":
      return 5
    case "DecMplsTtl":
    case "DecNwTtl":
      return 6
    case "SetField":
    case "SetMplsTtl":
    case "SetNwTtl":
      return 7
    case "SetQueue":
      return 8
    case "Group":
      return 9
    case "Output":
      return 10
    default:
      return 11
  }
}

/** The key of an action in the action set: one action per type, one set-field per field (§5.10). */
const setKey = (a: Action.Action): string =>
  a._tag === "SetField" ? `SetField:${a.field.field === "opaque" ? `${a.field.oxmClass}:${a.field.oxmField}` : a.field.field}` : a._tag

/** How a run through the pipeline came to be, for packet-in reasons and table ids. */
interface Context {
  readonly entry: Entry | undefined
  readonly tableId: number
}

interface Run {
  readonly outputs: Array<{ port: number; frame: Uint8Array | undefined }>
  readonly toController: Array<PacketResult["toController"][number]>
  readonly path: Array<FlowEntry>
  readonly drops: Array<string>
  readonly problems: Array<string>
  readonly count: boolean
  readonly now: number
  depth: number
}

const fnv1a = (text: string): string => {
  // 64-bit FNV-1a in two 32-bit halves (bigint per character would be slow for big tables).
  let h1 = 0x84222325
  let h2 = 0xcbf29ce4
  for (let i = 0; i < text.length; i++) {
    h1 ^= text.charCodeAt(i)
    // Multiply by the FNV prime 0x100000001b3 = 2^40 + 0x1b3.
    const l = h1 * 0x1b3
    const h = h2 * 0x1b3 + (h1 << 8) + Math.floor(l / 0x1_0000_0000)
    h1 = l >>> 0
    h2 = h >>> 0
  }
  return h2.toString(16).padStart(8, "0") + h1.toString(16).padStart(8, "0")
}

const bigintReplacer = (_: string, v: unknown) =>
  typeof v === "bigint" ? `0x${v.toString(16)}` : v instanceof Uint8Array ? Array.from(v, (b) => b.toString(16).padStart(2, "0")).join("") : v

/** Canonical text of an instruction list: instructions in execution order. */
const instructionsText = (instructions: ReadonlyArray<Instruction.Instruction>): string => {
  const order = ["Meter", "ApplyActions", "ClearActions", "WriteActions", "WriteMetadata", "GotoTable", "ExperimenterInstruction"]
  const sorted = instructions.slice().sort((a, b) => order.indexOf(a._tag) - order.indexOf(b._tag))
  return JSON.stringify(
    sorted.map((i) =>
      i._tag === "WriteActions" ? { ...i, actions: i.actions.slice().sort((a, b) => setRank(a) - setRank(b) || setKey(a).localeCompare(setKey(b))) } : i
    ),
    bigintReplacer
  )
}

const physical = (port: number) => port >= 1 && port <= Port.MAX

export interface EngineOptions {
  readonly nTables: number
  readonly maxEntries: number
  readonly ports: Map<number, Port.Port>
}

export class Engine {
  readonly nTables: number
  readonly maxEntries: number
  readonly ports: Map<number, Port.Port>
  readonly tables: Array<Array<Entry>> = []
  readonly groups = new Map<number, GroupEntry>()
  readonly lookups: Array<number> = []
  readonly matched: Array<number> = []
  private seq = 0

  constructor(options: EngineOptions) {
    this.nTables = options.nTables
    this.maxEntries = options.maxEntries
    this.ports = options.ports
  }

  // ---------------------------------------------------------------------------------
  // Queries
  // ---------------------------------------------------------------------------------

  entries(tableId?: number): ReadonlyArray<Entry> {
    if (tableId !== undefined) return this.tables[tableId] ?? []
    const out: Array<Entry> = []
    for (const t of this.tables) if (t !== undefined) out.push(...t)
    return out
  }

  /**
   * The entry a packet with `key` matches in table `tableId`: the highest priority among
   * the entries whose every field matches (§5.3). Two matching entries of that same
   * priority make the choice undefined by the spec; the earlier installed wins here and
   * the ambiguity is reported in `problems`.
   */
  lookup(tableId: number, key: PacketKey, problems: Array<string> | undefined): Entry | undefined {
    const table = this.tables[tableId]
    if (table === undefined) return undefined
    for (let i = 0; i < table.length; i++) {
      const e = table[i]!
      if (!e.matches(key)) continue
      if (problems !== undefined) {
        for (let j = i + 1; j < table.length && table[j]!.priority === e.priority; j++) {
          if (table[j]!.matches(key)) {
            problems.push(
              `the packet matches two entries of priority ${e.priority} in table ${tableId} (${e.matchText || "*"} and ${
                table[j]!.matchText || "*"
              }); OpenFlow 1.3 §5.3 leaves the choice undefined`
            )
            break
          }
        }
      }
      return e
    }
    return undefined
  }

  // ---------------------------------------------------------------------------------
  // FLOW_MOD (§6.4)
  // ---------------------------------------------------------------------------------

  applyFlowMod(mod: FlowMod.FlowMod, now: number): { readonly error: OpenFlowError.OpenFlowError | undefined; readonly removed: ReadonlyArray<Removal> } {
    const removed: Array<Removal> = []
    const error = this.flowMod(mod, now, removed)
    return { error, removed }
  }

  private flowMod(mod: FlowMod.FlowMod, now: number, removed: Array<Removal>): OpenFlowError.OpenFlowError | undefined {
    const isDelete = mod.command === FlowMod.Command.DELETE || mod.command === FlowMod.Command.DELETE_STRICT
    if (!(mod.tableId < this.nTables || (isDelete && mod.tableId === OFPTT_ALL))) {
      return fail("OFPFMFC_BAD_TABLE_ID", `table ${mod.tableId} does not exist (the switch has ${this.nTables} tables${isDelete ? "" : "; OFPTT_ALL is valid only for DELETE"})`)
    }
    const fields = normalizeMatch(mod.match)
    if (!Array.isArray(fields)) return fields as OpenFlowError.OpenFlowError
    const normalized = fields as ReadonlyArray<NormalizedField>
    switch (mod.command) {
      case FlowMod.Command.ADD:
        return this.add(mod, normalized, now)
      case FlowMod.Command.MODIFY:
      case FlowMod.Command.MODIFY_STRICT: {
        const error = this.validateInstructions(mod.tableId, normalized, mod.instructions)
        if (error !== undefined) return error
        // §6.4: "If a flow entry matching the request exists, the instructions field of
        // that entry is updated with the value from the request, whereas its cookie,
        // idle_timeout, hard_timeout, flags, counters and duration fields are left
        // unchanged. [...] For modify requests, if no flow currently residing in the
        // requested table matches the request, no error is recorded, and no flow table
        // modification occurs."
        for (const e of this.select(mod, normalized, mod.command === FlowMod.Command.MODIFY_STRICT, false)) {
          e.instructions = mod.instructions
          if ((mod.flags & FlowMod.Flags.RESET_COUNTS) !== 0) {
            e.packetCount = 0
            e.byteCount = 0
          }
        }
        return undefined
      }
      default: {
        // §6.4: "For delete requests, if no flow entry currently residing in the requested
        // table matches the request, no error is recorded, and no flow table modification
        // occurs." The buffer id is ignored by DELETE and DELETE_STRICT.
        for (const e of this.select(mod, normalized, mod.command === FlowMod.Command.DELETE_STRICT, true)) {
          this.remove(e)
          removed.push({ entry: e, reason: FlowRemoved.Reason.DELETE })
        }
        return undefined
      }
    }
  }

  private add(mod: FlowMod.FlowMod, fields: ReadonlyArray<NormalizedField>, now: number): OpenFlowError.OpenFlowError | undefined {
    const error = this.validateInstructions(mod.tableId, fields, mod.instructions)
    if (error !== undefined) return error
    const table = (this.tables[mod.tableId] ??= [])
    let identical: Entry | undefined
    for (const e of table) {
      if (e.priority !== mod.priority) continue
      if (sameFields(e.fields, fields)) {
        identical = e
        continue
      }
      // §6.4: "If the OFPFF_CHECK_OVERLAP flag is set, the switch must first check that
      // there are no conflicting entries with the same priority prior to inserting it in
      // the flow table. If there is one, the flow mod fails and an error message is
      // returned." An identical entry is replaced rather than counted as a conflict,
      // as Open vSwitch does.
      if ((mod.flags & FlowMod.Flags.CHECK_OVERLAP) !== 0 && overlaps(e.fields, fields)) {
        return fail("OFPFMFC_OVERLAP", `the flow overlaps ${e.toString()} at the same priority and CHECK_OVERLAP is set`)
      }
    }
    if (identical === undefined && table.length >= this.maxEntries) {
      return fail("OFPFMFC_TABLE_FULL", `table ${mod.tableId} already holds ${this.maxEntries} entries`)
    }
    const entry = new Entry(mod, fields, now, ++this.seq)
    if (identical !== undefined) {
      // §6.4: "If a flow entry with identical match fields and priority already resides
      // in the requested table, then that entry, including its duration, must be cleared
      // from the table, and the new flow entry added. If the OFPFF_RESET_COUNTS flag is
      // set, the flow entry counters must be cleared, otherwise they should be copied from
      // the replaced flow entry. No flow-removed message is generated for the flow entry
      // eliminated as part of an add request."
      if ((mod.flags & FlowMod.Flags.RESET_COUNTS) === 0) {
        entry.packetCount = identical.packetCount
        entry.byteCount = identical.byteCount
      }
      this.remove(identical)
    }
    // Highest priority first; among equal priorities, the earlier installed first.
    let at = table.length
    while (at > 0 && table[at - 1]!.priority < entry.priority) at--
    table.splice(at, 0, entry)
    return undefined
  }

  /**
   * The entries a MODIFY or DELETE selects (§6.4): with `strict`, the entry with this exact
   * match and priority; otherwise every entry at least as specific as the match. Both
   * also filter on the cookie under `cookieMask`, and DELETE on `outPort`/`outGroup`.
   */
  private select(mod: FlowMod.FlowMod, fields: ReadonlyArray<NormalizedField>, strict: boolean, isDelete: boolean): ReadonlyArray<Entry> {
    const out: Array<Entry> = []
    const tables = mod.tableId === OFPTT_ALL ? this.tables : [this.tables[mod.tableId]]
    for (const table of tables) {
      if (table === undefined) continue
      for (const e of table) {
        if (strict ? e.priority !== mod.priority || !sameFields(e.fields, fields) : !coversAll(e.fields, fields)) continue
        if ((e.cookie & mod.cookieMask) !== (mod.cookie & mod.cookieMask)) continue
        if (isDelete && !this.outputsTo(e, mod.outPort, mod.outGroup)) continue
        out.push(e)
      }
    }
    return out
  }

  /**
   * `true` when an entry passes the out_port/out_group filter: §7.3.4.1, "out_port and
   * out_group [...] require matching entries to include this as an output port/group",
   * looking at its apply-actions and write-actions.
   */
  outputsTo(e: FlowEntry, outPort: number, outGroup: number): boolean {
    if (outPort === Port.ANY && outGroup === OFPG_ANY) return true
    let port = outPort === Port.ANY
    let group = outGroup === OFPG_ANY
    for (const i of e.instructions) {
      if (i._tag !== "ApplyActions" && i._tag !== "WriteActions") continue
      for (const a of i.actions) {
        if (a._tag === "Output" && a.port === outPort) port = true
        if (a._tag === "Group" && a.groupId === outGroup) group = true
      }
    }
    return port && group
  }

  private remove(e: Entry): void {
    const table = this.tables[e.tableId]
    if (table === undefined) return
    const i = table.indexOf(e)
    if (i >= 0) table.splice(i, 1)
  }

  // ---------------------------------------------------------------------------------
  // Validation
  // ---------------------------------------------------------------------------------

  private validateInstructions(
    tableId: number,
    fields: ReadonlyArray<NormalizedField>,
    instructions: ReadonlyArray<Instruction.Instruction>
  ): OpenFlowError.OpenFlowError | undefined {
    for (const i of instructions) {
      switch (i._tag) {
        case "GotoTable":
          // §5.1: "the flow entry can only direct a packet to a flow table number which
          // is greater than its own flow table number".
          if (i.tableId <= tableId || i.tableId >= this.nTables) {
            return fail("OFPBIC_BAD_TABLE_ID", `goto-table ${i.tableId} from table ${tableId} (tables 0-${this.nTables - 1}; only later tables)`)
          }
          break
        case "ApplyActions": {
          const error = this.validateActions(i.actions, prereqStateOf(fields), false)
          if (error !== undefined) return error
          break
        }
        case "WriteActions": {
          const sorted = i.actions.slice().sort((a, b) => setRank(a) - setRank(b))
          const error = this.validateActions(sorted, prereqStateOf(fields), false)
          if (error !== undefined) return error
          break
        }
        case "ExperimenterInstruction":
          return fail("OFPBIC_BAD_EXPERIMENTER", `experimenter instruction 0x${i.experimenter.toString(16)} is not supported by the fake switch`)
        // Meters are accepted and ignored: the fake switch forwards at any rate.
        case "Meter":
        case "ClearActions":
        case "WriteMetadata":
          break
      }
    }
    return undefined
  }

  /**
   * Checks an action list. `state` is what the match (or the actions before) guarantees
   * about the packet, for set-field prerequisites: as Open vSwitch does, a set-field
   * whose field's prerequisite the flow does not guarantee is OFPBAC_MATCH_INCONSISTENT.
   * `state` is `undefined` for a PACKET_OUT, whose packet is checked when it runs.
   */
  validateActions(actions: ReadonlyArray<Action.Action>, state: PrereqState | undefined, packetOut: boolean): OpenFlowError.OpenFlowError | undefined {
    for (const a of actions) {
      switch (a._tag) {
        case "Output":
          if (a.port === Port.NORMAL) {
            return fail("OFPBAC_BAD_OUT_PORT", "output to NORMAL: the fake switch has no built-in L2/L3 processing to hand packets to")
          }
          if (a.port === Port.TABLE && !packetOut) {
            return fail("OFPBAC_BAD_OUT_PORT", "output to TABLE is valid only in PACKET_OUT (OpenFlow 1.3 §4.5)")
          }
          if (a.port === 0) return fail("OFPBAC_BAD_OUT_PORT", "output to port 0, which OpenFlow never assigns")
          break
        case "Group":
          if (!this.groups.has(a.groupId)) return fail("OFPBAC_BAD_OUT_GROUP", `group ${a.groupId} does not exist`)
          break
        case "SetField": {
          const f = a.field
          if (f.field === "opaque" || !canSet(f.field)) {
            return fail("OFPBAC_BAD_SET_TYPE", `set-field of ${f.field === "opaque" ? `OXM class 0x${f.oxmClass.toString(16)}` : f.field} is not supported by the fake switch`)
          }
          const info = fieldInfo.get(f.field)!
          if (!info.writable) return fail("OFPBAC_BAD_SET_TYPE", `${f.field} is not writable by set-field`)
          // vlan_vid has no match prerequisite, but rewriting it needs a tag to rewrite:
          // Open vSwitch refuses a set-field of vlan_vid on a flow without one as well.
          const prerequisite = f.field === "vlanVid" ? "vlan" : info.prerequisite
          if (state !== undefined && !prereqHolds(prerequisite, state)) {
            return fail(
              "OFPBAC_MATCH_INCONSISTENT",
              `set-field ${f.field} needs its prerequisite (${prerequisite}) in the match or established by earlier actions`
            )
          }
          break
        }
        case "PushVlan":
          if (state !== undefined) state.vlan = true
          break
        case "PopVlan":
          if (state !== undefined) state.vlan = false
          break
        case "PushMpls":
          if (state !== undefined) {
            state.ethType = a.ethertype
            state.ipProto = undefined
          }
          break
        case "PopMpls":
          if (state !== undefined) state.ethType = a.ethertype
          break
        case "PushPbb":
        case "PopPbb":
          return fail("OFPBAC_BAD_TYPE", `${a._tag} is not supported by the fake switch`)
        case "ExperimenterAction":
          return fail("OFPBAC_BAD_EXPERIMENTER", `experimenter action 0x${a.experimenter.toString(16)} is not supported by the fake switch`)
        default:
          break
      }
    }
    return undefined
  }

  // ---------------------------------------------------------------------------------
  // GROUP_MOD (§6.5)
  // ---------------------------------------------------------------------------------

  applyGroupMod(mod: GroupMod.GroupMod, now: number): { readonly error: OpenFlowError.OpenFlowError | undefined; readonly removed: ReadonlyArray<Removal> } {
    const removed: Array<Removal> = []
    if (mod.command === GroupMod.Command.DELETE) {
      const ids = mod.groupId === GroupMod.ALL ? [...this.groups.keys()] : this.groups.has(mod.groupId) ? [mod.groupId] : []
      if (mod.groupId !== GroupMod.ALL) {
        for (const [id, g] of this.groups) {
          if (id !== mod.groupId && g.buckets.some((b) => b.actions.some((a) => a._tag === "Group" && a.groupId === mod.groupId))) {
            return { error: fail("OFPGMFC_CHAINED_GROUP", `group ${mod.groupId} is forwarded to by group ${id}`), removed }
          }
        }
      }
      for (const id of ids) {
        this.groups.delete(id)
        // §6.5: "If a group is deleted, all flow entries that forward to it are also
        // removed" (reason GROUP_DELETE).
        for (const e of this.entries()) {
          if (this.outputsTo(e, Port.ANY, id)) {
            this.remove(e)
            removed.push({ entry: e, reason: FlowRemoved.Reason.GROUP_DELETE })
          }
        }
      }
      return { error: undefined, removed }
    }
    const exists = this.groups.has(mod.groupId)
    if (mod.command === GroupMod.Command.ADD && exists) {
      return { error: fail("OFPGMFC_GROUP_EXISTS", `group ${mod.groupId} already exists`), removed }
    }
    if (mod.command === GroupMod.Command.MODIFY && !exists) {
      return { error: fail("OFPGMFC_UNKNOWN_GROUP", `group ${mod.groupId} does not exist`), removed }
    }
    if (mod.groupType === GroupMod.Type.INDIRECT && mod.buckets.length !== 1) {
      return { error: fail("OFPGMFC_INVALID_GROUP", `an INDIRECT group has exactly one bucket, not ${mod.buckets.length}`), removed }
    }
    for (const b of mod.buckets) {
      if (mod.groupType === GroupMod.Type.FF && b.watchPort === Port.ANY && b.watchGroup === GroupMod.ANY) {
        return { error: fail("OFPGMFC_BAD_WATCH", "a fast-failover bucket must watch a port or a group"), removed }
      }
      for (const a of b.actions) {
        if (a._tag === "Group") {
          if (a.groupId === mod.groupId || this.reaches(a.groupId, mod.groupId)) {
            return { error: fail("OFPGMFC_LOOP", `group ${mod.groupId} would forward to itself through group ${a.groupId}`), removed }
          }
          if (!this.groups.has(a.groupId)) {
            return { error: fail("OFPGMFC_BAD_BUCKET", `a bucket forwards to group ${a.groupId}, which does not exist`), removed }
          }
        }
      }
      const error = this.validateActions(b.actions, undefined, false)
      if (error !== undefined) return { error, removed }
    }
    const previous = this.groups.get(mod.groupId)
    this.groups.set(mod.groupId, {
      groupId: mod.groupId,
      groupType: mod.groupType,
      buckets: mod.buckets,
      installedAt: previous?.installedAt ?? now,
      packetCount: previous?.packetCount ?? 0,
      byteCount: previous?.byteCount ?? 0
    })
    return { error: undefined, removed }
  }

  /** `true` when group `from` forwards (directly or through other groups) to `to`. */
  private reaches(from: number, to: number, seen = new Set<number>()): boolean {
    if (seen.has(from)) return false
    seen.add(from)
    const g = this.groups.get(from)
    if (g === undefined) return false
    for (const b of g.buckets) {
      for (const a of b.actions) {
        if (a._tag === "Group" && (a.groupId === to || this.reaches(a.groupId, to, seen))) return true
      }
    }
    return false
  }

  // ---------------------------------------------------------------------------------
  // Timeouts (§5.5)
  // ---------------------------------------------------------------------------------

  /** The earliest time (ms) at which an entry may expire, or `undefined`. */
  nextDeadline(): number | undefined {
    let next: number | undefined
    for (const e of this.entries()) {
      const d = deadline(e)
      if (d !== undefined && (next === undefined || d < next)) next = d
    }
    return next
  }

  /** Removes the entries whose idle or hard timeout has passed at `now`. */
  expire(now: number): ReadonlyArray<Removal> {
    const removed: Array<Removal> = []
    for (const e of this.entries()) {
      const hard = e.hardTimeout > 0 ? e.installedAt + e.hardTimeout * 1000 : Infinity
      const idle = e.idleTimeout > 0 ? e.lastUsedAt + e.idleTimeout * 1000 : Infinity
      if (hard <= now || idle <= now) {
        this.remove(e)
        removed.push({ entry: e, reason: hard <= idle ? FlowRemoved.Reason.HARD_TIMEOUT : FlowRemoved.Reason.IDLE_TIMEOUT })
      }
    }
    return removed
  }

  // ---------------------------------------------------------------------------------
  // The pipeline (§5.1)
  // ---------------------------------------------------------------------------------

  /** Runs a packet through the pipeline from table 0. */
  process(probe: Probe, now: number, count: boolean): PacketResult {
    const run: Run = { outputs: [], toController: [], path: [], drops: [], problems: [], count, now, depth: 0 }
    const packet = packetOf(probe)
    this.runTables(packet, 0, run)
    return run
  }

  /**
   * Runs the actions of a PACKET_OUT on a packet (§7.3.7): an action list executed in
   * order, where output to TABLE submits the packet to the pipeline from table 0.
   */
  packetOut(probe: Probe, actions: ReadonlyArray<Action.Action>, now: number): PacketResult {
    const run: Run = { outputs: [], toController: [], path: [], drops: [], problems: [], count: true, now, depth: 0 }
    this.executeList(packetOf(probe), actions, { entry: undefined, tableId: OFPTT_ALL }, run)
    return run
  }

  private runTables(packet: Packet, start: number, run: Run): void {
    let tableId = start
    const actionSet = new Map<string, Action.Action>()
    while (true) {
      if (run.count) this.lookups[tableId] = (this.lookups[tableId] ?? 0) + 1
      const entry = this.lookup(tableId, packet.key, run.problems)
      if (entry === undefined) {
        // §5.4: "If the table-miss flow entry does not exist, by default packets unmatched
        // by flow entries are dropped (discarded)."
        run.drops.push(`table ${tableId} has no entry matching the packet and no table-miss entry: dropped`)
        return
      }
      if (run.count) {
        this.matched[tableId] = (this.matched[tableId] ?? 0) + 1
        entry.packetCount++
        entry.byteCount += packet.frame?.length ?? 0
        entry.lastUsedAt = run.now
      }
      run.path.push(entry)
      const context: Context = { entry, tableId }
      // §5.9: instructions execute in a fixed order whatever their order in the list:
      // meter, apply-actions, clear-actions, write-actions, write-metadata, goto-table.
      let goto: number | undefined
      let apply: ReadonlyArray<Action.Action> | undefined
      let write: ReadonlyArray<Action.Action> | undefined
      let clear = false
      let metadata: Instruction.WriteMetadata | undefined
      for (const i of entry.instructions) {
        if (i._tag === "ApplyActions") apply = i.actions
        else if (i._tag === "WriteActions") write = i.actions
        else if (i._tag === "ClearActions") clear = true
        else if (i._tag === "WriteMetadata") metadata = i
        else if (i._tag === "GotoTable") goto = i.tableId
      }
      if (apply !== undefined) this.executeList(packet, apply, context, run)
      if (clear) actionSet.clear()
      if (write !== undefined) for (const a of write) actionSet.set(setKey(a), a)
      if (metadata !== undefined) {
        packet.key = {
          ...packet.key,
          metadata: (packet.key.metadata & ~metadata.metadataMask) | (metadata.metadata & metadata.metadataMask)
        }
      }
      if (goto === undefined) {
        this.executeSet(packet, actionSet, context, run)
        return
      }
      tableId = goto
    }
  }

  /** §5.10: the action set runs in its fixed order; a group action overrides an output. */
  private executeSet(packet: Packet, set: ReadonlyMap<string, Action.Action>, context: Context, run: Run): void {
    if (set.size === 0) {
      run.drops.push(`the action set is empty after table ${context.tableId}: dropped`)
      return
    }
    const actions = [...set.values()].sort((a, b) => setRank(a) - setRank(b))
    const hasGroup = set.has("Group")
    if (!hasGroup && !set.has("Output")) run.drops.push(`the action set has no output or group action: dropped`)
    this.executeList(packet, hasGroup ? actions.filter((a) => a._tag !== "Output") : actions, context, run)
  }

  private executeList(packet: Packet, actions: ReadonlyArray<Action.Action>, context: Context, run: Run): void {
    for (const a of actions) {
      if (a._tag === "Output") this.output(packet, a.port, a.maxLen, context, run)
      else if (a._tag === "Group") this.group(packet, a.groupId, context, run)
      else {
        const problem = applyEdit(packet, a)
        if (problem !== undefined) run.problems.push(problem)
      }
    }
  }

  private output(packet: Packet, port: number, maxLen: number, context: Context, run: Run): void {
    const inPort = packet.key.inPort
    switch (port) {
      case Port.CONTROLLER: {
        const entry = context.entry
        run.toController.push({
          // §7.4.1 (1.3): OFPR_NO_MATCH for the table-miss flow entry, OFPR_ACTION otherwise.
          reason: entry !== undefined && entry.isTableMiss ? PacketIn.Reason.NO_MATCH : PacketIn.Reason.ACTION,
          tableId: context.tableId,
          cookie: entry?.cookie ?? COOKIE_ALL,
          maxLen,
          frame: packet.frame,
          inPort,
          metadata: packet.key.metadata,
          tunnelId: packet.key.tunnelId
        })
        return
      }
      case Port.IN_PORT:
        return this.transmit(packet, inPort, run, false)
      case Port.FLOOD:
      case Port.ALL: {
        // §4.5: ALL is every standard port except the ingress port; FLOOD is the same
        // minus ports that are blocked (OFPPS_BLOCKED) and, as in Open vSwitch, ports
        // configured OFPPC_NO_FWD.
        const ports = [...this.ports.keys()].filter(physical).sort((a, b) => a - b)
        for (const p of ports) {
          if (p === inPort) continue
          const desc = this.ports.get(p)!
          if (port === Port.FLOOD && (desc.state & Port.State.BLOCKED) !== 0) continue
          this.transmit(packet, p, run, true)
        }
        return
      }
      case Port.TABLE:
        if (run.depth++ > 16) {
          run.problems.push("output to TABLE recursed more than 16 times")
          return
        }
        this.runTables({ frame: packet.frame, key: packet.key }, 0, run)
        return
      case Port.LOCAL:
        run.outputs.push({ port: Port.LOCAL, frame: packet.frame })
        return
      default:
        if (port === inPort) {
          // §4.5: "OFPP_IN_PORT [...] must be explicitly used in order to send back out of
          // the input port." Open vSwitch drops such output, and so does this fake.
          run.drops.push(`output to port ${port}, the packet's ingress port: dropped (use IN_PORT)`)
          return
        }
        return this.transmit(packet, port, run, false)
    }
  }

  private transmit(packet: Packet, port: number, run: Run, flooding: boolean): void {
    const desc = this.ports.get(port)
    if (desc === undefined) {
      run.drops.push(`output to port ${port}, which the switch does not have: dropped`)
      return
    }
    if (!Port.isLive(desc)) {
      if (!flooding) run.drops.push(`output to port ${port}, which is down: dropped`)
      return
    }
    if ((desc.config & Port.Config.NO_FWD) !== 0) {
      run.drops.push(`output to port ${port}, configured NO_FWD: dropped`)
      return
    }
    run.outputs.push({ port, frame: packet.frame })
  }

  private group(packet: Packet, groupId: number, context: Context, run: Run): void {
    const g = this.groups.get(groupId)
    if (g === undefined) {
      run.drops.push(`group ${groupId} does not exist: dropped`)
      return
    }
    if (run.count) {
      g.packetCount++
      g.byteCount += packet.frame?.length ?? 0
    }
    const each = (b: GroupMod.Bucket) => this.executeList({ frame: packet.frame, key: packet.key }, b.actions, context, run)
    switch (g.groupType) {
      case GroupMod.Type.ALL:
        for (const b of g.buckets) each(b)
        return
      case GroupMod.Type.INDIRECT:
        if (g.buckets[0] !== undefined) each(g.buckets[0])
        return
      case GroupMod.Type.FF: {
        const live = g.buckets.find((b) => this.bucketLive(b))
        if (live === undefined) run.drops.push(`fast-failover group ${groupId} has no live bucket: dropped`)
        else each(live)
        return
      }
      default: {
        // SELECT: the switch picks one live bucket by weight. This fake picks it from a hash
        // of the packet's addresses and ports, so one flow always takes the same bucket and
        // a test sees the same choice on every run.
        const live = g.buckets.filter((b) => b.weight > 0 && this.bucketLive(b))
        const total = live.reduce((n, b) => n + b.weight, 0)
        if (total === 0) {
          run.drops.push(`select group ${groupId} has no live bucket with a weight: dropped`)
          return
        }
        const k = packet.key
        let pick = parseInt(fnv1a(`${k.ethSrc},${k.ethDst},${k.ipv4Src},${k.ipv4Dst},${k.ipv6Src},${k.ipv6Dst},${k.tcpSrc ?? k.udpSrc},${k.tcpDst ?? k.udpDst}`).slice(8), 16) % total
        for (const b of live) {
          if (pick < b.weight) return each(b)
          pick -= b.weight
        }
        return
      }
    }
  }

  private portLive(port: number): boolean {
    const desc = this.ports.get(port)
    return desc !== undefined && Port.isLive(desc)
  }

  /** §6.5: a bucket is live when the port and the group it watches are. */
  bucketLive(b: GroupMod.Bucket, depth = 0): boolean {
    if (b.watchPort !== Port.ANY && !this.portLive(b.watchPort)) return false
    if (b.watchGroup !== GroupMod.ANY) {
      const g = this.groups.get(b.watchGroup)
      if (g === undefined || depth > 16 || !g.buckets.some((x) => this.bucketLive(x, depth + 1))) return false
    }
    return true
  }

  // ---------------------------------------------------------------------------------
  // Statistics, state, copies
  // ---------------------------------------------------------------------------------

  /** The entries a FLOW or AGGREGATE statistics request selects (same rules as a non-strict DELETE). */
  selectStats(request: Pick<FlowStats.FlowStatsRequest, "tableId" | "outPort" | "outGroup" | "cookie" | "cookieMask" | "match">): ReadonlyArray<Entry> | OpenFlowError.OpenFlowError {
    if (request.tableId !== OFPTT_ALL && request.tableId >= this.nTables) {
      return fail("OFPBRC_BAD_TABLE_ID", `table ${request.tableId} does not exist`)
    }
    const fields = normalizeMatch(request.match)
    if (!Array.isArray(fields)) return fields as OpenFlowError.OpenFlowError
    const out: Array<Entry> = []
    const tables = request.tableId === OFPTT_ALL ? this.tables : [this.tables[request.tableId]]
    for (const table of tables) {
      if (table === undefined) continue
      for (const e of table) {
        if (!coversAll(e.fields, fields as ReadonlyArray<NormalizedField>)) continue
        if ((e.cookie & request.cookieMask) !== (request.cookie & request.cookieMask)) continue
        if (!this.outputsTo(e, request.outPort, request.outGroup)) continue
        out.push(e)
      }
    }
    return out
  }

  tableStats(): ReadonlyArray<TableStats> {
    const out: Array<TableStats> = []
    for (let t = 0; t < this.nTables; t++) {
      out.push({ tableId: t, activeCount: this.tables[t]?.length ?? 0, lookupCount: this.lookups[t] ?? 0, matchedCount: this.matched[t] ?? 0 })
    }
    return out
  }

  /**
   * The table as canonical text: one line per entry (table, priority, match, cookie,
   * timeouts, flags, instructions), sorted, then one line per group. Counters and times
   * are left out, so two tables that would forward alike read the same.
   */
  state(): string {
    const lines: Array<string> = []
    for (const e of this.entries()) {
      lines.push(
        `table=${e.tableId} priority=${e.priority} match=[${e.matchText}] cookie=0x${e.cookie.toString(16)} idle=${e.idleTimeout} hard=${e.hardTimeout} flags=0x${
          e.flags.toString(16)
        } instructions=${instructionsText(e.instructions)}`
      )
    }
    lines.sort()
    const groups = [...this.groups.values()].sort((a, b) => a.groupId - b.groupId)
    for (const g of groups) lines.push(`group=${g.groupId} type=${g.groupType} buckets=${JSON.stringify(g.buckets, bigintReplacer)}`)
    return lines.join("\n")
  }

  hash(): string {
    return fnv1a(this.state())
  }

  clone(ports: Map<number, Port.Port> = new Map(this.ports)): Engine {
    const copy = new Engine({ nTables: this.nTables, maxEntries: this.maxEntries, ports })
    for (let t = 0; t < this.tables.length; t++) {
      const table = this.tables[t]
      if (table === undefined) continue
      copy.tables[t] = table.map((e) => Object.assign(Object.create(Entry.prototype) as Entry, e))
    }
    for (const [id, g] of this.groups) copy.groups.set(id, { ...g })
    copy.lookups.push(...this.lookups)
    copy.matched.push(...this.matched)
    copy.seq = this.seq
    return copy
  }
}

const sameFields = (a: ReadonlyArray<NormalizedField>, b: ReadonlyArray<NormalizedField>): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (!sameField(a[i]!, b[i]!)) return false
  return true
}

/** `true` when `entry` is at least as specific as `filter` on every filter field. */
const coversAll = (entry: ReadonlyArray<NormalizedField>, filter: ReadonlyArray<NormalizedField>): boolean => {
  for (const f of filter) {
    const e = entry.find((x) => x.info === f.info)
    if (e === undefined || !covers(e, f)) return false
  }
  return true
}

/** `true` when some packet could match both (they agree wherever both match bits). */
const overlaps = (a: ReadonlyArray<NormalizedField>, b: ReadonlyArray<NormalizedField>): boolean => {
  for (const f of a) {
    const g = b.find((x) => x.info === f.info)
    if (g !== undefined && !intersects(f, g)) return false
  }
  return true
}

const deadline = (e: Entry): number | undefined => {
  const hard = e.hardTimeout > 0 ? e.installedAt + e.hardTimeout * 1000 : undefined
  const idle = e.idleTimeout > 0 ? e.lastUsedAt + e.idleTimeout * 1000 : undefined
  if (hard === undefined) return idle
  if (idle === undefined) return hard
  return Math.min(hard, idle)
}

/** The packet a probe describes: its frame's key, or the fields it names. */
export const packetOf = (probe: Probe): Packet => {
  const pipeline = {
    inPort: probe.inPort,
    inPhyPort: probe.inPhyPort,
    metadata: probe.metadata ?? 0n,
    tunnelId: probe.tunnelId
  }
  if (probe.frame !== undefined) return { frame: probe.frame, key: keyOf(probe.frame, pipeline) }
  const { frame: _, ...fields } = probe
  // A probe names an Ethernet packet's fields; without a vlanVid it is untagged
  // (OFPVID_NONE), as FlowKey reports for frames.
  return { frame: undefined, key: { vlanVid: 0, ...fields, ...pipeline } as PacketKey }
}

/** The FLOW_REMOVED a switch sends for a removed entry (§7.4.2). */
export const flowRemoved = (removal: Removal, now: number): FlowRemoved.FlowRemoved => {
  const e = removal.entry
  const ms = Math.max(0, now - e.installedAt)
  return {
    _tag: "FlowRemoved",
    cookie: e.cookie,
    priority: e.priority,
    reason: removal.reason,
    tableId: e.tableId,
    durationSec: Math.floor(ms / 1000),
    durationNsec: (ms % 1000) * 1_000_000,
    idleTimeout: e.idleTimeout,
    hardTimeout: e.hardTimeout,
    packetCount: (e.flags & FlowMod.Flags.NO_PKT_COUNTS) !== 0 ? COOKIE_ALL : BigInt(e.packetCount),
    byteCount: (e.flags & FlowMod.Flags.NO_BYT_COUNTS) !== 0 ? COOKIE_ALL : BigInt(e.byteCount),
    match: e.match
  }
}

/** One entry as a FLOW statistics reply reports it (§7.3.5.2). */
export const flowStats = (e: Entry, now: number): FlowStats.FlowStats => {
  const ms = Math.max(0, now - e.installedAt)
  return {
    tableId: e.tableId,
    durationSec: Math.floor(ms / 1000),
    durationNsec: (ms % 1000) * 1_000_000,
    priority: e.priority,
    idleTimeout: e.idleTimeout,
    hardTimeout: e.hardTimeout,
    flags: e.flags,
    cookie: e.cookie,
    packetCount: (e.flags & FlowMod.Flags.NO_PKT_COUNTS) !== 0 ? COOKIE_ALL : BigInt(e.packetCount),
    byteCount: (e.flags & FlowMod.Flags.NO_BYT_COUNTS) !== 0 ? COOKIE_ALL : BigInt(e.byteCount),
    match: e.match,
    instructions: e.instructions
  }
}
