import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { loadConfig, operatorDefaults } from "../config/load.js";
import { ConfigError } from "../config/types.js";
import { isUserError, userError } from "../core/errors.js";
import { keepShutdownDates } from "../engine/model-dates.js";
import { checkOptions } from "../intake/enqueue-run.js";
import { createLogger } from "../logger.js";
import { checkInputHeaders } from "../media/check-inputs.js";
import { historyCommandOut, isUsageCommand, parseCliArgs, usage } from "./args.js";
import { historyText } from "./history.js";
import { prepareOutDir } from "./out-dir.js";
import { printResult } from "./print-result.js";
import { runLocalJob } from "./run-local-job.js";
import { usageText } from "./usage.js";

/** 0 done; 1 OpenAI refused or failed, or the machine could not run the job; 2 invalid input, nothing spent. */
const EXIT = { ok: 0, failed: 1, invalid: 2, interrupted: 130 } as const;

async function readInput(path: string): Promise<{ name: string; bytes: Buffer }> {
  try {
    return { name: basename(path), bytes: await readFile(path) };
  } catch (error) {
    throw userError("unreadable_file", { path, reason: (error as NodeJS.ErrnoException).code ?? "error" });
  }
}

async function main(argv: string[]): Promise<number> {
  if (isUsageCommand(argv)) {
    // Reads Redis only: no OpenAI key needed.
    process.stdout.write(`${await usageText(loadConfig(undefined, []))}\n`);
    return EXIT.ok;
  }
  const history = historyCommandOut(argv);
  if (history !== undefined) {
    process.stdout.write(`${await historyText(loadConfig(undefined, []), history.out)}\n`);
    return EXIT.ok;
  }
  const args = parseCliArgs(argv);
  if (args.help) {
    process.stdout.write(`${usage()}\n`);
    return EXIT.ok;
  }
  const config = loadConfig();
  // Refusals and failures reach the person as one line from the renderer; JSON logs are for faults (or a
  // LOG_LEVEL set on purpose), not a second, noisier copy of the same news.
  const logger = createLogger(config.logLevel === "info" ? "error" : config.logLevel);
  // Before the options are checked: a model past its announced shutdown is refused like a retired one.
  await keepShutdownDates(config.openai, logger);
  const request = checkOptions(
    args.options,
    {
      imageCount: args.images.length,
      hasMask: args.mask !== undefined,
      hasMarkup: args.markup !== undefined,
    },
    operatorDefaults(config.openai),
  );
  const images = await Promise.all(args.images.map(readInput));
  const mask = args.mask === undefined ? undefined : await readInput(args.mask);
  const markup = args.markup === undefined ? undefined : await readInput(args.markup);
  const inputs = await checkInputHeaders(images, mask, markup ? { markup } : {});
  const outDir = args.out ?? config.storageDir;
  await prepareOutDir(outDir);

  const abort = new AbortController();
  // Ctrl-C or a supervisor's SIGTERM cancels the job, and with it the OpenAI request: nothing more is spent.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => abort.abort());
  const { runId, renderer } = await runLocalJob({
    config,
    request,
    inputs,
    outDir,
    thread: args.thread,
    progress: process.stderr,
    logger,
    signal: abort.signal,
  });
  const outcome = renderer.outcome;
  if (outcome?.ok) {
    printResult(process.stdout, outDir, runId, outcome.result);
    return EXIT.ok;
  }
  if (abort.signal.aborted) return EXIT.interrupted;
  // The renderer has printed the failure as its last line.
  if (outcome === undefined) process.stderr.write("error: the job ended without a result\n");
  return outcome?.error.kind === "invalid_input" ? EXIT.invalid : EXIT.failed;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT.invalid);
    }
    if (isUserError(error)) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exit(error.kind === "invalid_input" ? EXIT.invalid : EXIT.failed);
    }
    process.stderr.write(`error: ${(error as Error).message}\n`);
    process.exit(EXIT.failed);
  },
);
