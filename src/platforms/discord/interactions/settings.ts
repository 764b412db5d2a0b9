import { type ChatInputCommandInteraction, MessageFlags } from "discord.js";
import { imagineCommand } from "../../../../commands/imagine.js";
import { parseCommandOptions } from "../../../../commands/parse-options.js";
import { isUserError } from "../../../core/errors.js";
import { getModel } from "../../../core/models.js";
import { SETTINGS_FIELDS } from "../commands/settings.js";
import type { DiscordContext } from "../context.js";
import type { UserSettings } from "../settings-store.js";

function describe(settings: UserSettings, fallbackModel: string): string {
  const lines = SETTINGS_FIELDS.map(
    (field) =>
      `${field}: ${settings[field] ?? (field === "model" ? `${fallbackModel} (bot default)` : "default")}`,
  );
  return `Your defaults for /imagine and /edit:\n\`\`\`\n${lines.join("\n")}\n\`\`\``;
}

/** `/settings`: shows, sets (each value checked like the /imagine option) or resets per-user defaults. */
export async function handleSettings(
  ctx: DiscordContext,
  interaction: ChatInputCommandInteraction,
): Promise<void> {
  const userId = interaction.user.id;
  const fallbackModel = ctx.process.config.openai.defaultImageModel;
  if (interaction.options.getBoolean("reset")) await ctx.settings.clear(userId);
  const given: Record<string, unknown> = {};
  for (const field of SETTINGS_FIELDS) {
    const value = interaction.options.getString(field);
    if (value !== null) given[field] = value;
  }
  try {
    const parsed = parseCommandOptions(imagineCommand, { prompt: "settings", ...given });
    if (typeof parsed.model === "string") parsed.model = getModel(parsed.model).name;
    const values: UserSettings = {};
    for (const field of SETTINGS_FIELDS) if (typeof parsed[field] === "string") values[field] = parsed[field];
    await ctx.settings.set(userId, values);
  } catch (error) {
    if (!isUserError(error)) throw error;
    await interaction.reply({ content: `⚠️ ${error.message}`, flags: MessageFlags.Ephemeral });
    return;
  }
  await interaction.reply({
    content: describe(await ctx.settings.get(userId), fallbackModel),
    flags: MessageFlags.Ephemeral,
  });
}
