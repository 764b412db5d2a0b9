import type { RunCost } from "../budget/job-cost.js";
import type { UserError } from "../core/errors.js";
import type { ImageBytes, Usage } from "../core/images.js";
import type { ImageRequest } from "../core/request.js";
import type { WebSource } from "../core/web-sources.js";

/** What a renderer shows when a run succeeds. */
export interface RenderResult {
  runId: string;
  jobId: string;
  request: ImageRequest;
  images: ImageBytes[];
  /** Storage keys of `images`, same order; the originals stay there whatever the platform shows. */
  imageKeys: string[];
  revisedPrompt?: string;
  text?: string;
  /** Pages a web search found for a grounded image (`search`): listed under it. */
  sources?: WebSource[];
  usage?: Usage;
  responseId?: string;
  /** What OpenAI reports it produced. */
  size?: string;
  quality?: string;
  /** What the run cost (from `usage`, or estimated). */
  cost?: RunCost;
}

/**
 * How a job's progress reaches a person: one implementation per platform (terminal, Discord, Slack),
 * chosen from `job.data.reply.kind`. Calls arrive in order: `queued`, `started`, any number of `partial`
 * and `text`, then exactly one of `completed` or `failed`.
 */
export interface Renderer {
  queued(position: number): Promise<void>;
  /** `resumed`: the worker that started the job died, and this one picked it up (BullMQ's stalled-job check). */
  started(resumed?: boolean): Promise<void>;
  partial(image: ImageBytes, index: number): Promise<void>;
  text(delta: string): Promise<void>;
  completed(result: RenderResult): Promise<void>;
  failed(error: UserError): Promise<void>;
}
