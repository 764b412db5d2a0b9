import OpenAI from "openai";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { UserError } from "../../src/core/errors.js";
import type { InputFile } from "../../src/core/images.js";
import { DESCRIBE_SHAPE, describeAsk, describedPrompts, enhanceAsk } from "../../src/core/studio-asks.js";
import { createTextModel, type TextModel } from "../../src/engine/text-call.js";
import { DEFAULT_PRICES } from "../../src/pricing/prices.js";
import { textCallCeiling, textCallCost } from "../../src/pricing/text-call.js";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai/server.js";
import { API_KEY, openaiConfig } from "./helpers.js";

let fake: FakeOpenAI;
let text: TextModel;
let green: InputFile;
beforeAll(async () => {
  fake = await startFakeOpenAI();
  text = createTextModel(openaiConfig(fake));
  const bytes = await sharp({ create: { width: 800, height: 600, channels: 3, background: "#22aa44" } })
    .png()
    .toBuffer();
  green = { name: "image_0.png", bytes, contentType: "image/png" };
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

async function failureOf(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof UserError)) throw new Error(`expected a UserError, got ${String(error)}`);
  return error;
}

/** A raw Responses call to the fake, for what the bot never sends but OpenAI refuses. */
const client = () => new OpenAI({ apiKey: API_KEY, baseURL: fake.url, maxRetries: 0 });

describe("the text call to the Responses model", () => {
  it("describes an image: 3 prompts from what it sees, usage priced under the reservation, no bytes in the record", async () => {
    const answer = await text(describeAsk(green));
    const prompts = describedPrompts(answer.text);
    expect(prompts).toHaveLength(3);
    for (const prompt of prompts) expect(prompt).toContain("a green picture, 800x600");
    expect(answer.attempts).toBe(1);
    const cost = textCallCost(answer.usage, "gpt-5.5", DEFAULT_PRICES);
    expect(cost?.textModel?.inputTokens).toBeGreaterThan(255);
    const ceiling = textCallCeiling(DESCRIBE_SHAPE, "gpt-5.5", DEFAULT_PRICES);
    expect(cost?.microdollars).toBeLessThan(ceiling.microdollars);
    expect(JSON.stringify(answer.sentParameters)).not.toContain("base64");
    expect(JSON.stringify(answer.sentParameters)).toContain('"size":');
  });

  it("rewrites a prompt as plain text, in the person's words", async () => {
    const answer = await text(enhanceAsk("ein Leuchtturm bei Nacht"));
    expect(answer.text).toMatch(/^ein Leuchtturm bei Nacht, in rich detail/);
    expect(fake.requests[0]?.json).toMatchObject({ max_output_tokens: 2000, store: false });
  });

  it("retries a 429 and a 500 as the engine does, and stops on insufficient_quota", async () => {
    fake.fail({ type: "rate_limit", retryAfterSeconds: 0.01 });
    fake.fail({ type: "server_error", status: 500 });
    const answer = await text(enhanceAsk("a kite"));
    expect(answer.attempts).toBe(3);
    fake.fail({ type: "insufficient_quota" });
    expect((await failureOf(text(enhanceAsk("a kite")))).code).toBe("insufficient_quota");
  });

  it("an answer cut at its token cap is no answer: text_answer_missing", async () => {
    const error = await failureOf(text({ ...enhanceAsk("a kite"), maxOutputTokens: 20 }));
    expect(error.code).toBe("text_answer_missing");
    expect(error.message).toBe("The model gave no usable answer, so nothing was made; try again.");
  });

  it("the fake refuses what OpenAI refuses: a cap under 16, an image URL that is no data or https URL, an SVG", async () => {
    const under = await failureOf(text({ ...enhanceAsk("a kite"), maxOutputTokens: 10 }));
    expect(under.code).toBe("openai_bad_request");
    expect(under.message).toContain("Expected a value >= 16, but got 10 instead.");

    const input = (imageUrl: string) => [
      {
        role: "user" as const,
        content: [{ type: "input_image" as const, image_url: imageUrl, detail: "auto" as const }],
      },
    ];
    const ask = { model: "gpt-5.5", instructions: "Describe it." };
    await expect(
      client().responses.create({ ...ask, input: input("file:///etc/passwd") }),
    ).rejects.toMatchObject({
      status: 400,
      code: "invalid_image_url",
    });
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>').toString(
      "base64",
    );
    await expect(
      client().responses.create({ ...ask, input: input(`data:image/svg+xml;base64,${svg}`) }),
    ).rejects.toMatchObject({ status: 400, code: "invalid_image_format" });
  });
});
