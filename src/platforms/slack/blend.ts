import { blendCommand } from "../../../commands/blend.js";
import { parseFlagText } from "../../../commands/flag-text.js";
import { parseCommandOptions } from "../../../commands/parse-options.js";
import { blendRun } from "../../actions/blend-run.js";
import { operatorDefaults } from "../../config/load.js";
import { blendOptions } from "../../core/blend.js";
import { userError } from "../../core/errors.js";
import { refuseNonImageFiles } from "../../media/check-inputs.js";
import type { SlackAsk } from "./conversation.js";
import { imageFiles, type SlackDeps, type SlackFileRef } from "./deps.js";
import { submitSlackRun } from "./intake.js";

/** `blend a snowy evening --aspect landscape` → `a snowy evening --aspect landscape`; else undefined. */
export function blendText(text: string): string | undefined {
  const match = /^blend(?:\s+([\s\S]*))?$/i.exec(text.trim());
  return match ? (match[1] ?? "") : undefined;
}

/**
 * `@imagine blend [prompt] [--flags]` in a message with 2 to 5 images: the flags of `/blend` (commands/), the
 * message's images, everything counted and checked before anything is fetched; answered in a thread under it.
 * @throws `UserError` with the exact problem; nothing is sent to OpenAI then.
 */
export async function handleBlendAsk(deps: SlackDeps, ask: SlackAsk, text: string): Promise<void> {
  const { raw, attachmentFlags } = parseFlagText(blendCommand, text);
  const [flag] = attachmentFlags;
  if (flag !== undefined) throw userError("slack_flag_needs_file", { flag, typed: "mention" });
  const args = parseCommandOptions(blendCommand, raw);
  if (args.private === true) throw userError("slack_private_mention");
  refuseNonImageFiles(ask.files.map((file) => ({ name: file.name ?? file.id, contentType: file.mimetype })));
  const files = imageFiles(ask.files);
  const options = blendOptions(args, files.length);
  const defaults = operatorDefaults(deps.context.config.openai);
  const { team, channel, user } = ask;
  await submitSlackRun(deps, {
    team,
    channel,
    user,
    threadTs: ask.threadTs ?? ask.ts,
    ask: { options, defaults },
    files,
  });
}

/** Where the "Blend images" shortcut was used. */
export interface BlendTarget {
  team: string;
  channel: string;
  ts: string;
  threadTs?: string;
}

/**
 * "Blend images" on a message: a bot result's stored originals, or the message's image files, blended at once
 * in its thread.
 * @throws `UserError` (`blend_image_count` and the intake's) before anything is fetched or reserved.
 */
export async function blendMessage(deps: SlackDeps, target: BlendTarget, user: string): Promise<void> {
  const root = target.threadTs ?? target.ts;
  const place = { team: target.team, channel: target.channel, user, threadTs: root };
  const defaults = operatorDefaults(deps.context.config.openai);
  const runId = await deps.messageRuns.runOf(target.channel, target.ts);
  if (runId !== undefined) {
    const { request, storedImageKeys } = await blendRun(deps.context.runs, runId, defaults);
    await submitSlackRun(deps, { ...place, ask: { request }, storedImageKeys });
    return;
  }
  const replies = await deps.client.conversations.replies({ channel: target.channel, ts: root });
  const message = replies.messages?.find((candidate) => candidate.ts === target.ts);
  const files = imageFiles((message?.files ?? []) as SlackFileRef[]);
  await submitSlackRun(deps, { ...place, ask: { options: blendOptions({}, files.length), defaults }, files });
}
