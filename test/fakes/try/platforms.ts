import { startFakeDiscord } from "../discord/fake.js";
import { startFakeSlack } from "../slack/server.js";
import { localFile } from "./command-line.js";
import { discordPlatform } from "./discord-platform.js";
import type { TryPlatform } from "./platform.js";
import { slackPlatform } from "./slack-platform.js";
import type { TryStack } from "./stack.js";

const running = (line: { msg: string }) => line.msg === "imagine-bot running";

/** Starts the platform's fake and the bot (`npm start`) on it; the platform's `ready` waits for the bot. */
export async function startTryPlatform(kind: "discord" | "slack", stack: TryStack): Promise<TryPlatform> {
  if (kind === "slack") {
    // Uploads are ready a moment after they complete, as on Slack.
    const fake = await startFakeSlack({ fileReadyDelayMs: 60 });
    const bot = stack.startBot({
      SLACK_API_URL: fake.apiUrl,
      SLACK_BOT_TOKEN: "xoxb-fake",
      SLACK_APP_TOKEN: "xapp-fake",
    });
    return {
      ...slackPlatform(fake),
      async ready() {
        await bot.waitForLog(running, "the bot to start", 120_000);
        await fake.socket.connected();
      },
    };
  }
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
