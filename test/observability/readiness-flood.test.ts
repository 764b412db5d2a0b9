import { type FSWatcher, watch } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordBot, startDiscordBot } from "../discord/harness.js";
import { waitFor } from "../helpers/wait-for.js";

/**
 * `/readyz` under a flood: every storage probe makes a folder of its own under `_readiness` in run storage
 * (readiness.ts), so watching that folder counts the probes the bot made, with nothing of the bot replaced.
 */
const FLOOD = 200;

let bot: DiscordBot;
let watcher: FSWatcher | undefined;
/** Every name that appeared or went under `_readiness`, in the order the kernel reported them. */
const seen: string[] = [];

beforeAll(async () => {
  bot = await startDiscordBot("readiness-flood");
  const folder = join(bot.storageDir, "_readiness");
  await mkdir(folder, { recursive: true });
  watcher = watch(folder, (_event, name) => {
    if (name) seen.push(name);
  });
});
afterAll(async () => {
  watcher?.close();
  await bot.close();
});

function get(path: string): Promise<Response> {
  const port = bot.running.http?.port;
  if (port === undefined) throw new Error("the process has no HTTP endpoint");
  return fetch(`http://127.0.0.1:${port}${path}`);
}

describe("/readyz under a flood", () => {
  it("probes storage once for a whole flood, while the bot still answers a person", async () => {
    const flood = Array.from({ length: FLOOD }, () =>
      get("/readyz").then(async (response) => ({ status: response.status, body: await response.json() })),
    );
    // And /metrics alongside, the other path a scraper (or anyone, without METRICS_TOKEN) may flood.
    const scrapes = Array.from({ length: FLOOD / 4 }, () =>
      get("/metrics").then((response) => response.status),
    );
    // Meanwhile a person asks: the acknowledgement comes while the flood is being answered.
    const interaction = await bot.discord.slash("imagine", { prompt: "a flooded lighthouse", partials: 0 });
    await waitFor("the acknowledgement", () => interaction.callbackType);
    const answers = await Promise.all(flood);
    expect(new Set(await Promise.all(scrapes))).toEqual(new Set([200]));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ ready: true, checks: { redis: "ok", storage: "ok", discord: "ok" } });
    }
    // The barrier: the kernel reports changes in order, so once this folder is seen, every probe's folder made
    // before it has been seen too.
    await mkdir(join(bot.storageDir, "_readiness", "barrier"));
    await waitFor("the barrier folder", () => seen.includes("barrier"));
    const probes = new Set(seen.filter((name) => name !== "barrier"));
    expect(probes.size).toBe(1);
    await bot.finalReply(interaction);
  });
});
