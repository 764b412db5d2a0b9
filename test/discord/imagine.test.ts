import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeInteraction } from "../fakes/discord/fake.js";
import { showEachPartial } from "../helpers/pace.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordBot, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
beforeAll(async () => {
  bot = await startDiscordBot("discord-imagine");
});
afterAll(() => bot.close());
beforeEach(() => bot.reset());

describe("/imagine end to end (discord.js, worker, Redis, fake OpenAI, fake Discord)", () => {
  it("shows 2 partial frames in the same reply, each replacing the last, then the final with buttons", async () => {
    let interaction: FakeInteraction | undefined;
    const frames = () =>
      ((interaction && bot.discord.original(interaction)?.history) ?? [])
        .map((version) => version.attachments)
        .filter((names) => names.some((name) => name.startsWith("partial_")));
    // Edits are coalesced (the newest frame wins): each partial is sent once the one before it is shown.
    showEachPartial(bot.openai, () => frames().length);
    interaction = await bot.discord.slash("imagine", {
      prompt: "a lighthouse at dusk",
      size: "1536x1024",
      partials: 2,
    });
    const reply = await bot.finalReply(interaction);
    const versions = reply.history.map((version) => version.attachments);
    expect(frames()).toEqual([["partial_0.jpg"], ["partial_1.jpg"]]);
    expect(versions.at(-1)).toEqual([reply.attachments[0]?.filename]);
    expect(reply.attachments).toHaveLength(1);
    expect(reply.attachments[0]?.filename).toMatch(/_0\.png$/);
    expect(reply.content).toContain("a lighthouse at dusk");
    expect(reply.content).toContain("gpt-image-2");
    expect(reply.content).toContain("1536x1024");
    const jobId = /job `([^`]+)`/.exec(reply.content)?.[1];
    expect(jobId).toBeDefined();
    // Five to a row, as Discord allows: the first row, then the rest.
    const rows = (reply.components as { components: { custom_id: string }[] }[]).map((row) =>
      row.components.map((button) => button.custom_id),
    );
    const ids = (actions: string[]) => actions.map((action) => `${action}:${jobId}`);
    expect(rows).toEqual([
      ids(["reroll", "vary", "finalize", "edit", "reference"]),
      ids(["refine", "pin-style", "details", "delete"]),
    ]);
    // The deferral came first, within Discord's 3 seconds; every edit went to the same @original.
    const callback = bot.discord.requests.find((request) =>
      request.path.endsWith(`/interactions/${interaction.id}/${interaction.token}/callback`),
    );
    expect(callback?.json).toMatchObject({ type: 5 });
    const edits = bot.discord.requests.filter(
      (request) => request.method === "PATCH" && request.path.includes(interaction.token),
    );
    expect(edits.length).toBeGreaterThanOrEqual(3);
    expect(bot.openai.requests).toHaveLength(1);
  });

  it("answers an invalid option privately and sends nothing to OpenAI", async () => {
    const interaction = await bot.discord.slash("imagine", { prompt: "a cat", size: "1000x1000" });
    await waitFor("the answer", () => interaction.callbackType);
    expect(interaction.callbackType).toBe(4);
    expect(interaction.callbackData?.flags).toBe(64);
    expect(String(interaction.callbackData?.content)).toMatch(/size/i);
    expect(bot.openai.requests).toHaveLength(0);
  });
});
