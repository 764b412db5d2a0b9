import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeOpenAI } from "../fakes/openai/server.js";
import { TEST_REDIS_URL, uniquePrefix } from "../helpers/redis.js";
import { type CliWorld, startCliWorld } from "./cli-world.js";

const run = promisify(execFile);
let fake: FakeOpenAI;
let out: string;
const prefix = uniquePrefix("cli-history");

let world: CliWorld;
beforeAll(async () => {
  world = await startCliWorld("cli-history", prefix);
  ({ fake, out } = world);
});
afterAll(() => world.close());

/** `npm run -s imagine -- …` as README.md says, against the fake OpenAI and this test's Redis keys. */
async function imagine(args: string[]): Promise<string> {
  const { stdout } = await run("npm", ["run", "-s", "imagine", "--", ...args], {
    cwd: new URL("../..", import.meta.url),
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      OPENAI_API_KEY: "sk-cli-test",
      OPENAI_BASE_URL: fake.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
    },
    timeout: 60_000,
  });
  return stdout;
}

describe("npm run imagine -- history", () => {
  it("says there is nothing yet, then lists the runs newest first with their job ids, prompts and files", async () => {
    expect(await imagine(["history", "--out", out])).toBe(
      `No runs of yours in ${out} yet: npm run imagine -- "a prompt" makes one.\n`,
    );
    const first = /^run: .*\/([\w-]+)$/m.exec(await imagine(["a red kite", "--partials", "0", "--out", out]));
    const second = /^run: .*\/([\w-]+)$/m.exec(
      await imagine(["a blue boat", "--partials", "0", "--out", out]),
    );
    const [firstId, secondId] = [first?.[1] ?? "", second?.[1] ?? ""];

    const listed = await imagine(["history", "--out", out]);
    const stamp = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z`;
    expect(listed).toMatch(
      new RegExp(
        [
          `^Your last 2 runs in ${out}, newest first:`,
          "",
          `job ${secondId} {2}${stamp} {2}a blue boat`,
          ` {2}image: ${join(out, secondId, "final_0.png")}`,
          "",
          `job ${firstId} {2}${stamp} {2}a red kite`,
          ` {2}image: ${join(out, firstId, "final_0.png")}\n$`,
        ].join("\n"),
      ),
    );
  });
});
