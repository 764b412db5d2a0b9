import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Spend } from "../../src/budget/ledger.js";
import { newRunId } from "../../src/core/run-id.js";
import { lighthouseJob, type Pipeline, runJob, startPipeline } from "../helpers/pipeline.js";

/**
 * The worker's half of a budget: the intake reserved a job's most possible cost; when the job ends the
 * worker settles it to what OpenAI reported, or gives it all back when the job ends without images. Checked
 * to the micro-dollar on the real Redis, against the fake OpenAI's failures.
 */
let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline("budget-settle");
});
afterAll(() => pipeline.close());
beforeEach(() => pipeline.fake.reset());

let people = 0;
const reservation: Spend = { micro: 2_000_000, images: 1 };

/** Reserves like the intake, enqueues the job straight away, and waits for its end. */
async function reservedJob(attempts = 1) {
  const user = { platform: "test", id: `payer-${++people}` };
  const runId = newRunId();
  const budget = pipeline.deps.budget;
  if (budget === undefined) throw new Error("the pipeline has no budget ledger");
  await budget.reserve(runId, user, reservation);
  const outcome = await runJob(
    pipeline,
    lighthouseJob({ runId, user, prompt: "a paid lighthouse" }),
    attempts,
  );
  const spent = await budget.spent({ kind: "user", id: `${user.platform}:${user.id}` }, "day");
  return { ...outcome, runId, spent };
}

describe("the worker settles what the intake reserved", () => {
  it("to the cost OpenAI reported, exact to the micro-dollar, when the images are made", async () => {
    const { error, runId, spent } = await reservedJob();
    expect(error).toBeUndefined();
    const metadata = await pipeline.deps.runs.getMetadata(runId);
    expect(metadata.cost?.source).toBe("usage");
    expect(metadata.cost?.microdollars).toBeGreaterThan(0);
    expect(spent).toEqual({ micro: metadata.cost?.microdollars, images: 1 });
  });

  it("refunds it all when moderation blocks the request", async () => {
    pipeline.fake.fail({ type: "moderation_blocked", stage: "input" });
    const { error, spent } = await reservedJob();
    expect(error?.message).toMatch(/^moderation_blocked_input: /);
    expect(spent).toEqual({ micro: 0, images: 0 });
  });

  it("refunds it all when OpenAI keeps failing and the job ends without images", async () => {
    // The engine's own tries (OPENAI_MAX_RETRIES + 1) all fail; OpenAI is then "unavailable", a final failure.
    const tries = pipeline.config.openai.maxRetries + 1;
    pipeline.fake.fail({ type: "server_error", status: 500 }, tries);
    const { error, spent } = await reservedJob();
    expect(error?.message).toMatch(/^openai_unavailable: /);
    expect(pipeline.fake.requests).toHaveLength(tries);
    expect(spent).toEqual({ micro: 0, images: 0 });
  });
});
