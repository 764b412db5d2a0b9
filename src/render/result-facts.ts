import { formatCost } from "../budget/job-cost.js";
import { modelNotices } from "./model-notices.js";
import type { RenderResult } from "./renderer.js";

/**
 * The short facts under every result, the same on every platform: draft or not, model, size, quality, job id
 * and what it cost ("~" when estimated because OpenAI reported no usage), and the model's notices (a retired
 * default mapped, a shutdown coming). Each platform only decides how to mark them up.
 */
export interface ResultFacts {
  /** Asked for as a draft: the word leads the line, so a draft is never taken for a finished image. */
  draft: boolean;
  model: string;
  size: string;
  quality: string;
  jobId: string;
  cost?: string;
  /** Whole sentences, each shown on a line of its own under the facts. */
  notices: string[];
}

export function resultFacts(result: RenderResult): ResultFacts {
  const { request, cost } = result;
  return {
    draft: request.draft === true,
    model: request.model,
    size: result.size ?? request.size,
    quality: result.quality ?? request.quality,
    jobId: result.jobId,
    notices: modelNotices(request),
    ...(cost ? { cost: `${cost.source === "estimate" ? "~" : ""}${formatCost(cost)}` } : {}),
  };
}
