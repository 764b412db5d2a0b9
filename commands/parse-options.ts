import { userError } from "../src/core/errors.js";
import { fieldName, type OptionDefinition } from "../src/core/option-definition.js";
import { didYouMean } from "./did-you-mean.js";
import type { ArgsOf, SlashCommand } from "./types.js";

function parseOne(option: OptionDefinition, raw: unknown): unknown {
  const result = option.schema.safeParse(raw);
  if (result.success) return result.data;
  const sentence = result.error.issues[0]?.message;
  const details = { option: option.name };
  if (sentence === undefined)
    throw userError("invalid_option", { rule: "not_valid", option: option.name, got: raw }, { details });
  throw userError("invalid_option", { rule: "schema", sentence }, { details });
}

function parseValue(option: OptionDefinition, raw: unknown): unknown {
  const limit = option.repeatable ?? 1;
  if (!Array.isArray(raw)) return limit > 1 ? [parseOne(option, raw)] : parseOne(option, raw);
  const values = raw.filter((value) => value !== undefined && value !== null);
  if (limit === 1) {
    // A flag given twice: which one was meant is a guess, so ask.
    if (values.length > 1) {
      throw userError(
        "invalid_option",
        { rule: "once", option: option.name },
        { details: { option: option.name } },
      );
    }
    return parseOne(option, values[0]);
  }
  if (values.length > limit) {
    const at = { option: option.name, limit, count: values.length };
    throw userError("invalid_option", { rule: "at_most", ...at }, { details: { option: option.name } });
  }
  return values.map((value) => parseOne(option, value));
}

/**
 * Parses raw values keyed by option name into values keyed by field name (`frame-ms` → `frameMs`).
 * `undefined` and `null` mean "not given" (Discord sends `null` for an unset option).
 * @throws `UserError` `unknown_option`, `missing_option` or `invalid_option`.
 */
export function parseCommandOptions<Command extends SlashCommand>(
  command: Command,
  raw: Record<string, unknown>,
): ArgsOf<Command> {
  const byName = new Map(command.options.map((option) => [option.name, option]));
  for (const name of Object.keys(raw)) {
    if (byName.has(name)) continue;
    const names = command.options.map((option) => option.name);
    const near = didYouMean(name, names);
    const typed = { as: "option", command: command.name, typed: name, near, options: names } as const;
    throw userError("unknown_option", typed, { details: { option: name } });
  }
  const parsed: Record<string, unknown> = {};
  for (const option of command.options) {
    const value = raw[option.name];
    const absent = value === undefined || value === null || (Array.isArray(value) && value.length === 0);
    if (absent) {
      if (option.required) {
        const { name, description } = option;
        throw userError("missing_option", { option: name, description }, { details: { option: name } });
      }
      continue;
    }
    parsed[fieldName(option.name)] = parseValue(option, value);
  }
  // Each declared option's schema output under its field name, a list when repeatable: what ArgsOf spells out.
  return parsed as ArgsOf<Command>;
}
