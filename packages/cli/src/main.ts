/**
 * The `switchyard` executable: one command tree with a subcommand per tool family
 * (`switchyard ofp ...`, `switchyard pkt ...`), run on Node.
 *
 * Each family lives in its own `<Family>Command.ts` and is registered here, so adding a
 * tool is one line. Commands report bad input themselves on one stderr line and exit
 * with status 1; usage errors print the help of the command that was misused.
 *
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Effect } from "effect"
import { Command } from "effect/cli"
import * as OfpCommand from "./OfpCommand.ts"
import * as PktCommand from "./PktCommand.ts"

const switchyard = Command.make("switchyard").pipe(
  Command.withDescription("Switchyard OpenFlow tools"),
  Command.withSubcommands([OfpCommand.command, PktCommand.command])
)

switchyard.pipe(
  Command.run({ version: "0.1.0" }),
  Effect.provide(NodeServices.layer),
  NodeRuntime.runMain
)
