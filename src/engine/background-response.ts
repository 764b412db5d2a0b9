import { NotFoundError, type OpenAI } from "openai";
import type {
  Response,
  ResponseCreateParamsBase,
  ResponseCreateParamsNonStreaming,
  ResponseStreamEvent,
} from "openai/resources/responses/responses";
import type { ImageRequest } from "../core/request.js";
import { type AttemptEvent, type AttemptResult, asStreamCut, decodeImage } from "./attempt.js";
import { ResponseFailedError, StreamCutError } from "./errors.js";
import type { ResponseCheckpoint } from "./events.js";
import { sleep } from "./retry.js";
import { requestIdOf, sseEvents } from "./sse.js";
import type { WithBytes } from "./sse-image-fields.js";

type StreamEvent = WithBytes<ResponseStreamEvent, "partial_image_b64">;

/** The stream's events, each partial image already decoded from its base64. */
function responseEvents(response: globalThis.Response, signal: AbortSignal | undefined) {
  return sseEvents<ResponseStreamEvent, "partial_image_b64">(response, signal, ["partial_image_b64"]);
}

/** How often a background response that does not stream (GIF, SVG) is asked whether it is done. */
const POLL_MS = 1_000;

/** Statuses after which a response changes no more. */
const FINISHED: ReadonlySet<string> = new Set(["completed", "incomplete", "failed"]);

export interface BackgroundCall {
  client: OpenAI;
  body: ResponseCreateParamsBase;
  headers: Record<string, string>;
  request: ImageRequest;
  /** Whether the response streams (partials); GIF and SVG are polled instead. */
  stream: boolean;
  /** Reads a finished response: images, text, ids, usage; throws for a failed one. */
  finish(response: Response, requestId: string | undefined, streamedText: string): AttemptResult;
  resumeFrom?: ResponseCheckpoint | undefined;
  onCheckpoint?: ((checkpoint: ResponseCheckpoint) => Promise<void>) | undefined;
}

/**
 * One image made with a background response (`background: true, store: true`), across attempts and
 * processes: OpenAI goes on generating whether or not anyone is connected, so an attempt after a cut
 * stream, or a worker after a crash, reads the same response again (`retrieve` with `starting_after`)
 * instead of paying for a second one. The checkpoint (the response id and the last event handled) is
 * reported as it moves, for a process that starts over to find.
 *
 * A response still `queued` when an attempt comes back to it is taken as stuck (OpenAI's queue sometimes
 * keeps one there): it is cancelled, which costs nothing before it starts, and made again once.
 */
export class BackgroundResponse {
  #responseId: string | undefined;
  #sequence: number;
  #restarted = false;

  constructor(private readonly call: BackgroundCall) {
    this.#responseId = call.resumeFrom?.responseId;
    this.#sequence = call.resumeFrom?.sequence ?? -1;
  }

  async *attempt(signal: AbortSignal | undefined): AsyncGenerator<AttemptEvent> {
    if (this.#responseId === undefined) {
      yield* this.#create(signal);
      return;
    }
    const current = await this.#retrieve(this.#responseId, signal);
    if (current !== undefined && FINISHED.has(current.status ?? "")) {
      yield* this.#finished(current, signal);
      return;
    }
    const stuck = current === undefined || current.status === "queued" || current.status === "cancelled";
    if (stuck && !this.#restarted) {
      // Gone (expired, cancelled) or never started: nothing was made, so making it again pays once.
      this.#restarted = true;
      if (current?.status === "queued") await this.#cancel(current.id);
      this.#responseId = undefined;
      this.#sequence = -1;
      yield* this.#create(signal);
      return;
    }
    if (current === undefined) throw new StreamCutError("The background response is gone from OpenAI");
    if (current.status === "cancelled")
      throw new ResponseFailedError(null, "OpenAI cancelled the background response", undefined);
    yield* this.#follow(current, signal);
  }

  /**
   * Stops the response on OpenAI's side: aborting the request alone does not, and the image would still
   * be made and billed. For a cancel by the person or the operator, or an `error` event that ends the job
   * (moderation, an invalid request); never for a cut connection, which a later attempt resumes.
   */
  async abandon(): Promise<void> {
    if (this.#responseId !== undefined) await this.#cancel(this.#responseId);
  }

  async *#create(signal: AbortSignal | undefined): AsyncGenerator<AttemptEvent> {
    const { client, body, headers } = this.call;
    const options = { signal: signal ?? null, headers };
    if (this.call.stream) {
      const response = await client.responses.create({ ...body, stream: true }, options).asResponse();
      yield* this.#read(responseEvents(response, signal), requestIdOf(response));
      return;
    }
    // `body` never says `stream`: this is the non-streaming overload.
    const nonStreaming = body as ResponseCreateParamsNonStreaming;
    const { data, request_id } = await client.responses.create(nonStreaming, options).withResponse();
    await this.#moved(data.id, -1);
    yield* this.#poll(data, signal, request_id ?? undefined);
  }

  /**
   * A response that finished while no one read it (its worker died): a streamed one is read again from the
   * checkpoint, so the partial frames made meanwhile are shown and stored as they would have been, and its
   * final comes from the replay. Should the replay fail, the finished response still has the image.
   */
  async *#finished(current: Response, signal: AbortSignal | undefined): AsyncGenerator<AttemptEvent> {
    if (this.call.stream && current.status === "completed") {
      try {
        yield* this.#follow(current, signal);
        return;
      } catch (error) {
        if (signal?.aborted) throw error;
      }
    }
    yield { type: "final", result: this.call.finish(current, undefined, "") };
  }

  /** Picks the response up where this call left it: the stream after the last event, or the polling. */
  async *#follow(current: Response, signal: AbortSignal | undefined): AsyncGenerator<AttemptEvent> {
    if (!this.call.stream) {
      yield* this.#poll(current, signal);
      return;
    }
    const { client, headers } = this.call;
    const response = await client.responses
      .retrieve(
        current.id,
        { stream: true, starting_after: this.#sequence },
        { signal: signal ?? null, headers },
      )
      .asResponse();
    yield* this.#read(responseEvents(response, signal), requestIdOf(response));
  }

  async *#read(stream: AsyncIterable<StreamEvent>, requestId: string | undefined) {
    let text = "";
    let done: Response | undefined;
    try {
      for await (const event of stream) {
        if (event.type === "response.created") await this.#moved(event.response.id, event.sequence_number);
        if (event.type === "response.image_generation_call.partial_image") {
          yield {
            type: "partial" as const,
            index: event.partial_image_index,
            image: decodeImage(event.partial_image_b64, event.output_format, this.call.request.format),
          };
          // Once shown: a process that starts over shows only the partials after this one.
          await this.#moved(this.#responseId, event.sequence_number);
          continue;
        }
        this.#sequence = event.sequence_number;
        if (event.type === "response.output_text.delta") {
          text += event.delta;
          yield { type: "text" as const, delta: event.delta };
        } else if (
          event.type === "response.completed" ||
          event.type === "response.incomplete" ||
          event.type === "response.failed"
        ) {
          done = event.response;
        }
      }
    } catch (error) {
      if (done === undefined) throw asStreamCut(error, requestId);
    }
    if (done === undefined)
      throw new StreamCutError("The stream from OpenAI ended before the response completed", requestId);
    yield { type: "final" as const, result: this.call.finish(done, requestId, text) };
  }

  async *#poll(response: Response, signal: AbortSignal | undefined, requestId?: string) {
    const { client, headers } = this.call;
    let current = response;
    while (!FINISHED.has(current.status ?? "")) {
      if (current.status === "cancelled") throw new StreamCutError("The background response was cancelled");
      await sleep(POLL_MS, signal);
      current = await client.responses.retrieve(current.id, {}, { signal: signal ?? null, headers });
    }
    yield { type: "final" as const, result: this.call.finish(current, requestId, "") };
  }

  /** The response as OpenAI has it now; `undefined` when OpenAI no longer knows it. */
  async #retrieve(responseId: string, signal: AbortSignal | undefined): Promise<Response | undefined> {
    try {
      return await this.call.client.responses.retrieve(
        responseId,
        {},
        { signal: signal ?? null, headers: this.call.headers },
      );
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  async #cancel(responseId: string): Promise<void> {
    await this.call.client.responses
      .cancel(responseId, { headers: this.call.headers, timeout: 10_000, maxRetries: 1 })
      .catch(() => undefined);
  }

  async #moved(responseId: string | undefined, sequence: number): Promise<void> {
    if (responseId === undefined) return;
    this.#responseId = responseId;
    this.#sequence = sequence;
    // Saved when the response exists and after each partial: what a crash would otherwise pay for again.
    await this.call.onCheckpoint?.({ responseId, sequence });
  }
}
