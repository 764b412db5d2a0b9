import type { RunCost } from "../budget/job-cost.js";
import type { TextModel } from "../engine/text-call.js";
import { textCallCeiling, textCallCost } from "../pricing/text-call.js";
import type { JobAttempt } from "./job-attempt.js";

/** What a text call cost: from its usage, or its ceiling when OpenAI reported none. */
export function textCost(
  usage: Record<string, unknown> | undefined,
  pricing: JobAttempt["deps"]["pricing"],
  ceiling: () => Parameters<typeof textCallCeiling>[0],
): RunCost {
  const reported = textCallCost(usage, pricing.responsesModel, pricing.prices);
  if (reported) return { ...reported, source: "usage" };
  return { ...textCallCeiling(ceiling(), pricing.responsesModel, pricing.prices), source: "estimate" };
}

export function textModelOf(attempt: JobAttempt): TextModel {
  const text = attempt.deps.text;
  if (text === undefined) throw new Error("this worker has no text model for Describe and Enhance");
  return text;
}
