import { z } from "zod";
import { mustBeOneOf, mustBeWholeNumber, shown } from "./option-messages.js";

/** An input file as a platform names it, before download; the bytes are checked by `src/media/`. */
export interface AttachmentRef {
  /** URL (Discord, Slack) or local path (CLI). */
  source: string;
  name?: string;
  /** Size in bytes when the platform reports it: lets adapters refuse a huge file before downloading it. */
  size?: number;
  contentType?: string;
}

/** A closed set, read case-insensitively (`--quality HIGH` is `high`). */
export function choiceSchema<const T extends readonly [string, ...string[]]>(option: string, choices: T) {
  return z.preprocess(
    (value) => (typeof value === "string" ? value.trim().toLowerCase() : value),
    z.enum(choices, { error: (issue) => mustBeOneOf(option, choices, issue.input) }),
  );
}

/** A whole number in `[min, max]`: Discord sends numbers, Slack and the CLI send digits (`"2"` → 2). */
export function integerSchema(option: string, min: number, max: number, unit = "") {
  const error = (issue: { input?: unknown }) => mustBeWholeNumber(option, min, max, issue.input, unit);
  return z.preprocess(
    (value) => (typeof value === "string" && /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : value),
    z.number({ error }).int({ error }).min(min, { error }).max(max, { error }),
  );
}

/** Free text; `trimmed` drops surrounding spaces and refuses an empty value. */
export function textSchema(option: string, what: string, trimmed = true) {
  const error = (issue: { input?: unknown }) =>
    `Option ${option} must be ${what} (got ${shown(issue.input)}).`;
  return trimmed ? z.string({ error }).trim().min(1, { error }) : z.string({ error });
}

const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = { true: true, false: false };

/** Yes or no: Discord sends a boolean; typed as text, `true` or `false`. */
export function booleanSchema(option: string) {
  const error = (issue: { input?: unknown }) =>
    `Option ${option} must be true or false (got ${shown(issue.input)}).`;
  return z.preprocess(
    (value) => (typeof value === "string" ? (BOOLEAN_WORDS[value.trim().toLowerCase()] ?? value) : value),
    z.boolean({ error }),
  );
}

/**
 * An input file: a path or URL as text (CLI, Slack), or an attachment object with `url` (Discord) or
 * `source`. Only the reference is parsed here; the bytes are checked after download.
 */
export function attachmentSchema(option: string): z.ZodType<AttachmentRef> {
  const error = () => `Option ${option} must be a file (a path, a URL or an upload).`;
  const details = {
    name: z.string().optional(),
    size: z.number().nonnegative().optional(),
    contentType: z.string().nullish(),
  };
  const fromParts = (
    source: string,
    rest: { name?: string | undefined; size?: number | undefined; contentType?: string | null | undefined },
  ): AttachmentRef => ({
    source,
    ...(rest.name === undefined ? {} : { name: rest.name }),
    ...(rest.size === undefined ? {} : { size: rest.size }),
    ...(rest.contentType == null ? {} : { contentType: rest.contentType }),
  });
  return z.union(
    [
      z
        .string()
        .trim()
        .min(1)
        .transform((source) => ({ source })),
      z.object({ url: z.string().min(1), ...details }).transform(({ url, ...rest }) => fromParts(url, rest)),
      z
        .object({ source: z.string().min(1), ...details })
        .transform(({ source, ...rest }) => fromParts(source, rest)),
    ],
    { error },
  );
}
