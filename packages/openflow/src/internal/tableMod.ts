/** Wire codec for OFPT_TABLE_MOD (OpenFlow 1.1-1.3 §7.3.3): table_id, 3 bytes of padding, config. */
import type { TableMod } from "../TableMod.ts"
import type { Reader } from "./reader.ts"
import { row } from "./row.ts"
import type { Writer } from "./writer.ts"

export const rows = [
  row<TableMod>({
    tag: "TableMod",
    type: 17,
    since: 2,
    until: 4,
    minBody: 8,
    element: 0,
    decode: (r: Reader) => {
      const tableId = r.u8()
      r.skip(3)
      return { _tag: "TableMod", tableId, config: r.u32() }
    },
    encode: (w: Writer, m) => {
      w.u8(m.tableId)
      w.zeros(3)
      w.u32(m.config)
      return undefined
    }
  })
]
