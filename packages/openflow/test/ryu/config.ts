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
import type { Message, MeterMod, Port, QueueConfig } from "@switchyard/openflow"
import { fields, mac, simple, wrap, type RyuObject } from "./common.ts"

type Of<T extends Message.Tag> = Message.Of<T>

/** `OFPPort`, shared with the PORT_DESC reply. */
export const port = (p: Port.Port): RyuObject => wrap("OFPPort", fields(p, { convert: { hwAddr: mac } }))

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

export const config = {
  GetConfigRequest: simple<Of<"GetConfigRequest">>("OFPGetConfigRequest"),
  GetConfigReply: simple<Of<"GetConfigReply">>("OFPGetConfigReply"),
  SetConfig: simple<Of<"SetConfig">>("OFPSetConfig"),
  PortStatus: (m: Of<"PortStatus">) => wrap("OFPPortStatus", { reason: m.reason, desc: port(m.desc) }),
  PortMod: simple<Of<"PortMod">>("OFPPortMod", { convert: { hwAddr: mac } }),
  TableMod: simple<Of<"TableMod">>("OFPTableMod"),
  MeterMod: simple<Of<"MeterMod">>("OFPMeterMod", { convert: { bands: (bands) => bands.map(meterBand) } }),
  RoleRequest: simple<Of<"RoleRequest">>("OFPRoleRequest"),
  RoleReply: simple<Of<"RoleReply">>("OFPRoleReply"),
  GetAsyncRequest: simple<Of<"GetAsyncRequest">>("OFPGetAsyncRequest"),
  GetAsyncReply: simple<Of<"GetAsyncReply">>("OFPGetAsyncReply"),
  SetAsync: simple<Of<"SetAsync">>("OFPSetAsync"),
  QueueGetConfigRequest: simple<Of<"QueueGetConfigRequest">>("OFPQueueGetConfigRequest"),
  QueueGetConfigReply: (m: Of<"QueueGetConfigReply">) =>
    wrap("OFPQueueGetConfigReply", {
      port: m.port,
      queues: m.queues.map((q) =>
        wrap("OFPPacketQueue", { queue_id: q.queueId, port: q.port, properties: q.properties.map(queueProperty) })
      )
    })
}
