import type { RESTPostAPIApplicationCommandsJSONBody } from "discord.js";
import { editData } from "./edit.js";
import { editImageData } from "./edit-image.js";
import { forgetData } from "./forget.js";
import { imagineData } from "./imagine.js";
import { settingsData } from "./settings.js";
import { usageData } from "./usage.js";

/** Everything `npm run register-commands` puts to Discord, in one bulk overwrite. */
export const discordCommands: RESTPostAPIApplicationCommandsJSONBody[] = [
  imagineData,
  editData,
  editImageData,
  settingsData,
  usageData,
  forgetData,
];
