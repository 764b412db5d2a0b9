import { type ChatInputCommandInteraction, MessageFlags } from "discord.js";
import type { CommandPort } from "../../command-handlers/command-port.js";
import { isDiscordAdmin } from "./admin.js";
import type { DiscordContext } from "./context.js";
import { historyMessage } from "./history-message.js";
import { postShownRun } from "./show-run.js";

/** Discord's content limit. */
const MAX_CONTENT = 2000;

/** A slash command answered privately: deferred (ephemeral) before a slow answer, which then fills it. */
export function discordCommandPort(
  ctx: DiscordContext,
  interaction: ChatInputCommandInteraction,
): CommandPort {
  return {
    platform: "discord",
    user: { platform: "discord", id: interaction.user.id, workspace: interaction.guildId ?? undefined },
    isAdmin: () => isDiscordAdmin(interaction, ctx.config.adminRoleIds),
    typed: (name) => `/${name}`,
    markup: {
      heading: (text) => `**${text}**`,
      mention: (id) => `<@${id}>`,
      code: (text) => `\`${text}\``,
      done: "✅",
    },
    maxText: MAX_CONTENT,
    async acknowledge() {
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      ctx.acks.acknowledged(interaction);
    },
    async answerPrivately(content) {
      if (interaction.deferred) await interaction.editReply({ content });
      else await interaction.reply({ content, flags: MessageFlags.Ephemeral });
    },
    async showHistory(entries) {
      const message = await historyMessage(ctx.process.runs, entries);
      if (interaction.deferred) await interaction.editReply(message);
      else await interaction.reply({ ...message, flags: message.flags | MessageFlags.Ephemeral });
    },
    showRun: (shown) => postShownRun(ctx, interaction, shown),
  };
}
