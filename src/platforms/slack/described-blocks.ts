import type { types } from "@slack/bolt";
import { clip } from "../../render/clip.js";
import { DESCRIBED_HEADING, describedView } from "../../render/described.js";
import type { RenderResult } from "../../render/renderer.js";
import { describedActionsBlock } from "./action-elements.js";
import { escapeText } from "./blocks.js";

/** Section text is limited to 3000 characters. */
const SECTION_MAX = 2900;

/** A Describe's result: who asked, its numbered prompts (people-facing words, escaped), the facts, a "Use" button each. */
export function describedBlocks(user: string, result: RenderResult): types.KnownBlock[] {
  const view = describedView(result);
  const prompts = view.prompts.map((prompt, index) => `*${index + 1}.* ${escapeText(prompt)}`);
  const facts = [`model ${view.model}`, `job ${view.jobId}`, ...(view.cost ? [view.cost] : [])];
  return [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: clip([`<@${user}>: ${DESCRIBED_HEADING}`, ...prompts].join("\n"), SECTION_MAX),
      },
    },
    { type: "context", elements: [{ type: "mrkdwn", text: facts.join(" · ") }] },
    describedActionsBlock(result.runId, view.prompts.length),
  ];
}

/** The message's text (notifications, screen readers). */
export function describedText(user: string, result: RenderResult): string {
  return `<@${user}>: ${result.described?.prompts.length ?? 0} prompts for the image (job ${result.jobId})`;
}
