import { NotFoundError, type OpenAI } from "openai";
import type { Response } from "openai/resources/responses/responses";
import type { OpenAIConfig } from "../config/types.js";
import type { Usage } from "../core/images.js";
import type { ImageRequest } from "../core/request.js";
import type { AttemptResult } from "./attempt.js";
import { imageToolHeaders } from "./client.js";
import type { ResponseCheckpoint } from "./events.js";
import { resultFromResponse, usageOf } from "./responses-api.js";

/**
 * What became of the background response of a job given up: it `finished` with images (paid: show them), or it
 * `stopped` without any (cancelled now, failed, or gone), having cost what `usage` says. OpenAI reports no usage
 * for a cancelled response (the API's cancel example answers `usage: null`), though what it generated before is
 * billed: `started` false means it was cancelled while still queued, before generating anything.
 */
export type GivenUpResponse =
  | { state: "finished"; result: AttemptResult }
  | { state: "stopped"; usage?: Usage | undefined; started: boolean };

/** Ends the background response of a job given up: collects it if it finished, cancels it if it runs. */
export type EndGivenUpResponse = (
  request: ImageRequest,
  checkpoint: ResponseCheckpoint,
) => Promise<GivenUpResponse>;

/**
 * OpenAI goes on generating, and billing, a background response whether or not a worker reads it: a job whose
 * workers died looks at it before saying anything about money. Retrieve and cancel are idempotent, so unlike
 * generations they may use the SDK's own retries.
 */
export function givenUpResponseEnder(client: OpenAI, config: OpenAIConfig): EndGivenUpResponse {
  return async (request, { responseId }) => {
    const options = { headers: imageToolHeaders(config, request.model), maxRetries: 2, timeout: 20_000 };
    let current: Response;
    let started = true;
    try {
      current = await client.responses.retrieve(responseId, {}, options);
      started = current.status !== "queued";
      // Cancelling one that finished meanwhile answers it as it is: its images are then collected all the same.
      if (current.status === "queued" || current.status === "in_progress")
        current = await client.responses.cancel(responseId, options);
    } catch (error) {
      // Expired or deleted: nothing of it can be shown, and OpenAI no longer says what it cost.
      if (error instanceof NotFoundError) return { state: "stopped", started };
      throw error;
    }
    return outcomeOf(current, request, started);
  };
}

function outcomeOf(response: Response, request: ImageRequest, started: boolean): GivenUpResponse {
  const usage = usageOf(response);
  if (response.status !== "completed" && response.status !== "incomplete")
    return { state: "stopped", usage, started };
  try {
    return { state: "finished", result: resultFromResponse(response, request, undefined) };
  } catch {
    // Finished without an image (moderation, a refusal): nothing to show, the usage still billed.
    return { state: "stopped", usage, started };
  }
}
