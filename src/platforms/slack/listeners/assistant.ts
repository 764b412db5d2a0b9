import { type App, Assistant } from "@slack/bolt";
import { parseFlagText } from "../../../../commands/flag-text.js";
import { imagineCommand } from "../../../../commands/imagine.js";
import { requireSlackAccess } from "../access.js";
import { SUGGESTED_PROMPTS, threadTitle } from "../assistant-words.js";
import type { SlackDeps } from "../deps.js";
import { asksToForget } from "../forget.js";
import { answer, answerThreadReply, firstDelivery, type IncomingMessage, toAsk } from "./events.js";
import { guarded } from "./guard.js";

/**
 * Slack's assistant view (Bolt's `Assistant`): a person who opens it is offered a few prompts; each message
 * in the thread is a prompt, through the one intake, answered in the thread, whose status line follows the run
 * (the renderer) and whose title is the first prompt. The view's messages are DM thread messages, which Bolt
 * hands to the assistant whatever the thread: one Slack did not open as an assistant thread (a `--private`
 * run's) is answered as a plain reply, as before.
 */
export function registerAssistant(app: App, deps: SlackDeps): void {
  const { logger } = deps.context;
  app.assistant(
    new Assistant({
      threadStarted: guarded(deps, async ({ event, setSuggestedPrompts }) => {
        const thread = event.assistant_thread;
        await deps.assistantThreads.remember(thread.channel_id, thread.thread_ts);
        await setSuggestedPrompts({
          title: SUGGESTED_PROMPTS.title,
          prompts: [...SUGGESTED_PROMPTS.prompts],
        }).catch((error: unknown) =>
          logger.warn({ err: error }, "assistant thread's suggested prompts not set"),
        );
      }),
      // The context (the channel the person is looking at) is not used: Bolt's default would read the thread
      // and rewrite the app's first message in it on every change.
      threadContextChanged: async () => {},
      userMessage: guarded(deps, async (args) => {
        const { message, body, context, setTitle } = args;
        const m = message as unknown as IncomingMessage;
        if (m.thread_ts === undefined || !(await deps.assistantThreads.has(m.channel, m.thread_ts))) {
          await answerThreadReply(deps, args);
          return;
        }
        if (!m.user || m.bot_id) return;
        if (m.subtype !== undefined && m.subtype !== "file_share") return;
        if (!(await firstDelivery(deps, body.event_id))) return;
        requireSlackAccess(deps, { team: body.team_id, channel: m.channel, user: m.user });
        const ask = { ...toAsk(body.team_id, m, context.botUserId), assistant: true as const };
        await answer(deps, ask);
        if (asksToForget(ask.text) || !(await deps.assistantThreads.claimTitle(m.channel, m.thread_ts)))
          return;
        const { prompt } = parseFlagText(imagineCommand, ask.text).raw;
        await setTitle(threadTitle(typeof prompt === "string" ? prompt : ask.text)).catch((error: unknown) =>
          logger.warn({ err: error }, "assistant thread's title not set"),
        );
      }),
    }),
  );
}
