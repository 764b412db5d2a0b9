import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/engine.js";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai/server.js";
import { collect, finalOf, imageRequest, modelRequests, openaiConfig, pngFile } from "./helpers.js";

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe("Responses API", () => {
  it("streams partials and text, then chains the next turn with previous_response_id", async () => {
    const engine = createEngine(openaiConfig(fake));
    const request = imageRequest({ api: "responses", partials: 2 });

    const first = await collect(engine(request, { images: [] }, { safetyIdentifier: "hashed-user" }));
    const types = first.map((event) => event.type);
    expect(types.at(-1)).toBe("final");
    expect(types.filter((type) => type === "partial")).toHaveLength(2);
    expect(types).toContain("text");
    const firstFinal = finalOf(first);
    const streamedText = first.map((event) => (event.type === "text" ? event.delta : "")).join("");
    expect(firstFinal.text).toBe(streamedText);
    expect(firstFinal.responseId).toMatch(/^resp_/);
    expect(firstFinal.images).toHaveLength(1);
    expect((await sharp(firstFinal.images[0]?.bytes).metadata()).format).toBe("png");
    for (const event of first) {
      if (event.type === "partial") expect((await sharp(event.image.bytes).metadata()).format).toBe("png");
    }

    const second = await collect(
      engine(
        { ...request, prompt: "now at night" },
        { images: [] },
        { previousResponseId: firstFinal.responseId as string },
      ),
    );
    expect(finalOf(second).responseId).not.toBe(firstFinal.responseId);

    const [one, two] = modelRequests(fake);
    expect(one?.path).toBe("/v1/responses");
    expect(one?.json).toMatchObject({
      model: "gpt-5.5",
      stream: true,
      store: true,
      safety_identifier: "hashed-user",
      tool_choice: { type: "image_generation" },
      tools: [
        {
          type: "image_generation",
          model: "gpt-image-2",
          size: "1024x1024",
          quality: "low",
          output_format: "png",
          background: "auto",
          moderation: "auto",
          partial_images: 2,
        },
      ],
      input: [
        { role: "user", content: [{ type: "input_text", text: "a lighthouse at dusk, oil painting" }] },
      ],
    });
    expect(one?.json).not.toHaveProperty("previous_response_id");
    expect(two?.json).toMatchObject({ previous_response_id: firstFinal.responseId });
    expect(firstFinal.sentParameters).toEqual(one?.json);
  });

  it("sends input images and the mask as data URLs, and describes them in sentParameters", async () => {
    const engine = createEngine(openaiConfig(fake));
    const image = await pngFile("image_0.png");
    const mask = await pngFile("mask.png", 64, 64, true);
    const events = await collect(
      engine(imageRequest({ api: "responses", partials: 0 }), { images: [image], mask }),
    );
    const final = finalOf(events);

    const json = modelRequests(fake)[0]?.json as {
      input: Array<{ content: Array<Record<string, unknown>> }>;
      tools: Array<Record<string, unknown>>;
    };
    expect(json.input[0]?.content[1]).toEqual({
      type: "input_image",
      image_url: `data:image/png;base64,${image.bytes.toString("base64")}`,
      detail: "auto",
    });
    expect(json.tools[0]).toMatchObject({
      action: "edit",
      input_image_mask: { image_url: `data:image/png;base64,${mask.bytes.toString("base64")}` },
    });

    const sentText = JSON.stringify(final.sentParameters);
    expect(sentText).not.toContain("base64");
    expect(final.sentParameters.tools).toEqual([
      expect.objectContaining({
        input_image_mask: { name: "mask.png", contentType: "image/png", size: mask.bytes.length },
      }),
    ]);
  });

  it("does not stream SVG and returns the document", async () => {
    const engine = createEngine(openaiConfig(fake));
    const events = await collect(
      engine(imageRequest({ api: "responses", format: "svg", partials: 0 }), { images: [] }),
    );
    expect(events.map((event) => event.type)).toEqual(["final"]);
    const final = finalOf(events);
    expect(final.images[0]?.format).toBe("svg");
    expect(final.images[0]?.bytes.toString("utf8")).toContain("<svg");
    const json = modelRequests(fake)[0]?.json as Record<string, unknown>;
    expect(json.stream).toBeUndefined();
    // Made in the background and asked for until done, so a crash could pick it up again.
    expect(json.background).toBe(true);
    expect(fake.requests.filter((r) => r.method === "GET").length).toBeGreaterThan(0);
  });
});
