import OpenAI, { NotFoundError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "./openai/server.js";

let fake: FakeOpenAI;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI({ shutdownDates: { "gpt-image-2.6-flare": "2027-06-01" } });
  client = new OpenAI({ apiKey: "sk-test", baseURL: fake.url, maxRetries: 0 });
});
afterAll(() => fake.close());

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

describe("GET /models", () => {
  it("answers the spec's Model object, with a null shutdown_date until one is announced", async () => {
    expect(await client.models.retrieve("gpt-image-2")).toEqual({
      id: "gpt-image-2",
      object: "model",
      created: 1_767_225_600,
      owned_by: "openai",
      shutdown_date: null,
    });
    expect((await client.models.retrieve("gpt-image-2.6-flare")).shutdown_date).toBe("2027-06-01");
    fake.setShutdownDate("gpt-image-2", "2026-12-15");
    expect((await client.models.retrieve("gpt-image-2")).shutdown_date).toBe("2026-12-15");
    fake.setShutdownDate("gpt-image-2", null);
    expect((await client.models.retrieve("gpt-image-2")).shutdown_date).toBeNull();
  });

  it("answers 404 model_not_found for retired and unknown models, and lists only the served ones", async () => {
    for (const id of ["gpt-image-1.5", "gpt-image-1-mini", "chatgpt-image-latest", "gpt-image-9"]) {
      const error = await rejection(client.models.retrieve(id));
      expect(error, id).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ status: 404, code: "model_not_found", type: "invalid_request_error" });
    }
    const listed = [];
    for await (const model of client.models.list()) listed.push(model.id);
    expect(listed).toContain("gpt-image-2.5-sunburst");
    expect(listed).toContain("gpt-5.5");
    expect(listed).not.toContain("gpt-image-1.5");
  });

  it("refuses image requests for a model from its shutdown date on, and still shows the date", async () => {
    fake.setShutdownDate("gpt-image-2.6-sunburst", yesterday());
    const error = await rejection(client.images.generate({ model: "gpt-image-2.6-sunburst", prompt: "x" }));
    expect(error).toMatchObject({ status: 404, code: "model_not_found" });
    expect((await client.models.retrieve("gpt-image-2.6-sunburst")).shutdown_date).toBe(yesterday());
    fake.setShutdownDate("gpt-image-2.6-sunburst", null);
    expect(
      (await client.images.generate({ model: "gpt-image-2.6-sunburst", prompt: "x" })).data,
    ).toHaveLength(1);
  });

  it("takes only YYYY-MM-DD dates, so a test's typo fails loudly", () => {
    expect(() => fake.setShutdownDate("gpt-image-2", "15/12/2026")).toThrow(/YYYY-MM-DD/);
  });
});
