import { parseFlagText } from "../../../commands/flag-text.js";
import { imagineCommand, parseImagineOptions } from "../../../commands/imagine.js";
import { operatorDefaults } from "../../config/load.js";
import { userError } from "../../core/errors.js";
import { refuseForgottenThread } from "../../forget/forgotten-thread.js";
import { refuseNonImageFiles } from "../../media/check-inputs.js";
import { madeImages } from "../../storage/run-store.js";
import { imageFiles, type SlackDeps, type SlackFileRef, slackThread } from "./deps.js";
import { submitSlackRun } from "./intake.js";
import { markupFile } from "./markup-file.js";

/** A message that asks the bot for something: an @mention, or a plain reply in a bot thread. */
export interface SlackAsk {
  team: string;
  channel: string;
  user: string;
  /** The text without the bot's mention: a prompt with optional `--flags`. */
  text: string;
  ts: string;
  threadTs?: string;
  files: readonly SlackFileRef[];
  /** Asked in Slack's assistant view: the run's status line follows it there. */
  assistant?: true;
}

/** `<@U123>` mentions of the bot are not part of the prompt; Slack escapes &, < and > in message text. */
export function promptText(text: string, botUserId: string | undefined): string {
  const withoutBot = botUserId ? text.replaceAll(`<@${botUserId}>`, " ") : text;
  return withoutBot
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * What a thread reply edits when the thread has no chain yet: the root's result, or the root's images (not
 * downloaded yet: the options and the count are checked first).
 */
async function referencedImages(
  deps: SlackDeps,
  channel: string,
  rootTs: string,
): Promise<{ storedImageKeys: string[]; files: SlackFileRef[] }> {
  const runId = await deps.messageRuns.runOf(channel, rootTs);
  if (runId !== undefined) {
    const metadata = await deps.context.runs.findMetadata(runId);
    if (metadata !== undefined && madeImages(metadata)) {
      return { storedImageKeys: metadata.finals, files: [] };
    }
  }
  const replies = await deps.client.conversations.replies({ channel, ts: rootTs, limit: 1, inclusive: true });
  const root = replies.messages?.find((message) => message.ts === rootTs);
  return { storedImageKeys: [], files: imageFiles((root?.files ?? []) as SlackFileRef[]) };
}

/**
 * Turns a message into a run. In a thread: if the thread already has a Responses chain, the message
 * continues it (attached images are added); otherwise it edits the thread's root — a bot result's images
 * or a person's uploaded images — through the Responses API, so the next reply chains. Outside a thread:
 * a generation (or an edit of the attached images), answered in a thread under the message.
 * @throws `UserError` with the exact problem; nothing is sent to OpenAI then.
 */
export async function handleAsk(deps: SlackDeps, ask: SlackAsk): Promise<void> {
  const { raw, attachmentFlags } = parseFlagText(imagineCommand, ask.text);
  const [flag] = attachmentFlags;
  if (flag !== undefined) throw userError("slack_flag_needs_file", { flag, typed: "mention" });
  const defaults = operatorDefaults(deps.context.config.openai);
  if (raw.prompt === undefined) {
    throw userError("missing_option", { mention: true });
  }
  if (parseImagineOptions(raw).private === true) throw userError("slack_private_mention");
  refuseNonImageFiles(ask.files.map((file) => ({ name: file.name ?? file.id, contentType: file.mimetype })));
  // The intake counts the files by their descriptions and downloads nothing until the options pass.
  const markup = markupFile(ask.files);
  const base = {
    team: ask.team,
    channel: ask.channel,
    user: ask.user,
    ask: { raw, defaults },
    markup,
    ...(ask.assistant ? { assistant: ask.assistant } : {}),
  };

  if (ask.threadTs === undefined) {
    await submitSlackRun(deps, { ...base, threadTs: ask.ts, files: ask.files });
    return;
  }

  const address = slackThread(ask.team, ask.channel, ask.threadTs);
  await refuseForgottenThread(deps.context.threads, address);
  // Typed in the conversation: the model may answer a question in words instead of drawing.
  const thread = { ...address, mayAnswer: true as const };
  // A markup exists on the Images API only: with one, the turn is an Images API edit unless told otherwise.
  raw.api ??= markup ? "images" : "responses";
  const turns = await deps.context.threads.turns(address);
  if (turns.length > 0) {
    await submitSlackRun(deps, { ...base, threadTs: ask.threadTs, files: ask.files, thread });
    return;
  }
  const referenced = await referencedImages(deps, ask.channel, ask.threadTs);
  await submitSlackRun(deps, {
    ...base,
    threadTs: ask.threadTs,
    files: [...referenced.files, ...ask.files],
    storedImageKeys: referenced.storedImageKeys,
    thread,
  });
}

/** Whether a plain (unmentioned) message in a thread belongs to a bot conversation worth continuing. */
export async function isBotThread(
  deps: SlackDeps,
  team: string,
  channel: string,
  threadTs: string,
): Promise<boolean> {
  if ((await deps.context.threads.turns(slackThread(team, channel, threadTs))).length > 0) return true;
  return (await deps.messageRuns.runOf(channel, threadTs)) !== undefined;
}
