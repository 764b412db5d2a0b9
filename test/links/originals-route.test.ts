import { readFile } from "node:fs/promises";
import { request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordBot, startDiscordBot } from "../discord/harness.js";
import { freePort } from "../slack/harness.js";

/**
 * Links to originals kept in local storage, end to end: a final too large for Discord's upload limit is shown
 * re-encoded, and its message links the original, which the bot's own HTTP endpoint serves under
 * PUBLIC_BASE_URL (here the endpoint itself, as a proxy in front would forward it).
 */
let bot: DiscordBot;
let base: string;
beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  bot = await startDiscordBot("originals-route", { env: { HTTP_PORT: String(port), PUBLIC_BASE_URL: base } });
});
afterAll(() => bot.close());

/** A request with the path exactly as written: fetch() would resolve `..` before sending it. */
function rawGet(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    request({ host: url.hostname, port: url.port, path, method: "GET" }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on("error", reject)
      .end();
  });
}

describe("a link to an original in local storage", () => {
  let link: string;
  let original: Buffer;

  it("is in the message of a final shown re-encoded, and fetches the original's bytes", async () => {
    bot.discord.setAttachmentSizeLimit(60_000);
    const interaction = await bot.discord.slash("imagine", {
      prompt: "a detailed harbour",
      size: "1536x1024",
    });
    const reply = await bot.finalReply(interaction);
    expect(reply.attachments[0]?.filename).toMatch(/\.(jpg|webp)$/);
    const found = /\[Open the original\]\(<([^>]+)>\) \(for 7 days\)/.exec(reply.content);
    expect(found, reply.content).not.toBeNull();
    link = found?.[1] ?? "";
    expect(link.startsWith(`${base}/originals/`)).toBe(true);
    const jobId = /job `([^`]+)`/.exec(reply.content)?.[1] ?? "";
    original = await readFile(join(bot.storageDir, jobId, "final_0.png"));

    const response = await fetch(link);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await response.arrayBuffer()).equals(original)).toBe(true);
  });

  it("answers HEAD without the bytes and refuses other methods", async () => {
    const head = await fetch(link, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get("content-length"))).toBe(original.length);
    expect((await fetch(link, { method: "DELETE" })).status).toBe(405);
  });

  it("is refused once tampered with, and names nothing else in storage", async () => {
    const tampered = link.replace(
      /signature=([0-9a-f])/,
      (_, c: string) => `signature=${c === "0" ? "1" : "0"}`,
    );
    expect((await fetch(tampered)).status).toBe(403);
    const otherFile = link.replace("final_0.png", "metadata.json");
    expect((await fetch(otherFile)).status).toBe(404);
    const query = new URL(link).search;
    for (const path of [
      `/originals/../../../etc/passwd${query}`,
      `/originals/%2e%2e/%2e%2e/etc/passwd${query}`,
      `/originals/..%2f..%2fmetadata.json${query}`,
      "/originals/",
      `/originals/${new URL(link).pathname.split("/")[2]}/`,
    ]) {
      expect(await rawGet(path), path).toBe(404);
    }
  });

  it("says the image is no longer kept once its run folder is gone", async () => {
    const runId = new URL(link).pathname.split("/")[2] ?? "";
    await bot.running.context.runs.remove(runId);
    const response = await fetch(link);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("no longer kept");
  });
});
