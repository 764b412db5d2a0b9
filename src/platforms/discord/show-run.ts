import type { ShownRun } from "../../actions/shown-run.js";
import { shownSpec } from "../../actions/shown-run.js";
import type { DiscordContext } from "./context.js";
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
  const messageId = deferred.resource?.message?.id;
  if (messageId === undefined) throw new Error("deferred reply has no message");
  await ctx.tokens.save(messageId, interaction.token, interaction.createdTimestamp);
  const reply = DiscordReplySchema.parse(interactionReply(interaction, messageId));
  const { threads, originals } = ctx.process;
  const renderer = new DiscordRenderer(ctx.rest, reply, shownSpec(shown, reply), {
    threads,
    originals,
    tokens: ctx.tokens,
    logger: ctx.logger.child({ jobId: shown.metadata.jobId, shown: true }),
  });
  await renderer.completed(shown.result);
}
