import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/wait-for.js";
import { type SlackHarness, startSlackHarness } from "./harness.js";

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness("slack-limits", { env: { USER_MAX_ACTIVE_JOBS: "1" } });
});
afterAll(() => h.close());

const results = () =>
  h.slack.messages.filter((m) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll"));

describe("per-person limits over Slack", () => {
  it("refuses a second job while the first runs, privately and without a stray status message, then frees the slot", async () => {
    // The first job's stream is held until the refusal is in: "while the first runs" is then certain, not a
    // question of whether the second command arrives before a fast first job ends.
    let letFirstFinish = () => {};
    const held = new Promise<void>((resolve) => {
      letFirstFinish = resolve;
    });
    h.openai.pace(() => held);
    await h.driver.slashCommand({ text: "a slow lighthouse --partials 2" });
    await waitFor("the first job to reach OpenAI", () => h.openai.requests[0]);
    await h.driver.slashCommand({ text: "a second lighthouse" });

    const refusal = await waitFor("the private refusal", () => h.slack.responses[0]);
    expect(refusal).toMatchObject({ response_type: "ephemeral" });
    expect(String(refusal.text)).toContain("You already have 1 request in progress; wait for one to finish.");
    // The slot is taken before the status is posted: a refused request posts nothing to take back.
    const statuses = h.slack.messages.filter((m) => m.bot_id && !m.thread_ts && !m.files);
    expect(statuses).toHaveLength(1);
    expect(h.slack.calls("chat.delete")).toHaveLength(0);

    letFirstFinish();
    await waitFor("the first result", () => results()[0]);
    expect(h.openai.requests).toHaveLength(1);
    // The slot is free again once the worker is done with the job.
    await h.idle();
    await h.driver.slashCommand({ text: "a third lighthouse --partials 0" });
    await waitFor("the second result", () => results()[1]);
    expect(h.openai.requests).toHaveLength(2);
  });
});
