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
  // HD, QHD and 4K: the video sizes, each side rounded up to a multiple of 16 where it is not one.
  "1920x1088",
  "1088x1920",
  "2560x1440",
  "1440x2560",
  "3840x2160",
  "2160x3840",
];

/**
 * `size` suggestions: common sizes the chosen model takes that hold what is typed anywhere ("1920" finds
 * 1920x1088, "x2160" the 4K sizes), those starting with it first; any typed WxH is offered too.
 */
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
  const matches = [
    ...sizes.filter((size) => size.startsWith(typed)),
    ...sizes.filter((size) => !size.startsWith(typed) && size.includes(typed)),
  ];
  if (/^\d+x\d+$/.test(typed) && !matches.includes(typed)) matches.unshift(typed);
  await interaction.respond(matches.slice(0, 25).map((size) => ({ name: size, value: size })));
}
