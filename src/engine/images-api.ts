import { toFile } from "openai";
import type {
  ImageEditParamsNonStreaming,
  ImageEditStreamEvent,
  ImageGenerateParamsNonStreaming,
  ImageGenStreamEvent,
  ImagesResponse,
} from "openai/resources/images";
import type { OpenAIConfig } from "../config/types.js";
import type { ImageBytes, InputFile, Usage } from "../core/images.js";
import { type ImageRequest, streams } from "../core/request.js";
import {
  type AttemptEvent,
  asStreamCut,
  type CallSpec,
  decodeImage,
  describeFile,
  mergeUsage,
  type PreparedCall,
} from "./attempt.js";
import { apiModelName } from "./client.js";
import { ResponseFailedError, StreamCutError } from "./errors.js";
import type { EngineCallOptions } from "./events.js";
import { optional } from "./optional.js";
import { requestIdOf, sseEvents } from "./sse.js";
import type { WithBytes } from "./sse-image-fields.js";

/** The parameters both endpoints share, mapped one to one from the validated request. */
function commonParams(config: OpenAIConfig, request: ImageRequest, options: EngineCallOptions) {
  const stream = streams(request);
  return {
    model: apiModelName(config, request.model),
    prompt: request.prompt,
    n: request.n,
    size: request.size,
    quality: request.quality,
    output_format: request.format,
    // Absent means OpenAI's default (100); sending it for png would be a 400.
    ...optional("output_compression", request.compression),
    background: request.background,
    ...optional("complexity", request.complexity),
    ...optional("frame_count", request.frames),
    ...optional("frame_duration_ms", request.frameMs),
    ...optional("safety_identifier", options.safetyIdentifier),
    // GIF and SVG come back whole; asking them to stream is a 400.
    ...(stream ? { stream: true, partial_images: request.partials } : {}),
  };
}

/**
 * An Images API call: `images.generate` without inputs, `images.edit` (multipart) with them. Streams with
 * partial images when the format allows, otherwise one JSON answer.
 */
export function prepareImagesCall({ client, config, request, inputs, options }: CallSpec): PreparedCall {
  const common = commonParams(config, request, options);
  const stream = streams(request);

  if (inputs.images.length === 0) {
    // `moderation` exists on generations only; the edits endpoint rejects unknown fields.
    const params = { ...common, moderation: request.moderation } as ImageGenerateParamsNonStreaming;
    return {
      sentParameters: { ...params },
      describe: { endpoint: "images.generate", stream },
      async *attempt(signal) {
        if (stream) {
          const response = await client.images
            .generate({ ...params, stream: true }, { signal: signal ?? null })
            .asResponse();
          yield* readImageStream(imageEvents(response, signal), request, requestIdOf(response));
        } else {
          const { data, request_id } = await client.images
            .generate(params, { signal: signal ?? null })
            .withResponse();
          yield finalFromResponse(data, request, request_id ?? undefined);
        }
      },
    };
  }

  // One file goes out as `image`, several as `image[]`, the way the API documents both.
  const many = inputs.images.length > 1;
  const editParams = { ...common, ...optional("input_fidelity", request.fidelity) };
  const sentParameters: Record<string, unknown> = {
    ...editParams,
    image: many ? inputs.images.map(describeFile) : describeFile(inputs.images[0] as InputFile),
    ...(inputs.mask ? { mask: describeFile(inputs.mask) } : {}),
    ...(inputs.markup ? { markup: describeFile(inputs.markup) } : {}),
  };
  return {
    sentParameters,
    describe: {
      endpoint: "images.edit",
      stream,
      images: inputs.images.length,
      mask: inputs.mask !== undefined,
      markup: inputs.markup !== undefined,
    },
    async *attempt(signal) {
      // Fresh File objects per attempt: a retried multipart body must not depend on a consumed one.
      const files = await Promise.all(inputs.images.map(upload));
      const params = {
        ...editParams,
        image: many ? files : files[0],
        ...(inputs.mask ? { mask: await upload(inputs.mask) } : {}),
        ...(inputs.markup ? { markup: await upload(inputs.markup) } : {}),
      } as ImageEditParamsNonStreaming;
      if (stream) {
        const response = await client.images
          .edit({ ...params, stream: true }, { signal: signal ?? null })
          .asResponse();
        yield* readImageStream(imageEvents(response, signal), request, requestIdOf(response));
      } else {
        const { data, request_id } = await client.images
          .edit(params, { signal: signal ?? null })
          .withResponse();
        yield finalFromResponse(data, request, request_id ?? undefined);
      }
    },
  };
}

type ImageStreamEvent = WithBytes<ImageGenStreamEvent | ImageEditStreamEvent, "b64_json">;

/** The stream's events, each image already decoded from its base64. */
function imageEvents(response: Response, signal: AbortSignal | undefined): AsyncIterable<ImageStreamEvent> {
  return sseEvents<ImageGenStreamEvent | ImageEditStreamEvent, "b64_json">(response, signal, ["b64_json"]);
}

function upload(file: InputFile) {
  return toFile(file.bytes, file.name, { type: file.contentType });
}

/**
 * Partials pass through as they come; completion events (one per image) are gathered into one final. The
 * final image may arrive before every partial: partials after the last image are stale and dropped. Once
 * every image is in hand, a connection that breaks costs nothing and is ignored.
 */
async function* readImageStream(
  stream: AsyncIterable<ImageStreamEvent>,
  request: ImageRequest,
  requestId: string | undefined,
): AsyncGenerator<AttemptEvent> {
  const images: ImageBytes[] = [];
  const usages: Usage[] = [];
  let size: string | undefined;
  let quality: string | undefined;
  try {
    for await (const event of stream) {
      if (event.type === "image_generation.partial_image" || event.type === "image_edit.partial_image") {
        if (images.length >= request.n) continue;
        yield {
          type: "partial",
          index: event.partial_image_index,
          image: decodeImage(event.b64_json, event.output_format, request.format),
        };
      } else if (event.type === "image_generation.completed" || event.type === "image_edit.completed") {
        images.push(decodeImage(event.b64_json, event.output_format, request.format));
        if (event.usage) usages.push(event.usage as unknown as Usage);
        size = event.size ?? size;
        quality = event.quality ?? quality;
      }
    }
  } catch (error) {
    if (images.length < request.n) throw asStreamCut(error, requestId);
  }
  if (images.length < request.n) {
    throw new StreamCutError(
      `The stream from OpenAI ended after ${images.length} of ${request.n} images`,
      requestId,
    );
  }
  const usage = mergeUsage(usages);
  yield {
    type: "final",
    result: {
      images,
      ...optional("usage", usage),
      ...optional("size", size),
      ...optional("quality", quality),
    },
  };
}

function finalFromResponse(
  response: ImagesResponse,
  request: ImageRequest,
  requestId: string | undefined,
): AttemptEvent {
  const data = response.data ?? [];
  const images = data.flatMap((image) =>
    image.b64_json ? [decodeImage(image.b64_json, response.output_format, request.format)] : [],
  );
  if (images.length === 0) {
    // A 200 without an image is OpenAI misbehaving, not a verdict on the request: worth another try.
    throw new ResponseFailedError(null, "OpenAI answered without an image", requestId);
  }
  const revisedPrompt = data.find((image) => image.revised_prompt)?.revised_prompt;
  const usage =
    response.usage || response.svg_usage
      ? ({ ...response.usage, ...optional("svg_usage", response.svg_usage) } as Usage)
      : undefined;
  return {
    type: "final",
    result: {
      images,
      ...optional("usage", usage),
      ...optional("revisedPrompt", revisedPrompt ?? undefined),
      ...optional("size", response.size),
      ...optional("quality", response.quality),
    },
  };
}
