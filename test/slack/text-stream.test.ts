import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, FAST, type SlackHarness, startSlackHarness, USER } from "./harness.js";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-text-stream");
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const isResult = (m: FakeMessage) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll");
const hasFrame = (version: { blocks?: unknown[] }) =>
  JSON.stringify(version.blocks ?? []).includes('"image"');
const statusMessage = () =>
  h.slack.messages.find((m) => m.channel === CHANNEL && m.bot_id && !m.thread_ts && !m.files);
const streamedReplies = () => h.slack.messages.filter((m) => m.stream !== undefined);
/** Where in the fake's record the request arrived (its order among every request). */
const arrival = (path: string, match: (json: unknown) => boolean = () => true) =>
  h.slack.requests.findIndex((r) => r.path === `/api/${path}` && match(r.json));
const resultShown = () => {
  const status = statusMessage();
  return status && isResult(status) ? status : undefined;
};

/**
 * Holds the model's words until the status message shows a frame, then each word until the one before it has
 * reached Slack: the words go out one call at a time, after the frame, however fast or slow the machine is.
 */
function wordsAfterTheFrame(): void {
  let released = 0;
  h.openai.pace(async (event) => {
    if (event !== "response.output_text.delta") return;
    await waitFor("the frame in the status message", () => statusMessage()?.history.some(hasFrame));
    const appends = () => streamedReplies()[0]?.stream?.appends.length ?? 0;
    await waitFor(`word ${released} in Slack`, () => appends() >= released);
    released++;
  });
}

describe("the model's words on Slack", () => {
  it("stream as a reply in the run's thread, still after a partial frame is shown, and stop with the result", async () => {
    wordsAfterTheFrame();
    let status: FakeMessage;
    try {
      await h.driver.slashCommand({ text: "a lighthouse at dusk --api responses --partials 1" });
      status = await waitFor("the result", resultShown);
    } finally {
      h.openai.pace(undefined);
    }
    const [reply] = streamedReplies();
    expect(streamedReplies()).toHaveLength(1);
    expect(reply?.thread_ts).toBe(status.ts);
    expect(reply?.text).toBe("Here is your image for turn 1: a lighthouse at dusk.");
    // Word by word, one call each: a stream, not one message at the end.
    expect(reply?.stream?.appends.length).toBeGreaterThanOrEqual(5);
    expect(reply?.stream?.state).toBe("stopped");
    // Paced like the status message's edits: at most one call per interval on a stream.
    const calls = h.slack.requests.filter((r) => /^\/api\/chat\.(start|append|stop)Stream$/.test(r.path));
    const gaps = calls.slice(1).map((call, i) => call.arrivedAt - (calls[i]?.arrivedAt ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual((FAST.minEditIntervalMs ?? 0) - 1);
    const start = h.slack.calls("chat.startStream")[0]?.json;
    expect(start).toMatchObject({ channel: CHANNEL, thread_ts: status.ts, recipient_user_id: USER });
    // The first words went out after the frame was shown, and the stream stopped before the result was shown.
    const frameShown = arrival("chat.update", (json) => hasFrame(json as { blocks?: unknown[] }));
    expect(frameShown).toBeGreaterThanOrEqual(0);
    expect(arrival("chat.startStream")).toBeGreaterThan(frameShown);
    expect(arrival("chat.stopStream")).toBeLessThan(
      arrival("chat.update", (json) => isResult(json as FakeMessage)),
    );
    // The status message keeps to the drawing and the result: the words are in the thread, not repeated.
    expect(JSON.stringify(status.history)).not.toContain("Here is your image");
    expect(h.slack.failures).toEqual([]);

    // Delete takes the words away with the result.
    const value = JSON.stringify(status.blocks).match(/"value":"(delete:[\w-]+)"/)?.[1] ?? "";
    await h.driver.clickButton({
      user: USER,
      channel: CHANNEL,
      messageTs: status.ts,
      actionId: "imagine_delete",
      value,
    });
    await waitFor("the result deleted", () => h.slack.message(CHANNEL, status.ts)?.deleted);
    expect(h.slack.message(CHANNEL, reply?.ts ?? "")?.deleted).toBe(true);
  });

  it("stop where they got to when the run fails", async () => {
    // Three words, then OpenAI's stream says the output was blocked: the run fails with the person's answer.
    h.openai.fail({ type: "stream_error", afterEvents: 13, code: "moderation_blocked", message: "blocked" });
    await h.driver.slashCommand({ text: "a harbour --api responses --partials 0" });
    const reply = await waitFor("the stopped stream", () =>
      streamedReplies().find((m) => m.stream?.state === "stopped"),
    );
    expect(reply.text).toBe("Here is your ");
    await h.idle();
    expect(isResult(statusMessage() as FakeMessage)).toBe(false);
    expect(streamedReplies()).toHaveLength(1);
  });

  it("ping nobody: what the model repeats of a prompt is escaped like every text the bot echoes", async () => {
    h.openai.pace(async (event) => {
      if (event === "response.completed") await waitFor("the words", () => streamedReplies()[0]);
    });
    try {
      await h.driver.slashCommand({ text: "a kite for <!channel> --api responses --partials 0" });
      await waitFor("the result", resultShown);
    } finally {
      h.openai.pace(undefined);
    }
    const [reply] = streamedReplies();
    expect(reply?.text).toContain("a kite for &lt;!channel&gt;");
    expect(reply?.text).not.toContain("<!channel>");
  });

  // Last: the bot remembers the refusal for the rest of its life, as it would in such a workspace.
  it("go in the status message, after the frame too, where the workspace has no streaming; asked once per process", async () => {
    h.slack.refuseStreaming();
    // The words wait for the frame, and the result for the words: the worker drops words still pending then.
    h.openai.pace(async (event) => {
      if (event === "response.output_text.delta")
        await waitFor("the frame", () => statusMessage()?.history.some(hasFrame));
      if (event === "response.completed")
        await waitFor("the words", () => statusMessage()?.history.some((v) => v.text.includes("your image")));
    });
    let status: FakeMessage;
    try {
      await h.driver.slashCommand({ text: "a red kite --api responses --partials 1" });
      status = await waitFor("the result", resultShown);
    } finally {
      h.openai.pace(undefined);
    }
    expect(streamedReplies()).toEqual([]);
    expect(h.slack.failures.map((f) => f.error)).toEqual(["unknown_method"]);
    // The frame is still shown while the words come (the last version before the result).
    const drawing = status.history.filter((version) => version.text.includes("your image"));
    expect(drawing.length).toBeGreaterThan(0);
    expect(drawing.some(hasFrame)).toBe(true);
    // Not streamed, so the result keeps them.
    expect(JSON.stringify(status.blocks)).toContain("Here is your image");

    await h.reset();
    h.slack.refuseStreaming();
    await h.driver.slashCommand({ text: "a blue kite --api responses --partials 0" });
    await waitFor("the second result", resultShown);
    expect(h.slack.calls("chat.startStream")).toEqual([]);
  });
});
