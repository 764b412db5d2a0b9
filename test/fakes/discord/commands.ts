import { invalidForm } from "./http.js";

/** The subset of Discord's rules for application commands that a wrong deploy script would break. */
const CHAT_NAME = /^[-_'\p{Ll}\p{Lo}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const OPTION_TYPES = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
/** Install types: guild (0), user (1). Contexts: guild (0), bot DM (1), private channel (2). */
const INTEGRATION_TYPES = new Set([0, 1]);
const CONTEXTS = new Set([0, 1, 2]);

type Json = Record<string, unknown>;

function problem(path: string, message: string): never {
  throw invalidForm({ [path]: { _errors: [{ code: "INVALID_COMMAND", message }] } });
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function checkOption(option: Json, path: string, seen: Set<string>): number {
  const name = text(option.name);
  const description = text(option.description);
  if (!CHAT_NAME.test(name)) problem(`${path}.name`, `Invalid option name "${name}"`);
  if (seen.has(name)) problem(`${path}.name`, `Duplicate option name "${name}"`);
  seen.add(name);
  if (description.length < 1 || description.length > 100) {
    problem(`${path}.description`, "Must be between 1 and 100 in length.");
  }
  if (!OPTION_TYPES.has(option.type as number)) problem(`${path}.type`, "Invalid option type");
  const choices = option.choices as Json[] | undefined;
  if (choices !== undefined) {
    if (option.autocomplete === true) problem(`${path}.choices`, "Choices and autocomplete are exclusive.");
    if (choices.length > 25) problem(`${path}.choices`, "Must be 25 or fewer in length.");
    for (const [index, choice] of choices.entries()) {
      const choiceName = text(choice.name);
      if (choiceName.length < 1 || choiceName.length > 100) {
        problem(`${path}.choices.${index}.name`, "Must be between 1 and 100 in length.");
      }
      const wrongType =
        option.type === 3 ? typeof choice.value !== "string" : typeof choice.value !== "number";
      if (wrongType)
        problem(`${path}.choices.${index}.value`, "Choice value does not match the option type.");
    }
  }
  if (
    option.type !== 4 &&
    option.type !== 10 &&
    (option.min_value !== undefined || option.max_value !== undefined)
  ) {
    problem(`${path}.min_value`, "min_value and max_value are for numeric options only.");
  }
  return (
    name.length +
    description.length +
    (choices ?? []).reduce((sum, choice) => sum + text(choice.name).length, 0)
  );
}

/** `integration_types` and `contexts`, when given, are non-empty lists of known values. */
function checkInstalls(command: Json, index: number): void {
  for (const [field, known] of [
    ["integration_types", INTEGRATION_TYPES],
    ["contexts", CONTEXTS],
  ] as const) {
    const value = command[field];
    if (value === undefined) continue;
    if (!Array.isArray(value) || value.length === 0)
      problem(`${index}.${field}`, "Must be a non-empty list.");
    for (const [position, item] of value.entries()) {
      if (!known.has(item as number))
        problem(`${index}.${field}.${position}`, `Value "${item}" is not valid.`);
    }
  }
}

/** Validates a bulk-overwrite body like Discord's `PUT …/commands`; throws a 50035 form error. */
export function validateCommands(body: unknown): Json[] {
  if (!Array.isArray(body)) problem("_", "Expected an array of commands.");
  const names = new Set<string>();
  for (const [index, command] of (body as Json[]).entries()) {
    const type = (command.type as number | undefined) ?? 1;
    const name = text(command.name);
    const key = `${type}:${name}`;
    if (names.has(key)) problem(`${index}.name`, `Application command names must be unique ("${name}")`);
    names.add(key);
    checkInstalls(command, index);
    if (type === 1) {
      if (!CHAT_NAME.test(name)) problem(`${index}.name`, `Invalid command name "${name}"`);
      const description = text(command.description);
      if (description.length < 1 || description.length > 100) {
        problem(`${index}.description`, "Must be between 1 and 100 in length.");
      }
      const options = (command.options as Json[] | undefined) ?? [];
      if (options.length > 25) problem(`${index}.options`, "Must be 25 or fewer in length.");
      let optional = false;
      let length = name.length + description.length;
      const seen = new Set<string>();
      for (const [position, option] of options.entries()) {
        if (option.required === true && optional) {
          problem(
            `${index}.options.${position}.required`,
            "Required options must be placed before non-required options",
          );
        }
        if (option.required !== true) optional = true;
        length += checkOption(option, `${index}.options.${position}`, seen);
      }
      if (length > 4000) problem(`${index}`, "Command exceeds maximum size (4000)");
    } else if (type === 2 || type === 3) {
      if (name.length < 1 || name.length > 32)
        problem(`${index}.name`, "Must be between 1 and 32 in length.");
      if (text(command.description) !== "")
        problem(`${index}.description`, "Context menu commands have no description.");
      if (command.options !== undefined)
        problem(`${index}.options`, "Context menu commands have no options.");
    } else {
      problem(`${index}.type`, "Invalid command type");
    }
  }
  return body as Json[];
}
