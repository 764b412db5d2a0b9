import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { relay } from "../helpers/relay.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, type SlackHarness, startSlackHarness } from "./harness.js";

let h: SlackHarness;
/** Runs before the fake sees a status update that says a queue position. */
let onPositionUpdate: ((ts: string) => Promise<void>) | undefined;

beforeAll(async () => {
  h = await startSlackHarness("slack-position", {
    fake: {
      control: relay(() => h.slack.origin, {
        match: (method, path) => method === "POST" && path.startsWith("/api/chat.update"),
        async before(update) {
          const form = new URLSearchParams(update.text);
          const ts = form.get("ts");
          if (ts !== null && (form.get("text") ?? "").includes("queued (position"))
            await onPositionUpdate?.(ts);
        },
      }),
    },
    env: { WORKER_CONCURRENCY: "2" },
  });
});
afterAll(() => h.close());

const status = (prompt: string) => h.slack.messages.find((m) => m.bot_id && m.text.includes(prompt));

describe("the queue position", () => {
  it("is shown while a job waits behind another, and never over the worker's first edit", async () => {
    const queue = h.process.context.queues.forKind("slack");
    await queue.pause();
    await h.driver.slashCommand({ text: "first --partials 0" });
    await waitFor("the first job queued", async () => (await queue.getWaitingCount()) === 1);

    // The race made certain: when the position is written once the job is already queued, the worker is
    // let go and the update waits until the worker has shown that it is drawing.
    onPositionUpdate = async (ts) => {
      onPositionUpdate = undefined;
      if ((await queue.getWaitingCount()) < 2) return;
      await queue.resume();
      await waitFor("the worker's first edit", () =>
        h.slack.message(CHANNEL, ts)?.history.some((version) => version.text.includes("drawing")),
      );
    };
    await h.driver.slashCommand({ text: "second --partials 0" });
    await waitFor("the position", () =>
      status("second")?.history.some((version) => version.text.includes("queued (position")),
    );
    await queue.resume();
    const isResult = (prompt: string) =>
      JSON.stringify(status(prompt)?.blocks ?? []).includes("imagine_reroll");
    await waitFor("both results", () => isResult("first") && isResult("second"), 30_000);

    const seen = (status("second")?.history ?? []).map((version) => version.text);
    const position = seen.findIndex((text) => text.includes("queued (position 1)"));
    const drawing = seen.findIndex((text) => text.includes("drawing"));
    expect(position).toBeGreaterThanOrEqual(0);
    expect(drawing).toBeGreaterThan(position);
    expect(seen.slice(drawing).filter((text) => text.includes("queued"))).toEqual([]);
  });
});
