/**
 * Writes `slack/manifest.json` (Socket Mode) from `commands/`: `npm run slack:manifest`.
 * `npm run slack:manifest -- --request-url https://bot.example.com/slack/events` prints an HTTP mode
 * manifest instead, to paste when creating the app.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { manifestJson } from "../src/platforms/slack/manifest.js";

const { values } = parseArgs({ options: { "request-url": { type: "string" } } });
const requestUrl = values["request-url"];
if (requestUrl) {
  process.stdout.write(manifestJson(requestUrl));
} else {
  await mkdir("slack", { recursive: true });
  await writeFile("slack/manifest.json", manifestJson());
  console.log("wrote slack/manifest.json");
}
