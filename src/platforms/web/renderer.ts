import sharp from "sharp";
import type { UserError } from "../../core/errors.js";
import type { ImageBytes } from "../../core/images.js";
import type { RedisClient } from "../../core/redis-slots.js";
import type { Renderer, RenderResult } from "../../render/renderer.js";
import type { RunStore } from "../../storage/run-store.js";
import { publishStudioEvent, type StudioPerson } from "./channel.js";
import type { StudioEvent, StudioRun } from "./studio-api.js";
import { fileUrl, studioRunOf } from "./studio-run.js";

/** A frame's preview on the page: small enough for an event (the full frame stays in the run folder). */
const PREVIEW_EDGE = 512;

export async function previewDataUrl(image: ImageBytes): Promise<string> {
  const webp = await sharp(image.bytes)
    .resize(PREVIEW_EDGE, PREVIEW_EDGE, { fit: "inside", withoutEnlargement: true })
    .webp({ quality: 70 })
    .toBuffer();
  return `data:image/webp;base64,${webp.toString("base64")}`;
}

/**
 * The studio's renderer: each step of a run is published to its person's channel (`channel.ts`), where every
 * process serving the studio hears it and forwards it to that person's open pages. Nothing but Redis and the
 * run folder links the worker to the page, so the worker may run on any machine. Wrapped in the coalescing
 * renderer: a page that reads slowly gets the newest frame, never a backlog.
 */
export class WebRenderer implements Renderer {
  constructor(
    private readonly deps: { redis: RedisClient; prefix: string; runs: RunStore },
    private readonly run: { runId: string; person: StudioPerson },
  ) {}

  private publish(event: StudioEvent): Promise<void> {
    return publishStudioEvent(this.deps.redis, this.deps.prefix, this.run.person, event);
  }

  queued(position: number): Promise<void> {
    return this.publish({ runId: this.run.runId, type: "queued", position });
  }

  started(resumed = false): Promise<void> {
    return this.publish({ runId: this.run.runId, type: "started", ...(resumed ? { resumed } : {}) });
  }

  async partial(image: ImageBytes, index: number): Promise<void> {
    await this.publish({
      runId: this.run.runId,
      type: "partial",
      index,
      preview: await previewDataUrl(image),
    });
  }

  text(delta: string): Promise<void> {
    return this.publish({ runId: this.run.runId, type: "text", delta });
  }

  async completed(result: RenderResult): Promise<void> {
    // The worker writes the run's metadata before delivering; a run it could not store is shown as it is.
    const metadata = await this.deps.runs.findMetadata(result.runId).catch(() => undefined);
    const run = metadata ? studioRunOf(metadata) : unstoredRun(result);
    await this.publish({ runId: this.run.runId, type: "completed", run });
  }

  failed(error: UserError): Promise<void> {
    const cancelled = error.kind === "cancelled" ? { cancelled: true as const } : {};
    return this.publish({ runId: this.run.runId, type: "failed", error: error.message, ...cancelled });
  }
}

/** A paid result whose metadata storage did not take: its facts from memory, its images where they were put. */
function unstoredRun(result: RenderResult): StudioRun {
  return {
    runId: result.runId,
    status: "completed",
    prompt: result.request.prompt,
    ...(result.revisedPrompt ? { revisedPrompt: result.revisedPrompt } : {}),
    ...(result.text ? { text: result.text } : {}),
    model: result.request.model,
    api: result.request.api,
    inputs: [],
    partials: [],
    finals: result.imageKeys.map((key) => fileUrl(result.runId, key)),
    details: `Job: ${result.jobId}`,
    jobId: result.jobId,
    actions: [],
    timings: {},
    createdAt: new Date().toISOString(),
  };
}
