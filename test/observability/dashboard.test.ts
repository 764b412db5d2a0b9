import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordBot, startDiscordBot } from "../discord/harness.js";

/** Bull Board on the bot's HTTP endpoint, as `npm start` mounts it when DASHBOARD_USER and _PASSWORD are set. */
let bot: DiscordBot;
beforeAll(async () => {
  bot = await startDiscordBot("dashboard", {
    env: { DASHBOARD_USER: "ops", DASHBOARD_PASSWORD: "s3cret:pass" },
  });
});
afterAll(() => bot.close());

function request(path: string, credentials?: string, init: RequestInit = {}): Promise<Response> {
  const port = bot.running.http?.port;
  if (port === undefined) throw new Error("the process has no HTTP endpoint");
  const headers: Record<string, string> = credentials
    ? { authorization: `Basic ${Buffer.from(credentials).toString("base64")}` }
    : {};
  return fetch(`http://127.0.0.1:${port}${path}`, { ...init, headers });
}

interface BoardQueue {
  name: string;
  readOnlyMode: boolean;
  counts: Record<string, number>;
  jobs: { id: string; data: { request?: { prompt?: string } } }[];
}

describe("the queue dashboard", () => {
  it.each([
    ["no credentials", undefined],
    ["a wrong password", "ops:wrong"],
    ["a wrong user", "root:s3cret:pass"],
    ["the password alone", "s3cret:pass"],
  ])("refuses %s, the page and its API alike", async (_, credentials) => {
    for (const path of ["/dashboard", "/dashboard/api/queues"]) {
      const response = await request(path, credentials);
      expect(response.status, path).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
      expect(await response.text()).not.toContain("imagine");
    }
  });

  it("shows every queue and their jobs to the operator, read-only", async () => {
    const page = await request("/dashboard", "ops:s3cret:pass");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");

    const interaction = await bot.discord.slash("imagine", { prompt: "a dashboard lighthouse" });
    await bot.finalReply(interaction);
    await bot.idle();
    const api = await request(
      "/dashboard/api/queues?activeQueue=imagine-discord&status=completed&page=1",
      "ops:s3cret:pass",
    );
    expect(api.status).toBe(200);
    const { queues } = (await api.json()) as { queues: BoardQueue[] };
    // One per platform, and the old shared one while jobs may still be moved from it.
    expect(queues.map((candidate) => candidate.name).sort()).toEqual([
      "imagine",
      "imagine-discord",
      "imagine-slack",
      "imagine-web",
    ]);
    const queue = queues.find((candidate) => candidate.name === "imagine-discord");
    expect(queue?.readOnlyMode).toBe(true);
    expect(queue?.counts.completed).toBeGreaterThan(0);
    expect(queue?.jobs.map((job) => job.data.request?.prompt)).toContain("a dashboard lighthouse");

    // Read-only: the board's own actions are refused (a retry would pay OpenAI again).
    const retry = await request("/dashboard/api/queues/imagine-discord/retry/completed", "ops:s3cret:pass", {
      method: "PUT",
    });
    expect(retry.ok).toBe(false);
    const after = (await (await request("/dashboard/api/queues", "ops:s3cret:pass")).json()) as {
      queues: BoardQueue[];
    };
    expect(after.queues.find((candidate) => candidate.name === "imagine-discord")?.counts.completed).toBe(
      queue?.counts.completed,
    );
  });
});
