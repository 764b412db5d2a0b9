import { isMainThread } from "node:worker_threads";
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

/**
 * Every metric the bot exports, in one process-wide registry: the worker, the engine and the renderers count
 * here, and `/metrics` (`http-endpoint.ts`) reads it. Names follow Prometheus' conventions (base units,
 * `_total` for counters); labels take few values (platforms, APIs, models, reasons), never ids.
 */
export const registry = new Registry();
// Process-wide figures (CPU, memory, handles) once per process: `npm start`'s worker thread would count them twice.
if (isMainThread) collectDefaultMetrics({ register: registry });

/** Buckets for a whole job or a first partial: seconds to minutes. */
const JOB_SECONDS = [1, 2.5, 5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600];
/** Buckets for one platform edit: milliseconds to seconds. */
const EDIT_SECONDS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const metrics = {
  jobsFinished: new Counter({
    name: "imagine_jobs_finished_total",
    help: "Jobs that ended, by platform and outcome (completed, failed, cancelled)",
    labelNames: ["platform", "outcome"] as const,
    registers: [registry],
  }),
  jobDuration: new Histogram({
    name: "imagine_job_duration_seconds",
    help: "From a job's start in a worker to its images stored, by platform and API",
    labelNames: ["platform", "api"] as const,
    buckets: JOB_SECONDS,
    registers: [registry],
  }),
  firstPartial: new Histogram({
    name: "imagine_first_partial_seconds",
    help: "From a job's start in a worker to its first partial image, by API",
    labelNames: ["api"] as const,
    buckets: JOB_SECONDS,
    registers: [registry],
  }),
  partialToEdit: new Histogram({
    name: "imagine_partial_to_edit_seconds",
    help: "From a partial image reaching the worker to the platform taking the edit that shows it",
    labelNames: ["platform"] as const,
    buckets: EDIT_SECONDS,
    registers: [registry],
  }),
  openaiErrors: new Counter({
    name: "imagine_openai_errors_total",
    help: "Failed OpenAI attempts by class: retried (rate_limited, server_error, connection, stream_cut) or final (the error code)",
    labelNames: ["class"] as const,
    registers: [registry],
  }),
  tokens: new Counter({
    name: "imagine_openai_tokens_total",
    help: "Tokens OpenAI reported (or the bot estimated) for finished jobs, by image model and kind",
    labelNames: ["model", "kind"] as const,
    registers: [registry],
  }),
  dollars: new Counter({
    name: "imagine_openai_cost_dollars_total",
    help: "What finished jobs cost, in dollars, by image model",
    labelNames: ["model"] as const,
    registers: [registry],
  }),
  platformRateLimited: new Counter({
    name: "imagine_platform_rate_limited_total",
    help: "Requests a chat platform answered with a rate limit (429), by platform",
    labelNames: ["platform"] as const,
    registers: [registry],
  }),
};
