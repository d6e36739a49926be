/**
 * @switchyard/cli: the `switchyard` command-line tool.
 *
 * @since 0.1.0
 */

/** `switchyard ofp decode|encode`: OpenFlow messages to JSON and back. @since 0.1.0 */
export * as OfpCommand from "./OfpCommand.ts"

/** `switchyard pkt decode|encode`: Ethernet frames in hex to JSON layers and back. @since 0.1.0 */
export * as PktCommand from "./PktCommand.ts"
