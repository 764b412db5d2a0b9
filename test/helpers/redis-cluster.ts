import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Cluster, Redis } from "ioredis";
import { waitFor } from "./wait-for.js";

const run = promisify(execFile);

/**
 * The ports this suite's clusters may use (and no others: helpers running tests beside it own the rest). Each
 * test file that wants a cluster takes a block of its own, so two files in one run (vitest's two workers) never
 * meet: three nodes and their three cluster-bus ports (`cluster-port`, Redis 7) per block.
 */
const FIRST_PORT = 7100;
const LAST_PORT = 7199;
const NODES = 3;
const BLOCK_SIZE = NODES * 2;

/** Which block each test file takes: one place, so two files cannot pick the same one. */
export const CLUSTER_BLOCKS = { stores: 0, processes: 1 } as const;

/** A cluster starts in about a second; a loaded machine gets a lot more room. */
const READY_TIMEOUT_MS = 60_000;

export interface TestCluster {
  /** `redis://127.0.0.1:port` of each primary. */
  nodes: string[];
  /** What the bot's processes are given: REDIS_CLUSTER_NODES (REDIS_URL then goes unused). */
  env: { REDIS_CLUSTER_NODES: string };
  /** A client of the test's own, retrying as BullMQ's do; the caller disconnects it. */
  client(): Cluster;
  stop(): Promise<void>;
}

/**
 * A 3-primary Redis Cluster from Debian's `redis-server`, as an operator makes one: each node in a folder of
 * its own with an append-only file, joined by `redis-cli --cluster create`, ready when every node says
 * `cluster_state:ok`. `stop` kills the nodes and removes their folders.
 */
export async function startRedisCluster(block: number): Promise<TestCluster> {
  const base = FIRST_PORT + block * BLOCK_SIZE;
  if (!Number.isInteger(block) || block < 0 || base + BLOCK_SIZE - 1 > LAST_PORT)
    throw new Error(`cluster block ${block} is outside ports ${FIRST_PORT}-${LAST_PORT}`);
  const ports = Array.from({ length: NODES }, (_, i) => base + i);
  const dir = await mkdtemp(join(tmpdir(), "imagine-cluster-"));
  const servers: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      servers.map(async (server) => {
        if (server.exitCode !== null || server.signalCode !== null) return;
        const exited = once(server, "exit");
        server.kill("SIGKILL");
        await exited;
      }),
    );
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const [i, port] of ports.entries()) servers.push(await startNode(dir, port, base + NODES + i));
    await run("redis-cli", [
      "--cluster",
      "create",
      ...ports.map((port) => `127.0.0.1:${port}`),
      "--cluster-replicas",
      "0",
      "--cluster-yes",
    ]);
    for (const port of ports)
      await waitFor(
        `the cluster node on ${port} to say cluster_state:ok`,
        () => clusterOk(port),
        READY_TIMEOUT_MS,
      );
  } catch (error) {
    await stop();
    throw error;
  }
  const nodes = ports.map((port) => `redis://127.0.0.1:${port}`);
  return {
    nodes,
    env: { REDIS_CLUSTER_NODES: nodes.join(",") },
    client: () =>
      new Cluster(
        ports.map((port) => ({ host: "127.0.0.1", port })),
        { redisOptions: { maxRetriesPerRequest: null } },
      ),
    stop,
  };
}

async function startNode(dir: string, port: number, busPort: number): Promise<ChildProcess> {
  const folder = join(dir, String(port));
  await mkdir(folder);
  const server = spawn(
    "redis-server",
    [
      "--port",
      String(port),
      "--cluster-port",
      String(busPort),
      "--bind",
      "127.0.0.1",
      "--dir",
      folder,
      "--cluster-enabled",
      "yes",
      "--cluster-config-file",
      join(folder, "nodes.conf"),
      "--appendonly",
      "yes",
      "--save",
      "",
    ],
    { stdio: ["ignore", "pipe", "ignore"] },
  );
  let output = "";
  server.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  await waitFor(`the cluster node on ${port} to answer`, async () => {
    if (server.exitCode !== null)
      throw new Error(`redis-server on port ${port} exited (is the port taken?): ${output.slice(-500)}`);
    return answers(port);
  });
  return server;
}

async function command(port: number, ...words: string[]): Promise<unknown> {
  const client = new Redis(port, "127.0.0.1", {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return await client.call(words[0] ?? "PING", ...words.slice(1));
  } finally {
    client.disconnect();
  }
}

const answers = (port: number) =>
  command(port, "PING").then(
    (reply) => reply === "PONG",
    () => false,
  );

const clusterOk = (port: number) =>
  command(port, "CLUSTER", "INFO").then(
    (reply) => String(reply).includes("cluster_state:ok"),
    () => false,
  );
