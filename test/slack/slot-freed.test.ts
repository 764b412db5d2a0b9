import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/slack/server.js";
import { relay } from "../helpers/relay.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, type SlackHarness, startSlackHarness, USER } from "./harness.js";

let h: SlackHarness;
/** Runs once the fake shows a status update carrying the result buttons, before the worker hears back. */
let onResultShown: ((ts: string) => Promise<void>) | undefined;

beforeAll(async () => {
  h = await startSlackHarness("slack-slot", {
    fake: {
      control: relay(() => h.slack.origin, {
        match: (method, path) => method === "POST" && path.startsWith("/api/chat.update"),
        async after(update) {
          const form = new URLSearchParams(update.text);
          const ts = form.get("ts");
          if (ts !== null && (form.get("blocks") ?? "").includes("imagine_reroll")) await onResultShown?.(ts);
        },
      }),
    },
    env: { USER_MAX_ACTIVE_JOBS: "1", WORKER_CONCURRENCY: "2" },
  });
});
afterAll(() => h.close());

const isResult = (m: FakeMessage) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll");
const results = () => h.slack.messages.filter((m) => m.bot_id && !m.deleted && isResult(m));
const refusals = () => h.slack.ephemerals.filter((e) => String(e.text).includes("in progress"));

describe("a person limited to one job at a time", () => {
  it("may Re-roll the moment the result appears", async () => {
    const queue = h.process.context.queues.forKind("slack");
    let decided = () => {};
    const decision = new Promise<void>((resolve) => {
      decided = resolve;
    });
    // The worker's result update is held on its way back until the click is decided: a slot freed only
    // after the update returns would refuse it.
    onResultShown = async (ts) => {
      onResultShown = undefined;
      const result = h.slack.message(CHANNEL, ts);
      const value = JSON.stringify(result?.blocks ?? []).match(/"value":"(reroll:[\w-]+)"/)?.[1];
      if (value === undefined) throw new Error("no Re-roll button on the result");
      await h.driver.clickButton({
        user: USER,
        channel: CHANNEL,
        messageTs: ts,
        actionId: "imagine_reroll",
        value,
      });
      await waitFor(
        "the Re-roll to be queued or refused",
        async () => refusals().length > 0 || (await queue.getJobCountByTypes("waiting", "active")) > 1,
      );
      decided();
    };
    await h.driver.slashCommand({ text: "a paper boat --partials 0" });
    await decision;

    expect(refusals()).toEqual([]);
    await waitFor("both results", () => results().length === 2, 30_000);
    expect(h.openai.requests).toHaveLength(2);
  });
});
