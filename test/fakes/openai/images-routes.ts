import { invalidRequest, invalidType, missingParameter } from "./errors.js";
import { sendJson } from "./http.js";
import { checkMarkup, checkMask, type InputImage, inspectImage, loadImageUrl } from "./image-inputs.js";
import { modelGone } from "./models-routes.js";
import { parseMultipart } from "./multipart.js";
import {
  type ImageOptions,
  INPUT_IMAGE_TOKENS,
  imageOutputTokens,
  parseImageOptions,
  textTokens,
} from "./params.js";
import { encode, encodePartial, renderGif, renderRaw, renderSvg, type Scene } from "./pictures.js";
import { SseStream } from "./sse.js";
import { jsonBody, type RouteContext, requirePrompt } from "./state.js";

interface ImageJob {
  kind: "generation" | "edit";
  prompt: string;
  opts: ImageOptions;
  inputs: InputImage[];
  mask?: InputImage;
  markup?: InputImage;
  safetyIdentifier?: string;
}

/** Usage for the whole request (the non-streaming body and every `*.completed` event carry it). */
export function imageUsage(prompt: string, opts: ImageOptions, inputImages: number) {
  const text = textTokens(prompt);
  const image = inputImages * INPUT_IMAGE_TOKENS;
  const output = imageOutputTokens(opts) * opts.n;
  return {
    input_tokens: text + image,
    input_tokens_details: { image_tokens: image, text_tokens: text },
    output_tokens: output,
    total_tokens: text + image + output,
    output_tokens_details: { image_tokens: output, text_tokens: 0 },
  };
}

function safetyIdentifier(fields: Record<string, unknown>): string | undefined {
  for (const key of ["safety_identifier", "user"]) {
    const value = fields[key];
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

export async function handleGenerations(ctx: RouteContext): Promise<void> {
  const body = jsonBody(ctx);
  const prompt = requirePrompt(body.prompt);
  const opts = parseImageOptions(body, {
    endpoint: "generate",
    gone: (model) => modelGone(ctx.state, model),
  });
  const job: ImageJob = { kind: "generation", prompt, opts, inputs: [] };
  const safety = safetyIdentifier(body);
  if (safety !== undefined) job.safetyIdentifier = safety;
  await runImageJob(ctx, job);
}

export async function handleEdits(ctx: RouteContext): Promise<void> {
  const form = ctx.request.form;
  const contentType = ctx.request.headers["content-type"] ?? "";
  // Re-parsing a body the recorder could not parse throws the API's 400 for it.
  if (!form && contentType.startsWith("multipart/")) await parseMultipart(ctx.body, contentType);
  let fields: Record<string, unknown>;
  const inputs: InputImage[] = [];
  let mask: InputImage | undefined;
  let markup: InputImage | undefined;
  if (form) {
    fields = { ...form.fields };
    for (const name of ["image", "image[]", "mask", "markup"]) {
      if (name in fields) throw invalidType(name, "a file upload", fields[name]);
    }
    const files = (name: string) => form.files.filter((f) => f.field === name);
    const images = [...files("image"), ...files("image[]")];
    if (images.length > 16)
      throw invalidRequest(
        `Invalid 'image': expected at most 16 images, got ${images.length}.`,
        "image",
        "array_above_max_length",
      );
    for (const [i, file] of images.entries()) inputs.push(await inspectImage(file.bytes, `image[${i}]`));
    const maskFile = files("mask")[0];
    if (maskFile) mask = await inspectImage(maskFile.bytes, "mask", ["png"]);
    const markupFile = files("markup")[0];
    if (maskFile && markupFile) throw invalidRequest("'markup' cannot be combined with 'mask'.", "markup");
    if (markupFile) markup = await inspectImage(markupFile.bytes, "markup", ["png"]);
  } else {
    // The JSON form of the endpoint: `images: [{image_url}]`, `mask: {image_url}`.
    fields = jsonBody(ctx);
    const refs = fields.images;
    if (refs !== undefined && !Array.isArray(refs)) throw invalidType("images", "an array", refs);
    for (const [i, ref] of (refs ?? []).entries()) {
      const url = (ref as { image_url?: unknown } | null)?.image_url;
      inputs.push(await inspectImage(await loadImageUrl(url, `images[${i}].image_url`), `images[${i}]`));
    }
    const maskRef = fields.mask as { image_url?: unknown } | undefined;
    if (maskRef)
      mask = await inspectImage(await loadImageUrl(maskRef.image_url, "mask.image_url"), "mask", ["png"]);
  }
  const prompt = requirePrompt(fields.prompt);
  const first = inputs[0];
  if (!first) throw missingParameter("image");
  if (mask) checkMask(mask, first);
  const opts = parseImageOptions(fields, {
    endpoint: "edit",
    fromForm: form !== undefined,
    gone: (model) => modelGone(ctx.state, model),
  });
  if (markup) await checkMarkup(markup, first, opts.model);
  if (mask && opts.format === "gif") throw invalidRequest("GIF output does not support masks.", "mask");
  const job: ImageJob = { kind: "edit", prompt, opts, inputs };
  if (mask) job.mask = mask;
  if (markup) job.markup = markup;
  const safety = safetyIdentifier(fields);
  if (safety !== undefined) job.safetyIdentifier = safety;
  await runImageJob(ctx, job);
}

function scenesOf(job: ImageJob): Scene[] {
  const { opts, prompt } = job;
  return Array.from({ length: opts.n }, (_, i) => ({
    prompt,
    seed: `${job.kind}:${prompt}#${i}`,
    width: opts.width,
    height: opts.height,
    transparent: opts.background === "transparent",
  }));
}

export async function finalImage(
  scene: Scene,
  opts: ImageOptions,
  base?: Buffer,
  mask?: Buffer,
): Promise<Buffer> {
  if (opts.format === "gif") return renderGif(scene, opts.frameCount, opts.frameDurationMs);
  if (opts.format === "svg") return renderSvg(scene);
  return encode(await renderRaw(scene, base, mask), opts.format, opts.compression);
}

async function runImageJob(ctx: RouteContext, job: ImageJob): Promise<void> {
  const { opts } = job;
  const created = Math.floor(Date.now() / 1000);
  // A markup is read as one more image.
  const usage = imageUsage(job.prompt, opts, job.inputs.length + (job.markup ? 1 : 0));
  const described = {
    background: opts.background,
    output_format: opts.format,
    quality: opts.quality,
    size: opts.size,
  };
  const base = job.inputs[0]?.bytes;
  if (!opts.stream) {
    const data: Array<{ b64_json: string }> = [];
    for (const scene of scenesOf(job)) {
      data.push({ b64_json: (await finalImage(scene, opts, base, job.mask?.bytes)).toString("base64") });
    }
    const svgUsage =
      opts.format === "svg"
        ? {
            svg_usage: {
              input_tokens: 120,
              model: "gpt-5-mini",
              output_tokens: 900,
              reasoning_tokens: 0,
              total_tokens: 1020,
            },
          }
        : {};
    const safety = job.safetyIdentifier === undefined ? {} : { safety_identifier: job.safetyIdentifier };
    return sendJson(ctx.x, 200, { created, data, ...described, usage, ...svgUsage, ...safety });
  }
  // gif and svg never stream (rejected in params), so the format here is always a raster one.
  const format = opts.format as "png" | "jpeg" | "webp";
  const event = job.kind === "generation" ? "image_generation" : "image_edit";
  const sse = new SseStream(ctx.x, ctx.streamFailure);
  for (const scene of scenesOf(job)) {
    const raw = await renderRaw(scene, base, job.mask?.bytes);
    // Every frame of the image is encoded before the first is written: while the bot handles a frame, the
    // fake takes no CPU from it (npm run bench times the bot from each written event on a 2-core machine).
    const partials = await Promise.all(
      Array.from({ length: opts.partialImages }, (_, i) => encodePartial(raw, i, opts.partialImages, format)),
    );
    const final = await encode(raw, format, opts.compression);
    for (const [i, partial] of partials.entries()) {
      const type = `${event}.partial_image`;
      await sse.send(type, {
        type,
        b64_json: partial.toString("base64"),
        created_at: created,
        ...described,
        partial_image_index: i,
      });
    }
    const type = `${event}.completed`;
    await sse.send(type, {
      type,
      b64_json: final.toString("base64"),
      created_at: created,
      ...described,
      usage,
    });
  }
  await sse.end();
}
