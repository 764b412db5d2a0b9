/**
 * `npm run bench` (issue 12): how long a person waits because of the bot, measured as they feel it. The bot runs
 * as README runs it (`npm start`; `npm run bot` + `npm run worker` for memory), as OS processes of its own,
 * against the fake OpenAI, Discord and Slack running in this process on one clock (test/fakes/clock.ts), on
 * the Redis on REDIS_URL. Prints a table and writes `bench/results.json` and a side-by-side PNG of the previews.
 * BENCHMARKS.md says what each figure is and records the latest ones.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import buildWhenStale from "../test/helpers/build-when-stale.js";
import { TEST_REDIS_URL } from "../test/helpers/redis.js";
import { type DiscordProcesses, startDiscordProcesses } from "../test/process/discord-processes.js";
import { REPO_ROOT, type ScriptProcess } from "../test/process/npm-process.js";
import { type SlackProcesses, startSlackProcesses } from "../test/process/slack-processes.js";
import { bareBullmqJobsPerSecond } from "./bare-bullmq.js";
import { burnEveryCore, type CoreBurners } from "./busy.js";
import {
  ackFloor,
  ackUnderBurst,
  cpuAndThroughput,
  jobIdOf,
  partialToEdit,
  peakWorkerRss,
  previewSent,
} from "./discord-bench.js";
import type { FrameTrip } from "./frames.js";
import { calibrationMs, describeMachine } from "./machine.js";
import { distribution, figure, type Measured, table, withFloors } from "./metrics.js";
import { type Load, readOptions, type Scenario } from "./options.js";
import { previewFloor } from "./preview-floor.js";
import { writeSideBySide } from "./side-by-side.js";
import { slackPartialToUpdate } from "./slack-bench.js";

/** The bot worker's concurrency in every run but the memory one (the bare BullMQ baseline uses it too). */
const CONCURRENCY = 8;
/** Between two events of a stream: under Discord's 5 edits a second per message, over Slack's one a second. */
const DISCORD_GAP_MS = 350;
const SLACK_GAP_MS = 1_500;
const MEMORY_GAP_MS = 400;
/** Jobs with partials running in the `npm start` process while the burst of acks arrives. */
const BUSY_JOBS = 4;

const options = readOptions();
const calibrationAtStart = calibrationMs();
// The bot processes run `dist/`, as `npm start` does: the bench measures the sources as they are now.
await buildWhenStale();
const began = Date.now();
/**
 * The fakes stamp their times on this process's event loop: a stamp is late by as much as the loop was
 * blocked or the process not scheduled. Logged with each step, so a figure the bench itself inflated shows.
 */
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
const overall = monitorEventLoopDelay({ resolution: 10 });
overall.enable();
const delayMs = (ns: number) => (ns / 1e6).toFixed(0);

/** Every world still running: closed (processes terminated, Redis keys and storage removed) on any exit. */
const open = new Set<DiscordProcesses | SlackProcesses>();
/** The core burners of a busy step, while it runs. */
let burners: CoreBurners | undefined;
async function closeAll(): Promise<void> {
  await burners?.stop();
  burners = undefined;
  for (const world of open) {
    open.delete(world);
    await world.close().catch((error: unknown) => console.error(`closing a bench world failed: ${error}`));
  }
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void closeAll().finally(() => process.exit(130)));
}

/** What every bot process gets: one person may ask for any number of jobs; a CPU profile when asked for. */
const botEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
  USER_MAX_ACTIVE_JOBS: "0",
  WORKER_CONCURRENCY: String(CONCURRENCY),
  ...(options.profile
    ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${resolve(REPO_ROOT, options.profile)}` }
    : {}),
  ...extra,
});

const running = (proc: ScriptProcess) =>
  proc.waitForLog((line) => line.msg === "imagine-bot running", `${proc.script} to start`);

function log(text: string): void {
  const at = ((Date.now() - began) / 1000).toFixed(0).padStart(4);
  const loop = `bench loop late p99 ${delayMs(loopDelay.percentile(99))} ms, max ${delayMs(loopDelay.max)} ms`;
  console.log(`[${at} s] ${text} (${loop})`);
  loopDelay.reset();
}

const measured: Measured[] = [];
const latencies = (trips: FrameTrip[]) => trips.map((trip) => trip.ms);

/** A busy figure's name ends in `_busy`. */
const named = (name: string, load: Load) => (load === "busy" ? `${name}_busy` : name);

/** Runs `step` under `load`: for `busy`, with every core kept busy by burners, stopped after. */
async function underLoad<T>(load: Load, step: () => Promise<T>): Promise<T> {
  if (load === "quiet") return step();
  burners = await burnEveryCore();
  log("every core kept busy by a burner");
  try {
    return await step();
  } finally {
    await burners.stop();
    burners = undefined;
  }
}

async function discordScenarios(): Promise<void> {
  const world = await startDiscordProcesses("bench-discord", botEnv());
  open.add(world);
  const bot = world.run("start");
  await running(bot);
  await world.discord.waitForBot();
  log("npm start runs on the fake Discord");

  if (options.only.has("partials")) {
    for (const load of options.loads) await underLoad(load, () => partialsScenario(world, load));
  }
  if (options.only.has("cpu")) {
    const { cpuMsPerJob, jobsPerSecond } = await cpuAndThroughput(world, bot, options.jobs);
    measured.push(figure("bot_cpu_ms_per_job", "ms", cpuMsPerJob, options.jobs));
    measured.push(figure("jobs_per_s", "jobs/s", jobsPerSecond, options.jobs));
    log(`CPU and throughput over ${options.jobs} jobs`);
  }
  if (options.only.has("ack")) {
    for (const load of options.loads) {
      const acks = await underLoad(load, () =>
        ackUnderBurst(world, options.burst, BUSY_JOBS, options.burstRounds),
      );
      measured.push(distribution(named("ack_ms", load), "ms", acks.times));
      log(`acks of ${options.burstRounds} bursts of ${options.burst}, ${load}: ${acks.late} past 3 s`);
    }
  }
  open.delete(world);
  await world.close();
}

/**
 * Partial-to-edit at each size, then its floor: the same frames shown by `bare-preview.ts`. Quiet, it also
 * measures the final's edit, the previews' bytes and draws the side-by-side.
 */
async function partialsScenario(world: DiscordProcesses, load: Load): Promise<void> {
  const previews: FrameTrip[] = [];
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const bytesRatio = (trips: FrameTrip[]) =>
    sum(trips.map((trip) => trip.shownBytes ?? 0)) / sum(trips.map((trip) => trip.writtenBytes));
  for (const size of SIZES) {
    const { trips, interactions } = await partialToEdit(world, load, size, options.rounds, DISCORD_GAP_MS);
    const partials = trips.filter((trip) => trip.frame !== "final");
    previews.push(...partials);
    measured.push(distribution(named(`partial_to_edit_ms_${size}`, load), "ms", latencies(partials)));
    // The pacing keeps every edit inside Discord's limits; a 429 here would mean a figure includes a wait.
    const limited = () => world.discord.requests.filter((request) => request.status === 429).length;
    const ratio = bytesRatio(partials).toFixed(4);
    log(
      `partial to edit at ${size}, ${load}: ${partials.length} frames, preview/partial bytes ${ratio}, ${limited()} 429s`,
    );
    if (size === "1536x1024" && load === "quiet") {
      const finals = trips.filter((trip) => trip.frame === "final");
      measured.push(distribution("final_to_edit_ms_1536x1024", "ms", latencies(finals)));
      const first = interactions[0];
      if (first !== undefined) await sideBySide(world, first);
    }
    // Last: the floor's edits replace what the replies show.
    const floor = await previewFloor(world, interactions);
    measured.push(distribution(named(`preview_floor_ms_${size}`, load), "ms", floor));
    log(`preview floor at ${size}, ${load}: ${floor.length} frames, ${limited()} 429s`);
  }
  if (load === "quiet")
    measured.push(figure("preview_bytes_ratio", "ratio", bytesRatio(previews), previews.length));
}

/** bench/preview-side-by-side.png from the first 1536x1024 job: its last partial, and its final. */
async function sideBySide(
  world: DiscordProcesses,
  interaction: Parameters<typeof jobIdOf>[1],
): Promise<void> {
  const folder = join(world.storageDir, jobIdOf(world.discord, interaction));
  const files = await readdir(folder);
  const stored = (prefix: string) => {
    const name = files.find((file) => file.startsWith(prefix));
    if (name === undefined) throw new Error(`no ${prefix}* in ${folder}: ${files.join(", ")}`);
    return readFile(join(folder, name));
  };
  const path = join(REPO_ROOT, "bench", "preview-side-by-side.png");
  await writeSideBySide(
    path,
    { partial: await stored("partial_2."), preview: previewSent(world.discord, interaction, 2) },
    await stored("final_0."),
  );
  log(`wrote ${path}`);
}

/**
 * `ack_floor_ms`: the ack bursts answered by a bare discord.js client (`bare-discord-bot.ts`), nothing else of
 * the bot's running; `ack_floor_ms_busy` the same with every core kept busy.
 */
async function ackFloorScenario(): Promise<void> {
  const world = await startDiscordProcesses("bench-ack-floor", botEnv());
  open.add(world);
  const bare = world.runCommand(["node", "--import", "tsx", "bench/bare-discord-bot.ts"], REPO_ROOT);
  await bare.waitForLog((line) => line.msg === "bare discord bot ready", "the bare discord.js bot to start");
  await world.discord.waitForBot();
  // A floor is the best case: one burst first, not counted, warms discord.js up (the bot had done other work).
  await ackFloor(world, options.burst, 1);
  for (const load of options.loads) {
    const acks = await underLoad(load, () => ackFloor(world, options.burst, options.burstRounds));
    measured.push(distribution(named("ack_floor_ms", load), "ms", acks.times));
    log(
      `acks of a bare discord.js bot: ${options.burstRounds} bursts of ${options.burst}, ${load}: ${acks.late} past 3 s`,
    );
  }
  open.delete(world);
  await world.close();
}

async function slackScenario(): Promise<void> {
  const world = await startSlackProcesses("bench-slack", botEnv(), { fileReadyDelayMs: 0 });
  open.add(world);
  await running(world.run("start"));
  await world.slack.socket.connected();
  log("npm start runs on the fake Slack");
  const trips = await slackPartialToUpdate(world, options.slackRounds, SLACK_GAP_MS);
  const partials = trips.filter((trip) => trip.frame !== "final");
  measured.push(distribution("slack_partial_to_update_ms_1536x1024", "ms", latencies(partials)));
  log(`Slack partial to update: ${partials.length} frames`);
  open.delete(world);
  await world.close();
}

async function memoryScenario(): Promise<void> {
  const world = await startDiscordProcesses(
    "bench-memory",
    botEnv({ WORKER_CONCURRENCY: String(options.concurrent) }),
  );
  open.add(world);
  const bot = world.run("bot");
  const worker = world.run("worker");
  await Promise.all([running(bot), running(worker)]);
  await world.discord.waitForBot();
  log("npm run bot and npm run worker run on the fake Discord");
  const peak = await peakWorkerRss(world, worker, options.concurrent, MEMORY_GAP_MS);
  measured.push(figure("peak_rss_mb", "MiB", peak, options.concurrent));
  log(`worker peak RSS over ${options.concurrent} jobs at once`);
  open.delete(world);
  await world.close();
}

/** results.json lists the metrics in the issues' order: each latency with its floor, quiet then busy. */
const SIZES = ["1024x1024", "1536x1024", "3840x2160"];
const ORDER = [
  ...["ack_ms", "ack_floor_ms", "ack_ms_busy", "ack_floor_ms_busy"],
  ...SIZES.flatMap((size) => [
    `partial_to_edit_ms_${size}`,
    `preview_floor_ms_${size}`,
    `partial_to_edit_ms_${size}_busy`,
    `preview_floor_ms_${size}_busy`,
  ]),
  "final_to_edit_ms_1536x1024",
  "slack_partial_to_update_ms_1536x1024",
  "bot_cpu_ms_per_job",
  "jobs_per_s",
  "bare_bullmq_jobs_per_s",
  "peak_rss_mb",
  "preview_bytes_ratio",
];

try {
  log(
    `Redis ${TEST_REDIS_URL}; scenarios ${[...options.only].join(", ")}; calibration ${calibrationAtStart.toFixed(0)} ms`,
  );
  if (["partials", "cpu", "ack"].some((name) => options.only.has(name as Scenario))) await discordScenarios();
  if (options.only.has("ack-floor")) await ackFloorScenario();
  if (options.only.has("slack")) await slackScenario();
  if (options.only.has("memory")) await memoryScenario();
  if (options.only.has("bullmq")) {
    const perSecond = await bareBullmqJobsPerSecond(options.bareJobs, CONCURRENCY);
    measured.push(figure("bare_bullmq_jobs_per_s", "jobs/s", perSecond, options.bareJobs));
    log(`bare BullMQ over ${options.bareJobs} jobs`);
  }
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await closeAll();
}

measured.sort((a, b) => ORDER.indexOf(a.metric.name) - ORDER.indexOf(b.metric.name));
const results = withFloors(measured);
const calibration = `calibration ${calibrationAtStart.toFixed(0)} ms at the start, ${calibrationMs().toFixed(0)} ms at the end`;
const machine = `${describeMachine()}; ${calibration}`;
const out = resolve(REPO_ROOT, options.out);
await writeFile(out, `${JSON.stringify({ machine, metrics: results.map((m) => m.metric) }, null, 2)}\n`);
console.log(`\n${machine}\n${new Date().toISOString()}, ${((Date.now() - began) / 1000).toFixed(0)} s\n`);
console.log(table(results));
console.log(
  `\nthe bench's own event loop (where the fakes stamp times) was late by p99 ${delayMs(overall.percentile(99))} ms, at most ${delayMs(overall.max)} ms`,
);
console.log(`\nwrote ${out}`);
