import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newRunId } from "../../src/core/run-id.js";
import { checkOptions, enqueueRun } from "../../src/intake/enqueue-run.js";
import { createLogger } from "../../src/logger.js";
import { type Pipeline, settled, startPipeline } from "../helpers/pipeline.js";

/** Everything the process logs, as text. */
class LogCapture extends Writable {
  text = "";
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

const API_KEY = "sk-proj-logs-test-0123456789abcdef";
/** A run of base64 this long is an image (or a key), never a log message. */
const BASE64_RUN = /[A-Za-z0-9+/]{400,}/;

let pipeline: Pipeline;
const capture = new LogCapture();

beforeAll(async () => {
  pipeline = await startPipeline("logs", { OPENAI_API_KEY: API_KEY }, createLogger("trace", capture));
});
afterAll(() => pipeline.close());

async function run(raw: Record<string, unknown>) {
  const runId = newRunId();
  const done = settled(pipeline.worker, runId);
  await enqueueRun(pipeline.queues, pipeline.deps.runs, {
    runId,
    request: checkOptions(raw, { imageCount: 0, hasMask: false }, { model: "gpt-image-2" }),
    inputs: { images: [] },
    user: { platform: "discord", id: "123456789012345678" },
    reply: { kind: "terminal" },
  });
  return done;
}

describe("logs at the most verbose level", () => {
  it("carry job context but never the API key or image data, through success, retries and refusals", async () => {
    await run({ prompt: "a lighthouse", partials: "2" });
    pipeline.fake.fail({ type: "rate_limit", retryAfterSeconds: 0 });
    await run({ prompt: "a harbour", partials: "1" });
    pipeline.fake.fail({ type: "unauthorized" });
    const refused = await run({ prompt: "a gull" });
    pipeline.fake.fail({ type: "moderation_blocked", stage: "output" });
    await run({ prompt: "a storm" });
    expect(refused.error?.message).toMatch(/^openai_auth: /);

    const lines = capture.text.trim().split("\n");
    expect(lines.length).toBeGreaterThan(5);
    expect(capture.text).toMatch(/"jobId":"\d{8}-\d{6}-[0-9a-f]{8}"/);
    expect(capture.text).toMatch(/retrying/);
    expect(capture.text).not.toContain(API_KEY);
    expect(capture.text).not.toContain(API_KEY.slice(-12));
    expect(capture.text).not.toMatch(BASE64_RUN);
  });

  it("censor keys, tokens and base64 payloads wherever a caller puts them", () => {
    const out = new LogCapture();
    const logger = createLogger("info", out);
    logger.info(
      {
        apiKey: API_KEY,
        headers: { authorization: `Bearer ${API_KEY}`, "api-key": API_KEY },
        request: { token: "xoxb-123-456-secret", b64_json: "iVBORw0KGgo".repeat(50) },
      },
      "a careless log line",
    );
    expect(out.text).toContain("a careless log line");
    expect(out.text).not.toContain(API_KEY);
    expect(out.text).not.toContain("xoxb-123-456-secret");
    expect(out.text).not.toContain("iVBORw0KGgo");
  });
});
