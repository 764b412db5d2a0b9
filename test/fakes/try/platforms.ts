import { startFakeDiscord } from "../discord/fake.js";
import { localFile } from "./command-line.js";
import { discordPlatform } from "./discord-platform.js";
import type { TryPlatform } from "./platform.js";
import type { TryStack } from "./stack.js";

const running = (line: { msg: string }) => line.msg === "imagine-bot running";

/** Starts the platform's fake and the bot (`npm start`) on it; the platform's `ready` waits for the bot. */
export async function startTryPlatform(kind: "discord" | "slack", stack: TryStack): Promise<TryPlatform> {
  if (kind === "slack") throw new Error("--slack comes next");
  const fake = await startFakeDiscord();
  const bot = stack.startBot({ DISCORD_API_URL: fake.url, DISCORD_TOKEN: fake.token });
  const platform = discordPlatform(fake, localFile);
  return {
    ...platform,
    async ready() {
      await bot.waitForLog(running, "the bot to start", 120_000);
      await fake.waitForBot();
    },
  };
}
