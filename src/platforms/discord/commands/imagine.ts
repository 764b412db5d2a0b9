import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { imagineCommand } from "../../../../commands/imagine.js";
import { discordOption } from "./options.js";

/** `/imagine`: every option of the platform-neutral definition (one `image`: Discord cannot repeat options). */
export const imagineData = {
  name: imagineCommand.name,
  description: imagineCommand.description,
  options: imagineCommand.options.map((option) => discordOption(option)),
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;
