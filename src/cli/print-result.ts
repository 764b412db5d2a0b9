import { join, resolve } from "node:path";
import type { RenderResult } from "../render/renderer.js";
import { resultFacts } from "../render/result-facts.js";

/**
 * The summary on stdout: where the run folder is, each final image, what the model said and the pages it searched,
 * draft or not.
 */
export function printResult(
  out: { write(text: string): unknown },
  outDir: string,
  runId: string,
  result: RenderResult,
): void {
  const lines = [`run: ${join(resolve(outDir), runId)}`];
  for (const key of result.imageKeys) lines.push(`image: ${join(resolve(outDir), key)}`);
  if (result.revisedPrompt) lines.push(`revised prompt: ${result.revisedPrompt}`);
  if (result.text) lines.push(`model: ${result.text}`);
  for (const source of result.sources ?? []) {
    lines.push(`source: ${source.url}${source.title ? ` (${source.title})` : ""}`);
  }
  if (result.responseId) lines.push(`response: ${result.responseId}`);
  const { cost, draft, notices } = resultFacts(result);
  if (draft) lines.push(`draft: yes (${result.request.model}, quality ${result.request.quality})`);
  if (cost) lines.push(`cost: ${cost}`);
  for (const notice of notices) lines.push(`notice: ${notice}`);
  out.write(`${lines.join("\n")}\n`);
}
