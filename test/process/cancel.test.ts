import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BudgetLedger } from "../../src/budget/ledger.js";
import { loadConfig } from "../../src/config/load.js";
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
    const { gateway, worker } = await world.startBotAndWorker();
    const hold = holdAfterPartials(world.openai, 1);
    await world.driver.slashCommand({ text: "a slow heron --partials 2 --quality low" });
    const status = await world.firstFrame();
    const value = JSON.stringify(status.blocks).match(/"value":"(cancel:[\w-]+)"/)?.[1] ?? "";

    await world.driver.clickButton({
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
