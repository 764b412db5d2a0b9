import { metrics } from "../metrics.js";
import type { RunMetadata } from "../storage/run-store.js";

/** A run whose images were made and stored: its times, tokens and cost, from what `metadata.json` says. */
export function recordMadeRun(metadata: RunMetadata, platform: string): void {
  const { api, model } = metadata.request;
  const { totalMs, firstPartialMs } = metadata.timings;
  if (totalMs !== undefined) metrics.jobDuration.observe({ platform, api }, totalMs / 1000);
  if (firstPartialMs !== undefined) metrics.firstPartial.observe({ api }, firstPartialMs / 1000);
  const cost = metadata.cost;
  if (cost === undefined) return;
  metrics.tokens.inc({ model, kind: "input_text" }, cost.inputTokens.text);
  metrics.tokens.inc({ model, kind: "input_image" }, cost.inputTokens.image);
  metrics.tokens.inc({ model, kind: "output" }, cost.outputTokens);
  metrics.dollars.inc({ model }, cost.dollars);
}

/** How a job ended for good: made and shown, failed, or cancelled (by a person or a stopping worker). */
export function recordJobEnd(platform: string, outcome: "completed" | "failed" | "cancelled"): void {
  metrics.jobsFinished.inc({ platform, outcome });
}
