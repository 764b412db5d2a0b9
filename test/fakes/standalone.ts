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
