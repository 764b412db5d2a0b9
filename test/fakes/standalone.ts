import { type ParseArgsOptionsConfig, parseArgs } from "node:util";

/**
 * A standalone fake's flags; a flag it does not know, or `--help`, prints its usage instead of a stack trace.
 * Flags only (no environment): only src/config/ reads the environment.
 */
export function parseFakeFlags<const Options extends ParseArgsOptionsConfig>(
  options: Options,
  usage: string,
) {
  if (process.argv.slice(2).includes("--help")) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  try {
    return parseArgs({ options }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${usage}\n`);
    process.exit(2);
  }
}

/**
 * What every standalone fake (`npm run fake:openai|fake:discord|fake:slack`) does on SIGINT or SIGTERM: say how
 * many requests it served, close its server, and exit 0, once however many signals arrive.
 */
export function stopOnSignals(fake: { requests: { length: number }; close(): Promise<void> }): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: shutting down after ${fake.requests.length} requests\n`);
    await fake.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}
