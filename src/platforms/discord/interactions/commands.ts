import type { ChatInputCommandInteraction, MessageContextMenuCommandInteraction } from "discord.js";
import { blendCommand } from "../../../../commands/blend.js";
import { blendImagesCommand } from "../../../../commands/blend-images.js";
import { describeCommand } from "../../../../commands/describe.js";
import { describeImageCommand } from "../../../../commands/describe-image.js";
import { editCommand } from "../../../../commands/edit.js";
import { editImageCommand } from "../../../../commands/edit-image.js";
import { forgetCommand } from "../../../../commands/forget.js";
import { imagineCommand } from "../../../../commands/imagine.js";
import { type CommandName, commandNamed } from "../../../../commands/index.js";
import { settingsCommand } from "../../../../commands/settings.js";
import { styleCommand } from "../../../../commands/style.js";
import type { ArgsOf, MessageCommand, SlashCommand } from "../../../../commands/types.js";
import {
  isNeutralCommand,
  type NeutralCommandName,
  neutralHandler,
} from "../../../command-handlers/index.js";
import { discordCommandPort } from "../command-port.js";
import type { DiscordContext } from "../context.js";
import { handleBlend, handleBlendImagesCommand } from "./blend.js";
import { handleDescribeCommand, handleDescribeImageCommand } from "./describe.js";
import { handleEditImageCommand } from "./edit-image.js";
import { handleForget } from "./forget.js";
import { submitOptions } from "./imagine.js";
import { discordArgs } from "./options.js";
import { handleSettings } from "./settings.js";
import { handleStyle } from "./style.js";

type CommandInteraction = ChatInputCommandInteraction | MessageContextMenuCommandInteraction;

/** A command's way in on Discord; `name` ties it to the command it was made for. */
interface DiscordCommand<Name extends string> {
  name: Name;
  run(ctx: DiscordContext, interaction: CommandInteraction): Promise<void>;
}

/** A slash command: its options read and parsed by its definition, then its handler. */
function slash<const Command extends SlashCommand>(
  command: Command,
  handle: (
    ctx: DiscordContext,
    interaction: ChatInputCommandInteraction,
    args: ArgsOf<Command>,
  ) => Promise<void>,
): DiscordCommand<Command["name"]> {
  return {
    name: command.name,
    async run(ctx, interaction) {
      if (interaction.isChatInputCommand()) await handle(ctx, interaction, discordArgs(command, interaction));
    },
  };
}

/** A message menu command: its handler, on the message it was chosen on. */
function message<const Command extends MessageCommand>(
  command: Command,
  handle: (ctx: DiscordContext, interaction: MessageContextMenuCommandInteraction) => Promise<void>,
): DiscordCommand<Command["name"]> {
  return {
    name: command.name,
    async run(ctx, interaction) {
      if (interaction.isMessageContextMenuCommand()) await handle(ctx, interaction);
    },
  };
}

/**
 * Every command of commands/ that is not answered the same everywhere (`command-handlers/`), and its handler:
 * a command declared there without one here, or there, fails to compile.
 */
const DISCORD_COMMANDS: { [Name in Exclude<CommandName, NeutralCommandName>]: DiscordCommand<Name> } = {
  imagine: slash(imagineCommand, submitOptions),
  edit: slash(editCommand, submitOptions),
  "Edit image": message(editImageCommand, handleEditImageCommand),
  blend: slash(blendCommand, handleBlend),
  "Blend images": message(blendImagesCommand, handleBlendImagesCommand),
  describe: slash(describeCommand, handleDescribeCommand),
  "Describe image": message(describeImageCommand, handleDescribeImageCommand),
  settings: slash(settingsCommand, handleSettings),
  forget: slash(forgetCommand, handleForget),
  style: slash(styleCommand, handleStyle),
};

/** A slash or message menu command, by its name; one this release does not know is ignored. */
export async function runCommand(ctx: DiscordContext, interaction: CommandInteraction): Promise<void> {
  const command = commandNamed(interaction.commandName);
  if (command === undefined) return;
  if (!isNeutralCommand(command.name)) return DISCORD_COMMANDS[command.name].run(ctx, interaction);
  if (command.kind !== "slash" || !interaction.isChatInputCommand()) return;
  const args = discordArgs(command, interaction);
  await neutralHandler(command.name)(ctx.process, discordCommandPort(ctx, interaction), args);
}
