/**
 * Maps a decoded Switchyard message to the shape of Ryu's `to_jsondict`, so the
 * conformance test can compare it with Ryu's golden JSON.
 *
 * One mapping per message kind, grouped by family in the files next to this one. A kind
 * without a mapping makes the conformance test fail with a message naming it, so the
 * table doubles as a to-do list while families land.
 */
import type { Message } from "@switchyard/openflow"
import type { RyuObject } from "./common.ts"
import { config } from "./config.ts"
import { core } from "./core.ts"
import { flowStats } from "./flowStats.ts"
import { flow } from "./flow.ts"
import { multipart } from "./multipart.ts"
import { of10 } from "./of10.ts"
import { of14 } from "./of14.ts"
import { tableFeatures } from "./tableFeatures.ts"

export { normalize, type Json, type RyuObject } from "./common.ts"

type Mapping = { readonly [T in Message.Tag]?: (m: Message.Of<T>, version: number) => RyuObject }

export const mappings: Mapping = {
  ...core,
  ...flow,
  ...config,
  ...multipart,
  ...flowStats,
  ...tableFeatures,
  ...of14((m, v) => toRyu(m, v))
}

/**
 * Ryu's JSON for `message`, or an error naming the kind that has no mapping yet. OpenFlow
 * 1.0 has its own table (`of10.ts`): Ryu writes 1.0 in 1.0's vocabulary.
 */
export const toRyu = (message: Message.Message, version: number): RyuObject => {
  const table = version === 1 ? of10 : mappings
  const f = (table as Record<string, ((m: Message.Message, v: number) => RyuObject) | undefined>)[message._tag]
  if (f === undefined) {
    throw new Error(`no Ryu ${version === 1 ? "OpenFlow 1.0 " : ""}mapping for ${message._tag} (add one in packages/openflow/test/ryu/)`)
  }
  return f(message, version)
}
