import { type ParseArgsConfig, parseArgs } from "node:util";
import { didYouMean } from "../../commands/did-you-mean.js";
import { historyCommand } from "../../commands/history.js";
import { imagineCommand } from "../../commands/imagine.js";
import { usageCommand } from "../../commands/usage.js";
import { type UserError, userError } from "../core/errors.js";

/** Flags that belong to the CLI itself, not to the `/imagine` command. */
const CLI_FLAGS = {
  out: { type: "string" },
  thread: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

export interface CliArgs {
  help: boolean;
  /** Raw option values by command option name, as typed (strings), for `parseImagineOptions`. */
  options: Record<string, unknown>;
  images: string[];
  mask: string | undefined;
  markup: string | undefined;
  out: string | undefined;
  thread: string | undefined;
}

/**
 * `--size 1536x1024 --image a.png --image b.png --draft`: every `/imagine` option is a flag of the same name; a
 * yes-or-no option is a switch.
 */
function commandFlags(): NonNullable<ParseArgsConfig["options"]> {
  const flags: NonNullable<ParseArgsConfig["options"]> = {};
  for (const option of imagineCommand.options) {
    if (option.name === "prompt") continue;
    flags[option.name] =
      option.type === "boolean"
        ? { type: "boolean" }
        : { type: "string", multiple: (option.repeatable ?? 1) > 1 };
  }
  return flags;
}

/**
 * `imagine usage` alone is the usage report, as `/imagine usage` is in Slack; a prompt of that one word would
 * need more words.
 */
export function isUsageCommand(argv: readonly string[]): boolean {
  return argv.length === 1 && argv[0]?.toLowerCase() === usageCommand.name;
}

/** `imagine history`, alone or with `--out <folder>` (where the runs were stored), as `/imagine history` is in Slack. */
export function historyCommandOut(argv: readonly string[]): { out: string | undefined } | undefined {
  if (argv[0]?.toLowerCase() !== historyCommand.name) return undefined;
  if (argv.length === 1) return { out: undefined };
  if (argv.length === 3 && argv[1] === "--out" && argv[2]) return { out: argv[2] };
  return undefined;
}

export function parseCliArgs(argv: string[]): CliArgs {
  const flags = { ...commandFlags(), ...CLI_FLAGS };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: flags, allowPositionals: true, strict: true });
  } catch (error) {
    throw flagError(error as Error & { code?: string }, Object.keys(flags));
  }
  const { values, positionals } = parsed;
  const options: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    if (name in CLI_FLAGS || name === "image" || name === "mask" || name === "markup") continue;
    options[name] = value;
  }
  if (positionals.length > 0) options.prompt = positionals.join(" ");
  const thread = typeof values.thread === "string" ? values.thread : undefined;
  // A conversation is a chain of Responses API calls: `--thread` means that API unless told otherwise.
  if (thread !== undefined) {
    if (options.api !== undefined && options.api !== "responses") {
      throw userError("thread_needs_responses", { api: String(options.api) });
    }
    options.api = "responses";
  }
  const images = values.image;
  const mask = values.mask;
  const markup = values.markup;
  return {
    help: values.help === true,
    options,
    images: Array.isArray(images) ? images.map(String) : [],
    mask: typeof mask === "string" ? mask : undefined,
    markup: typeof markup === "string" ? markup : undefined,
    out: typeof values.out === "string" ? values.out : undefined,
    thread,
  };
}

/**
 * node's messages already name the flag; an unknown one gets the same "did you mean" as Slack's flags, in the
 * CLI's own spelling (`--size`), instead of node's advice about positionals.
 */
function flagError(error: Error & { code?: string }, names: string[]): UserError {
  const unknown = /^Unknown option '(-{1,2})([^']*)'/.exec(error.message);
  if (error.code !== "ERR_PARSE_ARGS_UNKNOWN_OPTION" || unknown === null) {
    return userError("invalid_flag", { reason: error.message });
  }
  const typed = `${unknown[1]}${unknown[2]}`;
  const near = didYouMean(unknown[2] ?? "", names);
  const details = near === undefined ? { flag: typed } : { flag: typed, suggestion: `--${near}` };
  return userError("unknown_flag", { typed, near }, { details });
}

export function usage(): string {
  const lines = [
    'Usage: npm run -s imagine -- "<prompt>" [options]',
    "       npm run -s imagine -- usage   (today's and this month's spending and budgets; needs Redis)",
    "       npm run -s imagine -- history [--out <folder>]   (your last 10 runs: job ids, prompts, files; needs Redis)",
    "",
    imagineCommand.description,
    "",
    "Options:",
  ];
  for (const option of imagineCommand.options) {
    if (option.name === "prompt") continue;
    const values = option.choices ? ` (${option.choices.join("|")})` : "";
    const repeat = (option.repeatable ?? 1) > 1 ? ` (repeat up to ${option.repeatable})` : "";
    lines.push(`  --${option.name.padEnd(12)} ${option.description}${values}${repeat}`);
  }
  lines.push(
    `  --${"out".padEnd(12)} Folder for the run (default: STORAGE_DIR, ./runs)`,
    `  --${"thread".padEnd(12)} Continue a named conversation: the Responses API chains each run to the last (implies --api responses)`,
    `  --${"help".padEnd(12)} Show this help`,
    "",
    "Exit codes: 0 done, 1 OpenAI refused or failed, 2 invalid input (nothing was sent to OpenAI), 130 interrupted.",
  );
  return lines.join("\n");
}
