/**
 * Ryu mappings of the switch-configuration and state messages: SWITCH_CONFIG, PORT_STATUS,
 * PORT_MOD, TABLE_MOD, METER_MOD, ROLE, ASYNC and QUEUE_GET_CONFIG.
 *
 * Ryu names: `OFPPort` for our `Port.Port` (`hw_addr` as text); `OFPMeterBandDrop` /
 * `OFPMeterBandDscpRemark` / `OFPMeterBandExperimenter` carry the band `type` number
 * that our `_tag` stands for (and Ryu leaves the experimenter band's data out); the
 * async masks are two-element lists as in our model; `OFPPacketQueue` /
 * `OFPQueuePropMinRate` / `OFPQueuePropMaxRate` / `OFPQueuePropExperimenter` carry the
 * `property` type number, and Ryu shows experimenter property data as a list of byte
 * values rather than base64.
 */
import type { Message, MeterMod, Port, QueueConfig, TableDesc, TableMod } from "@switchyard/openflow"
import { Async } from "@switchyard/openflow"
import { fields, mac, simple, wrap, type RyuObject } from "./common.ts"
import { experimenterProperty, unknownProperty } from "./properties.ts"
import { oxmId } from "./tableFeatures.ts"

type Of<T extends Message.Tag> = Message.Of<T>

/** A port description property other than Ethernet, as Ryu 1.4/1.5 shows it. */
const portProperty = (p: Port.Property): RyuObject => {
  switch (p._tag) {
    case "PortDescPropOptical":
      return wrap("OFPPortDescPropOptical", { type: 1, ...fields(p) })
    case "PortDescPropPipelineInput":
    case "PortDescPropPipelineOutput":
      // No vector has one; this is the shape of Ryu 1.5's OFPPortDescPropOxm.
      return wrap("OFPPortDescPropOxm", { type: p._tag === "PortDescPropPipelineInput" ? 2 : 3, oxm_ids: p.oxmIds.map(oxmId) })
    case "PortDescPropRecirculate":
      return wrap("OFPPortDescPropRecirculate", { type: 4, port_nos: [...p.portNos] })
    case "ExperimenterProperty":
      return experimenterProperty("OFPPortDescPropExperimenter", p)
    case "UnknownProperty":
      return unknownProperty(p)
  }
}

/**
 * `OFPPort`, shared with the PORT_DESC reply. From OpenFlow 1.4 Ryu shows the feature
 * bitmaps and speeds as the first property, `OFPPortDescPropEthernet`, followed by the
 * others.
 */
export const port = (p: Port.Port, version: number): RyuObject => {
  if (version < 5) return wrap("OFPPort", fields(p, { convert: { hwAddr: mac } }))
  const ethernet = wrap("OFPPortDescPropEthernet", {
    type: 0,
    curr: p.curr,
    advertised: p.advertised,
    supported: p.supported,
    peer: p.peer,
    curr_speed: p.currSpeed,
    max_speed: p.maxSpeed
  })
  return wrap("OFPPort", {
    port_no: p.portNo,
    hw_addr: mac(p.hwAddr),
    name: p.name,
    config: p.config,
    state: p.state,
    properties: [ethernet, ...(p.properties ?? []).map(portProperty)]
  })
}

/** A meter band, shared with the METER_CONFIG reply. */
export const meterBand = (b: MeterMod.MeterBand): RyuObject => {
  switch (b._tag) {
    case "MeterBandDrop":
      return wrap("OFPMeterBandDrop", { type: 1, ...fields(b) })
    case "MeterBandDscpRemark":
      return wrap("OFPMeterBandDscpRemark", { type: 2, ...fields(b) })
    case "MeterBandExperimenter":
      // Ryu's OFPMeterBandExperimenter keeps no data; no vector has any.
      return wrap("OFPMeterBandExperimenter", { type: 0xffff, ...fields(b, { omit: ["data"] }) })
  }
}

const queueProperty = (p: QueueConfig.QueueProperty): RyuObject => {
  switch (p._tag) {
    case "QueuePropMinRate":
      return wrap("OFPQueuePropMinRate", { property: 1, rate: p.rate })
    case "QueuePropMaxRate":
      return wrap("OFPQueuePropMaxRate", { property: 2, rate: p.rate })
    case "QueuePropExperimenter":
      return wrap("OFPQueuePropExperimenter", { property: 0xffff, experimenter: p.experimenter, data: Array.from(p.data) })
    case "QueuePropUnknown":
      // Ryu has no class for unknown queue properties; no vector has one.
      return wrap("UnknownQueueProperty", { property: p.property, data: Array.from(p.data) })
  }
}

/**
 * From OpenFlow 1.4 Ryu shows an async configuration as its properties:
 * `OFPAsyncConfigPropReasons { type, mask }` in type order (slave even, master odd),
 * then `OFPAsyncConfigPropExperimenter` (type 0xfffe slave, 0xffff master).
 */
const asyncProperties = (m: Of<"GetAsyncReply"> | Of<"SetAsync">): Array<RyuObject> => {
  const out: Array<RyuObject> = []
  const omitted = m.omitted ?? 0
  Async.maskFields.forEach((name, k) => {
    const pair = m[name]
    if (pair === undefined) return
    for (const type of [2 * k, 2 * k + 1]) {
      if ((omitted & (1 << type)) === 0) out.push(wrap("OFPAsyncConfigPropReasons", { type, mask: pair[type & 1 ? 0 : 1] }))
    }
  })
  for (const p of m.experimenter ?? []) {
    out.push(experimenterProperty("OFPAsyncConfigPropExperimenter", { _tag: "ExperimenterProperty", experimenter: p.experimenter, expType: p.expType, data: p.data }, p.slave ? 0xfffe : 0xffff))
  }
  return out
}

/** A table configuration property (TABLE_MOD, TABLE_DESC, TABLE_STATUS) as Ryu 1.4/1.5 shows it. */
const tableProperty = (p: TableMod.Property): RyuObject => {
  switch (p._tag) {
    case "TableModPropEviction":
      return wrap("OFPTableModPropEviction", { type: 2, flags: p.flags })
    case "TableModPropVacancy":
      return wrap("OFPTableModPropVacancy", { type: 3, vacancy_down: p.vacancyDown, vacancy_up: p.vacancyUp, vacancy: p.vacancy })
    case "ExperimenterProperty":
      return experimenterProperty("OFPTableModPropExperimenter", p)
    case "UnknownProperty":
      return unknownProperty(p)
  }
}

/** `OFPTableDesc`, shared by the TABLE_DESC reply and TABLE_STATUS. */
export const tableDesc = (t: TableDesc.TableDesc): RyuObject =>
  wrap("OFPTableDesc", { table_id: t.tableId, config: t.config, properties: t.properties.map(tableProperty) })

export const config = {
  GetConfigRequest: simple<Of<"GetConfigRequest">>("OFPGetConfigRequest"),
  GetConfigReply: simple<Of<"GetConfigReply">>("OFPGetConfigReply"),
  SetConfig: simple<Of<"SetConfig">>("OFPSetConfig"),
  PortStatus: (m: Of<"PortStatus">, version: number) => wrap("OFPPortStatus", { reason: m.reason, desc: port(m.desc, version) }),
  // From OpenFlow 1.4 `advertise` is an `OFPPortModPropEthernet`, sent when it is not 0.
  PortMod: (m: Of<"PortMod">, version: number) =>
    version < 5
      ? wrap("OFPPortMod", fields(m, { convert: { hwAddr: mac } }))
      : wrap("OFPPortMod", {
        ...fields(m, { omit: ["advertise", "properties"], convert: { hwAddr: mac } }),
        properties: [
          ...(m.advertise !== 0 ? [wrap("OFPPortModPropEthernet", { type: 0, advertise: m.advertise })] : []),
          ...(m.properties ?? []).map((p) =>
            p._tag === "PortModPropOptical"
              ? wrap("OFPPortModPropOptical", { type: 1, ...fields(p) })
              : p._tag === "ExperimenterProperty"
              ? experimenterProperty("OFPPortModPropExperimenter", p)
              : unknownProperty(p)
          )
        ]
      }),
  TableMod: (m: Of<"TableMod">, version: number) =>
    wrap("OFPTableMod", {
      ...fields(m, { omit: ["properties"] }),
      ...(version >= 5 ? { properties: (m.properties ?? []).map(tableProperty) } : {})
    }),
  TableStatus: (m: Of<"TableStatus">) => wrap("OFPTableStatus", { reason: m.reason, table: tableDesc(m.table) }),
  MeterMod: simple<Of<"MeterMod">>("OFPMeterMod", { convert: { bands: (bands) => bands.map(meterBand) } }),
  // From OpenFlow 1.5 Ryu shows `short_id` (0 when we leave it out).
  RoleRequest: (m: Of<"RoleRequest">, version: number) =>
    wrap("OFPRoleRequest", { ...fields(m), ...(version >= 6 ? { short_id: m.shortId ?? 0 } : {}) }),
  RoleReply: (m: Of<"RoleReply">, version: number) =>
    wrap("OFPRoleReply", { ...fields(m), ...(version >= 6 ? { short_id: m.shortId ?? 0 } : {}) }),
  RoleStatus: (m: Of<"RoleStatus">) =>
    wrap("OFPRoleStatus", {
      ...fields(m, { omit: ["properties"] }),
      properties: m.properties.map((p) =>
        p._tag === "ExperimenterProperty" ? experimenterProperty("OFPRolePropExperimenter", p) : unknownProperty(p)
      )
    }),
  GetAsyncRequest: simple<Of<"GetAsyncRequest">>("OFPGetAsyncRequest"),
  GetAsyncReply: (m: Of<"GetAsyncReply">, version: number) =>
    version >= 5 ? wrap("OFPGetAsyncReply", { properties: asyncProperties(m) }) : simple<Of<"GetAsyncReply">>("OFPGetAsyncReply")(m),
  SetAsync: (m: Of<"SetAsync">, version: number) =>
    version >= 5 ? wrap("OFPSetAsync", { properties: asyncProperties(m) }) : simple<Of<"SetAsync">>("OFPSetAsync")(m),
  QueueGetConfigRequest: simple<Of<"QueueGetConfigRequest">>("OFPQueueGetConfigRequest"),
  QueueGetConfigReply: (m: Of<"QueueGetConfigReply">) =>
    wrap("OFPQueueGetConfigReply", {
      port: m.port,
      queues: m.queues.map((q) =>
        wrap("OFPPacketQueue", { queue_id: q.queueId, port: q.port, properties: q.properties.map(queueProperty) })
      )
    })
}
