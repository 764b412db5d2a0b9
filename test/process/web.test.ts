import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StudioEvent, StudioHistory } from "../../src/platforms/web/studio-api.js";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai/server.js";
import { baseTestEnv, dropPrefix, uniquePrefix } from "../helpers/redis.js";
import { runForm, StudioClient } from "../web/studio-client.js";
import { PROCESS_TEST_TIMEOUT_MS, startScript, stopCleanly } from "./scripts.js";

let openai: FakeOpenAI;
let storageDir: string;
let prefix: string;
beforeAll(async () => {
  openai = await startFakeOpenAI();
  prefix = uniquePrefix("process-web");
  storageDir = await mkdtemp(join(tmpdir(), "imagine-process-web-"));
});
afterAll(async () => {
  await openai.close();
  await dropPrefix(prefix);
  await rm(storageDir, { recursive: true, force: true });
});

describe("npm run web", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("starts the studio with no chat token, prints a one-time link, and runs an image from the page's form to its final", async () => {
    const web = startScript("web", baseTestEnv(openai.url, prefix, storageDir));
    try {
      const running = await web.waitForLog((line) => line.msg === "imagine-bot running", "start-up");
      expect(running.platforms).toEqual(["web"]);
      const [, link = ""] = await web.waitForOutput(
        /^Studio sign-in link \(works once\): (http:\/\/\S+)$/m,
        "the sign-in link on stdout",
      );
      // The token is for the operator's eyes on stdout, never in the JSON logs.
      const token = new URL(link).searchParams.get("token") ?? "";
      expect(token.length).toBeGreaterThan(20);
      expect(web.logs().some((line) => JSON.stringify(line).includes(token))).toBe(false);

      const client = new StudioClient(new URL(link).origin);
      expect((await client.openLink(link)).status).toBe(303);
      expect((await new StudioClient(client.base).openLink(link)).status).toBe(403);
      await client.me();
      await client.openEvents();
      const res = await client.postRun(runForm("a harbour at night", { partials: 2 }));
      expect(res.status, await res.clone().text()).toBe(202);
      const { runId } = (await res.json()) as { runId: string };
      const ended = await client.ended(runId, 60_000);
      expect(ended.type).toBe("completed");
      expect(client.eventsOf(runId).some((event) => event.type === "partial")).toBe(true);
      const run = (ended as Extract<StudioEvent, { type: "completed" }>).run;
      const final = await client.fetch(run.finals[0] ?? "");
      expect(final.status).toBe(200);
      expect(final.headers.get("content-type")).toBe("image/png");
      const history = (await (await client.fetch("/studio/api/history")).json()) as StudioHistory;
      expect(history.runs.map((entry) => entry.runId)).toContain(runId);
      const page = await client.fetch("/studio/");
      expect(page.status).toBe(200);
      expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
      // Stopped with a page still listening: the stream ends and the process exits cleanly.
      await stopCleanly(web);
      await client.streamEnded;
    } finally {
      if (web.child.exitCode === null) await stopCleanly(web);
    }
  });
});
