import { imagineOptions } from "../src/core/imagine-options.js";
import { defineOptions } from "../src/core/option-definition.js";
import { booleanSchema } from "../src/core/option-schemas.js";
import { defineCommand } from "./types.js";

/** The image options a person can set as their own defaults. */
export const SETTINGS_FIELDS = ["model", "size", "quality", "format", "api", "draft"] as const;
export type SettingsField = (typeof SETTINGS_FIELDS)[number];

/** `/settings`: per-user defaults; with no option it shows them, `reset` clears them. */
export const settingsCommand = defineCommand({
  kind: "slash",
  name: "settings",
  description: `Your defaults for /imagine and /edit: ${SETTINGS_FIELDS.join(", ")}`,
  access: "anywhere",
  options: defineOptions([
    ...imagineOptions(SETTINGS_FIELDS),
    {
      name: "reset",
      description: "Forget all your defaults",
      type: "boolean",
      schema: booleanSchema("reset"),
    },
  ]),
});
