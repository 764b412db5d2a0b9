import { type APIApplicationCommandBasicOption, ApplicationCommandOptionType } from "discord.js";
import type { OptionDefinition } from "../../../../commands/types.js";

const TYPES = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  attachment: ApplicationCommandOptionType.Attachment,
} as const;

/** Options Discord answers with autocomplete instead of a fixed list (open sets such as `size`). */
export const AUTOCOMPLETED = new Set(["size"]);

/**
 * One platform-neutral option as Discord JSON. Discord cannot repeat an option, so a repeatable
 * attachment appears once here; `/edit` adds numbered extra slots.
 */
export function discordOption(
  option: OptionDefinition,
  overrides: { name?: string; description?: string; required?: boolean } = {},
): APIApplicationCommandBasicOption {
  const base = {
    name: overrides.name ?? option.name,
    description: overrides.description ?? option.description,
    required: overrides.required ?? option.required ?? false,
  };
  if (option.type === "attachment") return { ...base, type: TYPES.attachment };
  if (option.type === "integer") {
    return {
      ...base,
      type: TYPES.integer,
      ...(option.min === undefined ? {} : { min_value: option.min }),
      ...(option.max === undefined ? {} : { max_value: option.max }),
    };
  }
  if (option.choices && option.choices.length > 0) {
    return {
      ...base,
      type: TYPES.string,
      choices: option.choices.slice(0, 25).map((value) => ({ name: value, value })),
    };
  }
  return { ...base, type: TYPES.string, ...(AUTOCOMPLETED.has(option.name) ? { autocomplete: true } : {}) };
}

/** The definition's option by name; a missing one is a programming error caught by the command tests. */
export function optionNamed(options: readonly OptionDefinition[], name: string): OptionDefinition {
  const option = options.find((candidate) => candidate.name === name);
  if (option === undefined) throw new Error(`commands/: no option named ${name}`);
  return option;
}
