import { asUserError, isUserError } from "../../core/errors.js";

/** A sentence for the person: their own mistake as it is, anything else as "went wrong on our side". */
export function messageFor(error: unknown): string {
  const code = isUserError(error) ? undefined : (error as { data?: { error?: string } } | null)?.data?.error;
  if (code === "not_in_channel" || code === "channel_not_found") {
    return "I cannot post in this channel; invite me first (/invite @imagine).";
  }
  return asUserError(error).message;
}
