import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/slack/server.js";
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
  it("answering 503 to the result past every retry: the person is told, the image is shared once", async () => {
    h.slack.serverError({
      method: "chat.update",
      times: TRIES_PER_CALL * JOB_ATTEMPTS,
      match: withButtons,
    });
    await h.driver.slashCommand({ text: "an unlucky lighthouse --partials 0 --quality low" });
    const told = await waitFor(
      "the person to be told",
      () => h.slack.messages.find((m) => m.bot_id && m.text.includes("could not be posted")),
      90_000,
    );
    expect(told.text).toContain("kept as run");
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
});
