import { isUserError } from "../../core/errors.js";

/** A sentence for the person: their own mistake as it is, anything else as "went wrong on our side". */
export function messageFor(error: unknown): string {
  if (isUserError(error)) return error.message;
  const code = (error as { data?: { error?: string } }).data?.error;
  if (code === "not_in_channel" || code === "channel_not_found") {
    return "I cannot post in this channel; invite me first (/invite @imagine).";
  }
  return "Something went wrong on our side; please try again.";
}
