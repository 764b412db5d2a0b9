import { mustBeOneOf, mustBeWholeNumber, shown } from "../option-messages.js";
import type { ErrorGroup } from "./entry.js";

/** The sentence of every `*_out_of_range` code and of a value that is no whole number. */
export interface WholeNumberParams {
  option: string;
  min: number;
  max: number;
  got: unknown;
  unit?: string;
}

export const wholeNumber = ({ option, min, max, got, unit }: WholeNumberParams) =>
  mustBeWholeNumber(option, min, max, got, unit);

type InvalidOption =
  | { rule: "one_of"; option: string; choices: readonly string[]; got: unknown }
  | ({ rule: "whole_number" } & WholeNumberParams)
  | { rule: "text" | "once"; option: string }
  | { rule: "not_valid"; option: string; got: unknown }
  | { rule: "at_most"; option: string; limit: number; count: number }
  // An option's zod schema words its own refusal (commands/option-schemas.ts), one wording per option.
  | { rule: "schema"; sentence: string };

function invalidOption(params: InvalidOption): string {
  switch (params.rule) {
    case "one_of":
      return mustBeOneOf(params.option, params.choices, params.got);
    case "whole_number":
      return wholeNumber(params);
    case "text":
      return `Option ${params.option} must be text.`;
    case "once":
      return `Option ${params.option} can be given only once.`;
    case "not_valid":
      return `Option ${params.option} is not valid (got ${shown(params.got)}).`;
    case "at_most":
      return `Option ${params.option} can be given at most ${params.limit} times (got ${params.count}).`;
    case "schema":
      return params.sentence;
  }
}

/** How the unknown name was typed: a field of a command's options, a flag (`--sise`), a short flag (`-n`). */
type UnknownOption = { command: string; typed: string; near?: string | undefined } & (
  | { as: "option"; options: readonly string[] }
  | { as: "flag" | "short_flag" }
);

function unknownOption({ command, typed, near, ...as }: UnknownOption): string {
  const help = `\`/${command} help\``;
  switch (as.as) {
    case "option":
      return `Unknown option "${typed}" for /${command}; ${near ? `did you mean ${near}? ` : ""}options are ${as.options.join(", ")}.`;
    case "flag":
      return `Unknown flag --${typed}; ${near ? `did you mean --${near}? ` : ""}${help} lists the flags.`;
    case "short_flag":
      return `Unknown flag -${typed}; ${near ? `did you mean --${near}?` : `flags start with two dashes, e.g. --quality high; ${help} lists them.`}`;
  }
}

/** A required option left out, or a Slack mention that asks for nothing. */
type MissingOption = { option: string; description: string } | { mention: true };

function missingOption(params: MissingOption): string {
  if ("mention" in params) return "Tell me what to draw or change, e.g. `@imagine make it night`.";
  const what = params.description.charAt(0).toLowerCase() + params.description.slice(1);
  return `Option ${params.option} is required: ${what}.`;
}

/** `parseImagineOptions` and `parseFlagText`: raw values from Discord, Slack flags or the CLI. */
export const OPTION_ERRORS = {
  invalid_option: { kind: "invalid_input", sentence: invalidOption },
  unknown_option: { kind: "invalid_input", sentence: unknownOption },
  missing_option: { kind: "invalid_input", sentence: missingOption },
} as const satisfies ErrorGroup;
