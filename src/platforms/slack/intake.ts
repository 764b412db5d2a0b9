import type { JobSpec, ThreadRef } from "../../core/job-spec.js";
import type { IntakePort } from "../../intake/intake-port.js";
import type { IntakeRequest } from "../../intake/intake-request.js";
import { submitRequest } from "../../intake/submit-request.js";
import { setAssistantStatus } from "./assistant-status.js";
import { queuedState, statusBlocks, statusText } from "./blocks.js";
import { imageFiles, type SlackDeps, type SlackFileRef, slackThread } from "./deps.js";
import { downloadPrivate } from "./files.js";

/** Where a run is asked for and shown. */
export interface SlackPlace {
  team: string;
  channel: string;
  user: string;
  /** Post the status message in this thread (a reply), or in the channel when absent. */
  threadTs?: string;
  /** The thread is one of Slack's assistant threads: its status line follows the run. */
  assistant?: true;
}

export interface SlackRun extends SlackPlace {
  ask: IntakeRequest["ask"];
  /** Files attached in Slack; the images among them are downloaded once the options pass. */
  files?: readonly SlackFileRef[];
  /** Inputs already in storage (an earlier result), sent before the files. */
  storedImageKeys?: string[] | undefined;
  storedMaskKey?: string | undefined;
  /** A file of `files` that is the markup (`markupFile`): downloaded as such, not as an input image. */
  markup?: SlackFileRef | undefined;
  storedMarkupKey?: string | undefined;
  /**
   * The conversation the run belongs to; by default the status message's thread, so that a reply under
   * any result can continue its Responses chain.
   */
  thread?: ThreadRef | undefined;
  /** A Describe of its one image; absent: images. */
  kind?: JobSpec["kind"];
}

/**
 * Slack's part of the intake: the status is a message the job must know the ts of, so it is posted first
 * ("queued", with the position), remembered for the buttons and thread replies, and deleted when nothing
 * was queued. Refusals are answered by the listener's guard.
 */
export function slackPort(deps: SlackDeps, place: SlackPlace): IntakePort {
  let ts: string | undefined;
  return {
    replyKind: "slack",
    async postStatus({ request, position, runId, kind }) {
      const state = queuedState(position);
      const asked = { user: place.user, prompt: request.prompt, kind };
      const posted = await deps.client.chat.postMessage({
        channel: place.channel,
        text: statusText(asked, state),
        blocks: statusBlocks(asked, state, runId),
        ...(place.threadTs ? { thread_ts: place.threadTs } : {}),
      });
      ts = posted.ts;
      if (!ts) throw new Error("chat.postMessage returned no ts");
      await deps.messageRuns.remember(place.channel, ts, runId);
      if (place.threadTs) await deps.messageRuns.rememberRoot(place.channel, place.threadTs, runId);
      const reply = { kind: "slack" as const, ...place, ts };
      // After the post: a message the app posts in an assistant thread clears its status.
      await setAssistantStatus(deps.client, reply, "queued", deps.context.logger);
      return { reply, thread: slackThread(place.team, place.channel, place.threadTs ?? ts) };
    },
    async withdraw() {
      if (ts) await deps.client.chat.delete({ channel: place.channel, ts }).catch(() => undefined);
    },
  };
}

/** A Slack request through the intake: files fetched from Slack's hosts only, capped, after the options. */
export async function submitSlackRun(deps: SlackDeps, run: SlackRun): Promise<{ runId: string }> {
  const { team, channel, user, threadTs, assistant } = run;
  const slackFile = (file: SlackFileRef) => {
    const name = file.name ?? file.id ?? "image";
    return {
      name,
      download: async () => ({
        name,
        bytes: await downloadPrivate(file.url_private ?? "", deps.token, deps.options, {
          name,
          declaredBytes: file.size,
        }),
      }),
    };
  };
  const images = imageFiles(run.files ?? [])
    .filter((file) => file !== run.markup)
    .map(slackFile);
  return submitRequest(
    deps.context,
    {
      ask: run.ask,
      images,
      storedImageKeys: run.storedImageKeys,
      storedMaskKey: run.storedMaskKey,
      markup: run.markup ? slackFile(run.markup) : undefined,
      storedMarkupKey: run.storedMarkupKey,
      thread: run.thread,
      user: { platform: "slack", id: user, workspace: team },
      ...(run.kind ? { kind: run.kind } : {}),
    },
    slackPort(deps, {
      team,
      channel,
      user,
      ...(threadTs ? { threadTs } : {}),
      ...(assistant ? { assistant } : {}),
    }),
  );
}
