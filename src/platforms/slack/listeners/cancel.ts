import type { App, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { parseCancelValue } from "../../../queue/cancel.js";
import { requireSamePlace, unknownButton } from "../../../render/result-actions.js";
import { clickPlace } from "../access.js";
import { cancelledText } from "../blocks.js";
import type { SlackDeps } from "../deps.js";
import { guarded } from "./guard.js";

/**
 * The Cancel button under a status (`queue/cancel.ts` decides). A waiting job is gone at once, so the status
 * becomes "Cancelled" here; a running one's worker says so once the request to OpenAI is aborted. The members
 * in `SLACK_ADMIN_USER_IDS` may cancel anyone's job; anyone else is told privately who can. A value none of ours,
 * or a job asked for in another workspace, is refused privately (by the guard, through the response_url).
 */
export function registerCancel(app: App, deps: SlackDeps): void {
  const admins = new Set(deps.context.config.slack?.adminUserIds ?? []);
  app.action<BlockButtonAction>(
    "imagine_cancel",
    guarded<SlackActionMiddlewareArgs<BlockButtonAction>>(deps, async ({ action, ack, body }) => {
      await ack();
      const runId = parseCancelValue(action.value);
      if (runId === undefined) throw unknownButton();
      const channel = body.channel?.id ?? body.container.channel_id;
      const messageTs: string | undefined = body.container.message_ts ?? body.message?.ts;
      if (!channel || !messageTs) return;
      const user = body.user.id;
      // The queued job says where it was asked for; one not in the queue yet only its requester may cancel.
      const queued = await deps.context.queue.getJob(runId);
      requireSamePlace(queued?.data.user, clickPlace(body.team?.id ?? body.user.team_id, user));
      const threadTs: string | undefined = body.message?.thread_ts;
      const privately = (text: string) =>
        deps.client.chat.postEphemeral({ channel, user, text, ...(threadTs ? { thread_ts: threadTs } : {}) });
      const admin = queued !== undefined && admins.has(user);
      const outcome = await deps.context.cancel(runId, { userId: user, admin });
      switch (outcome.kind) {
        case "refused":
          await privately(
            `Only <@${outcome.requester}>, who asked for this image, or an admin can cancel it.`,
          );
          return;
        case "finished":
          await privately("That request has already finished.");
          return;
        case "removed":
          await deps.client.chat.update({
            channel,
            ts: messageTs,
            text: cancelledText(outcome.job.user.id, outcome.job.request.prompt),
            blocks: [],
          });
          return;
        case "stopping":
          return;
      }
    }),
  );
}
