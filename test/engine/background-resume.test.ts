import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/engine.js";
import type { EngineEvent, ResponseCheckpoint } from "../../src/engine/events.js";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai/server.js";
import { holdAfterPartials } from "../helpers/pace.js";
import { waitFor } from "../helpers/wait-for.js";
import { collect, finalOf, imageRequest, openaiConfig } from "./helpers.js";

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const request = imageRequest({ api: "responses", partials: 2 });

const creates = () => fake.requests.filter((r) => r.method === "POST" && r.path === "/v1/responses");
const resumes = () => fake.requests.filter((r) => r.method === "GET" && r.query.stream === "true");
const cancels = () => fake.requests.filter((r) => r.path.endsWith("/cancel"));
const partials = (events: EngineEvent[]) => events.filter((event) => event.type === "partial");

/**
 * Holds the response's generation after its first partial until someone resumes its stream: the resume
 * then finds it still running, as it would a real minute-long generation.
 */
function holdUntilResumed(): void {
  const hold = holdAfterPartials(fake, 1);
  void waitFor("a resumed stream", () => resumes().length > 0).then(() => hold.release());
}

/** The events before the created response's first partial: created, queued, in_progress, item added, … */
const EVENTS_BEFORE_FIRST_PARTIAL = 6;

describe("Responses API in background mode", () => {
  it("creates the response in the background and reports where it got to", async () => {
    const checkpoints: ResponseCheckpoint[] = [];
    const engine = createEngine(openaiConfig(fake));
    const final = finalOf(
      await collect(engine(request, { images: [] }, { onCheckpoint: async (c) => void checkpoints.push(c) })),
    );
    expect(creates()[0]?.json).toMatchObject({ background: true, stream: true, store: true });
    const id = final.responseId;
    expect(id).toMatch(/^resp_/);
    // Once the response exists, then after each partial shown.
    expect(checkpoints).toEqual([
      { responseId: id, sequence: 0 },
      { responseId: id, sequence: EVENTS_BEFORE_FIRST_PARTIAL },
      { responseId: id, sequence: EVENTS_BEFORE_FIRST_PARTIAL + 1 },
    ]);
  });

  it("resumes a stream cut halfway after the last event it handled, without a second generation", async () => {
    holdUntilResumed();
    fake.fail({ type: "stream_cut", afterEvents: EVENTS_BEFORE_FIRST_PARTIAL + 1 });
    const engine = createEngine(openaiConfig(fake));
    const events = await collect(engine(request, { images: [] }));
    const final = finalOf(events);
    expect(final.attempts).toBe(2);
    expect(final.images).toHaveLength(1);
    expect(final.text).toMatch(/^Here is your image/);
    expect(creates()).toHaveLength(1);
    expect(resumes()).toMatchObject([{ query: { starting_after: String(EVENTS_BEFORE_FIRST_PARTIAL) } }]);
    // The partial before the cut is not sent twice.
    expect(partials(events).map((event) => event.type === "partial" && event.index)).toEqual([0, 1]);
  });

  it("lets another engine (a worker after a crash) resume from the saved checkpoint", async () => {
    holdUntilResumed();
    // The first worker's connection dies after the first partial, and it never retries.
    fake.fail({ type: "stream_cut", afterEvents: EVENTS_BEFORE_FIRST_PARTIAL + 1 });
    const saved: ResponseCheckpoint[] = [];
    const dying = createEngine(openaiConfig(fake, { maxRetries: 0 }));
    const lost = collect(dying(request, { images: [] }, { onCheckpoint: async (c) => void saved.push(c) }));
    await expect(lost).rejects.toMatchObject({ code: "openai_unavailable" });
    const checkpoint = saved.at(-1);
    expect(checkpoint?.sequence).toBe(EVENTS_BEFORE_FIRST_PARTIAL);

    const next = createEngine(openaiConfig(fake));
    const events = await collect(next(request, { images: [] }, { resumeFrom: checkpoint }));
    expect(finalOf(events).responseId).toBe(checkpoint?.responseId);
    expect(partials(events)).toHaveLength(1);
    expect(creates()).toHaveLength(1);
    expect(cancels()).toHaveLength(0);
    expect(resumes()).toHaveLength(1);
  });

  it("replays a response that finished while nobody read it: the frames made meanwhile, then its final", async () => {
    const engine = createEngine(openaiConfig(fake));
    const first = finalOf(await collect(engine(request, { images: [] })));
    // The dead worker had read up to the response's creation: both partials were made with no one reading.
    const events = await collect(
      engine(request, { images: [] }, { resumeFrom: { responseId: first.responseId ?? "", sequence: 0 } }),
    );
    const resumed = finalOf(events);
    expect(resumed.responseId).toBe(first.responseId);
    expect(resumed.images[0]?.bytes.equals(first.images[0]?.bytes ?? Buffer.alloc(0))).toBe(true);
    expect(partials(events).map((event) => event.type === "partial" && event.index)).toEqual([0, 1]);
    expect(creates()).toHaveLength(1);
    expect(resumes()).toMatchObject([{ query: { starting_after: "0" } }]);
  });

  it("cancels a response stuck in the queue after a disconnect, and makes it again once", async () => {
    fake.fail({ type: "stuck_queued" });
    const engine = createEngine(openaiConfig(fake));
    const final = finalOf(await collect(engine(request, { images: [] })));
    expect(creates()).toHaveLength(2);
    expect(cancels()).toHaveLength(1);
    const stuckId = cancels()[0]?.path.split("/")[3];
    expect(stuckId).not.toBe(final.responseId);
  });

  it("cancels the response on OpenAI's side when the caller aborts between two attempts", async () => {
    // A fake of its own: its held generation must not meet the next test's pace hook.
    const own = await startFakeOpenAI();
    const hold = holdAfterPartials(own, 1);
    own.fail({ type: "stream_cut", afterEvents: EVENTS_BEFORE_FIRST_PARTIAL + 1 });
    const controller = new AbortController();
    // The cut is retried after a back-off long enough to be certain the abort comes during it.
    const lines: string[] = [];
    const logger = pino(
      { level: "warn" },
      {
        write: (line: string) => {
          lines.push(line);
          if (line.includes("retrying")) controller.abort(new Error("cancelled"));
        },
      },
    );
    const engine = createEngine(openaiConfig(own, { retryBaseMs: 60_000 }), { logger });
    await expect(collect(engine(request, { images: [] }, { signal: controller.signal }))).rejects.toThrow(
      "cancelled",
    );
    hold.release();
    expect(lines.some((line) => line.includes("retrying"))).toBe(true);
    expect(own.requests.filter((r) => r.method === "POST" && r.path === "/v1/responses")).toHaveLength(1);
    expect(own.requests.filter((r) => r.path.endsWith("/cancel"))).toHaveLength(1);
    await own.close();
  });

  it("cancels the response on OpenAI's side when the caller aborts, so it is not made and billed", async () => {
    const hold = holdAfterPartials(fake, 1);
    const controller = new AbortController();
    const engine = createEngine(openaiConfig(fake));
    const events = engine(request, { images: [] }, { signal: controller.signal });
    const outcome = (async () => {
      for await (const event of events)
        if (event.type === "partial") controller.abort(new Error("cancelled"));
    })();
    await expect(outcome).rejects.toThrow("cancelled");
    hold.release();
    expect(cancels()).toHaveLength(1);
    const id = cancels()[0]?.path.split("/")[3] ?? "";
    const retrieved = await fetch(`${fake.url}/responses/${id}`, { headers: { authorization: "Bearer k" } });
    expect(((await retrieved.json()) as { status: string }).status).toBe("cancelled");
  });
  it.each([
    ["moderation_blocked", "moderation_blocked"],
    ["invalid_value", "openai_bad_request"],
  ])(
    "cancels the response still running on OpenAI when the stream reports the error event %s",
    async (openaiCode, code) => {
      // A fake of its own: its held generation must not meet the next test's pace hook.
      const own = await startFakeOpenAI();
      // The generation runs on past the error event, as OpenAI's does, until it is cancelled.
      const hold = holdAfterPartials(own, 1);
      own.fail({
        type: "stream_error",
        afterEvents: EVENTS_BEFORE_FIRST_PARTIAL + 1,
        code: openaiCode,
        message: "This request was refused.",
      });
      const engine = createEngine(openaiConfig(own));
      await expect(collect(engine(request, { images: [] }))).rejects.toMatchObject({ code });
      const cancelled = own.requests.filter((r) => r.path.endsWith("/cancel"));
      hold.release();
      expect(cancelled).toHaveLength(1);
      const created = own.requests.filter((r) => r.method === "POST" && r.path === "/v1/responses");
      expect(created).toHaveLength(1);
      const id = cancelled[0]?.path.split("/")[3] ?? "";
      const retrieved = await fetch(`${own.url}/responses/${id}`, { headers: { authorization: "Bearer k" } });
      expect(((await retrieved.json()) as { status: string }).status).toBe("cancelled");
      await own.close();
    },
  );

  it("does not cancel on a transient error event: the next attempt resumes the same response", async () => {
    holdUntilResumed();
    fake.fail({ type: "stream_error", afterEvents: EVENTS_BEFORE_FIRST_PARTIAL + 1, code: "server_error" });
    const engine = createEngine(openaiConfig(fake, { retryBaseMs: 1 }));
    const final = finalOf(await collect(engine(request, { images: [] })));
    expect(final.images).toHaveLength(1);
    expect(creates()).toHaveLength(1);
    expect(cancels()).toEqual([]);
  });
});
