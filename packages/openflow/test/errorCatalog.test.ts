/**
 * The error catalog across versions: the OpenFlow 1.4/1.5 types and codes exist from
 * their version on (1.4 spec §A.4.4 / 1.5 §7.5.4, cross-checked with Open vSwitch's
 * `ofp-errors.h`), codes a version dropped end there, no (type, code) names two errors in
 * one version, and an error a version lacks is sent as the documented fallback.
 */
import { describe, expect, it } from "@effect/vitest"
import { OpenFlowError } from "@switchyard/openflow"

const { fromWire, names, toWire, toWireExact } = OpenFlowError

describe("error catalog (OpenFlow 1.4 and 1.5)", () => {
  it.each([
    ["OFPBPC_BAD_TYPE", 5, 14, 0],
    ["OFPBPC_EPERM", 5, 14, 8],
    ["OFPACFC_INVALID", 5, 15, 0],
    ["OFPMOFC_BAD_COMMAND", 5, 16, 4],
    ["OFPMOFC_BAD_OUT", 5, 16, 7],
    ["OFPBFC_UNKNOWN", 5, 17, 0],
    ["OFPBFC_MSG_BAD_XID", 5, 17, 9],
    ["OFPBFC_BUNDLE_IN_PROGRESS", 5, 17, 15],
    ["OFPBFC_SCHED_NOT_SUPPORTED", 6, 17, 16],
    ["OFPBFC_SCHED_PAST", 6, 17, 18],
    ["OFPBRC_MULTIPART_REQUEST_TIMEOUT", 5, 1, 14],
    ["OFPBRC_MULTIPART_REPLY_TIMEOUT", 5, 1, 15],
    ["OFPBRC_MULTIPART_BAD_SCHED", 6, 1, 16],
    ["OFPBRC_PIPELINE_FIELDS_ONLY", 6, 1, 17],
    ["OFPBRC_UNKNOWN", 6, 1, 18],
    ["OFPBAC_BAD_SET_MASK", 6, 2, 16],
    ["OFPFMFC_CANT_SYNC", 5, 5, 8],
    ["OFPFMFC_BAD_PRIORITY", 5, 5, 9],
    ["OFPFMFC_IS_SYNC", 6, 5, 10],
    ["OFPGMFC_UNKNOWN_BUCKET", 6, 6, 15],
    ["OFPGMFC_BUCKET_EXISTS", 6, 6, 16],
    ["OFPRRFC_ID_UNSUP", 6, 11, 3],
    ["OFPRRFC_ID_IN_USE", 6, 11, 4],
    ["OFPTFFC_BAD_CAP", 6, 13, 6],
    ["OFPTFFC_TOO_MANY", 6, 13, 10]
  ] as const)("%s exists from wire version %i as (%i, %i), not before", (name, since, type, code) => {
    for (let version = since; version <= 6; version++) expect(toWireExact(name, version)).toEqual({ type, code })
    expect(toWireExact(name, since - 1)).toBeUndefined()
    expect(fromWire(since, type, code)).toBe(name)
    expect(fromWire(since - 1, type, code)).toBeUndefined()
  })

  it("OpenFlow 1.4 moved the table-features property codes to OFPET_BAD_PROPERTY", () => {
    for (const name of ["OFPTFFC_BAD_TYPE", "OFPTFFC_BAD_LEN", "OFPTFFC_BAD_ARGUMENT"] as const) {
      expect(toWireExact(name, 4)).toBeDefined()
      expect(toWireExact(name, 5)).toBeUndefined()
    }
    // In 1.5 the numbers 6-10 are new codes, not the old ones.
    expect(fromWire(4, 13, 2)).toBe("OFPTFFC_BAD_TYPE")
    expect(fromWire(5, 13, 2)).toBeUndefined()
  })

  it("an error the version lacks is sent as OFPBRC_EPERM", () => {
    expect(toWire("OFPBFC_MSG_BAD_XID", 4)).toEqual({ type: 1, code: 5 })
    expect(toWire("OFPBFC_SCHED_FUTURE", 5)).toEqual({ type: 1, code: 5 })
    expect(toWire("OFPBPC_BAD_LEN", 5)).toEqual({ type: 14, code: 1 })
  })

  it("no two errors share a (type, code) in any version", () => {
    for (let version = 1; version <= 6; version++) {
      const seen = new Map<string, string>()
      for (const name of names) {
        const wire = toWireExact(name, version)
        if (wire === undefined) continue
        const key = `${wire.type}/${wire.code}`
        expect(seen.get(key), `${name} and ${seen.get(key)} in wire version ${version}`).toBeUndefined()
        seen.set(key, name)
      }
    }
  })
})
