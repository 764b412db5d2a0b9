import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, type SlackHarness, startSlackHarness, USER } from "./harness.js";

interface Card {
  hero_image?: { slack_file?: { id?: string } };
  title?: { text?: string };
  actions?: { action_id?: string; value?: string }[];
}
interface Block {
  type?: string;
  elements?: (Card & {
    type?: string;
    value?: string;
    action_id?: string;
    options?: { value: string }[];
  })[];
  slack_file?: { id?: string };
}

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-gallery");
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const blocksOf = (message: FakeMessage) => (message.blocks ?? []) as Block[];
const isResult = (m: FakeMessage) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll");
/** The `count`th result in the channel (a status message turned result, not a shared file). */
const result = (count: number) =>
  waitFor(`result ${count}`, () =>
    h.slack.messages.filter((m) => m.bot_id && !m.files && !m.deleted && isResult(m)).at(count - 1),
  );
const jobOf = (message: FakeMessage) => /job ([\w-]+)/.exec(JSON.stringify(message.blocks))?.[1] ?? "";
/** The files shared in the result's thread, in order: the finals. */
const sharedFiles = (message: FakeMessage) =>
  h.slack.messages
    .filter((m) => m.thread_ts === message.ts && m.files)
    .flatMap((m) => (m.files ?? []).map((file) => file.id));

describe("a result of several images on Slack", () => {
  it("is a carousel of a card per image, and Vary on card 3 sends image 3's bytes", async () => {
    await h.driver.slashCommand({ text: "four paper boats --n 4 --partials 0 --quality low" });
    const gallery = await result(1);
    const carousel = blocksOf(gallery).find((block) => block.type === "carousel");
    const cards = carousel?.elements ?? [];
    expect(cards).toHaveLength(4);
    expect(cards.map((card) => card.hero_image?.slack_file?.id)).toEqual(sharedFiles(gallery));
    const job = jobOf(gallery);
    expect(cards[2]?.title?.text).toBe("Image 3");
    const vary = cards[2]?.actions?.find((action) => action.value?.startsWith("v2:vary:"));
    expect(vary?.value).toBe(`v2:vary:${job}:2`);
    // The whole result keeps Re-roll, Details, Delete; Vary is per card.
    expect(JSON.stringify(blocksOf(gallery).at(-1))).not.toContain(`"vary:${job}"`);

    h.openai.reset();
    await h.driver.clickButton({
      user: USER,
      channel: CHANNEL,
      messageTs: gallery.ts,
      actionId: vary?.action_id ?? "",
      value: vary?.value ?? "",
    });
    await result(2);
    const edit = h.openai.requests.find((request) => request.path.endsWith("/images/edits"));
    const sent = edit?.form?.files.find((file) => file.field.startsWith("image"));
    const finals = (await h.process.context.runs.getMetadata(job)).finals;
    const third = await h.process.context.runs.blobs.get(finals[2] ?? "");
    const first = await h.process.context.runs.blobs.get(finals[0] ?? "");
    expect(first.equals(third)).toBe(false);
    expect(sent?.bytes.equals(third)).toBe(true);
  });

  it("fits ten images in one message", async () => {
    await h.driver.slashCommand({ text: "ten pebbles --n 10 --partials 0 --quality low" });
    const gallery = await result(1);
    expect(blocksOf(gallery).find((block) => block.type === "carousel")?.elements).toHaveLength(10);
    expect(h.slack.failures).toEqual([]);
  });

  it("falls back to image blocks with each image's actions where carousels are refused, once per process", async () => {
    h.slack.refuseCarousels();
    await h.driver.slashCommand({ text: "two kites --n 2 --partials 0 --quality low" });
    const first = await result(1);
    const job = jobOf(first);
    expect(blocksOf(first).some((block) => block.type === "carousel")).toBe(false);
    const images = blocksOf(first).filter((block) => block.type === "image");
    expect(images.map((block) => block.slack_file?.id)).toEqual(sharedFiles(first));
    // Each image's four actions are one overflow menu; its options carry the press ids.
    const values = blocksOf(first).flatMap((block) =>
      (block.elements ?? []).flatMap((element) =>
        element.type === "overflow" ? (element.options ?? []).map((option) => option.value) : [element.value],
      ),
    );
    expect(values).toEqual(
      expect.arrayContaining([`v2:vary:${job}:0`, `v2:finalize:${job}:0`, `v2:vary:${job}:1`]),
    );
    expect(h.slack.failures.map((failure) => failure.error)).toEqual(["invalid_blocks"]);

    await h.driver.slashCommand({ text: "two more kites --n 2 --partials 0 --quality low" });
    await result(2);
    // The second result went as image blocks from the start: Slack refused no second carousel.
    expect(h.slack.failures).toHaveLength(1);
  });

  it("routes an image's overflow menu pick by the press id it carries", async () => {
    await h.driver.slashCommand({ text: "two shells --n 2 --partials 0 --quality low" });
    const gallery = await result(1);
    const job = jobOf(gallery);
    h.openai.reset();
    await h.driver.pickOverflow({
      user: USER,
      channel: CHANNEL,
      messageTs: gallery.ts,
      actionId: "imagine_image_menu_1",
      value: `v2:vary:${job}:1`,
    });
    await result(2);
    const edit = h.openai.requests.find((request) => request.path.endsWith("/images/edits"));
    const sent = edit?.form?.files.find((file) => file.field.startsWith("image"));
    const finals = (await h.process.context.runs.getMetadata(job)).finals;
    expect(sent?.bytes.equals(await h.process.context.runs.blobs.get(finals[1] ?? ""))).toBe(true);
  });
});
