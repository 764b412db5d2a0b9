import type { Job } from "bullmq";
import type { JobResult, JobSpec } from "../core/job-spec.js";
import type { Renderer } from "./renderer.js";

export type RendererFactory = (spec: JobSpec, job: Job<JobSpec, JobResult>) => Renderer;

/** Maps `reply.kind` to the platform's renderer factory; each process registers the platforms it serves. */
export class RendererRegistry {
  private readonly factories = new Map<string, RendererFactory>();

  register(kind: string, factory: RendererFactory): this {
    this.factories.set(kind, factory);
    return this;
  }

  /** Whether this process can show a job of this reply kind (it has the platform's token). */
  has(kind: string): boolean {
    return this.factories.has(kind);
  }

  create(spec: JobSpec, job: Job<JobSpec, JobResult>): Renderer {
    const factory = this.factories.get(spec.reply.kind);
    if (factory === undefined) {
      throw new Error(`No renderer for reply kind "${spec.reply.kind}" in this process`);
    }
    return factory(spec, job);
  }
}
