/**
 * Standalone fake Slack Web API for manual runs:
 *   npm run fake:slack -- --port 4020 --ready-delay 500 --record slack.jsonl
 * `--record` (or FAKE_SLACK_RECORD, which the server itself reads): every Web API request appended as a
 * JSON line.
 */
import { parseArgs } from "node:util";
import { startFakeSlack } from "./server.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4020" },
    host: { type: "string", default: "127.0.0.1" },
    token: { type: "string", default: "xoxb-fake" },
    "ready-delay": { type: "string", default: "0" },
    record: { type: "string" },
  },
});

const port = Number(values.port);
const fileReadyDelayMs = Number(values["ready-delay"]);
if (!Number.isInteger(port) || port < 0 || !Number.isFinite(fileReadyDelayMs) || fileReadyDelayMs < 0) {
  console.error(
    "usage: fake:slack [--port 4020] [--host 127.0.0.1] [--token xoxb-fake] [--ready-delay ms] [--record file]",
  );
  process.exit(2);
}

const fake = await startFakeSlack({
  port,
  host: values.host,
  botToken: values.token,
  fileReadyDelayMs,
  ...(values.record ? { record: values.record } : {}),
});
console.log(`Fake Slack listening. Use SLACK_API_URL=${fake.apiUrl} SLACK_BOT_TOKEN=${values.token}`);

const stop = async (signal: string) => {
  console.log(`${signal}: shutting down after ${fake.requests.length} requests`);
  await fake.close();
  process.exit(0);
};
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
