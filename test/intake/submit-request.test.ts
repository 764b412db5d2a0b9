import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BudgetLedger } from "../../src/budget/ledger.js";
import { UserError } from "../../src/core/errors.js";
import type { IntakePort } from "../../src/intake/intake-port.js";
import type { AttachmentRef, IntakeRequest } from "../../src/intake/intake-request.js";
import { submitRequest } from "../../src/intake/submit-request.js";
import { UserLimits } from "../../src/stores/user-limits.js";
import { type Pipeline, startPipeline } from "../helpers/pipeline.js";
import { waitFor } from "../helpers/wait-for.js";

let pipeline: Pipeline;
let limits: UserLimits;
let budget: BudgetLedger;
let png: Buffer;
beforeAll(async () => {
  pipeline = await startPipeline("intake");
  limits = new UserLimits(pipeline.redis, pipeline.config.queuePrefix, { maxActiveJobs: 1 });
  const none = { usd: 0, images: 0 };
  // Room for one high-quality 1024x1024 image a day per person.
  budget = new BudgetLedger(pipeline.redis, pipeline.config.queuePrefix, {
    user: { day: { usd: 0.3, images: 0 }, month: none },
    server: { day: none, month: none },
    global: { day: none, month: none },
  });
  png = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#468" } })
    .png()
    .toBuffer();
});
afterAll(() => pipeline.close());

let userCount = 0;
/** A person of their own per test: slots never leak from one test into another. */
const someone = () => ({ platform: "discord", id: `1000000000000000${++userCount}` });

/** A platform that records what the intake asked of it, in order; the worker answers on the terminal. */
function recordingPort(events: string[]): IntakePort {
  return {
    replyKind: "terminal",
    async accept() {
      events.push("accept");
    },
    async postStatus({ position }) {
      events.push(`status (position ${position})`);
      return { reply: { kind: "terminal" } };
    },
    async withdraw() {
      events.push("withdraw");
    },
  };
}

function attachment(events: string[], name: string, bytes: Buffer): AttachmentRef {
  return {
    name,
    async download() {
      events.push(`download ${name}`);
      return { name, bytes };
    },
  };
}

const deps = () => ({
  queues: pipeline.queues,
  runs: pipeline.deps.runs,
  limits,
  budget,
  config: pipeline.config,
});
const spentToday = (user: { platform: string; id: string }) =>
  budget.spent({ kind: "user", id: `${user.platform}:${user.id}` }, "day");
const defaults = { model: "gpt-image-2" };

async function refusal(request: IntakeRequest, events: string[]): Promise<UserError> {
  const error = await submitRequest(deps(), request, recordingPort(events)).catch(
    (caught: unknown) => caught,
  );
  if (!(error instanceof UserError)) throw new Error(`expected a UserError, got ${String(error)}`);
  return error;
}

describe("one intake, cheapest check first", () => {
  it("refuses bad options before acknowledging, downloading or taking a slot", async () => {
    const events: string[] = [];
    const user = someone();
    const error = await refusal(
      {
        ask: { raw: { prompt: "a fox", size: "1000x1000" }, defaults },
        images: [attachment(events, "a.png", png)],
        user,
      },
      events,
    );
    expect(error.code).toBe("size_not_multiple_of_16");
    // Nothing acknowledged, fetched or taken; the port is told, and has nothing to take back.
    expect(events).toEqual(["withdraw"]);
    await limits.acquire(user, "probe");
    await limits.release(user, "probe");
  });

  it("takes back an acknowledgement made before the intake (a Discord burst) when the options are refused", async () => {
    const events: string[] = [];
    const port = recordingPort(events);
    await port.accept?.();
    const error = await submitRequest(
      deps(),
      { ask: { raw: { prompt: "a fox", size: "1000x1000" }, defaults }, user: someone() },
      port,
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect(events).toEqual(["accept", "withdraw"]);
  });

  it("counts stored and attached images against the model before fetching any", async () => {
    const events: string[] = [];
    const error = await refusal(
      {
        ask: { raw: { prompt: "merge them" }, defaults },
        images: Array.from({ length: 10 }, (_, index) => attachment(events, `${index}.png`, png)),
        storedImageKeys: Array.from({ length: 7 }, (_, index) => `old/final_${index}.png`),
        user: someone(),
      },
      events,
    );
    expect(error.code).toBe("too_many_images");
    expect(events).toEqual(["withdraw"]);
  });

  it("refuses a person over their limit before downloading, and takes back the acknowledgement", async () => {
    const events: string[] = [];
    const user = someone();
    await limits.acquire(user, "already-running");
    const error = await refusal(
      { ask: { raw: { prompt: "a fox" }, defaults }, images: [attachment(events, "a.png", png)], user },
      events,
    );
    expect(error.message).toContain("already have 1 request in progress");
    expect(events).toEqual(["accept", "withdraw"]);
    await limits.release(user, "already-running");
  });

  it("refuses a request its person's budget cannot cover before downloading, saying what is left", async () => {
    const events: string[] = [];
    const user = someone();
    const error = await refusal(
      {
        ask: { raw: { prompt: "two foxes", n: 2, quality: "high", size: "1024x1024" }, defaults },
        images: [attachment(events, "a.png", png)],
        user,
      },
      events,
    );
    expect(error.code).toBe("budget_exceeded");
    expect(error.message).toMatch(
      /^Your daily budget of \$0\.30 has \$0\.30 left; this request may cost up to \$0\.4\d\./,
    );
    expect(events).toEqual(["accept", "withdraw"]);
    expect(await spentToday(user)).toEqual({ micro: 0, images: 0 });
  });

  it("refuses a file that is no image after downloading it, frees the slot and withdraws the status", async () => {
    const events: string[] = [];
    const user = someone();
    const error = await refusal(
      {
        ask: { raw: { prompt: "edit this" }, defaults },
        images: [attachment(events, "notes.png", Buffer.from("plain text, not a PNG"))],
        user,
      },
      events,
    );
    expect(error.code).toBe("image_unreadable");
    expect(events).toEqual(["accept", "download notes.png", "withdraw"]);
    expect(await spentToday(user)).toEqual({ micro: 0, images: 0 });
    // The slot taken for it is free again.
    await limits.acquire(user, "next");
    await limits.release(user, "next");
  });

  it("queues a valid request after the downloads, with the status posted last, and the worker runs it", async () => {
    const events: string[] = [];
    const user = someone();
    const { runId } = await submitRequest(
      deps(),
      {
        ask: { raw: { prompt: "make it blue", partials: 0 }, defaults },
        images: [attachment(events, "a.png", png)],
        user,
      },
      recordingPort(events),
    );
    expect(events).toEqual(["accept", "download a.png", expect.stringMatching(/^status \(position \d+\)$/)]);
    const state = await waitFor("the job to end", async () => {
      const now = await pipeline.queue.getJobState(runId);
      return now === "completed" || now === "failed" ? now : undefined;
    });
    expect(state).toBe("completed");
    const metadata = await pipeline.deps.runs.getMetadata(runId);
    expect(metadata.finals).toHaveLength(1);
    expect(metadata.inputs.images).toEqual([`${runId}/inputs/image_0.png`]);
    // Reserved at intake, settled by the worker to what OpenAI reported.
    expect(metadata.cost?.source).toBe("usage");
    expect(await spentToday(user)).toEqual({ micro: metadata.cost?.microdollars, images: 1 });
  });
});
