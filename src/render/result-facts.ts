import { formatCost } from "../budget/job-cost.js";
import type { RenderResult } from "./renderer.js";

/**
 * The short facts under every result, the same on every platform: model, size, quality, job id and what it
 * cost ("~" when estimated because OpenAI reported no usage). Each platform only decides how to mark them up.
 */
export interface ResultFacts {
  model: string;
  size: string;
  quality: string;
  jobId: string;
  cost?: string;
}

export function resultFacts(result: RenderResult): ResultFacts {
  const { request, cost } = result;
  return {
    model: request.model,
    size: result.size ?? request.size,
    quality: result.quality ?? request.quality,
    jobId: result.jobId,
    ...(cost ? { cost: `${cost.source === "estimate" ? "~" : ""}${formatCost(cost)}` } : {}),
  };
}
