import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { freePort, type SlackHarness, startSlackHarness } from "../slack/harness.js";

/** Slack's image blocks show png, jpeg and gif: a webp final's result links its original instead. */
let h: SlackHarness;
let base: string;
beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  h = await startSlackHarness("slack-originals", { env: { HTTP_PORT: String(port), PUBLIC_BASE_URL: base } });
});
afterAll(() => h.close());

const result = () =>
  waitFor("the result", () =>
    h.slack.messages.find(
      (m: FakeMessage) => m.bot_id && !m.deleted && JSON.stringify(m.blocks ?? []).includes("imagine_reroll"),
    ),
  );

describe("a Slack result with a final it cannot show", () => {
  it("links the webp original, which the bot serves", async () => {
    await h.driver.slashCommand({ text: "a kettle --format webp" });
    const blocks = JSON.stringify((await result())?.blocks);
    const link = /<(http:[^|]+)\|Image 1 \(WEBP, not shown here\)>/.exec(blocks)?.[1] ?? "";
    expect(link.startsWith(`${base}/originals/`), blocks).toBe(true);
    expect(blocks).not.toContain('"type":"image"');
    const response = await fetch(link.replaceAll("\\u0026", "&").replaceAll("&amp;", "&"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/webp");
  });

  it("links nothing when every final is shown", async () => {
    await h.reset();
    await h.driver.slashCommand({ text: "a kettle --format png" });
    const blocks = JSON.stringify((await result())?.blocks);
    expect(blocks).toContain('"type":"image"');
    expect(blocks).not.toContain("/originals/");
  });
});
