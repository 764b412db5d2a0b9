import type { webApi } from "@slack/bolt";

type WebClient = webApi.WebClient;

import sharp from "sharp";
import { extensionFor } from "../../core/content-types.js";
import { type UserError, userError } from "../../core/errors.js";
import type { ImageBytes } from "../../core/images.js";
import type { JobSpec, ThreadRef } from "../../core/job-spec.js";
import type { OriginalLinks } from "../../links/original-links.js";
import type { Logger } from "../../logger.js";
import { PartialProgress } from "../../render/partial-progress.js";
import type { Renderer, RenderResult } from "../../render/renderer.js";
import type { ThreadStore } from "../../stores/threads.js";
import { setAssistantStatus } from "./assistant-status.js";
import {
  type Asked,
  cancelledText,
  failedText,
  frameBlocks,
  type OriginalLink,
  queuedState,
  resultBlocks,
  resultText,
  statusBlocks,
  statusText,
} from "./blocks.js";
import { describedBlocks, describedText } from "./described-blocks.js";
import { uploadFile, waitUntilReady } from "./files.js";
import type { GalleryLayout, ResultImage } from "./gallery-blocks.js";
import type { SlackMessageRuns } from "./message-runs.js";
import type { ResolvedSlackOptions } from "./options.js";
import type { SlackReply } from "./reply-target.js";
import { SlackTextStream } from "./text-stream.js";

export interface SlackRendererDeps {
  client: WebClient;
  token: string;
  options: ResolvedSlackOptions;
  threads: ThreadStore;
  originals: OriginalLinks;
  messageRuns: SlackMessageRuns;
  logger: Logger;
  /** Whether Slack refused a carousel in this process (one per process: every renderer shares it). */
  carousels: { refused: boolean };
  /** Whether Slack refused text streaming in this process (shared like `carousels`). */
  streams: { refused: boolean };
  /** The web studio is on and reachable: results offer Edit region. */
  studio?: boolean;
}

export interface SlackJob {
  reply: SlackReply;
  /** For the Cancel button under every progress view. */
  runId: string;
  prompt: string;
  partials: number;
  thread?: ThreadRef;
  /** A Describe draws nothing: its status says it is describing. */
  kind?: JobSpec["kind"];
}

/** A message's text (notifications, screen readers) and its blocks. */
interface SlackView {
  text: string;
  blocks: ReturnType<typeof statusBlocks>;
}

/** The Web API's error code of a failed call (`invalid_blocks`…), or undefined for any other failure. */
function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === "string" ? data.error : undefined;
}

/** Image blocks show png, jpeg and gif only. */
const SHOWN_FORMATS = new Set(["png", "jpeg", "gif"]);

/**
 * Shows a job in its status message through the Web API: each partial frame is uploaded privately, shown
 * in an image block once Slack has processed it, and the frame before it deleted; the finals are shared in
 * the thread and the status message becomes the result with its buttons. Edits of one message are spaced
 * by `minEditIntervalMs`; 429s are waited out by the Web API client (`retry-after`). The worker's
 * `CoalescingRenderer` keeps only the newest frame while one is in flight.
 */
export class SlackRenderer implements Renderer {
  private lastEditAt = 0;
  private frameFileId: string | undefined;
  private written = "";
  /** The shown frame's place in the stream ("frame 1/2"), while one is shown. */
  private frameLabel: string | undefined;
  private readonly progress: PartialProgress;
  private readonly stream: SlackTextStream;

  constructor(
    private readonly deps: SlackRendererDeps,
    private readonly job: SlackJob,
  ) {
    this.progress = new PartialProgress(job.partials);
    const { client, logger, streams, options } = deps;
    this.stream = new SlackTextStream(
      { client, logger, streams, minIntervalMs: options.minEditIntervalMs },
      job.reply,
    );
  }

  async queued(position: number): Promise<void> {
    await this.edit(this.status(queuedState(position)));
    await setAssistantStatus(this.deps.client, this.job.reply, "queued", this.deps.logger);
  }

  async started(resumed = false): Promise<void> {
    const working = this.job.kind === "describe" ? "describing…" : "drawing…";
    await this.edit(this.status(resumed ? "resuming…" : working));
    await setAssistantStatus(this.deps.client, this.job.reply, "drawing", this.deps.logger);
  }

  async partial(image: ImageBytes, index: number): Promise<void> {
    const frame = await shownFrame(image);
    const fileId = await uploadFile(this.deps.client, this.deps.token, this.deps.options, {
      name: `frame_${index}.${frame.extension}`,
      bytes: frame.bytes,
    });
    if (!(await waitUntilReady(this.deps.client, fileId, this.deps.options))) {
      await this.deleteFile(fileId);
      return;
    }
    const label = `frame ${this.progress.label(index)}`;
    try {
      await this.edit(this.status(this.drawingState(label), fileId));
    } catch (error) {
      await this.deleteFile(fileId);
      throw error;
    }
    const previous = this.frameFileId;
    this.frameFileId = fileId;
    this.frameLabel = label;
    if (previous) await this.deleteFile(previous);
  }

  /**
   * The model's words stream as a reply in the run's thread; where Slack cannot stream them, the status
   * message shows their latest part, beside the frame when one is shown.
   */
  async text(delta: string): Promise<void> {
    this.written += delta;
    if (await this.stream.append(delta)) return;
    await this.edit(this.status(this.drawingState(this.frameLabel), this.frameFileId));
  }

  /** "drawing…", the frame shown, and the model's latest words unless they stream in the thread. */
  private drawingState(frame: string | undefined): string {
    const words = this.stream.carriesText ? "" : this.written.slice(-200);
    return ["drawing…", frame, words].filter(Boolean).join(" ");
  }

  async completed(result: RenderResult): Promise<void> {
    const { reply } = this.job;
    // Words the thread shows in full are not repeated in the result.
    const wordsInThread = await this.stream.stop(result.text);
    if (this.stream.ts) await this.deps.messageRuns.rememberWords(result.runId, this.stream.ts);
    if (result.described) {
      await this.edit({
        text: describedText(reply.user, result),
        blocks: describedBlocks(reply.user, result),
      });
      await setAssistantStatus(this.deps.client, reply, "done", this.deps.logger);
      return;
    }
    const destination = { channel: reply.channel, threadTs: reply.threadTs ?? reply.ts };
    // Each final is remembered as soon as it is shared: a retry after a failure further on (the status edit,
    // a later upload) shares only what is missing, so the thread never shows an image twice.
    const shared = await this.deps.messageRuns.files(result.runId);
    for (const [index, image] of result.images.entries()) {
      if (index < shared.length) continue;
      const fileId = await uploadFile(
        this.deps.client,
        this.deps.token,
        this.deps.options,
        {
          name: `${result.runId}_${index}.${extensionFor(image.format)}`,
          bytes: image.bytes,
          title: `${result.request.prompt.slice(0, 80)} (${index + 1}/${result.images.length})`,
        },
        destination,
      );
      await this.deps.messageRuns.addFiles(result.runId, [fileId]);
      shared.push(fileId);
    }
    // The result message shows the finals it can (png, jpeg, gif) once Slack has processed them.
    const images: ResultImage[] = [];
    const originals: OriginalLink[] = [];
    for (const [index, fileId] of shared.entries()) {
      const format = result.images[index]?.format ?? "png";
      if (SHOWN_FORMATS.has(format) && (await waitUntilReady(this.deps.client, fileId, this.deps.options))) {
        images.push({ index, fileId });
        continue;
      }
      images.push({ index });
      // Not shown in the message (the file is in the thread): its original gets a link when one can be made.
      const key = result.imageKeys[index];
      const url = key === undefined ? undefined : await this.deps.originals.linkTo(key);
      if (url) originals.push({ index, format, url });
    }
    const text = wordsInThread ? undefined : (result.text ?? (this.written || undefined));
    const links = { links: originals, days: this.deps.originals.days };
    await this.showResult((layout) => ({
      text: resultText(reply.user, result),
      blocks: resultBlocks(reply.user, result, images, text, links, layout, this.deps.studio),
    }));
    if (this.frameFileId) await this.deleteFile(this.frameFileId);
    this.frameFileId = undefined;
    if (this.job.thread) {
      await this.deps.threads.setMessageId(this.job.thread, result.jobId, reply.ts);
    }
    await setAssistantStatus(this.deps.client, reply, "done", this.deps.logger);
  }

  async failed(error: UserError): Promise<void> {
    const { reply } = this.job;
    await this.stream.stop();
    const text =
      error.code === "cancelled"
        ? cancelledText(this.asked())
        : failedText(this.asked(), await this.sayWhereShared(error));
    await this.edit({ text, blocks: [] });
    if (this.frameFileId) await this.deleteFile(this.frameFileId);
    this.frameFileId = undefined;
    await setAssistantStatus(this.deps.client, reply, "done", this.deps.logger);
  }

  /**
   * A gallery goes out as a carousel unless this process saw Slack refuse one; a carousel refused with
   * `invalid_blocks` is sent once more as image blocks with menus, and when those pass, carousels are what
   * Slack refused here (a workspace without them): later results go as image blocks from the start.
   */
  private async showResult(view: (layout: GalleryLayout) => SlackView): Promise<void> {
    const carousel = view("carousel");
    const hasCarousel = carousel.blocks.some((block) => block.type === "carousel");
    if (!hasCarousel || this.deps.carousels.refused) {
      await this.edit(hasCarousel ? view("image-menus") : carousel);
      return;
    }
    try {
      await this.edit(carousel);
    } catch (error) {
      if (slackErrorCode(error) !== "invalid_blocks") throw error;
      await this.edit(view("image-menus"));
      this.deps.carousels.refused = true;
      this.deps.logger.warn(
        { err: error },
        "Slack refused a carousel; galleries go as image blocks from now on",
      );
    }
  }

  /**
   * A result Slack would not show in the status message may already be shared in the thread (the finals go
   * there first): the status then says where it is, instead of only that it was not posted.
   */
  private async sayWhereShared(error: UserError): Promise<UserError> {
    if (error.code !== "delivery_failed") return error;
    const { runId, reply } = this.job;
    const shared = await this.deps.messageRuns.files(runId).catch(() => []);
    if (shared.length === 0) return error;
    return userError("slack_result_in_thread", {
      images: shared.length,
      runId,
      inThread: reply.threadTs !== undefined,
    });
  }

  /** The status message while the run waits or draws, with the frame `frameFileId` when one is shown. */
  private status(state: string, frameFileId?: string): SlackView {
    const asked = this.asked();
    const { runId } = this.job;
    return {
      text: statusText(asked, state),
      blocks:
        frameFileId === undefined
          ? statusBlocks(asked, state, runId)
          : frameBlocks(asked, state, frameFileId, runId),
    };
  }

  private asked(): Asked {
    const { reply, prompt, kind } = this.job;
    return { user: reply.user, prompt, kind };
  }

  private async edit(content: SlackView): Promise<void> {
    const wait = this.lastEditAt + this.deps.options.minEditIntervalMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const { reply } = this.job;
    try {
      await this.deps.client.chat.update({ channel: reply.channel, ts: reply.ts, ...content });
    } finally {
      this.lastEditAt = Date.now();
    }
  }

  private async deleteFile(fileId: string): Promise<void> {
    await this.deps.client.files.delete({ file: fileId }).catch((error: unknown) => {
      this.deps.logger.warn({ err: error, fileId }, "old frame not deleted");
    });
  }
}

/** Frames in a format image blocks cannot show (webp) are converted to png first. */
async function shownFrame(image: ImageBytes): Promise<{ bytes: Buffer; extension: string }> {
  if (SHOWN_FORMATS.has(image.format)) return { bytes: image.bytes, extension: extensionFor(image.format) };
  return { bytes: await sharp(image.bytes).png().toBuffer(), extension: "png" };
}
