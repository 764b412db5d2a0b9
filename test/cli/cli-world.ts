import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai/server.js";
import { deleteKeys, testRedis } from "../helpers/redis.js";

/** What a CLI test runs `npm run imagine` against: the fake OpenAI, an `--out` folder and its Redis keys. */
export interface CliWorld {
  fake: FakeOpenAI;
  out: string;
  redis: Redis;
  close(): Promise<void>;
}

/** Started once per file; `close` removes the folder and the keys under `prefix` the runs left. */
export async function startCliWorld(label: string, prefix: string): Promise<CliWorld> {
  const fake = await startFakeOpenAI();
  const out = await mkdtemp(join(tmpdir(), `imagine-${label}-`));
  const redis = testRedis();
  return {
    fake,
    out,
    redis,
    async close() {
      await fake.close();
      await rm(out, { recursive: true, force: true });
      await deleteKeys(redis, prefix);
      redis.disconnect();
    },
  };
}
