import type { ErrorGroup } from "./entry.js";

/** `parseFlagText` (commands/flag-text.ts): flags typed as text, in Slack. */
export const FLAG_TEXT_ERRORS = {
  missing_flag_value: {
    kind: "invalid_input",
    sentence: ({ flag, example }: { flag: string; example: string }) =>
      `Flag --${flag} needs a value, e.g. --${flag} ${example}.`,
  },
  prompt_twice: {
    kind: "invalid_input",
    sentence: ({ option }: { option: string }) =>
      `Give the ${option} once: as the words before the flags, or as --${option}, not both.`,
  },
} as const satisfies ErrorGroup;
