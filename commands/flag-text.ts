import { invalidInput } from "../src/core/errors.js";
import type { CommandDefinition } from "./types.js";

/**
 * Parses a command typed as one line of text, `a red fox --size 1536x1024 --n 2` (Slack's slash commands and
 * mentions), into raw values by option name for `parseCommandOptions`: words that are not flags make the
 * first required string option (the prompt), every other option is `--name value` or `--name=value`, and a
 * repeatable option given twice becomes a list. Unknown names are passed through so that the command's
 * parser answers them with its "did you mean".
 */
export interface FlagText {
  raw: Record<string, unknown>;
  /** Flags that name attachment options (`--image`): text cannot carry files. */
  attachmentFlags: string[];
}

/** Splits on spaces, keeping "quoted words" (straight or the curly quotes Slack's clients type) together. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /"([^"]*)"|“([^”]*)”|(\S+)/g;
  for (const match of text.matchAll(pattern)) tokens.push(match[1] ?? match[2] ?? match[3] ?? "");
  return tokens;
}

/** Long dashes count too: Slack's clients can turn `--` into `—` as people type. */
const FLAG = /^(?:--|—|–)([a-z][\w-]*)(?:=(.*))?$/i;

export function parseFlagText(command: CommandDefinition, text: string): FlagText {
  const positional = command.options.find((option) => option.required && option.type === "string");
  const attachments = new Set(command.options.filter((o) => o.type === "attachment").map((o) => o.name));
  const raw: Record<string, unknown> = {};
  const words: string[] = [];
  const attachmentFlags: string[] = [];
  const tokens = tokenize(text);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? "";
    const flag = FLAG.exec(token);
    if (!flag) {
      words.push(token);
      continue;
    }
    const name = (flag[1] ?? "").toLowerCase();
    let value = flag[2];
    if (value === undefined) {
      const next = tokens[i + 1];
      if (next === undefined || FLAG.test(next)) {
        throw invalidInput(
          "missing_flag_value",
          `Flag --${name} needs a value, e.g. --${name} ${example(command, name)}.`,
          {
            option: name,
          },
        );
      }
      value = next;
      i++;
    }
    if (attachments.has(name)) {
      attachmentFlags.push(name);
      continue;
    }
    const previous = raw[name];
    raw[name] =
      previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  if (positional && words.length > 0) raw[positional.name] = words.join(" ");
  return { raw, attachmentFlags };
}

function example(command: CommandDefinition, name: string): string {
  const option = command.options.find((candidate) => candidate.name === name);
  if (option?.choices?.[0] !== undefined) return option.choices[0];
  if (option?.type === "integer") return String(option.min ?? 1);
  return "VALUE";
}

/** One line per flag, for `/imagine help` and the like. */
export function flagHelp(command: CommandDefinition): string[] {
  return command.options
    .filter((option) => !(option.required && option.type === "string") && option.type !== "attachment")
    .map((option) => {
      const values = option.choices
        ? ` (${option.choices.join(", ")})`
        : option.type === "integer" && option.min !== undefined
          ? ` (${option.min}-${option.max})`
          : "";
      return `--${option.name}: ${option.description}${values}`;
    });
}
