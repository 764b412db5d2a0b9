import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseDocument, stringify } from "yaml";
import { type FakeDiscord, type FakeMessage, startFakeDiscord } from "../fakes/discord/fake.js";
import type { FakeInteraction } from "../fakes/discord/types.js";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai/server.js";
import { showsResult } from "../helpers/discord-result.js";
import { baseTestEnv, uniquePrefix } from "../helpers/redis.js";
import { waitFor } from "../helpers/wait-for.js";
import { REPO_ROOT, type ScriptProcess, startCommand } from "../process/scripts.js";
import { freePort } from "../slack/harness.js";
import { buildImage, type DockerTools, findDockerTools, sh } from "./docker.js";

/**
 * The Dockerfile and docker-compose.yml, built and run (docs/deploying.md: Building the image without Docker
 * Hub). The base image comes from scripts/base-image.sh (Debian and the npm registry; reused while its inputs
 * stay the same), the app image from the Dockerfile with BuildKit, and compose runs the real file (less the
 * bot's published ports, which the host's network refuses) with an override that puts every service on the
 * host's network on ports of the test's own (nothing leaves the loopback) and Redis on Debian's redis-server,
 * since Docker Hub's image cannot be pulled here. The bot answers
 * a `/imagine` on the fake Discord with images from the fake OpenAI, both running in this test; two workers run
 * a job each; `compose stop` lets both finish. Skipped, with a notice saying why, where no daemon runs.
 */
const tools = await findDockerTools();
const missing = "missing" in tools ? tools.missing : undefined;
if (missing) process.stderr.write(`image and compose tests skipped: ${missing}\n`);

/** A cold build (debootstrap, npm ci of every dependency) on a loaded 2-core machine; from cache, well under one. */
const BUILD_TIMEOUT_MS = 20 * 60_000;
/** Containers start Node and load the SDKs on a loaded machine; nothing decides by time below this. */
const RUN_TIMEOUT_MS = 240_000;
const APP_IMAGE = "imagine-bot:compose-test";

const COMPOSE_FILE = join(REPO_ROOT, "docker-compose.yml");
interface Service {
  command: string[];
  healthcheck: { test: string[] };
}
const real = parse(readFileSync(COMPOSE_FILE, "utf8"), { merge: true }) as {
  services: Record<string, Service>;
};

let docker: string;
/** `docker compose` (or `docker-compose`) with the test's project files, once they are written. */
let composeCommand: string[] = [];
let composeEnv: NodeJS.ProcessEnv = {};
const compose = (...args: string[]) => sh([...composeCommand, ...args], { env: composeEnv });
let project: string;
/** The bot's health, metrics and readiness port, on the host's loopback. */
let botPort: number;
let dir: string | undefined;
let discord: FakeDiscord | undefined;
let openai: FakeOpenAI | undefined;
const followed: ScriptProcess[] = [];

/** The ids of a service's containers, running or stopped. */
async function containers(service: string): Promise<string[]> {
  return (await compose("ps", "-q", service)).split("\n").filter((id) => id !== "");
}

/** A container's log, followed (`docker logs --follow`): the app's pino lines, for waiting on what it says. */
function follow(id: string): ScriptProcess {
  const logs = startCommand([docker, "logs", "--follow", id], {});
  followed.push(logs);
  return logs;
}
const running = (logs: ScriptProcess) =>
  logs.waitForLog((line) => line.msg === "imagine-bot running", "the app to start", RUN_TIMEOUT_MS);

function finalReply(interaction: FakeInteraction): Promise<FakeMessage> {
  const fake = discord as FakeDiscord;
  return fake.waitFor(
    () => {
      const message = fake.original(interaction);
      if (message?.content.startsWith("⚠️")) throw new Error(`the bot answered: ${message.content}`);
      return message && showsResult(message) ? message : undefined;
    },
    RUN_TIMEOUT_MS,
    "the final reply",
  );
}

/** A project's containers, volumes and networks still on the daemon (compose labels what it makes). */
async function leftBehind(): Promise<string[]> {
  const label = `label=com.docker.compose.project=${project}`;
  const listed = await Promise.all([
    sh([docker, "ps", "-aq", "--filter", label]),
    sh([docker, "volume", "ls", "-q", "--filter", label]),
    sh([docker, "network", "ls", "-q", "--filter", label]),
  ]);
  return listed
    .join("\n")
    .split("\n")
    .filter((line) => line !== "");
}

beforeAll(async () => {
  if (missing) return;
  ({ docker } = tools as DockerTools);
  const base = (await sh(["scripts/base-image.sh"], { env: { ...process.env, DOCKER: docker } }))
    .trim()
    .split("\n")
    .at(-1);
  if (!base) throw new Error("scripts/base-image.sh printed no image tag");
  // Both on the base image; `--network host`: npm ci and apt-get reach the registry and mirror as the host does.
  await buildImage(docker, APP_IMAGE, ["--build-arg", `NODE_IMAGE=${base}`, "."]);
  const redisImage = "imagine-bot-test-redis:compose-test";
  await buildImage(docker, redisImage, [
    "--build-arg",
    `NODE_IMAGE=${base}`,
    "-f",
    "test/deploy/redis.Dockerfile",
    "test/deploy",
  ]);

  discord = await startFakeDiscord();
  openai = await startFakeOpenAI();
  dir = await mkdtemp(join(tmpdir(), "imagine-compose-"));
  // Compose lowercases a project's name and keeps letters and digits: this one is the test's alone.
  project = `imaginetest${randomBytes(4).toString("hex")}`;
  const [redisPort, slackPort] = [await freePort(), await freePort()];
  botPort = await freePort();

  // `.env` as an operator fills it in (.env.example), beside the compose file's project: compose reads
  // COMPOSE_PROJECT_NAME and REDIS_PASSWORD from it, and gives it to the bot and workers (env_file).
  const { REDIS_URL, STORAGE_DIR, HTTP_PORT, ...testEnv } = baseTestEnv(
    openai.url,
    uniquePrefix("image"),
    "",
  );
  const dotEnv = {
    ...testEnv,
    COMPOSE_PROJECT_NAME: project,
    REDIS_PASSWORD: randomBytes(12).toString("hex"),
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.url,
    // One job per worker: two jobs running at once show two workers.
    WORKER_CONCURRENCY: "1",
    LOG_LEVEL: "info",
  };
  writeFileSync(
    join(dir, ".env"),
    Object.entries(dotEnv)
      .map(([name, value]) => `${name}=${value}\n`)
      .join(""),
  );

  // Every service on the host's network, on the test's own ports, bound to the loopback only.
  const redis = real.services.redis as Service;
  const [shell, flag, script] = redis.command;
  const [probeKind, probe] = redis.healthcheck.test;
  const app = (port: number) => ({
    image: APP_IMAGE,
    network_mode: "host",
    environment: {
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      HTTP_HOST: "127.0.0.1",
      HTTP_PORT: String(port),
      SLACK_PORT: String(slackPort),
    },
  });
  const override = {
    services: {
      redis: {
        image: redisImage,
        network_mode: "host",
        command: [shell, flag, `${script} --port ${redisPort} --bind 127.0.0.1`],
        healthcheck: { test: [probeKind, probe?.replace("redis-cli ", `redis-cli -p ${redisPort} `)] },
      },
      bot: app(botPort),
      // Workers scale, so each takes a free port of its own (0); the bot's health is the one the test reads.
      worker: app(0),
    },
  };
  const overrideFile = join(dir, "docker-compose.test.yml");
  writeFileSync(overrideFile, stringify(override));
  // The real file, but for the bot's published ports: Docker refuses them on the host's network ('"host"
  // network_mode is incompatible with port_bindings'), and an override can only add to a list. The static test
  // (compose.test.ts) checks them.
  const composeFile = join(dir, "docker-compose.yml");
  const document = parseDocument(readFileSync(COMPOSE_FILE, "utf8"));
  document.deleteIn(["services", "bot", "ports"]);
  writeFileSync(composeFile, document.toString());

  // The developer's shell must not decide the project or the password: .env does.
  composeEnv = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(COMPOSE_|REDIS_PASSWORD$)/.test(name)),
  );
  const files = ["--project-directory", dir, "-f", composeFile, "-f", overrideFile];
  composeCommand = [...(tools as DockerTools).compose, ...files];
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  try {
    for (const logs of followed) await logs.terminate(3_000);
    if (composeCommand.length > 0) await compose("down", "--volumes", "--remove-orphans", "--timeout", "10");
  } finally {
    await discord?.close();
    await openai?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}, RUN_TIMEOUT_MS);

describe.skipIf(missing !== undefined)(
  "the image, run by docker compose",
  { timeout: RUN_TIMEOUT_MS },
  () => {
    it("starts Redis, the bot and a worker, answers /imagine to its final and passes its health check", async () => {
      await compose("up", "--detach", "--no-build");
      const [bot] = await containers("bot");
      const [worker] = await containers("worker");
      await Promise.all([running(follow(bot as string)), running(follow(worker as string))]);
      const fake = discord as FakeDiscord;
      await fake.waitForBot();

      const interaction = await fake.slash("imagine", { prompt: "a lighthouse in a container", partials: 1 });
      const final = await finalReply(interaction);
      const image = await fetch(final.attachments[0]?.url ?? "missing attachment");
      // sharp in the test reads what sharp in the image wrote.
      expect(await sharp(Buffer.from(await image.arrayBuffer())).metadata()).toMatchObject({ format: "png" });

      // Ready: the bot reaches compose's Redis behind its password, the fake Discord and the runs volume.
      expect((await fetch(`http://127.0.0.1:${botPort}/readyz`)).status).toBe(200);
      // The Dockerfile's HEALTHCHECK, run by the daemon in the container (every 30 s).
      await waitFor(
        "the bot's container to be healthy",
        async () =>
          (await sh([docker, "inspect", "--format", "{{.State.Health.Status}}", bot as string])).trim() ===
          "healthy",
        RUN_TIMEOUT_MS,
      );
      // COMPOSE_PROJECT_NAME from .env named the project: its Redis, bot and worker.
      expect(
        (await sh([docker, "ps", "-q", "--filter", `label=com.docker.compose.project=${project}`]))
          .trim()
          .split("\n"),
      ).toHaveLength(3);
    });

    it("scales to two workers, which run a job each at once; compose stop lets both finish", async () => {
      await compose("up", "--detach", "--no-build", "--scale", "worker=2");
      const workers = await containers("worker");
      expect(workers).toHaveLength(2);
      const logs = workers.map(follow);
      await Promise.all(logs.map(running));
      // Each worker serves its health on a port of its own (HTTP_PORT=0), on the host's loopback.
      for (const log of logs) {
        const listening = await log.waitForLog(
          (line) => line.msg === "health and metrics endpoint listening",
          "the worker's health endpoint",
        );
        expect((await fetch(`http://127.0.0.1:${listening.port}/healthz`)).status).toBe(200);
      }

      const fake = discord as FakeDiscord;
      const fakeOpenAI = openai as FakeOpenAI;
      // The fake OpenAI holds every stream until the stop is under way.
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      fakeOpenAI.pace(() => released);
      const posts = () => fakeOpenAI.requests.filter((request) => request.method === "POST").length;
      const before = posts();
      const jobs = [
        await fake.slash("imagine", { prompt: "a heron stopped gracefully", partials: 1 }),
        await fake.slash("imagine", { prompt: "a crane stopped gracefully", partials: 1 }),
      ];
      // One job per worker (WORKER_CONCURRENCY=1): both running at once are the two workers.
      await waitFor("both jobs to be running", () => posts() >= before + 2, RUN_TIMEOUT_MS);

      const stopped = compose("stop");
      await Promise.all(
        logs.map((log) =>
          log.waitForLog(
            (line) => line.msg.startsWith("shutting down"),
            "the worker to begin shutting down",
            RUN_TIMEOUT_MS,
          ),
        ),
      );
      release();
      await stopped;
      for (const job of jobs) expect(showsResult(await finalReply(job))).toBe(true);
      for (const id of [...workers, ...(await containers("bot"))])
        expect((await sh([docker, "inspect", "--format", "{{.State.ExitCode}}", id])).trim()).toBe("0");
      // Stopped once, not cancelled: no second signal reached them before their jobs ended.
      for (const log of logs)
        expect(log.logs().some((line) => line.msg.startsWith("stopping again"))).toBe(false);
    });

    it("leaves no container, network or volume behind after compose down --volumes", async () => {
      for (const logs of followed.splice(0)) await logs.terminate(3_000);
      await compose("down", "--volumes", "--remove-orphans");
      expect(await leftBehind()).toEqual([]);
    });
  },
);
