import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { showsResult } from "../helpers/discord-result.js";
import { type DockerStage, readDockerfile, replayRuntimeStage, stageEnv } from "../helpers/dockerfile.js";
import { type DiscordProcesses, startDiscordProcesses } from "./discord-processes.js";
import { PROCESS_TEST_TIMEOUT_MS, REPO_ROOT, stopCleanly } from "./scripts.js";

/**
 * What an operator deploys: the build (`dist/`, made before the tests) with production dependencies only,
 * laid out in a folder of its own exactly as the Dockerfile's runtime stage lays out the image. No daemon
 * builds images here; this proves the stage's files and commands make a bot that works.
 */
let world: DiscordProcesses;
let stages: DockerStage[];
let installed: string;

beforeAll(async () => {
  world = await startDiscordProcesses("production-install");
  stages = await readDockerfile(REPO_ROOT);
  installed = await mkdtemp(join(tmpdir(), "imagine-production-"));
  await replayRuntimeStage(stages, REPO_ROOT, installed);
}, PROCESS_TEST_TIMEOUT_MS);
afterAll(async () => {
  await world.close();
  await rm(installed, { recursive: true, force: true });
});

describe("the production install (npm ci --omit=dev, the Dockerfile's runtime stage)", {
  timeout: PROCESS_TEST_TIMEOUT_MS,
}, () => {
  it("holds no development tool", () => {
    expect(existsSync(join(installed, "node_modules/sharp"))).toBe(true);
    // Not `typescript`: npm keeps it as an optional peer of a production package (Bull Board's valibot).
    for (const devOnly of ["tsx", "vitest", "@biomejs/biome", "dclint", "s3rver", "dependency-cruiser"])
      expect(existsSync(join(installed, "node_modules", devOnly)), devOnly).toBe(false);
    expect(existsSync(join(installed, "src")), "TypeScript sources").toBe(false);
  });

  it("npm start delivers /imagine against the fakes", async () => {
    const bot = world.run("start", installed);
    await bot.waitForLog((line) => line.msg === "imagine-bot running", "start-up");
    await world.discord.waitForBot();
    const interaction = await world.discord.slash("imagine", { prompt: "a lighthouse", partials: 1 });
    const result = await world.discord.waitFor(
      () => {
        const message = world.discord.original(interaction);
        if (message?.content.startsWith("⚠️")) throw new Error(`the bot answered: ${message.content}`);
        return message && showsResult(message) ? message : undefined;
      },
      60_000,
      "the final reply",
    );
    const final = await fetch(result.attachments[0]?.url ?? "missing attachment");
    // sharp in the test reads what sharp in the production install wrote.
    expect(await sharp(Buffer.from(await final.arrayBuffer())).metadata()).toMatchObject({ format: "png" });
    await stopCleanly(bot);
  });

  it("the image's CMD runs the bot and its HEALTHCHECK passes once it is up", async () => {
    const runtime = stages.at(-1) as DockerStage;
    const command = runtime.instructions.find((instruction) => instruction.keyword === "CMD")?.words ?? [];
    const healthcheck = runtime.instructions.find((instruction) => instruction.keyword === "HEALTHCHECK");
    expect(command.slice(0, 2)).toEqual(["node", "--enable-source-maps"]);
    expect(healthcheck?.words.slice(0, 1)).toEqual(["CMD"]);
    const port = await freePort();
    // The image's variables (NODE_ENV=production), but the test's storage, on the port the probe asks.
    const env = { ...stageEnv(runtime), STORAGE_DIR: world.storageDir, HTTP_PORT: String(port) };
    const image = world.runCommand(command, installed, env);
    await image.waitForLog((line) => line.msg === "imagine-bot running", "start-up");
    const [probe, ...probeArgs] = healthcheck?.words.slice(1) ?? [];
    await promisify(execFile)(probe as string, probeArgs, {
      cwd: installed,
      env: { ...process.env, ...env },
    });
    await stopCleanly(image);
  });
});

/** A port nothing listens on now, for the one process the health probe must find without being told. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
