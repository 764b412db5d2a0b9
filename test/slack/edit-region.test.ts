import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { submitEditRegion } from "../../src/actions/edit-region-return.js";
import { UserError } from "../../src/core/errors.js";
import { readEditRegionLink } from "../../src/links/edit-region-link.js";
import type { FakeMessage } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, type SlackHarness, startSlackHarness, USER } from "./harness.js";

const LINK_SECRET = "test-slack-edit-region-secret";
const PUBLIC = "https://imagine.example.com";

let h: SlackHarness;
/** Two images of 1024x1024: Edit region acts on the second. */
let result: FakeMessage;
let runId: string;

const isResult = (m: FakeMessage) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll");
const resultsIn = (count: number) =>
  waitFor(`${count} results`, () => {
    const done = h.slack.messages.filter((m) => m.bot_id && !m.files && !m.deleted && isResult(m));
    return done.length >= count ? done : undefined;
  });

/** Alice presses Edit region under image 2; the ephemeral answer's link button. */
async function pressedLink(): Promise<{ text: string; button: Record<string, unknown> }> {
  await h.driver.clickButton({
    user: USER,
    channel: CHANNEL,
    messageTs: result.ts,
    actionId: "imagine_edit-region_1",
    value: `v2:edit-region:${runId}:1`,
  });
  const answer = await waitFor("the private answer", () => h.slack.ephemerals[0]);
  expect(answer.user).toBe(USER);
  const blocks = answer.blocks as { type: string; elements?: Record<string, unknown>[] }[];
  const buttons = blocks.flatMap((block) => (block.type === "actions" ? (block.elements ?? []) : []));
  expect(buttons).toHaveLength(1);
  return { text: String(answer.text), button: buttons[0] ?? {} };
}

const tokenOf = (url: unknown) => new URL(String(url)).searchParams.get("link") ?? "";

/** The studio's mask for the 1024x1024 image: white (change) on the left half. */
const leftMask = () =>
  sharp({ create: { width: 1024, height: 1024, channels: 3, background: "#000000" } })
    .composite([
      {
        input: { create: { width: 512, height: 1024, channels: 3, background: "#ffffff" } },
        left: 0,
        top: 0,
      },
    ])
    .png()
    .toBuffer();

beforeAll(async () => {
  h = await startSlackHarness("slack-edit-region", {
    env: { WEB_ENABLED: "true", LINK_SIGNING_SECRET: LINK_SECRET, PUBLIC_BASE_URL: PUBLIC },
  });
  await h.driver.slashCommand({ text: "a paper boat --n 2 --quality low --partials 0" });
  const [made] = await resultsIn(1);
  if (!made) throw new Error("no result");
  result = made;
  runId = /"value":"reroll:([\w-]+)"/.exec(JSON.stringify(made.blocks))?.[1] ?? "";
});
afterAll(() => h.close());
beforeEach(() => h.reset());

describe("Edit region on Slack", () => {
  it("is offered on each image, and answers the presser in an ephemeral message with a link to that image", async () => {
    const blocks = JSON.stringify(result.blocks);
    expect(blocks).toContain(`"value":"v2:edit-region:${runId}:0"`);
    expect(blocks).toContain(`"value":"v2:edit-region:${runId}:1"`);
    const { text, button } = await pressedLink();
    expect(text).toMatch(/^Paint the region of image 2 to change in the studio/);
    expect(button).toMatchObject({ type: "button", text: { text: "Open in the studio" } });
    expect(String(button.url).startsWith(`${PUBLIC}/studio/edit-region?link=`)).toBe(true);
    const link = readEditRegionLink(LINK_SECRET, tokenOf(button.url));
    expect(link).toMatchObject({
      runId,
      image: 1,
      user: { platform: "slack", id: USER, workspace: h.driver.team },
      place: { platform: "slack", channel: CHANNEL, message: result.ts, thread: result.ts },
    });
    expect(h.openai.requests).toHaveLength(0);
  });

  it("posts the studio's edit into the result's thread as a turn with its buttons, once", async () => {
    const token = tokenOf((await pressedLink()).button.url);
    const person = { platform: "slack", id: USER, workspace: h.driver.team };
    const submit = async () =>
      submitEditRegion(h.process.context, token, person, {
        raw: { prompt: "a red sail", quality: "low", partials: 0 },
        defaults: { model: "gpt-image-2" },
        mask: { name: "mask.png", download: async () => ({ name: "mask.png", bytes: await leftMask() }) },
      });
    const accepted = await submit();
    expect(accepted.postedTo).toBe("your Slack thread");
    const turn = await waitFor("the turn in the thread", () =>
      h.slack.messages.find(
        (m) => m.thread_ts === result.ts && isResult(m) && JSON.stringify(m.blocks).includes(accepted.runId),
      ),
    );
    expect(turn.channel).toBe(CHANNEL);
    const [request] = h.openai.requests;
    expect(request?.path).toBe("/v1/images/edits");
    const final = await h.process.context.runs.blobs.get(
      (await h.process.context.runs.getMetadata(runId)).finals[1] ?? "",
    );
    const sent = request?.form?.files.find((file) => file.field.startsWith("image"));
    expect(sent?.bytes.equals(final)).toBe(true);
    expect(request?.form?.files.some((file) => file.field === "mask")).toBe(true);
    const metadata = await h.process.context.runs.getMetadata(accepted.runId);
    expect(metadata.origin.thread).toMatchObject({ platform: "slack", thread: `${CHANNEL}:${result.ts}` });

    await h.idle();
    await expect(submit()).rejects.toSatisfy(
      (error) => error instanceof UserError && error.code === "link_used",
    );
    expect(h.openai.requests).toHaveLength(1);
  });

  it("refuses someone else in the workspace, and a link of the same person from another workspace", async () => {
    const token = tokenOf((await pressedLink()).button.url);
    const ask = { raw: { prompt: "a red sail" }, defaults: { model: "gpt-image-2" } };
    for (const person of [
      { platform: "slack", id: "U0SOMEONE22", workspace: h.driver.team },
      { platform: "slack", id: USER, workspace: "T0ELSEWHERE" },
      { platform: "discord", id: USER },
    ]) {
      await expect(submitEditRegion(h.process.context, token, person, ask)).rejects.toSatisfy(
        (error) => error instanceof UserError && error.code === "link_other_person",
      );
    }
    expect(h.openai.requests).toHaveLength(0);
  });
});
