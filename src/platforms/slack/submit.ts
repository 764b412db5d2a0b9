import type { webApi } from "@slack/bolt";

type WebClient = webApi.WebClient;

import type { ImageRequest } from "../../core/request.js";
import type { EngineInputs } from "../../engine/events.js";
import { prepareInputs, type RawFile } from "../../media/check-inputs.js";
import type { ThreadRef } from "../../queue/job-spec.js";
import { positionIfQueuedNow } from "../../queue/queue-position.js";
import { enqueueRun } from "../../queue/submit.js";
import { newRunId } from "../../storage/run-id.js";
import type { PlatformContext } from "../platform.js";
import { queuedState, statusBlocks, statusText } from "./blocks.js";
import { downloadPrivate } from "./files.js";
import type { SlackMessageRuns } from "./message-runs.js";
import type { ResolvedSlackOptions } from "./options.js";
import type { SlackReply } from "./reply-target.js";

/** What the listeners share: the process's context and the platform's own pieces. */
export interface SlackDeps {
  context: PlatformContext;
  client: WebClient;
  token: string;
  options: ResolvedSlackOptions;
  messageRuns: SlackMessageRuns;
}

/** A file as Slack events and `conversations.replies` describe it. */
export interface SlackFileRef {
  id?: string;
  name?: string | null;
  mimetype?: string;
  url_private?: string;
  size?: number;
}

/** The files among `files` that `downloadImages` fetches: images with a download URL. */
export function imageFiles(files: readonly SlackFileRef[]): SlackFileRef[] {
  return files.filter((file) => file.mimetype?.startsWith("image/") && file.url_private);
}

/**
 * Downloads the images among `files` (from Slack's hosts only, capped); their bytes are checked later. Call it
 * only once the options and the count (`imageFiles(files).length`) have passed, so a refusal costs no download.
 */
export async function downloadImages(deps: SlackDeps, files: readonly SlackFileRef[]): Promise<RawFile[]> {
  const images: RawFile[] = [];
  for (const file of imageFiles(files)) {
    const name = file.name ?? file.id ?? "image";
    const bytes = await downloadPrivate(file.url_private ?? "", deps.token, deps.options, {
      name,
      declaredBytes: file.size,
    });
    images.push({ name, bytes });
  }
  return images;
}

export interface SlackRun {
  team: string;
  channel: string;
  user: string;
  /** Post the status message in this thread (a reply), or in the channel when absent. */
  threadTs?: string;
  request: ImageRequest;
  images?: RawFile[];
  /** Inputs already in storage (an earlier result), sent before `images`. */
  storedImageKeys?: string[];
  storedMaskKey?: string;
  /**
   * The conversation the run belongs to; by default the status message's thread, so that a reply under
   * any result can continue its Responses chain.
   */
  thread?: ThreadRef;
}

/** A Slack thread as the thread store addresses it: the team and the thread's root ts. */
export function slackThread(team: string, rootTs: string): ThreadRef {
  return { platform: "slack", workspace: team, thread: rootTs };
}

/**
 * Posts the status message, then enqueues the job that edits it: the job must know the message's ts, so
 * the message comes first ("queued", with the position), and nothing but the worker edits it afterwards.
 */
export async function submitSlackRun(deps: SlackDeps, run: SlackRun): Promise<{ runId: string; ts: string }> {
  const inputs: EngineInputs = await prepareInputs(run.images ?? []);
  const runId = newRunId();
  const { request } = run;
  const position = await positionIfQueuedNow(deps.context.queue);
  const state = queuedState(position);
  const posted = await deps.client.chat.postMessage({
    channel: run.channel,
    text: statusText(run.user, request.prompt, state),
    blocks: statusBlocks(run.user, request.prompt, state),
    ...(run.threadTs ? { thread_ts: run.threadTs } : {}),
  });
  const ts = posted.ts;
  if (!ts) throw new Error("chat.postMessage returned no ts");
  await deps.messageRuns.remember(run.channel, ts, runId);
  if (run.threadTs) await deps.messageRuns.rememberRoot(run.channel, run.threadTs, runId);
  const reply: SlackReply = {
    kind: "slack",
    team: run.team,
    channel: run.channel,
    ts,
    ...(run.threadTs ? { threadTs: run.threadTs } : {}),
    user: run.user,
  };
  const enqueued = enqueueRun(
    deps.context.queue,
    deps.context.runs,
    {
      runId,
      request,
      inputs,
      ...(run.storedImageKeys?.length ? { storedImageKeys: run.storedImageKeys } : {}),
      ...(run.storedMaskKey ? { storedMaskKey: run.storedMaskKey } : {}),
      user: { platform: "slack", id: run.user, workspace: run.team },
      thread: run.thread ?? slackThread(run.team, run.threadTs ?? ts),
      reply,
    },
    deps.context.limits,
  );
  // Refused at the queue (a person's limit, Redis down): no "queued" message may be left behind.
  await enqueued.catch(async (error: unknown) => {
    await deps.client.chat.delete({ channel: run.channel, ts }).catch(() => undefined);
    throw error;
  });
  return { runId, ts };
}
