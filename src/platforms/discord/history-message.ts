import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  MediaGalleryBuilder,
  MessageFlags,
  TextDisplayBuilder,
} from "discord.js";
import { pressId } from "../../actions/press-id.js";
import { offeredActions } from "../../actions/registry.js";
import type { HistoryEntry } from "../../command-handlers/history-entries.js";
import { thumbnail } from "../../media/thumbnail.js";
import { clip } from "../../render/clip.js";
import type { RunStore } from "../../storage/run-store.js";

/** Discord takes at most 5 buttons in an action row. */
const BUTTONS_IN_ROW = 5;
/** A prompt's share of its line: ten lines stay well under a text display's 4000 characters. */
const PROMPT_CHARS = 120;

/** `1. job 20261207-093000-ab12cd34 · a lighthouse at dusk…`, one line per run, newest first. */
function listText(entries: readonly HistoryEntry[]): string {
  const lines = entries.map(
    (entry, index) =>
      `${index + 1}. job \`${entry.jobId}\` · ${clip(entry.prompt.replace(/\s+/g, " "), PROMPT_CHARS)}`,
  );
  return ["**Your last images here** (newest first)", ...lines].join("\n");
}

/** Each run's first final as a thumbnail upload; a run whose final cannot be read has none. */
async function thumbnails(runs: RunStore, entries: readonly HistoryEntry[]) {
  const made = await Promise.all(
    entries.map(async (entry, index) => {
      const key = entry.finals[0];
      const bytes = key === undefined ? undefined : await runs.blobs.find(key).catch(() => undefined);
      const small = bytes === undefined ? undefined : await thumbnail(bytes);
      return (
        small && { file: new AttachmentBuilder(small, { name: `history_${index + 1}.png` }), entry, index }
      );
    }),
  );
  return made.filter((item) => item !== undefined);
}

/** One Show button per run, labelled by its number in the list. */
function showRows(entries: readonly HistoryEntry[]): ActionRowBuilder<ButtonBuilder>[] {
  const [show] = offeredActions({ platform: "discord", under: "history" });
  if (show === undefined) return [];
  const buttons = entries.map((entry, index) =>
    new ButtonBuilder()
      .setCustomId(pressId({ action: show.name, runId: entry.runId }))
      .setStyle(ButtonStyle.Secondary)
      .setLabel(`${show.label} ${index + 1}`),
  );
  const rows: ActionRowBuilder<ButtonBuilder>[] = [];
  for (let start = 0; start < buttons.length; start += BUTTONS_IN_ROW) {
    rows.push(
      new ActionRowBuilder<ButtonBuilder>().addComponents(buttons.slice(start, start + BUTTONS_IN_ROW)),
    );
  }
  return rows;
}

/**
 * `/history` as a Components V2 message: the list as a text display, a media gallery of thumbnails (each an
 * upload it references by `attachment://`), and the Show buttons. At most 10 runs: one text display, one
 * gallery of at most 10 items and two rows of 5 buttons stay far under the 40 components a message takes;
 * ten 256-pixel PNGs stay far under the upload limit.
 */
export async function historyMessage(runs: RunStore, entries: readonly HistoryEntry[]) {
  const shown = await thumbnails(runs, entries);
  const components: (TextDisplayBuilder | MediaGalleryBuilder | ActionRowBuilder<ButtonBuilder>)[] = [
    new TextDisplayBuilder().setContent(listText(entries)),
  ];
  if (shown.length > 0) {
    const gallery = new MediaGalleryBuilder().addItems(
      shown.map(({ file, entry, index }) => ({
        media: { url: `attachment://${file.name}` },
        description: clip(`${index + 1}. ${entry.prompt}`, 1024),
      })),
    );
    components.push(gallery);
  }
  components.push(...showRows(entries));
  return {
    flags: MessageFlags.IsComponentsV2 as const,
    components,
    files: shown.map(({ file }) => file),
  };
}
