import { type ParseArgsConfig, parseArgs } from "node:util";
import { imagineCommand } from "../../commands/imagine.js";
import { invalidInput } from "../core/errors.js";

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
  out: string | undefined;
  thread: string | undefined;
}

/** `--size 1536x1024 --image a.png --image b.png`: every `/imagine` option is a flag of the same name. */
function commandFlags(): NonNullable<ParseArgsConfig["options"]> {
  const flags: NonNullable<ParseArgsConfig["options"]> = {};
  for (const option of imagineCommand.options) {
    if (option.name === "prompt") continue;
    flags[option.name] = { type: "string", multiple: (option.repeatable ?? 1) > 1 };
  }
  return flags;
}

export function parseCliArgs(argv: string[]): CliArgs {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...commandFlags(), ...CLI_FLAGS },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // node's messages already name the flag ("Unknown option '--sise'"); keep them, add the way out.
    throw invalidInput("invalid_flag", `${(error as Error).message}. Run with --help to see every option.`);
  }
  const { values, positionals } = parsed;
  const options: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    if (name in CLI_FLAGS || name === "image" || name === "mask") continue;
    options[name] = value;
  }
  if (positionals.length > 0) options.prompt = positionals.join(" ");
  const images = values.image;
  const mask = values.mask;
  return {
    help: values.help === true,
    options,
    images: Array.isArray(images) ? images.map(String) : [],
    mask: typeof mask === "string" ? mask : undefined,
    out: typeof values.out === "string" ? values.out : undefined,
    thread: typeof values.thread === "string" ? values.thread : undefined,
  };
}

export function usage(): string {
  const lines = [
    'Usage: npm run imagine -- "<prompt>" [options]',
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
    `  --${"thread".padEnd(12)} Continue a named conversation: the Responses API chains each run to the last`,
    `  --${"help".padEnd(12)} Show this help`,
    "",
    "Exit codes: 0 done, 1 OpenAI refused or failed, 2 invalid input (nothing was sent to OpenAI).",
  );
  return lines.join("\n");
}
