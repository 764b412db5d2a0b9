import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { connectRedis, createRedisConnection } from "../../src/queue/connection.js";
import { waitFor } from "../helpers/wait-for.js";
import { freePort } from "../slack/harness.js";

/** docker-compose.yml's Redis asks for REDIS_PASSWORD; the bot must get in with whatever characters it holds. */
const PASSWORD = "p@ss/w:rd#?% 1";
let server: ChildProcess;
let port: number;

beforeAll(async () => {
  port = await freePort();
  server = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--requirepass", PASSWORD],
    {
      stdio: "ignore",
    },
  );
  await waitFor(
    "the password-protected Redis to listen",
    () => connects(`redis://127.0.0.1:${port}`, true),
    20_000,
  );
});
afterAll(async () => {
  server.kill();
  await once(server, "exit");
});

/** Whether a connection to `url` gets an answer; `refused: true` counts NOAUTH as an answer. */
async function connects(url: string, refused = false): Promise<boolean> {
  try {
    const target = { redisUrl: url, redisClusterNodes: [] };
    await (await connectRedis(createRedisConnection(target, "producer"), target)).quit();
    return true;
  } catch (error) {
    return refused && /NOAUTH|AUTH/.test(String(error));
  }
}

describe("REDIS_PASSWORD", () => {
  it("gets the bot into a Redis that requires it, special characters and all", async () => {
    const url = `redis://127.0.0.1:${port}`;
    const config = loadConfig({ OPENAI_API_KEY: "sk-test", REDIS_URL: url, REDIS_PASSWORD: PASSWORD });
    expect(await connects(config.redisUrl)).toBe(true);
    expect(await connects(url)).toBe(false);
  });

  it("leaves a password in REDIS_URL as it is", () => {
    const url = "redis://:from-url@redis.internal:6379/2";
    expect(loadConfig({ OPENAI_API_KEY: "sk-test", REDIS_URL: url, REDIS_PASSWORD: "other" }).redisUrl).toBe(
      url,
    );
  });
});
