import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordBot, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
beforeAll(async () => {
  bot = await startDiscordBot("discord-search");
});
afterAll(() => bot.close());
beforeEach(() => bot.reset());

describe("/imagine search:True", () => {
  it("searches the web before drawing on the Responses API, lists the sources under the image and counts the search in the cost", async () => {
    const prompt = "tomorrow's weather in Lyon as a poster";
    const interaction = await bot.discord.slash("imagine", { prompt, search: true, partials: 0 });
    const result = await bot.finalReply(interaction);
    expect(result.attachments).toHaveLength(1);

    const [sent] = bot.openai.requests;
    expect(sent?.path).toBe("/v1/responses");
    expect(sent?.json).toMatchObject({ tools: [{ type: "web_search" }, { type: "image_generation" }] });
    const base = "https://example.org/tomorrow-s-weather-in-lyon-as-a-poster";
    const sourceLines = result.content.split("\n").filter((line) => line.startsWith("-# 🔗"));
    expect(sourceLines).toEqual([
      `-# 🔗 [Source two about ${prompt}](<${base}/source-2>)`,
      `-# 🔗 [News: ${prompt}](<https://news.example.com/tomorrow-s-weather-in-lyon-as-a-poster>)`,
      `-# 🔗 [example.org](<${base}/source-1>)`,
      `-# 🔗 [example.org](<${base}/source-3>)`,
      `-# 🔗 [example.org](<${base}/source-4>)`,
    ]);
    const jobId = /job `([^`]+)`/.exec(result.content)?.[1] ?? "";
    const metadata = await bot.running.context.runs.getMetadata(jobId);
    expect(metadata.cost).toMatchObject({ source: "usage", webSearches: 1 });
    expect(metadata.sources).toHaveLength(5);
    expect(metadata.request.search).toBe(true);
    expect(metadata.request.api).toBe("responses");
    expect(result.content).toContain(`· $`);
  });

  it.each([
    [
      { api: "images" },
      "Web search runs on the Responses API: use api responses with search, or leave api out.",
    ],
    [{ n: 2 }, "A search grounds one image: set n to 1 with search (got n 2)."],
  ])("refuses search with %o privately, in one sentence, spending nothing", async (options, sentence) => {
    const interaction = await bot.discord.slash("imagine", {
      prompt: "the news today",
      search: true,
      ...options,
    });
    await waitFor("the answer", () => interaction.callbackType);
    expect(interaction.callbackData?.flags).toBe(64);
    expect(String(interaction.callbackData?.content)).toBe(`⚠️ ${sentence}`);
    expect(bot.openai.requests).toHaveLength(0);
  });
});
