import { forgetDeps, forgetRefusal, forgetSummary, planThreadForgetting } from "../../forget/forget.js";
import { isSlackAdmin } from "./admin.js";
import type { SlackAsk } from "./conversation.js";
import { type SlackDeps, slackThread } from "./deps.js";

/**
 * `forget`, as the whole of a message to the bot in a thread (a mention, or a plain reply in a bot thread).
 * Not `/imagine forget`: Slack sends slash commands no thread, so they cannot say which thread to forget.
 */
export function asksToForget(text: string): boolean {
  return text.trim().toLowerCase() === "forget";
}

/**
 * Forgets the thread the message is in (`forget/forget.ts` decides and removes): for whoever started it, or
 * the workspace's admins (`SLACK_ADMIN_USER_IDS`). Answered privately in the thread.
 */
export async function forgetSlackThread(deps: SlackDeps, ask: SlackAsk): Promise<void> {
  const privately = (text: string) =>
    deps.client.chat.postEphemeral({
      channel: ask.channel,
      user: ask.user,
      text,
      ...(ask.threadTs ? { thread_ts: ask.threadTs } : {}),
    });
  if (ask.threadTs === undefined) {
    await privately("Mention me with `forget` inside the thread whose images and history should go.");
    return;
  }
  const admin = isSlackAdmin(deps, ask.user);
  const plan = await planThreadForgetting(
    forgetDeps(deps.context),
    slackThread(ask.team, ask.channel, ask.threadTs),
    { userId: ask.user, admin },
  );
  switch (plan.kind) {
    case "nothing":
      await privately("There is nothing to forget in this thread: it has no refinement history.");
      return;
    case "refused":
      await privately(forgetRefusal(plan.owner, "an admin"));
      return;
    case "allowed":
      await privately(forgetSummary(await plan.forget()));
      return;
  }
}
