import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/slack/server.js";
import { holdAfterPartials } from "../helpers/pace.js";
import { waitFor } from "../helpers/wait-for.js";
import { PROCESS_TEST_TIMEOUT_MS, type ScriptProcess, stopCleanly } from "./scripts.js";
import { CHANNEL, type SlackProcesses, startSlackProcesses } from "./slack-processes.js";

/**
 * SIGTERM to `npm run worker` while it runs a job, as a deploy or `docker stop` sends it: the first one lets the
 * running job finish and takes no new one; a second one cancels what runs, with a message that says why.
 */
let world: SlackProcesses;
beforeAll(async () => {
  world = await startSlackProcesses("process-sigterm", {});
});
afterAll(() => world.close());

const isResult = (m: FakeMessage | undefined) => JSON.stringify(m?.blocks ?? []).includes("imagine_reroll");
const posts = () => world.openai.requests.filter((r) => r.method === "POST").length;
const statusOf = (prompt: string) =>
  waitFor(`the status of "${prompt}"`, () =>
    world.slack.messages.find((m) => m.bot_id !== undefined && m.text.includes(prompt)),
  );
const shuttingDown = (proc: ScriptProcess) =>
  proc.waitForLog((line) => line.msg.startsWith("shutting down"), `${proc.script} to begin shutting down`);

describe("SIGTERM to a worker running a job", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("finishes the running job, takes no new one, and exits; the next worker runs what waits", async () => {
    const { gateway, worker } = await world.startBotAndWorker();
    const hold = holdAfterPartials(world.openai, 1);
    await world.driver.slashCommand({ text: "a finishing heron --partials 2 --quality low" });
    const running = await world.firstFrame("a finishing heron");

    worker.child.kill("SIGTERM");
    await shuttingDown(worker);
    await world.driver.slashCommand({ text: "a patient heron --partials 0 --quality low" });
    const waiting = await statusOf("a patient heron");
    hold.release();

    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(isResult(world.slack.message(CHANNEL, running.ts))).toBe(true);
    // The stopping worker never started the job that came while it stopped.
    expect(posts()).toBe(1);
    expect(isResult(world.slack.message(CHANNEL, waiting.ts))).toBe(false);

    const next = world.run("worker");
    await waitFor(
      "the waiting job's result",
      () => isResult(world.slack.message(CHANNEL, waiting.ts)),
      90_000,
    );
    expect(posts()).toBe(2);
    await stopCleanly(next);
    await stopCleanly(gateway);
  });

  it("counts Ctrl-C once though it arrives twice (the terminal's and npm's copy): the running job finishes", async () => {
    const { gateway, worker } = await world.startBotAndWorker();
    const hold = holdAfterPartials(world.openai, 1);
    await world.driver.slashCommand({ text: "a ctrl-c heron --partials 2 --quality low" });
    const running = await world.firstFrame("a ctrl-c heron");

    // As a terminal does: SIGINT to the whole process group, so the app gets it from the terminal and npm.
    const pid = worker.appPid();
    if (pid === undefined) throw new Error("the worker never logged its pid");
    worker.child.kill("SIGINT");
    process.kill(pid, "SIGINT");
    await shuttingDown(worker);
    hold.release();
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(isResult(world.slack.message(CHANNEL, running.ts))).toBe(true);
    expect(worker.logs().some((line) => line.msg.startsWith("stopping again"))).toBe(false);
    await stopCleanly(gateway);
  });

  it("cancels the running job on a second SIGTERM, says so in its message, and exits", async () => {
    const { gateway, worker } = await world.startBotAndWorker();
    const hold = holdAfterPartials(world.openai, 1);
    await world.driver.slashCommand({ text: "an interrupted heron --partials 2 --quality low" });
    const running = await world.firstFrame("an interrupted heron");

    worker.child.kill("SIGTERM");
    await shuttingDown(worker);
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    const shown = world.slack.message(CHANNEL, running.ts);
    expect(shown?.text).toContain("The bot was stopped");
    expect(isResult(shown)).toBe(false);
    hold.release();
    await stopCleanly(gateway);
  });
});
