import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/slack/server.js";
import { holdAfterPartials } from "../helpers/pace.js";
import { type PrivateRedis, startPrivateRedis } from "../helpers/private-redis.js";
import { waitFor } from "../helpers/wait-for.js";
import { type ScriptProcess, stopCleanly } from "./scripts.js";
import { CHANNEL, type SlackProcesses, startSlackProcesses } from "./slack-processes.js";

/**
 * Redis cut off under a running bot and worker (`npm run bot`, `npm run worker`): every connection killed, then
 * the server restarted, while one job streams and another waits. Both must reconnect and lose nothing.
 */
const TEST_TIMEOUT_MS = 240_000;
const RECOVERY_MS = 120_000;

let redis: PrivateRedis;
let world: SlackProcesses;
beforeAll(async () => {
  redis = await startPrivateRedis();
  world = await startSlackProcesses("process-redis", { REDIS_URL: redis.url, WORKER_CONCURRENCY: "1" });
});
afterAll(async () => {
  await world.close();
  await redis.stop();
});

/**
 * A recovery that does not come is told with what both processes logged: it has failed only on a loaded
 * machine, where what they were waiting for is the whole story.
 */
async function explained<T>(wait: Promise<T>, procs: Record<string, ScriptProcess>): Promise<T> {
  try {
    return await wait;
  } catch (error) {
    const logs = Object.entries(procs).map(([name, proc]) => `--- ${name}\n${proc.output().slice(-6000)}`);
    throw new Error(`${(error as Error).message}\n${logs.join("\n")}`);
  }
}

const isResult = (m: FakeMessage) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll");
const botMessage = (match: (m: FakeMessage) => boolean) => () =>
  world.slack.messages.find((m) => m.bot_id !== undefined && match(m));

describe("Redis cut off and restarted mid-job", { timeout: TEST_TIMEOUT_MS }, () => {
  it("the bot and the worker reconnect, the running job's final lands in its message, the waiting job runs", async () => {
    const { gateway, worker } = await world.startBotAndWorker();
    const hold = holdAfterPartials(world.openai, 1);
    await world.driver.slashCommand({ text: "a streaming heron --partials 2 --quality low" });
    const running = await world.firstFrame();
    await world.driver.slashCommand({ text: "a waiting heron --partials 0 --quality low" });
    const waiting = await waitFor(
      "the second job queued",
      botMessage((m) => m.text.includes("waiting heron")),
    );

    await redis.killClients();
    await redis.restart();
    hold.release();

    await explained(
      waitFor(
        "both results",
        () => world.slack.messages.filter((m) => m.bot_id && isResult(m)).length === 2,
        RECOVERY_MS,
      ),
      { gateway, worker },
    );
    expect(isResult(world.slack.message(CHANNEL, running.ts) as FakeMessage)).toBe(true);
    expect(isResult(world.slack.message(CHANNEL, waiting.ts) as FakeMessage)).toBe(true);
    // Each job made once: none was lost and started again.
    expect(world.openai.requests.filter((r) => r.method === "POST")).toHaveLength(2);
    // And the gateway takes new work on the restarted Redis.
    await world.driver.slashCommand({ text: "a later heron --partials 0 --quality low" });
    await waitFor(
      "the third result",
      () => world.slack.messages.filter((m) => m.bot_id && isResult(m)).length === 3,
      RECOVERY_MS,
    );
    await stopCleanly(gateway);
    await stopCleanly(worker);
  });
});
