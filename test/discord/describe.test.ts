import { readFile } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunMetadata } from "../../src/storage/run-store.js";
import type { FakeInteraction } from "../fakes/discord/fake.js";
import { customIds, jobIdOf } from "../helpers/discord-result.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordBot, solidPng, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
let red: Buffer;
beforeAll(async () => {
  bot = await startDiscordBot("discord-describe", { env: { BUDGET_USER_DAY_USD: "20" } });
  red = await solidPng(1536, 1024, "#cc2222");
});
afterAll(() => bot.close());
beforeEach(() => bot.reset());

const metadataOf = async (runId: string) =>
  JSON.parse(await readFile(join(bot.storageDir, runId, "metadata.json"), "utf8")) as RunMetadata;

const responsesRequests = () => bot.openai.requests.filter((request) => request.path === "/v1/responses");

/** What the person is told privately when the public reply was withdrawn or never made. */
async function privateRefusal(interaction: FakeInteraction): Promise<string> {
  return waitFor("the private answer", () => {
    const followup = interaction.followupIds[0];
    if (followup !== undefined) return bot.discord.message(followup).content;
    const content = interaction.callbackData?.content;
    return interaction.callbackType === 4 && typeof content === "string" ? content : undefined;
  });
}

describe("/describe on Discord", () => {
  it("shows 3 prompts for the image with Use buttons, priced; Use 2 makes prompt 2 in the image's aspect", async () => {
    const interaction = await bot.discord.slash("describe", { image: { filename: "red.png", bytes: red } });
    const reply = await bot.finalReply(interaction);
    const runId = jobIdOf(reply);
    expect(reply.content).toMatch(/\*\*1\.\*\* Prompt 1: a red picture, 1536x1024/);
    expect(reply.content).toMatch(/\*\*3\.\*\* Prompt 3: a red picture/);
    expect(reply.content).toMatch(/`gpt-5\.5` · job `[^`]+` · (<\$0\.01|\$\d+\.\d\d)/);
    // While it waits and works it names no image model: a Describe draws nothing.
    const statuses = reply.history.map((version) => version.content).filter((text) => text.startsWith("🎨"));
    expect(statuses).toContain("🎨 Queued");
    expect(statuses.join("\n")).not.toContain("gpt-image");
    expect(customIds(reply.components)).toEqual([
      `v2:describe-use:${runId}:0`,
      `v2:describe-use:${runId}:1`,
      `v2:describe-use:${runId}:2`,
      `details:${runId}`,
    ]);

    // One text request: the image as a data URL, a JSON schema for the prompts, a hard output cap, no image tool.
    const [sent] = responsesRequests();
    expect(responsesRequests()).toHaveLength(1);
    expect(sent?.json).toMatchObject({
      model: "gpt-5.5",
      store: false,
      max_output_tokens: 4000,
      text: { format: { type: "json_schema", name: "described_prompts", strict: true } },
    });
    const body = sent?.json as Record<string, unknown> | undefined;
    expect(body?.tools).toBeUndefined();
    const content = ((body?.input ?? []) as { content: { type: string; image_url?: string }[] }[])[0]
      ?.content;
    expect(content?.map((part) => part.type)).toEqual(["input_image"]);
    expect(content?.[0]?.image_url).toMatch(/^data:image\/png;base64,/);

    const metadata = await metadataOf(runId);
    expect(metadata.describe?.prompts).toHaveLength(3);
    expect(metadata.describe?.image).toEqual({ width: 1536, height: 1024 });
    expect(metadata.cost?.source).toBe("usage");
    expect(metadata.cost?.textModel?.model).toBe("gpt-5.5");
    expect(metadata.cost?.microdollars).toBeGreaterThan(0);
    const person = { kind: "user" as const, id: `discord:${bot.discord.user.id}` };
    expect((await bot.running.context.budget.spent(person, "day")).micro).toBe(metadata.cost?.microdollars);

    // Details: the prompts, and the cost as the text model's alone.
    const details = await bot.discord.click(reply, `details:${runId}`);
    await waitFor("details", () => details.callbackType);
    const shown = JSON.stringify(details.callbackData);
    expect(shown).toContain("2. Prompt 2: a red picture, 1536x1024, as a watercolour");
    expect(shown).toMatch(/as OpenAI reported it; gpt-5\.5: [\d,]+ tokens in, [\d,]+ out/);
    expect(shown).not.toContain("image model:");
    expect(shown).toMatch(/"name":"API","value":"responses"/);

    bot.openai.reset();
    const use = await bot.discord.click(reply, `v2:describe-use:${runId}:1`);
    const made = await bot.finalReply(use);
    expect(made.content).toContain("Prompt 2: a red picture, 1536x1024, as a watercolour");
    const generation = bot.openai.requests.find((request) => request.path === "/v1/images/generations")
      ?.json as Record<string, unknown> | undefined;
    expect(generation?.prompt).toBe(metadata.describe?.prompts[1]);
    const [width = 0, height = 0] = String(generation?.size).split("x").map(Number);
    expect(width / height).toBeCloseTo(1.5, 1);
    expect(width * height).toBeLessThanOrEqual(1024 * 1024);
  });

  it('"Describe image" on a message describes its image; Describe under a result describes that image', async () => {
    const posted = await bot.discord.say({
      content: "what is this?",
      files: [{ filename: "blue.png", bytes: await solidPng(512, 768, "#2233cc") }],
    });
    const menu = await bot.discord.messageCommand("Describe image", posted);
    const reply = await bot.finalReply(menu);
    expect(reply.content).toContain("Prompt 1: a blue picture, 512x768");

    const result = await bot.finalReply(
      await bot.discord.slash("imagine", { prompt: "a lemon", size: "1024x1024", partials: 0 }),
    );
    const jobId = jobIdOf(result);
    expect(customIds(result.components)).toContain(`describe:${jobId}`);
    bot.openai.reset();
    const described = await bot.finalReply(await bot.discord.click(result, `describe:${jobId}`));
    expect(described.content).toMatch(/Prompt 1: a \w+ picture, 1024x1024/);
    expect(responsesRequests()).toHaveLength(1);
  });

  it("refuses a message without an image, an SVG and an animated GIF in one sentence, sending nothing", async () => {
    const plain = await bot.discord.say({ content: "no picture here" });
    const noImage = await bot.discord.messageCommand("Describe image", plain);
    expect(await privateRefusal(noImage)).toBe(
      "⚠️ That message has no image to describe; use Describe image on a message with an image.",
    );

    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="red"/></svg>',
    );
    const svgAsk = await bot.discord.slash("describe", {
      image: { filename: "logo.svg", bytes: svg, contentType: "image/svg+xml" },
    });
    expect(await privateRefusal(svgAsk)).toBe(
      "⚠️ logo.svg is an SVG, which Describe cannot look at; send a PNG, JPEG or WebP.",
    );

    const gif = await animatedGif();
    const gifAsk = await bot.discord.slash("describe", {
      image: { filename: "spin.gif", bytes: gif, contentType: "image/gif" },
    });
    expect(await privateRefusal(gifAsk)).toBe(
      "⚠️ spin.gif is animated (2 frames), which Describe cannot look at; send a still image.",
    );
    expect(bot.openai.requests).toHaveLength(0);
  });
});

/** A two-frame GIF. */
async function animatedGif(): Promise<Buffer> {
  const frames = await Promise.all(
    ["#ff0000", "#0000ff"].map((colour) =>
      sharp({ create: { width: 32, height: 32, channels: 3, background: colour } })
        .raw()
        .toBuffer(),
    ),
  );
  const raw = { width: 32, height: 64, channels: 3 as const, pageHeight: 32 };
  return sharp(Buffer.concat(frames), { raw }).gif({ loop: 0 }).toBuffer();
}
