/**
 * Wire codec for OFPT_GET_CONFIG_REQUEST/REPLY and OFPT_SET_CONFIG (OpenFlow 1.3 §7.3.2).
 * The layout (`flags u16, miss_send_len u16`) and the type numbers are the same in every
 * version from 1.0 to 1.5.
 */
import type { GetConfigReply, GetConfigRequest, SetConfig } from "../SwitchConfig.ts"
import { getConfig } from "../SwitchConfig.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

export const rows = [
  row<GetConfigRequest>({
    tag: "GetConfigRequest",
    type: 7,
    since: 1,
    minBody: 0,
    element: 0,
    decode: () => getConfig,
    encode: () => undefined
  }),
  row<GetConfigReply>({
    tag: "GetConfigReply",
    type: 8,
    since: 1,
    minBody: 4,
    element: 0,
    decode: (r: Reader) => {
      const flags = r.u16()
      return { _tag: "GetConfigReply", flags, missSendLen: r.u16() }
    },
    encode: (w: Writer, m) => {
      w.u16(m.flags)
      w.u16(m.missSendLen)
      return undefined
    }
  }),
  row<SetConfig>({
    tag: "SetConfig",
    type: 9,
    since: 1,
    minBody: 4,
    element: 0,
    decode: (r: Reader) => {
      const flags = r.u16()
      return { _tag: "SetConfig", flags, missSendLen: r.u16() }
    },
    encode: (w: Writer, m) => {
      w.u16(m.flags)
      w.u16(m.missSendLen)
      return undefined
    }
  })
]
