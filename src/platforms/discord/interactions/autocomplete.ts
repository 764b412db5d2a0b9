import type { AutocompleteInteraction } from "discord.js";
import { getModel, liveModelNames, PRESET_SIZES } from "../../../core/models.js";

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

/** Discord shows at most 25 suggestions. */
const MAX_SUGGESTIONS = 25;

/** What holds `typed` anywhere, those starting with it first. */
function matching(values: readonly string[], typed: string): string[] {
  return [
    ...values.filter((value) => value.startsWith(typed)),
    ...values.filter((value) => !value.startsWith(typed) && value.includes(typed)),
  ];
}

/**
 * `size` suggestions: common sizes the chosen model takes that hold what is typed anywhere ("1920" finds
 * 1920x1088, "x2160" the 4K sizes), those starting with it first; any typed WxH is offered too.
 */
function suggestSizes(interaction: AutocompleteInteraction, typed: string): string[] {
  let sizes: readonly string[] = COMMON_SIZES;
  const modelName = interaction.options.getString("model");
  try {
    if (modelName !== null && getModel(modelName).sizes.kind === "presets") sizes = PRESET_SIZES;
  } catch {
    // An unknown model is validation's to report; suggest the common sizes meanwhile.
  }
  const matches = matching(sizes, typed);
  if (/^\d+x\d+$/.test(typed) && !matches.includes(typed)) matches.unshift(typed);
  return matches;
}

/**
 * `size` and `model` suggestions. Models are the ones served today: one OpenAI shut down since the commands
 * were registered is no longer offered (typed anyway, validation refuses it with its replacement).
 */
export async function handleAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const typed = String(focused.value).trim().toLowerCase();
  const suggestions =
    focused.name === "size"
      ? suggestSizes(interaction, typed)
      : focused.name === "model"
        ? matching(liveModelNames(), typed)
        : [];
  await interaction.respond(suggestions.slice(0, MAX_SUGGESTIONS).map((value) => ({ name: value, value })));
}
