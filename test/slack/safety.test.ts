import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isTokenSafe } from "../../src/platforms/slack/hosts.js";
import { BOT } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, type SlackHarness, startSlackHarness, USER } from "./harness.js";

let h: SlackHarness;

/** A person posts an image and mentions the bot: an edit whose file the bot must fetch. */
async function postImageMention() {
  const bytes = await sharp({ create: { width: 64, height: 64, channels: 3, background: "red" } })
    .png()
    .toBuffer();
  return h.slack.postAsUser({
    channel: CHANNEL,
    user: USER,
    text: `<@${BOT.user_id}> edit this`,
    files: [{ name: "a.png", bytes, mimetype: "image/png" }],
  });
}
let foreign: Server;
let foreignOrigin: string;
const foreignRequests: { url: string; headers: IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  h = await startSlackHarness("slack-safety");
  foreign = createServer((req, res) => {
    foreignRequests.push({ url: req.url ?? "", headers: req.headers });
    res.end("ok");
  });
  await new Promise<void>((resolve) => foreign.listen(0, "127.0.0.1", resolve));
  foreignOrigin = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await h.close();
  await new Promise((resolve) => foreign.close(resolve));
});
beforeEach(async () => {
  await h.reset();
  foreignRequests.length = 0;
});

describe("the bot token never leaves Slack's hosts", () => {
  it("sends nothing to an upload_url on a foreign host, and says so in the status message", async () => {
    h.slack.setUploadOrigin(foreignOrigin);
    await h.driver.slashCommand({ text: "a lighthouse --partials 1" });
    const status = await waitFor("the failure", () =>
      h.slack.messages.find((m) => m.bot_id && m.text.includes("not one of Slack's hosts")),
    );
    expect(status.text).toContain("refused to send its token");
    expect(h.slack.calls("files.getUploadURLExternal").length).toBeGreaterThan(0);
    expect(foreignRequests).toHaveLength(0);
  });

  it("does not download a file whose url_private is on a foreign host", async () => {
    const posted = await postImageMention();
    const file = {
      ...posted.files[0],
      url_private: `${foreignOrigin}/files-pri/${posted.files[0]?.id}/a.png`,
    };
    await h.driver.event({
      type: "app_mention",
      user: USER,
      text: posted.text,
      ts: posted.ts,
      channel: CHANNEL,
      files: [file],
    });
    const answer = await waitFor("the private answer", () => h.slack.ephemerals[0]);
    expect(String(answer.text)).toContain("not one of Slack's hosts");
    expect(foreignRequests).toHaveLength(0);
    expect(h.openai.requests).toHaveLength(0);
  });

  it("does not follow a redirect from a Slack host to a foreign one", async () => {
    const posted = await postImageMention();
    const url_private = `${h.slack.origin}/redirect?to=${encodeURIComponent(`${foreignOrigin}/a.png`)}`;
    await h.driver.event({
      type: "app_mention",
      user: USER,
      text: posted.text,
      ts: posted.ts,
      channel: CHANNEL,
      files: [{ ...posted.files[0], url_private }],
    });
    const answer = await waitFor("the private answer", () => h.slack.ephemerals[0]);
    expect(String(answer.text)).toContain("not one of Slack's hosts");
    expect(h.slack.requests.some((r) => r.path === "/redirect")).toBe(true);
    expect(foreignRequests).toHaveLength(0);
  });

  it("trusts https Slack hosts only, and a test host only when named", () => {
    expect(isTokenSafe("https://files.slack.com/files-pri/T1-F1/a.png")).toBe(true);
    expect(isTokenSafe("https://slack.com/api/x")).toBe(true);
    expect(isTokenSafe("http://files.slack.com/a")).toBe(false);
    expect(isTokenSafe("https://files.slack.com.evil.example/a")).toBe(false);
    expect(isTokenSafe("https://evilslack.com/a")).toBe(false);
    expect(isTokenSafe("https://user@files.slack.com/a")).toBe(false);
    expect(isTokenSafe("not a url")).toBe(false);
    expect(isTokenSafe("http://127.0.0.1:4020/upload")).toBe(false);
    expect(isTokenSafe("http://127.0.0.1:4020/upload", ["127.0.0.1:4020"])).toBe(true);
  });
});
