import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  AuthenticationError,
  AzureOpenAI,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  toFile,
} from "openai";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "./openai/server.js";

let fake: FakeOpenAI;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  client = new OpenAI({ apiKey: "sk-test", baseURL: fake.url, maxRetries: 0 });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const bytes = (b64: string | undefined) => Buffer.from(b64 ?? "", "base64");

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

async function drain(stream: AsyncIterable<{ type: string }>, seen: string[] = []): Promise<string[]> {
  for await (const event of stream) seen.push(event.type);
  return seen;
}

const tools = [{ type: "image_generation" as const, size: "256x256", partial_images: 2 }];

const solid = (r: number, g: number, b: number) =>
  sharp({ create: { width: 256, height: 256, channels: 3, background: { r, g, b } } })
    .png()
    .toBuffer();

describe("images.generate", () => {
  it("answers an ImagesResponse with real bytes in the requested size and format", async () => {
    const res = await client.images.generate({
      model: "gpt-image-2",
      prompt: "a lighthouse at dusk",
      size: "1536x864",
      output_format: "jpeg",
      output_compression: 60,
      quality: "low",
    });
    expect(res._request_id).toMatch(/^req_/);
    expect(res).toMatchObject({
      output_format: "jpeg",
      quality: "low",
      size: "1536x864",
      background: "opaque",
    });
    expect(res.usage?.output_tokens).toBeGreaterThan(0);
    const meta = await sharp(bytes(res.data?.[0]?.b64_json)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", 1536, 864]);
    const recorded = fake.requests[0];
    expect(recorded?.path).toBe("/v1/images/generations");
    expect(recorded?.headers.authorization).toBe("Bearer sk-test");
    expect(recorded?.json).toMatchObject({ prompt: "a lighthouse at dusk", size: "1536x864" });
  });

  it("is deterministic per prompt, honours n, auto size and transparent backgrounds", async () => {
    const a = await client.images.generate({ prompt: "same", n: 2, size: "auto", background: "transparent" });
    const b = await client.images.generate({ prompt: "same", n: 2, size: "auto", background: "transparent" });
    expect(a.data).toHaveLength(2);
    expect(a.data?.[0]?.b64_json).toBe(b.data?.[0]?.b64_json);
    expect(a.data?.[0]?.b64_json).not.toBe(a.data?.[1]?.b64_json);
    const image = sharp(bytes(a.data?.[0]?.b64_json));
    const meta = await image.metadata();
    expect([meta.format, meta.width, meta.height, meta.hasAlpha]).toEqual(["png", 1024, 1024, true]);
    expect((await image.stats()).isOpaque).toBe(false);
  });

  // How fast it draws is the bench's to measure: a time limit here failed on a busy 2-core machine.
  it("answers 3840x2160 at that size", async () => {
    const res = await client.images.generate({ prompt: "a wide valley", size: "3840x2160" });
    const meta = await sharp(bytes(res.data?.[0]?.b64_json)).metadata();
    expect([meta.width, meta.height]).toEqual([3840, 2160]);
  });

  it("streams partials rougher than the final image", async () => {
    const stream = await client.images.generate({
      prompt: "a fox in snow",
      size: "512x512",
      stream: true,
      partial_images: 2,
    });
    const events = [];
    for await (const event of stream) events.push(event);
    expect(events.map((e) => e.type)).toEqual([
      "image_generation.partial_image",
      "image_generation.partial_image",
      "image_generation.completed",
    ]);
    const [p0, p1, done] = events;
    expect(p0).toMatchObject({
      partial_image_index: 0,
      size: "512x512",
      output_format: "png",
      quality: "high",
    });
    expect(done?.type === "image_generation.completed" && done.usage.total_tokens).toBeGreaterThan(0);
    const sharpness = async (b64: string | undefined) => (await sharp(bytes(b64)).stats()).sharpness;
    const [s0, s1, sFinal] = await Promise.all([p0, p1, done].map((e) => sharpness(e?.b64_json)));
    expect(s0).toBeLessThan(s1 ?? 0);
    expect((s1 ?? 0) * 4).toBeLessThan(sFinal ?? 0);
    expect(fake.requests[0]?.json).toMatchObject({ stream: true, partial_images: 2 });
  });

  it("streams partials then a completed event for each of n images", async () => {
    const stream = await client.images.generate({
      prompt: "twins",
      size: "256x256",
      n: 2,
      stream: true,
      partial_images: 1,
    });
    expect(await drain(stream)).toEqual([
      "image_generation.partial_image",
      "image_generation.completed",
      "image_generation.partial_image",
      "image_generation.completed",
    ]);
  });

  it("makes animated GIFs and SVG documents", async () => {
    const gif = await client.images.generate({
      prompt: "a spinning top",
      output_format: "gif",
      frame_count: 4,
      size: "256x256",
    });
    const meta = await sharp(bytes(gif.data?.[0]?.b64_json)).metadata();
    expect([meta.format, meta.pages, meta.width, meta.delay]).toEqual(["gif", 4, 256, [200, 200, 200, 200]]);
    const svg = await client.images.generate({ prompt: "a logo", output_format: "svg", size: "512x512" });
    const text = bytes(svg.data?.[0]?.b64_json).toString("utf8");
    expect(text).toContain("<svg");
    expect(text).toContain("a logo");
    expect((await sharp(Buffer.from(text)).metadata()).width).toBe(512);
    expect(svg.output_format).toBe("svg");
  });

  it("rejects what the API rejects with invalid_request_error", async () => {
    const cases: Array<[Promise<unknown>, string | null]> = [
      [client.images.generate({ prompt: "" }), "prompt"],
      [client.images.generate({ prompt: "x", partial_images: 4, stream: true }), "partial_images"],
      [client.images.generate({ prompt: "x", size: "1000x1000" }), "size"],
      [client.images.generate({ prompt: "x", output_format: "gif", stream: true }), "stream"],
      [
        client.images.generate({ prompt: "x", background: "transparent", output_format: "jpeg" }),
        "background",
      ],
      [client.images.generate({ prompt: "x", n: 11 }), "n"],
    ];
    for (const [call, param] of cases) {
      const error = await rejection(call);
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error).toMatchObject({ status: 400, type: "invalid_request_error", param });
    }
    expect(await rejection(client.images.generate({ prompt: "x", model: "gpt-image-1" }))).toMatchObject({
      status: 404,
      code: "model_not_found",
    });
    const raw = await fetch(`${fake.url}/images/generations`, {
      method: "POST",
      headers: { authorization: "Bearer sk-test", "content-type": "application/json" },
      body: "{not json",
    });
    expect(raw.status).toBe(400);
    expect(raw.headers.get("x-request-id")).toMatch(/^req_/);
    expect(await raw.json()).toMatchObject({
      error: { type: "invalid_request_error", param: null, code: null },
    });
  });
});

describe("images.edit", () => {
  it("records multipart uploads and edits only the mask's transparent area", async () => {
    const images = await Promise.all(
      [solid(255, 0, 0), solid(0, 255, 0), solid(0, 0, 255)].map((b, i) =>
        toFile(b, `input-${i}.png`, { type: "image/png" }),
      ),
    );
    const alpha = Buffer.alloc(256 * 256 * 4, 255);
    for (let y = 0; y < 256; y++) for (let x = 0; x < 128; x++) alpha[(y * 256 + x) * 4 + 3] = 0;
    const mask = await sharp(alpha, { raw: { width: 256, height: 256, channels: 4 } })
      .png()
      .toBuffer();
    const res = await client.images.edit({
      image: images,
      mask: await toFile(mask, "mask.png", { type: "image/png" }),
      prompt: "add a moon",
      size: "256x256",
      input_fidelity: "high",
    });
    const form = fake.requests[0]?.form;
    // The SDK appends array entries after single files, so the mask may come first on the wire.
    expect(form?.files.map((f) => [f.field, f.filename, f.contentType]).sort()).toEqual([
      ["image[]", "input-0.png", "image/png"],
      ["image[]", "input-1.png", "image/png"],
      ["image[]", "input-2.png", "image/png"],
      ["mask", "mask.png", "image/png"],
    ]);
    expect(form?.fields).toMatchObject({ prompt: "add a moon", size: "256x256", input_fidelity: "high" });
    expect(res.usage?.input_tokens_details.image_tokens).toBeGreaterThan(0);
    const { data } = await sharp(bytes(res.data?.[0]?.b64_json))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const px = (x: number, y: number) => [...data.subarray((y * 256 + x) * 3, (y * 256 + x) * 3 + 3)];
    expect(px(200, 60)).toEqual([255, 0, 0]);
    let changed = 0;
    for (let y = 0; y < 256; y++) for (let x = 0; x < 128; x++) if (px(x, y).join() !== "255,0,0") changed++;
    expect(changed).toBeGreaterThan(128 * 256 * 0.1);
  });

  it("streams image_edit events and refuses edits without an image or with a wrong-sized mask", async () => {
    const image = await toFile(await solid(10, 20, 30), "a.png", { type: "image/png" });
    const stream = await client.images.edit({
      image,
      prompt: "x",
      size: "256x256",
      stream: true,
      partial_images: 1,
    });
    expect(await drain(stream)).toEqual(["image_edit.partial_image", "image_edit.completed"]);
    expect(fake.requests[0]?.form?.fields.stream).toBe("true");
    const small = await sharp({ create: { width: 64, height: 64, channels: 4, background: "#0000" } })
      .png()
      .toBuffer();
    const badMask = await rejection(
      client.images.edit({ image, prompt: "x", mask: await toFile(small, "m.png", { type: "image/png" }) }),
    );
    expect(badMask).toMatchObject({ status: 400, param: "mask" });
    const form = new FormData();
    form.append("prompt", "no image");
    const raw = await fetch(`${fake.url}/images/edits`, {
      method: "POST",
      headers: { authorization: "Bearer sk-test" },
      body: form,
    });
    expect(await raw.json()).toMatchObject({ error: { param: "image", code: "missing_required_parameter" } });
  });

  it("accepts the JSON form of edits with images[].image_url", async () => {
    const png = await solid(0, 128, 0);
    const res = await fetch(`${fake.url}/images/edits`, {
      method: "POST",
      headers: { authorization: "Bearer sk-test", "content-type": "application/json" },
      body: JSON.stringify({
        prompt: "a frog",
        size: "256x256",
        images: [{ image_url: `data:image/png;base64,${png.toString("base64")}` }],
      }),
    });
    const body = (await res.json()) as { data: Array<{ b64_json: string }> };
    expect((await sharp(bytes(body.data[0]?.b64_json)).metadata()).width).toBe(256);
  });
});

describe("responses", () => {
  it("streams the image_generation_call events with increasing sequence numbers", async () => {
    const stream = await client.responses.create({
      model: "gpt-5",
      input: "draw a cat",
      tools,
      stream: true,
    });
    const events = [];
    for await (const event of stream) events.push(event);
    const types = events.map((e) => e.type);
    expect(types.slice(0, 9)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.image_generation_call.in_progress",
      "response.image_generation_call.generating",
      "response.image_generation_call.partial_image",
      "response.image_generation_call.partial_image",
      "response.image_generation_call.completed",
      "response.output_item.done",
    ]);
    expect(types).toContain("response.output_text.delta");
    expect(types.at(-1)).toBe("response.completed");
    const seq = events.map((e) => e.sequence_number);
    expect(seq).toEqual(seq.map((_, i) => i));
    const partial = events[5];
    expect(
      partial?.type === "response.image_generation_call.partial_image" && partial.partial_image_index,
    ).toBe(0);
    const last = events.at(-1);
    if (last?.type !== "response.completed") throw new Error("no completed event");
    const call = last.response.output[0];
    expect(call).toMatchObject({ type: "image_generation_call", status: "completed", size: "256x256" });
    expect(
      (await sharp(bytes(call?.type === "image_generation_call" ? (call.result ?? "") : "")).metadata())
        .width,
    ).toBe(256);
  });

  it("works with the SDK's responses.stream() accumulator", async () => {
    const final = await client.responses
      .stream({ model: "gpt-5", input: "a boat", tools: [{ type: "image_generation", size: "256x256" }] })
      .finalResponse();
    expect(final.output_text).toBe("Here is your image for turn 1: a boat.");
    expect(final.status).toBe("completed");
  });

  it("chains turns through previous_response_id, retrieve and delete", async () => {
    const first = await client.responses.create({ model: "gpt-5", input: "a red fox", tools });
    expect(first.id).toMatch(/^resp_/);
    expect(first.output_text).toBe("Here is your image for turn 1: a red fox.");
    const second = await client.responses.create({
      model: "gpt-5",
      input: [{ role: "user", content: [{ type: "input_text", text: "give it a hat" }] }],
      previous_response_id: first.id,
      tools,
    });
    expect(second.previous_response_id).toBe(first.id);
    const call = second.output[0];
    if (call?.type !== "image_generation_call") throw new Error("no image call");
    expect(call.revised_prompt).toBe("Turn 2: a red fox | then: give it a hat");
    expect(call.action).toBe("edit");
    expect(call.id).toMatch(/^ig_/);
    expect(call.result).not.toBe(first.output[0]?.type === "image_generation_call" && first.output[0].result);
    expect(second.output_text).toContain("turn 2");
    expect(second.usage?.total_tokens).toBeGreaterThan(0);

    // An earlier image call can be referenced as an input item to edit it without chaining.
    const fromCall = await client.responses.create({
      model: "gpt-5",
      input: [
        { type: "image_generation_call", id: call.id, status: "completed", result: null },
        { role: "user", content: "blue" },
      ],
      tools,
    });
    expect(fromCall.output[0]).toMatchObject({ action: "edit", revised_prompt: "Turn 1: blue" });

    expect((await client.responses.retrieve(second.id)).output_text).toBe(second.output_text);
    await client.responses.delete(second.id);
    expect(await rejection(client.responses.retrieve(second.id))).toBeInstanceOf(NotFoundError);
    const unknown = await rejection(
      client.responses.create({ model: "gpt-5", input: "x", previous_response_id: "resp_missing" }),
    );
    expect(unknown).toBeInstanceOf(BadRequestError);
    expect(unknown).toMatchObject({
      param: "previous_response_id",
      message: expect.stringContaining("resp_missing"),
    });
  });

  it("edits an input_image data URL and cancels only background responses", async () => {
    const png = await solid(0, 0, 255);
    const res = await client.responses.create({
      model: "gpt-5",
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "make it night" },
            {
              type: "input_image",
              image_url: `data:image/png;base64,${png.toString("base64")}`,
              detail: "auto",
            },
          ],
        },
      ],
      tools: [{ type: "image_generation", size: "256x256" }],
    });
    expect(res.output[0]).toMatchObject({ action: "edit" });
    expect(await rejection(client.responses.cancel(res.id))).toMatchObject({ status: 400 });

    fake.setLatency(150);
    const queued = await client.responses.create({ model: "gpt-5", input: "slow", background: true, tools });
    expect(queued.status).toBe("queued");
    expect((await client.responses.cancel(queued.id)).status).toBe("cancelled");
  });
});

describe("injected failures", () => {
  it("surfaces HTTP failures as the SDK's typed errors", async () => {
    const generate = () => client.images.generate({ prompt: "x", size: "256x256" });
    fake.fail({ type: "rate_limit", retryAfterSeconds: 7 });
    const limited = await rejection(generate());
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited).toMatchObject({ code: "rate_limit_exceeded", requestID: expect.stringMatching(/^req_/) });
    expect((limited as RateLimitError).headers.get("retry-after")).toBe("7");

    fake.fail({ type: "insufficient_quota" });
    const quota = (await rejection(generate())) as RateLimitError;
    expect([quota.status, quota.code, quota.type, quota.headers.get("retry-after")]).toEqual([
      429,
      "insufficient_quota",
      "insufficient_quota",
      null,
    ]);

    fake.fail({ type: "moderation_blocked", stage: "output" });
    const blocked = await rejection(generate());
    expect(blocked).toBeInstanceOf(BadRequestError);
    expect(blocked).toMatchObject({
      code: "moderation_blocked",
      error: { moderation_details: { moderation_stage: "output" } },
    });

    fake.fail({ type: "server_error", status: 503 });
    expect(await rejection(generate())).toMatchObject({ status: 503, constructor: InternalServerError });
    fake.fail({ type: "unauthorized" });
    expect(await rejection(generate())).toMatchObject({
      code: "invalid_api_key",
      constructor: AuthenticationError,
    });
    fake.fail({ type: "forbidden" });
    const forbidden = await rejection(generate());
    expect(forbidden).toBeInstanceOf(PermissionDeniedError);
    expect((forbidden as Error).message).toContain("must be verified");
    fake.fail({ type: "bad_request", message: "Nope.", param: "size" });
    expect(await rejection(generate())).toMatchObject({ status: 400, message: "400 Nope.", param: "size" });
    expect(fake.requests).toHaveLength(7);
  });

  it("applies a failure `times` times, so SDK retries can get through", async () => {
    const retrying = new OpenAI({ apiKey: "sk-test", baseURL: fake.url, maxRetries: 2 });
    fake.fail({ type: "rate_limit", retryAfterSeconds: 0.01 }, 2);
    const res = await retrying.images.generate({ prompt: "x", size: "256x256" });
    expect(res.data).toHaveLength(1);
    expect(fake.requests).toHaveLength(3);
  });

  it("cuts streams, sends SSE error events, drops and hangs connections", async () => {
    const streamed = () =>
      client.images.generate({ prompt: "x", size: "256x256", stream: true, partial_images: 2 });
    fake.fail({ type: "stream_cut", afterEvents: 1 });
    const seen: string[] = [];
    const cut = await rejection(streamed().then((s) => drain(s, seen)));
    expect(seen).toEqual(["image_generation.partial_image"]);
    expect(cut).toBeInstanceOf(TypeError); // undici's "terminated": not an APIError

    fake.fail({ type: "stream_cut", afterEvents: 3 });
    const responseEvents: string[] = [];
    const responseStream = client.responses.create({ model: "gpt-5", input: "x", tools, stream: true });
    await rejection(responseStream.then((s) => drain(s, responseEvents)));
    expect(responseEvents).toHaveLength(3);

    fake.fail({ type: "stream_error", afterEvents: 2, code: "server_error", message: "boom" });
    const errored = await rejection(streamed().then((s) => drain(s)));
    expect(errored).toBeInstanceOf(APIError);
    expect(errored).toMatchObject({ status: undefined, code: "server_error", message: "boom" });

    fake.fail({ type: "stream_cut", afterEvents: 0 });
    expect(await rejection(client.images.generate({ prompt: "x" }))).toBeInstanceOf(APIConnectionError);

    // Aborting mid-stream ends the SDK's iteration silently: check the signal after the loop.
    const controller = new AbortController();
    const aborted = await client.images.generate(
      { prompt: "x", size: "256x256", stream: true, partial_images: 3 },
      { signal: controller.signal },
    );
    let received = 0;
    for await (const _ of aborted) if (++received === 1) controller.abort();
    expect(received).toBe(1);

    fake.fail({ type: "hang" });
    const hung = await rejection(client.images.generate({ prompt: "x" }, { timeout: 200 }));
    expect(hung).toBeInstanceOf(APIConnectionTimeoutError);
  });

  it("waits latencyMs before each streamed event", async () => {
    fake.setLatency(60);
    const started = Date.now();
    await drain(
      await client.images.generate({ prompt: "x", size: "256x256", stream: true, partial_images: 2 }),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
  });
});

describe("AzureOpenAI", () => {
  it("answers deployment-scoped image paths and the responses path with api-key auth", async () => {
    const azure = new AzureOpenAI({
      endpoint: fake.origin,
      apiKey: "azure-key",
      apiVersion: "2025-04-01-preview",
      deployment: "img-deploy",
      maxRetries: 0,
    });
    const image = await azure.images.generate({ prompt: "azure skies", size: "256x256" });
    expect(image.data).toHaveLength(1);
    const res = await azure.responses.create(
      { model: "gpt-5-deploy", input: "azure cat", tools: [{ type: "image_generation", size: "256x256" }] },
      { headers: { "x-ms-oai-image-generation-deployment": "img-deploy" } },
    );
    expect(res.output_text).toContain("azure cat");
    const [gen, resp] = fake.requests;
    expect(gen).toMatchObject({
      path: "/openai/deployments/img-deploy/images/generations",
      query: { "api-version": "2025-04-01-preview" },
      headers: { "api-key": "azure-key" },
    });
    expect(gen?.headers.authorization).toBeUndefined();
    expect(resp).toMatchObject({
      path: "/openai/responses",
      headers: { "api-key": "azure-key", "x-ms-oai-image-generation-deployment": "img-deploy" },
    });
  });
});
