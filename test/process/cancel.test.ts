import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BudgetLedger } from "../../src/budget/ledger.js";
import { loadConfig } from "../../src/config.js";
import { SlackDriver } from "../fakes/slack/driver.js";
import type { FakeMessage } from "../fakes/slack/server.js";
import { holdAfterPartials } from "../helpers/pace.js";
import { testRedis } from "../helpers/redis.js";
import { waitFor } from "../helpers/wait-for.js";
import { PROCESS_TEST_TIMEOUT_MS, stopCleanly } from "./scripts.js";
import { CHANNEL, type SlackProcesses, startSlackProcesses, USER } from "./slack-processes.js";

/**
 * Cancel across OS processes: the click reaches `npm run bot`, the job runs in `npm run worker`, and only
 * Redis is between them.
 */
let world: SlackProcesses;
beforeAll(async () => {
  world = await startSlackProcesses("process-cancel", { BUDGET_USER_DAY_USD: "5" });
});
afterAll(() => world.close());

describe("Cancel with npm run bot plus npm run worker", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("aborts the worker process's request to OpenAI, shows Cancelled and refunds the reservation", async () => {
    const gateway = world.run("bot");
    const worker = world.run("worker");
    await Promise.all([world.running(gateway), world.running(worker)]);
    await world.slack.socket.connected();
    const hold = holdAfterPartials(world.openai, 1);
    const driver = new SlackDriver({ socket: world.slack.socket, responseUrl: world.slack.responseUrl });
    await driver.slashCommand({ text: "a slow heron --partials 2 --quality low" });
    const status = await waitFor(
      "the first frame",
      () =>
        world.slack.messages.find(
          (m) => m.bot_id && JSON.stringify(m.blocks ?? []).includes("Work in progress"),
        ) as FakeMessage | undefined,
      60_000,
    );
    const value = JSON.stringify(status.blocks).match(/"value":"(cancel:[\w-]+)"/)?.[1] ?? "";

    await driver.clickButton({
      user: USER,
      channel: CHANNEL,
      messageTs: status.ts,
      actionId: "imagine_cancel",
      value,
    });
    await waitFor(
      "Cancelled",
      () => world.slack.message(CHANNEL, status.ts)?.text.includes("Cancelled"),
      60_000,
    );
    await waitFor("the request aborted", () => world.openai.requests[0]?.abortedByClient, 60_000);
    await worker.waitForLog((line) => line.msg === "job cancelled", "the worker's cancel");
    expect(gateway.logs().some((line) => line.msg === "running job told to stop")).toBe(true);

    const redis = testRedis();
    try {
      const ledger = new BudgetLedger(redis, world.prefix, loadConfig(world.env).budgets);
      await waitFor("the refund", async () => {
        const spent = await ledger.spent({ kind: "user", id: `slack:${USER}` }, "day");
        return spent.micro === 0;
      });
    } finally {
      redis.disconnect();
    }
    expect(world.openai.requests).toHaveLength(1);
    hold.release();
    await stopCleanly(gateway);
    await stopCleanly(worker);
  });
});
