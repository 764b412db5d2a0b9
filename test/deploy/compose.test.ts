import { type ChildProcess, execFile, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadConfig } from "../../src/config/load.js";
import { EnvSchema } from "../../src/config/schema.js";
import { checkRedis } from "../../src/doctor/redis-check.js";
import { readDockerfile } from "../helpers/dockerfile.js";
import { waitFor } from "../helpers/wait-for.js";
import { REPO_ROOT } from "../process/scripts.js";
import { freePort } from "../slack/harness.js";

/**
 * docker-compose.yml, checked without a Docker daemon: dclint validates it against the Compose schema and its
 * rules, and these tests hold it to what the deployment needs (docs/deploying.md: Set-up, Running in production).
 */
interface Service {
  image?: string;
  command?: string[];
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  env_file?: string;
  container_name?: string;
}

const text = readFileSync(join(REPO_ROOT, "docker-compose.yml"), "utf8");
const compose = parse(text, { merge: true }) as { services: Record<string, Service> };
const { bot, worker, redis } = compose.services as Record<"bot" | "worker" | "redis", Service>;
const example = readFileSync(join(REPO_ROOT, ".env.example"), "utf8");

describe("docker-compose.yml", () => {
  it("passes dclint: the Compose schema and its rules, with no warning", async () => {
    const { stdout } = await promisify(execFile)(
      "npx",
      ["dclint", "docker-compose.yml", "--max-warnings", "0"],
      {
        cwd: REPO_ROOT,
      },
    );
    expect(stdout.trim()).toBe("");
  });

  it("runs the bot and the workers from the image, reading .env, sharing the run folders", () => {
    for (const [service, mode] of [
      [bot, "bot"],
      [worker, "worker"],
    ] as const) {
      expect(service.image).toBe("imagine-bot");
      expect(service.env_file).toBe(".env");
      expect(service.command?.slice(-2)).toEqual(["--mode", mode]);
      expect(service.volumes).toContain(`runs:${service.environment?.STORAGE_DIR}`);
      expect(service.environment?.REDIS_URL).toBe("redis://redis:6379");
    }
  });

  it("starts the program the image holds, with the image's node flags and npm run worker's heap flag", async () => {
    const runtime = (await readDockerfile(REPO_ROOT)).at(-1);
    const imageCommand = runtime?.instructions.find((instruction) => instruction.keyword === "CMD")?.words;
    // The worker's small young generation, as `npm run worker` has it (package.json).
    const scripts = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).scripts;
    const heapFlag = /--max-semi-space-size=\d+/.exec(scripts.worker)?.[0];
    expect(heapFlag).toBeDefined();
    expect(worker.command).toContain(heapFlag);
    for (const service of [bot, worker]) {
      const command = service.command?.filter((word) => word !== heapFlag);
      expect(command?.slice(0, -2)).toEqual(imageCommand?.slice(0, -2));
      // Built before the tests (test/global-setup.ts), as the image's build stage builds it.
      expect(existsSync(join(REPO_ROOT, service.command?.at(-3) ?? "missing"))).toBe(true);
    }
  });

  it("keeps to what Compose v1 (docker-compose 1.29) accepts too: no top-level name, the project named in .env", () => {
    // v1 refuses a top-level `name:` ("'name' does not match any of the regexes: '^x-'").
    const topLevel = Object.keys(parse(text) as object).filter((key) => !key.startsWith("x-"));
    expect(topLevel.sort()).toEqual(["services", "volumes"]);
    expect(example).toMatch(/^COMPOSE_PROJECT_NAME=imagine-bot$/m);
  });

  const composeV1 = spawnSync("docker-compose", ["version"]).status === 0;
  it.skipIf(!composeV1)("is accepted by docker-compose 1.x where it is installed (config)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "imagine-compose-v1-"));
    try {
      // .env as an operator makes it: .env.example and a password.
      writeFileSync(join(dir, ".env"), `${example}\nREDIS_PASSWORD=compose-test-password\n`);
      const { stdout } = await promisify(execFile)(
        "docker-compose",
        ["--project-directory", dir, "-f", join(REPO_ROOT, "docker-compose.yml"), "config", "--services"],
        { env: { PATH: process.env.PATH } },
      );
      expect(stdout.split("\n").filter(Boolean).sort()).toEqual(["bot", "redis", "worker"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("builds from a Dockerfile that fetches no frontend image (no `# syntax=` line)", () => {
    const dockerfile = readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8");
    expect(dockerfile).not.toMatch(/^#\s*syntax\s*=/im);
  });

  it("lets the workers scale: no fixed name, no published port", () => {
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
  });

  it("publishes the bot's ports on this host only, the ports the bot listens on", () => {
    const published = (bot.ports ?? []).map((port) => port.split(":"));
    expect(published.map(([host]) => host)).toEqual(["127.0.0.1", "127.0.0.1"]);
    expect(published.map(([, , inside]) => inside).sort()).toEqual(
      [bot.environment?.SLACK_PORT, bot.environment?.HTTP_PORT].sort(),
    );
  });

  it("has the bot and workers listen on their container's every interface, which the default does not", () => {
    // The default is this machine only (127.0.0.1); inside a container that would refuse the published port.
    expect(loadConfig({ OPENAI_API_KEY: "sk-test" }).http?.host).toBe("127.0.0.1");
    for (const service of [bot, worker]) expect(service.environment?.HTTP_HOST).toBe("0.0.0.0");
  });

  it("keeps Redis on the compose network, persistent, never evicting, behind a password", () => {
    expect(redis.ports).toBeUndefined();
    const command = redis.command?.join(" ") ?? "";
    expect(command).toContain("--appendonly yes");
    expect(command).toContain("--maxmemory-policy noeviction");
    expect(command).toContain('--requirepass "$$REDIS_PASSWORD"');
    expect(redis.volumes).toContain("redis-data:/data");
    // No default: compose refuses to start without one.
    expect(text).toMatch(/REDIS_PASSWORD: \$\{REDIS_PASSWORD:\?/);
  });

  it("sets only variables the bot reads, and .env.example lists every one compose fills in", () => {
    const schema = Object.keys(EnvSchema.shape);
    for (const service of [bot, worker])
      expect(schema).toEqual(expect.arrayContaining(Object.keys(service.environment ?? {})));
    const interpolated = [...text.matchAll(/\$\{(\w+)/g)].map((match) => match[1] as string);
    expect(interpolated.length).toBeGreaterThan(0);
    for (const name of interpolated) expect(example).toMatch(new RegExp(`^${name}=`, "m"));
  });
});

describe("compose's Redis command", () => {
  let server: ChildProcess | undefined;
  let aofDir: string | undefined;
  afterAll(async () => {
    server?.kill();
    if (server) await once(server, "exit");
    if (aofDir) await rm(aofDir, { recursive: true, force: true });
  });

  it("starts a Redis that the bot reaches with REDIS_PASSWORD and that npm run doctor accepts", async () => {
    const port = await freePort();
    const password = "compose-test-password";
    // The service's command as compose runs it ($$ is a literal $), on a port of the test's own and no files.
    const [shell, flag, script] = (redis.command ?? []).map((word) => word.replaceAll("$$", "$"));
    aofDir = await mkdtemp(join(tmpdir(), "imagine-compose-redis-"));
    const local = `${script} --port ${port} --bind 127.0.0.1 --dir ${aofDir}`;
    server = spawn(shell as string, [flag as string, local], {
      env: { ...process.env, REDIS_PASSWORD: password },
      stdio: "ignore",
    });
    const config = loadConfig({
      OPENAI_API_KEY: "sk-test",
      REDIS_URL: `redis://127.0.0.1:${port}`,
      REDIS_PASSWORD: password,
    });
    const outcome = await waitFor(
      "compose's Redis to answer",
      async () => {
        const checked = await checkRedis(config);
        return checked.ok ? checked : undefined;
      },
      20_000,
    );
    expect(outcome.detail).toContain("maxmemory-policy noeviction");
  });
});
