import sharp from "sharp";
import { expect } from "vitest";
import type { OpenAIConfig } from "../../src/config/types.js";
import { UserError } from "../../src/core/errors.js";
import type { InputFile } from "../../src/core/images.js";
import type { ImageRequest } from "../../src/core/request.js";
import type { EngineEvent } from "../../src/engine/events.js";
import type { FakeOpenAI } from "../fakes/openai/server.js";

export const API_KEY = "sk-test-engine-key";

/** An OpenAI config pointed at the fake, with retries fast enough for tests. */
export function openaiConfig(fake: FakeOpenAI, overrides: Partial<OpenAIConfig> = {}): OpenAIConfig {
  return {
    provider: "openai",
    apiKey: API_KEY,
    baseURL: fake.url,
    organization: undefined,
    project: undefined,
    azure: {
      endpoint: undefined,
      apiVersion: "2025-04-01-preview",
      apiKey: undefined,
      useEntraId: false,
      deployments: {},
      imageDeployment: undefined,
    },
    defaultImageModel: "gpt-image-2",
    readShutdownDates: false,
    defaultApi: "images",
    responsesModel: "gpt-5.5",
    finalModel: "gpt-image-2.5-sunburst",
    draftModel: "gpt-image-2.5-flare",
    finalizeBy: "requester-or-admin",
    timeoutMs: 10_000,
    maxRetries: 2,
    retryBaseMs: 5,
    safetyIdentifierSalt: "test-salt",
    imagesPerMinute: 0,
    ...overrides,
  };
}

/** A validated-looking request; tests override what they exercise. */
export function imageRequest(overrides: Partial<ImageRequest> = {}): ImageRequest {
  return {
    prompt: "a lighthouse at dusk, oil painting",
    model: "gpt-image-2",
    api: "images",
    size: "1024x1024",
    quality: "low",
    n: 1,
    format: "png",
    background: "auto",
    moderation: "auto",
    partials: 2,
    ...overrides,
  };
}

export async function collect(events: AsyncIterable<EngineEvent>): Promise<EngineEvent[]> {
  const out: EngineEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

/** The last event, asserted to be the final one. */
export function finalOf(events: EngineEvent[]): Extract<EngineEvent, { type: "final" }> {
  const last = events.at(-1);
  if (last?.type !== "final") throw new Error(`expected a final event last, got ${last?.type}`);
  return last;
}

/** Runs the stream to its end and returns the `UserError` it must end with. */
export async function userErrorOf(events: AsyncIterable<EngineEvent>): Promise<UserError> {
  const error = await collect(events).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

export async function pngFile(name: string, width = 64, height = 64, alpha = false): Promise<InputFile> {
  const bytes = await sharp({
    create: {
      width,
      height,
      channels: alpha ? 4 : 3,
      background: alpha ? { r: 0, g: 0, b: 0, alpha: 0 } : { r: 200, g: 80, b: 40 },
    },
  })
    .png()
    .toBuffer();
  return { name, bytes, contentType: "image/png" };
}

/** The fake's model requests (generations, edits, responses), without anything else it recorded. */
export function modelRequests(fake: FakeOpenAI) {
  return fake.requests.filter((request) => request.method === "POST");
}
