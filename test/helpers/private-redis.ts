import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { freePort } from "../slack/harness.js";
import { waitFor } from "./wait-for.js";

/**
 * A Redis server of the test's own, to be cut off and restarted without touching the shared one. It keeps an
 * append-only file, as a deployment's Redis does (docker-compose.yml), so a restart loses nothing, unless
 * `appendOnly: false` asks for one that forgets.
 */
export interface PrivateRedis {
  url: string;
  /** Closes every client's connection (`CLIENT KILL TYPE normal`), as a network blip would. */
  killClients(): Promise<void>;
  /** Stops the server (`SHUTDOWN`, the append-only file flushed); `up` starts it again on the same port. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** `down`, then `up`. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface PrivateRedisOptions {
  /** false: no append-only file (and no snapshots), a Redis that keeps nothing across a restart. */
  appendOnly?: boolean;
  /** false: CONFIG is refused, as managed Redis services do. */
  config?: boolean;
}

export async function startPrivateRedis(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  const dir = await mkdtemp(join(tmpdir(), "imagine-redis-"));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", ""];
  if (options.config === false) args.push("--rename-command", "CONFIG", "");
  const persistence =
    options.appendOnly === false
      ? ["--appendonly", "no"]
      : ["--appendonly", "yes", "--appendfsync", "always"];
  let server: ChildProcess;
  const start = async () => {
    server = spawn("redis-server", [...args, ...persistence], { stdio: "ignore" });
    await waitFor("the private Redis to answer", () => redisAnswers(url), 20_000);
  };
  const command = async (...words: string[]) => {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on("error", () => undefined);
    try {
      await client.connect();
      return await client.call(words[0] ?? "PING", ...words.slice(1));
    } finally {
      client.disconnect();
    }
  };
  const down = async () => {
    const exited = once(server, "exit");
    await command("SHUTDOWN").catch(() => undefined);
    await exited;
  };
  await start();
  return {
    url,
    async killClients() {
      await command("CLIENT", "KILL", "TYPE", "normal");
    },
    down,
    up: start,
    async restart() {
      await down();
      await start();
    },
    async stop() {
      const exited = once(server, "exit");
      server.kill("SIGKILL");
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Whether a Redis answers PING on `url`, asked once, without retrying. */
export async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
