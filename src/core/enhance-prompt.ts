import { ENHANCE_MAX_PROMPT } from "./error-table/studio.js";
import { userError } from "./errors.js";

/** Enhance rewrites the prompt: there must be one, short enough for a rewrite (`ENHANCE_MAX_PROMPT`). */
export function checkEnhancePrompt(prompt: string): void {
  if (prompt.trim() === "") throw userError("enhance_prompt_empty");
  const { length } = prompt;
  if (length > ENHANCE_MAX_PROMPT) {
    throw userError("enhance_prompt_too_long", { length }, { details: { length } });
  }
}
