import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RunIndex } from "../../src/stores/run-index.js";
import type { FakeInteraction, FakeMessage } from "../fakes/discord/fake.js";
import { customIds, jobIdOf } from "../helpers/discord-result.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordBot, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
beforeAll(async () => {
  bot = await startDiscordBot("discord-history");
});
afterAll(() => bot.close());
beforeEach(() => bot.reset());

const IS_COMPONENTS_V2 = 1 << 15;
const EPHEMERAL = 64;

/** What the person was told privately: the reply, the deferred reply edited, or a follow-up. */
function privateAnswer(interaction: FakeInteraction): Promise<string> {
  return waitFor("the private answer", () => {
    const texts = [
      interaction.callbackData?.content,
      bot.discord.original(interaction)?.content,
      ...interaction.followupIds.map((id) => bot.discord.message(id).content),
    ];
    return texts.find((text): text is string => typeof text === "string" && text !== "");
  });
}

async function imagine(prompt: string): Promise<{ message: FakeMessage; jobId: string }> {
  const message = await bot.finalReply(await bot.discord.slash("imagine", { prompt, partials: 0 }));
  return { message, jobId: jobIdOf(message) };
}

interface V2Component {
  type: number;
  content?: string;
  items?: { media: { url: string } }[];
  components?: { custom_id?: string }[];
}

/** The `/history` message once its list is in: its V2 components, attachments and buttons. */
async function historyOf(interaction: FakeInteraction) {
  const message = await waitFor("the history list", () => {
    const original = bot.discord.original(interaction);
    return original && original.components.length > 0 ? original : undefined;
  });
  const components = message.components as V2Component[];
  return {
    message,
    text: components.find((component) => component.type === 10)?.content ?? "",
    gallery: components.find((component) => component.type === 12)?.items ?? [],
    buttons: customIds(message.components),
  };
}

/** The shown result, once the renderer has filled the new message the command or button answered with. */
const shownBy = (interaction: FakeInteraction) => bot.finalReply(interaction);

describe("/history and /show on Discord", () => {
  it("lists a person's runs newest first, privately, and shows them again with working buttons", async () => {
    const empty = await bot.discord.slash("history");
    expect(await privateAnswer(empty)).toBe("⚠️ You have no images here yet. Try /imagine.");

    const kite = await imagine("a red kite");
    const boat = await imagine("a blue boat");
    const hill = await imagine("a green hill");
    const history = await bot.discord.slash("history");
    const list = await historyOf(history);
    expect(list.message.flags & EPHEMERAL).toBe(EPHEMERAL);
    const sent = bot.discord.requests.find(
      (request) => request.method === "PATCH" && request.path.includes(history.token),
    )?.json as { flags?: number; content?: string } | undefined;
    expect((sent?.flags ?? 0) & IS_COMPONENTS_V2).toBe(IS_COMPONENTS_V2);
    expect(sent?.content).toBeUndefined();
    const lines = list.text.split("\n").slice(1);
    expect(lines).toEqual([
      `1. job \`${hill.jobId}\` · a green hill`,
      `2. job \`${boat.jobId}\` · a blue boat`,
      `3. job \`${kite.jobId}\` · a red kite`,
    ]);
    expect(list.buttons).toEqual([`show:${hill.jobId}`, `show:${boat.jobId}`, `show:${kite.jobId}`]);
    // One thumbnail per run, each a file of the message it names.
    const names = list.message.attachments.map((attachment) => attachment.filename);
    expect(list.gallery.map((item) => item.media.url)).toEqual(names.map((name) => `attachment://${name}`));
    expect(names).toHaveLength(3);

    const showClick = await bot.discord.click(list.message, `show:${boat.jobId}`);
    const shown = await shownBy(showClick);
    expect(shown.flags & EPHEMERAL).toBe(0);
    expect(shown.id).not.toBe(boat.message.id);
    expect(jobIdOf(shown)).toBe(boat.jobId);
    expect(shown.attachments).toHaveLength(1);
    expect(customIds(shown.components)).toContain(`details:${boat.jobId}`);
    // Nothing was generated to show it.
    const imageRequests = bot.openai.requests.filter((request) => request.path.includes("/images/"));
    expect(imageRequests).toHaveLength(3);

    const details = await bot.discord.click(shown, `details:${boat.jobId}`);
    const embeds = await waitFor(
      "the details",
      () => details.callbackData?.embeds as { title: string }[] | undefined,
    );
    const [embed] = embeds;
    expect(embed?.title).toBe(`Details of ${boat.jobId}`);

    const slashShow = await shownBy(await bot.discord.slash("show", { job: kite.jobId }));
    expect(jobIdOf(slashShow)).toBe(kite.jobId);
    // Vary under the shown result edits the original run's image.
    bot.openai.reset();
    const varied = await bot.finalReply(await bot.discord.click(slashShow, `vary:${kite.jobId}`));
    expect(jobIdOf(varied)).not.toBe(kite.jobId);
    const edit = bot.openai.requests.find((request) => request.path === "/v1/images/edits");
    const sentImage = edit?.form?.files.find((file) => file.field.startsWith("image"));
    const original = await readFile(join(bot.storageDir, kite.jobId, "final_0.png"));
    expect(sentImage?.bytes.equals(original)).toBe(true);
  });

  it("refuses another server's job, a forgotten one and a malformed id, and stops listing what was deleted", async () => {
    const elsewhere = await imagine("a yellow bus");
    const deleted = await imagine("a grey owl");
    const kept = await imagine("a white swan");

    // A run made in another server on the same bot (its folder says where it was made).
    const file = join(bot.storageDir, elsewhere.jobId, "metadata.json");
    const metadata = JSON.parse(await readFile(file, "utf8"));
    metadata.origin.user.workspace = "912345678901234567";
    await writeFile(file, JSON.stringify(metadata));
    const foreign = await bot.discord.slash("show", { job: elsewhere.jobId });
    expect(await privateAnswer(foreign)).toBe(`⚠️ I have no image with job id ${elsewhere.jobId} here.`);

    const remove = await bot.discord.click(deleted.message, `delete:${deleted.jobId}`);
    await waitFor("the result deleted", () => bot.discord.message(deleted.message.id).deleted);
    await waitFor("the deletion answered", () => remove.followupIds[0]);
    const gone = await bot.discord.slash("show", { job: deleted.jobId });
    expect(await privateAnswer(gone)).toBe(`⚠️ I have no image with job id ${deleted.jobId} here.`);
    const owner = { platform: "discord", id: bot.discord.user.id, workspace: bot.discord.guildId };
    const index = new RunIndex(bot.running.context.redis, bot.config.queuePrefix);
    expect(await index.newest(owner)).not.toContain(deleted.jobId);

    const malformed = await bot.discord.slash("show", { job: "last-tuesday" });
    expect(await privateAnswer(malformed)).toMatch(/^⚠️ That is not a job id/);
    const unknown = await bot.discord.slash("show", { job: "20200101-000000-0badf00d" });
    expect(await privateAnswer(unknown)).toBe("⚠️ I have no image with job id 20200101-000000-0badf00d here.");

    const list = await historyOf(await bot.discord.slash("history"));
    expect(list.buttons.slice(0, 1)).toEqual([`show:${kept.jobId}`]);
    expect(list.buttons).not.toContain(`show:${deleted.jobId}`);
    expect(list.buttons).not.toContain(`show:${elsewhere.jobId}`);
  });

  it("lists the newest 10 of more: a gallery of 10 thumbnails and two rows of 5 Show buttons", async () => {
    const made: string[] = [];
    for (let i = 1; i <= 11; i++) made.push((await imagine(`a paper boat, take ${i}`)).jobId);
    const list = await historyOf(await bot.discord.slash("history"));
    const newest = made.slice(1).reverse();
    expect(list.buttons).toEqual(newest.map((jobId) => `show:${jobId}`));
    expect(list.gallery).toHaveLength(10);
    expect(list.message.attachments).toHaveLength(10);
    const rows = (list.message.components as V2Component[]).filter((component) => component.type === 1);
    expect(rows.map((row) => row.components?.length)).toEqual([5, 5]);
    expect(list.text).toContain(`10. job \`${made[1]}\` · a paper boat, take 2`);
  });
});
