import type { webApi } from "@slack/bolt";
import type { Logger } from "../../logger.js";
import { DRAWING_STATUS, QUEUED_STATUS } from "./assistant-words.js";
import type { SlackReply } from "./reply-target.js";

const STATUSES = {
  queued: { status: QUEUED_STATUS },
  drawing: DRAWING_STATUS,
  // An empty status clears it (and its loading messages).
  done: { status: "" },
} as const;

/**
 * Sets the status line of the assistant thread a run answers in; nothing for a run elsewhere. A status is a
 * courtesy: a refusal (a scope the app was not given) is logged and the run goes on.
 */
export async function setAssistantStatus(
  client: webApi.WebClient,
  reply: SlackReply,
  kind: keyof typeof STATUSES,
  logger: Logger,
): Promise<void> {
  if (reply.assistant !== true || reply.threadTs === undefined) return;
  await client.assistant.threads
    .setStatus({ channel_id: reply.channel, thread_ts: reply.threadTs, ...STATUSES[kind] })
    .catch((error: unknown) => logger.warn({ err: error, kind }, "assistant thread status not set"));
}
