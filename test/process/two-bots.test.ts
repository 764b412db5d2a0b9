import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRunId } from "../../src/core/run-id.js";
import { SlackDriver } from "../fakes/slack/driver.js";
import { type FakeSlack, startFakeSlack } from "../fakes/slack/server.js";
import { baseTestEnv, testRedis } from "../helpers/redis.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordProcesses, startDiscordProcesses } from "./discord-processes.js";
import { PROCESS_TEST_TIMEOUT_MS, type ScriptProcess, startScript } from "./scripts.js";

/**
 * Two bots on one Redis and one QUEUE_PREFIX, as an operator runs them: a Discord-only `npm start` and a
 * Slack-only `npm run bot` + `npm run worker`, with an images-per-minute limit. The Slack worker used to take
 * Discord jobs, put them back and use up the limiter's slots, so each Discord /imagine took most of a minute.
 */
const IMAGES_PER_MINUTE = "5";
/** Far above a job's few seconds here, far below the minute the limiter made Discord jobs wait. */
const IN_SECONDS_MS = 30_000;

let world: DiscordProcesses;
let slack: FakeSlack;
let redis: Redis;
const slackProcesses: ScriptProcess[] = [];
beforeAll(async () => {
  world = await startDiscordProcesses("two-bots", { OPENAI_IMAGES_PER_MINUTE: IMAGES_PER_MINUTE });
  slack = await startFakeSlack({ fileReadyDelayMs: 60 });
  redis = testRedis();
});
afterAll(async () => {
  for (const proc of slackProcesses) await proc.terminate(3_000);
  redis?.disconnect();
  await slack?.close();
  await world?.close();
});

/** The Slack bot's processes: the same Redis, prefix, storage and OpenAI, and no Discord token. */
function runSlack(script: string): ScriptProcess {
  const proc = startScript(script, {
    ...baseTestEnv(world.openai.url, world.prefix, world.storageDir),
    OPENAI_IMAGES_PER_MINUTE: IMAGES_PER_MINUTE,
    SLACK_BOT_TOKEN: "xoxb-fake",
    SLACK_API_URL: slack.apiUrl,
    SLACK_APP_TOKEN: "xapp-fake",
  });
  slackProcesses.push(proc);
  return proc;
}

const running = (proc: ScriptProcess) =>
  proc.waitForLog((line) => line.msg === "imagine-bot running", `${proc.script} to start`);

/** Every job BullMQ keeps under the prefix, whatever its queue: its platform and how often a worker took it. */
async function jobsInRedis(prefix: string): Promise<{ runId: string; kind: string; started: number }[]> {
  const jobs = [];
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
    cursor = next;
    for (const key of keys) {
      const runId = key.split(":").at(-1) ?? "";
      if (!isRunId(runId) || (await redis.type(key)) !== "hash") continue;
      const [data, started] = await redis.hmget(key, "data", "ats");
      if (!data) continue;
      const kind = (JSON.parse(data) as { reply: { kind: string } }).reply.kind;
      jobs.push({ runId, kind, started: Number(started ?? 0) });
    }
  } while (cursor !== "0");
  return jobs;
}

describe("a Discord-only bot and a Slack-only bot on one Redis", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("finish Discord's /imagine in seconds: the Slack worker never takes a Discord job", async () => {
    const discordBot = world.run("start");
    const slackBot = runSlack("bot");
    const slackWorker = runSlack("worker");
    await Promise.all([running(discordBot), running(slackBot), running(slackWorker)]);
    await Promise.all([world.discord.waitForBot(), slack.socket.connected()]);

    const prompts = ["a red kite", "a blue kite", "a green kite"];
    const started = Date.now();
    const interactions = await Promise.all(
      prompts.map((prompt) => world.discord.slash("imagine", { prompt, partials: 0, quality: "low" })),
    );
    const driver = new SlackDriver({ socket: slack.socket, responseUrl: slack.responseUrl });
    await driver.slashCommand({ text: "a slack kite --partials 0 --quality low" });
    await Promise.all(interactions.map((interaction) => world.finalReply(interaction)));
    expect(Date.now() - started).toBeLessThan(IN_SECONDS_MS);
    await slackWorker.waitForLog((line) => line.msg === "job completed", "the Slack job");

    // Each job was taken once, by a worker of its platform: none was put back, none taken twice.
    const jobs = await jobsInRedis(world.prefix);
    expect(jobs.map((job) => job.kind).sort()).toEqual(["discord", "discord", "discord", "slack"]);
    expect(jobs.map((job) => job.started)).toEqual([1, 1, 1, 1]);
    const discordJobs = new Set(jobs.filter((job) => job.kind === "discord").map((job) => job.runId));
    const touched = slackWorker.logs().filter((line) => discordJobs.has(String(line.jobId)));
    expect(touched).toEqual([]);
    expect(slackWorker.logs().some((line) => line.msg.startsWith("job left for a worker"))).toBe(false);
    expect(world.openai.requests).toHaveLength(4);
    await waitFor("the Slack result", () =>
      slack.messages.find((m) => JSON.stringify(m.blocks ?? []).includes("imagine_reroll")),
    );
  });
});
