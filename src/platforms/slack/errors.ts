import { asUserError, isUserError } from "../../core/errors.js";
import { escapeText } from "./blocks.js";

/**
 * A sentence for the person, as mrkdwn: their own mistake as it is, anything else as "went wrong on our side".
 * Escaped (`escapeText`): a refusal may quote what they typed.
 */
export function messageFor(error: unknown): string {
  const code = isUserError(error) ? undefined : (error as { data?: { error?: string } } | null)?.data?.error;
  if (code === "not_in_channel" || code === "channel_not_found") {
    return "I cannot post in this channel; invite me first (/invite @imagine).";
  }
  return escapeText(asUserError(error).message);
}
