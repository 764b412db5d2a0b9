/**
 * The floor under `partial_to_edit_ms_<size>`: a bare program that, told to show a frame, does what showing a
 * partial cannot do without: one decode, resize and encode of the frame (the bot's own `previewImage`, the
 * same sharp settings) and one PATCH of the reply's `@original` uploading it to the fake Discord on this
 * machine (the bot's own REST client). No Redis, no renderer, no stream: what is left of partial-to-edit
 * once the bot is taken away. Forked by `npm run bench` (`bench/preview-floor.ts`), spoken to over IPC.
 */
import { readFile } from "node:fs/promises";
import { Routes } from "discord-api-types/v10";
import { loadConfig } from "../src/config/load.js";
import { previewImage } from "../src/platforms/discord/fit-image.js";
import { createRest } from "../src/platforms/discord/rest.js";

/** A frame of a job the bot showed: its PNG in run storage, and the reply its preview replaces the frame of. */
export interface FloorFrame {
  path: string;
  applicationId: string;
  token: string;
  attachmentSizeLimit: number;
}

export type FloorAsk = { load: FloorFrame[] } | { show: number };
export type FloorAnswer = { loaded: number } | { shown: number } | { failed: string };

const config = loadConfig().discord;
if (config === undefined) throw new Error("DISCORD_TOKEN is not set");
const rest = createRest(config);
let frames: (FloorFrame & { bytes: Buffer })[] = [];

async function show(index: number): Promise<void> {
  const frame = frames[index];
  if (frame === undefined) throw new Error(`no frame ${index}`);
  const preview = await previewImage(
    { bytes: frame.bytes, format: "png" },
    "partial_0",
    frame.attachmentSizeLimit,
  );
  await rest.patch(Routes.webhookMessage(frame.applicationId, frame.token, "@original"), {
    body: { content: "Drawing… (partial 1 of 3)", attachments: [{ id: 0, filename: preview.name }] },
    files: [{ name: preview.name, data: preview.bytes, contentType: preview.contentType }],
    auth: false,
  });
}

const answer = (message: FloorAnswer) => process.send?.(message);
process.on("message", (ask: FloorAsk) => {
  // The frames are read ahead, as the bot holds a frame in memory once its event has arrived.
  const work =
    "load" in ask
      ? Promise.all(ask.load.map(async (frame) => ({ ...frame, bytes: await readFile(frame.path) }))).then(
          (loaded) => {
            frames = loaded;
            answer({ loaded: loaded.length });
          },
        )
      : show(ask.show).then(() => answer({ shown: ask.show }));
  work.catch((error: unknown) => answer({ failed: String(error) }));
});
process.once("disconnect", () => process.exit(0));
