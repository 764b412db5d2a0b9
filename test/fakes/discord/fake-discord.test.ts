import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REST } from "@discordjs/rest";
import { AttachmentBuilder, Client, Events, GatewayIntentBits, type Interaction, Routes } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../helpers/wait-for.js";
import { type FakeDiscord, startFakeDiscord } from "./fake.js";

let fake: FakeDiscord;
let client: Client;
let dir: string;
const interactions: Interaction[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fake-discord-"));
  // Short enough for the heartbeat test to see a round trip soon, long enough that a loaded machine never
  // misses an ACK: discord.js drops a connection whose ACK is late, and a dispatch sent meanwhile is lost
  // (at 100 ms this lost an interaction in one loaded CI run).
  fake = await startFakeDiscord({ recordFile: join(dir, "requests.jsonl"), heartbeatIntervalMs: 2_000 });
  client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
    rest: { api: fake.url },
  });
  client.on(Events.InteractionCreate, (interaction) => {
    interactions.push(interaction);
  });
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(fake.token);
  await ready;
});

afterAll(async () => {
  await client.destroy();
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

const png = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

describe("fake Discord with the real discord.js client", () => {
  it("connects through GET /gateway/bot and the gateway, with realistic snowflakes", () => {
    expect(client.user?.id).toBe(fake.botUser.id);
    expect(client.guilds.cache.get(fake.guildId)?.channels.cache.has(fake.channelId)).toBe(true);
    expect(fake.guildId).toMatch(/^\d{17,19}$/);
    expect(fake.requests.some((request) => request.path === "/api/v10/gateway/bot")).toBe(true);
  });

  it("acknowledges heartbeats (discord.js measures a ping from them)", async () => {
    await waitFor("a heartbeat round trip", () => client.ws.ping >= 0);
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);
  });

  it("delivers a slash command; defer, then edits replace attachments listed in `attachments`", async () => {
    const sent = await fake.slash("imagine", {
      prompt: "a cat",
      n: 2,
      image: { filename: "in.png", bytes: png },
    });
    const interaction = await waitFor("interaction", () => interactions.find((each) => each.id === sent.id));
    if (!interaction.isChatInputCommand()) throw new Error("expected a chat input command");
    expect(interaction.options.getString("prompt")).toBe("a cat");
    expect(interaction.options.getInteger("n")).toBe(2);
    expect(interaction.options.getAttachment("image")?.url).toContain(fake.origin);
    await interaction.deferReply();
    await interaction.editReply({
      content: "frame 1",
      files: [new AttachmentBuilder(png, { name: "p0.png" })],
    });
    // Without `attachments`, new files are added to the old ones; with `[]` plus the file, only the new stays.
    await interaction.editReply({
      content: "frame 2",
      files: [new AttachmentBuilder(png, { name: "p1.png" })],
      attachments: [],
    });
    const message = fake.original(sent);
    expect(message?.history.map((version) => version.attachments)).toEqual([[], ["p0.png"], ["p1.png"]]);
  });

  it("answers 413 past the upload limit and 50027 after the token expired; bot-token edits still work", async () => {
    fake.setAttachmentSizeLimit(10);
    const sent = await fake.slash("imagine", { prompt: "big" });
    fake.setAttachmentSizeLimit(10 * 1024 * 1024);
    const interaction = await waitFor("interaction", () => interactions.find((each) => each.id === sent.id));
    if (!interaction.isChatInputCommand()) throw new Error("expected a chat input command");
    await interaction.deferReply();
    expect(interaction.attachmentSizeLimit).toBe(10);
    await expect(
      interaction.editReply({ files: [new AttachmentBuilder(png, { name: "big.png" })] }),
    ).rejects.toMatchObject({ status: 413, code: 40005 });
    fake.expireToken(sent);
    await expect(interaction.editReply({ content: "late" })).rejects.toMatchObject({ code: 50027 });
    const rest = new REST({ api: fake.url }).setToken(fake.token);
    const messageId = fake.original(sent)?.id ?? "";
    await rest.patch(Routes.channelMessage(fake.channelId, messageId), {
      body: { content: "via bot token" },
    });
    expect(fake.message(messageId).content).toBe("via bot token");
  });

  it("sends a command from a user install in a DM as Discord does; the bot token gets 403 there", async () => {
    const sent = await fake.slashInDm("imagine", { prompt: "in a DM" });
    const interaction = await waitFor("interaction", () => interactions.find((each) => each.id === sent.id));
    if (!interaction.isChatInputCommand()) throw new Error("expected a chat input command");
    const channelId = interaction.channelId ?? "";
    expect(sent.payload).toMatchObject({
      context: 2,
      authorizing_integration_owners: { "1": fake.user.id },
      user: { id: fake.user.id },
      channel: { id: channelId, type: 1 },
    });
    expect(sent.payload).not.toHaveProperty("guild_id");
    expect(sent.payload).not.toHaveProperty("member");
    expect(interaction.inGuild()).toBe(false);
    expect(interaction.authorizingIntegrationOwners.guildId).toBeNull();
    // The interaction's webhook reaches the DM; the bot user, who is not in it, does not.
    await interaction.deferReply();
    await interaction.editReply({ content: "via the webhook" });
    const original = fake.original(sent);
    expect(original?.content).toBe("via the webhook");
    const rest = new REST({ api: fake.url }).setToken(fake.token);
    const missingAccess = { status: 403, code: 50001 };
    await expect(
      rest.post(Routes.channelMessages(channelId), { body: { content: "bot token" } }),
    ).rejects.toMatchObject(missingAccess);
    await expect(
      rest.patch(Routes.channelMessage(channelId, original?.id ?? ""), { body: { content: "bot token" } }),
    ).rejects.toMatchObject(missingAccess);
    await expect(
      rest.post(Routes.threads(channelId, original?.id ?? ""), { body: { name: "refine" } }),
    ).rejects.toMatchObject(missingAccess);
    expect(original?.content).toBe("via the webhook");
  });

  it("sends a group DM's command with a GROUP_DM channel; the DM with the bot is context 1", async () => {
    const group = await fake.slashInDm("imagine", { prompt: "group" }, { group: true });
    expect(group.payload).toMatchObject({ context: 2, channel: { type: 3 } });
    const botDm = await fake.slash("imagine", { prompt: "bot DM" }, fake.user, fake.privateChannel("bot-dm"));
    expect(botDm.payload).toMatchObject({ context: 1, channel: { type: 1 } });
    for (const sent of [group, botDm]) {
      const interaction = await waitFor("interaction", () =>
        interactions.find((each) => each.id === sent.id),
      );
      expect(interaction.inGuild()).toBe(false);
    }
  });

  it("injects 429s that @discordjs/rest waits out and retries", async () => {
    const rest = new REST({ api: fake.url }).setToken(fake.token);
    fake.rateLimit({ times: 2, retryAfterSeconds: 0.2, match: /POST .*\/messages$/ });
    const started = Date.now();
    await rest.post(Routes.channelMessages(fake.channelId), { body: { content: "hello" } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    const posts = fake.requests.filter(
      (request) => request.method === "POST" && request.path.endsWith("/messages"),
    );
    expect(posts.slice(-3).map((request) => request.status)).toEqual([429, 429, 200]);
  });

  it("refuses more than 5 buttons in an action row, or more than 5 rows, as Discord does", async () => {
    const rest = new REST({ api: fake.url }).setToken(fake.token);
    const button = (index: number) => ({ type: 2, style: 2, label: `b${index}`, custom_id: `b${index}` });
    const row = (count: number) => ({
      type: 1,
      components: Array.from({ length: count }, (_, i) => button(i)),
    });
    const post = (components: unknown[]) =>
      rest.post(Routes.channelMessages(fake.channelId), { body: { content: "buttons", components } });
    await expect(post([row(6)])).rejects.toMatchObject({ status: 400, code: 50035 });
    await expect(post(Array.from({ length: 6 }, () => row(1)))).rejects.toMatchObject({
      status: 400,
      code: 50035,
    });
    await expect(post([row(5), row(5)])).resolves.toBeDefined();
  });

  it("takes a link button with its url and no custom id, and refuses anything between, as Discord does", async () => {
    const rest = new REST({ api: fake.url }).setToken(fake.token);
    const post = (button: Record<string, unknown>) =>
      rest.post(Routes.channelMessages(fake.channelId), {
        body: {
          content: "a link",
          components: [{ type: 1, components: [{ type: 2, label: "Open", ...button }] }],
        },
      });
    const url = "https://imagine.example.com/studio/edit-region?link=abc";
    await expect(post({ style: 5, url })).resolves.toBeDefined();
    const invalid = { status: 400, code: 50035 };
    await expect(post({ style: 5, url, custom_id: "open" })).rejects.toMatchObject(invalid);
    await expect(post({ style: 5 })).rejects.toMatchObject(invalid);
    await expect(post({ style: 5, url: "javascript:alert(1)" })).rejects.toMatchObject(invalid);
    await expect(post({ style: 5, url: `${url}${"x".repeat(512)}` })).rejects.toMatchObject(invalid);
    await expect(post({ style: 2, url, custom_id: "open" })).rejects.toMatchObject(invalid);
  });

  it("records every request as JSON lines with payload_json parsed and file sizes", async () => {
    // An edit of its own, so the record holds it whatever ran before.
    const sent = await fake.slash("imagine", { prompt: "recorded" });
    const interaction = await waitFor("interaction", () => interactions.find((each) => each.id === sent.id));
    if (!interaction.isChatInputCommand()) throw new Error("expected a chat input command");
    await interaction.deferReply();
    await interaction.editReply({
      content: "recorded frame",
      files: [new AttachmentBuilder(png, { name: "recorded.png" })],
    });
    const lines = (await readFile(join(dir, "requests.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const edit = lines.find((line) => line.method === "PATCH" && line.json?.content === "recorded frame");
    expect(edit).toMatchObject({
      files: [{ name: "recorded.png", contentType: "image/png", bytes: png.length }],
    });
    expect(JSON.stringify(lines)).not.toContain(fake.token);
  });
});

describe("FAKE_DISCORD_RECORD", () => {
  it("records every request of a fake started without a record option", async () => {
    const file = join(dir, "from-env.jsonl");
    process.env.FAKE_DISCORD_RECORD = file;
    const recorded = await startFakeDiscord();
    delete process.env.FAKE_DISCORD_RECORD;
    try {
      await new REST({ api: recorded.url }).setToken(recorded.token).get(Routes.gatewayBot());
      const [line] = (await readFile(file, "utf8")).trim().split("\n");
      expect(JSON.parse(line ?? "{}")).toMatchObject({
        method: "GET",
        path: expect.stringMatching(/\/gateway\/bot$/),
      });
    } finally {
      await recorded.close();
    }
  });
});
