import type { CommandName, CommandNamed } from "../../commands/index.js";
import type { ArgsOf, SlashCommand } from "../../commands/types.js";
import type { CommandHandler } from "./command-port.js";
import { runHistory } from "./history.js";
import { runShow } from "./show.js";
import { runUsage } from "./usage.js";

type HandlerOf<Name extends CommandName> =
  CommandNamed<Name> extends SlashCommand ? CommandHandler<ArgsOf<CommandNamed<Name>>> : never;

/**
 * The commands answered the same on every platform, by name: each platform runs them through its
 * `CommandPort`, and its own map of handlers leaves them out (the compiler holds both to it).
 */
export const NEUTRAL_COMMANDS = {
  usage: runUsage,
  history: runHistory,
  show: runShow,
} satisfies { [Name in CommandName]?: HandlerOf<Name> };

export type NeutralCommandName = keyof typeof NEUTRAL_COMMANDS;

export function isNeutralCommand(name: string): name is NeutralCommandName {
  return Object.hasOwn(NEUTRAL_COMMANDS, name);
}

/** The handler of a neutral command, for a caller that parsed its options by that command's definition. */
export function neutralHandler(name: NeutralCommandName): CommandHandler<Record<string, unknown>> {
  // Each entry takes the options its own definition parses to (checked above); the caller parsed by it.
  return NEUTRAL_COMMANDS[name] as CommandHandler<Record<string, unknown>>;
}
