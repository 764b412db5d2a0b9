import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { type SlackHarness, startSlackHarness } from "./harness.js";

let h: SlackHarness;
beforeAll(async () => {
  // Slack takes longer to process an upload than the bot waits.
  h = await startSlackHarness("slack-slow-files", {
    fake: { fileReadyDelayMs: 60_000 },
    platform: { fileReadyTimeoutMs: 150 },
  });
});
afterAll(() => h.close());

const isResult = (m: FakeMessage) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll");

describe("uploads Slack has not processed yet", () => {
  it("are never put in an image block: frames are skipped and deleted, the result still lands", async () => {
    await h.driver.slashCommand({ text: "a slow boat --partials 2" });
    const result = await waitFor("the result", () => h.slack.messages.find((m) => m.bot_id && isResult(m)));
    expect(JSON.stringify(result.history)).not.toContain('"type":"image"');
    expect(h.slack.failures).toEqual([]);
    const privateFiles = h.slack
      .calls("files.completeUploadExternal")
      .filter((c) => (c.json as { channel_id?: string }).channel_id === undefined)
      .map((c) => (c.json as { files: { id: string }[] }).files[0]?.id);
    const deleted = h.slack.calls("files.delete").map((c) => (c.json as { file: string }).file);
    expect(privateFiles.length).toBeGreaterThan(0);
    expect(deleted).toEqual(expect.arrayContaining(privateFiles));
    // The final is still shared in the thread, as a file.
    expect(h.slack.messages.some((m) => m.thread_ts === result.ts && m.files?.length)).toBe(true);
  });
});
