import { type ButtonInteraction, MessageFlags } from "discord.js";
import { followUpFor, runDetails } from "../../../actions/follow-ups.js";
import { isUserError } from "../../../core/errors.js";
import { forgetDeps, forgetSummary, planRunDeletion } from "../../../forget/forget.js";
import { parseCancelValue } from "../../../queue/cancel.js";
import { clip } from "../../../render/clip.js";
import { parseActionValue, requireSamePlace, unknownButton } from "../../../render/result-actions.js";
import { clickPlace } from "../access.js";
import type { DiscordContext } from "../context.js";
import { answerPrivately, submitInteraction } from "../intake.js";
import { startRefinement } from "../threads.js";
import { handleCancel } from "./cancel.js";

async function details(ctx: DiscordContext, interaction: ButtonInteraction, jobId: string): Promise<void> {
  const view = await runDetails(ctx.process.runs, jobId);
  await interaction.reply({
    flags: MessageFlags.Ephemeral,
    embeds: [
      {
        title: view.title,
        fields: view.fields.map(([name, value]) => ({
          name,
          value: clip(value, 1024),
          inline: value.length < 40,
        })),
        description: `**Parameters sent**\n\`\`\`json\n${clip(view.parameters, 2500)}\n\`\`\`\n**Usage**\n\`\`\`json\n${clip(view.usage, 800)}\n\`\`\``,
      },
    ],
  });
}

/** Delete: the message, and what `forget/forget.ts` removes (run folder, stored response, thread turn). */
async function remove(ctx: DiscordContext, interaction: ButtonInteraction, jobId: string): Promise<void> {
  const plan = await planRunDeletion(forgetDeps(ctx.process), jobId, interaction.user.id);
  if (plan.kind === "refused") {
    await answerPrivately(interaction, "Only the person who asked for this image can delete it.");
    return;
  }
  await interaction.deferUpdate();
  const report = await plan.forget();
  await interaction.deleteReply();
  await answerPrivately(interaction, forgetSummary(report));
}

/**
 * Result buttons: everything is read back from the run folder by job id, so they work after restarts. Cancel,
 * under a status rather than a result, reads the job from the queue instead. A custom id that is none of ours
 * and a run made in another server (or another person's DM) are refused privately (the router answers the
 * `UserError`) before anything is queued, deleted or shown.
 */
export async function handleButton(ctx: DiscordContext, interaction: ButtonInteraction): Promise<void> {
  const cancelled = parseCancelValue(interaction.customId);
  if (cancelled !== undefined) return handleCancel(ctx, interaction, cancelled);
  const parsed = parseActionValue(interaction.customId);
  if (parsed === undefined) throw unknownButton();
  const { action, jobId } = parsed;
  requireSamePlace((await ctx.process.runs.findMetadata(jobId))?.origin.user, clickPlace(interaction));
  try {
    if (action === "details") return await details(ctx, interaction, jobId);
    if (action === "delete") return await remove(ctx, interaction, jobId);
    if (action === "refine") return await startRefinement(ctx, interaction, jobId);
    const followUp = await followUpFor(ctx.process.runs, action, jobId);
    await submitInteraction(ctx, interaction, { kind: "follow-up", followUp });
  } catch (error) {
    if (!isUserError(error)) throw error;
    await answerPrivately(interaction, `⚠️ ${error.message}`);
  }
}
