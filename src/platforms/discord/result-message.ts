import { clip as clipText } from "../../render/clip.js";
import type { RenderResult } from "../../render/renderer.js";
import { resultFacts } from "../../render/result-facts.js";

/** Discord's message content limit. */
const MAX_CONTENT = 2000;

const clip = (text: string, max: number) => clipText(text.trim(), max);

/** The text above the final images: prompt, revised prompt, model, size, quality, job id, notes. */
export function resultContent(result: RenderResult, notes: string[], modelText: string): string {
  const request = result.request;
  const lines = [`**Prompt:** ${clip(request.prompt, 500)}`];
  if (result.revisedPrompt && result.revisedPrompt !== request.prompt) {
    lines.push(`**Revised prompt:** ${clip(result.revisedPrompt, 500)}`);
  }
  const text = result.text ?? modelText;
  if (text.trim() !== "") lines.push(`**Model:** ${clip(text, 500)}`);
  const facts = resultFacts(result);
  const cost = facts.cost ? ` · ${facts.cost}` : "";
  lines.push(`\`${facts.model}\` · ${facts.size} · quality ${facts.quality} · job \`${facts.jobId}\`${cost}`);
  // Notes hold links, which a cut would break: they keep their room (as many as fit in half the message),
  // and the texts above are clipped to what is left.
  const kept: string[] = [];
  for (const note of notes.map((text) => `-# ${text}`)) {
    if ([...kept, note].join("\n").length > MAX_CONTENT / 2) break;
    kept.push(note);
  }
  const tail = kept.join("\n");
  if (tail === "") return clip(lines.join("\n"), MAX_CONTENT);
  return `${clip(lines.join("\n"), MAX_CONTENT - tail.length - 1)}\n${tail}`;
}

/** The stage while a job waits: its position when there are jobs ahead of it. */
export const queuedStage = (position: number) => (position > 0 ? `Queued (position ${position})` : "Queued");

export function progressContent(model: string, stage: string, modelText: string): string {
  const text = modelText.trim() === "" ? "" : `\n${clip(modelText, 1500)}`;
  return clip(`🎨 ${stage} · \`${model}\`${text}`, MAX_CONTENT);
}

/** What a cancelled job's message says, whoever stopped it and wherever it was (waiting or running). */
export function cancelledContent(model: string): string {
  return `🛑 Cancelled · \`${model}\``;
}
