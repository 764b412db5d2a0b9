import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DiscordConfig } from "../../src/config/types.js";
import { connect, createClient } from "../../src/platforms/discord/client.js";
import { type FakeDiscord, startFakeDiscord } from "../fakes/discord/fake.js";
import { testDiscordConfig } from "../helpers/discord-config.js";

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await startFakeDiscord({ messageContentAllowed: false });
});
afterAll(() => fake.close());

const config = (overrides: Partial<DiscordConfig>): DiscordConfig => testDiscordConfig(fake, overrides);

describe("gateway start-up errors say what to fix", () => {
  it("a wrong token names DISCORD_TOKEN", async () => {
    const bad = config({ token: "wrong-token" });
    await expect(connect(createClient(bad), bad, 10_000)).rejects.toThrow(/DISCORD_TOKEN/);
  });

  it("MESSAGE_CONTENT not enabled in the portal names the switch and the variable", async () => {
    const wanting = config({ messageContent: true });
    await expect(connect(createClient(wanting), wanting, 10_000)).rejects.toThrow(
      /Message Content Intent.*DISCORD_MESSAGE_CONTENT=false/,
    );
  });

  it("connects with the right token and intents", async () => {
    const good = config({});
    const client = createClient(good);
    await connect(client, good, 10_000);
    expect(client.user?.id).toBe(fake.botUser.id);
    await client.destroy();
  });
});
