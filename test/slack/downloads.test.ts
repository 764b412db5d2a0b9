import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { downloadPrivate } from "../../src/platforms/slack/files.js";
import { resolveSlackOptions } from "../../src/platforms/slack/options.js";
import { BOT, type UserFile } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, mentionBot, type SlackHarness, startSlackHarness, USER } from "./harness.js";

let h: SlackHarness;

/** A server that is not Slack: answers each path with a handler the test picks, and records every request. */
let other: Server;
let otherHost: string;
const otherRequests: { url: string; headers: IncomingHttpHeaders }[] = [];
const handlers = new Map<string, (res: ServerResponse) => void>();

beforeAll(async () => {
  h = await startSlackHarness("slack-downloads");
  other = createServer((req, res) => {
    otherRequests.push({ url: req.url ?? "", headers: req.headers });
    const handler = handlers.get(req.url ?? "");
    if (handler) handler(res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
  otherHost = `127.0.0.1:${(other.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await h.close();
  other.closeAllConnections();
  await new Promise((resolve) => other.close(resolve));
});
beforeEach(async () => {
  await h.reset();
  otherRequests.length = 0;
  handlers.clear();
});

/** Options that trust the test's own server as if it were Slack's file host. */
const trustingOther = () => resolveSlackOptions({ apiUrl: `http://${otherHost}/api/` });
/** What a download that should have failed returned, small enough to print in a failure. */
const summary = (bytes: Buffer) => ({ downloadedBytes: bytes.length });
const downloads = () => h.slack.requests.filter((r) => r.path.startsWith("/files-pri/"));
const png = () =>
  sharp({ create: { width: 32, height: 32, channels: 3, background: "red" } })
    .png()
    .toBuffer();

describe("Slack file downloads", () => {
  it("refuse a chunked 60 MB body (no content-length) with the size message, and stop reading early", async () => {
    const chunk = Buffer.alloc(64 * 1024, 7);
    const total = 60_000_000;
    let written = 0;
    const closed = new Promise<{ finished: boolean; written: number }>((resolve) => {
      handlers.set("/files-pri/T1-F1/huge.png", (res) => {
        res.on("close", () => resolve({ finished: res.writableFinished, written }));
        res.writeHead(200, { "content-type": "image/png" });
        const pump = () => {
          while (written < total && !res.destroyed) {
            written += chunk.length;
            if (!res.write(chunk)) return void res.once("drain", pump);
          }
          if (!res.destroyed) res.end();
        };
        pump();
      });
    });
    const error = await downloadPrivate(
      `http://${otherHost}/files-pri/T1-F1/huge.png`,
      "xoxb-fake",
      trustingOther(),
      {
        name: "huge.png",
      },
    ).then(summary, (caught: unknown) => caught);
    expect(error).toMatchObject({
      code: "image_too_large",
      message: "huge.png is larger than 50 MB; input images must be under 50 MB.",
    });
    expect(otherRequests[0]?.headers["content-length"]).toBeUndefined();
    // The bot hung up before the server could send the whole body.
    const server = await closed;
    expect(server.finished).toBe(false);
    expect(server.written).toBeLessThan(total);
  });

  it("fail a stalled body with a timeout message naming the file", async () => {
    handlers.set("/files-pri/T1-F2/stalled.png", (res) => {
      res.writeHead(200, { "content-type": "image/png" });
      res.write(Buffer.alloc(1000, 1));
      // …and nothing more, ever.
    });
    const error = await downloadPrivate(
      `http://${otherHost}/files-pri/T1-F2/stalled.png`,
      "xoxb-fake",
      trustingOther(),
      { name: "stalled.png", timeoutMs: 300 },
    ).then(summary, (caught: unknown) => caught);
    expect(error).toMatchObject({ code: "attachment_download_timed_out" });
    expect((error as Error).message).toMatch(/^Downloading stalled\.png from Slack took longer than/);
  }, 15_000);

  it("refuse a redirect to a foreign host without sending the token there, and follow one within Slack", async () => {
    const options = resolveSlackOptions({ apiUrl: h.slack.apiUrl });
    const foreign = `http://${otherHost}/files-pri/T1-F3/a.png`;
    const error = await downloadPrivate(
      `${h.slack.origin}/redirect?to=${encodeURIComponent(foreign)}`,
      "xoxb-fake",
      options,
      { name: "a.png" },
    ).then(summary, (caught: unknown) => caught);
    expect(error).toMatchObject({ code: "slack_foreign_host" });
    expect((error as Error).message).toContain("a.png");
    expect((error as Error).message).toContain("not one of Slack's hosts");
    expect(otherRequests).toHaveLength(0);

    // A hop that stays on Slack's hosts is checked and followed, with the token.
    const posted = h.slack.postAsUser({
      channel: CHANNEL,
      user: USER,
      text: "a photo",
      files: [{ name: "b.png", bytes: await png(), mimetype: "image/png" }],
    });
    const target = posted.files[0]?.url_private ?? "";
    const bytes = await downloadPrivate(
      `${h.slack.origin}/redirect?to=${encodeURIComponent(target)}`,
      "xoxb-fake",
      options,
      { name: "b.png" },
    );
    expect(bytes.subarray(1, 4).toString("ascii")).toBe("PNG");
    expect(downloads()[0]?.headers.authorization).toBe("Bearer xoxb-fake");
  });
});

describe("a Slack mention with images", () => {
  /** A person posts files and mentions the bot; resolves with the private answer. */
  async function mentionWith(text: string, files: UserFile[]) {
    await mentionBot(h.slack, h.driver, { text, files });
    return waitFor("the private answer", () => h.slack.ephemerals[0]);
  }

  it("checks the options before downloading: a bad flag costs no download", async () => {
    const answer = await mentionWith("make it red --quality ultra", [
      { name: "a.png", bytes: await png(), mimetype: "image/png" },
    ]);
    expect(String(answer.text)).toContain("ultra");
    expect(downloads()).toHaveLength(0);
    expect(h.openai.requests).toHaveLength(0);
  });

  it("checks the options before downloading the thread's root image it would edit", async () => {
    const root = h.slack.postAsUser({
      channel: CHANNEL,
      user: USER,
      text: "my photo",
      files: [{ name: "root.png", bytes: await png(), mimetype: "image/png" }],
    });
    await mentionBot(h.slack, h.driver, { threadTs: root.ts, text: "make it blue --quality ultra" });
    const answer = await waitFor("the private answer", () => h.slack.ephemerals[0]);
    expect(String(answer.text)).toContain("ultra");
    expect(downloads()).toHaveLength(0);
    expect(h.openai.requests).toHaveLength(0);
  });

  it("refuses a file Slack declares larger than 50 MB without requesting it", async () => {
    const posted = h.slack.postAsUser({
      channel: CHANNEL,
      user: USER,
      text: `<@${BOT.user_id}> edit this`,
      files: [{ name: "big.png", bytes: await png(), mimetype: "image/png" }],
    });
    await h.driver.event({
      type: "app_mention",
      user: USER,
      text: posted.text,
      ts: posted.ts,
      channel: CHANNEL,
      files: [{ ...posted.files[0], size: 60_000_000 }],
    });
    const answer = await waitFor("the private answer", () => h.slack.ephemerals[0]);
    expect(String(answer.text)).toContain("big.png is larger than 50 MB; input images must be under 50 MB.");
    expect(downloads()).toHaveLength(0);
    expect(h.openai.requests).toHaveLength(0);
  });

  it("checks the file count before downloading: 17 images cost no download", async () => {
    const bytes = await png();
    const files = Array.from({ length: 17 }, (_, i) => ({ name: `${i}.png`, bytes, mimetype: "image/png" }));
    const answer = await mentionWith("combine these", files);
    expect(String(answer.text)).toContain("16");
    expect(downloads()).toHaveLength(0);
    expect(h.openai.requests).toHaveLength(0);
  });

  it("checks the file count before the Edit image shortcut downloads: 17 images cost no download", async () => {
    const bytes = await png();
    const photo = h.slack.postAsUser({
      channel: CHANNEL,
      user: USER,
      text: "my photos",
      files: Array.from({ length: 17 }, (_, i) => ({ name: `${i}.png`, bytes, mimetype: "image/png" })),
    });
    await h.driver.messageShortcut({
      callbackId: "imagine_edit",
      user: USER,
      channel: CHANNEL,
      message: { ts: photo.ts, type: "message", user: USER },
    });
    const view = await waitFor("the modal", () => h.slack.views[0]);
    await h.driver.viewSubmission({ user: USER, view, values: { prompt: { prompt: "make it blue" } } });
    const answer = await waitFor("the private answer", () => h.slack.ephemerals[0]);
    expect(String(answer.text)).toContain("16");
    expect(downloads()).toHaveLength(0);
    expect(h.openai.requests).toHaveLength(0);
  });
});
