import { isatty } from "node:tty";
import { type DestinationStream, type Logger, pino } from "pino";
import { PinoPretty } from "pino-pretty";
import { errorLogging } from "./log-safety.js";

export type { Logger } from "pino";

/**
 * Paths pino censors wherever they appear one or two levels deep. Keys and tokens must never reach logs;
 * base64 image payloads are censored too, since one frame is megabytes of noise.
 */
export const REDACTED_PATHS = [
  "apiKey",
  "*.apiKey",
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  // METRICS_TOKEN, as the endpoint's config holds it.
  "metricsToken",
  "*.metricsToken",
  // S3_SECRET_ACCESS_KEY, as the storage config and the S3 client's credentials hold it.
  "secretAccessKey",
  "*.secretAccessKey",
  "credentials.secretAccessKey",
  "*.credentials.secretAccessKey",
  // WEB_DISCORD_CLIENT_SECRET and WEB_SLACK_CLIENT_SECRET, as the platforms' configs hold them.
  "signInSecret",
  "*.signInSecret",
  "clientSecret",
  "*.clientSecret",
  "*.signIn.clientSecret",
  "headers.authorization",
  "headers['api-key']",
  "*.headers.authorization",
  "*.headers['api-key']",
  "b64_json",
  "*.b64_json",
  "partial_image_b64",
  "*.partial_image_b64",
  "result",
  "*.result",
];

/**
 * Where log lines go (stderr, `fd`): readable lines for a person at a terminal, JSON for anything else (a pipe,
 * a log collector, the tests), which is what they parse. `isatty(2)` answers in the worker thread too.
 */
export function logDestination(terminal = isatty(2), fd = 2): DestinationStream {
  if (!terminal) return pino.destination({ dest: fd, sync: true });
  return PinoPretty({
    destination: fd,
    sync: true,
    colorize: true,
    translateTime: "SYS:HH:MM:ss.l",
    ignore: "service,hostname",
  });
}

/** The one pino root; units of work take `logger.child({ jobId, platform, userId })`. */
export function createLogger(level: string, destination: DestinationStream = logDestination()): Logger {
  return pino(
    {
      level,
      // The pid tells apart the bot and worker processes an operator runs side by side.
      base: { service: "imagine-bot", pid: process.pid },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      // Errors carry request URLs (Discord tokens) and bodies (image bytes): see log-safety.ts.
      ...errorLogging,
    },
    destination,
  );
}
