import type { REST } from "@discordjs/rest";
import { MessageFlags } from "discord-api-types/v10";
import { finalsUnstored, resultActions } from "../../actions/registry.js";
import type { UserError } from "../../core/errors.js";
import type { ImageBytes } from "../../core/images.js";
import type { JobSpec } from "../../core/job-spec.js";
import type { OriginalLinks } from "../../links/original-links.js";
import type { Logger } from "../../logger.js";
import { PartialProgress } from "../../render/partial-progress.js";
import type { Renderer, RenderResult } from "../../render/renderer.js";
import type { ThreadStore } from "../../stores/threads.js";
import { cancelButtons, describedButtons, resultButtons } from "./buttons.js";
import { previewImage, type UploadImage, uploadsFor } from "./fit-image.js";
import { type GalleryImage, galleryComponents } from "./gallery.js";
import { type MessageBody, MessageEditor } from "./message-editor.js";
import type { DiscordReply } from "./reply-target.js";
import {
  answerContent,
  cancelledContent,
  describedContent,
  progressContent,
  queuedStage,
  type ResultNote,
  resultContent,
  statusModel,
} from "./result-message.js";
import type { InteractionTokens } from "./token-store.js";

const asFile = (image: UploadImage) => ({
  name: image.name,
  data: image.bytes,
  contentType: image.contentType,
});

/** New uploads only: the `attachments` array drops every earlier file (the previous frame). */
const onlyNew = (images: UploadImage[]) =>
  images.map((image, index) => ({ id: index, filename: image.name }));

/**
 * Shows a job in its Discord reply: progress text, each partial replacing the previous frame, then the
 * final images (fitted under the upload limit) with the result buttons. Wrapped by the worker's
 * `CoalescingRenderer`, so each call is one edit and the final is always delivered.
 */
export class DiscordRenderer implements Renderer {
  private readonly editor: MessageEditor;
  private modelText = "";
  /** What the progress says the job is doing; the model's text streams under it, a frame shown or not. */
  private stage = "Generating…";
  private readonly progress: PartialProgress;

  private readonly threads: ThreadStore;
  private readonly originals: OriginalLinks;
  private readonly studio: boolean;

  constructor(
    rest: REST,
    private readonly reply: DiscordReply,
    private readonly spec: JobSpec,
    deps: {
      threads: ThreadStore;
      originals: OriginalLinks;
      tokens: InteractionTokens;
      logger: Logger;
      /** The web studio is on and reachable: results offer Edit region. */
      studio?: boolean;
    },
  ) {
    this.studio = deps.studio ?? false;
    this.editor = new MessageEditor(rest, reply, deps.tokens, deps.logger);
    this.progress = new PartialProgress(spec.request.partials);
    this.threads = deps.threads;
    this.originals = deps.originals;
  }

  async queued(position: number): Promise<void> {
    await this.editor.edit({
      content: progressContent(statusModel(this.spec), queuedStage(position), ""),
      components: this.cancel,
    });
  }

  async started(resumed = false): Promise<void> {
    this.stage = resumed ? "Resuming…" : this.spec.kind === "describe" ? "Describing…" : "Generating…";
    await this.editor.edit({
      content: progressContent(statusModel(this.spec), this.stage, this.modelText),
      components: this.cancel,
    });
  }

  async partial(image: ImageBytes, index: number): Promise<void> {
    // The token's Redis read and the preview go on at once: neither waits for the other.
    const token = this.editor.token();
    const preview = await previewImage(image, `partial_${index}`, this.reply.attachmentSizeLimit);
    this.stage = `Drawing… (partial ${this.progress.label(index)})`;
    await this.editor.edit(
      {
        content: progressContent(statusModel(this.spec), this.stage, this.modelText),
        attachments: onlyNew([preview]),
        components: this.cancel,
      },
      [asFile(preview)],
      token,
    );
  }

  /** Edits the content only: the frame already shown stays (an edit without `attachments` keeps them). */
  async text(delta: string): Promise<void> {
    this.modelText += delta;
    await this.editor.edit({
      content: progressContent(statusModel(this.spec), this.stage, this.modelText),
      components: this.cancel,
    });
  }

  async completed(result: RenderResult): Promise<void> {
    if (result.described) {
      await this.editor.edit({
        content: describedContent(result),
        attachments: [],
        components: describedButtons(result.runId, result.described.prompts.length),
      });
      return;
    }
    if (result.images.length === 0) return this.answered(result);
    const uploads: UploadImage[] = [];
    const shown: GalleryImage[] = [];
    const notes: ResultNote[] = [];
    for (const [index, image] of result.images.entries()) {
      const fitted = await uploadsFor(image, `${result.jobId}_${index}`, this.reply.attachmentSizeLimit);
      uploads.push(...fitted);
      const file = fitted[0]?.name ?? "";
      shown.push({ file, description: `Image ${index + 1}: ${result.request.prompt}` });
      const changed = fitted.flatMap((upload) => (upload.note ? [upload.note] : []));
      if (changed.length === 0) continue;
      // Shown altered: the note says how, and links the original when a link can be made.
      const key = result.imageKeys[index];
      const url = key === undefined ? undefined : await this.originals.linkTo(key);
      const original = url === undefined ? {} : { original: { url, days: this.originals.days } };
      notes.push({ text: changed.join(" "), ...original });
    }
    const text = resultContent(result, notes, this.modelText);
    const message = await this.editor.edit(
      { ...this.resultView(result, text, shown), attachments: onlyNew(uploads) },
      uploads.map(asFile),
    );
    if (this.spec.thread) await this.threads.setMessageId(this.spec.thread, result.jobId, message.id);
  }

  /** A turn the model answered in words: the answer replaces the progress (and any frame shown). */
  private async answered(result: RenderResult): Promise<void> {
    const { inThread, webhookOnly } = this.reply;
    const message = await this.editor.edit({
      content: answerContent(result, this.modelText),
      attachments: [],
      components: resultButtons(result.jobId, { inThread, webhookOnly, answer: true }),
    });
    if (this.spec.thread) await this.threads.setMessageId(this.spec.thread, result.jobId, message.id);
  }

  async failed(error: UserError): Promise<void> {
    const content =
      error.code === "cancelled" ? cancelledContent(this.spec.request.model) : `⚠️ ${error.message}`;
    await this.editor.edit({ content, attachments: [], components: [] });
  }

  /**
   * One image keeps the classic layout (content above, buttons below); several become a Components V2 gallery,
   * each image with its own actions. Its text display says what the classic content says.
   */
  private resultView(result: RenderResult, text: string, shown: GalleryImage[]): MessageBody {
    const { inThread, webhookOnly } = this.reply;
    const where = { inThread, webhookOnly, unstored: finalsUnstored(result), studio: this.studio };
    if (result.images.length <= 1) return { content: text, components: resultButtons(result.jobId, where) };
    const actions = resultActions({ platform: "discord", ...where }, shown.length);
    return {
      flags: MessageFlags.IsComponentsV2,
      components: galleryComponents({ runId: result.runId, text, images: shown, actions }),
    };
  }

  /** Every progress edit carries the Cancel button; the result and failure views replace it. */
  private get cancel() {
    return cancelButtons(this.spec.runId);
  }
}
