/**
 * Ryu mappings of the messages OpenFlow 1.4 and 1.5 added: BUNDLE_CONTROL,
 * BUNDLE_ADD_MESSAGE, BUNDLE_FEATURES, REQUESTFORWARD and CONTROLLER_STATUS (the
 * message and the multipart pair).
 *
 * Ryu names: `OFPBundleCtrlMsg` and `OFPBundleAddMsg` (the added message in its own Ryu
 * form), `OFPBundleProp*`; `OFPBundleFeaturesStatsRequest` / `...StatsReply` (the reply's
 * single body `OFPBundleFeaturesStats`), times as `OFPTime { seconds, nanoseconds }`;
 * `OFPRequestForward { request }`; `OFPControllerStatus { status }` with the status as
 * `OFPControllerStatusStats`, also the reply's entries, and the URI property as
 * `OFPControllerStatusPropUri`.
 */
import type { Bundle, ControllerStatus, Message } from "@switchyard/openflow"
import { fields, wrap, type RyuObject } from "./common.ts"
import { experimenterProperty, unknownProperty } from "./properties.ts"

type Of<T extends Message.Tag> = Message.Of<T>

/** The whole-table lookup, passed in to map an inner message without an import cycle. */
export type ToRyu = (m: Message.Message, version: number) => RyuObject

const time = (t: Bundle.Time): RyuObject => wrap("OFPTime", { seconds: t.seconds, nanoseconds: t.nanoseconds })

const bundleProperty = (p: Bundle.BundleProperty): RyuObject => {
  switch (p._tag) {
    case "BundlePropTime":
      // No vector has one; this is the shape of Ryu 1.5's OFPBundlePropTime.
      return wrap("OFPBundlePropTime", { type: 1, scheduled_time: time(p.scheduledTime) })
    case "ExperimenterProperty":
      return experimenterProperty("OFPBundlePropExperimenter", p)
    case "UnknownProperty":
      return unknownProperty(p)
  }
}

const featuresProperty = (p: Bundle.BundleFeaturesProperty): RyuObject => {
  switch (p._tag) {
    case "BundleFeaturesPropTime":
      return wrap("OFPBundleFeaturesPropTime", {
        type: 1,
        sched_accuracy: time(p.schedAccuracy),
        sched_max_future: time(p.schedMaxFuture),
        sched_max_past: time(p.schedMaxPast),
        timestamp: time(p.timestamp)
      })
    case "ExperimenterProperty":
      return experimenterProperty("OFPBundleFeaturesPropExperimenter", p)
    case "UnknownProperty":
      return unknownProperty(p)
  }
}

const status = (s: ControllerStatus.Status): RyuObject =>
  wrap("OFPControllerStatusStats", {
    ...fields(s, { omit: ["properties"] }),
    properties: s.properties.map((p) =>
      p._tag === "ControllerStatusPropUri"
        ? wrap("OFPControllerStatusPropUri", { type: 0, uri: p.uri })
        : p._tag === "ExperimenterProperty"
        ? experimenterProperty("OFPControllerStatusPropExperimenter", p)
        : unknownProperty(p)
    )
  })

/**
 * The added message as Ryu shows it inside OFPBundleAddMsg. One quirk: Ryu's bundle
 * parser leaves an empty echo's data as `null` where its echo parser shows `""`.
 */
const inner = (m: Message.Message, version: number, toRyu: ToRyu): RyuObject => {
  const json = toRyu(m, version)
  if ((m._tag === "EchoRequest" || m._tag === "EchoReply") && m.data.length === 0) {
    const [name, body] = Object.entries(json)[0]!
    return { [name]: { ...body, data: null } }
  }
  return json
}

export const of14 = (toRyu: ToRyu) => ({
  BundleControl: (m: Of<"BundleControl">) =>
    wrap("OFPBundleCtrlMsg", { ...fields(m, { omit: ["properties"] }), properties: m.properties.map(bundleProperty) }),
  BundleAddMessage: (m: Of<"BundleAddMessage">, version: number) =>
    wrap("OFPBundleAddMsg", {
      bundle_id: m.bundleId,
      flags: m.flags,
      message: inner(m.message, version, toRyu),
      properties: m.properties.map(bundleProperty)
    }),
  BundleFeaturesRequest: (m: Of<"BundleFeaturesRequest">) =>
    wrap("OFPBundleFeaturesStatsRequest", {
      flags: m.flags,
      type: 19,
      feature_request_flags: m.featureRequestFlags,
      properties: m.properties.map(featuresProperty)
    }),
  BundleFeaturesReply: (m: Of<"BundleFeaturesReply">) =>
    wrap("OFPBundleFeaturesStatsReply", {
      flags: m.flags,
      type: 19,
      body: wrap("OFPBundleFeaturesStats", { capabilities: m.capabilities, properties: m.properties.map(featuresProperty) })
    }),
  // Ryu leaves the forwarded request's xid out.
  RequestForward: (m: Of<"RequestForward">, version: number) => wrap("OFPRequestForward", { request: toRyu(m.request, version) }),
  ControllerStatus: (m: Of<"ControllerStatus">) => wrap("OFPControllerStatus", { status: status(m) }),
  ControllerStatusRequest: (m: Of<"ControllerStatusRequest">) => wrap("OFPControllerStatusStatsRequest", { flags: m.flags, type: 18 }),
  ControllerStatusReply: (m: Of<"ControllerStatusReply">) =>
    wrap("OFPControllerStatusStatsReply", { flags: m.flags, type: 18, body: m.controllers.map(status) })
})
