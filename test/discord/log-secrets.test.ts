import { readdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { holdAfterPartials } from "../helpers/pace.js";
import { waitFor } from "../helpers/wait-for.js";
import { type DiscordBot, startDiscordBot } from "./harness.js";

let bot: DiscordBot;
beforeAll(async () => {
  // Every level: a secret in a debug line is as leaked as one in an error line.
  bot = await startDiscordBot("discord-log-secrets", { logLevel: "trace" });
});
afterAll(() => bot.close());

/** Every line the bot logged, as it would reach a log file. */
const logText = () => bot.logs.map((record) => JSON.stringify(record)).join("\n");

type LoggedError = { msg: string; err: Record<string, unknown> };

/** The first log line whose error `matches`. */
const logged = (what: string, matches: (err: Record<string, unknown>) => boolean) =>
  waitFor(what, () =>
    bot.logs
      .map((record) => ({ msg: record.msg, err: record.err as Record<string, unknown> | undefined }))
      .find((line): line is LoggedError => line.err !== undefined && matches(line.err)),
  );

/**
 * The ways a log line could spell these bytes: base64 (standard and URL-safe, from the start and from the
 * middle), hex, and the number array pino prints a Buffer as.
 */
function spellings(bytes: Buffer): string[] {
  const middle = bytes.subarray(300, 345); // a multiple of 3, so its base64 lines up with the whole file's
  return [
    bytes.toString("base64").slice(0, 40),
    middle.toString("base64"),
    middle.toString("base64url"),
    middle.toString("hex"),
    [...middle].join(","),
  ];
}

/** The partial frames the fake OpenAI sent, as the run folder stored them. */
async function storedPartials(): Promise<Buffer[]> {
  const files = await readdir(bot.storageDir, { recursive: true });
  const partials = files.filter((file) => basename(file).startsWith("partial_"));
  return Promise.all(partials.map((file) => readFile(join(bot.storageDir, file))));
}

describe("logged Discord failures", () => {
  it("name the failing route without its token and carry no image bytes", async () => {
    const { discord } = bot;
    const applicationId = discord.applicationId;

    // (a) An edit carrying a partial frame is refused with a 400.
    const stream = holdAfterPartials(bot.openai, 0);
    const drawn = await discord.slash("imagine", { prompt: "a paper lantern", partials: 2 });
    // The job has shown "Generating…" before it calls OpenAI: the next edit of the reply carries a frame.
    await waitFor("the call to OpenAI", () => bot.openai.requests.length > 0);
    discord.fail({
      match: new RegExp(`^PATCH /webhooks/${applicationId}/${drawn.token}/messages/@original$`),
      status: 400,
      code: 50035,
      message: "Invalid Form Body",
    });
    stream.release();
    const frameRefused = await logged("the refused frame in the log", (err) => err.status === 400);
    await bot.finalReply(drawn);
    const refused = discord.requests.find(
      (request) => request.status === 400 && request.path.includes(drawn.token),
    );
    const sentFrame = refused?.fileBytes[0];
    expect(sentFrame?.length ?? 0).toBeGreaterThan(1_000);

    // (b) The reply to an interaction comes too late: Discord no longer knows it (10062), twice.
    discord.fail({
      times: 2,
      match: /^POST \/interactions\/\d+\/[^/]+\/callback$/,
      status: 404,
      code: 10062,
      message: "Unknown interaction",
    });
    const late = await discord.slash("imagine", { prompt: "a late owl", partials: 0 });
    const unknown = await logged("the unknown interaction in the log", (err) => err.code === 10062);
    await waitFor("the failed answer in the log", () =>
      bot.logs.find((record) => record.msg === "failed interaction not answered"),
    );
    await bot.idle();

    // The failures were logged (a log that says nothing would pass the scan below).
    expect(frameRefused.msg).toMatch(/intermediate render failed/);
    expect(frameRefused.err).toMatchObject({ code: 50035, method: "PATCH" });
    expect(unknown.err).toMatchObject({ code: 10062, method: "POST" });

    const text = logText();
    for (const token of [drawn.token, late.token, discord.token]) expect(text).not.toContain(token);
    const images = [sentFrame ?? Buffer.alloc(0), ...(await storedPartials())];
    expect(images.length).toBeGreaterThan(1);
    for (const image of images) {
      for (const spelling of spellings(image)) expect(text).not.toContain(spelling);
    }
    expect(text).not.toContain("[137,80,78,71");
    expect(text).not.toContain('"type":"Buffer"');

    // Still naming the route that failed, with the token rewritten.
    expect(String(frameRefused.err.url)).toContain(`/webhooks/${applicationId}/[token]/messages/`);
    expect(String(unknown.err.url)).toContain(`/interactions/${late.id}/[token]/callback`);
  });
});
