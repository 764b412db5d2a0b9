import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BudgetLedger } from "../../src/budget/ledger.js";
import { loadConfig } from "../../src/config.js";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai/server.js";
import { SlackDriver } from "../fakes/slack/driver.js";
import { type FakeMessage, type FakeSlack, startFakeSlack } from "../fakes/slack/server.js";
import { holdAfterPartials } from "../helpers/pace.js";
import { baseTestEnv, dropPrefix, testRedis, uniquePrefix } from "../helpers/redis.js";
import { waitFor } from "../helpers/wait-for.js";
import { PROCESS_TEST_TIMEOUT_MS, type ScriptProcess, startScript, stopCleanly } from "./scripts.js";

/**
 * Cancel across OS processes: the click reaches `npm run bot`, the job runs in `npm run worker`, and only
 * Redis is between them.
 */
const CHANNEL = "C0FAKECHAN1";
const USER = "U0FAKEUSER1";

let openai: FakeOpenAI;
let slack: FakeSlack;
let storageDir: string;
let prefix: string;
let env: Record<string, string>;
const started: ScriptProcess[] = [];

beforeAll(async () => {
  openai = await startFakeOpenAI();
  slack = await startFakeSlack({ fileReadyDelayMs: 60 });
  prefix = uniquePrefix("process-cancel");
  storageDir = await mkdtemp(join(tmpdir(), "imagine-process-cancel-"));
  env = {
    ...baseTestEnv(openai.url, prefix, storageDir),
    SLACK_BOT_TOKEN: "xoxb-fake",
    SLACK_API_URL: slack.apiUrl,
    SLACK_APP_TOKEN: "xapp-fake",
    BUDGET_USER_DAY_USD: "5",
  };
});
afterAll(async () => {
  for (const proc of started) await proc.terminate(3_000);
  await Promise.all([openai.close(), slack.close()]);
  await dropPrefix(prefix);
  await rm(storageDir, { recursive: true, force: true });
});

function run(script: string): ScriptProcess {
  const proc = startScript(script, env);
  started.push(proc);
  return proc;
}

const running = (proc: ScriptProcess) =>
  proc.waitForLog((line) => line.msg === "imagine-bot running", `${proc.script} to start`);

describe("Cancel with npm run bot plus npm run worker", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("aborts the worker process's request to OpenAI, shows Cancelled and refunds the reservation", async () => {
    const gateway = run("bot");
    const worker = run("worker");
    await Promise.all([running(gateway), running(worker)]);
    await slack.socket.connected();
    const hold = holdAfterPartials(openai, 1);
    const driver = new SlackDriver({ socket: slack.socket, responseUrl: slack.responseUrl });
    await driver.slashCommand({ text: "a slow heron --partials 2 --quality low" });
    const status = await waitFor(
      "the first frame",
      () =>
        slack.messages.find((m) => m.bot_id && JSON.stringify(m.blocks ?? []).includes("Work in progress")) as
          | FakeMessage
          | undefined,
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
    await waitFor("Cancelled", () => slack.message(CHANNEL, status.ts)?.text.includes("Cancelled"), 60_000);
    await waitFor("the request aborted", () => openai.requests[0]?.abortedByClient, 60_000);
    await worker.waitForLog((line) => line.msg === "job cancelled", "the worker's cancel");
    expect(gateway.logs().some((line) => line.msg === "running job told to stop")).toBe(true);

    const redis = testRedis();
    try {
      const ledger = new BudgetLedger(redis, prefix, loadConfig(env).budgets);
      await waitFor("the refund", async () => {
        const spent = await ledger.spent({ kind: "user", id: `slack:${USER}` }, "day");
        return spent.micro === 0;
      });
    } finally {
      redis.disconnect();
    }
    expect(openai.requests).toHaveLength(1);
    hold.release();
    await stopCleanly(gateway);
    await stopCleanly(worker);
  });
});
