import type {
  Response,
  ResponseCreateParamsBase,
  ResponseInputContent,
  ResponseOutputItem,
  Tool,
} from "openai/resources/responses/responses";
import type { EngineInputs, InputFile, Usage } from "../core/images.js";
import { type ImageRequest, streams } from "../core/request.js";
import {
  type AttemptResult,
  type CallSpec,
  decodeImage,
  describeFile,
  type PreparedCall,
} from "./attempt.js";
import { BackgroundResponse } from "./background-response.js";
import { apiModelName, imageToolHeaders } from "./client.js";
import { ResponseFailedError } from "./errors.js";
import { optional } from "./optional.js";
import { noImageError } from "./user-errors.js";
import { groundedParameters, sourcesOf, WEB_SEARCH_TOOL } from "./web-search.js";

type ImageCall = ResponseOutputItem.ImageGenerationCall;

/** The image tool, configured from the validated request; the mask goes in as a data URL. */
function imageTool(
  request: ImageRequest,
  inputs: EngineInputs,
  stream: boolean,
  mayAnswer: boolean,
): Tool.ImageGeneration {
  return {
    type: "image_generation",
    model: request.model,
    size: request.size,
    quality: request.quality,
    output_format: request.format,
    ...optional("output_compression", request.compression),
    background: request.background,
    moderation: request.moderation,
    ...(stream ? { partial_images: request.partials } : {}),
    ...optional("input_fidelity", request.fidelity),
    ...optional("complexity", request.complexity),
    // With images attached the person asked for an edit; without, the model decides (a thread's
    // follow-up may edit the previous turn's image through `previous_response_id`). In a conversation the
    // model decides in any case: the message may be a question about the image, not a change to it.
    ...(mayAnswer
      ? { action: "auto" as const }
      : inputs.images.length > 0
        ? { action: "edit" as const }
        : {}),
    ...optional("frame_count", request.frames),
    ...optional("frame_duration_ms", request.frameMs),
    ...(inputs.mask ? { input_image_mask: { image_url: dataUrl(inputs.mask) } } : {}),
  };
}

/**
 * The tools and how the model must use them. Outside a conversation the image is what was asked for: the image
 * tool is forced, or, with a search first, some tool call is required; in a conversation the model may answer
 * in words instead.
 */
function toolParameters(tool: Tool.ImageGeneration, search: boolean, mayAnswer: boolean) {
  const required = search ? ("required" as const) : { type: "image_generation" as const };
  return {
    tools: search ? [WEB_SEARCH_TOOL, tool] : [tool],
    tool_choice: mayAnswer ? ("auto" as const) : required,
    ...(search ? groundedParameters() : {}),
  };
}

/**
 * A Responses API call for an image (the tools and their use: `toolParameters`). The thread chains through
 * `previous_response_id`, so responses are stored (`store: true`) for the next turn to reference; it runs
 * in background mode, so a cut stream or a crashed worker resumes it instead of paying for it again
 * (`background-response.ts`).
 */
export function prepareResponsesCall({ client, config, request, inputs, options }: CallSpec): PreparedCall {
  const stream = streams(request);
  const content: ResponseInputContent[] = [
    { type: "input_text", text: request.prompt },
    ...inputs.images.map((image) => ({
      type: "input_image" as const,
      image_url: dataUrl(image),
      detail: "auto" as const,
    })),
  ];
  const mayAnswer = options.mayAnswer === true;
  const tool = imageTool(request, inputs, stream, mayAnswer);
  const body = {
    model: apiModelName(config, config.responsesModel),
    input: [{ role: "user" as const, content }],
    ...toolParameters(tool, request.search === true, mayAnswer),
    ...optional("previous_response_id", options.previousResponseId),
    ...optional("safety_identifier", options.safetyIdentifier),
    store: true,
    background: true,
  } satisfies ResponseCreateParamsBase;
  const headers = imageToolHeaders(config, request.model);

  const sentParameters = {
    ...body,
    ...(stream ? { stream: true } : {}),
    input: [
      {
        role: "user",
        content: [
          { type: "input_text", text: request.prompt },
          ...inputs.images.map((image) => ({ type: "input_image", detail: "auto", ...describeFile(image) })),
        ],
      },
    ],
    tools: body.tools.map((offered) =>
      offered === tool && inputs.mask ? { ...tool, input_image_mask: describeFile(inputs.mask) } : offered,
    ),
  };

  const background = new BackgroundResponse({
    client,
    body,
    headers,
    request,
    stream,
    finish: (response, requestId, streamedText) =>
      resultFromResponse(response, request, requestId, streamedText, mayAnswer),
    resumeFrom: options.resumeFrom,
    onCheckpoint: options.onCheckpoint,
  });

  return {
    sentParameters,
    describe: {
      endpoint: "responses",
      stream,
      images: inputs.images.length,
      chained: options.previousResponseId !== undefined,
      ...optional("resuming", options.resumeFrom?.responseId),
    },
    attempt: (signal) => background.attempt(signal),
    abandon: () => background.abandon(),
  };
}

/**
 * Images, text and ids from a finished response; a failed one (or a failed image call, e.g. moderation)
 * throws a `ResponseFailedError` for `classifyError`, and a response without an image a `UserError`, unless
 * the model was allowed to answer in words (`mayAnswer`) and did.
 */
export function resultFromResponse(
  response: Response,
  request: ImageRequest,
  requestId: string | undefined,
  streamedText?: string,
  mayAnswer = false,
): AttemptResult {
  const calls = response.output.filter((item): item is ImageCall => item.type === "image_generation_call");
  const failed = calls.find((call) => call.status === "failed");
  if (failed) throw failedCall(failed, requestId);
  if (response.status === "failed") {
    throw new ResponseFailedError(
      response.error?.code ?? null,
      response.error?.message ?? "The response failed",
      requestId,
    );
  }
  const done = calls.filter(
    (call): call is ImageCall & { result: string } => typeof call.result === "string",
  );
  const images = done.map((call) => decodeImage(call.result, call.output_format, request.format));
  // The response's own text is whole; a resumed stream's deltas are only the part after the resume.
  const text = outputText(response) || streamedText || "";
  const answered = mayAnswer && response.status === "completed" && text.trim() !== "";
  if (images.length === 0 && !answered) {
    throw noImageError(text, {
      responseId: response.id,
      status: response.status,
      ...optional("incomplete", response.incomplete_details?.reason ?? undefined),
      ...optional("requestId", requestId),
    });
  }
  const first = done[0];
  const sources = request.search ? sourcesOf(response) : [];
  return {
    images,
    responseId: response.id,
    ...optional("usage", usageOf(response)),
    ...optional("revisedPrompt", first?.revised_prompt ?? undefined),
    ...optional("text", text === "" ? undefined : text),
    ...optional("sources", sources.length > 0 ? sources : undefined),
    ...optional("size", first?.size ?? undefined),
    ...optional("quality", first?.quality ?? undefined),
  };
}

/**
 * The model's token usage with the image tool's beside it (`tool_usage.image_gen`): the image is billed
 * separately, and cost needs both.
 */
export function usageOf(response: Response): Usage | undefined {
  if (!response.usage && !response.tool_usage) return undefined;
  return { ...response.usage, ...optional("tool_usage", response.tool_usage) } as Usage;
}

/** A failed image call: moderation says at which stage it stopped; anything else keeps OpenAI's code. */
function failedCall(call: ImageCall, requestId: string | undefined): ResponseFailedError {
  const error = call.error;
  return new ResponseFailedError(
    error?.code ?? null,
    error?.message ?? "The image generation call failed",
    requestId,
    error?.moderation_details?.moderation_stage,
  );
}

/** The model's text, from the output message items (`output_text` is only filled in on non-streamed responses). */
function outputText(response: Response): string {
  const parts: string[] = [];
  for (const item of response.output) {
    if (item.type !== "message") continue;
    for (const part of item.content) if (part.type === "output_text") parts.push(part.text);
  }
  return parts.join("");
}

function dataUrl(file: InputFile): string {
  return `data:${file.contentType};base64,${file.bytes.toString("base64")}`;
}
