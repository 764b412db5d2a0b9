import type { types } from "@slack/bolt";

type KnownBlock = types.KnownBlock;

import { flagHelp } from "../../../commands/flag-text.js";
import { imagineCommand } from "../../../commands/imagine.js";
import { COMMANDS } from "../../../commands/index.js";
import type { CommandDefinition } from "../../../commands/types.js";
import type { RunDetails } from "../../actions/follow-ups.js";
import { finalsUnstored, resultActions } from "../../actions/registry.js";
import type { UserError } from "../../core/errors.js";
import type { JobSpec } from "../../core/job-spec.js";
import { clip } from "../../render/clip.js";
import type { RenderResult } from "../../render/renderer.js";
import { resultFacts } from "../../render/result-facts.js";
import { listedSources } from "../../render/source-list.js";
import { actionsBlock, runActionsBlock } from "./action-elements.js";
import { type GalleryLayout, galleryBlocks, type ResultImage } from "./gallery-blocks.js";

/**
 * Slack's mrkdwn treats &, < and > as markup: `<!everyone>`, `<!channel>`, `<!here>`, `<@U…>` and links. Every
 * text from people (prompts, and what the model or OpenAI say about them) is escaped wherever the bot echoes
 * it, so it shows as typed and pings nobody; Slack shows `&lt;` as `<`, in code blocks too.
 */
export function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The status while a job waits: its position when there are jobs ahead of it. */
export const queuedState = (position: number) => (position > 0 ? `queued (position ${position})` : "queued");

/** Section text is limited to 3000 characters. */
const SECTION_MAX = 2900;

/** What a job's messages say was asked: the person's prompt, or what a Describe (no words of theirs) does. */
export interface Asked {
  user: string;
  prompt: string;
  kind?: JobSpec["kind"] | undefined;
}

function askedLine({ user, prompt, kind }: Asked): string {
  return kind === "describe"
    ? `<@${user}> asked for prompts that would make this image again`
    : `<@${user}>: ${escapeText(prompt)}`;
}

/** `state` may end with the model's own words (a Responses run's text so far): escaped like the prompt. */
export function statusText(asked: Asked, state: string): string {
  return clip(`${askedLine(asked)}\n_${escapeText(state)}_`, SECTION_MAX);
}

/** The status while a job waits or runs, with its Cancel button (`runId`); the result and failure views drop it. */
export function statusBlocks(asked: Asked, state: string, runId: string): KnownBlock[] {
  return [statusSection(asked, state), actionsBlock("status", runId)];
}

export function frameBlocks(asked: Asked, state: string, fileId: string, runId: string): KnownBlock[] {
  return [
    statusSection(asked, state),
    { type: "image", slack_file: { id: fileId }, alt_text: clip(`Work in progress: ${asked.prompt}`, 1900) },
    actionsBlock("status", runId),
  ];
}

const statusSection = (asked: Asked, state: string): KnownBlock => ({
  type: "section",
  text: { type: "mrkdwn", text: statusText(asked, state) },
});

/** What a cancelled job's message says, whoever stopped it and wherever it was (waiting or running). */
export function cancelledText(asked: Asked): string {
  return clip(`${askedLine(asked)}\n:no_entry_sign: Cancelled`, SECTION_MAX);
}

/** A final the message cannot show (webp, svg), linked to its original in run storage. */
export interface OriginalLink {
  index: number;
  format: string;
  url: string;
}

/**
 * A result: the prompt, what the model said, its images, the facts and the whole-result buttons. One image is
 * an image block; several are a gallery (`layout`), each image with its own actions. `images` lists every final
 * by index, with its file where the message can show it.
 */
export function resultBlocks(
  user: string,
  result: RenderResult,
  images: readonly ResultImage[],
  text: string | undefined,
  originals: { links: OriginalLink[]; days: number } = { links: [], days: 0 },
  layout: GalleryLayout = "carousel",
  /** The web studio is on and reachable: results offer Edit region. */
  studio = false,
): KnownBlock[] {
  const { request } = result;
  const shown = resultFacts(result);
  // The model answered in words: no image, so no model, size or quality, and only the buttons that need none.
  const answer = result.images.length === 0;
  const facts = [
    ...(shown.draft && !answer ? ["draft"] : []),
    ...(answer ? ["answer"] : [`model ${shown.model}`, `size ${shown.size}`, `quality ${shown.quality}`]),
    `job ${shown.jobId}`,
    ...(shown.cost ? [shown.cost] : []),
  ];
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: { type: "mrkdwn", text: clip(`<@${user}>: ${escapeText(request.prompt)}`, SECTION_MAX) },
    },
  ];
  if (result.enhancedPrompt) {
    blocks.push({
      type: "context",
      elements: [
        { type: "mrkdwn", text: clip(`Enhanced prompt: ${escapeText(result.enhancedPrompt)}`, SECTION_MAX) },
      ],
    });
  }
  if (result.revisedPrompt && result.revisedPrompt !== result.enhancedPrompt) {
    blocks.push({
      type: "context",
      elements: [
        { type: "mrkdwn", text: clip(`Revised prompt: ${escapeText(result.revisedPrompt)}`, SECTION_MAX) },
      ],
    });
  }
  if (text)
    blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(escapeText(text), SECTION_MAX) } });
  const actions = resultActions(
    { platform: "slack", unstored: finalsUnstored(result), studio, ...(answer ? { answer } : {}) },
    result.images.length,
  );
  if (actions.perImage.length > 0) {
    blocks.push(...galleryBlocks(layout, images, request.prompt, actions.perImage, result.runId));
  } else {
    for (const { index, fileId } of images) {
      if (fileId === undefined) continue;
      const alt = clip(`Image ${index + 1}: ${request.prompt}`, 1900);
      blocks.push({ type: "image", slack_file: { id: fileId }, alt_text: alt });
    }
  }
  if (originals.links.length > 0) {
    const links = originals.links.map(
      ({ index, format, url }) => `<${url}|Image ${index + 1} (${format.toUpperCase()}, not shown here)>`,
    );
    blocks.push({
      type: "context",
      elements: [{ type: "mrkdwn", text: `Originals, for ${originals.days} days: ${links.join(" · ")}` }],
    });
  }
  // Each link whole or not at all: a cut one would lead nowhere.
  let sourcesText = "";
  for (const { url, label } of listedSources(result.sources)) {
    const next = `${sourcesText === "" ? "Sources: " : `${sourcesText} · `}<${url}|${escapeText(label)}>`;
    if (next.length > SECTION_MAX) break;
    sourcesText = next;
  }
  if (sourcesText !== "") {
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: sourcesText }] });
  }
  const factLines = [facts.join(" · "), ...shown.notices.map((notice) => `:warning: ${notice}`)];
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: factLines.join("\n") }] });
  blocks.push(runActionsBlock(actions.whole, result.runId));
  return blocks;
}

export function resultText(user: string, result: RenderResult): string {
  return clip(`<@${user}>: ${escapeText(result.request.prompt)} (job ${result.jobId})`, SECTION_MAX);
}

export function failedText(asked: Asked, error: UserError): string {
  return clip(`${askedLine(asked)}\n:warning: ${escapeText(error.message)}`, SECTION_MAX);
}

/** The Details view, answered privately: its prompt, revised prompt and parameters are people's words. */
export function detailsText(details: RunDetails): string {
  return [
    `*${escapeText(details.title)}*`,
    ...details.fields.map(([label, value]) => `*${label}:* ${escapeText(value)}`),
    "*Parameters sent:*",
    `\`\`\`${escapeText(details.parameters)}\`\`\``,
    "*Usage:*",
    `\`\`\`${escapeText(details.usage)}\`\`\``,
  ].join("\n");
}

/** `/imagine help`: the flags and the other commands' lines, from their definitions (commands/), like the CLI's. */
export function helpText(command = "/imagine"): string {
  return [
    `*${command} <prompt> [--flag value]…* ${imagineCommand.description}.`,
    `Example: \`${command} a lighthouse at dusk, watercolour --size 1536x1024 --quality high --n 2\``,
    "",
    ...flagHelp(imagineCommand).map(
      (line) => `• \`${line.slice(0, line.indexOf(":"))}\`${line.slice(line.indexOf(":"))}`,
    ),
    "",
    ...COMMANDS.flatMap((definition: CommandDefinition) => definition.slackHelp?.(command) ?? []),
  ].join("\n");
}
