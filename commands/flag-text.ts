import { type UserError, userError } from "../src/core/errors.js";
import { didYouMean } from "./did-you-mean.js";
import type { SlashCommand } from "./types.js";

/**
 * Parses a command typed as one line of text, `a red fox --size 1536x1024 --n 2` (Slack's slash commands and
 * mentions), into raw values by option name for `parseCommandOptions`: words that are not flags make the
 * first required string option (the prompt), as typed; every other option is `--name value` or
 * `--name=value`, its value quoted as in a shell (`--prompt 'a "big" fox'`), and a repeatable option given
 * twice becomes a list. An unknown flag is answered with "did you mean", in flags as the person typed them; a
 * one-dash flag (`-n 2`) too, never drawn as part of the prompt.
 */
export interface FlagText {
  raw: Record<string, unknown>;
  /** Flags that name attachment options (`--image`): text cannot carry files. */
  attachmentFlags: string[];
}

/** One word of the text: `value` is what a shell would make of it, `raw` is the word as typed. */
interface Word {
  value: string;
  raw: string;
  /** It opened with a quote: never a flag, whatever it holds. */
  quoted: boolean;
}

/** Opening quote → closing quote: straight, and the curly ones Slack's clients type. */
const CLOSING: Readonly<Record<string, string>> = { "'": "'", "‘": "’", '"': '"', "“": "”" };
/** `'` and `’` are also apostrophes, so a single quote closes only at the end of a word. */
const SINGLE = new Set(["'", "‘"]);

/**
 * Splits text into words as a shell would, with the quotes people type in chat: a quote opens at the start of
 * a word (or after `=` in `--flag='…'`) and everything up to its closing quote is literal, other quotes
 * included. A single quote closes only where a word ends, so apostrophes (`it's`, `dogs'`) never open or
 * close anything; a quote that never closes is an ordinary character.
 */
function words(text: string): Word[] {
  const out: Word[] = [];
  const space = (char: string | undefined) => char === undefined || /\s/.test(char);
  let i = 0;
  while (i < text.length) {
    if (space(text[i])) {
      i++;
      continue;
    }
    const start = i;
    let value = "";
    let quoted = false;
    while (i < text.length && !space(text[i])) {
      const char = text[i] ?? "";
      const closing = CLOSING[char];
      if (closing !== undefined && (i === start || text[i - 1] === "=")) {
        let end = text.indexOf(closing, i + 1);
        if (SINGLE.has(char)) {
          while (end !== -1 && !space(text[end + 1])) end = text.indexOf(closing, end + 1);
        }
        if (end !== -1) {
          value += text.slice(i + 1, end);
          quoted ||= i === start;
          i = end + 1;
          continue;
        }
      }
      value += char;
      i++;
    }
    out.push({ value, raw: text.slice(start, i), quoted });
  }
  return out;
}

/** The words of `text` as a shell would split them (see `words`). */
export function tokenize(text: string): string[] {
  return words(text).map((word) => word.value);
}

/** Long dashes count too: Slack's clients can turn `--` into `—` as people type. */
const FLAG = /^(?:--|—|–)([a-z][\w-]*)(?:=([\s\S]*))?$/i;
/** `-n 2`: a flag typed with one dash. Numbers (`-5`) and a lone dash are words. */
const SHORT_FLAG = /^-([a-z][\w-]*)(?:=[\s\S]*)?$/i;

const isYesOrNo = (word: Word | undefined) =>
  word !== undefined && !word.quoted && /^(?:true|false)$/i.test(word.value);

export function parseFlagText(command: SlashCommand, text: string): FlagText {
  // An optional prompt (`blend`'s) still takes the words that are not flags.
  const positional =
    command.options.find((option) => option.required && option.type === "string") ??
    command.options.find((option) => option.name === "prompt");
  const attachments = new Set(command.options.filter((o) => o.type === "attachment").map((o) => o.name));
  const switches = new Set(command.options.filter((o) => o.type === "boolean").map((o) => o.name));
  const raw: Record<string, unknown> = {};
  const prompt: string[] = [];
  const attachmentFlags: string[] = [];
  const tokens = words(text);
  const isFlag = (word: Word | undefined) => word !== undefined && !word.quoted && FLAG.test(word.value);
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i] as Word;
    const flag = word.quoted ? null : FLAG.exec(word.value);
    if (!flag) {
      const short = word.quoted ? null : SHORT_FLAG.exec(word.value);
      if (short) throw unknownShortFlag(command, short[1] ?? "");
      // The prompt is kept as typed: its quotes and apostrophes are part of what to draw.
      prompt.push(word.raw);
      continue;
    }
    const name = (flag[1] ?? "").toLowerCase();
    if (!command.options.some((option) => option.name === name)) throw unknownFlag(command, name);
    let value = flag[2];
    // `--draft` alone says yes; a yes or no after it is its value, any other word is the prompt's.
    const next = tokens[i + 1];
    if (value === undefined && switches.has(name) && !isYesOrNo(next)) value = "true";
    if (value === undefined) {
      const next = tokens[i + 1];
      if (next === undefined || isFlag(next)) {
        const flag = { flag: name, example: example(command, name) };
        throw userError("missing_flag_value", flag, { details: { option: name } });
      }
      value = next.value;
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
  if (positional && prompt.length > 0) {
    if (raw[positional.name] !== undefined) {
      throw userError("prompt_twice", { option: positional.name });
    }
    raw[positional.name] = prompt.join(" ");
  }
  return { raw, attachmentFlags };
}

/** `--sise 1024x1024`: the flag the person most likely meant, as a flag. */
function unknownFlag(command: SlashCommand, typed: string): UserError {
  const near = didYouMean(
    typed,
    command.options.map((option) => option.name),
  );
  return userError(
    "unknown_option",
    { as: "flag", command: command.name, typed, near },
    { details: { option: typed } },
  );
}

/**
 * `-n 2` would otherwise be drawn as part of the prompt: the person is asked for the long form, the option it
 * names (`-n` → `--n`) or the only one it begins (`-q` → `--quality`) suggested. Nothing is spent.
 */
function unknownShortFlag(command: SlashCommand, typed: string): UserError {
  const names = command.options.map((option) => option.name);
  const lower = typed.toLowerCase();
  const starting = names.filter((name) => name.startsWith(lower));
  const near = names.includes(lower) ? lower : starting.length === 1 ? starting[0] : undefined;
  const unknown = { as: "short_flag", command: command.name, typed, near } as const;
  return userError("unknown_option", unknown, { details: { option: typed } });
}

function example(command: SlashCommand, name: string): string {
  const option = command.options.find((candidate) => candidate.name === name);
  if (option?.choices?.[0] !== undefined) return option.choices[0];
  if (option?.type === "integer") return String(option.min ?? 1);
  return "VALUE";
}

/** One line per flag, for `/imagine help` and the like. */
export function flagHelp(command: SlashCommand): string[] {
  return command.options
    .filter((option) => !(option.required && option.type === "string") && option.type !== "attachment")
    .map((option) => {
      const range = `${option.min}-${option.max}`;
      const values = option.choices
        ? ` (${option.choices.join(", ")})`
        : option.type === "integer" && option.min !== undefined && !option.description.includes(range)
          ? ` (${range})`
          : "";
      return `--${option.name}: ${option.description}${values}`;
    });
}
