import type { OpenAI } from "openai";
import type { Logger } from "pino";
import type { OpenAIConfig } from "../config/types.js";
import { UserError } from "../core/errors.js";
import type { EngineInputs } from "../core/images.js";
import type { ImageRequest } from "../core/request.js";
import { metrics } from "../metrics.js";
import type { PreparedCall } from "./attempt.js";
import { createOpenAIClient } from "./client.js";
import { classifyError, exhaustedVerdictError, isStreamErrorEvent, type Verdict } from "./errors.js";
import type { EngineCallOptions, EngineEvent, ImageEngine } from "./events.js";
import { IdleTimeout } from "./idle-timeout.js";
import { prepareImagesCall } from "./images-api.js";
import { prepareResponsesCall } from "./responses-api.js";
import { abortReason, type RetryPolicy, retryDelay, sleep } from "./retry.js";

export interface EngineOptions {
  /** Logs attempts and retries (never image bytes, never keys). */
  logger?: Logger;
  /** A ready client (a custom `fetch`, a proxy); built from the config otherwise. */
  client?: OpenAI;
}

interface RunSettings {
  policy: RetryPolicy;
  /** Longest silence from OpenAI within one attempt. */
  idleMs: number;
  logger: Logger | undefined;
}

/**
 * The engine: one async stream of events whatever the mode (`request.api`). Transient failures are
 * retried here with backoff (a retried stream starts over, so partials may repeat); every other failure
 * ends the stream with a `UserError` (see `errors.ts`), and an abort of `options.signal` with the abort.
 */
export function createEngine(config: OpenAIConfig, options: EngineOptions = {}): ImageEngine {
  const client = options.client ?? createOpenAIClient(config);
  const policy: RetryPolicy = { maxRetries: config.maxRetries, baseMs: config.retryBaseMs };

  return (request: ImageRequest, inputs: EngineInputs, callOptions: EngineCallOptions = {}) => {
    const prepare = request.api === "responses" ? prepareResponsesCall : prepareImagesCall;
    const call = prepare({ client, config, request, inputs, options: callOptions });
    const logger = options.logger?.child({ model: request.model, ...call.describe });
    return runWithRetries(call, callOptions.signal, { policy, idleMs: config.timeoutMs, logger });
  };
}

async function* runWithRetries(
  call: PreparedCall,
  signal: AbortSignal | undefined,
  settings: RunSettings,
): AsyncGenerator<EngineEvent> {
  try {
    yield* attempts(call, signal, settings);
  } catch (error) {
    // A cancel ends the call wherever it finds it (a stream, a back-off between attempts): work OpenAI would
    // go on with, and bill, stops too.
    if (signal?.aborted) await call.abandon?.();
    throw error;
  }
}

async function* attempts(
  call: PreparedCall,
  signal: AbortSignal | undefined,
  { policy, idleMs, logger }: RunSettings,
): AsyncGenerator<EngineEvent> {
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortReason(signal);
    const startedAt = Date.now();
    const idle = new IdleTimeout(signal, idleMs);
    logger?.debug({ attempt }, "openai request");
    try {
      for await (const event of call.attempt(idle.signal)) {
        // The caller's time with an event is not OpenAI's silence.
        idle.pause();
        if (event.type !== "final") {
          yield event;
          idle.touch();
          continue;
        }
        logger?.debug(
          {
            attempt,
            images: event.result.images.length,
            ms: Date.now() - startedAt,
            responseId: event.result.responseId,
          },
          "openai request completed",
        );
        yield { type: "final", ...event.result, sentParameters: call.sentParameters, attempts: attempt };
        return;
      }
      // Every attempt yields a final or throws; reaching here is a bug in a mode, not OpenAI's doing.
      throw new Error("An engine attempt ended without a result");
    } catch (error) {
      const verdict = verdictFor(error, signal, idle);
      if (verdict.action !== "abort") metrics.openaiErrors.inc({ class: errorClass(verdict) });
      if (verdict.action === "abort") throw verdict.error;
      if (verdict.action === "fail") {
        logger?.debug({ attempt, code: (verdict.error as { code?: unknown }).code }, "openai request failed");
        // The event ends our reading, not OpenAI's work: a background response would run on, and be billed.
        if (isStreamErrorEvent(error)) await call.abandon?.();
        throw verdict.error;
      }
      if (attempt > policy.maxRetries) throw exhaustedVerdictError(verdict, attempt);
      const delayMs = retryDelay(attempt, policy, verdict.retryAfterMs);
      logger?.warn(
        { attempt, reason: verdict.reason, delayMs, ...verdict.details },
        "openai request failed; retrying",
      );
      await sleep(delayMs, signal);
    } finally {
      idle.dispose();
    }
  }
}

/** The metric's class of a failed attempt: why it is retried, or the code it ended with. */
function errorClass(verdict: Exclude<Verdict, { action: "abort" }>): string {
  if (verdict.action === "retry") return verdict.reason;
  return verdict.error instanceof UserError ? verdict.error.code : "internal_error";
}

/** A silence that outlasted the idle timeout is a connection failure, whatever the SDK made of the abort. */
function verdictFor(error: unknown, signal: AbortSignal | undefined, idle: IdleTimeout): Verdict {
  if (idle.timedOut && !signal?.aborted) {
    return {
      action: "retry",
      reason: "connection",
      details: { message: `OpenAI sent nothing for ${idle.ms} ms` },
      cause: error,
    };
  }
  return classifyError(error, signal);
}
