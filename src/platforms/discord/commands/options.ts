import { type APIApplicationCommandBasicOption, ApplicationCommandOptionType } from "discord.js";
import type { OptionDefinition, OptionType } from "../../../core/option-definition.js";

const TYPES = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  boolean: ApplicationCommandOptionType.Boolean,
  attachment: ApplicationCommandOptionType.Attachment,
} as const satisfies Record<OptionType, ApplicationCommandOptionType>;

/**
 * Options Discord answers with autocomplete instead of a fixed list: open sets such as `size`, and `model`,
 * whose choices would be fixed at registration while OpenAI shuts models down (`liveModelNames`).
 */
export const AUTOCOMPLETED = new Set(["size", "model"]);

/** Discord's limit on an option's choices. */
const MAX_CHOICES = 25;

/** One platform-neutral option as Discord JSON, under `name` (a slot of a repeated option has its own). */
function discordOption(
  option: OptionDefinition,
  { name, description, required }: { name: string; description: string; required: boolean },
): APIApplicationCommandBasicOption {
  const base = { name, description, required };
  switch (option.type) {
    case "attachment":
    case "boolean":
      return { ...base, type: TYPES[option.type] };
    case "integer":
      return {
        ...base,
        type: TYPES.integer,
        ...(option.min === undefined ? {} : { min_value: option.min }),
        ...(option.max === undefined ? {} : { max_value: option.max }),
      };
    case "string": {
      if (option.choices === undefined || option.choices.length === 0 || AUTOCOMPLETED.has(option.name)) {
        return {
          ...base,
          type: TYPES.string,
          ...(AUTOCOMPLETED.has(option.name) ? { autocomplete: true } : {}),
        };
      }
      const choices = option.choices
        .slice(0, MAX_CHOICES)
        .map((value) => ({ name: option.choiceLabels?.[value] ?? value, value }));
      return { ...base, type: TYPES.string, choices };
    }
  }
}

/** The names an option is given under on Discord: its own, then `image-2` … for each extra slot. */
export function slotNames(option: OptionDefinition): string[] {
  const extra = Math.max((option.slots?.count ?? 1) - 1, 0);
  return [option.name, ...Array.from({ length: extra }, (_, index) => `${option.name}-${index + 2}`)];
}

/**
 * A platform-neutral option as Discord options: one, or one per slot where the definition gives slots
 * (Discord cannot repeat an option); the first slot is required when the option is, more when the slots say.
 */
export function discordOptions(option: OptionDefinition): APIApplicationCommandBasicOption[] {
  const required = option.slots?.required ?? (option.required ? 1 : 0);
  return slotNames(option).map((name, index) =>
    index === 0
      ? discordOption(option, { name, description: option.description, required: index < required })
      : discordOption(option, {
          name,
          description: (option.slots?.slotDescription ?? option.description).replace(
            "{n}",
            String(index + 1),
          ),
          required: index < required,
        }),
  );
}
