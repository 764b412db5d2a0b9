import { type ChatInputCommandInteraction, MessageFlags } from "discord.js";
import { SETTINGS_FIELDS, type settingsCommand } from "../../../../commands/settings.js";
import type { ArgsOf } from "../../../../commands/types.js";
import { getModel } from "../../../core/models.js";
import type { DiscordContext } from "../context.js";
import type { UserSettings } from "../settings-store.js";

function describe(settings: UserSettings, fallbackModel: string): string {
  const lines = SETTINGS_FIELDS.map(
    (field) =>
      `${field}: ${settings[field] ?? (field === "model" ? `${fallbackModel} (bot default)` : "default")}`,
  );
  return `Your defaults for /imagine and /edit:\n\`\`\`\n${lines.join("\n")}\n\`\`\``;
}

/**
 * `/settings`: shows, sets (each value already checked like the /imagine option) or resets per-user defaults.
 * A refusal (an unknown model) is a `UserError` the router answers privately.
 */
export async function handleSettings(
  ctx: DiscordContext,
  interaction: ChatInputCommandInteraction,
  args: ArgsOf<typeof settingsCommand>,
): Promise<void> {
  const userId = interaction.user.id;
  const fallbackModel = ctx.process.config.openai.defaultImageModel;
  if (args.reset) await ctx.settings.clear(userId);
  const values: UserSettings = {};
  for (const field of SETTINGS_FIELDS) {
    const value = args[field];
    // Kept as text in Redis; `draft` is read back as a yes or no (settings-store.ts).
    if (value !== undefined) values[field] = String(value);
  }
  if (values.model !== undefined) values.model = getModel(values.model).name;
  await ctx.settings.set(userId, values);
  await interaction.reply({
    content: describe(await ctx.settings.get(userId), fallbackModel),
    flags: MessageFlags.Ephemeral,
  });
}
