import { NotFoundError, type OpenAI } from "openai";
import type { OpenAIConfig } from "../config/types.js";
import { errorMessage } from "../core/errors.js";
import { setShutdownDates, shutdownDateOf } from "../core/model-shutdowns.js";
import { MODELS } from "../core/models.js";
import type { Logger } from "../logger.js";
import { apiModelName, createOpenAIClient } from "./client.js";

/** What one reading of the offered models' shutdown dates found. */
export interface ShutdownDates {
  /** Model → `YYYY-MM-DD`, for the models OpenAI announced a date for. */
  dates: Map<string, string>;
  /** Models `GET /models/{id}` answered 404 for (no access, gone, or an endpoint without the route). */
  notFound: string[];
  /** Set when the reading stopped (network, key): then `dates` is incomplete and the last reading stands. */
  failure?: string;
}

/** A start waits for the reading: an OpenAI that does not answer must not hold it for OPENAI_TIMEOUT_MS. */
const LOOKUP_TIMEOUT_MS = 10_000;

/** OpenAI sends `YYYY-MM-DD`; a timestamp (seconds), should one come, is read as its UTC day. */
function dayOf(value: unknown): string | undefined {
  if (typeof value === "string" && /^\d{4}-\d\d-\d\d/.test(value)) return value.slice(0, 10);
  if (typeof value === "number" && Number.isFinite(value))
    return new Date(value * 1000).toISOString().slice(0, 10);
  return undefined;
}

/**
 * Reads `shutdown_date` of every model of the table (aliases and snapshots), one `models.retrieve` each. A 404
 * is noted and the rest are read; any other failure (network, 401) stops the reading, since every other model
 * would fail the same way.
 */
export async function readShutdownDates(
  client: OpenAI,
  config: OpenAIConfig,
  models: readonly string[] = [...MODELS.keys()],
): Promise<ShutdownDates> {
  const read: ShutdownDates = { dates: new Map(), notFound: [] };
  for (const model of models) {
    try {
      const found = await client.models.retrieve(apiModelName(config, model), { timeout: LOOKUP_TIMEOUT_MS });
      const date = dayOf(found.shutdown_date);
      if (date !== undefined) read.dates.set(model, date);
    } catch (error) {
      if (error instanceof NotFoundError) {
        read.notFound.push(model);
        continue;
      }
      read.failure = errorMessage(error);
      break;
    }
  }
  return read;
}

/** A day: the dates are days, and OpenAI announces them weeks ahead. */
const REFRESH_MS = 24 * 60 * 60 * 1000;

/**
 * Reads the dates into this process's catalogue (`src/core/model-shutdowns.ts`) at start, then once a day, off
 * the request path. A failed reading never stops anything: it is logged once (the doctor shows it) and the
 * last dates read stand. Off with OPENAI_SHUTDOWN_DATES=false.
 * @returns what stops the daily refresh.
 */
export async function keepShutdownDates(config: OpenAIConfig, logger: Logger): Promise<() => void> {
  if (!config.readShutdownDates) return () => undefined;
  const client = createOpenAIClient(config);
  let warned = false;
  const refresh = async () => {
    const found = await readShutdownDates(client, config);
    // A model that went 404 (shut down, perhaps) keeps the date read before: it must stay refused.
    const kept = found.notFound.flatMap((model) => {
      const date = shutdownDateOf(model);
      return date === undefined ? [] : [[model, date] as const];
    });
    if (found.failure === undefined) setShutdownDates(new Map([...kept, ...found.dates]));
    // Azure names deployments, which its endpoint may not describe: nothing found there is no fault.
    const azureWithout = config.provider === "azure" && found.dates.size === 0 && found.failure === undefined;
    if (!warned && azureWithout) {
      warned = true;
      logger.info("Azure OpenAI: no model shutdown dates to read; models are offered as before");
    } else if (!warned && (found.failure !== undefined || found.notFound.length > 0)) {
      warned = true;
      logger.warn(
        { failure: found.failure, notFound: found.notFound },
        "model shutdown dates not fully read; models without a date are offered as before",
      );
    }
    if (found.dates.size > 0) logger.info({ dates: Object.fromEntries(found.dates) }, "model shutdown dates");
  };
  await refresh().catch((error: unknown) => logger.warn({ err: error }, "model shutdown dates not read"));
  const timer = setInterval(() => {
    refresh().catch((error: unknown) => logger.warn({ err: error }, "model shutdown dates not read"));
  }, REFRESH_MS);
  timer.unref();
  return () => clearInterval(timer);
}
