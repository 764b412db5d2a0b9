import type { OptionDefinition, OptionValues } from "../src/core/option-definition.js";

/**
 * Who may run a command: `anywhere` the bot is (it answers only the person and spends nothing), or only
 * where the access list allows (it can start a job or act on one).
 */
export type CommandAccess = "anywhere" | "listed";

/** What every command has, whatever it is run on. */
interface CommandBase {
  /** The command name without the slash; for a message command, as the menu shows it. */
  readonly name: string;
  /** At most 100 characters (Discord's limit); Slack shows a message command's under its shortcut. */
  readonly description: string;
  readonly access: CommandAccess;
  /**
   * Where Discord offers it: wherever the person is (default; in DMs and group DMs through their own install
   * of the app), or only in servers that added the bot, for a command about what exists only there.
   */
  readonly reach?: "everywhere" | "servers";
  /** Its line in Slack's `/imagine help`, given how the slash command is called there. */
  readonly slackHelp?: (slash: string) => string;
}

/** A command typed with options: a slash command on Discord; on Slack `/imagine` or one of its first words. */
export interface SlashCommand extends CommandBase {
  readonly kind: "slash";
  /** Required options first (Discord's rule). */
  readonly options: readonly OptionDefinition[];
  /**
   * How Slack reaches it, if at all: as its one slash command, or as the first word of `/imagine`'s text
   * (`/imagine usage`). Slack allows an app few slash commands, and none tells which thread it was typed in.
   */
  readonly slack?: "command" | "word";
}

/** A command run on a message: Discord's message menu (Apps), Slack's message shortcut (⋯). */
export interface MessageCommand extends CommandBase {
  readonly kind: "message";
  readonly slack?: "shortcut";
}

export type CommandDefinition = SlashCommand | MessageCommand;

/** A command with every literal kept, so its handlers' arguments can be inferred (`ArgsOf`). */
export function defineCommand<const Command extends CommandDefinition>(command: Command): Command {
  return command;
}

/** What a command's handler receives: each option's parsed value by field name (`frame-ms` → `frameMs`). */
export type ArgsOf<Command extends SlashCommand> = OptionValues<Command["options"]>;
