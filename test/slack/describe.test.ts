import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, type SlackHarness, startSlackHarness, USER } from "./harness.js";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-describe", { env: { BUDGET_USER_DAY_USD: "20" } });
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const solid = (width: number, height: number, colour: string) =>
  sharp({ create: { width, height, channels: 3, background: colour } })
    .png()
    .toBuffer();

const blocksOf = (message: FakeMessage) => JSON.stringify(message.blocks ?? []);
const isDescribed = (message: FakeMessage) => blocksOf(message).includes("imagine_describe-use_0");
const isResult = (message: FakeMessage) => blocksOf(message).includes("imagine_reroll");
const bots = (which: (message: FakeMessage) => boolean) =>
  h.slack.messages.filter((message) => message.bot_id && !message.deleted && which(message));

const describeShortcut = (ts: string) =>
  h.driver.messageShortcut({
    callbackId: "imagine_describe",
    user: USER,
    channel: CHANNEL,
    message: { ts, type: "message", user: USER },
  });

/** A button's press: `action:runId` or `v2:action:runId:image`, with the action id Slack would send. */
const press = (messageTs: string, value: string) => {
  const parts = value.split(":");
  const [action = "", , image] = parts[0] === "v2" ? parts.slice(1) : parts;
  return h.driver.clickButton({
    user: USER,
    channel: CHANNEL,
    messageTs,
    actionId: `imagine_${action}${image === undefined ? "" : `_${image}`}`,
    value,
  });
};

const valuesOf = (message: FakeMessage) =>
  [...blocksOf(message).matchAll(/"value":"([^"]+)"/g)].map((match) => match[1]);

describe("Describe on Slack", () => {
  it("the Describe image shortcut answers in the thread with 3 prompts; Use 3 makes prompt 3", async () => {
    const photo = h.slack.postAsUser({
      channel: CHANNEL,
      user: USER,
      text: "what should I call this?",
      files: [{ name: "red.png", bytes: await solid(1536, 1024, "#cc2222"), mimetype: "image/png" }],
    });
    await describeShortcut(photo.ts);
    const described = await waitFor("the prompts", () => bots(isDescribed)[0]);
    expect(described.thread_ts).toBe(photo.ts);
    // While it waited and worked, the status said what was asked, not a prompt the person never typed.
    const states = described.history
      .map((version) => version.text)
      .filter((text) => /_(Queued|describing)/.test(text));
    expect(states.length).toBeGreaterThan(0);
    for (const text of states) {
      expect(text).toMatch(new RegExp(`^<@${USER}> asked for prompts that would make this image again\\n`));
    }
    expect(blocksOf(described)).toContain("*1.* Prompt 1: a red picture, 1536x1024, as a photograph");
    expect(blocksOf(described)).toMatch(/model gpt-5\.5 · job [\w-]+ · (&lt;|<)?\$\d?\.?\d*/);
    const runId = /describe-use:([\w-]+):0/.exec(blocksOf(described))?.[1] ?? "";
    expect(valuesOf(described)).toEqual([
      `v2:describe-use:${runId}:0`,
      `v2:describe-use:${runId}:1`,
      `v2:describe-use:${runId}:2`,
      `details:${runId}`,
    ]);
    const metadata = await h.process.context.runs.getMetadata(runId);
    expect(metadata.describe?.prompts[2]).toBe(
      "Prompt 3: a red picture, 1536x1024, as a flat vector illustration",
    );

    h.openai.reset();
    await press(described.ts, `v2:describe-use:${runId}:2`);
    const made = await waitFor("the image", () => bots(isResult)[0]);
    expect(blocksOf(made)).toContain("Prompt 3: a red picture, 1536x1024, as a flat vector illustration");
    const generation = h.openai.requests.find((request) => request.path === "/v1/images/generations")?.json as
      | Record<string, unknown>
      | undefined;
    expect(generation?.prompt).toBe(metadata.describe?.prompts[2]);
  });

  it("Describe under a result describes its image; /imagine describe says how, and 'describe a cat' is a prompt", async () => {
    const how = JSON.parse((await h.driver.slashCommand({ text: "describe" })).body) as { text: string };
    expect(how.text).toContain("*Describe image*");
    expect(h.openai.requests).toHaveLength(0);

    await h.driver.slashCommand({ text: "describe a cat --size 1024x1024 --partials 0" });
    const result = await waitFor("the result", () => bots(isResult)[0]);
    expect(blocksOf(result)).toContain("describe a cat");
    const runId = /"value":"reroll:([\w-]+)"/.exec(blocksOf(result))?.[1] ?? "";
    h.openai.reset();
    await press(result.ts, `describe:${runId}`);
    const described = await waitFor("the prompts", () => bots(isDescribed)[0]);
    expect(blocksOf(described)).toMatch(/Prompt 1: a \w+ picture, 1024x1024/);
    expect(h.openai.requests.map((request) => request.path)).toEqual(["/v1/responses"]);
  });

  it("refuses a message without an image, an SVG and an animated GIF privately, sending nothing to OpenAI", async () => {
    const plain = h.slack.postAsUser({ channel: CHANNEL, user: USER, text: "just words" });
    await describeShortcut(plain.ts);
    const noImage = await waitFor("the private answer", () => h.slack.responses[0]);
    expect(noImage).toMatchObject({
      response_type: "ephemeral",
      text: ":warning: That message has no image to describe; use Describe image on a message with an image.",
    });

    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>',
    );
    const drawing = h.slack.postAsUser({
      channel: CHANNEL,
      user: USER,
      text: "my logo",
      files: [{ name: "logo.svg", bytes: svg, mimetype: "image/svg+xml" }],
    });
    await describeShortcut(drawing.ts);
    const refused = await waitFor("the private answer", () => h.slack.responses[1]);
    expect(refused).toMatchObject({
      text: ":warning: logo.svg is an SVG, which Describe cannot look at; send a PNG, JPEG or WebP.",
    });

    const spinning = h.slack.postAsUser({
      channel: CHANNEL,
      user: USER,
      text: "it spins",
      files: [{ name: "spin.gif", bytes: await animatedGif(), mimetype: "image/gif" }],
    });
    await describeShortcut(spinning.ts);
    const animated = await waitFor("the private answer", () => h.slack.responses[2]);
    expect(animated).toMatchObject({
      text: ":warning: spin.gif is animated (2 frames), which Describe cannot look at; send a still image.",
    });
    expect(h.openai.requests).toHaveLength(0);
    expect(bots(isDescribed)).toHaveLength(0);
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
