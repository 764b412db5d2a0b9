/**
 * Standalone fake OpenAI server for manual runs and the CLI:
 *   npm run fake:openai -- --port 4010 --latency 300 --shutdown gpt-image-2=2026-12-15
 * Flags only (no environment): only src/config/ reads the environment.
 */
import { README_OPENAI_URL } from "../bot-hint.js";
import { parseFakeFlags, stopOnSignals } from "../standalone.js";
import { startFakeOpenAI } from "./server.js";

const USAGE =
  "usage: fake:openai [--port 4010] [--host 127.0.0.1] [--latency ms] [--shutdown model=YYYY-MM-DD ...]";
const values = parseFakeFlags(
  {
    port: { type: "string", default: "4010" },
    host: { type: "string", default: "127.0.0.1" },
    latency: { type: "string", default: "0" },
    // Repeatable: each announces one model's shutdown date (GET /models shows it; from then on it is refused).
    shutdown: { type: "string", multiple: true, default: [] },
  },
  USAGE,
);

const port = Number(values.port);
const latencyMs = Number(values.latency);
const shutdownDates = values.shutdown.map((pair) => /^([^=\s]+)=(\d{4}-\d\d-\d\d)$/.exec(pair));
if (
  !Number.isInteger(port) ||
  port < 0 ||
  !Number.isFinite(latencyMs) ||
  latencyMs < 0 ||
  shutdownDates.some((match) => match === null)
) {
  console.error(USAGE);
  process.exit(2);
}

const fake = await startFakeOpenAI({
  port,
  host: values.host,
  latencyMs,
  shutdownDates: Object.fromEntries(shutdownDates.map((match) => [match?.[1], match?.[2]])),
}).catch((error: unknown) => {
  console.error(`fake:openai cannot listen on ${values.host}:${port}: ${(error as Error).message}`);
  process.exit(1);
});
console.log(`Fake OpenAI listening. Use OPENAI_BASE_URL=${fake.url}`);
console.log(`Azure endpoint (AzureOpenAI endpoint option): ${fake.origin}`);
// The fake Discord and Slack print a start command for the fake OpenAI on README's port unless told otherwise.
if (fake.url !== README_OPENAI_URL)
  console.log(`Start the fake Discord or Slack with --openai-url ${fake.url} so their hints name this one.`);

stopOnSignals(fake);
