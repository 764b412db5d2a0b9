import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeDiscord, FakeInteraction } from "../fakes/discord/fake.js";
import type { FakeUser } from "../fakes/discord/types.js";
import type { FakeOpenAI } from "../fakes/openai/server.js";
import { showsResult } from "../helpers/discord-result.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordProcesses, startDiscordProcesses } from "./discord-processes.js";
import { type ScriptProcess, stopCleanly } from "./scripts.js";

/**
 * 200 `/imagine` at one moment through the fake Discord to one `npm run bot` and one `npm run worker`: 50
 * people, four each, against a budget of two images a person a day. The fake refuses an answer later than
 * Discord's 3 seconds (10062), so an interaction with a callback was answered in time.
 */
const PEOPLE = 50;
const EACH = 4;
const IMAGES_A_DAY = 2;
const TEST_TIMEOUT_MS = 420_000;
/** Far above what the processes need (about 200-350 MiB each); a leak or a buffer per job would cross it. */
const PEAK_RSS_LIMIT_MIB = 1_024;

let world: DiscordProcesses;
let discord: FakeDiscord;
let openai: FakeOpenAI;
let storageDir: string;
beforeAll(async () => {
  world = await startDiscordProcesses("process-burst", {
    BUDGET_USER_DAY_IMAGES: String(IMAGES_A_DAY),
    USER_MAX_ACTIVE_JOBS: String(EACH),
    WORKER_CONCURRENCY: "4",
  });
  ({ discord, openai, storageDir } = world);
});
afterAll(() => world.close());

const run = (script: string) => world.run(script);

const person = (index: number): FakeUser => ({
  id: `4000000000000${String(index).padStart(5, "0")}`,
  username: `burst${index}`,
  global_name: `Burst ${index}`,
  discriminator: "0",
  avatar: null,
});

/** "made" once the reply shows the result; "refused" once the person was told privately their budget ran out. */
function outcome(interaction: FakeInteraction): Promise<"made" | "refused"> {
  return waitFor(
    "each request's outcome",
    () => {
      const reply = discord.original(interaction);
      if (reply && showsResult(reply)) return "made";
      const followups = interaction.followupIds.map((id) => discord.message(id));
      if (followups.some((message) => message.content.startsWith("⚠️ Your daily"))) return "refused";
      if (reply?.content.startsWith("⚠️")) throw new Error(`the reply shows a failure: ${reply.content}`);
      return undefined;
    },
    TEST_TIMEOUT_MS - 60_000,
  );
}

/** The highest resident set the process reached (`VmHWM`), in MiB. */
async function peakRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kib = Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1] ?? Number.NaN);
  return Math.round(kib / 1024);
}

describe("a burst of 200 /imagine against npm run bot and npm run worker", {
  timeout: TEST_TIMEOUT_MS,
}, () => {
  it("answers every interaction in time, makes each job exactly once, holds each person to the budget", async () => {
    const bot = run("bot");
    const worker = run("worker");
    const isRunning = (proc: ScriptProcess) =>
      proc.waitForLog((line) => line.msg === "imagine-bot running", `${proc.script} to start`);
    await Promise.all([isRunning(bot), isRunning(worker)]);

    const interactions = await Promise.all(
      Array.from({ length: PEOPLE * EACH }, (_, index) =>
        discord.slash(
          "imagine",
          {
            prompt: `kite ${index % EACH} of person ${Math.floor(index / EACH)}`,
            quality: "low",
            partials: 0,
          },
          person(Math.floor(index / EACH)),
        ),
      ),
    );
    const outcomes = await Promise.all(interactions.map(outcome));

    expect(interactions.filter((interaction) => interaction.callbackType === undefined)).toEqual([]);
    for (let index = 0; index < PEOPLE; index++) {
      const own = outcomes.slice(index * EACH, (index + 1) * EACH);
      expect(
        own.filter((result) => result === "made"),
        `person ${index}`,
      ).toHaveLength(IMAGES_A_DAY);
    }
    const made = PEOPLE * IMAGES_A_DAY;
    // Each job reached OpenAI once, and ended once with its images stored.
    expect(openai.requests.filter((request) => request.method === "POST")).toHaveLength(made);
    const runs = await readdir(storageDir);
    expect(runs).toHaveLength(made);
    for (const runId of runs) {
      const metadata = JSON.parse(await readFile(join(storageDir, runId, "metadata.json"), "utf8"));
      expect(metadata, runId).toMatchObject({
        status: "completed",
        attempts: 1,
        finals: [expect.any(String)],
      });
    }

    const peaks = {
      bot: await peakRssMiB(bot.appPid() ?? 0),
      worker: await peakRssMiB(worker.appPid() ?? 0),
    };
    // The figure for the record: the test decides only by the bound.
    process.stdout.write(
      `burst of ${PEOPLE * EACH}: peak RSS bot ${peaks.bot} MiB, worker ${peaks.worker} MiB\n`,
    );
    expect(peaks.bot).toBeLessThan(PEAK_RSS_LIMIT_MIB);
    expect(peaks.worker).toBeLessThan(PEAK_RSS_LIMIT_MIB);
    await stopCleanly(bot);
    await stopCleanly(worker);
  });
});
