import { type ChatInputCommandInteraction, MessageFlags } from "discord.js";
import { forgetDeps, forgetRefusal, forgetSummary, planThreadForgetting } from "../../../forget/forget.js";
import { isDiscordAdmin } from "../admin.js";
import type { DiscordContext } from "../context.js";
import { threadAddress } from "../threads.js";

/**
 * `/forget` in a refinement thread (`forget/forget.ts` decides and removes). Answered privately; deferred
 * once allowed, as deleting at OpenAI may take longer than Discord's 3 seconds.
 */
export async function handleForget(
  ctx: DiscordContext,
  interaction: ChatInputCommandInteraction,
): Promise<void> {
  const privately = (content: string) => interaction.reply({ content, flags: MessageFlags.Ephemeral });
  if (!interaction.guildId) {
    await privately("Use /forget inside a refinement thread on a server.");
    return;
  }
  const deps = forgetDeps(ctx.process);
  const by = { userId: interaction.user.id, admin: isDiscordAdmin(interaction, ctx.config.adminRoleIds) };
  const plan = await planThreadForgetting(
    deps,
    threadAddress(interaction.guildId, interaction.channelId),
    by,
  );
  switch (plan.kind) {
    case "nothing":
      await privately(
        "There is nothing to forget here: use /forget inside a refinement thread that has results.",
      );
      return;
    case "refused":
      await privately(forgetRefusal(plan.owner, "a server admin"));
      return;
    case "allowed": {
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      ctx.acks.acknowledged(interaction);
      const report = await plan.forget();
      await interaction.editReply({ content: forgetSummary(report) });
      return;
    }
  }
}
