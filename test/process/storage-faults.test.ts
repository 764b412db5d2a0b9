import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/wait-for.js";
import { PROCESS_TEST_TIMEOUT_MS, stopCleanly } from "./scripts.js";
import { type SlackProcesses, startSlackProcesses } from "./slack-processes.js";

/**
 * `npm run bot` and `npm run worker` on run storage that cannot be written: STORAGE_DIR lies under a file, so
 * every write fails (ENOTDIR) whoever runs the test, root included, as on a full or read-only disk.
 */
let world: SlackProcesses;
const blocked = join(tmpdir(), `imagine-blocked-${process.pid}`);
beforeAll(async () => {
  await writeFile(blocked, "a file where the storage's parent folder should be");
  world = await startSlackProcesses("process-storage", { STORAGE_DIR: join(blocked, "runs") });
});
afterAll(async () => {
  await world.close();
  await rm(blocked, { force: true });
});

describe("run storage that cannot be written", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("tells the person in their message, asks OpenAI nothing, and the processes keep serving", async () => {
    const { gateway, worker } = await world.startBotAndWorker();
    await world.driver.slashCommand({ text: "an unsaved heron --partials 0 --quality low" });
    const told = await waitFor(
      "the person to be told",
      () => world.slack.messages.find((m) => m.bot_id && m.text.includes("can't save images right now")),
      60_000,
    );
    expect(told.text).toContain("nothing was charged");
    expect(world.openai.requests).toHaveLength(0);
    await stopCleanly(gateway);
    await stopCleanly(worker);
  });
});
