/**
 * The `FlowTable` object over the engine: the public operations, and the way back from a
 * table to its engine for the fake switch.
 */
import type { FlowStats, FlowMod, GroupMod, OpenFlowError, Port } from "@switchyard/openflow"
import { Port as PortNumbers } from "@switchyard/openflow"
import type { FlowTable, Group, PacketResult, Probe } from "../FlowTable.ts"
import { Engine, type EngineOptions, flowStats as flowStatsInternal, packetOf } from "./flowTable.ts"

class Table implements FlowTable {
  readonly engine: Engine
  constructor(engine: Engine) {
    this.engine = engine
  }
  get nTables() {
    return this.engine.nTables
  }
  get ports() {
    return this.engine.ports
  }
  get groups(): ReadonlyMap<number, Group> {
    return this.engine.groups
  }
  readonly entries = (tableId?: number) => this.engine.entries(tableId)
  readonly applyFlowMod = (mod: FlowMod.FlowMod, now: number) => this.engine.applyFlowMod(mod, now)
  readonly applyGroupMod = (mod: GroupMod.GroupMod, now: number) => this.engine.applyGroupMod(mod, now)
  readonly lookup = (probe: Probe, tableId = 0) => this.engine.lookup(tableId, packetOf(probe).key, undefined)
  readonly trace = (probe: Probe) => this.engine.process(probe, 0, false)
  readonly process = (probe: Probe, now: number) => this.engine.process(probe, now, true)
  readonly outputs = (probe: Probe) => portsOf(this.trace(probe))
  readonly isOutput = (probe: Probe, port: number) => this.outputs(probe).includes(port)
  readonly expire = (now: number) => this.engine.expire(now)
  readonly nextDeadline = () => this.engine.nextDeadline()
  readonly flowStats = (
    request: Pick<FlowStats.FlowStatsRequest, "tableId" | "outPort" | "outGroup" | "cookie" | "cookieMask" | "match">,
    now: number
  ) => {
    const selected = this.engine.selectStats(request)
    return Array.isArray(selected) ? selected.map((e) => flowStatsInternal(e, now)) : (selected as OpenFlowError.OpenFlowError)
  }
  readonly tableStats = () => this.engine.tableStats()
  readonly state = () => this.engine.state()
  readonly hash = () => this.engine.hash()
  readonly clone = (ports?: Map<number, Port.Port>) => new Table(this.engine.clone(ports))
}

/** The engine behind a table made here, for the fake switch. */
export const engineOf = (table: FlowTable): Engine => (table as Table).engine

/** The ports of a result, in first-seen order without duplicates. */
const portsOf = (result: PacketResult): ReadonlyArray<number> => {
  const out: Array<number> = []
  for (const o of result.outputs) if (!out.includes(o.port)) out.push(o.port)
  if (result.toController.length > 0 && !out.includes(PortNumbers.CONTROLLER)) out.push(PortNumbers.CONTROLLER)
  return out
}


/** A table over a new engine. */
export const makeTable = (options: EngineOptions): FlowTable => new Table(new Engine(options))
