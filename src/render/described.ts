import { formatCost } from "../budget/job-cost.js";
import { clip } from "./clip.js";
import type { RenderResult } from "./renderer.js";

/** Each prompt is kept whole up to this many characters: three fit Discord's 2,000 with the facts. */
const PROMPT_MAX = 550;

/** What a Describe's result says, the same on every platform; each marks it up its own way. */
export interface DescribedView {
  prompts: string[];
  /** The text model, job id and cost ("~" when estimated). */
  model: string;
  jobId: string;
  cost?: string;
}

export function describedView(result: RenderResult): DescribedView {
  const { cost } = result;
  return {
    prompts: (result.described?.prompts ?? []).map((prompt) => clip(prompt.trim(), PROMPT_MAX)),
    model: result.described?.model ?? result.request.model,
    jobId: result.jobId,
    ...(cost ? { cost: `${cost.source === "estimate" ? "~" : ""}${formatCost(cost)}` } : {}),
  };
}

/** The sentence above the prompts. */
export const DESCRIBED_HEADING = "Prompts that would make this image again; press Use to make one:";
