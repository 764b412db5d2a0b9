/**
 * Standalone fake Slack Web API (and Socket Mode) for manual runs (docs/try-it-offline.md):
 *   npm run fake:slack -- --port 4020 --ready-delay 500 --record slack.jsonl
 * and, from another terminal while the bot is connected to it over Socket Mode, a `/imagine` followed to its
 * result (the text as typed after `/imagine`; the flags below are appended to it):
 *   npm run fake:slack -- --imagine "a fox" [--port 4020] [--size 1536x1024] [--partials 2] [--out DIR]
 * `--record` (or FAKE_SLACK_RECORD, which the server itself reads): every Web API request appended as a
 * JSON line.
 */
import { botStartHint, OPENAI_URL_OPTION } from "../bot-hint.js";
import { parseFakeFlags, stopOnSignals } from "../standalone.js";
import { TRY_OUT_FLAGS, TRY_OUT_OPTIONS, tryOut, tryOutRoute } from "../try-out.js";
import { imagineOnSlack } from "./control.js";
import { type FakeSlack, startFakeSlack } from "./server.js";

const USAGE = `usage: fake:slack [--port 4020] [--host 127.0.0.1] [--token xoxb-fake] [--app-token xapp-fake]
                  [--ready-delay ms] [--record file] [--openai-url http://127.0.0.1:4010/v1]
       fake:slack --imagine "<prompt> [--flag value]…" [--port 4020] [--host 127.0.0.1] [--token xoxb-fake]
                  [--size WxH] [--quality q] [--model m] [--format f] [--partials 0-3] [--n 1-10]
                  [--out runs/try-out]`;

const values = parseFakeFlags(
  {
    port: { type: "string", default: "4020" },
    host: { type: "string", default: "127.0.0.1" },
    token: { type: "string", default: "xoxb-fake" },
    "app-token": { type: "string", default: "xapp-fake" },
    "ready-delay": { type: "string", default: "0" },
    record: { type: "string" },
    ...OPENAI_URL_OPTION,
    ...TRY_OUT_OPTIONS,
  },
  USAGE,
);

const port = Number(values.port);
const fileReadyDelayMs = Number(values["ready-delay"]);
if (!Number.isInteger(port) || port < 0 || !Number.isFinite(fileReadyDelayMs) || fileReadyDelayMs < 0) {
  console.error(USAGE);
  process.exit(2);
}

if (values.imagine !== undefined) {
  const flags = TRY_OUT_FLAGS.flatMap((name) =>
    values[name] === undefined ? [] : [`--${name} ${values[name]}`],
  );
  process.exitCode = await tryOut(
    {
      origin: `http://${values.host}:${port}`,
      startHint: `npm run fake:slack -- --port ${port}`,
      body: { text: [values.imagine, ...flags].join(" ") },
      out: values.out,
      downloadHeaders: { authorization: `Bearer ${values.token}` },
    },
    console,
  );
} else {
  let fake: FakeSlack | undefined;
  const control = tryOutRoute(async (body) => {
    if (fake === undefined) throw new Error("the fake Slack is still starting");
    return imagineOnSlack(fake, body);
  });
  const started = await startFakeSlack({
    port,
    host: values.host,
    botToken: values.token,
    appToken: values["app-token"],
    fileReadyDelayMs,
    control,
    ...(values.record ? { record: values.record } : {}),
  }).catch((error: unknown) => {
    console.error(`fake:slack cannot listen on ${values.host}:${port}: ${(error as Error).message}`);
    process.exit(1);
  });
  fake = started;
  const variables = `SLACK_API_URL=${started.apiUrl} SLACK_BOT_TOKEN=${values.token} SLACK_APP_TOKEN=${values["app-token"]}`;
  console.log(`Fake Slack (Web API, uploads, files and Socket Mode) listening on ${started.origin}.`);
  if (values.record) console.log(`Every request is appended to ${values.record} (tokens redacted).`);
  console.log(`Use ${variables}`);
  for (const line of botStartHint(variables, values["openai-url"])) console.log(line);
  console.log(
    `Then send a /imagine: npm run fake:slack -- --imagine "a fox" --port ${new URL(started.origin).port}`,
  );
  stopOnSignals(started);
}
