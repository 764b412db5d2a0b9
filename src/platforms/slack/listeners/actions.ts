import type {
  App,
  BlockAction,
  BlockButtonAction,
  BlockOverflowAction,
  SlackActionMiddlewareArgs,
} from "@slack/bolt";
import type { PressPort } from "../../../actions/action.js";
import { pressAction } from "../../../actions/press-action.js";
import { parsePressId } from "../../../actions/press-id.js";
import { operatorDefaults } from "../../../config/load.js";
import { isUserError } from "../../../core/errors.js";
import type { ThreadRef } from "../../../core/job-spec.js";
import { clickPlace, requireSlackAccess } from "../access.js";
import { confirmBlocks, SLACK_ACTION_IDS, SLACK_OVERFLOW_IDS } from "../action-elements.js";
import { isSlackAdmin } from "../admin.js";
import { cancelledText, detailsText } from "../blocks.js";
import { type SlackDeps, slackThread } from "../deps.js";
import { messageFor } from "../errors.js";
import { submitSlackRun } from "../intake.js";
import { promptView } from "../press-form.js";
import { SlackReplySchema } from "../reply-target.js";
import { postShownRun } from "../show-run.js";
import { registerStudioLink, slackStudioReturn } from "../studio-return.js";
import { slackStylePlace } from "../style-place.js";
import { guarded } from "./guard.js";

/** Where a button was pressed: the message it is on, and the thread that message sits in (or starts). */
export interface PressedMessage {
  team: string;
  channel: string;
  user: string;
  messageTs: string;
  threadTs: string;
  /** What opens a form as the press's answer (a button's press has one, valid for 3 s; a form's submit none). */
  triggerId?: string;
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

/**
 * A press on a private answer (Finalize's Confirm) acts where the run's result is, its message and thread:
 * Slack tells nothing of where an ephemeral message was shown, the run's reply target does.
 */
async function resultPlace(
  deps: SlackDeps,
  channel: string,
  value: string | undefined,
): Promise<{ messageTs: string; threadTs: string } | undefined> {
  const runId = parsePressId(value)?.runId;
  const metadata = runId === undefined ? undefined : await deps.context.runs.findMetadata(runId);
  const reply = SlackReplySchema.safeParse(metadata?.origin.reply);
  if (!reply.success || reply.data.channel !== channel) return undefined;
  return { messageTs: reply.data.ts, threadTs: reply.data.threadTs ?? reply.data.ts };
}

/** A button's part of a press: answers are ephemeral where it was pressed, follow-ups go in its thread. */
export function messagePort(deps: SlackDeps, at: PressedMessage): PressPort {
  const { team, channel, user, messageTs, threadTs } = at;
  const inThread = threadTs !== messageTs ? { thread_ts: threadTs } : {};
  const answerPrivately = async (text: string) => {
    await deps.client.chat.postEphemeral({ channel, user, text, ...inThread });
  };
  return {
    platform: "slack",
    place: clickPlace(team, user),
    requireAccess: () => requireSlackAccess(deps, { team, channel, user }),
    isAdmin: () => isSlackAdmin(deps, user),
    // Bolt's `ack` took the press when it arrived.
    acknowledge: async () => undefined,
    answerPrivately,
    async confirmPrivately(text, confirm) {
      const blocks = confirmBlocks(text, confirm);
      await deps.client.chat.postEphemeral({ channel, user, text, blocks, ...inThread });
    },
    // Slack has no /settings: the operator's defaults.
    requestDefaults: async () => operatorDefaults(deps.context.config.openai),
    async askForPrompt(form) {
      if (at.triggerId === undefined) throw new Error("a form's submit cannot open a form");
      await deps.client.views.open({ trigger_id: at.triggerId, view: promptView(form, at) });
    },
    showDetails: (view) => answerPrivately(detailsText(view)),
    async submitFollowUp(followUp, press) {
      const thread =
        followUp.thread ?? (await branchFrom(deps, slackThread(team, channel, threadTs), press.runId));
      const { request, storedImageKeys, storedMaskKey, storedMarkupKey, kind } = followUp;
      await submitSlackRun(deps, {
        ...(kind ? { kind } : {}),
        team,
        channel,
        user,
        threadTs,
        ask: { request },
        storedImageKeys,
        storedMaskKey,
        storedMarkupKey,
        thread,
      });
    },
    async deleteMessage(press) {
      for (const file of await deps.messageRuns.files(press.runId)) {
        await deps.client.files.delete({ file }).catch(() => undefined);
      }
      const words = await deps.messageRuns.words(press.runId);
      if (words) await deps.client.chat.delete({ channel, ts: words }).catch(() => undefined);
      await deps.client.chat.delete({ channel, ts: messageTs });
    },
    showRun: (shown) => postShownRun(deps, { team, channel }, shown),
    async showCancelled(job) {
      const text = cancelledText({ user: job.user.id, prompt: job.request.prompt, kind: job.kind });
      await deps.client.chat.update({ channel, ts: messageTs, text, blocks: [] });
    },
    style: slackStylePlace(deps),
    studioReturn: slackStudioReturn(deps, { channel, user, where: inThread }),
  };
}

/** A press, from the message it was made on; `value` carries the press id. */
async function press(deps: SlackDeps, body: BlockAction, value: string | undefined): Promise<void> {
  const channel = body.channel?.id ?? body.container.channel_id;
  const pressedTs: string | undefined = body.container.message_ts ?? body.message?.ts;
  if (!channel || !pressedTs) return;
  const team = body.team?.id ?? body.user.team_id ?? "";
  const { messageTs, threadTs } = (body.container.is_ephemeral &&
    (await resultPlace(deps, channel, value))) || {
    messageTs: pressedTs,
    threadTs: body.message?.thread_ts ?? pressedTs,
  };
  const at = { team, channel, user: body.user.id, messageTs, threadTs, triggerId: body.trigger_id };
  const port = messagePort(deps, at);
  try {
    await pressAction(deps.context, value, port);
  } catch (error) {
    if (!isUserError(error)) deps.context.logger.warn({ err: error }, "button failed");
    await port.answerPrivately(`:warning: ${messageFor(error)}`).catch(() => undefined);
  }
}

/**
 * Every button (`actions/press-action.ts`), by one listener, and every image's overflow menu (a gallery where
 * Slack has no carousel), whose picked option carries the press id as a button's value does. Refusals and
 * failures are answered with an ephemeral message where the button was pressed; the guard is there for what
 * that answer itself throws.
 */
export function registerActions(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(
    SLACK_ACTION_IDS,
    guarded<SlackActionMiddlewareArgs<BlockButtonAction>>(deps, async ({ action, ack, body }) => {
      await ack();
      await press(deps, body, action.value);
    }),
  );
  app.action<BlockOverflowAction>(
    SLACK_OVERFLOW_IDS,
    guarded<SlackActionMiddlewareArgs<BlockOverflowAction>>(deps, async ({ action, ack, body }) => {
      await ack();
      await press(deps, body, action.selected_option.value);
    }),
  );
  registerStudioLink(app);
}
