import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BudgetLedger } from "../../src/budget/ledger.js";
import { loadConfig } from "../../src/config/load.js";
import type { FakeMessage } from "../fakes/slack/server.js";
import { holdAfterPartials } from "../helpers/pace.js";
import { testRedis } from "../helpers/redis.js";
import { waitFor } from "../helpers/wait-for.js";
import { type ScriptProcess, stopCleanly, waitGone } from "./scripts.js";
import { CHANNEL, type SlackProcesses, startSlackProcesses, USER } from "./slack-processes.js";

/**
 * Worker processes killed with SIGKILL in the middle of a stream, as a crash or an OOM kill would: another
 * worker process must finish the job (or, when that one dies too, end it with a clear message), with only
 * Redis between them. A dead worker's lock lapses in about 30 s (`queue/worker.ts`); each test allows for
 * two of those, and for starting processes on a loaded machine.
 */
const CRASH_TEST_TIMEOUT_MS = 300_000;
const RECOVERY_MS = 120_000;

let world: SlackProcesses;
beforeAll(async () => {
  world = await startSlackProcesses("process-crash", { BUDGET_USER_DAY_USD: "5" });
});
afterAll(() => world.close());

/** SIGKILL to the app itself (npm's child): no handler runs, nothing is closed. */
async function kill(proc: ScriptProcess): Promise<void> {
  const pid = proc.appPid();
  if (pid === undefined) throw new Error(`${proc.script} never logged its pid`);
  process.kill(pid, "SIGKILL");
  await waitGone(pid);
}

const imageRequests = () => world.openai.requests.filter((request) => request.path.includes("/images/"));
const responseReads = () =>
  world.openai.requests.filter(
    (request) => request.method === "GET" && request.path.startsWith("/v1/responses/"),
  );
const results = () =>
  world.slack.messages.filter((m) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll"));

/** The status message once it shows the result (its buttons): the job ended in the message it began in. */
const finalIn = (status: FakeMessage) =>
  waitFor(
    "the final in the same message",
    () => {
      const shown = world.slack.message(CHANNEL, status.ts);
      return JSON.stringify(shown?.blocks ?? []).includes("imagine_reroll") ? shown : undefined;
    },
    RECOVERY_MS,
  );

const texts = (message: FakeMessage | undefined) =>
  [...(message?.history ?? []), ...(message ? [message] : [])].map((version) => version.text);

async function spentToday(): Promise<number> {
  const redis = testRedis();
  try {
    const ledger = new BudgetLedger(redis, world.prefix, loadConfig(world.env).budgets);
    return (await ledger.spent({ kind: "user", id: `slack:${USER}` }, "day")).micro;
  } finally {
    redis.disconnect();
  }
}

async function onlyRunMetadata(): Promise<Record<string, unknown>> {
  const [run, ...others] = await readdir(world.storageDir);
  expect(others).toEqual([]);
  return JSON.parse(await readFile(join(world.storageDir, run ?? "", "metadata.json"), "utf8"));
}

describe("a worker process killed mid-stream", { timeout: CRASH_TEST_TIMEOUT_MS }, () => {
  it("another worker process resumes the job: one final, in the same message, the person told", async () => {
    const { gateway, worker: first } = await world.startBotAndWorker();
    const hold = holdAfterPartials(world.openai, 1);
    await world.driver.slashCommand({ text: "a crashing heron --partials 2 --quality low" });
    const status = await world.firstFrame();

    const second = world.run("worker");
    await world.running(second);
    await kill(first);
    hold.release();

    const final = await finalIn(status);
    expect(texts(final).some((text) => text.includes("resuming"))).toBe(true);
    expect(results()).toHaveLength(1);
    // The Images API cannot resume a stream: the dead worker's generation was lost and a second one made,
    // and both are counted.
    expect(imageRequests()).toHaveLength(2);
    expect(await onlyRunMetadata()).toMatchObject({
      status: "completed",
      finals: [expect.any(String)],
      attempts: 2,
      cost: { generations: 2 },
    });
    await stopCleanly(gateway);
    await stopCleanly(second);
  });

  it("a Responses API job is resumed where the dead worker left it: one generation, one final", async () => {
    await rm(world.storageDir, { recursive: true, force: true });
    world.openai.reset();
    const resultsBefore = results().length;
    const { gateway, worker: first } = await world.startBotAndWorker();
    // The generation goes on at OpenAI while no worker reads it, held after its first partial until the
    // next worker comes back to it, so that worker reads the rest of the stream, not only the finished image.
    const hold = holdAfterPartials(world.openai, 1);
    void waitFor("a worker to come back to the response", () => responseReads().length > 0, RECOVERY_MS).then(
      () => hold.release(),
    );
    await world.driver.slashCommand({ text: "a resumed heron --api responses --partials 2 --quality low" });
    const status = await world.firstFrame();

    const second = world.run("worker");
    await world.running(second);
    await kill(first);

    const final = await finalIn(status);
    expect(texts(final).some((text) => text.includes("resuming"))).toBe(true);
    expect(results()).toHaveLength(resultsBefore + 1);
    const creates = world.openai.requests.filter((r) => r.method === "POST" && r.path === "/v1/responses");
    expect(creates).toHaveLength(1);
    // Read again after the dead worker's last partial, not made again.
    const streamed = responseReads().filter((r) => r.query.stream === "true");
    expect(streamed).toMatchObject([{ query: { starting_after: expect.stringMatching(/^\d+$/) } }]);
    const metadata = await onlyRunMetadata();
    expect(metadata).toMatchObject({ status: "completed", finals: [expect.any(String)] });
    expect((metadata.cost as { generations?: number }).generations).toBeUndefined();
    await stopCleanly(gateway);
    await stopCleanly(second);
  });

  it("a Responses API job whose response finished while no worker read it stores the frames made meanwhile", async () => {
    await rm(world.storageDir, { recursive: true, force: true });
    world.openai.reset();
    const { gateway, worker: first } = await world.startBotAndWorker();
    const hold = holdAfterPartials(world.openai, 1);
    await world.driver.slashCommand({ text: "a finished heron --api responses --partials 2 --quality low" });
    const status = await world.firstFrame();
    // The dead worker's checkpoint is past its first frame: what it showed and stored is not read again.
    const redis = testRedis();
    const progressKey = async () => (await redis.keys(`${world.prefix}:job-progress:*`))[0];
    const checkpoint = await waitFor("the checkpoint after the first frame", async () => {
      const key = await progressKey();
      const saved = key ? await redis.hgetall(key) : {};
      return Number(saved.sequence) > 0 ? saved : undefined;
    });
    redis.disconnect();
    await kill(first);
    // OpenAI finishes the response with nobody reading: the second frame and the image are made meanwhile.
    hold.release();
    await waitFor("the response to finish", async () => {
      const response = await fetch(`${world.openai.url}/responses/${checkpoint.responseId}`, {
        headers: { authorization: "Bearer sk-test" },
      });
      return ((await response.json()) as { status?: string }).status === "completed";
    });

    const second = world.run("worker");
    await world.running(second);
    await finalIn(status);
    const metadata = await onlyRunMetadata();
    expect(metadata).toMatchObject({
      status: "completed",
      partials: [expect.stringMatching(/\/partial_1\.png$/)],
    });
    const runId = String(metadata.runId);
    // The dead worker's own frame keeps its file.
    expect(
      (await readdir(join(world.storageDir, runId))).filter((name) => name.startsWith("partial_")),
    ).toEqual(["partial_0.png", "partial_1.png"]);
    const creates = world.openai.requests.filter((r) => r.method === "POST" && r.path === "/v1/responses");
    expect(creates).toHaveLength(1);
    const streamed = responseReads().filter((r) => r.query.stream === "true");
    expect(streamed).toMatchObject([{ query: { starting_after: checkpoint.sequence } }]);
    await stopCleanly(gateway);
    await stopCleanly(second);
  });

  it("and the worker that took it over dies too: the job is given up, saying OpenAI may still charge for it", async () => {
    await rm(world.storageDir, { recursive: true, force: true });
    world.openai.reset();
    const { gateway, worker: first } = await world.startBotAndWorker();
    // The first test's job is counted today: this one's reservation comes on top, and goes again.
    const before = await spentToday();
    const hold = holdAfterPartials(world.openai, 1);
    await world.driver.slashCommand({ text: "a doomed heron --partials 2 --quality low" });
    const status = await world.firstFrame();
    expect(await spentToday()).toBeGreaterThan(before);

    const second = world.run("worker");
    await world.running(second);
    await kill(first);
    await waitFor("the second worker's stream", () => imageRequests().length === 2, RECOVERY_MS);
    const third = world.run("worker");
    await world.running(third);
    await kill(second);

    const given = await waitFor(
      "the message to say it was given up",
      () => {
        const shown = world.slack.message(CHANNEL, status.ts);
        return shown?.text.includes("stopped twice") ? shown : undefined;
      },
      RECOVERY_MS,
    );
    // Both workers had sent the request (a partial came back): OpenAI bills an image it was making whether or not
    // anyone reads it, so the estimate held is kept, and the message does not say nothing was charged.
    expect(given.text).toContain("OpenAI may still charge for what they had asked it to make");
    expect(given.text).not.toContain("Nothing was charged");
    expect(await onlyRunMetadata()).toMatchObject({ status: "failed", error: { code: "worker_lost_sent" } });
    expect(await spentToday()).toBeGreaterThan(before);
    expect(imageRequests()).toHaveLength(2);
    hold.release();
    await stopCleanly(gateway);
    await stopCleanly(third);
  });
});
