import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type RESTPostAPIApplicationCommandsJSONBody,
} from "discord.js";
import { COMMANDS } from "../../../../commands/index.js";
import type { CommandDefinition } from "../../../../commands/types.js";
import { discordOptions } from "./options.js";

/**
 * Where the commands are registered and whether people may install the app to their own account. Discord
 * reads `integration_types` and `contexts` on global commands only; a guild's commands are that guild's.
 */
export interface CommandReach {
  scope: "global" | "guild";
  userInstall: boolean;
}

const SERVERS_ONLY = {
  integration_types: [ApplicationIntegrationType.GuildInstall],
  contexts: [InteractionContextType.Guild],
};

/**
 * Where a command is offered. A command reaches DMs and group DMs through a person's own install unless the
 * operator turned that off or the command is about what exists only on servers (`reach: "servers"`): the
 * others answer only that person or edit their own reply, budgets fall back to the person where there is no
 * server, and an admin-only step (`/usage set`) is refused in a DM, where nobody is an admin.
 */
function installs(command: CommandDefinition, reach: CommandReach) {
  if (reach.scope === "guild") return {};
  if (!reach.userInstall || command.reach === "servers") return SERVERS_ONLY;
  return {
    integration_types: [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall],
    contexts: [
      InteractionContextType.Guild,
      InteractionContextType.BotDM,
      InteractionContextType.PrivateChannel,
    ],
  };
}

/** A command as Discord registers it: a slash command with its options, or a message menu command. */
export function discordCommand(
  command: CommandDefinition,
  reach: CommandReach,
): RESTPostAPIApplicationCommandsJSONBody {
  // A message command has no description on Discord: the menu shows its name alone.
  if (command.kind === "message") {
    return { name: command.name, type: ApplicationCommandType.Message, ...installs(command, reach) };
  }
  const options = command.options.flatMap(discordOptions);
  return {
    name: command.name,
    description: command.description,
    ...(options.length > 0 ? { options } : {}),
    ...installs(command, reach),
  };
}

/** Everything `npm run register-commands` puts to Discord, in one bulk overwrite. */
export const discordCommands = (reach: CommandReach): RESTPostAPIApplicationCommandsJSONBody[] =>
  COMMANDS.map((command) => discordCommand(command, reach));
