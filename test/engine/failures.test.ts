import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/engine.js";
import { ENGINE_ERROR_CODES } from "../../src/engine/user-errors.js";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai/server.js";
import { holdAfterPartials } from "../helpers/pace.js";
import { collect, finalOf, imageRequest, modelRequests, openaiConfig, userErrorOf } from "./helpers.js";

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const generate = imageRequest({ partials: 2 });

/**
 * The idle timeout where a test waits it out: many times the longest gap between two events of the fake's
 * normal answer on a loaded 2-core machine (about 100 ms idle), so only a real silence reaches it.
 */
const SILENCE_MS = 1_500;

/** An engine logger that keeps the "retrying" warnings, parsed. */
function retryLog() {
  const lines: string[] = [];
  const logger = pino({ level: "warn" }, { write: (line: string) => lines.push(line) });
  return {
    logger,
    records: () =>
      lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((record) => record.msg === "openai request failed; retrying"),
  };
}
const responses = imageRequest({ api: "responses", partials: 2 });

describe("retried failures", () => {
  it("waits out a 429 for as long as retry-after says, then succeeds", async () => {
    fake.fail({ type: "rate_limit", retryAfterSeconds: 1 });
    const engine = createEngine(openaiConfig(fake));
    const started = Date.now();
    const final = finalOf(await collect(engine(generate, { images: [] })));
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(final.attempts).toBe(2);
    expect(modelRequests(fake)).toHaveLength(2);
  });

  it.each([500, 502, 503] as const)("retries a %i", async (status) => {
    fake.fail({ type: "server_error", status });
    const engine = createEngine(openaiConfig(fake));
    const final = finalOf(await collect(engine(generate, { images: [] })));
    expect(final.attempts).toBe(2);
    expect(modelRequests(fake)).toHaveLength(2);
  });

  it("starts an Images API stream cut halfway over (it cannot be resumed)", async () => {
    fake.fail({ type: "stream_cut", afterEvents: 2 });
    const engine = createEngine(openaiConfig(fake));
    const events = await collect(engine(generate, { images: [] }));
    const final = finalOf(events);
    expect(final.attempts).toBe(2);
    expect(final.images).toHaveLength(1);
    expect(modelRequests(fake)).toHaveLength(2);
  });

  it("retries an error event inside the stream", async () => {
    fake.fail({ type: "stream_error", afterEvents: 1, code: "server_error" });
    const engine = createEngine(openaiConfig(fake));
    const final = finalOf(await collect(engine(responses, { images: [] })));
    expect(final.attempts).toBe(2);
  });

  it("gives up after maxRetries + 1 requests with openai_rate_limited", async () => {
    fake.fail({ type: "rate_limit", retryAfterSeconds: 0 }, 10);
    const engine = createEngine(openaiConfig(fake, { maxRetries: 2 }));
    const error = await userErrorOf(engine(generate, { images: [] }));
    expect(error.code).toBe("openai_rate_limited");
    expect(error.kind).toBe("unavailable");
    expect(error.message).toContain("3 times");
    expect(error.details).toMatchObject({ attempts: 3, status: 429 });
    expect(error.details.requestId).toMatch(/^req_/);
    expect(modelRequests(fake)).toHaveLength(3);
  });

  it("gives up on a server that keeps failing with openai_unavailable", async () => {
    fake.fail({ type: "server_error" }, 10);
    const engine = createEngine(openaiConfig(fake, { maxRetries: 1 }));
    const error = await userErrorOf(engine(responses, { images: [] }));
    expect(error.code).toBe("openai_unavailable");
    expect(error.message).toContain("2 times");
    expect(modelRequests(fake)).toHaveLength(2);
  });

  // OpenAI's silence is made certain (a request never answered, a stream never continued), so the idle timeout
  // can be long enough that a retry's normal answer never outlasts it on a loaded machine, yet short enough
  // for a quick test; what is asserted is the retry and how it was classified, never how long it took.
  it("times out a hung request and retries it", async () => {
    const retries = retryLog();
    fake.fail({ type: "hang" });
    const engine = createEngine(openaiConfig(fake, { timeoutMs: SILENCE_MS }), { logger: retries.logger });
    const final = finalOf(await collect(engine(imageRequest({ partials: 0 }), { images: [] })));
    expect(final.attempts).toBe(2);
    expect(modelRequests(fake)).toHaveLength(2);
    // Whichever clock noticed first (the SDK's wait for headers or the engine's idle timeout), it is a
    // connection failure, retried.
    expect(retries.records()).toMatchObject([{ attempt: 1, reason: "connection" }]);
  });

  it("abandons a stream that stalls after its headers, and retries it", async () => {
    // Headers go out at once; the first event then waits for a pace that never comes.
    fake.pace(() => new Promise<void>(() => {}));
    const engine = createEngine(openaiConfig(fake, { timeoutMs: SILENCE_MS, maxRetries: 1 }));
    const error = await userErrorOf(engine(imageRequest({ partials: 0 }), { images: [] }));
    expect(error.code).toBe("openai_unavailable");
    expect(error.details).toMatchObject({ reason: "connection", attempts: 2 });
    expect(modelRequests(fake)).toHaveLength(2);
  });
});

describe("failures that are never retried", () => {
  const cases = [
    [
      { type: "bad_request", message: "Invalid size '999x999'.", param: "size" },
      "openai_bad_request",
      "Invalid size '999x999'.",
    ],
    [
      { type: "moderation_blocked", stage: "input" },
      "moderation_blocked_input",
      "prompt or the input images",
    ],
    [{ type: "moderation_blocked", stage: "output" }, "moderation_blocked_output", "generated image"],
    [{ type: "insufficient_quota" }, "insufficient_quota", "billing"],
    [{ type: "unauthorized" }, "openai_auth", "API key"],
    [{ type: "forbidden" }, "openai_forbidden", "https://platform.openai.com/settings/organization/general"],
  ] as const;

  it.each(cases)("%o → %s after exactly one request (Images API)", async (failure, code, message) => {
    fake.fail(failure, 5);
    const engine = createEngine(openaiConfig(fake));
    const error = await userErrorOf(engine(generate, { images: [] }));
    expect(error.code).toBe(code);
    expect(ENGINE_ERROR_CODES).toContain(code);
    expect(error.kind).toBe("refused");
    expect(error.message).toContain(message);
    expect(error.details.requestId).toMatch(/^req_/);
    expect(JSON.stringify(error.toJSON())).not.toContain("sk-test");
    expect(modelRequests(fake)).toHaveLength(1);
  });

  it.each(cases)("%o → %s after exactly one request (Responses API)", async (failure, code) => {
    fake.fail(failure, 5);
    const engine = createEngine(openaiConfig(fake));
    const error = await userErrorOf(engine(responses, { images: [] }));
    expect(error.code).toBe(code);
    expect(modelRequests(fake)).toHaveLength(1);
  });
});

describe("abort", () => {
  it("stops a hung request promptly and rethrows the abort", async () => {
    fake.fail({ type: "hang" });
    const engine = createEngine(openaiConfig(fake));
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const error = await collect(engine(generate, { images: [] }, { signal: controller.signal })).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: "AbortError" });
    // Without the abort it would take the 10 s timeout or the 30 s retry-after; 5 s leaves room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(modelRequests(fake)).toHaveLength(1);
  });

  it("does not retry after an abort during the backoff", async () => {
    fake.fail({ type: "rate_limit", retryAfterSeconds: 30 });
    const engine = createEngine(openaiConfig(fake));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    const error = await collect(engine(generate, { images: [] }, { signal: controller.signal })).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: "AbortError" });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(modelRequests(fake)).toHaveLength(1);
  });

  it("stops a running stream when aborted between partials", async () => {
    // The second partial is held back, so "between partials" does not depend on how fast the abort lands.
    holdAfterPartials(fake, 1);
    const engine = createEngine(openaiConfig(fake));
    const controller = new AbortController();
    const seen: string[] = [];
    const error = await (async () => {
      for await (const event of engine(generate, { images: [] }, { signal: controller.signal })) {
        seen.push(event.type);
        if (event.type === "partial") controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "AbortError" });
    expect(seen).toEqual(["partial"]);
    expect(modelRequests(fake)).toHaveLength(1);
  });
});

describe("logging", () => {
  it("logs each retry with its reason and request id, never keys or image data", async () => {
    const lines: string[] = [];
    const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(line) });
    fake.fail({ type: "stream_cut", afterEvents: 1 });
    fake.fail({ type: "server_error" });
    const engine = createEngine(openaiConfig(fake), { logger });
    finalOf(await collect(engine(generate, { images: [] })));

    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const retries = records.filter((record) => record.msg === "openai request failed; retrying");
    expect(retries.map((record) => record.reason)).toEqual(["stream_cut", "server_error"]);
    expect(retries[1]).toMatchObject({
      attempt: 2,
      status: 500,
      model: "gpt-image-2",
      endpoint: "images.generate",
    });
    expect(retries[1]?.requestId).toMatch(/^req_/);
    const all = lines.join("\n");
    expect(all).not.toContain("sk-test");
    expect(all).not.toMatch(/[A-Za-z0-9+/]{200}/);
  });
});
