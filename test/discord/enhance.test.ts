import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunMetadata } from "../../src/storage/run-store.js";
import type { FakeInteraction } from "../fakes/discord/fake.js";
import { customIds, jobIdOf } from "../helpers/discord-result.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordBot, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
beforeAll(async () => {
  bot = await startDiscordBot("discord-enhance", { env: { BUDGET_USER_DAY_USD: "20" } });
});
afterAll(() => bot.close());
beforeEach(() => bot.reset());

const metadataOf = async (runId: string) =>
  JSON.parse(await readFile(join(bot.storageDir, runId, "metadata.json"), "utf8")) as RunMetadata;

const bodies = (path: string) =>
  bot.openai.requests
    .filter((request) => request.path === path)
    .map((request) => request.json as Record<string, unknown>);

const REWRITE = ", in rich detail: soft golden light, textured surfaces, a balanced composition";

async function privateAnswer(interaction: FakeInteraction): Promise<string> {
  await waitFor("the private answer", () => interaction.callbackType);
  expect(interaction.callbackData?.flags).toBe(64);
  return String(interaction.callbackData?.content);
}

describe("enhance on Discord", () => {
  it("rewrites the prompt first, draws the rewrite, shows both and counts the rewrite in the cost", async () => {
    const interaction = await bot.discord.slash("imagine", {
      prompt: "un port calme au crépuscule",
      enhance: true,
      partials: 0,
    });
    const reply = await bot.finalReply(interaction);
    const rewritten = `un port calme au crépuscule${REWRITE}`;
    expect(reply.content).toContain("**Prompt:** un port calme au crépuscule\n");
    expect(reply.content).toContain(`**Enhanced prompt:** ${rewritten}`);

    const [ask] = bodies("/v1/responses");
    expect(ask).toMatchObject({ model: "gpt-5.5", store: false, max_output_tokens: 2000 });
    expect(String(ask?.instructions)).toContain("language");
    expect(JSON.stringify(ask?.input)).toContain("un port calme au crépuscule");
    expect(bodies("/v1/images/generations").map((body) => body.prompt)).toEqual([rewritten]);
    // The rewrite was asked for before the image.
    const paths = bot.openai.requests.map((request) => request.path);
    expect(paths).toEqual(["/v1/responses", "/v1/images/generations"]);

    const metadata = await metadataOf(jobIdOf(reply));
    expect(metadata.prompt).toBe("un port calme au crépuscule");
    expect(metadata.enhance).toMatchObject({
      originalPrompt: "un port calme au crépuscule",
      prompt: rewritten,
    });
    const rewriteCost = metadata.enhance?.cost.microdollars ?? 0;
    expect(rewriteCost).toBeGreaterThan(0);
    expect(metadata.cost?.microdollars).toBeGreaterThan(rewriteCost);
    const person = { kind: "user" as const, id: `discord:${bot.discord.user.id}` };
    expect((await bot.running.context.budget.spent(person, "day")).micro).toBe(metadata.cost?.microdollars);

    // Vary edits the image with the prompt it was drawn from, and pays for no second rewrite.
    bot.openai.reset();
    await bot.finalReply(await bot.discord.click(reply, `vary:${jobIdOf(reply)}`));
    expect(bot.openai.requests.map((request) => request.path)).toEqual(["/v1/images/edits"]);
    expect(bot.openai.requests[0]?.form?.fields.prompt).toBe(rewritten);
  });

  it("✨ Enhance on a result makes it again from its prompt rewritten", async () => {
    const result = await bot.finalReply(
      await bot.discord.slash("imagine", { prompt: "a paper lantern", partials: 0 }),
    );
    const jobId = jobIdOf(result);
    expect(customIds(result.components)).toContain(`enhance:${jobId}`);
    bot.openai.reset();
    const enhanced = await bot.finalReply(await bot.discord.click(result, `enhance:${jobId}`));
    expect(enhanced.content).toContain(`**Enhanced prompt:** a paper lantern${REWRITE}`);
    expect(bodies("/v1/images/generations").map((body) => body.prompt)).toEqual([
      `a paper lantern${REWRITE}`,
    ]);
  });

  it("refuses enhance of an empty or an over-long prompt in one sentence, sending nothing", async () => {
    const empty = await bot.discord.slash("imagine", { prompt: "   ", enhance: true });
    expect(await privateAnswer(empty)).toBe(
      "⚠️ Enhance rewrites your prompt, so it needs one: write what to draw.",
    );
    const long = await bot.discord.slash("imagine", { prompt: "a".repeat(4_001), enhance: true });
    expect(await privateAnswer(long)).toBe(
      "⚠️ Enhance rewrites prompts of up to 4,000 characters; yours has 4,001. Shorten it or leave enhance off.",
    );
    expect(bot.openai.requests).toHaveLength(0);
  });
});
