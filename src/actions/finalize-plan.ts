import { formatDollars } from "../budget/budget-scopes.js";
import { reservationFor } from "../budget/job-cost.js";
import { largestSizeOfAspect } from "../core/final-size.js";
import type { ImagineOptions } from "../core/imagine-options.js";
import { defaultModel } from "../core/models.js";
import type { OutputFormat } from "../core/request.js";
import { resolveRequest } from "../core/validate-request.js";
import type { RunStore } from "../storage/run-store.js";
import type { ActionDeps } from "./action.js";
import { chosenImage } from "./chosen-image.js";
import { type FollowUp, followUpShape, sameThreadPlace } from "./follow-ups.js";
import type { Press } from "./press-id.js";

/** Edits take and return raster images; a GIF or SVG result is finalized as a PNG. */
const RASTER: readonly OutputFormat[] = ["png", "jpeg", "webp"];

/**
 * Finalize: the chosen image edited with its own prompt, at the largest size of its aspect on the final model
 * (`FINAL_MODEL`) at that model's top quality, in the same thread place as the original. Only what any model
 * takes is carried over (prompt, API, format, transparency where the final model has it, partials), so a
 * result made with options of another model (complexity, fidelity) is finalized rather than refused.
 */
export async function finalizeRun(runs: RunStore, press: Press, finalModel: string): Promise<FollowUp> {
  const { metadata, key, dimensions } = await chosenImage(runs, press);
  // FINAL_MODEL is the operator's: shut down since the start, it becomes its replacement, as a default does.
  const { model } = defaultModel(finalModel);
  const original = metadata.request;
  const format = RASTER.includes(original.format) ? original.format : "png";
  const options: ImagineOptions = {
    prompt: original.prompt,
    model: model.name,
    api: original.api,
    size: largestSizeOfAspect(dimensions, model),
    quality: model.qualities.at(-1) ?? "auto",
    format,
    ...(original.compression !== undefined && format !== "png" ? { compression: original.compression } : {}),
    ...(original.background === "transparent" && model.transparent !== false && format !== "jpeg"
      ? { background: "transparent" as const }
      : {}),
    partials: original.partials,
  };
  const request = resolveRequest(options, { imageCount: 1, hasMask: false }, { model: model.name });
  const thread = sameThreadPlace(metadata);
  return { request, storedImageKeys: [key], ...(thread ? { thread } : {}) };
}

/** What the person is shown before they confirm: what will be made, and the most it can cost. */
export function finalizeQuote(followUp: FollowUp, deps: Pick<ActionDeps, "config">, image: number): string {
  const { request } = followUp;
  const pricing = { prices: deps.config.prices, responsesModel: deps.config.openai.responsesModel };
  const most = formatDollars(reservationFor(followUpShape(followUp), pricing).micro, "up");
  return [
    `Finalize image ${image + 1}: ${request.size} on \`${request.model}\` at quality ${request.quality}, an edit of it with the same prompt.`,
    `Estimated cost: up to ${most}, reserved from your budget when you confirm (you pay what OpenAI reports).`,
  ].join("\n");
}
