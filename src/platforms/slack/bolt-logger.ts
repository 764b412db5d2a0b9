import { format } from "node:util";
import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import { scrubSecrets } from "../../log-safety.js";
import type { Logger } from "../../logger.js";

/** Bolt and the Web API client log through pino (one root, redaction included) instead of the console. */
export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  // Their lines are formatted text, not errors pino serializes: the same scrubbing applies to the text.
  const line = (parts: unknown[]) => scrubSecrets(format(...parts));
  return {
    debug: (...parts: unknown[]) => logger.debug(line(parts)),
    info: (...parts: unknown[]) => logger.info(line(parts)),
    warn: (...parts: unknown[]) => logger.warn(line(parts)),
    error: (...parts: unknown[]) => logger.error(line(parts)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
