/**
 * Writes `slack/manifest.json` (Socket Mode) from `commands/`: `npm run slack:manifest`.
 * `npm run slack:manifest -- --request-url https://bot.example.com/slack/events` prints an HTTP mode
 * manifest instead, to paste when creating the app.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { manifestJson } from "../src/platforms/slack/manifest.js";
import { answerHelp } from "../src/script-help.js";

const USAGE = `Usage: npm run slack:manifest [-- --request-url URL]

Writes slack/manifest.json, the Slack app's manifest for Socket Mode, from the commands in commands/ with every
scope the bot needs. With --request-url URL (https://bot.example.com/slack/events), prints a manifest for
HTTP mode on stdout instead, to paste when creating the app.`;

answerHelp(USAGE);
const requestUrl = requestUrlOption();
if (requestUrl) {
  process.stdout.write(manifestJson(requestUrl));
} else {
  await mkdir("slack", { recursive: true });
  await writeFile("slack/manifest.json", manifestJson());
  console.log("wrote slack/manifest.json");
}

/** `--request-url`; an option it does not know is one sentence and the usage, not a stack trace. */
function requestUrlOption(): string | undefined {
  try {
    return parseArgs({ options: { "request-url": { type: "string" } } }).values["request-url"];
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
}
