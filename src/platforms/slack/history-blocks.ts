import type { types } from "@slack/bolt";
import type { HistoryEntry } from "../../command-handlers/history-entries.js";
import { formatOfKey } from "../../core/content-types.js";
import { clip } from "../../render/clip.js";
import { actionsBlock } from "./action-elements.js";
import { escapeText } from "./blocks.js";

/** A prompt's share of its section: ten runs with their images stay under a message's 50 blocks. */
const PROMPT_CHARS = 300;
/** Image blocks show png, jpeg and gif only. */
const SHOWN_FORMATS = new Set(["png", "jpeg", "gif"]);

/** A listed run with the Slack file its result shared, when there is one (a run made on Slack). */
export interface ListedRun {
  entry: HistoryEntry;
  fileId: string | undefined;
}

/**
 * `/imagine history`: per run, a section (number, job id, prompt), its first image where Slack still has the
 * file its result shared (an image block needs a Slack file or a public URL; run storage has neither), and
 * its Show button. At most 10 runs: 1 + 10 × 3 blocks, under Slack's 50.
 */
export function historyBlocks(runs: readonly ListedRun[]): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [
    { type: "section", text: { type: "mrkdwn", text: "*Your last images here* (newest first)" } },
  ];
  for (const [index, { entry, fileId }] of runs.entries()) {
    const prompt = clip(escapeText(entry.prompt.replace(/\s+/g, " ")), PROMPT_CHARS);
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: `*${index + 1}.* job \`${entry.jobId}\` · ${prompt}` },
    });
    const first = entry.finals[0];
    if (fileId !== undefined && first !== undefined && SHOWN_FORMATS.has(formatOfKey(first))) {
      blocks.push({ type: "image", slack_file: { id: fileId }, alt_text: clip(entry.prompt, 2000) });
    }
    blocks.push(actionsBlock("history", entry.runId, `imagine_history_${index + 1}`));
  }
  return blocks;
}

/** The notification text of the list: its job ids. */
export function historyText(runs: readonly ListedRun[]): string {
  return `Your last images here: ${runs.map(({ entry }) => entry.jobId).join(", ")}`;
}
