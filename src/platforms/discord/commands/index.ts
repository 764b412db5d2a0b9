import { ApplicationCommandType, type RESTPostAPIApplicationCommandsJSONBody } from "discord.js";
import { COMMANDS } from "../../../../commands/index.js";
import type { CommandDefinition } from "../../../../commands/types.js";
import { discordOptions } from "./options.js";

/** A command as Discord registers it: a slash command with its options, or a message menu command. */
export function discordCommand(command: CommandDefinition): RESTPostAPIApplicationCommandsJSONBody {
  // A message command has no description on Discord: the menu shows its name alone.
  if (command.kind === "message") return { name: command.name, type: ApplicationCommandType.Message };
  const options = command.options.flatMap(discordOptions);
  return {
    name: command.name,
    description: command.description,
    ...(options.length > 0 ? { options } : {}),
  };
}

/** Everything `npm run register-commands` puts to Discord, in one bulk overwrite. */
export const discordCommands: RESTPostAPIApplicationCommandsJSONBody[] = COMMANDS.map(discordCommand);
