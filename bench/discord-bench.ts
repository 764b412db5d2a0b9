import type { FakeDiscord, FakeInteraction, RecordedRequest } from "../test/fakes/discord/fake.js";
import { showsResult } from "../test/helpers/discord-result.js";
import { showEachPartial } from "../test/helpers/pace.js";
import { waitFor } from "../test/helpers/wait-for.js";
import type { DiscordProcesses } from "../test/process/discord-processes.js";
import type { ScriptProcess } from "../test/process/npm-process.js";
import { type FrameTrip, frameTrips, type ShownFrame, writtenFor } from "./frames.js";
import { cpuMs, peakRssMiB } from "./machine.js";

/** How long a measured job may take at most on a loaded machine before the run gives up on it. */
const JOB_TIMEOUT_MS = 300_000;

/**
 * The PATCHes of an interaction's reply the fake Discord took (429s and errors left out): the webhook route
 * carries the interaction's token, which no other request does. Polled often over thousands of requests, so
 * kept to a cheap test: the bench's own event loop is where the fakes stamp their times.
 */
export function replyEdits(discord: FakeDiscord, token: string): RecordedRequest[] {
  return discord.requests.filter(
    (request) => request.method === "PATCH" && request.status === 200 && request.path.includes(token),
  );
}

/** The frames the job's reply edits uploaded: `partial_<i>.jpg` (or `.webp`) previews, then the final's files. */
export function shownOnDiscord(discord: FakeDiscord, interaction: FakeInteraction): ShownFrame[] {
  return replyEdits(discord, interaction.token).flatMap((request): ShownFrame[] => {
    if (request.files.length === 0) return [];
    const bytes = request.files.reduce((sum, file) => sum + file.bytes, 0);
    const partial = /^partial_(\d+)\./.exec(request.files[0]?.name ?? "");
    return [{ frame: partial ? Number(partial[1]) : "final", at: request.arrivedAt, bytes }];
  });
}

const partialsShown = (discord: FakeDiscord, interaction: FakeInteraction | undefined) =>
  interaction === undefined
    ? 0
    : shownOnDiscord(discord, interaction).filter((shown) => shown.frame !== "final").length;

/** Resolves once the reply shows the result; fails on a ⚠️ answer. */
export async function finished(discord: FakeDiscord, interaction: FakeInteraction): Promise<void> {
  await waitFor(
    "the bot's result",
    () => {
      const reply = discord.original(interaction);
      if (reply?.content.startsWith("⚠️")) throw new Error(`the bot answered: ${reply.content}`);
      return reply !== undefined && showsResult(reply);
    },
    JOB_TIMEOUT_MS,
  );
}

/** `count` `/imagine` at one moment, as many people pressing enter together. */
export function imagineBurst(
  discord: FakeDiscord,
  label: string,
  count: number,
  options: Record<string, string | number> = {},
): Promise<FakeInteraction[]> {
  return Promise.all(
    Array.from({ length: count }, (_, index) =>
      discord.slash("imagine", { prompt: `${label} ${index} end`, partials: 0, ...options }),
    ),
  );
}

/** The job id the result names ("job `…`"): its run folder in storage. */
export function jobIdOf(discord: FakeDiscord, interaction: FakeInteraction): string {
  const content = discord.original(interaction)?.content ?? "";
  const id = /job `([^`]+)`/.exec(content)?.[1];
  if (id === undefined) throw new Error(`no job id in the result: ${content}`);
  return id;
}

/** The preview of partial `index` the bot uploaded for this job. */
export function previewSent(discord: FakeDiscord, interaction: FakeInteraction, index: number): Buffer {
  for (const request of replyEdits(discord, interaction.token)) {
    const at = request.files.findIndex((file) => file.name.startsWith(`partial_${index}.`));
    const bytes = at >= 0 ? request.fileBytes[at] : undefined;
    if (bytes !== undefined) return bytes;
  }
  throw new Error(`partial ${index} was never shown`);
}

/**
 * Jobs one after another, each with 3 partials; the fake OpenAI writes a partial `gapMs` after the one before
 * and only once the bot shows it (so no frame is coalesced away and Discord's 5 edits a second per message are
 * never reached: what is timed is the bot, not a rate limit). The first job warms the size's code paths up and
 * is not counted. `label` tells this pass's jobs from another's. Returns every counted frame's trip, and the
 * counted jobs.
 */
export async function partialToEdit(
  world: DiscordProcesses,
  label: string,
  size: string,
  rounds: number,
  gapMs: number,
): Promise<{ trips: FrameTrip[]; interactions: FakeInteraction[] }> {
  const { discord, openai } = world;
  openai.setLatency(gapMs);
  const trips: FrameTrip[] = [];
  const interactions: FakeInteraction[] = [];
  try {
    for (let round = -1; round < rounds; round++) {
      // Its own prompt: the fake OpenAI's written events are found by it.
      const prompt = `bench ${label} ${size} round ${round} end`;
      let interaction: FakeInteraction | undefined;
      showEachPartial(openai, () => partialsShown(discord, interaction), JOB_TIMEOUT_MS);
      interaction = await discord.slash("imagine", { prompt, size, partials: 3 });
      await finished(discord, interaction);
      if (round < 0) continue;
      trips.push(...frameTrips(writtenFor(openai, prompt), shownOnDiscord(discord, interaction)));
      interactions.push(interaction);
    }
  } finally {
    openai.pace(undefined);
  }
  return { trips, interactions };
}

/**
 * CPU the bot process used per 1024x1024 job without partials, and jobs finished per second, over `jobs`
 * jobs asked for at once (after a few to warm the process up). The fakes run in this process: their CPU is
 * not the bot's.
 */
export async function cpuAndThroughput(
  world: DiscordProcesses,
  bot: ScriptProcess,
  jobs: number,
): Promise<{ cpuMsPerJob: number; jobsPerSecond: number }> {
  const { discord, openai } = world;
  const pid = bot.appPid();
  if (pid === undefined) throw new Error("the bot logged no pid");
  openai.setLatency(0);
  const warmUp = await imagineBurst(discord, "warm-up", 4, { size: "1024x1024" });
  await Promise.all(warmUp.map((interaction) => finished(discord, interaction)));
  const cpuBefore = await cpuMs(pid);
  const interactions = await imagineBurst(discord, "throughput", jobs, { size: "1024x1024" });
  const asked = Math.min(...interactions.map((interaction) => interaction.createdAt));
  await Promise.all(interactions.map((interaction) => finished(discord, interaction)));
  const cpu = (await cpuMs(pid)) - cpuBefore;
  const lastShown = Math.max(
    ...interactions.flatMap((interaction) => shownOnDiscord(discord, interaction).map((shown) => shown.at)),
  );
  return { cpuMsPerJob: cpu / jobs, jobsPerSecond: jobs / ((lastShown - asked) / 1000) };
}

/** The requests that answered each interaction first (its callback), once every one has been answered. */
function firstAnswers(discord: FakeDiscord, interactions: FakeInteraction[]): Promise<RecordedRequest[]> {
  const answers = () => {
    const byPath = new Map<string, RecordedRequest>();
    for (const request of discord.requests) {
      if (request.path.endsWith("/callback"))
        byPath.set(request.path.replace(/^\/api(\/v\d+)?/, ""), request);
    }
    const found = interactions.map((interaction) =>
      byPath.get(`/interactions/${interaction.id}/${interaction.token}/callback`),
    );
    return found.every((request) => request !== undefined) ? (found as RecordedRequest[]) : undefined;
  };
  return waitFor("every interaction's answer", answers, JOB_TIMEOUT_MS);
}

/** A burst's acks: each one's time, and how many came after Discord's 3 seconds (refused: 10062). */
export interface Acks {
  times: number[];
  late: number;
}

/**
 * From the fake Discord sending each interaction to receiving its first answer, once all are answered. An answer
 * past Discord's 3 seconds is refused (the person sees "The application did not respond"), and still counted.
 */
async function ackTimes(discord: FakeDiscord, interactions: FakeInteraction[]): Promise<Acks> {
  const answers = await firstAnswers(discord, interactions);
  return {
    times: answers.map((request, index) => request.arrivedAt - (interactions[index]?.createdAt ?? 0)),
    late: answers.filter((request) => (request.status ?? 0) >= 400).length,
  };
}

/** An interaction Discord took the answer of: it has a reply, and its job goes on. */
const accepted = (interaction: FakeInteraction) => interaction.callbackType !== undefined;

function add(total: Acks, more: Acks): void {
  total.times.push(...more.times);
  total.late += more.late;
}

/**
 * The same bursts answered by `bare-discord-bot.ts` (a discord.js client that only defers), with nothing else
 * running: the part of `ack_ms` that is discord.js, the loopback and the fake rather than the bot.
 */
export async function ackFloor(world: DiscordProcesses, burst: number, rounds: number): Promise<Acks> {
  const acks: Acks = { times: [], late: 0 };
  for (let round = 0; round < rounds; round++) {
    const interactions = await imagineBurst(world.discord, `floor ${round}`, burst, { size: "1024x1024" });
    add(acks, await ackTimes(world.discord, interactions));
  }
  return acks;
}

/**
 * `rounds` bursts of `burst` `/imagine`, each while `busy` jobs with partials stream in the same process and the
 * bursts before still run: from the fake Discord sending each interaction to receiving its first answer (the
 * deferral). The next burst comes once every job of the one before is queued.
 */
export async function ackUnderBurst(
  world: DiscordProcesses,
  burst: number,
  busy: number,
  rounds: number,
): Promise<Acks> {
  const { discord, openai } = world;
  openai.setLatency(300);
  const acks: Acks = { times: [], late: 0 };
  for (let round = 0; round < rounds; round++) {
    const running = await imagineBurst(discord, `busy ${round}`, busy, { size: "1536x1024", partials: 3 });
    await waitFor(
      "the busy jobs to stream from OpenAI",
      () => running.filter(accepted).every((interaction) => partialsShown(discord, interaction) > 0),
      JOB_TIMEOUT_MS,
    );
    const interactions = await imagineBurst(discord, `ack ${round}`, burst, { size: "1024x1024" });
    add(acks, await ackTimes(discord, interactions));
    await waitFor(
      "the burst's jobs to be queued",
      () =>
        interactions
          .filter(accepted)
          .every((interaction) => (discord.original(interaction)?.history.length ?? 0) >= 2),
      JOB_TIMEOUT_MS,
    );
  }
  return acks;
}

/**
 * The worker's peak resident set over `concurrent` 1536x1024 jobs with 3 partials at once (its concurrency at
 * least that), each partial `gapMs` after the one before.
 */
export async function peakWorkerRss(
  world: DiscordProcesses,
  worker: ScriptProcess,
  concurrent: number,
  gapMs: number,
): Promise<number> {
  const { discord, openai } = world;
  const pid = worker.appPid();
  if (pid === undefined) throw new Error("the worker logged no pid");
  openai.setLatency(gapMs);
  const interactions = await imagineBurst(discord, "memory", concurrent, { size: "1536x1024", partials: 3 });
  await Promise.all(interactions.map((interaction) => finished(discord, interaction)));
  return peakRssMiB(pid);
}
