import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/slack/server.js";
import { holdAfterPartials } from "../helpers/pace.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, type SlackHarness, startSlackHarness } from "./harness.js";

/** The Web API client's tries for one call (`webClientOptions`: 5 retries) and BullMQ's for one job. */
const TRIES_PER_CALL = 6;
const JOB_ATTEMPTS = 2;

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-delivery-faults");
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const withButtons = (args: Record<string, unknown>) =>
  JSON.stringify(args.blocks ?? "").includes("imagine_reroll");
const isResult = (m: FakeMessage) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll");
/** Uploads shared into a channel (the finals); frames are uploaded privately. */
const sharedUploads = () =>
  h.slack
    .calls("files.completeUploadExternal")
    .filter((call) => (call.json as { channel_id?: unknown } | undefined)?.channel_id !== undefined);

describe("Slack failing to take the result", () => {
  it("answering 503 to the result past every retry: the status says the image is in the thread, shared once", async () => {
    h.slack.serverError({
      method: "chat.update",
      times: TRIES_PER_CALL * JOB_ATTEMPTS,
      match: withButtons,
    });
    await h.driver.slashCommand({ text: "an unlucky lighthouse --partials 0 --quality low" });
    const told = await waitFor(
      "the person to be told",
      () => h.slack.messages.find((m) => m.bot_id && m.text.includes("would not show the result")),
      90_000,
    );
    expect(told.text).toContain("Slack would not show the result in this message");
    expect(told.text).toContain("it is in the thread under this message");
    // The status message itself says so, and the thread it points to holds the image.
    expect(told.channel).toBe(CHANNEL);
    expect(told.thread_ts).toBeUndefined();
    const thread = (sharedUploads()[0]?.json as { thread_ts?: unknown } | undefined)?.thread_ts;
    expect(thread).toBe(told.ts);
    // The retry shared nothing new: the image is in the thread once, and OpenAI was paid once.
    expect(sharedUploads()).toHaveLength(1);
    expect(h.openai.requests.filter((r) => r.method === "POST")).toHaveLength(1);
    expect(h.slack.messages.filter(isResult)).toHaveLength(0);
  }, 120_000);

  it("answering 503 and 429 to progress edits: frames may be skipped, the result lands", async () => {
    const frames = (args: Record<string, unknown>) =>
      JSON.stringify(args.blocks ?? "").includes("slack_file");
    h.slack.serverError({ method: "chat.update", times: 2, match: frames });
    h.slack.rateLimit("chat.update", 1, 1);
    await h.driver.slashCommand({ text: "a stormy lighthouse --partials 3 --quality low" });
    const result = await waitFor(
      "the result",
      () => h.slack.messages.find((m) => m.bot_id && isResult(m) && m.channel === CHANNEL),
      60_000,
    );
    expect(result.text).not.toContain("could not be posted");
    expect(sharedUploads()).toHaveLength(1);
  }, 90_000);

  it("storage full at the final: the result shows, without the buttons that need the stored image", async () => {
    const storage = h.config.storageDir;
    const before = new Set(await readdir(storage));
    const hold = holdAfterPartials(h.openai, 1);
    await h.driver.slashCommand({ text: "a lighthouse on a full disk --partials 2 --quality low" });
    // The run's folder exists once its job started; a folder where its final goes makes that one write fail.
    const runId = await waitFor("the run's folder", async () =>
      (await readdir(storage)).find((name) => !before.has(name)),
    );
    await mkdir(join(storage, runId, "final_0.png"), { recursive: true });
    hold.release();
    const result = await waitFor(
      "the result",
      () => h.slack.messages.find((m) => m.bot_id && isResult(m) && m.channel === CHANNEL),
      60_000,
    );
    const actions = [...JSON.stringify(result.blocks).matchAll(/"action_id":"imagine_([a-z-]+)"/g)].map(
      (match) => match[1],
    );
    expect(actions).toContain("reroll");
    expect(actions).toContain("details");
    for (const needsStoredFinal of ["vary", "finalize", "edit", "reference"])
      expect(actions).not.toContain(needsStoredFinal);
    expect(sharedUploads()).toHaveLength(1);
  }, 90_000);
});
