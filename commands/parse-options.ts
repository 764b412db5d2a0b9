import { fieldName, type OptionDefinition } from "../src/core/option-definition.js";
import { shown } from "../src/core/option-messages.js";
import { validationError } from "../src/core/validation-codes.js";
import { didYouMean } from "./did-you-mean.js";
import type { ArgsOf, SlashCommand } from "./types.js";

function parseOne(option: OptionDefinition, raw: unknown): unknown {
  const result = option.schema.safeParse(raw);
  if (result.success) return result.data;
  const message =
    result.error.issues[0]?.message ?? `Option ${option.name} is not valid (got ${shown(raw)}).`;
  throw validationError("invalid_option", message, { option: option.name });
}

function parseValue(option: OptionDefinition, raw: unknown): unknown {
  const limit = option.repeatable ?? 1;
  if (!Array.isArray(raw)) return limit > 1 ? [parseOne(option, raw)] : parseOne(option, raw);
  const values = raw.filter((value) => value !== undefined && value !== null);
  if (limit === 1) {
    // A flag given twice: which one was meant is a guess, so ask.
    if (values.length > 1) {
      throw validationError("invalid_option", `Option ${option.name} can be given only once.`, {
        option: option.name,
      });
    }
    return parseOne(option, values[0]);
  }
  if (values.length > limit) {
    throw validationError(
      "invalid_option",
      `Option ${option.name} can be given at most ${limit} times (got ${values.length}).`,
      { option: option.name },
    );
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
    const hint = near ? `did you mean ${near}? ` : "";
    throw validationError(
      "unknown_option",
      `Unknown option "${name}" for /${command.name}; ${hint}options are ${names.join(", ")}.`,
      { option: name },
    );
  }
  const parsed: Record<string, unknown> = {};
  for (const option of command.options) {
    const value = raw[option.name];
    const absent = value === undefined || value === null || (Array.isArray(value) && value.length === 0);
    if (absent) {
      if (option.required) {
        const what = option.description.charAt(0).toLowerCase() + option.description.slice(1);
        throw validationError("missing_option", `Option ${option.name} is required: ${what}.`, {
          option: option.name,
        });
      }
      continue;
    }
    parsed[fieldName(option.name)] = parseValue(option, value);
  }
  // Each declared option's schema output under its field name, a list when repeatable: what ArgsOf spells out.
  return parsed as ArgsOf<Command>;
}
