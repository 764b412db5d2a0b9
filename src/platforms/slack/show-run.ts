import type { ShownRun } from "../../actions/shown-run.js";
import { shownSpec } from "../../actions/shown-run.js";
import type { SlackDeps } from "./deps.js";
import { SlackRenderer } from "./renderer.js";
import { type SlackReply, SlackReplySchema } from "./reply-target.js";

/**
 * `/imagine show` and the Show button: a new message in the channel, remembered as the run's (a thread reply
 * under it refines that run), then filled by the renderer every result goes through. Its finals are the files
 * the run's result shared, when Slack still has them; otherwise they are shared again, under the new message.
 */
export async function postShownRun(
  deps: SlackDeps,
  where: { team: string; channel: string },
  shown: ShownRun,
): Promise<void> {
  const { jobId, runId, origin } = shown.metadata;
  const posted = await deps.client.chat.postMessage({
    channel: where.channel,
    text: `Showing job ${jobId}…`,
  });
  if (!posted.ts) throw new Error("chat.postMessage returned no ts");
  await deps.messageRuns.remember(where.channel, posted.ts, runId);
  // The result is its requester's: the message names them, and only they may Delete it, as under the original.
  const reply: SlackReply = SlackReplySchema.parse({
    kind: "slack",
    team: where.team,
    channel: where.channel,
    ts: posted.ts,
    user: origin.user.id,
  });
  const spec = shownSpec(shown, reply);
  const { context } = deps;
  const renderer = new SlackRenderer(
    {
      client: deps.client,
      token: deps.token,
      options: deps.options,
      threads: context.threads,
      originals: context.originals,
      messageRuns: deps.messageRuns,
      logger: context.logger.child({ jobId, shown: true }),
      carousels: deps.carousels,
      streams: deps.streams,
    },
    { reply, runId: spec.runId, prompt: spec.request.prompt, partials: 0 },
  );
  try {
    await renderer.completed(shown.result);
  } catch (error) {
    // Nothing will ever edit it: a message stuck on "Showing…" would say a result is coming.
    await deps.client.chat.delete({ channel: where.channel, ts: posted.ts }).catch(() => undefined);
    throw error;
  }
}
