import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeInteraction } from "../fakes/discord/fake.js";
import { customIds, showsResult } from "../helpers/discord-result.js";
import { holdAfterPartials } from "../helpers/pace.js";
import { CLUSTER_BLOCKS, startRedisCluster, type TestCluster } from "../helpers/redis-cluster.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordProcesses, startDiscordProcesses } from "./discord-processes.js";
import { type ScriptProcess, stopCleanly, waitGone } from "./scripts.js";

/**
 * The Discord bot's processes on a 3-primary Redis Cluster (REDIS_CLUSTER_NODES), against the fake Discord and
 * the fake OpenAI: the doctor, `npm start` to a final, and a worker killed mid-job whose job another worker
 * resumes with only the cluster between them. A dead worker's lock lapses in about 30 s (`queue/worker.ts`).
 */
const CLUSTER_TEST_TIMEOUT_MS = 300_000;
const RECOVERY_MS = 120_000;

let cluster: TestCluster;
let world: DiscordProcesses;
beforeAll(async () => {
  cluster = await startRedisCluster(CLUSTER_BLOCKS.processes);
  // The images-per-minute gate and BullMQ's limiter on: their keys live on the cluster too.
  world = await startDiscordProcesses("process-cluster", { ...cluster.env, OPENAI_IMAGES_PER_MINUTE: "600" });
}, 90_000);
afterAll(async () => {
  await world?.close();
  await cluster?.stop();
});

const running = (proc: ScriptProcess) =>
  proc.waitForLog((line) => line.msg === "imagine-bot running", `${proc.script} to start`);

const frames = (interaction: FakeInteraction) =>
  (world.discord.original(interaction)?.history ?? []).filter((version) =>
    version.attachments.some((name) => name.startsWith("partial_")),
  );

describe("on a Redis Cluster", { timeout: CLUSTER_TEST_TIMEOUT_MS }, () => {
  it("npm run doctor names cluster mode, its primaries, and their persistence", async () => {
    const doctor = world.run("doctor");
    await doctor.exited;
    const line = doctor
      .output()
      .split("\n")
      .find((text) => /^[✓✗!] redis/.test(text));
    expect(line, doctor.output()).toMatch(
      /^✓ redis +Redis Cluster of 3 primaries \(Redis [\d.]+\) at 127\.0\.0\.1:\d+, 127\.0\.0\.1:\d+, 127\.0\.0\.1:\d+, maxmemory-policy noeviction on each, keeps jobs across a restart with an append-only file on every primary$/,
    );
  });

  it("npm run doctor fails on a cluster whose one primary keeps nothing across a restart, naming it", async () => {
    const node = cluster.nodes[1] as string;
    const redis = new Redis(node);
    try {
      await redis.config("SET", "appendonly", "no");
      const doctor = world.run("doctor");
      await doctor.exited;
      const line = doctor
        .output()
        .split("\n")
        .find((text) => /^[✓✗!] redis/.test(text));
      expect(line, doctor.output()).toMatch(
        new RegExp(`^✗ redis +${new URL(node).host}: Redis keeps nothing across a restart`),
      );
    } finally {
      await redis.config("SET", "appendonly", "yes");
      redis.disconnect();
    }
  });

  it("npm start delivers /imagine to its final with buttons", async () => {
    const bot = world.run("start");
    await running(bot);
    await world.discord.waitForBot();
    const interaction = await world.discord.slash("imagine", {
      prompt: "a lighthouse on a cluster",
      partials: 2,
    });
    const final = await world.finalReply(interaction);
    expect(final.attachments).toHaveLength(1);
    // Details and the other buttons, each pressable.
    expect(customIds(final.components).length).toBeGreaterThan(1);
    // The queue's keys are in one slot of the cluster, under the prefix's hash tag.
    const redis = cluster.client();
    try {
      await redis.ping(); // the client knows the primaries once connected
      const keys = await Promise.all(
        redis.nodes("master").map((node) => node.keys(`{${world.prefix}}:imagine:*`)),
      );
      expect(keys.filter((found) => found.length > 0)).toHaveLength(1);
    } finally {
      redis.disconnect();
    }
    await stopCleanly(bot);
  });

  it("Cancel pressed on the bot process stops the worker process's request, through the cluster", async () => {
    const bot = world.run("bot");
    const worker = world.run("worker");
    await Promise.all([running(bot), running(worker)]);
    await world.discord.waitForBot();
    world.openai.reset();
    const hold = holdAfterPartials(world.openai, 1);
    const interaction = await world.discord.slash("imagine", { prompt: "a cancelled heron", partials: 2 });
    await waitFor("the first frame", () => frames(interaction).length > 0);
    const status = world.discord.original(interaction);
    const cancel = customIds(status?.components ?? []).find((id) => id.includes("cancel"));
    if (status === undefined || cancel === undefined) throw new Error("no Cancel under the running job");
    await world.discord.click(status, cancel);
    await waitFor(
      "Cancelled",
      () => world.discord.original(interaction)?.content.includes("Cancelled"),
      60_000,
    );
    await waitFor("the request aborted", () => world.openai.requests[0]?.abortedByClient, 60_000);
    hold.release();
    await stopCleanly(bot);
    await stopCleanly(worker);
  });

  it("a worker killed mid-stream: another worker resumes the job, one final in the same message", async () => {
    const bot = world.run("bot");
    const first = world.run("worker");
    await Promise.all([running(bot), running(first)]);
    await world.discord.waitForBot();
    const hold = holdAfterPartials(world.openai, 1);
    const interaction = await world.discord.slash("imagine", { prompt: "a crashing heron", partials: 2 });
    await waitFor("the first frame", () => frames(interaction).length > 0);

    const second = world.run("worker");
    await running(second);
    const pid = first.appPid();
    if (pid === undefined) throw new Error("the first worker never logged its pid");
    process.kill(pid, "SIGKILL");
    await waitGone(pid);
    hold.release();

    const final = await waitFor(
      "the final in the same message",
      () => {
        const message = world.discord.original(interaction);
        return message && showsResult(message) ? message : undefined;
      },
      RECOVERY_MS,
    );
    expect(JSON.stringify(final.history)).toContain("Resuming");
    expect(final.attachments).toHaveLength(1);
    await stopCleanly(bot);
    await stopCleanly(second);
  });
});
