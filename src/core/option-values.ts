import { userError } from "./errors.js";
import { IMAGINE_OPTIONS, type ImagineOptions } from "./imagine-options.js";
import { fieldName, type OptionDefinition } from "./option-definition.js";

const isClosedSet = (option: OptionDefinition) =>
  option.type === "string" && option.choices !== undefined && option.open !== true;
const isText = (option: OptionDefinition) => option.type === "string" && !isClosedSet(option);

function checkText({ name, required }: OptionDefinition, value: unknown): void {
  if ((value !== undefined || required) && typeof value !== "string") {
    throw userError("invalid_option", { rule: "text", option: name }, { details: { option: name } });
  }
}

function checkChoice({ name, choices = [] }: OptionDefinition, value: unknown): void {
  if (value !== undefined && (typeof value !== "string" || !choices.includes(value))) {
    const details = { option: name, value };
    throw userError("invalid_option", { rule: "one_of", option: name, choices, got: value }, { details });
  }
}

function checkInteger({ name, min = 0, max = 0 }: OptionDefinition, value: unknown): void {
  if (value !== undefined && !Number.isSafeInteger(value)) {
    const details = { option: name, value };
    throw userError(
      "invalid_option",
      { rule: "whole_number", option: name, min, max, got: value },
      { details },
    );
  }
}

/**
 * Type-level checks, derived from the option table, for options built in code or read back from JSON
 * (buttons, stored jobs), where the compiler's promises do not hold: text, closed sets and whole numbers.
 * Ranges and combinations are `resolveRequest`'s business, with their own codes.
 * @throws `UserError` `invalid_option`: the prompt's first, then closed sets, whole numbers and other text.
 */
export function checkOptionValues(options: ImagineOptions): void {
  const fields: Readonly<Record<string, unknown>> = options;
  const given = (option: OptionDefinition) => fields[fieldName(option.name)];
  for (const option of IMAGINE_OPTIONS.filter((o) => isText(o) && o.required))
    checkText(option, given(option));
  for (const option of IMAGINE_OPTIONS.filter(isClosedSet)) checkChoice(option, given(option));
  for (const option of IMAGINE_OPTIONS.filter((o) => o.type === "integer"))
    checkInteger(option, given(option));
  for (const option of IMAGINE_OPTIONS.filter((o) => isText(o) && !o.required))
    checkText(option, given(option));
}
