import { clip as clipText } from "../../render/clip.js";
import { DESCRIBED_HEADING, describedView } from "../../render/described.js";
import type { RenderResult } from "../../render/renderer.js";
import { resultFacts } from "../../render/result-facts.js";
import { listedSources } from "../../render/source-list.js";

/** Discord's message content limit. */
const MAX_CONTENT = 2000;

const clip = (text: string, max: number) => clipText(text.trim(), max);

/** A line under the facts: what was done to an image to show it, and a link to its original when there is one. */
export interface ResultNote {
  text: string;
  original?: { url: string; days: number };
}

/** `[…](<url>)`: the angle brackets keep Discord from adding a preview of the link. */
function noteLine({ text, original }: ResultNote, withLink: boolean): string {
  const link =
    withLink && original ? ` [Open the original](<${original.url}>) (for ${original.days} days)` : "";
  return `-# ${text}${link}`;
}

/**
 * The text of a result, above its images (classic) or in its text display (a gallery): prompt, revised prompt, what
 * the model said, then model, size, quality, job id and notes.
 */
export function resultContent(result: RenderResult, notes: ResultNote[], modelText: string): string {
  const request = result.request;
  const lines = [`**Prompt:** ${clip(request.prompt, 500)}`];
  if (result.enhancedPrompt) lines.push(`**Enhanced prompt:** ${clip(result.enhancedPrompt, 500)}`);
  const drawn = result.enhancedPrompt ?? request.prompt;
  if (result.revisedPrompt && result.revisedPrompt !== drawn) {
    lines.push(`**Revised prompt:** ${clip(result.revisedPrompt, 500)}`);
  }
  const text = result.text ?? modelText;
  if (text.trim() !== "") lines.push(`**Model says:** ${clip(text, 500)}`);
  const facts = resultFacts(result);
  const cost = facts.cost ? ` · ${facts.cost}` : "";
  const draft = facts.draft ? "draft · " : "";
  const factLine = `${draft}\`${facts.model}\` · ${facts.size} · quality ${facts.quality} · job \`${facts.jobId}\`${cost}`;
  // Notes hold links, which a cut would break: they keep their room (half the message at most; a note whose
  // link does not fit goes without it), the facts line stays whole, and the texts above are clipped to what
  // is left.
  const kept: string[] = [];
  const fits = (line: string) => [...kept, line].join("\n").length <= MAX_CONTENT / 2;
  for (const note of notes) {
    const line = [noteLine(note, true), noteLine(note, false)].find(fits);
    if (line === undefined) break;
    kept.push(line);
  }
  // A grounded image's sources share the links' room: each whole or not at all.
  const sources = listedSources(result.sources).map(({ url, label }) => `-# 🔗 [${label}](<${url}>)`);
  for (const line of sources) {
    if (!fits(line)) break;
    kept.push(line);
  }
  const tail = [factLine, ...facts.notices.map((notice) => `-# ⚠️ ${notice}`), ...kept].join("\n");
  return `${clip(lines.join("\n"), MAX_CONTENT - tail.length - 1)}\n${tail}`;
}

/**
 * A turn the model answered in words: the answer (clipped to what the message holds beside its facts), then
 * the job and what it cost. No image, so no model, size or quality.
 */
export function answerContent(result: RenderResult, modelText: string): string {
  const facts = resultFacts(result);
  const cost = facts.cost ? ` · ${facts.cost}` : "";
  const tail = [
    `answer · job \`${facts.jobId}\`${cost}`,
    ...facts.notices.map((notice) => `-# ⚠️ ${notice}`),
  ].join("\n");
  return `${clip(result.text ?? modelText, MAX_CONTENT - tail.length - 1)}\n${tail}`;
}

/** The stage while a job waits: its position when there are jobs ahead of it. */
export const queuedStage = (position: number) => (position > 0 ? `Queued (position ${position})` : "Queued");

/** A job's status while it runs; `model` is the image model drawing it (none for a Describe, which draws nothing). */
export function progressContent(model: string | undefined, stage: string, modelText: string): string {
  const text = modelText.trim() === "" ? "" : `\n${clip(modelText, 1500)}`;
  const drawnBy = model === undefined ? "" : ` · \`${model}\``;
  return clip(`🎨 ${stage}${drawnBy}${text}`, MAX_CONTENT);
}

/** The image model a job's status names: none for a Describe. */
export const statusModel = (status: { kind?: string | undefined; request: { model: string } }) =>
  status.kind === "describe" ? undefined : status.request.model;

/** What a cancelled job's message says, whoever stopped it and wherever it was (waiting or running). */
export function cancelledContent(model: string): string {
  return `🛑 Cancelled · \`${model}\``;
}

/** A Describe's result: its numbered prompts, then the text model, job id and cost. */
export function describedContent(result: RenderResult): string {
  const view = describedView(result);
  const prompts = view.prompts.map((prompt, index) => `**${index + 1}.** ${prompt}`);
  const cost = view.cost ? ` · ${view.cost}` : "";
  const facts = `\`${view.model}\` · job \`${view.jobId}\`${cost}`;
  return clip([DESCRIBED_HEADING, ...prompts, facts].join("\n"), MAX_CONTENT);
}
