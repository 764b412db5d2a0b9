import type { App, SlackEventMiddlewareArgs } from "@slack/bolt";
import { requireSlackAccess } from "../access.js";
import { blendText, handleBlendAsk } from "../blend.js";
import { handleAsk, isBotThread, promptText, type SlackAsk } from "../conversation.js";
import type { SlackDeps, SlackFileRef } from "../deps.js";
import { asksToForget, forgetSlackThread } from "../forget.js";
import { claimEvent } from "../message-runs.js";
import { guarded } from "./guard.js";

interface IncomingMessage {
  user?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
  files?: SlackFileRef[];
  subtype?: string;
  bot_id?: string;
}

/**
 * `app_mention` anywhere, and plain `message` events inside a bot thread (when the app subscribes to them):
 * both become an edit or a refinement, or with the text `forget` remove the thread's history. Each event id is claimed once in Redis first, so Slack's retries
 * (`x-slack-retry-num`) never start a second job; then the access lists, so a refusal is answered once, privately.
 */
export function registerEvents(app: App, deps: SlackDeps): void {
  const firstDelivery = (eventId: unknown) =>
    typeof eventId === "string" &&
    claimEvent(deps.context.redis, deps.context.config.queuePrefix, eventId, deps.options.eventDedupeSeconds);

  app.event(
    "app_mention",
    guarded<SlackEventMiddlewareArgs<"app_mention">>(deps, async ({ event, body, context }) => {
      const message = event as unknown as IncomingMessage;
      if (!message.user || message.bot_id) return;
      if (!(await firstDelivery(body.event_id))) return;
      requireSlackAccess(deps, { team: body.team_id, channel: message.channel, user: message.user });
      await answer(deps, toAsk(body.team_id, message, context.botUserId));
    }),
  );

  app.message(
    guarded<SlackEventMiddlewareArgs<"message">>(deps, async ({ message, body, context }) => {
      const m = message as unknown as IncomingMessage;
      // Mentions arrive as app_mention too; only plain replies in a thread are handled here.
      if (!m.user || m.bot_id || !m.thread_ts || m.thread_ts === m.ts) return;
      if (m.subtype !== undefined && m.subtype !== "file_share") return;
      if (context.botUserId && (m.text ?? "").includes(`<@${context.botUserId}>`)) return;
      if (!(await isBotThread(deps, body.team_id, m.channel, m.thread_ts))) return;
      if (!(await firstDelivery(body.event_id))) return;
      requireSlackAccess(deps, { team: body.team_id, channel: m.channel, user: m.user });
      await answer(deps, toAsk(body.team_id, m, context.botUserId));
    }),
  );
}

/**
 * `forget` removes the thread's history; `blend …` blends the message's images (in a thread only when it has
 * files: "blend in more blue" there refines the image); anything else is a prompt.
 */
function answer(deps: SlackDeps, ask: SlackAsk): Promise<void> {
  if (asksToForget(ask.text)) return forgetSlackThread(deps, ask);
  const blend = blendText(ask.text);
  if (blend !== undefined && (ask.threadTs === undefined || ask.files.length > 0))
    return handleBlendAsk(deps, ask, blend);
  return handleAsk(deps, ask);
}

function toAsk(team: string, message: IncomingMessage, botUserId: string | undefined): SlackAsk {
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
