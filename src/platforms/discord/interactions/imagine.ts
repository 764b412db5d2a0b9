import type { ChatInputCommandInteraction } from "discord.js";
import type { ImagineOptions } from "../../../core/imagine-options.js";
import type { DiscordContext } from "../context.js";
import { submitInteraction } from "../intake.js";

/** `/imagine` and `/edit`: the parsed options through the intake, which fetches the attachments once they pass. */
export async function submitOptions(
  ctx: DiscordContext,
  interaction: ChatInputCommandInteraction,
  options: ImagineOptions,
): Promise<void> {
  await submitInteraction(ctx, interaction, { kind: "options", options });
}
