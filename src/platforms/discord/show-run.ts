import type { ShownRun } from "../../actions/shown-run.js";
import { shownSpec } from "../../actions/shown-run.js";
import type { DiscordContext } from "./context.js";
import { webhookOnly } from "./install.js";
import { interactionReply, type JobInteraction } from "./intake.js";
import { DiscordRenderer } from "./renderer.js";
import { DiscordReplySchema } from "./reply-target.js";

/**
 * `/show` and the Show button: a new public reply where the interaction was made, filled by the renderer
 * every result goes through, so a shown result looks and acts (its buttons, on the original run) as a new one.
 */
export async function postShownRun(
  ctx: DiscordContext,
  interaction: JobInteraction,
  shown: ShownRun,
): Promise<void> {
  const deferred = await interaction.deferReply({ withResponse: true });
  ctx.acks.acknowledged(interaction);
  const messageId = deferred.resource?.message?.id;
  if (messageId === undefined) throw new Error("deferred reply has no message");
  // A public reply; in a DM the bot is not in, still one only the interaction's webhook reaches.
  const onlyWebhook = webhookOnly(interaction, false);
  await ctx.tokens.save(messageId, interaction.token, interaction.createdTimestamp, {
    webhookOnly: onlyWebhook,
  });
  const reply = DiscordReplySchema.parse(interactionReply(interaction, messageId, onlyWebhook));
  const { threads, originals } = ctx.process;
  const renderer = new DiscordRenderer(ctx.rest, reply, shownSpec(shown, reply), {
    threads,
    originals,
    tokens: ctx.tokens,
    logger: ctx.logger.child({ jobId: shown.metadata.jobId, shown: true }),
  });
  await renderer.completed(shown.result);
}
