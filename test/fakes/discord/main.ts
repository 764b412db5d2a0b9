/**
 * Standalone fake Discord for manual runs:
 *   npm run fake:discord -- --port 4030 --record ./discord-requests.jsonl
 * Flags only (no environment): only src/config.ts reads the environment.
 */
import { parseArgs } from "node:util";
import { startFakeDiscord } from "./fake.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4030" },
    host: { type: "string", default: "127.0.0.1" },
    record: { type: "string" },
    token: { type: "string" },
  },
});

const fake = await startFakeDiscord({
  port: Number(values.port),
  host: values.host,
  ...(values.record ? { recordFile: values.record } : {}),
  ...(values.token ? { token: values.token } : {}),
});
console.log(`Fake Discord listening. Use DISCORD_API_URL=${fake.url} DISCORD_TOKEN=${fake.token}`);
console.log(`application ${fake.applicationId}, guild ${fake.guildId}, channel ${fake.channelId}`);
process.on("SIGINT", () => void fake.close().then(() => process.exit(0)));
process.on("SIGTERM", () => void fake.close().then(() => process.exit(0)));
