/**
 * The handshake a switch connection goes through before apps can use it: its states and
 * the version negotiation that starts it.
 *
 * OpenFlow does not name the datapath until the handshake is done: both sides send
 * HELLO (since OpenFlow 1.3.1 with a bitmap of the versions they speak, before that just
 * the highest one in the header), agree on a version or fail with
 * HELLO_FAILED/INCOMPATIBLE, then the controller asks FEATURES_REQUEST to learn the
 * datapath id and, from OpenFlow 1.3 on, a PORT_DESC multipart request for the ports,
 * which a switch with many ports splits over several replies. The states follow Ryu's
 * dispatchers so Ryu users recognise them: `HANDSHAKE` until HELLO is negotiated,
 * `CONFIG` while features and ports are asked for, `MAIN` when apps can use the
 * datapath, `DEAD` once the connection is gone.
 *
 * @since 0.1.0
 */
import { ErrorMsg, Hello, Version } from "@switchyard/openflow"

/**
 * A connection's dispatcher state, as in Ryu (`HANDSHAKE_DISPATCHER`, ...).
 *
 * - `HANDSHAKE`: waiting for the switch's HELLO.
 * - `CONFIG`: version agreed; FEATURES_REQUEST and (1.3+) PORT_DESC in flight.
 * - `MAIN`: the datapath is registered under its id and apps may use it.
 * - `DEAD`: the connection is closed.
 *
 * @category models
 * @since 0.1.0
 */
export type State = "HANDSHAKE" | "CONFIG" | "MAIN" | "DEAD"

/**
 * Every state, in the order a connection goes through them.
 *
 * @category constants
 * @since 0.1.0
 */
export const states: ReadonlyArray<State> = ["HANDSHAKE", "CONFIG", "MAIN", "DEAD"]

/**
 * The bit of a state in a state mask (used by subscriptions to filter by state).
 *
 * @category conversions
 * @since 0.1.0
 */
export const stateBit = (state: State): number =>
  state === "HANDSHAKE" ? 1 : state === "CONFIG" ? 2 : state === "MAIN" ? 4 : 8

/**
 * The mask of a set of states; `undefined` (no filter) is every state.
 *
 * @category conversions
 * @since 0.1.0
 */
export const stateMask = (states: ReadonlyArray<State> | undefined): number => {
  if (states === undefined) return 15
  let mask = 0
  for (const s of states) mask |= stateBit(s)
  return mask
}

/**
 * The outcome of negotiating with a switch's HELLO.
 *
 * @category models
 * @since 0.1.0
 */
export type Negotiation =
  | { readonly _tag: "Agreed"; readonly version: Version.Version }
  | {
    readonly _tag: "Incompatible"
    /** The HELLO_FAILED/INCOMPATIBLE error to send before closing. */
    readonly error: ErrorMsg.ErrorMsg
    /** The wire version to send the error in. */
    readonly errorVersion: Version.Version
    /** One line for logs. */
    readonly detail: string
  }

/**
 * The HELLO the controller sends: a version bitmap of `versions`, with the highest in
 * the header.
 *
 * @category constructors
 * @since 0.1.0
 */
export const hello = (versions: ReadonlyArray<Version.Version>): { readonly message: Hello.Hello; readonly version: Version.Version } => ({
  message: Hello.make(versions),
  version: versions.reduce((a, b) => (b > a ? b : a))
})

/**
 * Negotiates the connection's version from the switch's HELLO (OpenFlow 1.3.1 §6.3.1):
 * the highest version both bitmaps share, or, when the switch sends no bitmap, the lower
 * of the two header versions provided we speak it.
 *
 * **Details**
 *
 * `peerVersion` is the version byte of the switch's HELLO header, which may be above
 * anything the codec knows (a 1.6 switch that also speaks 1.3 is fine). On failure the
 * result carries the HELLO_FAILED/INCOMPATIBLE error whose data explains, in ASCII, what
 * each side offered, sent in the lower of the two header versions as the spec asks.
 *
 * @example
 * ```ts
 * import { Handshake } from "@switchyard/controller"
 * import { Hello, Version } from "@switchyard/openflow"
 *
 * const result = Handshake.negotiate([Version.OF13], Hello.make([Version.OF10, Version.OF13]), Version.OF13)
 * // { _tag: "Agreed", version: 4 }
 * ```
 *
 * @category negotiation
 * @since 0.1.0
 */
export const negotiate = (
  ours: ReadonlyArray<Version.Version>,
  peerHello: Hello.Hello,
  peerVersion: number
): Negotiation => {
  const mine = hello(ours)
  const agreed = Hello.negotiate({ hello: mine.message, version: mine.version }, { hello: peerHello, version: peerVersion })
  if (agreed !== undefined && Version.isVersion(agreed) && ours.includes(agreed)) {
    return { _tag: "Agreed", version: agreed }
  }
  const offered = Hello.offeredVersions(peerHello, peerVersion).map(Version.format).join(", ")
  const detail = `no common OpenFlow version: we speak ${ours.map(Version.format).join(", ")}, the switch offers ${offered || "nothing"}`
  const lower = Math.min(mine.version, peerVersion)
  const errorVersion: Version.Version = Version.isVersion(lower) ? lower : mine.version
  return { _tag: "Incompatible", error: ErrorMsg.incompatible(detail, errorVersion), errorVersion, detail }
}
