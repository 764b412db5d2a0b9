import type { App, Context, SlackEventMiddlewareArgs } from "@slack/bolt";
import { requireSlackAccess } from "../access.js";
import { blendText, handleBlendAsk } from "../blend.js";
import { handleAsk, isBotThread, promptText, type SlackAsk } from "../conversation.js";
import type { SlackDeps, SlackFileRef } from "../deps.js";
import { asksToForget, forgetSlackThread } from "../forget.js";
import { claimEvent } from "../message-runs.js";
import { asksForStyle, styleSlackThread } from "../style.js";
import { guarded } from "./guard.js";

/** A message as `app_mention` and `message` events carry it. */
export interface IncomingMessage {
  user?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
  files?: SlackFileRef[];
  subtype?: string;
  bot_id?: string;
}

/** What a message listener reads of Bolt's arguments. */
export interface MessageArgs {
  message: unknown;
  body: { team_id: string; event_id?: unknown };
  context: Context;
}

/**
 * Whether this is Slack's first delivery of the event: each event id is claimed once in Redis, so Slack's
 * retries (`x-slack-retry-num`) never start a second job.
 */
export function firstDelivery(deps: SlackDeps, eventId: unknown): Promise<boolean> | false {
  return (
    typeof eventId === "string" &&
    claimEvent(deps.context.redis, deps.context.config.queuePrefix, eventId, deps.options.eventDedupeSeconds)
  );
}

/**
 * `app_mention` anywhere, and plain `message` events inside a bot thread (when the app subscribes to them):
 * both become an edit or a refinement, or with the text `forget` remove the thread's history. Each event id is
 * claimed once first (`firstDelivery`); then the access lists, so a refusal is answered once, privately.
 */
export function registerEvents(app: App, deps: SlackDeps): void {
  app.event(
    "app_mention",
    guarded<SlackEventMiddlewareArgs<"app_mention">>(deps, async ({ event, body, context }) => {
      const message = event as unknown as IncomingMessage;
      if (!message.user || message.bot_id) return;
      if (!(await firstDelivery(deps, body.event_id))) return;
      requireSlackAccess(deps, { team: body.team_id, channel: message.channel, user: message.user });
      await answer(deps, toAsk(body.team_id, message, context.botUserId));
    }),
  );

  app.message(guarded<SlackEventMiddlewareArgs<"message">>(deps, (args) => answerThreadReply(deps, args)));
}

/** A plain (unmentioned) reply in a bot thread continues it; any other message is not the bot's to answer. */
export async function answerThreadReply(
  deps: SlackDeps,
  { message, body, context }: MessageArgs,
): Promise<void> {
  const m = message as IncomingMessage;
  // Mentions arrive as app_mention too; only plain replies in a thread are handled here.
  if (!m.user || m.bot_id || !m.thread_ts || m.thread_ts === m.ts) return;
  if (m.subtype !== undefined && m.subtype !== "file_share") return;
  if (context.botUserId && (m.text ?? "").includes(`<@${context.botUserId}>`)) return;
  if (!(await isBotThread(deps, body.team_id, m.channel, m.thread_ts))) return;
  if (!(await firstDelivery(deps, body.event_id))) return;
  requireSlackAccess(deps, { team: body.team_id, channel: m.channel, user: m.user });
  await answer(deps, toAsk(body.team_id, m, context.botUserId));
}

/**
 * `forget` removes the thread's history, `style …` pins or unpins its style, `blend …` blends the message's
 * images (in a thread only when it has files: "blend in more blue" there refines the image); anything else is a
 * prompt.
 */
export function answer(deps: SlackDeps, ask: SlackAsk): Promise<void> {
  if (asksToForget(ask.text)) return forgetSlackThread(deps, ask);
  const style = asksForStyle(ask);
  if (style) return styleSlackThread(deps, ask, style);
  const blend = blendText(ask.text);
  if (blend !== undefined && (ask.threadTs === undefined || ask.files.length > 0))
    return handleBlendAsk(deps, ask, blend);
  return handleAsk(deps, ask);
}

export function toAsk(team: string, message: IncomingMessage, botUserId: string | undefined): SlackAsk {
  return {
    team,
    channel: message.channel,
    user: message.user ?? "",
    text: promptText(message.text ?? "", botUserId),
    ts: message.ts,
    ...(message.thread_ts ? { threadTs: message.thread_ts } : {}),
    files: message.files ?? [],
  };
}
