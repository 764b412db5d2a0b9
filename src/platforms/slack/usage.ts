import type { ArgsOf } from "../../../commands/types.js";
import type { usageCommand } from "../../../commands/usage.js";
import { BUDGET_NAMES } from "../../core/budget-names.js";
import { userError } from "../../core/errors.js";

/**
 * The words after `/imagine usage`: none, or `set <budget> <value>`.
 * @throws `UserError` `budget_value_invalid` for anything else, with the form to use.
 */
export function usageArgs(text: string): ArgsOf<typeof usageCommand> {
  const words = text.split(/\s+/).filter((word) => word !== "");
  if (words.length === 0) return {};
  const [verb, name, value, ...rest] = words;
  if (verb?.toLowerCase() !== "set" || name === undefined || value === undefined || rest.length > 0) {
    throw userError("budget_value_invalid", { form: "slack_usage", names: BUDGET_NAMES });
  }
  return { set: name, value };
}
