/**
 * The sentences for a bad option value, shared by `commands/` (raw flags) and `resolveRequest` (options
 * built in code), so a person sees the same words whichever way the value arrived. Platform-neutral: "Option
 * quality", never "--quality" or a Discord field label.
 */

/** How a rejected value is quoted back: strings in quotes, the rest as written, long values cut. */
export function shown(value: unknown): string {
  if (typeof value === "string")
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  if (value === undefined) return "nothing";
  return Array.isArray(value) ? "a list" : "an object";
}

export function mustBeOneOf(option: string, choices: readonly string[], got: unknown): string {
  return `Option ${option} must be one of ${choices.join(", ")} (got ${shown(got)}).`;
}

export function mustBeWholeNumber(option: string, min: number, max: number, got: unknown, unit = ""): string {
  return `Option ${option} must be a whole number from ${min} to ${max}${unit ? ` ${unit}` : ""} (got ${shown(got)}).`;
}
