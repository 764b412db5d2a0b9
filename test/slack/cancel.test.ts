import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/slack/server.js";
import { holdAfterPartials } from "../helpers/pace.js";
import { waitFor } from "../helpers/wait-for.js";
import { CHANNEL, type SlackHarness, startSlackHarness, USER } from "./harness.js";

const ADMIN = "U0ADMIN0001";
const SOMEONE = "U0SOMEONE02";

let h: SlackHarness;
beforeAll(async () => {
  // The bot process and a worker process apart, as `npm run bot` + `npm run worker` run them: a click reaches
  // the bot, the job runs in the worker. One job at a time, so a second one waits; a budget to refund.
  h = await startSlackHarness("slack-cancel", {
    processMode: "bot",
    env: { WORKER_CONCURRENCY: "1", BUDGET_USER_DAY_USD: "5", SLACK_ADMIN_USER_IDS: ADMIN },
  });
  await h.startWorker();
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const cancelValueOf = (message: FakeMessage | undefined) =>
  JSON.stringify(message?.blocks ?? []).match(/"value":"(cancel:[\w-]+)"/)?.[1];
const statusOf = (prompt: string) =>
  h.slack.messages.find((m) => m.bot_id && !m.files && m.history[0]?.text.includes(prompt));
const click = (message: FakeMessage, value: string, user = USER) =>
  h.driver.clickButton({ user, channel: CHANNEL, messageTs: message.ts, actionId: "imagine_cancel", value });
const spentToday = () => h.process.context.budget.spent({ kind: "user", id: `slack:${USER}` }, "day");
const cancelled = (prompt: string) =>
  waitFor("Cancelled", () => {
    const status = statusOf(prompt);
    return status?.text.includes("Cancelled") ? status : undefined;
  });

describe("Cancel under a Slack status", () => {
  it("aborts a running job's request to OpenAI in the worker process, refunds it and retries nothing", async () => {
    const hold = holdAfterPartials(h.openai, 1);
    await h.driver.slashCommand({ text: "a slow heron --partials 2 --quality low" });
    const drawing = await waitFor("the first frame", () => {
      const status = statusOf("a slow heron");
      return JSON.stringify(status?.blocks ?? []).includes("Work in progress") ? status : undefined;
    });
    const value = cancelValueOf(drawing) ?? "";
    expect(value).toMatch(/^cancel:/);
    expect((await spentToday()).micro).toBeGreaterThan(0);

    await click(drawing, value);
    const status = await cancelled("a slow heron");
    expect(status.blocks ?? []).toEqual([]);
    await waitFor("the request aborted", () => h.openai.requests[0]?.abortedByClient);
    await waitFor("the refund", async () => (await spentToday()).micro === 0);
    // The worker refunds before BullMQ records the end: wait for the job to leave "active".
    const state = await waitFor("the job's end", async () => {
      const now = await h.process.context.queues.forKind("slack").getJobState(value.slice("cancel:".length));
      return now === "active" ? undefined : now;
    });
    expect(state).toBe("failed");
    expect(
      (await h.process.context.queues.forKind("slack").getJob(value.slice("cancel:".length)))?.attemptsMade,
    ).toBe(1);

    hold.release();
    h.openai.pace(undefined);
    await h.driver.slashCommand({ text: "a quick wren --partials 0" });
    await waitFor("the next result", () =>
      JSON.stringify(statusOf("a quick wren")?.blocks ?? []).includes("imagine_reroll"),
    );
    expect(h.openai.requests.map((request) => (request.json as { prompt: string }).prompt)).toEqual([
      "a slow heron",
      "a quick wren",
    ]);
  });

  it("removes a waiting job: refused to others, allowed to an admin, never sent to OpenAI", async () => {
    const hold = holdAfterPartials(h.openai, 0);
    await h.driver.slashCommand({ text: "a first crane --partials 1" });
    await waitFor("the first job at OpenAI", () => h.openai.requests.length === 1);
    await h.driver.slashCommand({ text: "a second crane --quality low" });
    const waiting = await waitFor("the second status", () => {
      const status = statusOf("a second crane");
      return cancelValueOf(status) ? status : undefined;
    });
    const value = cancelValueOf(waiting) ?? "";
    // The status is posted just before the job is queued: click once it is.
    await waitFor("the second job queued", () =>
      h.process.context.queues.forKind("slack").getJob(value.slice("cancel:".length)),
    );

    await click(waiting, value, SOMEONE);
    const refusal = await waitFor("the refusal", () => h.slack.ephemerals[0]);
    expect(refusal.user).toBe(SOMEONE);
    expect(String(refusal.text)).toContain(`Only <@${USER}>`);
    expect(
      await h.process.context.queues.forKind("slack").getJob(value.slice("cancel:".length)),
    ).toBeDefined();

    await click(waiting, value, ADMIN);
    const status = await cancelled("a second crane");
    expect(status.blocks ?? []).toEqual([]);
    expect(
      await h.process.context.queues.forKind("slack").getJob(value.slice("cancel:".length)),
    ).toBeUndefined();

    await click(waiting, value);
    const late = await waitFor("the late answer", () => h.slack.ephemerals[1]);
    expect(String(late.text)).toBe("That request has already finished.");

    hold.release();
    h.openai.pace(undefined);
    await waitFor("the first result", () =>
      JSON.stringify(statusOf("a first crane")?.blocks ?? []).includes("imagine_reroll"),
    );
    await h.idle();
    expect(h.openai.requests).toHaveLength(1);
  });
});
