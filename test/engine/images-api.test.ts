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

describe("Images API", () => {
  it("streams a generation: two partials in order, then one final with what was sent", async () => {
    const engine = createEngine(openaiConfig(fake));
    const events = await collect(
      engine(
        imageRequest({ partials: 2, format: "webp", compression: 80 }),
        { images: [] },
        { safetyIdentifier: "abc123" },
      ),
    );

    expect(events.map((event) => event.type)).toEqual(["partial", "partial", "final"]);
    expect(events.slice(0, 2).map((event) => event.type === "partial" && event.index)).toEqual([0, 1]);
    const final = finalOf(events);
    expect(final.images).toHaveLength(1);
    expect(final.attempts).toBe(1);
    for (const event of events) {
      const images = event.type === "partial" ? [event.image] : event.type === "final" ? event.images : [];
      for (const image of images) {
        expect(image.format).toBe("webp");
        const meta = await sharp(image.bytes).metadata();
        expect(meta.format).toBe("webp");
      }
    }
    expect(final.usage).toBeDefined();

    const [request] = modelRequests(fake);
    expect(request?.path).toBe("/v1/images/generations");
    expect(request?.json).toMatchObject({
      model: "gpt-image-2",
      prompt: "a lighthouse at dusk, oil painting",
      n: 1,
      size: "1024x1024",
      quality: "low",
      output_format: "webp",
      output_compression: 80,
      background: "auto",
      moderation: "auto",
      stream: true,
      partial_images: 2,
      safety_identifier: "abc123",
    });
    expect(final.sentParameters).toEqual(request?.json);
    expect(request?.headers.authorization).toBe("Bearer sk-test-engine-key");
    expect(JSON.stringify(final.sentParameters)).not.toContain("sk-test");
  });

  it("gathers one final from n completed events", async () => {
    const engine = createEngine(openaiConfig(fake));
    const events = await collect(engine(imageRequest({ n: 2, partials: 1 }), { images: [] }));
    const final = finalOf(events);
    expect(final.images).toHaveLength(2);
    expect(events.filter((event) => event.type === "final")).toHaveLength(1);
  });

  it("sends GIF without streaming and returns the whole animation", async () => {
    const engine = createEngine(openaiConfig(fake));
    const events = await collect(
      engine(imageRequest({ format: "gif", frames: 4, frameMs: 120, partials: 0 }), { images: [] }),
    );
    expect(events.map((event) => event.type)).toEqual(["final"]);
    const final = finalOf(events);
    expect(final.images[0]?.format).toBe("gif");
    expect((await sharp(final.images[0]?.bytes).metadata()).format).toBe("gif");

    const json = modelRequests(fake)[0]?.json as Record<string, unknown>;
    expect(json).toMatchObject({ output_format: "gif", frame_count: 4, frame_duration_ms: 120 });
    expect(json).not.toHaveProperty("stream");
    expect(json).not.toHaveProperty("partial_images");
    expect(json).not.toHaveProperty("output_compression");
  });

  it("edits three images with a mask as multipart, describing the files in sentParameters", async () => {
    const engine = createEngine(openaiConfig(fake));
    const images = [
      await pngFile("image_0.png"),
      await pngFile("image_1.png", 32, 32),
      await pngFile("image_2.png"),
    ];
    const mask = await pngFile("mask.png", 64, 64, true);
    const events = await collect(
      engine(imageRequest({ partials: 1, model: "gpt-image-2.5-sunburst" }), { images, mask }),
    );
    const final = finalOf(events);
    expect(final.images).toHaveLength(1);

    const [request] = modelRequests(fake);
    expect(request?.path).toBe("/v1/images/edits");
    const form = request?.form;
    // The SDK encodes fields concurrently: the order between fields is not fixed, within `image[]` it is.
    const describeUpload = (field: string) =>
      form?.files
        .filter((file) => file.field === field)
        .map((file) => [file.filename, file.contentType, file.size]);
    expect(describeUpload("image[]")).toEqual(
      images.map((image) => [image.name, "image/png", image.bytes.length]),
    );
    expect(describeUpload("mask")).toEqual([["mask.png", "image/png", mask.bytes.length]]);
    expect(form?.files.find((file) => file.field === "mask")?.bytes.equals(mask.bytes)).toBe(true);
    expect(form?.fields).toMatchObject({
      model: "gpt-image-2.5-sunburst",
      prompt: "a lighthouse at dusk, oil painting",
      stream: "true",
      partial_images: "1",
      output_format: "png",
    });
    // The edits endpoint has no `moderation`; sending it would be a 400. No current model takes input_fidelity.
    expect(form?.fields).not.toHaveProperty("moderation");
    expect(form?.fields).not.toHaveProperty("input_fidelity");

    expect(final.sentParameters.image).toEqual(
      images.map((image) => ({ name: image.name, contentType: "image/png", size: image.bytes.length })),
    );
    expect(final.sentParameters.mask).toEqual({
      name: "mask.png",
      contentType: "image/png",
      size: mask.bytes.length,
    });
    expect(JSON.stringify(final.sentParameters)).not.toContain(
      images[0]?.bytes.toString("base64").slice(0, 40),
    );
  });

  it("sends a single input image as `image`", async () => {
    const engine = createEngine(openaiConfig(fake));
    await collect(
      engine(imageRequest({ format: "jpeg", partials: 0 }), { images: [await pngFile("photo.png")] }),
    );
    expect(modelRequests(fake)[0]?.form?.files.map((file) => file.field)).toEqual(["image"]);
  });
});
