import type { App, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { followUpFor, runDetails } from "../../../actions/follow-ups.js";
import { UserError } from "../../../core/errors.js";
import type { ThreadRef } from "../../../core/job-spec.js";
import { forgetDeps, forgetSummary, planRunDeletion } from "../../../forget/forget.js";
import { parseActionValue, requireSamePlace, unknownButton } from "../../../render/result-actions.js";
import { clickPlace, requireSlackAccess } from "../access.js";
import { detailsText } from "../blocks.js";
import { type SlackDeps, slackThread } from "../deps.js";
import { messageFor } from "../errors.js";
import { submitSlackRun } from "../intake.js";
import { guarded } from "./guard.js";

/**
 * The result buttons. Everything they need is read back from the run folder by run id, so they work after a
 * restart and in any bot process: Re-roll and Vary queue a new run in the result's thread, Details answers
 * privately, Delete removes the result (and its shared files) for the person who asked only.
 */
export function registerActions(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(
    /^imagine_(reroll|vary|details|delete)$/,
    guarded<SlackActionMiddlewareArgs<BlockButtonAction>>(deps, async ({ action, ack, body }) => {
      await ack();
      const parsed = parseActionValue(action.value);
      const channel = body.channel?.id ?? body.container.channel_id;
      const user = body.user.id;
      const team = body.team?.id ?? body.user.team_id ?? "";
      const messageTs: string = body.container.message_ts ?? body.message?.ts;
      const threadTs: string = body.message?.thread_ts ?? messageTs;
      const privately = (text: string) =>
        deps.client.chat.postEphemeral({
          channel,
          user,
          text,
          ...(threadTs !== messageTs ? { thread_ts: threadTs } : {}),
        });
      if (!channel) return;
      try {
        // A value none of ours, or a run made in another workspace: refused privately, nothing done.
        if (!parsed) throw unknownButton();
        requireSlackAccess(deps, { team, channel, user });
        const origin = (await deps.context.runs.findMetadata(parsed.jobId))?.origin.user;
        requireSamePlace(origin, clickPlace(team, user));
        switch (parsed.action) {
          case "details": {
            await privately(detailsText(await runDetails(deps.context.runs, parsed.jobId)));
            return;
          }
          case "delete": {
            // The message and its shared files here; the run folder, stored response and turn in forget.ts.
            const plan = await planRunDeletion(forgetDeps(deps.context), parsed.jobId, user);
            if (plan.kind === "refused") {
              await privately(`Only <@${plan.owner}>, who asked for this image, can delete it.`);
              return;
            }
            const report = await plan.forget();
            for (const file of await deps.messageRuns.files(parsed.jobId)) {
              await deps.client.files.delete({ file }).catch(() => undefined);
            }
            await deps.client.chat.delete({ channel, ts: messageTs });
            await privately(forgetSummary(report));
            return;
          }
          case "reroll":
          case "vary": {
            const followUp = await followUpFor(deps.context.runs, parsed.action, parsed.jobId);
            const thread =
              followUp.thread ?? (await branchFrom(deps, slackThread(team, channel, threadTs), parsed.jobId));
            await submitSlackRun(deps, {
              team,
              channel,
              user,
              threadTs,
              ask: { request: followUp.request },
              storedImageKeys: followUp.storedImageKeys,
              storedMaskKey: followUp.storedMaskKey,
              thread,
            });
            return;
          }
        }
      } catch (error) {
        if (!(error instanceof UserError)) deps.context.logger.warn({ err: error }, "button failed");
        await privately(`:warning: ${messageFor(error)}`).catch(() => undefined);
      }
    }),
  );
}

/** A variation of a result that is a turn of its thread continues from that turn, not the thread's latest. */
async function branchFrom(
  deps: SlackDeps,
  address: ThreadRef,
  runId: string,
): Promise<ThreadRef | undefined> {
  const turn = await deps.context.threads.find(address, { jobId: runId });
  return turn === undefined ? undefined : { ...address, parentJobId: turn.jobId };
}
