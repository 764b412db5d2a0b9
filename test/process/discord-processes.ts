import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakeDiscord, type FakeMessage, startFakeDiscord } from "../fakes/discord/fake.js";
import type { FakeDiscordServerOptions } from "../fakes/discord/server.js";
import { type FakeOpenAI, type FakeOpenAIOptions, startFakeOpenAI } from "../fakes/openai/server.js";
import { showsResult } from "../helpers/discord-result.js";
import { baseTestEnv, dropPrefix, uniquePrefix } from "../helpers/redis.js";
import { type ScriptProcess, startCommand, startScript } from "./npm-process.js";

/**
 * The fakes and the environment for the Discord bot's processes (`npm start`, `npm run bot`, `npm run worker`)
 * against the fake Discord and the fake OpenAI in the test process, on the real Redis.
 */
export interface DiscordProcesses {
  discord: FakeDiscord;
  openai: FakeOpenAI;
  storageDir: string;
  /** The processes' QUEUE_PREFIX, for a test that puts data in Redis as an older release left it. */
  prefix: string;
  /**
   * Starts `npm run <script>` (`start` for `npm start`) in the repository or in `cwd`; `close` terminates
   * whatever still runs.
   */
  run(script: string, cwd?: string): ScriptProcess;
  /**
   * Starts `command` itself (not through npm) with the same environment, `env` over it; a variable given as
   * `undefined` is left out.
   */
  runCommand(command: string[], cwd: string, env?: Record<string, string | undefined>): ScriptProcess;
  /** The interaction's reply once it shows a result; fails at once if the bot answered with a warning. */
  finalReply(interaction: Parameters<FakeDiscord["original"]>[0]): Promise<FakeMessage>;
  close(): Promise<void>;
}

export async function startDiscordProcesses(
  label: string,
  env: Record<string, string> = {},
  openaiOptions: FakeOpenAIOptions = {},
  discordOptions: FakeDiscordServerOptions = {},
): Promise<DiscordProcesses> {
  const discord = await startFakeDiscord(discordOptions);
  const openai = await startFakeOpenAI(openaiOptions);
  const prefix = uniquePrefix(label);
  const storageDir = await mkdtemp(join(tmpdir(), `imagine-${label}-`));
  const started: ScriptProcess[] = [];
  const variables = {
    ...baseTestEnv(openai.url, prefix, storageDir),
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.url,
    ...env,
  };
  return {
    discord,
    openai,
    storageDir,
    prefix,
    run(script, cwd) {
      const proc = startScript(script, variables, cwd);
      started.push(proc);
      return proc;
    },
    runCommand(command, cwd, more = {}) {
      const proc = startCommand(command, { ...variables, ...more }, cwd);
      started.push(proc);
      return proc;
    },
    finalReply: (interaction) =>
      discord.waitFor(
        () => {
          const message = discord.original(interaction);
          if (message?.content.startsWith("⚠️")) throw new Error(`the bot answered: ${message.content}`);
          return message && showsResult(message) ? message : undefined;
        },
        60_000,
        "the final reply",
      ),
    async close() {
      for (const proc of started) await proc.terminate(3_000);
      await discord.close();
      await openai.close();
      await dropPrefix(prefix);
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}
