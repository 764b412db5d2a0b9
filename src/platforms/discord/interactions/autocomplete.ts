import type { AutocompleteInteraction } from "discord.js";
import { getModel, PRESET_SIZES } from "../../../core/models.js";

const COMMON_SIZES = [
  "auto",
  "1024x1024",
  "1536x1024",
  "1024x1536",
  "2048x2048",
  "2048x1152",
  "1152x2048",
  "3840x2160",
  "2160x3840",
];

/** `size` suggestions: common sizes the chosen model takes, filtered by what is typed; any typed WxH is offered too. */
export async function handleAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== "size") return interaction.respond([]);
  const typed = String(focused.value).trim().toLowerCase();
  let sizes: readonly string[] = COMMON_SIZES;
  const modelName = interaction.options.getString("model");
  try {
    if (modelName !== null && getModel(modelName).sizes.kind === "presets") sizes = PRESET_SIZES;
  } catch {
    // An unknown model is validation's to report; suggest the common sizes meanwhile.
  }
  const matches = sizes.filter((size) => size.startsWith(typed));
  if (/^\d+x\d+$/.test(typed) && !matches.includes(typed)) matches.unshift(typed);
  await interaction.respond(matches.slice(0, 25).map((size) => ({ name: size, value: size })));
}
