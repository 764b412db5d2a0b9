import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/slack/server.js";
import { waitFor } from "../helpers/wait-for.js";
import { type SlackHarness, startSlackHarness } from "./harness.js";

let h: SlackHarness;
beforeAll(async () => {
  // The bot process alone (`npm run bot`): jobs wait until a worker process starts.
  h = await startSlackHarness("slack-queued", { processMode: "bot" });
});
afterAll(() => h.close());

const isResult = (m: FakeMessage) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll");

describe("a bot process and a separate worker process", () => {
  it("shows the queue position, then a worker elsewhere renders both jobs into their messages", async () => {
    await h.driver.slashCommand({ text: "first --partials 0" });
    const queue = h.process.context.queues.forKind("slack");
    await waitFor("the first job queued", async () => (await queue.getWaitingCount()) === 1);
    await h.driver.slashCommand({ text: "second --partials 0" });
    const second = await waitFor("the position", () =>
      h.slack.messages.find((m) => m.text.includes("second") && m.text.includes("queued (position 1)")),
    );
    expect(h.openai.requests).toHaveLength(0);

    await h.startWorker();
    await waitFor("both results", () => h.slack.messages.filter((m) => m.bot_id && isResult(m)).length === 2);
    expect(isResult(second)).toBe(true);
    expect(h.openai.requests).toHaveLength(2);
  });
});
