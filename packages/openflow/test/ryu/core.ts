/**
 * Ryu mappings of the core messages: HELLO, ERROR, ECHO, EXPERIMENTER, FEATURES, BARRIER.
 *
 * Ryu names: `OFPHello.elements[]` are `OFPHelloElemVersionBitmap { type: 1, versions }`;
 * `OFPErrorMsg { type, code, data }` is both our `ErrorMsg` (type = `errorType`) and our
 * `ExperimenterErrorMsg` (type 0xffff, `code: null`, plus `exp_type`, `experimenter`);
 * FEATURES_REPLY is `OFPSwitchFeatures`, which leaves out the `reserved` word (Ryu reads
 * it but does not keep it).
 */
import type { Message } from "@switchyard/openflow"
import { base64, fields, simple, wrap, type RyuObject } from "./common.ts"

type Of<T extends Message.Tag> = Message.Of<T>

const helloElement = (e: Of<"Hello">["elements"][number]): RyuObject =>
  e._tag === "VersionBitmap"
    ? wrap("OFPHelloElemVersionBitmap", { type: 1, versions: [...e.versions] })
    // Ryu has no class for unknown HELLO elements (its parser skips them); no vector has one.
    : wrap("UnknownHelloElement", { type: e.type, data: base64(e.data) })

export const core = {
  Hello: (m: Of<"Hello">) => wrap("OFPHello", { elements: m.elements.map(helloElement) }),
  ErrorMsg: simple<Of<"ErrorMsg">>("OFPErrorMsg", { rename: { errorType: "type" } }),
  ExperimenterErrorMsg: (m: Of<"ExperimenterErrorMsg">) =>
    wrap("OFPErrorMsg", { type: 0xffff, code: null, ...fields(m) }),
  EchoRequest: simple<Of<"EchoRequest">>("OFPEchoRequest"),
  EchoReply: simple<Of<"EchoReply">>("OFPEchoReply"),
  Experimenter: simple<Of<"Experimenter">>("OFPExperimenter"),
  FeaturesRequest: simple<Of<"FeaturesRequest">>("OFPFeaturesRequest"),
  FeaturesReply: simple<Of<"FeaturesReply">>("OFPSwitchFeatures", { omit: ["reserved"] }),
  BarrierRequest: simple<Of<"BarrierRequest">>("OFPBarrierRequest"),
  BarrierReply: simple<Of<"BarrierReply">>("OFPBarrierReply")
}
