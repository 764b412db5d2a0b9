import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reservationFor } from "../../src/budget/job-cost.js";
import { BudgetLedger } from "../../src/budget/ledger.js";
import { newRunId } from "../../src/core/run-id.js";
import { styledRequest } from "../../src/core/thread-style.js";
import { checkOptions } from "../../src/intake/enqueue-run.js";
import type { IntakePort } from "../../src/intake/intake-port.js";
import { requestShape, submitRequest } from "../../src/intake/submit-request.js";
import { ThreadStyleStore } from "../../src/stores/thread-style.js";
import { UserLimits } from "../../src/stores/user-limits.js";
import { type Pipeline, startPipeline } from "../helpers/pipeline.js";
import { waitFor } from "../helpers/wait-for.js";

let pipeline: Pipeline;
let budget: BudgetLedger;
let styles: ThreadStyleStore;
beforeAll(async () => {
  pipeline = await startPipeline("style-pricing");
  const none = { usd: 0, images: 0 };
  budget = new BudgetLedger(pipeline.redis, pipeline.config.queuePrefix, {
    user: { day: { usd: 50, images: 0 }, month: none },
    server: { day: none, month: none },
    global: { day: none, month: none },
  });
  styles = new ThreadStyleStore(pipeline.redis, pipeline.config.queuePrefix);
});
afterAll(() => pipeline.close());

const port: IntakePort = {
  replyKind: "terminal",
  postStatus: async () => ({ reply: { kind: "terminal" } }),
  withdraw: async () => undefined,
};

describe("a turn in a thread with a pinned style", () => {
  it("reserves for the pinned images and sentence before it is queued, and sends what it reserved for", async () => {
    const user = { platform: "discord", id: "100000000000000077" };
    const thread = { platform: "discord", workspace: "200000000000000001", thread: "300000000000000001" };
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#864" } })
      .png()
      .toBuffer();
    const folder = newRunId();
    const keys = await Promise.all(
      [0, 1, 2].map((index) => pipeline.deps.runs.putInput(folder, `style_${index}.png`, png)),
    );
    await styles.pinImages(thread, keys, 16);
    await styles.pinSentence(thread, "woodcut, two colours");

    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    pipeline.fake.pace(() => held);
    const raw = { prompt: "a fox", api: "responses", partials: 0 };
    const defaults = { model: "gpt-image-2" };
    const { runId } = await submitRequest(
      {
        queues: pipeline.queues,
        runs: pipeline.deps.runs,
        limits: new UserLimits(pipeline.redis, pipeline.config.queuePrefix, { maxActiveJobs: 2 }),
        budget,
        styles,
        config: pipeline.config,
      },
      { ask: { raw, defaults }, user, thread },
      port,
    );
    const request = checkOptions(raw, { imageCount: 0, hasMask: false }, defaults);
    const pricing = { prices: pipeline.config.prices, responsesModel: pipeline.config.openai.responsesModel };
    const styled = { ...requestShape({ thread }, styledRequest(request, await styles.get(thread)), 3) };
    const plain = requestShape({ thread }, request);
    const reserved = await budget.spent({ kind: "user", id: `discord:${user.id}` }, "day");
    expect(reserved.micro).toBe(reservationFor(styled, pricing).micro);
    expect(reserved.micro).toBeGreaterThan(reservationFor(plain, pricing).micro);
    release();
    pipeline.fake.pace(undefined);

    await waitFor("the job to end", async () =>
      (await pipeline.queue.getJobState(runId)) === "completed" ? true : undefined,
    );
    const metadata = await pipeline.deps.runs.getMetadata(runId);
    expect(metadata.style).toEqual({ sentence: "woodcut, two colours", imageKeys: keys });
    expect(metadata.inputs.images).toEqual([]);
    const sent = JSON.stringify(pipeline.fake.requests.at(-1)?.json);
    expect(sent.split('"input_image"').length - 1).toBe(3);
    expect(sent).toContain("Style: woodcut, two colours");
  });

  it("fails a turn whose pinned image is no longer stored before OpenAI is asked, and gives the reservation back", async () => {
    const user = { platform: "discord", id: "100000000000000078" };
    const thread = { platform: "discord", workspace: "200000000000000001", thread: "300000000000000002" };
    const gone = `${newRunId()}/inputs/style_0.png`;
    await styles.pinImages(thread, [gone], 16);
    const before = pipeline.fake.requests.length;
    const { runId } = await submitRequest(
      {
        queues: pipeline.queues,
        runs: pipeline.deps.runs,
        limits: new UserLimits(pipeline.redis, pipeline.config.queuePrefix, { maxActiveJobs: 2 }),
        budget,
        styles,
        config: pipeline.config,
      },
      {
        ask: { raw: { prompt: "a hare", api: "responses" }, defaults: { model: "gpt-image-2" } },
        user,
        thread,
      },
      port,
    );
    const job = await waitFor("the job to fail", async () => {
      const found = await pipeline.queue.getJob(runId);
      return (await found?.getState()) === "failed" ? found : undefined;
    });
    expect(job.failedReason).toBe(
      "style_image_gone: An image pinned as this thread's style is no longer stored (old files are removed after a while), so nothing was made; unpin the style and pin it again.",
    );
    expect(pipeline.fake.requests.length).toBe(before);
    const spent = () => budget.spent({ kind: "user", id: `discord:${user.id}` }, "day");
    await waitFor("the reservation given back", async () => ((await spent()).micro === 0 ? true : undefined));
    expect(await spent()).toEqual({ micro: 0, images: 0 });
  });
});
