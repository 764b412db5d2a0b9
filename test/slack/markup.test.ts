import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { UserFile } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, mentionBot, type SlackHarness, startSlackHarness, USER } from "./harness.js";

/** A transparent canvas with one opaque stroke: an arrow drawn over the photo. */
const strokes = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 4, background: "#0000" } })
    .composite([
      { input: { create: { width: 8, height: 64, channels: 4, background: "#f00f" } }, left: 8, top: 8 },
    ])
    .png()
    .toBuffer();

let h: SlackHarness;
let room: Buffer;
let arrows: Buffer;
beforeAll(async () => {
  h = await startSlackHarness("slack-markup");
  room = await sharp({ create: { width: 256, height: 256, channels: 3, background: "#864" } })
    .png()
    .toBuffer();
  arrows = await strokes(256, 256);
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const png = (name: string, bytes: Buffer): UserFile => ({ name, bytes, mimetype: "image/png" });
const isResult = (blocks: unknown) => JSON.stringify(blocks ?? []).includes("imagine_reroll");
const privateAnswer = () =>
  waitFor("the private answer", () => {
    const answer = h.slack.ephemerals[0];
    return answer === undefined ? undefined : String(answer.text);
  });

describe("markup on Slack: the PNG named markup… among a mention's files", () => {
  it("goes to OpenAI as the markup over the first image, not as an input image", async () => {
    const { event } = await mentionBot(h.slack, h.driver, {
      text: "move the lamp where the arrow points --model gpt-image-2.5-flare --partials 0",
      files: [png("room.png", room), png("markup-arrows.png", arrows)],
    });
    await waitFor("the result", () =>
      h.slack.messages.find((m) => m.bot_id && m.thread_ts === event.ts && isResult(m.blocks)),
    );
    const edit = h.openai.requests.find((request) => request.path === "/v1/images/edits");
    const files = edit?.form?.files ?? [];
    expect(files.filter((file) => file.field.startsWith("image")).map((file) => file.bytes)).toEqual([room]);
    expect(files.find((file) => file.field === "markup")?.bytes.equals(arrows)).toBe(true);
  });

  it.each([
    [
      "on the default gpt-image-2",
      async () => arrows,
      "",
      "Model gpt-image-2 does not take a markup; markup needs gpt-image-2.5-sunburst or gpt-image-2.5-flare.",
    ],
    [
      "of another size",
      () => strokes(128, 256),
      " --model gpt-image-2.5-flare",
      "The markup is 128x256 but the first image is 256x256; draw it at the image's size.",
    ],
    [
      "without transparency",
      async () => room,
      " --model gpt-image-2.5-sunburst",
      "The markup (markup.png) has no transparency, so it would hide the image; the markup must be a PNG with transparency, drawn over the first image at its size.",
    ],
  ] as const)(
    "a markup %s is refused in one private sentence, nothing sent",
    async (_case, make, flags, sentence) => {
      await mentionBot(h.slack, h.driver, {
        text: `move the lamp${flags}`,
        files: [png("room.png", room), png("markup.png", await make())],
      });
      expect(await privateAnswer()).toBe(`:warning: ${sentence}`);
      expect(h.openai.requests).toHaveLength(0);
    },
  );
});

describe("markup on Slack: the Edit image form's optional file input", () => {
  /** Opens the form on a person's photo; resolves with the view the bot opened. */
  async function openForm() {
    const photo = h.slack.postAsUser({
      channel: CHANNEL,
      user: USER,
      text: "my room",
      files: [png("room.png", room)],
    });
    await h.driver.messageShortcut({
      callbackId: "imagine_edit",
      user: USER,
      channel: CHANNEL,
      message: { ts: photo.ts, type: "message", user: USER },
    });
    return waitFor("the modal", () => h.slack.views[0]);
  }

  it("offers one PNG as the markup and sends the file put there", async () => {
    const view = await openForm();
    const input = (view.blocks as { block_id?: string; optional?: boolean; element?: unknown }[]).find(
      (block) => block.block_id === "markup",
    );
    expect(input).toMatchObject({
      optional: true,
      element: { type: "file_input", filetypes: ["png"], max_files: 1 },
    });
    const file = h.slack.uploadAsUser(png("arrows.png", arrows));
    await h.driver.viewSubmission({
      user: USER,
      view,
      values: {
        prompt: { prompt: "move the lamp where the arrow points --model gpt-image-2.5-flare --partials 0" },
        markup: { markup: { files: [file] } },
      },
    });
    await waitFor("the edit", () => h.openai.requests.find((request) => request.path === "/v1/images/edits"));
    await h.idle();
    const files = h.openai.requests.find((request) => request.path === "/v1/images/edits")?.form?.files ?? [];
    expect(files.filter((each) => each.field.startsWith("image")).map((each) => each.bytes)).toEqual([room]);
    expect(files.find((each) => each.field === "markup")?.bytes.equals(arrows)).toBe(true);
  });

  it("refuses a markup of another size put in the form, in one private sentence, nothing sent", async () => {
    const view = await openForm();
    const file = h.slack.uploadAsUser(png("arrows.png", await strokes(128, 128)));
    await h.driver.viewSubmission({
      user: USER,
      view,
      values: {
        prompt: { prompt: "move the lamp --model gpt-image-2.5-flare" },
        markup: { markup: { files: [file] } },
      },
    });
    expect(await privateAnswer()).toBe(
      ":warning: The markup is 128x128 but the first image is 256x256; draw it at the image's size.",
    );
    expect(h.openai.requests).toHaveLength(0);
  });
});
