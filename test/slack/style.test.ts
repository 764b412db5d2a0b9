import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeMessage, UserFile } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, mentionBot, type SlackHarness, startSlackHarness, USER } from "./harness.js";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-style");
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const png = (colour: string) =>
  sharp({ create: { width: 64, height: 64, channels: 3, background: colour } })
    .png()
    .toBuffer();
const isResult = (m: FakeMessage) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll");
const resultsIn = (threadTs: string) =>
  h.slack.messages.filter(
    (m) => m.bot_id && !m.files && !m.deleted && isResult(m) && (m.thread_ts ?? m.ts) === threadTs,
  );
/** The inputs of the Responses requests made since `from` requests were recorded. */
const responsesInputs = (from = 0) =>
  h.openai.requests
    .slice(from)
    .filter((request) => request.method === "POST" && request.path.endsWith("/responses"))
    .map((request) => JSON.stringify((request.json as { input?: unknown }).input));
const countImages = (text: string | undefined) => (text ?? "").split('"input_image"').length - 1;
const runIdOf = (message: FakeMessage | undefined) =>
  /"value":"reroll:([\w-]+)"/.exec(JSON.stringify(message?.blocks ?? []))?.[1] ?? "";
/** The context line a message says its thread's style in. */
const styleLine = (message: FakeMessage | undefined) =>
  (message?.blocks ?? [])
    .filter((block) => (block as { block_id?: string }).block_id === "imagine_style")
    .map((block) => JSON.stringify(block))
    .join("");

/** The newest ephemeral message's text, once there are `count`. */
const told = (count: number) =>
  waitFor(`ephemeral ${count}`, () => h.slack.ephemerals[count - 1]).then((answer) => String(answer.text));

/** A result posted in the channel by `/imagine`: the root of its thread. OpenAI's records start after it. */
async function imagine(text: string): Promise<FakeMessage> {
  await h.driver.slashCommand({ text: `${text} --partials 0` });
  const result = await waitFor("the result", () =>
    h.slack.messages.find(
      (m) => m.bot_id && !m.thread_ts && isResult(m) && !m.deleted && m.text.includes(text),
    ),
  );
  await h.idle();
  h.openai.reset();
  return result;
}

const press = (message: FakeMessage, value: string, options: { ephemeral?: boolean } = {}) => {
  const [action = ""] = value.split(":");
  return h.driver.clickButton({
    user: USER,
    channel: CHANNEL,
    messageTs: message.ts,
    actionId: `imagine_${action}`,
    value,
    ...(options.ephemeral ? { ephemeral: true } : {}),
  });
};

/** A turn in the thread: a mention, answered by a new result there. */
async function turn(threadTs: string, text: string, files: UserFile[] = []) {
  const before = resultsIn(threadTs).length;
  await mentionBot(h.slack, h.driver, { threadTs, text, files });
  await waitFor("the turn's result", () => {
    if (resultsIn(threadTs).length > before) return true;
    const failed = h.slack.messages.find((m) => m.thread_ts === threadTs && m.text.includes(":warning:"));
    if (failed) throw new Error(JSON.stringify(failed.history.map((v) => v.text)));
    return undefined;
  });
  await h.idle();
}

const root = (message: FakeMessage) => h.slack.messages.find((m) => m.ts === message.ts);

describe("style memory on Slack", () => {
  it("Pin style, `style <sentence>` with an image, and `style clear`: later turns send what is pinned", async () => {
    const result = await imagine("a lighthouse at dusk");
    const runId = runIdOf(result);
    expect(JSON.stringify(result.blocks)).toContain(`"pin-style:${runId}"`);

    await press(result, `pin-style:${runId}`);
    expect(await told(1)).toBe(
      "Pinned image 1 as a style of this thread: every later turn there uses it (📌 Style: 1 image).",
    );
    expect(JSON.stringify(h.slack.ephemerals[0]?.blocks)).toContain(`"unpin-style:${runId}"`);
    // The result the thread hangs from says so, and keeps its image and buttons.
    expect(styleLine(root(result))).toContain("📌 Style: 1 image");
    expect(JSON.stringify(root(result)?.blocks)).toContain(`"reroll:${runId}"`);
    expect(JSON.stringify(root(result)?.blocks)).toContain('"type":"image"');
    expect(h.openai.requests).toHaveLength(0);

    await turn(result.ts, "make it stormy");
    // The result this thread refines, then the pinned image.
    expect(countImages(responsesInputs()[0])).toBe(2);
    expect(responsesInputs()[0]).toContain("The last input image is a style reference");

    await mentionBot(h.slack, h.driver, {
      threadTs: result.ts,
      text: "style watercolour & ink, <soft> light",
      files: [{ name: "wash.png", bytes: await png("#3366aa"), mimetype: "image/png" }],
    });
    expect(await told(2)).toBe(
      "Pinned to this thread; every later turn here uses it. 📌 Style: watercolour & ink, <soft> light · 2 images",
    );
    expect(styleLine(root(result))).toContain(
      "📌 Style: watercolour &amp; ink, &lt;soft&gt; light · 2 images",
    );
    // Stored responses must stay for the chain: the requests are counted from here instead of reset.
    let mark = h.openai.requests.length;
    await turn(result.ts, "add a boat");
    // The chain continues from the last turn: only the two pinned images are sent, and the sentence.
    expect(countImages(responsesInputs(mark)[0])).toBe(2);
    expect(responsesInputs(mark)[0]).toContain("Style: watercolour & ink, <soft> light");

    await mentionBot(h.slack, h.driver, { threadTs: result.ts, text: "style clear" });
    expect(await told(3)).toBe("Unpinned this thread's style: later turns here use none.");
    expect(styleLine(root(result))).toBe("");
    mark = h.openai.requests.length;
    await turn(result.ts, "add the moon");
    expect(countImages(responsesInputs(mark)[0])).toBe(0);
    expect(responsesInputs(mark)[0]).not.toContain("Style:");
  });

  it("under a person's message, says what is pinned on the bot's first result in the thread", async () => {
    const { event } = await mentionBot(h.slack, h.driver, { text: "a red kite --partials 0" });
    const [made] = await waitFor("the result", () => {
      const found = resultsIn(event.ts);
      return found.length > 0 ? found : undefined;
    });
    await h.idle();
    await press(made as FakeMessage, `pin-style:${runIdOf(made)}`);
    expect(await told(1)).toContain("(📌 Style: 1 image)");
    expect(styleLine(root(made as FakeMessage))).toContain("📌 Style: 1 image");
    // The person's own message is not the bot's to edit.
    expect(h.slack.messages.find((m) => m.ts === event.ts)?.history ?? []).toHaveLength(0);
    expect(h.logs.filter((log) => log.msg === "thread's first message not updated")).toEqual([]);
  });

  it("refuses in one sentence, spending nothing: a 17th image, a long sentence, a file that is no image, nothing, outside a bot thread", async () => {
    const result = await imagine("a paper boat");
    const runId = runIdOf(result);
    for (let pinned = 1; pinned <= 16; pinned++) {
      await press(result, `pin-style:${runId}`);
      expect(await told(pinned)).toContain(pinned === 1 ? "1 image)" : `${pinned} images)`);
    }
    await press(result, `pin-style:${runId}`);
    expect(await told(17)).toBe(
      ":warning: This thread has 16 style images pinned and at most 16 can be, so this one was not pinned; unpin the style first to start over.",
    );
    // Unpin style on the answer to a pin: Slack says nothing of where an ephemeral was, the run does.
    await press(result, `unpin-style:${runId}`, { ephemeral: true });
    expect(await told(18)).toBe("Unpinned the style of this thread: later turns there use none.");
    expect(styleLine(root(result))).toBe("");

    const say = (text: string, files: UserFile[] = []) =>
      mentionBot(h.slack, h.driver, { threadTs: result.ts, text, files });
    await say(`style ${"x".repeat(301)}`);
    expect(await told(19)).toBe(":warning: The style sentence is 301 characters; at most 300 can be pinned.");
    await say("style", [{ name: "notes.txt", bytes: Buffer.from("hello"), mimetype: "text/plain" }]);
    expect(await told(20)).toMatch(/^:warning: notes\.txt .*text\/plain/);
    await say("style");
    expect(await told(21)).toBe(
      ":warning: Give a style sentence, style images, or both (or clear the style).",
    );
    // A person's own thread, where the bot never answered.
    const own = h.slack.postAsUser({ channel: CHANNEL, user: USER, text: "my thoughts" });
    await mentionBot(h.slack, h.driver, { threadTs: own.ts, text: "style ink" });
    expect(await told(22)).toBe(
      ":warning: A style is pinned to a thread the bot runs: mention me with `style` and a sentence inside the thread of one of my results.",
    );
    const address = { platform: "slack", workspace: "T0FAKE0001", thread: `${CHANNEL}:${result.ts}` };
    expect(await h.process.context.styles.get(address)).toBeUndefined();
    expect(h.openai.requests).toHaveLength(0);
  });
});
