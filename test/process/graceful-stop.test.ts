import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeMessage } from "../fakes/slack/server.js";
import { holdAfterPartials } from "../helpers/pace.js";
import { waitFor } from "../helpers/wait-for.js";
import type { LogLine } from "./npm-process.js";
import {
  PROCESS_TEST_TIMEOUT_MS,
  REPO_ROOT,
  type ScriptProcess,
  startCommand,
  stopCleanly,
} from "./scripts.js";
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
const cancelledOnce = (proc: ScriptProcess) =>
  proc.logs().some((line) => line.msg.startsWith("stopping again"));
/**
 * The app counts a signal within 2 s of the first as the same stop, delivered twice; a test's second stop comes
 * after that, by the app's own clock (pino's `time` of its first "shutting down" line). Waiting on time is the
 * behaviour under test here, not a guess at how long something takes.
 */
async function pastTheSameStop(first: LogLine): Promise<void> {
  const wait = (first.time as number) + 2_200 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

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
    expect(cancelledOnce(worker)).toBe(false);
    await stopCleanly(gateway);
  });

  it("cancels the running job on a second SIGTERM, says so in its message, and exits", async () => {
    const { gateway, worker } = await world.startBotAndWorker();
    const hold = holdAfterPartials(world.openai, 1);
    await world.driver.slashCommand({ text: "an interrupted heron --partials 2 --quality low" });
    const running = await world.firstFrame("an interrupted heron");

    worker.child.kill("SIGTERM");
    await pastTheSameStop(await shuttingDown(worker));
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(cancelledOnce(worker)).toBe(true);
    const shown = world.slack.message(CHANNEL, running.ts);
    expect(shown?.text).toContain("The bot was stopped");
    expect(isResult(shown)).toBe(false);
    hold.release();
    await stopCleanly(gateway);
  });

  it("counts SIGTERM to npm start's process group once though node gets it twice (from npm and directly)", async () => {
    // As `timeout`, systemd's control-group kill and many supervisors stop a program: the whole group at once.
    const start = startCommand(["npm", "start"], world.env, REPO_ROOT, { ownGroup: true });
    try {
      await world.running(start);
      await world.slack.socket.connected();
      const hold = holdAfterPartials(world.openai, 1);
      await world.driver.slashCommand({ text: "a grouped heron --partials 2 --quality low" });
      const running = await world.firstFrame("a grouped heron");

      process.kill(-(start.child.pid as number), "SIGTERM");
      const first = await shuttingDown(start);
      // npm's copy comes milliseconds later; on a loaded machine the kernel may merge it with the first, still
      // pending. Either way the job is held until the copy was heard or could no longer count as the same stop.
      const copy = start.waitForLog(
        (line) => line.msg.startsWith("the same stop signal"),
        "npm's copy",
        5_000,
      );
      await Promise.race([copy.catch(() => undefined), pastTheSameStop(first)]);
      hold.release();
      expect(await start.exited).toEqual({ code: 0, signal: null });
      expect(isResult(world.slack.message(CHANNEL, running.ts))).toBe(true);
      expect(cancelledOnce(start)).toBe(false);
    } finally {
      await start.terminate(3_000);
    }
  });

  it("stops a worker run under `timeout` once, without cancelling", async () => {
    // `timeout` signals npm and then its whole group, so the worker hears SIGTERM from it and from npm.
    const timed = startCommand(["timeout", "10", "npm", "run", "worker"], world.env);
    try {
      await shuttingDown(timed);
      expect(await timed.exited).toEqual({ code: 124, signal: null });
      expect(cancelledOnce(timed)).toBe(false);
    } finally {
      await timed.terminate(3_000);
    }
  });
});
