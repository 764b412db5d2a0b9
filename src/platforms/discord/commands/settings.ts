import {
  ApplicationCommandOptionType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { imagineCommand } from "../../../../commands/imagine.js";
import { discordOption, optionNamed } from "./options.js";

/** The `/imagine` options a person can set as their own defaults. */
export const SETTINGS_FIELDS = ["model", "size", "quality", "format", "api"] as const;
export type SettingsField = (typeof SETTINGS_FIELDS)[number];

/** `/settings`: per-user defaults; with no option it shows them, `reset` clears them. */
export const settingsData = {
  name: "settings",
  description: "Your defaults for /imagine and /edit: model, size, quality, format, api",
  options: [
    ...SETTINGS_FIELDS.map((name) => discordOption(optionNamed(imagineCommand.options, name))),
    {
      name: "reset",
      description: "Forget all your defaults",
      type: ApplicationCommandOptionType.Boolean,
      required: false,
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
