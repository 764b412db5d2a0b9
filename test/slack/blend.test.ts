import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BOT, type UserFile } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, mentionBot, type SlackHarness, startSlackHarness, USER } from "./harness.js";

let h: SlackHarness;
let red: Buffer;
let blue: Buffer;
let green: Buffer;
beforeAll(async () => {
  h = await startSlackHarness("slack-blend");
  const solid = (colour: string) =>
    sharp({ create: { width: 256, height: 256, channels: 3, background: colour } })
      .png()
      .toBuffer();
  [red, blue, green] = await Promise.all([solid("#c22"), solid("#22c"), solid("#2c2")]);
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const png = (name: string, bytes: Buffer): UserFile => ({ name, bytes, mimetype: "image/png" });
const editRequest = () => {
  const request = h.openai.requests.find((each) => each.path === "/v1/images/edits");
  return { request, images: request?.form?.files.filter((file) => file.field.startsWith("image")) ?? [] };
};
const downloads = () => h.slack.requests.filter((request) => request.path.startsWith("/files-pri/"));
const isResult = (text: string) => text.includes("imagine_reroll");
const spentToday = () => h.process.context.budget.spent({ kind: "user", id: `slack:${USER}` }, "day");

/** The private answer to a mention (an ephemeral message) or to a shortcut (its response_url). */
const privateAnswer = () =>
  waitFor("the private answer", () => {
    const answer = h.slack.ephemerals[0] ?? h.slack.responses[0];
    return answer === undefined ? undefined : String(answer.text);
  });

describe("blend on Slack", () => {
  it("@imagine blend with three images makes one image in the message's thread, with the blending prompt and aspect", async () => {
    const { event } = await mentionBot(h.slack, h.driver, {
      text: "blend at dawn --aspect portrait --partials 0",
      files: [png("fox.png", red), png("forest.png", blue), png("paint.png", green)],
    });
    await waitFor("the result", () =>
      h.slack.messages.find(
        (m) => m.bot_id && m.thread_ts === event.ts && isResult(JSON.stringify(m.blocks ?? [])),
      ),
    );
    const { request, images } = editRequest();
    expect(images.map((file) => file.bytes)).toEqual([red, blue, green]);
    expect(request?.form?.fields.size).toBe("1024x1536");
    expect(String(request?.form?.fields.prompt)).toMatch(
      /^at dawn\. Blend the 3 input images into one coherent/,
    );
  });

  it("/imagine blend, which can carry no images, says how to blend and spends nothing", async () => {
    for (const text of ["blend", "blend at dawn --aspect landscape"]) {
      const how = JSON.parse((await h.driver.slashCommand({ text })).body) as { text: string };
      expect(how.text).toContain("`@imagine blend at dawn --aspect landscape`");
      expect(how.text).toContain("*Blend images*");
    }
    expect(h.openai.requests).toHaveLength(0);
  });

  it('the "Blend images" shortcut blends a message\'s two images at once', async () => {
    const photos = h.slack.postAsUser({
      channel: CHANNEL,
      user: USER,
      text: "these two",
      files: [png("a.png", red), png("b.png", blue)],
    });
    await h.driver.messageShortcut({
      callbackId: "imagine_blend",
      user: USER,
      channel: CHANNEL,
      message: { ts: photos.ts, type: "message", user: USER },
    });
    await waitFor("the result", () =>
      h.slack.messages.find(
        (m) => m.bot_id && m.thread_ts === photos.ts && isResult(JSON.stringify(m.blocks ?? [])),
      ),
    );
    const { request, images } = editRequest();
    expect(images).toHaveLength(2);
    expect(String(request?.form?.fields.prompt)).toMatch(/^Blend the 2 input images/);
  });

  it('the "Blend images" shortcut on a result of two images blends its stored originals', async () => {
    await h.driver.slashCommand({ text: "two lanterns --n 2 --partials 0" });
    const result = await waitFor("the result", () =>
      h.slack.messages.find((m) => m.bot_id && isResult(JSON.stringify(m.blocks ?? []))),
    );
    await h.reset();
    await h.driver.messageShortcut({
      callbackId: "imagine_blend",
      user: USER,
      channel: CHANNEL,
      message: { ts: result.ts, type: "message", user: USER },
    });
    await waitFor("the blend's request", () => editRequest().request);
    expect(editRequest().images).toHaveLength(2);
    expect(String(editRequest().request?.form?.fields.prompt)).toMatch(/^Blend the 2 input images/);
    expect(downloads()).toHaveLength(0);
  });

  it.each([
    ["one image", () => [png("a.png", red)], "Blend takes 2 to 5 images; you gave 1."],
    [
      "six images",
      () => Array.from({ length: 6 }, (_, index) => png(`${index}.png`, red)),
      "Blend takes 2 to 5 images; you gave 6.",
    ],
    [
      "a file that is no image",
      () => [png("a.png", red), { name: "notes.txt", bytes: Buffer.from("a kite"), mimetype: "text/plain" }],
      "notes.txt is not an image (text/plain); input images must be PNG, JPEG, WebP, AVIF, HEIC, TIFF, BMP or GIF.",
    ],
  ] as const)(
    "@imagine blend with %s is refused in one private sentence at no cost",
    async (_case, files, sentence) => {
      const before = await spentToday();
      await mentionBot(h.slack, h.driver, { text: "blend", files: files() });
      expect(await privateAnswer()).toBe(`:warning: ${sentence}`);
      expect(downloads()).toHaveLength(0);
      expect(h.openai.requests).toHaveLength(0);
      expect((await spentToday()).micro).toBe(before.micro);
    },
  );

  it("@imagine blend with an image Slack declares over 50 MB is refused without fetching it", async () => {
    const posted = h.slack.postAsUser({
      channel: CHANNEL,
      user: USER,
      text: `<@${BOT.user_id}> blend`,
      files: [png("a.png", red), png("big.png", blue)],
    });
    await h.driver.event({
      type: "app_mention",
      user: USER,
      text: posted.text,
      ts: posted.ts,
      channel: CHANNEL,
      files: [posted.files[0], { ...posted.files[1], size: 60_000_000 }],
    });
    expect(await privateAnswer()).toContain("big.png is larger than 50 MB");
    expect(h.openai.requests).toHaveLength(0);
  });

  it('the "Blend images" shortcut on a message with one image answers privately and fetches nothing', async () => {
    const photo = h.slack.postAsUser({
      channel: CHANNEL,
      user: USER,
      text: "one",
      files: [png("a.png", red)],
    });
    await h.driver.messageShortcut({
      callbackId: "imagine_blend",
      user: USER,
      channel: CHANNEL,
      message: { ts: photo.ts, type: "message", user: USER },
    });
    expect(await privateAnswer()).toBe(":warning: Blend takes 2 to 5 images; you gave 1.");
    expect(downloads()).toHaveLength(0);
    expect(h.openai.requests).toHaveLength(0);
  });
});
