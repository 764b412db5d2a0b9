import { HttpError } from "./errors.js";

/** A failure the fake injects into the next model request (POST generations, edits or responses). */
export type Failure =
  | { type: "rate_limit"; retryAfterSeconds?: number }
  | { type: "server_error"; status?: 500 | 502 | 503 }
  | { type: "moderation_blocked"; stage: "input" | "output" }
  | { type: "insufficient_quota" }
  | { type: "unauthorized" }
  | { type: "forbidden" }
  | { type: "bad_request"; message: string; param?: string }
  | { type: "stream_cut"; afterEvents: number }
  /**
   * Streaming: send `afterEvents` events, then an SSE `event: error` and end the stream cleanly
   * (how OpenAI reports a failure once the 200 is on the wire). Non-streaming: a 500 with this code.
   */
  | { type: "stream_error"; afterEvents: number; code?: string; message?: string }
  | { type: "hang" }
  /**
   * Background streaming (`background: true, stream: true`): the response is created and stays `queued`
   * for good, and the stream is cut after `response.created`, as OpenAI's queue sometimes leaves one.
   */
  | { type: "stuck_queued" };

/** Failures that shape a stream instead of replacing the answer with an HTTP error. */
export type StreamFailure = Extract<Failure, { type: "stream_cut" | "stream_error" }>;

export class FailureQueue {
  #queue: Failure[] = [];

  push(failure: Failure, times = 1): void {
    for (let i = 0; i < times; i++) this.#queue.push(failure);
  }

  shift(): Failure | undefined {
    return this.#queue.shift();
  }

  clear(): void {
    this.#queue = [];
  }
}

/** The HTTP answer for failures that never start a stream. */
export function failureToHttpError(
  failure: Exclude<Failure, StreamFailure | { type: "hang" } | { type: "stuck_queued" }>,
  model: string,
  requestId: string,
): HttpError {
  switch (failure.type) {
    case "rate_limit": {
      const seconds = failure.retryAfterSeconds ?? 1;
      return new HttpError(
        429,
        {
          message: `Rate limit reached for ${model} in organization org-fake on images per minute (IPM): Limit 5, Used 5, Requested 1. Please try again in ${seconds}s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
          type: "requests",
          param: null,
          code: "rate_limit_exceeded",
        },
        {
          "retry-after": String(seconds),
          "retry-after-ms": String(Math.round(seconds * 1000)),
          "x-ratelimit-limit-requests": "5",
          "x-ratelimit-remaining-requests": "0",
          "x-ratelimit-reset-requests": `${seconds}s`,
        },
      );
    }
    case "server_error": {
      const status = failure.status ?? 500;
      const message =
        status === 503
          ? "The server is overloaded or not ready yet."
          : `The server had an error while processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if the error persists. (Please include the request ID ${requestId} in your message.)`;
      return new HttpError(status, { message, type: "server_error", param: null, code: null });
    }
    case "moderation_blocked":
      return new HttpError(400, {
        message: `Your request was rejected by the safety system. If you believe this is an error, contact us at help.openai.com and include the request ID ${requestId}.`,
        type: "image_generation_user_error",
        param: null,
        code: "moderation_blocked",
        moderation_details: { categories: ["violence"], moderation_stage: failure.stage },
      });
    case "insufficient_quota":
      return new HttpError(429, {
        message:
          "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
        type: "insufficient_quota",
        param: null,
        code: "insufficient_quota",
      });
    case "unauthorized":
      return new HttpError(401, {
        message:
          "Incorrect API key provided: sk-****. You can find your API key at https://platform.openai.com/account/api-keys.",
        type: "invalid_request_error",
        param: null,
        code: "invalid_api_key",
      });
    case "forbidden":
      return new HttpError(403, {
        message: `Your organization must be verified to use the model \`${model}\`. Please go to: https://platform.openai.com/settings/organization/general and click on Verify Organization. If you just verified, it can take up to 15 minutes for access to propagate.`,
        type: "invalid_request_error",
        param: null,
        code: null,
      });
    case "bad_request":
      return new HttpError(400, {
        message: failure.message,
        type: "invalid_request_error",
        param: failure.param ?? null,
        code: null,
      });
  }
}

/** `stream_error` on a request that did not ask for a stream: the same failure as a plain 500. */
export function streamErrorAsHttp(failure: Extract<Failure, { type: "stream_error" }>): HttpError {
  return new HttpError(500, {
    message: failure.message ?? "The server had an error while processing your request.",
    type: "server_error",
    param: null,
    code: failure.code ?? "server_error",
  });
}
