import type { ChatInputCommandInteraction } from "discord.js";
import { parseCommandOptions } from "../../../../commands/parse-options.js";
import type { ArgsOf, SlashCommand } from "../../../../commands/types.js";
import type { OptionType } from "../../../core/option-definition.js";
import { slotNames } from "../commands/options.js";

/** One option by its declared type: discord.js refuses a value of another type (a stale registration). */
function read(interaction: ChatInputCommandInteraction, type: OptionType, name: string): unknown {
  const { options } = interaction;
  switch (type) {
    case "string":
      return options.getString(name);
    case "integer":
      return options.getInteger(name);
    case "boolean":
      return options.getBoolean(name);
    case "attachment": {
      const attachment = options.getAttachment(name);
      if (attachment === null) return null;
      const { url, name: fileName, size, contentType } = attachment;
      return { url, name: fileName, size, contentType };
    }
  }
}

/**
 * A slash command's options as its handler takes them, read and parsed by its definition: an option given
 * in slots (`image`, `image-2` …) becomes one list in slot order.
 * @throws `UserError` from the definition's schemas, answered privately by the router.
 */
export function discordArgs<Command extends SlashCommand>(
  command: Command,
  interaction: ChatInputCommandInteraction,
): ArgsOf<Command> {
  const raw: Record<string, unknown> = {};
  const declared = new Set<string>();
  for (const option of command.options) {
    const names = slotNames(option);
    for (const name of names) declared.add(name);
    const given = names.map((name) => read(interaction, option.type, name)).filter((value) => value !== null);
    if (given.length > 0) raw[option.name] = option.slots === undefined ? given[0] : given;
  }
  // An option this release does not declare (registered by another one): the parser names it to the person.
  for (const option of interaction.options.data) {
    if (!declared.has(option.name)) raw[option.name] = option.value;
  }
  return parseCommandOptions(command, raw);
}
