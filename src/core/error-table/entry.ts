/**
 * - `invalid_input`: the request cannot be taken as it is (a bad option or file, a limit or budget reached, a
 *   place the bot is not enabled in); nothing was sent to OpenAI.
 * - `refused`: OpenAI answered and said no (moderation, quota, auth, a 400), or only an admin may do this;
 *   retrying will not help.
 * - `unavailable`: something the bot relies on (OpenAI, storage, Redis, the chat platform, its own workers)
 *   failed or went away; trying again later may work.
 * - `cancelled`: the person (or an admin) cancelled the job; nothing failed.
 */
export type UserErrorKind = "invalid_input" | "refused" | "unavailable" | "cancelled";

export const USER_ERROR_KINDS: ReadonlySet<string> = new Set<UserErrorKind>([
  "invalid_input",
  "refused",
  "unavailable",
  "cancelled",
]);

/**
 * What a code means to a person: its kind, and its sentence, a function of typed values when the sentence
 * quotes them (a throw then names the code and the values, never the words).
 */
export interface ErrorEntry {
  readonly kind: UserErrorKind;
  // `never`: any one-parameter function fits; each entry's own parameter type is what throws are checked against.
  readonly sentence: string | ((params: never) => string);
}

export type ErrorGroup = Readonly<Record<string, ErrorEntry>>;
