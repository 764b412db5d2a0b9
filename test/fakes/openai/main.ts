/**
 * Standalone fake OpenAI server for manual runs and the CLI:
 *   npm run fake:openai -- --port 4010 --latency 300
 * Flags only (no environment): only src/config/ reads the environment.
 */
import { parseFakeFlags, stopOnSignals } from "../standalone.js";
import { startFakeOpenAI } from "./server.js";

const USAGE = "usage: fake:openai [--port 4010] [--host 127.0.0.1] [--latency ms]";
const values = parseFakeFlags(
  {
    port: { type: "string", default: "4010" },
    host: { type: "string", default: "127.0.0.1" },
    latency: { type: "string", default: "0" },
  },
  USAGE,
);

const port = Number(values.port);
const latencyMs = Number(values.latency);
if (!Number.isInteger(port) || port < 0 || !Number.isFinite(latencyMs) || latencyMs < 0) {
  console.error(USAGE);
  process.exit(2);
}

const fake = await startFakeOpenAI({ port, host: values.host, latencyMs }).catch((error: unknown) => {
  console.error(`fake:openai cannot listen on ${values.host}:${port}: ${(error as Error).message}`);
  process.exit(1);
});
console.log(`Fake OpenAI listening. Use OPENAI_BASE_URL=${fake.url}`);
console.log(`Azure endpoint (AzureOpenAI endpoint option): ${fake.origin}`);

stopOnSignals(fake);
