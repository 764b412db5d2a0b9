import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { webApi } from "@slack/bolt";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "./server.js";

let fake: FakeSlack;
let dir: string;
let client: webApi.WebClient;
const png = () =>
  sharp({ create: { width: 8, height: 8, channels: 3, background: "red" } })
    .png()
    .toBuffer();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fake-slack-"));
  fake = await startFakeSlack({ fileReadyDelayMs: 150, record: join(dir, "record.jsonl") });
  client = new webApi.WebClient("xoxb-fake", {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 2, factor: 1 },
  });
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => fake.reset());

async function upload(bytes: Buffer): Promise<string> {
  const { upload_url, file_id } = await client.files.getUploadURLExternal({
    filename: "a.png",
    length: bytes.length,
  });
  await fetch(String(upload_url), { method: "POST", body: new Uint8Array(bytes) });
  await client.files.completeUploadExternal({ files: [{ id: String(file_id) }] });
  return String(file_id);
}

describe("the fake Slack Web API (real @slack/web-api client)", () => {
  it("posts and updates messages, parsing form bodies and recording JSON lines", async () => {
    const posted = await client.chat.postMessage({
      channel: "C1",
      text: "hi",
      blocks: [{ type: "section", text: { type: "mrkdwn", text: "hi" } }],
    });
    await client.chat.update({ channel: "C1", ts: String(posted.ts), text: "bye" });
    expect(fake.message("C1", String(posted.ts))?.history.map((h) => h.text)).toEqual(["hi", "bye"]);
    const sent = fake.calls("chat.postMessage")[0]?.json as { blocks: unknown[] };
    expect(sent.blocks).toHaveLength(1);
    const lines = (await readFile(join(dir, "record.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ method: "POST", path: "/api/chat.update", json: { text: "bye" } });
    expect(Object.keys(lines.at(-1))).toEqual(["method", "path", "headers", "json"]);
  });

  it("rejects an image block until files.info reports the file ready", async () => {
    const id = await upload(await png());
    const block = [{ type: "image", alt_text: "x", slack_file: { id } }];
    await expect(client.chat.postMessage({ channel: "C1", text: "x", blocks: block })).rejects.toMatchObject({
      data: { error: "invalid_blocks", errors: [expect.stringContaining("invalid slack file")] },
    });
    expect((await client.files.info({ file: id })).file?.mimetype).toBe("");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await client.files.info({ file: id })).file?.mimetype).toBe("image/png");
    await client.chat.postMessage({ channel: "C1", text: "x", blocks: block });
  });

  it("answers 429 with retry-after, which the client honours", async () => {
    fake.rateLimit("chat.postMessage", 1);
    const started = Date.now();
    await client.chat.postMessage({ channel: "C1", text: "late" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.calls("chat.postMessage")).toHaveLength(2);
  });

  it("refuses a wrong token and serves url_private only with the bot token", async () => {
    const other = new webApi.WebClient("xoxb-wrong", { slackApiUrl: fake.apiUrl });
    await expect(other.auth.test()).rejects.toMatchObject({ data: { error: "invalid_auth" } });
    const message = fake.postAsUser({
      channel: "C1",
      user: "U1",
      text: "look",
      files: [{ name: "a.png", bytes: await png(), mimetype: "image/png" }],
    });
    const url = message.files[0]?.url_private ?? "";
    expect((await fetch(url)).headers.get("content-type")).toContain("text/html");
    const ok = await fetch(url, { headers: { authorization: "Bearer xoxb-fake" } });
    expect(ok.headers.get("content-type")).toBe("image/png");
  });
});

describe("FAKE_SLACK_RECORD", () => {
  it("records every Web API request of a fake started without a record option", async () => {
    const file = join(dir, "from-env.jsonl");
    process.env.FAKE_SLACK_RECORD = file;
    const recorded = await startFakeSlack();
    delete process.env.FAKE_SLACK_RECORD;
    try {
      const client = new webApi.WebClient("xoxb-fake", { slackApiUrl: recorded.apiUrl });
      await client.auth.test();
      const [line] = (await readFile(file, "utf8")).trim().split("\n");
      expect(JSON.parse(line ?? "{}")).toMatchObject({ method: "POST", path: "/api/auth.test" });
    } finally {
      await recorded.close();
    }
  });
});

describe("--record", () => {
  it("keeps every token out of the file: headers, auth.test's form body, JSON bodies, the app token", async () => {
    const file = join(dir, "tokens.jsonl");
    const recorded = await startFakeSlack({ record: file });
    try {
      await new webApi.WebClient("xoxb-fake", { slackApiUrl: recorded.apiUrl }).auth.test();
      await new webApi.WebClient(undefined, { slackApiUrl: recorded.apiUrl }).auth.test({
        token: "xoxb-fake",
      });
      // As Bolt's authorize and older clients send it: the token as a form field, no Authorization header.
      await fetch(`${recorded.apiUrl}auth.test`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "token=xoxb-fake",
      });
      await fetch(`${recorded.apiUrl}chat.postMessage`, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8", authorization: "Bearer xoxb-fake" },
        body: JSON.stringify({ channel: "C1", text: "a token xoxp-123-456 pasted in a message" }),
      });
      await new webApi.WebClient("xapp-fake", { slackApiUrl: recorded.apiUrl }).apps.connections.open();
      const text = await readFile(file, "utf8");
      const lines = text
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { path: string });
      expect(lines.map((line) => line.path)).toEqual([
        "/api/auth.test",
        "/api/auth.test",
        "/api/auth.test",
        "/api/chat.postMessage",
        "/api/apps.connections.open",
      ]);
      expect(text).not.toMatch(/xox[a-z]-|xapp-/);
      expect(text).toContain("[redacted]");
      expect(lines[3]).toMatchObject({
        json: { channel: "C1", text: "a token [redacted] pasted in a message" },
      });
    } finally {
      await recorded.close();
    }
  });
});

describe("conversations.open", () => {
  it("gives the bot the same DM with a person every time, and needs a scope that allows it", async () => {
    const first = await client.conversations.open({ users: "U0FAKEUSER1" });
    const again = await client.conversations.open({ users: "U0FAKEUSER1" });
    expect(first.channel?.id).toMatch(/^D/);
    expect(again.channel?.id).toBe(first.channel?.id);
    const withoutScope = await startFakeSlack({ scopes: ["chat:write", "commands"] });
    try {
      const limited = new webApi.WebClient("xoxb-fake", { slackApiUrl: withoutScope.apiUrl });
      await expect(limited.conversations.open({ users: "U0FAKEUSER1" })).rejects.toMatchObject({
        data: { error: "missing_scope" },
      });
    } finally {
      await withoutScope.close();
    }
  });
});
