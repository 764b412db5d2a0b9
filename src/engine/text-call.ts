import type { OpenAI } from "openai";
import type {
  Response,
  ResponseCreateParamsNonStreaming,
  ResponseInputContent,
} from "openai/resources/responses/responses";
import type { Logger } from "pino";
import type { OpenAIConfig } from "../config/types.js";
import { userError } from "../core/errors.js";
import type { InputFile, Usage } from "../core/images.js";
import type { TextQuestion } from "../core/studio-asks.js";
import { describeFile } from "./attempt.js";
import { apiModelName, createOpenAIClient } from "./client.js";
import { classifyError, exhaustedVerdictError, ResponseFailedError } from "./errors.js";
import { optional } from "./optional.js";
import { type RetryPolicy, retryDelay, sleep } from "./retry.js";

/** One question to the Responses model that wants text back (a description, a rewritten prompt). */
export interface TextAsk extends TextQuestion {
  /** Already hashed; never a raw platform user id. */
  safetyIdentifier?: string;
  signal?: AbortSignal;
}

export interface TextAnswer {
  text: string;
  usage?: Usage;
  responseId: string;
  /** Every parameter sent, image bytes replaced by names and sizes (for metadata.json). */
  sentParameters: Record<string, unknown>;
  attempts: number;
}

/** Asks the Responses model (`RESPONSES_MODEL`) for text; failures classified and retried as the engine's are. */
export type TextModel = (ask: TextAsk) => Promise<TextAnswer>;

export function createTextModel(
  config: OpenAIConfig,
  options: { client?: OpenAI; logger?: Logger } = {},
): TextModel {
  const client = options.client ?? createOpenAIClient(config);
  const policy: RetryPolicy = { maxRetries: config.maxRetries, baseMs: config.retryBaseMs };
  return async (ask) => {
    const { body, sentParameters } = requestOf(config, ask);
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await client.responses.create(body, { ...optional("signal", ask.signal) });
        return { ...answerOf(response), sentParameters, attempts: attempt };
      } catch (error) {
        const verdict = classifyError(error, ask.signal);
        if (verdict.action !== "retry") throw verdict.error;
        if (attempt > policy.maxRetries) throw exhaustedVerdictError(verdict, attempt);
        const delayMs = retryDelay(attempt, policy, verdict.retryAfterMs);
        options.logger?.warn({ attempt, reason: verdict.reason, delayMs }, "text request failed; retrying");
        await sleep(delayMs, ask.signal);
      }
    }
  };
}

const dataUrl = (file: InputFile) => `data:${file.contentType};base64,${file.bytes.toString("base64")}`;

/**
 * Not stored and not in the background: the answer is small and the worker writes it to the run folder
 * before it goes on, so a retried job reuses it instead of asking again.
 */
function requestOf(config: OpenAIConfig, ask: TextAsk) {
  const images = ask.images ?? [];
  const content: ResponseInputContent[] = [
    ...(ask.text === undefined ? [] : [{ type: "input_text" as const, text: ask.text }]),
    ...images.map((image) => ({
      type: "input_image" as const,
      image_url: dataUrl(image),
      detail: "auto" as const,
    })),
  ];
  const body = {
    model: apiModelName(config, config.responsesModel),
    instructions: ask.instructions,
    input: [{ role: "user" as const, content }],
    max_output_tokens: ask.maxOutputTokens,
    ...(ask.schema
      ? { text: { format: { type: "json_schema" as const, strict: true, ...ask.schema } } }
      : {}),
    ...optional("safety_identifier", ask.safetyIdentifier),
    store: false,
  } satisfies ResponseCreateParamsNonStreaming;
  const sentParameters = {
    ...body,
    input: [
      {
        role: "user",
        content: [
          ...(ask.text === undefined ? [] : [{ type: "input_text", text: ask.text }]),
          ...images.map((image) => ({ type: "input_image", detail: "auto", ...describeFile(image) })),
        ],
      },
    ],
  };
  return { body, sentParameters };
}

/** The answer's text; a failed response is classified like the engine's, one without text is `text_answer_missing`. */
function answerOf(response: Response): Omit<TextAnswer, "sentParameters" | "attempts"> {
  if (response.status === "failed") {
    throw new ResponseFailedError(
      response.error?.code ?? null,
      response.error?.message ?? "The response failed",
      undefined,
    );
  }
  const parts: string[] = [];
  for (const item of response.output) {
    if (item.type !== "message") continue;
    for (const part of item.content) if (part.type === "output_text") parts.push(part.text);
  }
  const text = parts.join("").trim();
  const usage = response.usage ? ({ ...response.usage } as Usage) : undefined;
  // An answer cut at the token cap is half a prompt, or JSON that does not parse: no answer.
  if (text === "" || response.status === "incomplete") {
    const reason = response.incomplete_details?.reason ?? response.status ?? "no text";
    throw userError("text_answer_missing", { details: { responseId: response.id, reason } });
  }
  return { text, responseId: response.id, ...optional("usage", usage) };
}
