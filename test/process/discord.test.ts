import { readdir, readFile } from "node:fs/promises";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKER_THREAD_NICENESS } from "../../src/app/thread-priority.js";
import { FORGETS_ON_RESTART, redisPersistence } from "../../src/queue/redis-persistence.js";
import type { FakeDiscord, FakeInteraction, FakeMessage } from "../fakes/discord/fake.js";
import type { FakeOpenAI } from "../fakes/openai/server.js";
import { customIds, galleryFiles, jobIdOf, showsResult } from "../helpers/discord-result.js";
import { showEachPartial } from "../helpers/pace.js";
import { testRedis } from "../helpers/redis.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordProcesses, startDiscordProcesses } from "./discord-processes.js";
import { PROCESS_TEST_TIMEOUT_MS, type ScriptProcess, stopCleanly } from "./scripts.js";

/** Discord's flag for a Components V2 message (a gallery). */
const IS_COMPONENTS_V2 = 1 << 15;

/**
 * The Discord bot as its users run it: `npm start` (and `npm run bot` + `npm run worker`) as OS processes,
 * against the fake Discord and the fake OpenAI in this test process, on the real Redis.
 */
let world: DiscordProcesses;
let discord: FakeDiscord;
let openai: FakeOpenAI;

beforeAll(async () => {
  world = await startDiscordProcesses("process-discord", {}, { latencyMs: 40 });
  ({ discord, openai } = world);
});
afterAll(() => world.close());

const run = (script: string) => world.run(script);

const finalReply = (interaction: Parameters<FakeDiscord["original"]>[0]) => world.finalReply(interaction);

async function finalImage(
  message: FakeMessage,
): Promise<{ format?: string; width?: number; height?: number }> {
  const attachment = message.attachments[0];
  if (attachment === undefined) throw new Error("the result has no image");
  const response = await fetch(attachment.url);
  return sharp(Buffer.from(await response.arrayBuffer())).metadata();
}

/** The nice value of `npm start`'s main thread and of its worker thread (named WorkerThread by Node), from /proc. */
async function threadNiceness(proc: ScriptProcess): Promise<{ gateway: number; worker: number }> {
  const pid = proc.appPid();
  if (pid === undefined) throw new Error("npm start logged no pid");
  const byName = new Map<string, number>();
  for (const task of await readdir(`/proc/${pid}/task`)) {
    const stat = await readFile(`/proc/${pid}/task/${task}/stat`, "utf8");
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    // Fields after the name: state is the 3rd of /proc's stat, nice the 19th.
    const nice = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
    if (task === String(pid)) byName.set("gateway", nice);
    else if (name === "WorkerThread") byName.set("worker", nice);
  }
  return { gateway: byName.get("gateway") ?? Number.NaN, worker: byName.get("worker") ?? Number.NaN };
}

describe("npm start with Discord", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  let bot: ScriptProcess;
  let result: FakeMessage;

  it("delivers /imagine with 2 partials to a final image with buttons", async () => {
    bot = run("start");
    await bot.waitForLog((line) => line.msg === "imagine-bot running", "start-up");
    await discord.waitForBot();
    let interaction: FakeInteraction | undefined;
    const frames = () =>
      ((interaction && discord.original(interaction)?.history) ?? [])
        .map((version) => version.attachments)
        .filter((names) => names.some((name) => name.startsWith("partial_")));
    showEachPartial(openai, () => frames().length);
    interaction = await discord.slash("imagine", {
      prompt: "a lighthouse at dusk",
      size: "1536x1024",
      partials: 2,
    });
    result = await finalReply(interaction);
    openai.pace(undefined);
    expect(frames()).toEqual([["partial_0.jpg"], ["partial_1.jpg"]]);
    expect(await finalImage(result)).toMatchObject({ format: "png", width: 1536, height: 1024 });
    expect(customIds(result.components).map((id) => id.split(":")[0])).toEqual([
      "reroll",
      "vary",
      "finalize",
      "edit",
      "reference",
      "refine",
      "enhance",
      "describe",
      "pin-style",
      "details",
      "delete",
    ]);
  });

  it("finalizes the result after a private quote and its Confirm, at the largest size on the final model", async () => {
    openai.reset();
    const press = await discord.click(result, `finalize:${jobIdOf(result)}`);
    const quote = await waitFor("the quote", () => (press.callbackType ? press.callbackData : undefined));
    expect(quote?.flags).toBe(64);
    expect(String(quote?.content)).toMatch(
      /^Finalize image 1: 3504x2336 on `gpt-image-2\.5-sunburst` at quality max/,
    );
    const confirmMessage = discord.original(press);
    if (confirmMessage === undefined) throw new Error("no confirmation");
    const finalized = await finalReply(
      await discord.click(confirmMessage, customIds(confirmMessage.components)[0] ?? ""),
    );
    expect(finalized.content).toContain("3504x2336");
    const sent = openai.requests.map(({ path, form }) => [path, form?.fields.model, form?.fields.size]);
    expect(sent).toEqual([["/v1/images/edits", "gpt-image-2.5-sunburst", "3504x2336"]]);
  });

  it("edits an uploaded image with /edit", async () => {
    const photo = await sharp({ create: { width: 512, height: 512, channels: 3, background: "#2a6" } })
      .png()
      .toBuffer();
    openai.reset();
    const interaction = await discord.slash("edit", {
      prompt: "make it autumn",
      image: { filename: "photo.png", bytes: photo },
      partials: 1,
    });
    const reply = await finalReply(interaction);
    expect(reply.content).toContain("make it autumn");
    expect(openai.requests.map((request) => request.path)).toEqual(["/v1/images/edits"]);
  });

  it("shows /imagine n:4 as a gallery, and Vary on image 3 sends image 3's bytes", async () => {
    const gallery = await finalReply(
      await discord.slash("imagine", { prompt: "four kites", n: 4, partials: 0 }),
    );
    const uploaded = gallery.attachments.map((attachment) => attachment.filename);
    expect(gallery.flags & IS_COMPONENTS_V2).toBe(IS_COMPONENTS_V2);
    expect(galleryFiles(gallery.components)).toEqual(uploaded);
    expect(uploaded).toHaveLength(4);
    const third = gallery.attachments[2];
    if (third === undefined) throw new Error("the gallery has no third image");
    const thirdBytes = Buffer.from(await (await fetch(third.url)).arrayBuffer());
    openai.reset();
    await finalReply(await discord.click(gallery, `v2:vary:${jobIdOf(gallery)}:2`));
    const sent = openai.requests[0]?.form?.files.find((file) => file.field.startsWith("image"));
    expect(openai.requests[0]?.path).toBe("/v1/images/edits");
    expect(sent?.bytes.equals(thirdBytes)).toBe(true);
  });

  it("runs the worker on a thread of its own, and serves both threads' metrics on one endpoint", async () => {
    const listening = await bot.waitForLog(
      (line) => line.msg === "health and metrics endpoint listening",
      "the endpoint",
    );
    // One endpoint for the process: the worker thread serves none of its own.
    expect(bot.logs().filter((line) => line.msg === "health and metrics endpoint listening")).toHaveLength(1);
    const text = await (await fetch(`http://127.0.0.1:${listening.port}/metrics`)).text();
    // Counted on the worker thread, where the jobs ran.
    const completed = /^imagine_jobs_finished_total\{platform="discord",outcome="completed"\} (\d+)/m.exec(
      text,
    );
    expect(Number(completed?.[1])).toBeGreaterThanOrEqual(2);
    expect(text.match(/^process_resident_memory_bytes /gm)).toHaveLength(1);
    // Both threads log as one process, and what is the process's is said once, not by each thread.
    const pids = new Set(bot.logs().map((line) => line.pid));
    expect(pids.size).toBe(1);
    const redis = testRedis();
    const forgets = (await redisPersistence(redis).finally(() => redis.quit())).kind === "forgets";
    const warnings = bot.logs().filter((line) => line.msg === FORGETS_ON_RESTART);
    expect(warnings).toHaveLength(forgets ? 1 : 0);
    // The gateway keeps its priority; the worker thread yields a contended core to it (`thread-priority.ts`).
    expect(await threadNiceness(bot)).toEqual({ gateway: 0, worker: WORKER_THREAD_NICENESS });
  });

  it("refines the result in a thread, chaining the turn to the conversation", async () => {
    const click = await discord.click(result, `refine:${jobIdOf(result)}`);
    // The bot opens the thread, then answers the click: wait for the answer, which comes last.
    await discord.waitFor(() => click.callbackType, 30_000, "the answer to the click");
    expect(click.callbackData?.flags).toBe(64);
    const thread = discord.world.channels.get(result.id);
    if (thread === undefined) throw new Error("no thread was opened on the result");
    openai.reset();
    const turn = await discord.say({ channelId: thread.id, content: "make it night", mention: true });
    const reply = await discord.waitFor(
      () =>
        [...discord.world.messages.values()].find(
          (message) => message.message_reference?.message_id === turn.id && showsResult(message),
        ),
      60_000,
      "the thread turn's result",
    );
    expect(reply.channel_id).toBe(thread.id);
    expect(openai.requests.map((request) => request.path)).toEqual(["/v1/responses"]);
  });

  it("stops on SIGTERM within a few seconds, and a restarted bot serves the old result's buttons", async () => {
    await stopCleanly(bot);
    bot = run("start");
    await bot.waitForLog((line) => line.msg === "imagine-bot running", "restart");
    await discord.waitForBot();
    openai.reset();
    const click = await discord.click(result, `reroll:${jobIdOf(result)}`);
    const reroll = await finalReply(click);
    expect(reroll.content).toContain("a lighthouse at dusk");
    expect(jobIdOf(reroll)).not.toBe(jobIdOf(result));
    await stopCleanly(bot);
  });
});

describe("npm run bot plus npm run worker, as separate processes", {
  timeout: PROCESS_TEST_TIMEOUT_MS,
}, () => {
  it("delivers /imagine through a worker process that has no gateway: in a server, a DM and privately; the bot alone shows it again", async () => {
    const gateway = run("bot");
    const worker = run("worker");
    await gateway.waitForLog((line) => line.msg === "imagine-bot running", "the bot");
    await worker.waitForLog((line) => line.msg === "imagine-bot running", "the worker");
    await discord.waitForBot();
    const interaction = await discord.slash("imagine", { prompt: "a red barn", partials: 2 });
    const reply = await finalReply(interaction);
    expect(await finalImage(reply)).toMatchObject({ format: "png" });
    // Logged once the reply is delivered, so just after the fake saw the final edit.
    const ran = await worker.waitForLog((line) => line.msg === "job completed", "the worker's job");
    expect(ran?.jobId).toBe(jobIdOf(reply));
    expect(gateway.logs().some((line) => line.msg === "job completed")).toBe(false);
    // A DM reached through a person's own install, and a private reply in the server: the worker shows both
    // through the interaction webhook alone (the bot token would get 403 in the DM, nothing on the ephemeral).
    const before = discord.requests.length;
    const inDm = await finalReply(
      await discord.slashInDm("imagine", { prompt: "a DM lantern", partials: 1 }),
    );
    const secret = await finalReply(
      await discord.slash("imagine", { prompt: "a private lantern", partials: 1, private: true }),
    );
    expect(inDm.attachments[0]?.filename).toMatch(/_0\.png$/);
    expect(secret.flags & 64).toBe(64);
    const botToken = discord.requests.slice(before).filter((request) => request.path.includes("/channels/"));
    expect(botToken).toEqual([]);
    await stopCleanly(worker);
    // The bot process alone lists and shows it again: nothing is generated, so no worker is needed.
    const history = await discord.slash("history");
    const listed = () => customIds(discord.original(history)?.components ?? []);
    await discord.waitFor(() => listed().includes(`show:${jobIdOf(reply)}`), 30_000, "the history");
    const shown = await finalReply(await discord.slash("show", { job: jobIdOf(reply) }));
    expect(jobIdOf(shown)).toBe(jobIdOf(reply));
    expect(shown.id).not.toBe(reply.id);
    await stopCleanly(gateway);
  });
});

describe("the bot restarted while its jobs are queued", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("runs them once a worker comes, in their own messages, and their buttons work", async () => {
    openai.reset();
    let gateway = run("bot");
    await gateway.waitForLog((line) => line.msg === "imagine-bot running", "the bot");
    await discord.waitForBot();
    const interactions = [
      await discord.slash("imagine", { prompt: "a queued windmill", partials: 0 }),
      await discord.slash("imagine", { prompt: "a queued mill pond", partials: 0 }),
    ];
    for (const interaction of interactions)
      await discord.waitFor(
        () => discord.original(interaction)?.content.includes("Queued"),
        30_000,
        "the job queued",
      );
    // No worker yet: the jobs wait in Redis while the bot restarts.
    await stopCleanly(gateway);
    gateway = run("bot");
    await gateway.waitForLog((line) => line.msg === "imagine-bot running", "the restarted bot");
    await discord.waitForBot();
    const worker = run("worker");

    const results = await Promise.all(interactions.map((interaction) => finalReply(interaction)));
    expect(results.map((reply) => reply.content)).toEqual([
      expect.stringContaining("a queued windmill"),
      expect.stringContaining("a queued mill pond"),
    ]);
    expect(openai.requests.filter((request) => request.method === "POST")).toHaveLength(2);
    const first = results[0] as FakeMessage;
    const click = await discord.click(first, `reroll:${jobIdOf(first)}`);
    const reroll = await finalReply(click);
    expect(reroll.content).toContain("a queued windmill");
    expect(jobIdOf(reroll)).not.toBe(jobIdOf(first));
    await stopCleanly(gateway);
    await stopCleanly(worker);
  });
});
