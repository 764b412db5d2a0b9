import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningProcess, startProcess } from "../../src/app/process.js";
import { loadConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/types.js";
import { createLogger } from "../../src/logger.js";
import { webPlatform } from "../../src/platforms/web/index.js";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai/server.js";
import { baseTestEnv, dropPrefix, uniquePrefix } from "../helpers/redis.js";
import { waitFor } from "../helpers/wait-for.js";
import { StudioClient } from "./studio-client.js";

/** The bot with the web studio on (no chat platform), in this process, against the fake OpenAI. */
export interface StudioHarness {
  fake: FakeOpenAI;
  config: Config;
  running: RunningProcess;
  base: string;
  prefix: string;
  /** Where the studio reads its built page from (empty until a test writes one). */
  pageDir: string;
  /** Sign-in links printed so far, newest last. */
  links: string[];
  /** A new person's browser signed in as the operator through the newest one-time link. */
  signedIn(): Promise<StudioClient>;
  /** Prints a fresh one-time link (as a restart would) and returns it. */
  newLink(): Promise<string>;
  close(): Promise<void>;
}

/**
 * `apart`: the studio in a bot process and the worker in a process of its own (here: its own connections and
 * renderer registry), linked only by Redis and the run folder, as on two machines.
 */
export async function startStudio(
  label: string,
  env: Record<string, string> = {},
  { apart = false } = {},
): Promise<StudioHarness> {
  const fake = await startFakeOpenAI();
  const prefix = uniquePrefix(label);
  const storageDir = await mkdtemp(join(tmpdir(), `imagine-${label}-`));
  const config = loadConfig({ ...baseTestEnv(fake.url, prefix, storageDir), WEB_ENABLED: "true", ...env });
  if (config.web === undefined) throw new Error("WEB_ENABLED did not enable the studio");
  const links: string[] = [];
  const pageDir = join(storageDir, "page");
  const platform = webPlatform(config.web, {
    pageDir,
    printLink: (line) => links.push(line.slice(line.indexOf("http"))),
  });
  const logger = createLogger("silent");
  const running = await startProcess(config, [platform], apart ? "bot" : "all", logger);
  const worker = apart
    ? await startProcess({ ...config, http: undefined }, [webPlatform(config.web)], "worker", logger)
    : undefined;
  const port = running.http?.port;
  if (port === undefined) throw new Error("the studio's HTTP endpoint did not start");
  const base = `http://127.0.0.1:${port}`;
  const newLink = async () => {
    const before = links.length;
    await running.platforms[0]?.listening?.({ port, address: "127.0.0.1" });
    return waitFor("a new sign-in link", () => links.length > before && links.at(-1));
  };
  return {
    fake,
    config,
    running,
    base,
    prefix,
    pageDir,
    links,
    newLink,
    async signedIn() {
      const client = new StudioClient(base);
      const res = await client.openLink(await newLink());
      if (res.status !== 303) throw new Error(`sign-in link answered ${res.status}`);
      await client.me();
      return client;
    },
    async close() {
      await running.stop();
      await worker?.stop();
      await fake.close();
      await dropPrefix(prefix);
      await rm(storageDir, { recursive: true, force: true });
    },
  };
}
