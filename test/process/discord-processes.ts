import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/fake.js";
import { type FakeOpenAI, type FakeOpenAIOptions, startFakeOpenAI } from "../fakes/openai/server.js";
import { baseTestEnv, dropPrefix, uniquePrefix } from "../helpers/redis.js";
import { type ScriptProcess, startScript } from "./npm-process.js";

/**
 * The fakes and the environment for the Discord bot's processes (`npm start`, `npm run bot`, `npm run worker`)
 * against the fake Discord and the fake OpenAI in the test process, on the real Redis.
 */
export interface DiscordProcesses {
  discord: FakeDiscord;
  openai: FakeOpenAI;
  storageDir: string;
  /** Starts `npm run <script>` (`start` for `npm start`); `close` terminates whatever still runs. */
  run(script: string): ScriptProcess;
  close(): Promise<void>;
}

export async function startDiscordProcesses(
  label: string,
  env: Record<string, string> = {},
  openaiOptions: FakeOpenAIOptions = {},
): Promise<DiscordProcesses> {
  const discord = await startFakeDiscord();
  const openai = await startFakeOpenAI(openaiOptions);
  const prefix = uniquePrefix(label);
  const storageDir = await mkdtemp(join(tmpdir(), `imagine-${label}-`));
  const started: ScriptProcess[] = [];
  return {
    discord,
    openai,
    storageDir,
    run(script) {
      const proc = startScript(script, {
        ...baseTestEnv(openai.url, prefix, storageDir),
        DISCORD_TOKEN: discord.token,
        DISCORD_API_URL: discord.url,
        ...env,
      });
      started.push(proc);
      return proc;
    },
    async close() {
      for (const proc of started) await proc.terminate(3_000);
      await discord.close();
      await openai.close();
      await dropPrefix(prefix);
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}
