import type { ButtonInteraction } from "discord.js";
import { requireSamePlace } from "../../../render/result-actions.js";
import { clickPlace } from "../access.js";
import { isDiscordAdmin } from "../admin.js";
import type { DiscordContext } from "../context.js";
import { answerPrivately } from "../intake.js";
import { cancelledContent } from "../result-message.js";

/**
 * The Cancel button under a status (`queue/cancel.ts` decides). A waiting job is gone at once, so the click
 * itself turns the status into "Cancelled"; a running one is acknowledged silently and its worker shows
 * "Cancelled" once the request to OpenAI is aborted. The server's admins (`isDiscordAdmin`) may cancel anyone's
 * job asked for in their server; a click from another server is refused (the router answers privately).
 */
export async function handleCancel(
  ctx: DiscordContext,
  interaction: ButtonInteraction,
  runId: string,
): Promise<void> {
  // The queued job says where it was asked for. One not in the queue yet (a click in the instant between its
  // status and its queueing) can be told apart from another server's by nobody: only its requester may cancel it.
  const queued = await ctx.process.queue.getJob(runId);
  requireSamePlace(queued?.data.user, clickPlace(interaction));
  const admin = queued !== undefined && isDiscordAdmin(interaction, ctx.config.adminRoleIds);
  const outcome = await ctx.process.cancel(runId, { userId: interaction.user.id, admin });
  switch (outcome.kind) {
    case "refused":
      return answerPrivately(
        interaction,
        `Only <@${outcome.requester}>, who asked for this image, or a server admin can cancel it.`,
      );
    case "finished":
      return answerPrivately(interaction, "That request has already finished.");
    case "removed":
      await interaction.update({
        content: cancelledContent(outcome.job.request.model),
        components: [],
        attachments: [],
      });
      return;
    case "stopping":
      await interaction.deferUpdate();
      return;
  }
}
